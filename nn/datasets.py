"""The lecture's "simple example": 8x8 images of the letters E, F and L."""
import numpy as np

from .init import generator

EFL_CLASSES = ("E", "F", "L")

_TEMPLATES = {
    "E": [".######.",
          ".#......",
          ".#......",
          ".#####..",
          ".#......",
          ".#......",
          ".######.",
          "........"],
    "F": [".######.",
          ".#......",
          ".#......",
          ".#####..",
          ".#......",
          ".#......",
          ".#......",
          "........"],
    "L": [".#......",
          ".#......",
          ".#......",
          ".#......",
          ".#......",
          ".#......",
          ".######.",
          "........"],
}


def efl_templates():
    """The three noise-free letters as an array of shape (3, 8, 8), in E, F, L order."""
    return np.array([[[c == "#" for c in row] for row in _TEMPLATES[k]] for k in EFL_CLASSES],
                    dtype=np.float32)


def efl_letters(n, noise=0.3, rng=None):
    """n noisy letter images: X of shape (n, 64) (float32, pixels of 0 and 1
    plus Gaussian noise of standard deviation `noise`) and labels y of shape
    (n,) with 0 = E, 1 = F, 2 = L, drawn evenly at random."""
    if n < 0 or noise < 0:
        raise ValueError(f"efl_letters needs n >= 0 and noise >= 0, got n={n}, noise={noise}")
    rng = generator(rng)
    y = rng.integers(0, len(EFL_CLASSES), size=n)
    X = efl_templates().reshape(3, 64)[y] + rng.normal(0.0, noise, size=(n, 64))
    return X.astype(np.float32), y.astype(np.int64)
