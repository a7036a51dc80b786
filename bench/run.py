"""Time autograd_core against reference engines in one process, interleaved.

Each workload runs as pairs (ours, reference, ours, reference, ...); the
ratio is taken pair by pair and the median reported, so a machine that
speeds up or slows down mid-run cancels out. A reference that is not
installed is reported as skipped, never as passed.

    python bench/run.py            # every row
    python bench/run.py --pairs 9  # more pairs for steadier medians
"""
import os

# One thread everywhere, so that numpy's BLAS and PyTorch compare like for
# like (and a busy machine disturbs the ratios less). Set before numpy loads.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import random  # noqa: E402
import statistics
import sys
import time

import numpy as np  # noqa: E402

import autograd_core as ag  # noqa: E402

try:
    import torch
    torch.set_num_threads(1)
except ImportError:
    torch = None
try:
    from micrograd.engine import Value as MicroValue
except ImportError:
    MicroValue = None


# -- workloads: each a pair of zero-argument callables doing the same work ------

def elementwise_ours(n_ops=2000):
    rng = np.random.default_rng(0)
    a = ag.Tensor(rng.standard_normal(16), requires_grad=True)  # float64 data
    c = ag.Tensor(rng.standard_normal(16) * 0.1, requires_grad=True)
    y = a
    for _ in range(n_ops // 2):
        y = y * c
        y = y + c
    y.backward(np.ones(16))


def elementwise_torch(n_ops=2000):
    g = torch.Generator().manual_seed(0)
    a = torch.randn(16, dtype=torch.float64, generator=g, requires_grad=True)
    c = (torch.randn(16, dtype=torch.float64, generator=g) * 0.1).requires_grad_()
    y = a
    for _ in range(n_ops // 2):
        y = y * c
        y = y + c
    y.backward(torch.ones(16, dtype=torch.float64))


def constants_ours(n_ops=2000):
    """What users write: Python numbers as the constants."""
    a = ag.Tensor(np.random.default_rng(0).standard_normal(16), requires_grad=True)
    y = a
    for _ in range(n_ops // 2):
        y = y * 1.0001
        y = y + 0.001
    y.backward(np.ones(16))


def constants_torch(n_ops=2000):
    g = torch.Generator().manual_seed(0)
    a = torch.randn(16, dtype=torch.float64, generator=g, requires_grad=True)
    y = a
    for _ in range(n_ops // 2):
        y = y * 1.0001
        y = y + 0.001
    y.backward(torch.ones(16, dtype=torch.float64))


def chain_ours(n_nodes=100_000):
    x = ag.Value(0.5)
    y = x
    for _ in range(n_nodes // 2):
        y = y * 1.0000001
        y = y + 0.000001
    y.backward()
    return x.grad


def chain_torch(n_nodes=100_000):
    x = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    y = x
    for _ in range(n_nodes // 2):
        y = y * 1.0000001
        y = y + 0.000001
    y.backward()
    return x.grad


def tensor_chain(n_nodes=1_000_000):
    x = ag.Tensor(np.ones(1), requires_grad=True)
    y = x
    for _ in range(n_nodes):
        y = y * 1.0
    y.sum().backward()
    return x.grad


def _mlp_data():
    rng = random.Random(0)
    xs = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(20)]
    ys = [1.0 if x0 * x1 > 0 else -1.0 for x0, x1 in xs]
    return xs, ys


def _scalar_mlp_train(value_cls, steps=5):
    """The micrograd demo's shape: 2-16-16-1, ReLU hidden, linear output,
    squared error, plain gradient descent. `value_cls` is ours or micrograd's."""
    rng = random.Random(1)
    sizes = [2, 16, 16, 1]
    layers = [[([value_cls(rng.uniform(-1, 1)) for _ in range(nin)], value_cls(0.0))
               for _ in range(nout)] for nin, nout in zip(sizes, sizes[1:])]
    params = [p for layer in layers for ws, b in layer for p in ws + [b]]
    xs, ys = _mlp_data()
    for _ in range(steps):
        loss = value_cls(0.0)
        for x, y in zip(xs, ys):
            act = x
            for depth, layer in enumerate(layers):
                act = [sum((w * a for w, a in zip(ws, act)), b) for ws, b in layer]
                if depth < len(layers) - 1:
                    act = [a.relu() for a in act]
            loss = loss + (act[0] - y) ** 2
        loss = loss * (1.0 / len(xs))
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= 0.05 * p.grad
    return loss.data


def value_mlp_ours():
    return _scalar_mlp_train(ag.Value)


def value_mlp_micrograd():
    return _scalar_mlp_train(MicroValue)


def big_graph():
    """A 1,700-layer network's loss: about 10,000 value nodes and 6,800 op nodes."""
    import nn
    rng = np.random.default_rng(0)
    layers = []
    for _ in range(1700):
        layers += [nn.Linear(4, 4, rng=rng), nn.Tanh()]
    net = nn.Sequential(*layers)
    loss = net(ag.Tensor(rng.standard_normal((2, 4)).astype(np.float32))).sum()
    loss.backward()
    return net, loss


# -- timing ---------------------------------------------------------------------

def timed(fn):
    """Seconds for one call of `fn`, or of `run(setup())` when `fn` is a pair
    (setup, run): the setup is not timed. Garbage left by the previous call
    (micrograd's graphs are reference cycles) is collected first, so neither
    side pays for the other's."""
    setup, run = fn if isinstance(fn, tuple) else (None, fn)
    args = () if setup is None else (setup(),)
    gc.collect()
    start = time.perf_counter()
    run(*args)
    return time.perf_counter() - start


def paired(ours, reference, pairs):
    """Median time of each side and the median of per-pair ratios."""
    timed(ours), timed(reference)  # warm up
    t_ours, t_ref = [], []
    for _ in range(pairs):
        t_ours.append(timed(ours))
        t_ref.append(timed(reference))
    ratios = [a / b for a, b in zip(t_ours, t_ref)]
    return statistics.median(t_ours), statistics.median(t_ref), statistics.median(ratios)


sys.path.insert(0, os.path.dirname(__file__))
import cnn  # noqa: E402
import mlp  # noqa: E402

_X, _Y = mlp.data(50)
_W = mlp.initial_weights()
_NET = mlp.engine_model(_W)[0]

# (setup, run) pairs: each run trains a fresh copy of the same weights
mlp_ours = (lambda: mlp.engine_model(_W), lambda model: mlp.train_engine(model, _X, _Y, 50))
mlp_numpy = (lambda: mlp.numpy_model(_W), lambda model: mlp.train_numpy(model, _X, _Y, 50))
mlp_torch = (lambda: mlp.torch_model(_W), lambda model: mlp.train_torch(model, _X, _Y, 50))
mlp_raw = (lambda: mlp.raw_model(_W), lambda model: mlp.train_raw(model, _X, _Y, 50))


def infer_ours():
    return mlp.infer_engine(_NET, _X)


def infer_numpy():
    return mlp.infer_numpy(_W, _X)


_DIGITS = cnn.data()
cnn_ours = (cnn.engine_model, lambda model: cnn.train_engine(model, *_DIGITS[:2], 2))
cnn_torch = (cnn.torch_model, lambda model: cnn.train_torch(model, *_DIGITS[:2], 2))


def without_guard(workload):
    """The same workload recorded under mutation_guard(False)."""
    setup, run = workload if isinstance(workload, tuple) else (None, workload)

    def unguarded(*args):
        with ag.mutation_guard(False):
            return run(*args)
    return unguarded if setup is None else (setup, unguarded)


ROWS = [
    # name, ours, reference name, reference callable or None, target ratio (ours/ref)
    # (None: measured for the record, no target)
    ("MLP 784-256-10 (nn.Linear), SGD, 50 steps", mlp_ours, "numpy by hand", mlp_numpy, 1.08),
    ("MLP 784-256-10 (nn.Linear), SGD, 50 steps", mlp_ours, "PyTorch",
     mlp_torch if torch else None, 1.0),
    # what users write without nn: x @ w + b, relu, cross-entropy
    ("MLP 784-256-10 (raw ops x @ w + b), 50 steps", mlp_raw, "numpy by hand", mlp_numpy, 1.12),
    ("MLP inference under no_grad, 6,400 rows", infer_ours, "numpy by hand", infer_numpy, 1.05),
    ("2,000 ops, tensor constants, fwd+bwd", elementwise_ours, "PyTorch",
     elementwise_torch if torch else None, 0.70),
    ("2,000 ops, Python-number constants, fwd+bwd", constants_ours, "PyTorch",
     constants_torch if torch else None, 0.70),
    ("CNN of notebook 07 on 8x8 digits, 2 epochs", cnn_ours, "PyTorch",
     cnn_torch if torch else None, None),
    ("2-16-16-1 Value MLP, 5 steps, 20 points", value_mlp_ours, "micrograd",
     value_mlp_micrograd if MicroValue else None, 0.2),
    ("100,000-node scalar chain, fwd+bwd", chain_ours, "PyTorch",
     chain_torch if torch else None, 0.5),
    # what the mutation guard costs: the same work with the guard on, against off
    ("guard cost: MLP training (on/off)", mlp_ours, "guard off", without_guard(mlp_ours),
     None),
    ("guard cost: 2,000 elementwise ops (on/off)", elementwise_ours, "guard off",
     without_guard(elementwise_ours), None),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}"
          f"{', torch ' + torch.__version__ if torch else ''}; median of {args.pairs} pairs")
    print(f"{'workload':46} {'ours':>9} {'reference':>24} {'ratio':>7} {'target':>8}  result")
    failed = False
    for name, ours, ref_name, ref, target in ROWS:
        if ref is None:
            t = timed(ours)
            print(f"{name:46} {t * 1e3:7.1f}ms {ref_name + ' not installed':>24} {'-':>7} "
                  f"{'<=' + str(target):>8}  skipped")
            continue
        t_ours, t_ref, ratio = paired(ours, ref, args.pairs)
        ok = target is None or ratio <= target
        failed |= not ok
        verdict = "(info)" if target is None else "pass" if ok else "FAIL"
        print(f"{name:46} {t_ours * 1e3:7.1f}ms {ref_name:>13} {t_ref * 1e3:8.1f}ms {ratio:7.3f} "
              f"{'-' if target is None else '<=' + str(target):>8}  {verdict}")
    model = cnn.engine_model()
    t = timed(lambda: cnn.train_engine(model, *_DIGITS[:2], 20))
    ok = t <= 60
    failed |= not ok
    print(f"{'CNN of notebook 07, 20 epochs (1,400 digits)':46} {t * 1e3:7.0f}ms "
          f"{'accuracy ' + format(cnn.accuracy(model, *_DIGITS[2:]), '.1%'):>24} {'-':>7} "
          f"{'<=60s':>8}  {'pass' if ok else 'FAIL'}")
    t = timed(lambda: chain_ours(1_000_000))
    print(f"{'1,000,000-node scalar chain (must run)':46} {t * 1e3:7.1f}ms "
          f"{'recursion limit ' + str(sys.getrecursionlimit()):>24}")
    t = timed(tensor_chain)
    print(f"{'1,000,000-node Tensor chain (must run)':46} {t * 1e3:7.1f}ms "
          f"{'recursion limit ' + str(sys.getrecursionlimit()):>24}")
    ours_peak, numpy_peak = (mlp.peak_memory(setup, train, _W, _X, _Y) for setup, train in
                             ((mlp.engine_model, mlp.train_engine), (mlp.numpy_model, mlp.train_numpy)))
    ratio = ours_peak / numpy_peak
    failed |= ratio > 1.3
    print(f"{'peak memory, 50 MLP steps (tracemalloc)':46} {ours_peak / 2**20:7.1f}MB "
          f"{'numpy by hand':>13} {numpy_peak / 2**20:8.1f}MB {ratio:7.3f} {'<=1.3':>8}  "
          f"{'pass' if ratio <= 1.3 else 'FAIL'}")
    at_100, at_1000 = mlp.memory_growth(_W, _X, _Y)
    growth = (at_1000 - at_100) / 2**20
    failed |= growth > 5
    print(f"{'memory growth, MLP step 100 -> 1,000':46} {growth:7.2f}MB {'(absolute)':>24} "
          f"{'-':>7} {'<=5MB':>8}  {'pass' if growth <= 5 else 'FAIL'}")
    from nn import viz
    net, loss = big_graph()
    for collapse in (True, False):
        t = min(timed(lambda: viz.draw_graph(loss, params=net, collapse=collapse)) for _ in range(3))
        ok = t <= 2.0
        failed |= not ok
        print(f"{'draw_graph, 10,000-node graph, collapse=' + str(collapse):46} {t * 1e3:7.1f}ms "
              f"{'(absolute)':>24} {'-':>7} {'<=2.0s':>8}  {'pass' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
