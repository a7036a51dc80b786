"""Numbers and arrays as the short texts a picture shows, and escaping for
Graphviz's HTML-like labels."""
import html

import numpy as np

from autograd_core import Tensor

MAX_FLAT = 6        # a tensor with at most this many values shows them all
MAX_ROWS = 4        # a matrix with at most this many rows and columns shows them by rows
MAX_COLUMNS = 4


def number(x):
    """`x` to 4 significant digits; -0 reads 0; None (a cleared grad) reads None."""
    if x is None:
        return "None"
    text = f"{float(x):.4g}"
    return "0" if text == "-0" else text


def array_lines(a):
    """The lines that show an array (or a number): every value when there are
    few (a matrix by rows), else min, mean and max."""
    if isinstance(a, (int, float)):
        return [number(a)]
    a = a.data if isinstance(a, Tensor) else np.asarray(a)  # a Tensor explicitly, not via numpy
    if a.ndim == 0:
        return [number(a.item())]
    if a.size == 0:
        return ["(empty)"]
    if a.ndim == 2 and a.shape[0] <= MAX_ROWS and a.shape[1] <= MAX_COLUMNS and a.shape[0] > 1:
        rows = ["[" + ", ".join(number(v) for v in row) + "]" for row in a.tolist()]
        return ["[" + rows[0] + ","] + [" " + r + "," for r in rows[1:-1]] + [" " + rows[-1] + "]"]
    if a.size <= MAX_FLAT:  # flat, in reading order; the shape is shown beside it
        return ["[" + ", ".join(number(v) for v in a.ravel().tolist()) + "]"]
    if not np.issubdtype(a.dtype, np.number) or a.dtype == np.bool_:
        return [f"{int(np.count_nonzero(a))} of {a.size} true"] if a.dtype == np.bool_ else ["..."]
    finite = a[np.isfinite(a)] if np.issubdtype(a.dtype, np.floating) else a
    if finite.size == 0:
        return ["no finite values"]
    lines = [f"min {number(finite.min())} max {number(finite.max())}",
             f"mean {number(finite.mean())}"]  # two short lines keep boxes narrow
    if finite.size < a.size:
        lines[1] += f" ({a.size - finite.size} nan/inf)"
    return lines


def summary(a):
    """`array_lines` on one line."""
    return " ".join(array_lines(a))


def escape(text):
    """Text for an HTML-like label: markup characters escaped; no character is
    special in these labels otherwise (unlike record labels' | { } < > \\)."""
    return html.escape(str(text), quote=True)
