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
    """`steps` steps of mlp.py's trainers on the 8-8-4 network."""
    import numpy as np

    import autograd_core as ag
    import mlp
    import nn
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200 * 4, 8)).astype(np.float32)
    y = rng.integers(0, 4, 200 * 4)
    net = nn.Sequential(nn.Linear(8, 8, rng=rng), nn.ReLU(), nn.Linear(8, 4, rng=rng))
    if steps == 0:  # set up alike, to be subtracted
        return
    if side == "numpy":
        mlp.train_numpy([(net[0].weight.data, net[0].bias.data),
                         (net[2].weight.data, net[2].bias.data)], X, y, steps, batch=4)
        return
    with ag.mutation_guard(guard):
        mlp.train_engine((net, nn.optim.SGD(net.parameters(), lr=mlp.LR)), X, y, steps, batch=4)


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
