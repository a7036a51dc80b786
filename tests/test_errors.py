"""docs/errors.md, entry by entry: each error is raised as documented."""
import builtins
import os
import pathlib
import re

import numpy as np
import pytest

import autograd_core as ag
import nn
from autograd_core import Function, Tensor, Value
from nn import viz
from tests.autograd_core.test_autograd_habits import _UnscaledSum  # a backward without grad

DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "errors.md"
ROWS = {m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| ([a-z0-9-]+) \| (\w+) \| `(.+?)` \|", DOC.read_text(), re.M)}


def leaf(data):
    return Tensor(np.asarray(data, dtype=np.float64), requires_grad=True)


def _grad_read_freed():
    x, y = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    a = x.exp()
    (a * a).sum().backward()  # frees exp
    ag.grad((a * y).sum(), [y])


def backward_twice():
    y = (leaf([1.0]) * 2).sum()
    y.backward()
    y.backward()


def inplace_view():
    x = leaf([1.0, 2.0, 3.0])
    view = x[:2]
    y = (x * x).sum()  # the graph saves x's array
    with ag.no_grad():
        view += 10.0


def inplace_shared_array():
    x = leaf([1.0, 2.0, 3.0])
    y = (x * x).sum()  # the graph saves x's array
    x.detach().mul_(0.5)


def twins_twice():
    x = leaf([1.0, 2.0])
    twin = x.detach().requires_grad_()  # a second leaf on x's array
    ag.grad((x * twin).sum(), [x], create_graph=True)


def grad_of_grad():
    x = leaf([1.0, 2.0])
    (g,) = ag.grad((x * x * x).sum(), [x])
    ag.grad(g.sum(), [x])


def second_order_after_inplace():
    x = leaf([1.0, 2.0])
    y = (x * x * x).sum()
    with ag.no_grad():
        x += 1.0
    ag.grad(y, [x], create_graph=True)


def backward_under_no_grad():
    x = leaf([1.0])
    with ag.no_grad():
        y = (x * 2).sum()
    y.backward()


def hook_wrong_shape():
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: Tensor(np.ones(3)))
    (x * 2).sum().backward()


class _OneGrad(Function):
    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad


class _BadShape(Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    def backward(ctx, grad):
        return np.ones(7)


class _Wrong(Function):
    @staticmethod
    def forward(ctx, a):
        return a * a

    @staticmethod
    def backward(ctx, grad):
        return grad


def anomaly():
    x = leaf([0.0])
    with ag.detect_anomaly():
        x.sqrt().sum().backward()


class _NoSuper(nn.Module):
    def __init__(self):
        self.w = nn.Parameter(np.ones(1))


def _net():
    return nn.Sequential(nn.Linear(2, 2))


def viz_no_dot():
    old, folders = os.environ["PATH"], viz.render.script_folders
    os.environ["PATH"] = "/nonexistent"
    viz.render.script_folders = lambda: []  # no graphviz-pure beside Python either
    try:
        viz.draw_graph(Value(1.0) * 2).pipe(format="svg")
    finally:
        os.environ["PATH"], viz.render.script_folders = old, folders


def explore_freed():
    loss = (leaf([1.0, 2.0]) * 3).sum()
    loss.backward()
    viz.explore(loss)


def _plots(call):
    def run():
        import matplotlib
        matplotlib.use("Agg")
        call()
    return run


class _StandInHistory(list):
    grads = [{"0.weight": (0.0, 0.0)}]


def viz_steps_freed():
    loss = (leaf([1.0, 2.0]) * 3).sum()
    loss.backward()
    viz.backward_steps(loss)


def _matplotlib_weights():
    import matplotlib
    matplotlib.use("Agg")
    viz.show_weights(nn.Linear(64, 2), shape=(7, 7))


def _checkpoint(kind, tmp_path):
    path = tmp_path / "c.npz"
    if kind == "missing":
        return nn.load(tmp_path / "nothing.npz")
    if kind == "unreadable":
        path.write_text("not a zip")
    if kind == "foreign":
        np.savez(path, a=np.ones(1))
    if kind == "unsaveable":
        return nn.save({"x": object()}, path)
    return nn.load(path)


def saved_array_write():
    x = leaf([1.0, 2.0])
    loss = (x * x).sum()  # Mul saved x's array for backward
    x.data[0] = 5.0
    return loss


def optimizer_grad_shape():
    w = nn.Parameter(np.ones(3))
    w.grad = Tensor(np.ones(3))
    w.data = np.ones(4)  # replaced by hand after backward: the grad no longer fits
    nn.optim.SGD([w], lr=0.1).step()


def optimizer_state_shape():
    w = nn.Parameter(np.ones(3))
    state = {"state": {0: {"momentum_buffer": np.ones(4)}}, "param_groups": [{"lr": 0.1}]}
    nn.optim.SGD([w], lr=0.1, momentum=0.9).load_state_dict(state)


class _PlainList(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(2, 2)]


def _tied_conflict():
    lin = nn.Linear(2, 2)
    net = nn.Sequential(lin, lin)
    state = net.state_dict()
    state["1.weight"] = state["1.weight"] + 1
    net.load_state_dict(state)


def _reads_lr():
    opt = nn.optim.SGD(_net().parameters(), lr=0.1)
    opt.lr = 0.01


def _groups_mismatch():
    net = _net()
    opt = nn.optim.SGD(net.parameters(), lr=0.1)
    state = opt.state_dict()
    state["param_groups"] = state["param_groups"] * 2
    opt.load_state_dict(state)


def _clip_nonfinite():
    w = nn.Parameter(np.ones(2))
    w.grad = Tensor(np.array([np.inf, 1.0]))
    nn.utils.clip_grad_norm_([w], 1.0, error_if_nonfinite=True)


def _npy_checkpoint(tmp_path):
    np.save(tmp_path / "a.npy", np.ones(2))
    return nn.load(tmp_path / "a.npy")


def _torch():
    return __import__("torch")


class _Mine(nn.Module):
    """A layer of one's own, which nn.export does not know."""

    def forward(self, x):
        return x


def _without_torch():
    import sys
    saved = sys.modules.pop("torch", None)
    sys.modules["torch"] = None  # `import torch` now fails
    try:
        nn.export.to_torch(_net())
    finally:
        del sys.modules["torch"]
        if saved is not None:
            sys.modules["torch"] = saved


def _registered(kind, converter, call, target=None):
    def run():
        nn.export.register(kind, converter, target)
        try:
            call()
        finally:
            nn.export.unregister(kind)
    return run


def _extra_parameter():
    layer = nn.Linear(2, 2)
    layer.extra = nn.Parameter(np.ones(2))
    nn.export.to_torch(layer)


def _onnx(model, example, tmp_path, **options):
    return nn.export.to_onnx(model, example, tmp_path / "m.onnx", **options)


class _FixedBatch(nn.Module):
    def forward(self, x):
        if x.shape[0] != 2:
            raise ValueError("batches of 2 only")
        return x


class _Pair(nn.Module):
    def forward(self, x):
        return x, x


def _identity(graph, layer, x):
    return graph.op("Identity", x)


TRIGGERS = {
    "backward-twice": backward_twice,
    "backward-no-graph": lambda: Tensor([1.0]).backward(),
    "backward-not-scalar": lambda: (leaf([1.0, 2.0]) * 2).backward(),
    "backward-gradient-shape": lambda: (leaf([1.0, 2.0]) * 2).backward(np.ones(3)),
    "grad-unused-input": lambda: ag.grad((leaf([1.0]) * 2).sum(), [leaf([1.0])]),
    "grad-input-no-grad": lambda: ag.grad((leaf([1.0]) * 2).sum(), [Tensor([1.0])]),
    "grad-not-tensor": lambda: ag.grad([[1.0]], [leaf([1.0])]),
    "grad-outputs-count": lambda: ag.grad([leaf([1.0]) * 2, leaf([1.0]) * 3], [leaf([1.0])],
                                          grad_outputs=Tensor([1.0])),
    "int-requires-grad": lambda: Tensor([1, 2], requires_grad=True),
    "requires-grad-off-non-leaf": lambda: (leaf([1.0]) * 2).requires_grad_(False),
    "retain-grad-no-grad": lambda: Tensor([1.0]).retain_grad(),
    "hook-no-grad": lambda: Tensor([1.0]).register_hook(print),
    "hook-wrong-shape": hook_wrong_shape,
    "broadcast-shapes": lambda: Tensor(np.ones((2, 3))) + Tensor(np.ones(4)),
    "matmul-shapes": lambda: Tensor(np.ones((2, 3))) @ Tensor(np.ones((2, 3))),
    "matmul-0d": lambda: Tensor(1.0) @ Tensor(np.ones(2)),
    "reshape-size": lambda: Tensor(np.ones(6)).reshape(4, 2),
    "transpose-axes": lambda: Tensor(np.ones((2, 3, 4))).transpose((0, 1)),
    "transpose-ambiguous": lambda: Tensor(np.ones((2, 3))).transpose(0, 1),
    "flatten-order-and-dims": lambda: Tensor(np.ones((2, 3))).flatten("F", 1),
    "flatten-order": lambda: Tensor(np.ones((2, 3))).flatten("X"),
    "expand-shape": lambda: Tensor(np.ones((2, 3))).expand(4, 3),
    "squeeze-axis": lambda: Tensor(np.ones((2, 3))).squeeze(0),
    "axis-range": lambda: Tensor(np.ones((2, 3))).sum(axis=2),
    "cat-shapes": lambda: ag.cat([Tensor(np.ones((2, 3))), Tensor(np.ones((3, 3)))], axis=1),
    "stack-shapes": lambda: ag.stack([Tensor(np.ones(2)), Tensor(np.ones(3))]),
    "pad-widths": lambda: Tensor(np.ones((2, 3))).pad(((1, 1),) * 3),
    "max-empty": lambda: Tensor(np.ones((0,))).max(),
    "item-many": lambda: Tensor([1.0, 2.0]).item(),
    "truth-ambiguous": lambda: bool(Tensor([1.0, 2.0])),
    "len-0d": lambda: len(Tensor(1.0)),
    "tensor-bad-data": lambda: Tensor(["a"]),
    "tensor-from-value": lambda: Tensor(Value(1.0)),
    "mix-value-tensor": lambda: Tensor([1.0]) * Value(1.0),
    "value-bad-operand": lambda: Value(1.0) + "2",
    "value-log": lambda: Value(-1.0).log(),
    "numpy-no-rule": lambda: np.nanmax(leaf([1.0, 2.0])),
    "scipy-no-rule": lambda: __import__("scipy.special").special.i0(leaf([0.5])),
    "ufunc-method-no-rule": lambda: np.add.reduceat(leaf([1.0, 2.0]), [0]),
    "array-of-grad-tensor": lambda: np.array([leaf(1.0), leaf(2.0)]),
    "numpy-keyword-refused": lambda: np.var(leaf([1.0, 2.0]), mean=np.array(0.0)),
    "numpy-out": lambda: np.add(leaf([1.0]), 1.0, out=np.empty(1)),
    "numpy-out-no-rule": lambda: np.round(Tensor([7.7]), out=leaf([1.0])),
    "reduction-second-positional": lambda: Tensor(np.ones((2, 3))).sum(0, np.float32),
    "tensordot-axis": lambda: np.tensordot(Tensor(np.ones(3)), Tensor(np.ones((4, 3))), ([1], [0])),
    "diff-axis-none": lambda: np.diff(Tensor(np.ones(3)), axis=None),
    "gradient-spacing-grad": lambda: np.gradient(leaf([1.0, 4.0, 9.0]), leaf([0.0, 1.0, 2.0])),
    "gradient-coordinates": lambda: np.gradient(Tensor([1.0, 4.0, 9.0]), np.arange(5.0)),
    "pinv-cut": lambda: np.linalg.pinv(leaf(np.diag([3.0, 1.0, 0.1])), rcond=0.5),
    "pinv-hermitian": lambda: np.linalg.pinv(leaf(np.eye(2)), hermitian=True),
    "ufunc-where": lambda: np.add(leaf([1.0, 2.0]), 1.0, where=np.array([True, False])),
    "ufunc-keyword": lambda: np.matmul(leaf(np.ones((2, 2))), np.ones((2, 2)), axes=[(0, 1)] * 3),
    "ufunc-subok": lambda: np.exp(leaf([1.0]), subok=False),
    "ufunc-dtype-no-gradient": lambda: np.add(leaf([1.5]), 1.0, dtype=np.int64, casting="unsafe"),
    "reduction-dtype-no-gradient": lambda: np.sum(leaf([1.5, 2.5]), dtype=np.int64),
    "nan-to-num-in-place": lambda: np.nan_to_num(leaf([1.0]), copy=False),
    "put-along-axis-in-place": lambda: np.put_along_axis(leaf([1.0, 2.0]), np.array([0]), 5.0, axis=0),
    "numpy-in-place": lambda: np.copyto(leaf([1.0, 2.0]), np.zeros(2)),
    "numpy-in-place-into-array": lambda: np.copyto(np.zeros(2), leaf([1.0, 2.0])),
    "clip-both-bounds": lambda: np.clip(leaf([1.0]), a_min=0.0, min=0.5),
    "tensor-repeat-ambiguous": lambda: leaf([[1.0, 2.0]]).repeat(2, 1),
    "tensor-repeat-count": lambda: leaf([[1.0, 2.0]]).repeat(2, 1, axis=0),
    "tensor-sort-in-place": lambda: leaf([2.0, 1.0]).sort(axis=-1),
    "tensor-sort-no-arguments": lambda: Tensor([2.0, 1.0]).sort(),
    "axis-bool": lambda: Tensor(np.ones((2, 3))).var(True),
    "scan-one-axis": lambda: np.cumsum(Tensor(np.ones((2, 3))), axis=(0, 1)),
    "gather-index-shape": lambda: Tensor(np.ones((1, 3))).gather(1, np.zeros((3, 1), int)),
    "index-list-of-lists": lambda: Tensor(np.ones((2, 3)))[[[0, 1], [1, 0]]],
    "index-integer-apart": lambda: Tensor(np.ones((2, 3, 4)))[0, :, [1, 2]],
    "index-uint8": lambda: Tensor([1.0, 2.0])[np.array([1, 0], np.uint8)],
    "grad-own": lambda: (lambda t: setattr(t, "grad", t))(leaf([1.0])),
    "grad-read-freed": lambda: _grad_read_freed(),
    "value-of-value": lambda: Value(Value(1.0) * 2),
    "logspace-fourth": lambda: ag.logspace(0, 3, 4, 2),
    "tensor-requires-grad-type": lambda: Tensor(2, 3),
    "div-rounding-mode": lambda: Tensor([1.0]).div(2.0, rounding_mode="floor"),
    "tensor-sort-keywords": lambda: leaf([2.0, 1.0]).sort(kind="stable", dim=0),
    "tensor-sort-positional": lambda: Tensor([2.0, 1.0]).sort(0),
    "tensor-sort-axis-descending": lambda: Tensor([2.0, 1.0]).sort(axis=0, descending=True),
    "scan-0d-positional": lambda: Tensor(2.0).cumsum(0),
    "dim-one-int": lambda: Tensor(np.ones((2, 2))).cumsum(dim=()),
    "sort-order": lambda: np.sort(leaf([2.0, 1.0]), order="x"),
    "masked-fill-mask": lambda: leaf([1.0, 2.0]).masked_fill(np.array([1, 0]), 0.0),
    "masked-fill-value": lambda: leaf([1.0, 2.0]).masked_fill(np.array([True, False]), leaf([0.0, 1.0])),
    "split-sizes": lambda: leaf([1.0, 2.0, 3.0]).split([1, 1]),
    "split-size": lambda: leaf([1.0, 2.0, 3.0]).split(0),
    "chunk-count": lambda: leaf([1.0, 2.0, 3.0]).chunk(0),
    "split-0d": lambda: Tensor(2.0).split(1),
    "topk-range": lambda: leaf([1.0, 2.0, 3.0]).topk(4),
    "norm-dim-and-axis": lambda: leaf([1.0, 2.0]).norm(dim=0, axis=0),
    "norm-keepdim-both": lambda: leaf([1.0, 2.0]).norm(keepdim=True, keepdims=False),
    "norm-nuclear": lambda: leaf([1.0, 2.0]).norm(p="nuc"),
    "einsum-subscripts": lambda: np.einsum("ij->i", leaf([1.0, 2.0])),
    "einsum-letters": lambda: np.einsum("i1->i", leaf(np.ones((2, 2)))),
    "tensordot-axes": lambda: np.tensordot(leaf(np.ones((2, 3))), np.ones((2, 3)), axes=([1], [0])),
    "indices-not-integers": lambda: np.take(leaf([1.0, 2.0]), np.array([0.5])),
    "take-mode": lambda: np.take(leaf([1.0, 2.0]), [0], mode="nearest"),
    "pad-mode": lambda: np.pad(leaf([1.0, 2.0]), 1, mode="linear_ramp"),
    "pad-reflect-odd": lambda: np.pad(leaf([1.0, 2.0]), 1, mode="reflect", reflect_type="odd"),
    "pad-constant-tensor": lambda: np.pad(leaf([1.0, 2.0]), 1, constant_values=leaf(3.0)),
    "sliding-window-writeable": lambda: np.lib.stride_tricks.sliding_window_view(
        leaf([1.0, 2.0, 3.0]), 2, writeable=True),
    "linalg-square": lambda: np.linalg.inv(leaf(np.ones((2, 3)))),
    "linalg-singular": lambda: np.linalg.inv(leaf(np.ones((2, 2)))),
    "svd-full-matrices": lambda: np.linalg.svd(leaf(np.ones((2, 3)))),
    "svd-hermitian": lambda: np.linalg.svd(leaf(np.eye(2)), hermitian=True),
    "function-grad-count": lambda: _OneGrad.apply(leaf([1.0]), leaf([2.0])).sum().backward(),
    "function-grad-shape": lambda: _BadShape.apply(leaf([1.0, 2.0])).sum().backward(),
    "gradcheck-upstream": lambda: ag.gradcheck(_UnscaledSum.apply, (leaf([1.0, 2.0]),)),
    "gradcheck-mismatch": lambda: ag.gradcheck(_Wrong.apply, (leaf([1.0, 2.0]),)),
    "gradcheck-nothing": lambda: ag.gradcheck(lambda t: t * 2, (Tensor([1.0]),)),
    "saved-array-write": saved_array_write,
    "anomaly-nan": anomaly,
    "hessian-not-scalar": lambda: ag.functional.hessian(lambda x: x * 2, Tensor(np.ones(3))),
    "inplace-leaf": lambda: leaf([1.0]).add_(1.0),
    "inplace-result": lambda: (leaf([1.0]) * 2).mul_(2.0),
    "inplace-grad-operand": lambda: Tensor([1.0]).add_(leaf([1.0])),
    "inplace-shape": lambda: Tensor(np.ones(2)).add_(np.ones((3, 2))),
    "inplace-dtype": lambda: Tensor(np.array([1, 2])).add_(0.5),
    "second-order-after-inplace": second_order_after_inplace,
    "backward-under-no-grad": backward_under_no_grad,
    "clip-no-bounds": lambda: Tensor([1.0]).clip(),
    "max-tensor-argument": lambda: Tensor([1.0]).max(Tensor([2.0])),
    "axis-and-dim": lambda: Tensor(np.ones((2, 2))).sum(axis=0, dim=1),
    "ddof-and-unbiased": lambda: Tensor(np.ones(3)).var(ddof=0, unbiased=True),
    "dim-one-axis": lambda: Tensor(np.ones((2, 2))).max(dim=(0, 1)),
    "format-many": lambda: format(Tensor([1.0, 2.0]), ".2f"),
    "copy-non-leaf": lambda: __import__("copy").deepcopy(leaf([1.0]) * 2),
    "value-array": lambda: Value(np.ones(2)),
    "functional-vector-shape": lambda: ag.functional.jvp(lambda x: x * 2, Tensor(np.ones(3)),
                                                         Tensor(np.ones(2))),
    "functional-vjp-v": lambda: ag.functional.vjp(lambda x: x * 2, Tensor(np.ones(3))),
    "functional-not-tensor": lambda: ag.functional.jacobian(lambda x: x * 2, np.ones(2)),
    "complex-result": lambda: leaf([1.0]) + 1j,
    "grad-assign-type": lambda: setattr(leaf([1.0]), "grad", np.ones(1)),
    "grad-assign-shape": lambda: setattr(leaf([1.0]), "grad", Tensor(np.ones(2))),
    "inplace-view": inplace_view,
    "inplace-shared-array": inplace_shared_array,
    "second-order-twins": twins_twice,
    "max-positional": lambda: Tensor(np.ones((2, 2))).max(1),
    "var-positional": lambda: Tensor(np.ones((2, 2))).var(1, True),
    "unsqueeze-axis": lambda: Tensor(np.ones(2)).unsqueeze(),
    "integer-sizes": lambda: Tensor(np.ones(6)).reshape(2.5, 2),
    "flatten-axes": lambda: Tensor(np.ones((2, 3))).flatten(1, 0),
    "t-more-than-2d": lambda: Tensor(np.ones((2, 2, 2))).t(),
    "index-select-index": lambda: Tensor(np.ones((2, 2))).index_select(0, np.ones((1, 1), int)),
    "value-text": lambda: Value("3"),
    "grad-of-grad": grad_of_grad,
    "module-no-super-init": lambda: _NoSuper(),
    "linear-width": lambda: nn.Linear(3, 2)(np.ones((5, 2), dtype=np.float32)),
    "load-state-keys": lambda: _net().load_state_dict({}),
    "load-state-shape": lambda: _net().load_state_dict({"0.weight": np.ones(5), "0.bias": np.ones(2)}),
    "sequential-not-module": lambda: nn.Sequential(print),
    "optimizer-empty": lambda: nn.optim.SGD([], lr=0.1),
    "optimizer-duplicate": lambda: nn.optim.SGD([_net()[0].weight] * 2, lr=0.1),
    "optimizer-not-parameter": lambda: nn.optim.Adam(nn.Linear(2, 2)),
    "optimizer-hyperparameter": lambda: nn.optim.SGD(_net().parameters(), lr=-1.0),
    "optimizer-grad-shape": optimizer_grad_shape,
    "optimizer-state-shape": optimizer_state_shape,
    "loss-reduction": lambda: nn.MSELoss(reduction="avg"),
    "loss-target-range": lambda: nn.functional.cross_entropy(np.zeros((2, 4)), np.array([0, 4])),
    "loss-target-shape": lambda: nn.functional.cross_entropy(np.zeros((3, 4)), np.array([0, 1])),
    "loss-no-class-axis": lambda: nn.functional.cross_entropy(Tensor(1.0), np.array(0)),
    "loss-target-float": lambda: nn.functional.nll_loss(np.zeros((2, 3)), np.array([0.5, 1.0])),
    "loss-shape-mismatch": lambda: nn.functional.mse_loss(np.zeros((3, 4)), np.zeros(4)),
    "bce-range": lambda: nn.functional.binary_cross_entropy(Tensor([0.5, 1.5]), np.array([0.0, 1.0])),
    "batches-lengths": lambda: list(nn.data.batches(np.ones((10, 2)), np.ones(3))),
    "checkpoint-missing": lambda tmp_path: _checkpoint("missing", tmp_path),
    "checkpoint-unreadable": lambda tmp_path: _checkpoint("unreadable", tmp_path),
    "checkpoint-foreign": lambda tmp_path: _checkpoint("foreign", tmp_path),
    "checkpoint-unsaveable": lambda tmp_path: _checkpoint("unsaveable", tmp_path),
    "module-plain-list": lambda: _PlainList(),
    "buffer-exists": lambda: nn.Linear(2, 2).register_buffer("weight", np.ones(2)),
    "load-state-tied-conflict": _tied_conflict,
    "load-state-dtype": lambda: nn.BatchNorm1d(2).load_state_dict(
        dict(nn.BatchNorm1d(2).state_dict(), num_batches_tracked=np.array(1.5))),
    "modulelist-forward": lambda: nn.ModuleList([nn.ReLU()])(Tensor([1.0])),
    "layer-input-not-numbers": lambda: nn.Linear(1, 1)(np.array([["a"]])),
    "dropout-probability": lambda: nn.Dropout(1.5),
    "embedding-index-range": lambda: nn.Embedding(3, 2)(np.array([0, 3])),
    "embedding-padding-idx": lambda: nn.functional.embedding(
        np.array([0]), nn.Embedding(5, 2).weight, padding_idx=7),
    "dropout-inplace": lambda: nn.Dropout(0.2, True),
    "conv-option": lambda: nn.Conv2d(3, 8, 3, 1, 1, False),
    "batch-norm-input": lambda: nn.functional.batch_norm(np.ones(3), None, None, training=True),
    "loss-weight": lambda: nn.functional.cross_entropy(np.ones((2, 3)), np.array([0, 1]),
                                                       np.ones(3)),
    "loss-deprecated": lambda: nn.MSELoss("sum"),
    "loss-ignore-index": lambda: nn.NLLLoss(ignore_index=0),
    "loss-label-smoothing": lambda: nn.CrossEntropyLoss(label_smoothing=0.1),
    "bce-target-range": lambda: nn.functional.binary_cross_entropy(np.array([0.5]),
                                                                   np.array([2.0])),
    "softmax-no-axis": lambda: nn.Softmax()(np.ones((2, 3, 4))),
    "softmax-axis-and-dim": lambda: nn.functional.softmax(np.ones(3), 0, dim=0),
    "kaiming-mode": lambda: nn.init.kaiming_uniform_(nn.Parameter(np.zeros((2, 2))), 0, "relu"),
    "optimizer-torch-option": lambda: nn.optim.SGD(
        [{"params": [nn.Parameter(np.ones(1))], "maximize": True}], lr=0.1),
    "embedding-index-dtype": lambda: nn.Embedding(3, 2)(np.array([0.0, 1.0])),
    "layer-norm-shape": lambda: nn.LayerNorm(4)(np.ones((2, 5))),
    "batch-norm-shape": lambda: nn.BatchNorm1d(3)(np.ones((2, 4))),
    "batch-norm-one-value": lambda: nn.BatchNorm1d(3)(np.ones((1, 3))),
    "gelu-approximate": lambda: nn.GELU("fast"),
    "conv-input-shape": lambda: nn.Conv2d(1, 1, 3)(np.ones((4, 4))),
    "conv-channels": lambda: nn.Conv2d(3, 1, 3)(np.ones((1, 2, 5, 5))),
    "conv-kernel-too-large": lambda: nn.Conv2d(1, 1, 5)(np.ones((1, 1, 3, 3))),
    "conv-same-stride": lambda: nn.Conv2d(1, 1, 3, stride=2, padding="same"),
    "conv-size-argument": lambda: nn.MaxPool2d((2, 2, 2))(np.ones((1, 1, 4, 4))),
    "cross-entropy-float-labels": lambda: nn.functional.cross_entropy(np.zeros((4, 3)),
                                                                      np.array([0.0, 1, 2, 1])),
    "optimizer-no-attribute": _reads_lr,
    "optimizer-group-overlap": lambda: nn.optim.Adam([{"params": list(_net().parameters())}] * 2),
    "optimizer-single-tensor": lambda: nn.optim.SGD(nn.Parameter(np.ones(2)), lr=0.1),
    "optimizer-set": lambda: nn.optim.SGD(set(_net().parameters()), lr=0.1),
    "optimizer-state-groups": _groups_mismatch,
    "scheduler-not-optimizer": lambda: nn.optim.lr_scheduler.StepLR(object(), step_size=2),
    "clip-nonfinite": _clip_nonfinite,
    "checkpoint-npy": _npy_checkpoint,
    "scalar-neuron-inputs": lambda: nn.scalar.Neuron(2)([1.0, 2.0, 3.0]),
    "viz-no-dot": viz_no_dot,
    "viz-steps-freed": viz_steps_freed,
    "viz-weights-shape": _matplotlib_weights,
    "viz-weights-not-matrix": _plots(lambda: viz.show_weights(np.ones(4))),
    "viz-not-node": lambda: viz.draw_graph(3.0),
    "viz-params": lambda: viz.draw_graph(Value(1.0) * 2, params={"w": 2.0}),
    "explore-freed": explore_freed,
    "explore-option": lambda: viz.explore(Value(1.0) * 2, collapse=True),
    "history-log": _plots(lambda: viz.plot_history([1.0, 0.0], log=True)),
    "grad-flow-no-grad": _plots(lambda: viz.grad_flow(_net())),
    "grad-flow-source": _plots(lambda: viz.grad_flow([1.0, 2.0])),
    "grad-flow-zero": _plots(lambda: viz.grad_flow(_StandInHistory([1.0]))),
    "grad-flow-ax": _plots(lambda: viz.grad_flow(_StandInHistory([1.0]), ax=object())),
    "export-missing-package": _without_torch,
    "export-register-class": lambda: nn.export.register(_Mine(), print),
    "export-register-callable": lambda: nn.export.register(_Mine, None),
    "export-register-type": lambda: nn.export.register(int, print),
    "export-register-target": lambda: nn.export.register(_Mine, print, target="tf"),
    "export-register-from-torch": lambda: nn.export.register(_torch().nn.Hardtanh, print, "onnx"),
    "to-torch-not-module": lambda: nn.export.to_torch(print),
    "to-torch-unknown-layer": lambda: nn.export.to_torch(nn.Sequential(_Mine())),
    "to-torch-converter-result": _registered(_Mine, lambda layer: "a string",
                                             lambda: nn.export.to_torch(_Mine())),
    "from-torch-converter-result": lambda: _registered(
        _torch().nn.Hardtanh, lambda module: "a string",
        lambda: nn.export.from_torch(_torch().nn.Hardtanh()))(),
    "export-state-differs": _extra_parameter,
    "export-state-values": _registered(nn.Linear, lambda layer: _torch().nn.Linear(2, 2),
                                       lambda: nn.export.to_torch(nn.Linear(2, 2))),
    "from-torch-not-module": lambda: nn.export.from_torch(_net()),
    "from-torch-unknown-layer": lambda: nn.export.from_torch(_torch().nn.Conv1d(1, 1, 1)),
    "from-torch-option": lambda: nn.export.from_torch(_torch().nn.Conv2d(1, 1, 3, dilation=2)),
    "from-torch-softmax-dim": lambda: nn.export.from_torch(_torch().nn.Softmax()),
    "from-torch-dtype": lambda: nn.export.from_torch(_torch().nn.Linear(2, 2).bfloat16()),
    "load-state-torch-dtype": lambda: nn.Linear(2, 2).load_state_dict(
        {k: v.bfloat16() for k, v in _torch().nn.Linear(2, 2).state_dict().items()}),
    "to-onnx-not-module": lambda tmp_path: _onnx(print, np.ones((1, 2)), tmp_path),
    "to-onnx-opset": lambda tmp_path: _onnx(_net(), np.ones((1, 2)), tmp_path, opset=13),
    "to-onnx-example": lambda tmp_path: _onnx(_net(), np.array(1.0), tmp_path),
    "to-onnx-unknown-layer": lambda tmp_path: _onnx(_Mine(), np.ones((1, 2)), tmp_path),
    "to-onnx-layer-output": lambda tmp_path: _registered(
        _Pair, _identity, lambda: _onnx(_Pair(), np.ones((2, 2)), tmp_path), "onnx")(),
    "to-onnx-batch": lambda tmp_path: _registered(
        _FixedBatch, _identity, lambda: _onnx(_FixedBatch(), np.ones((2, 2)), tmp_path), "onnx")(),
    "to-onnx-rank": lambda tmp_path: _onnx(nn.Conv2d(1, 1, 3), np.ones((1, 5, 5)), tmp_path),
    "to-onnx-embedding-indices": lambda tmp_path: _onnx(nn.Embedding(3, 2), np.ones((2, 3)),
                                                        tmp_path),
    "to-onnx-training-mode": lambda tmp_path: _onnx(nn.Sequential(nn.Dropout(0.5)),
                                                    np.ones((2, 3)), tmp_path),
}
EXCEPTIONS = {"GradcheckError": ag.GradcheckError, "GraphvizNotFound": viz.GraphvizNotFound,
              "LinAlgError": np.linalg.LinAlgError,
              "StateDictMismatch": nn.module.StateDictMismatch,
              "StateDictError": nn.module.StateDictError}


def test_every_documented_error_has_a_test_and_back():
    assert sorted(ROWS) == sorted(TRIGGERS)


@pytest.mark.parametrize("error_id", sorted(TRIGGERS))
def test_error_as_documented(error_id, tmp_path):
    type_name, phrase = ROWS[error_id]
    expected = EXCEPTIONS.get(type_name) or getattr(builtins, type_name)
    trigger = TRIGGERS[error_id]
    with pytest.raises(expected) as info:
        trigger(tmp_path) if trigger.__code__.co_argcount == 1 else trigger()
    assert type(info.value).__name__ == type_name
    assert phrase in str(info.value), str(info.value)
