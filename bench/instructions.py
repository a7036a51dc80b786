"""Instructions per training step, counted by valgrind's callgrind: a figure
that does not move with a noisy machine, for weighing the engine's Python
overhead where timings cannot.

The network is the MLP of run.py shrunk to 8-8-4 with batches of 4, so that
numpy's arithmetic is small and what the engine adds stands out. Each figure
is (count of a run of 200 steps - count of a run of none) / 200, both runs
starting up and warming up (20 steps) alike, so that only the steps remain.

    python bench/instructions.py     # needs valgrind; about three minutes
"""
import os
import re
import shutil
import subprocess
import sys

SIDES = {
    "engine, mutation guard on": ["engine", "1"],
    "engine, mutation guard off": ["engine", "0"],
    "numpy by hand": ["numpy", "1"],
}


def train(side, guard, steps):
    import numpy as np
    rng = np.random.default_rng(0)
    X = rng.standard_normal((220 * 4, 8)).astype(np.float32)
    y = rng.integers(0, 4, 220 * 4)
    batches = [(X[s * 4:(s + 1) * 4], y[s * 4:(s + 1) * 4]) for s in range(220)]
    if side == "engine":
        import autograd_core as ag
        import nn
        net = nn.Sequential(nn.Linear(8, 8, rng=rng), nn.ReLU(), nn.Linear(8, 4, rng=rng))
        opt = nn.optim.SGD(net.parameters(), lr=0.1)
        with ag.mutation_guard(guard):
            for xb, yb in batches[:steps]:
                opt.zero_grad()
                nn.functional.cross_entropy(net(xb), yb).backward()
                opt.step()
        return
    W1, b1 = rng.standard_normal((8, 8)).astype(np.float32), np.zeros(8, np.float32)
    W2, b2 = rng.standard_normal((4, 8)).astype(np.float32), np.zeros(4, np.float32)
    rows = np.arange(4)
    for xb, yb in batches[:steps]:  # as train_numpy in mlp.py
        h_pre = xb @ W1.T + b1
        h = np.maximum(h_pre, 0)
        logits = h @ W2.T + b2
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_probs[rows, yb].mean()  # noqa: F841  (computed, as by hand)
        d_logits = np.exp(log_probs)
        d_logits[rows, yb] -= 1
        d_logits /= 4
        dW2, db2 = d_logits.T @ h, d_logits.sum(axis=0)
        d_h = (d_logits @ W2) * (h_pre > 0)
        dW1, db1 = d_h.T @ xb, d_h.sum(axis=0)
        for p, g in ((W1, dW1), (b1, db1), (W2, dW2), (b2, db2)):
            p -= 0.1 * g


def count(side, guard, steps):
    """Instructions of a whole run of this script doing `steps` steps."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         __file__, "--run", side, guard, str(steps)],
        env=env, capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main():
    if sys.argv[1:2] == ["--run"]:
        side, guard, steps = sys.argv[2:5]
        train(side, guard == "1", 20)  # warm-up: first calls, caches
        train(side, guard == "1", int(steps))
        return 0
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind); nothing counted")
        return 1
    for name, (side, guard) in SIDES.items():
        per_step = (count(side, guard, 200) - count(side, guard, 0)) / 200
        print(f"{name:28} {per_step:10,.0f} instructions per step")
    return 0


if __name__ == "__main__":
    sys.exit(main())
