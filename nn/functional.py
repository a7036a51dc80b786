"""Activations, layers and losses as functions of Tensors (built on
autograd_core's public API only). Every loss takes reduction="mean" | "sum" |
"none". The functions of the layers in activation.py, layers.py,
normalization.py and conv.py are gathered here too, as in torch.nn.functional."""
import numpy as np

import autograd_core as ag
from autograd_core import Tensor


def as_tensor(x):
    """A Tensor for x; a numpy array is wrapped without a copy, as torch.as_tensor does."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray) and x.dtype.kind in "biuf":
        return ag.from_numpy(x)
    return Tensor(x)


def cast_input(x, dtype):
    """x as a Tensor of a layer's dtype. The rule for every layer with
    parameters: floating, integer or boolean input is cast to the parameters'
    dtype (as Keras does), so a float32 model computes in float32 whatever
    numpy made its data; a Tensor that requires grad gets its gradient back in
    its own dtype."""
    if not isinstance(x, Tensor):
        x = np.asarray(x)
        if x.dtype.kind not in "biuf":
            raise TypeError(f"a layer takes numbers, not {x.dtype} data")
        return ag.from_numpy(x if x.dtype == dtype else x.astype(dtype))
    return x if x.dtype == dtype else x.astype(dtype)


def sigmoid(x):
    return as_tensor(x).sigmoid()


def relu(x):
    return as_tensor(x).relu()


def tanh(x):
    return as_tensor(x).tanh()


def softmax(x, axis=None, *, dim=None):
    """Softmax over `axis` (or `dim`); without either, the last axis of 1-D
    and 2-D input, refused for more axes (where PyTorch's guess differs)."""
    x = as_tensor(x)
    return x.softmax(softmax_axis("softmax", x.ndim, axis, dim))


def log_softmax(x, axis=None, *, dim=None):
    x = as_tensor(x)
    return x.log_softmax(softmax_axis("log_softmax", x.ndim, axis, dim))


def linear(x, weight, bias=None):
    """x @ weight.T + bias, weight shaped (out_features, in_features), as one op."""
    return Linear.apply(as_tensor(x), weight, bias)


class Linear(ag.Function):
    """y = x @ W.T + b in one op. Fused, the gradient for W comes out as
    grad.T @ x, already in W's own (out, in) layout, where three separate ops
    (transpose, matmul, add) would hand back a transposed array."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        need_x, need_w, _ = ctx.needs_input_grad  # x's gradient reads the weight, the weight's x
        ctx.save_for_backward(x if need_w else None, weight if need_x else None)
        out = x @ weight.T
        if bias is None:
            return out
        if type(out) is np.ndarray and type(bias) is np.ndarray and bias.dtype is out.dtype \
                and bias.shape == out.shape[-1:]:
            out += bias  # matmul's fresh array, bias added in place: one pass, no new array
            return out
        return out + bias  # (promotes, or broadcasts to more than out's shape)

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad
        rows = grad.reshape(-1, grad.shape[-1])  # batch axes folded into one
        dx = grad @ weight if need_x else None
        dw = rows.T @ x.reshape(-1, x.shape[-1]) if need_w else None
        db = rows.sum(axis=0) if need_b else None
        return dx, dw, db


def one_hot(targets, num_classes=-1, dtype=np.int64):
    """Integer class labels as rows of 0s and 1s (int64, as in PyTorch)."""
    labels = _labels(targets)
    if num_classes is None or num_classes == -1:  # (-1: PyTorch's default, "count them")
        num_classes = int(labels.max()) + 1 if labels.size else 0
    _check_range(labels, num_classes, "one_hot")
    return Tensor(np.eye(num_classes, dtype=dtype)[labels])


def _check_reduction(reduction):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def _reduce(loss, reduction):
    _check_reduction(reduction)
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


def _labels(targets):
    labels = np.asarray(targets.data if isinstance(targets, Tensor) else targets)
    if labels.dtype.kind not in "iu":
        raise ValueError(f"class targets must be integers, got {labels.dtype} values; "
                         "for class probabilities pass a float array of the input's shape")
    return labels


def _class_axis(shape, what):
    """PyTorch's layout: classes on axis 1 of (N, C, d1, ...), axis 0 of (C,)."""
    if not shape:
        raise ValueError(f"{what}: the input needs a class axis: shape (C,), (N, C) or "
                         "(N, C, d1, ...), got a 0-d tensor")
    return 0 if len(shape) == 1 else 1


def _label_shape(shape, what):
    """The shape of integer targets for scores of `shape`: without the class axis."""
    axis = _class_axis(shape, what)
    return shape[:axis] + shape[axis + 1:]


def _class_labels(scores, targets, what):
    """Integer targets checked against scores shaped (N, C), (C,) for one
    example, or (N, C, d1, ...) with one target per position: (N, d1, ...)."""
    labels, shape = _labels(targets), scores.shape
    axis = 1 if len(shape) > 1 else _class_axis(shape, what)
    expected = shape[:1] + shape[2:] if axis else ()
    if labels.shape != expected:
        raise ValueError(f"{what}: for input shape {shape} (classes on axis {axis}) integer "
                         f"targets must have shape {expected}, got {labels.shape}")
    _check_range(labels, shape[axis], what)
    return labels


def _classes_last(scores):
    """(N, C, d1, ...) as (N, d1, ..., C): the fused op takes classes on the last axis."""
    return scores.permute(0, *range(2, scores.ndim), 1)


def _check_range(labels, num_classes, what):
    if labels.size and (np.minimum.reduce(labels, axis=None) < 0
                        or np.maximum.reduce(labels, axis=None) >= num_classes):
        bad = labels[(labels < 0) | (labels >= num_classes)][0]
        raise ValueError(f"{what}: class target {int(bad)} is out of range for {num_classes} "
                         f"classes (targets must lie in 0..{num_classes - 1})")


def _same_shape(input, target, what):
    if tuple(np.shape(target)) != input.shape:
        raise ValueError(f"{what}: target shape {tuple(np.shape(target))} does not match "
                         f"input shape {input.shape}")


def _torch_options(what, weight=None, size_average=None, reduce=None, ignore_index=-100,
                   label_smoothing=0.0, pos_weight=None):
    """The options of PyTorch's losses (in PyTorch's argument order, so that a
    positional one cannot be taken for `reduction`) that are not implemented
    here: refused unless they have PyTorch's default, never ignored."""
    if weight is not None or pos_weight is not None:
        name = "weight" if weight is not None else "pos_weight"
        raise ValueError(
            f"{what}: {name}= is not implemented here (in PyTorch's order, which this "
            "follows, a loss function's third positional argument and a Loss module's first "
            "are weight; pass reduction= by keyword). Weigh the per-element "
            "losses yourself: loss = f(input, target, reduction='none'), then "
            "(loss * w).sum() / w.sum() with w the weight of each target")
    if size_average is not None or reduce is not None:
        raise ValueError(f"{what}: size_average and reduce are PyTorch's deprecated spellings "
                         "of reduction; pass reduction='mean', 'sum' or 'none'")
    if ignore_index != -100:
        raise ValueError(f"{what}: ignore_index= is not implemented here; leave the ignored "
                         "targets out before the loss")
    if label_smoothing != 0.0:
        raise ValueError(f"{what}: label_smoothing= is not implemented here; pass smoothed "
                         "class probabilities as the targets instead")


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    _torch_options("mse_loss", weight, size_average, reduce)
    input = as_tensor(input)
    _same_shape(input, target, "mse_loss")
    diff = input - target
    return _reduce(diff * diff, reduction)


def nll_loss(log_probs, targets, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log-likelihood of integer targets, given log-probabilities
    as PyTorch lays them out: (N, C) with targets (N,), (C,) with one target,
    or (N, C, d1, ...) with targets (N, d1, ...); "mean" averages over every
    target."""
    _torch_options("nll_loss", weight, size_average, reduce, ignore_index)
    log_probs = as_tensor(log_probs)
    labels = _class_labels(log_probs, targets, "nll_loss")
    if log_probs.ndim == 1:
        return _reduce(-log_probs[int(labels)], reduction)
    if log_probs.ndim > 2:
        picked = np.take_along_axis(log_probs, labels[:, None], axis=1).squeeze(1)
    else:
        picked = log_probs[np.arange(labels.shape[0]), labels]
    return _reduce(-picked, reduction)


def cross_entropy(logits, targets, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy, as PyTorch's: logits (N, C) with integer
    targets (N,), (C,) with one, or (N, C, d1, ...) with targets (N, d1, ...)
    (classes on axis 1); or class probabilities of the logits' shape. "mean"
    averages over every target (N * d1 * ...). Stable for logits of any size."""
    _torch_options("cross_entropy", weight, size_average, reduce, ignore_index, label_smoothing)
    logits = as_tensor(logits)
    target_array = np.asarray(targets.data if isinstance(targets, Tensor) else targets)
    if target_array.dtype.kind == "f":
        if target_array.shape == _label_shape(logits.shape, "cross_entropy"):
            raise ValueError(
                f"cross_entropy: {target_array.dtype} targets of shape {target_array.shape} "
                "look like class labels, but class indices must be integers: pass "
                f"y.astype(np.int64) (or class probabilities of the input's shape {logits.shape})")
        _same_shape(logits, target_array, "cross_entropy with class probabilities")
        axis = _class_axis(logits.shape, "cross_entropy")
        return _reduce(-(logits.log_softmax(axis=axis) * targets).sum(axis=axis), reduction)
    labels = _class_labels(logits, target_array, "cross_entropy")
    _check_reduction(reduction)
    return SoftmaxCrossEntropy.apply(logits if logits.ndim <= 2 else _classes_last(logits),
                                     labels, reduction)


class SoftmaxCrossEntropy(ag.Function):
    """Per-row -log softmax(logits)[label], reduced as asked, as one op:
    logsumexp(z) - z[label] forward, softmax(z) - onehot(label) backward.
    Fused, it is faster (one op where there were three) and exact for logits
    of any size."""

    @staticmethod
    def forward(ctx, logits, labels, reduction="none"):
        # (ufunc reductions called directly: on a small batch the Python
        # wrappers of .max() and .sum() cost more than the work)
        shifted = logits - np.maximum.reduce(logits, axis=-1, keepdims=True)
        exp = np.exp(shifted)
        total = np.add.reduce(exp, axis=-1, keepdims=True)
        if ctx.needs_input_grad[0]:  # recorded: keep the softmax, and labels of our own
            ctx.save_for_backward(logits, labels.copy(), exp / total)
            ctx.reduction = reduction
        picked = shifted.reshape(-1, shifted.shape[-1])[np.arange(labels.size), labels.reshape(-1)]
        loss = np.log(total).reshape(-1) - picked
        if reduction == "none":
            return loss.reshape(labels.shape)
        total_loss = np.add.reduce(loss, axis=None)
        # a 0-d array (a numpy scalar the op would have to wrap), the count in the loss's dtype
        return np.asarray(total_loss / loss.dtype.type(labels.size) if reduction == "mean"
                          else total_loss)

    @staticmethod
    def backward(ctx, grad):
        logits, labels, probs = ctx.saved_tensors
        if not isinstance(logits, np.ndarray):
            # create_graph: the saved softmax would count as a constant; computed
            # again from the logits Tensor, it differentiates again
            e = np.exp(logits - logits.max(axis=-1, keepdims=True))
            probs = e / e.sum(axis=-1, keepdims=True)
        onehot = labels[..., None] == np.arange(logits.shape[-1])  # (bools count as 0 and 1)
        if ctx.reduction == "none":
            grad = grad[..., None]
        elif ctx.reduction == "mean" and labels.size:
            grad = grad / grad.dtype.type(labels.size)
        return (probs - onehot) * grad, None, None


def binary_cross_entropy(probs, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-(y log p + (1 - y) log(1 - p)), each log clamped at -100 as in PyTorch;
    p and the targets y must lie in [0, 1]."""
    _torch_options("binary_cross_entropy", weight, size_average, reduce)
    probs = as_tensor(probs)
    _same_shape(probs, target, "binary_cross_entropy")
    p = probs.data
    if p.size and (np.nanmin(p) < 0 or np.nanmax(p) > 1 or np.isnan(p).any()):
        raise ValueError("binary_cross_entropy: input probabilities must lie in [0, 1] (got "
                         f"values from {np.nanmin(p):.4g} to {np.nanmax(p):.4g}); for raw scores "
                         "use binary_cross_entropy_with_logits")
    y = np.asarray(target.data if isinstance(target, Tensor) else target)
    if y.size and not (np.min(y) >= 0 and np.max(y) <= 1):  # (nan fails too)
        raise ValueError("binary_cross_entropy: targets must lie in [0, 1] (got values from "
                         f"{np.min(y):.4g} to {np.max(y):.4g}), as in PyTorch")
    return _reduce(BinaryCrossEntropy.apply(probs, target), reduction)


class BinaryCrossEntropy(ag.Function):
    """Elementwise BCE with PyTorch's numerics: logs clamped at -100, and the
    slope's denominator p(1 - p) kept above 1e-12, so p = 0 or 1 stays finite."""

    @staticmethod
    def forward(ctx, p, y):
        ctx.save_for_backward(p, y)
        with np.errstate(divide="ignore"):
            return -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log(1 - p), -100))

    @staticmethod
    def backward(ctx, grad):
        p, y = ctx.saved_tensors
        need_p, need_y = ctx.needs_input_grad
        with np.errstate(divide="ignore"):
            dp = grad * (p - y) / np.maximum(p * (1 - p), 1e-12) if need_p else None
            dy = grad * (np.maximum(np.log(1 - p), -100) - np.maximum(np.log(p), -100)) if need_y else None
        return dp, dy


def binary_cross_entropy_with_logits(logits, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """BCE on raw scores: log(1 + e^z) - y z, with log(1 + e^z) computed as
    logsumexp(0, z), which is stable for any z and has slope sigmoid(z)."""
    _torch_options("binary_cross_entropy_with_logits", weight, size_average, reduce,
                   pos_weight=pos_weight)
    logits = as_tensor(logits)
    _same_shape(logits, target, "binary_cross_entropy_with_logits")
    zero = Tensor(np.zeros(logits.shape, dtype=logits.dtype))
    softplus = ag.stack([zero, logits], axis=-1).logsumexp(axis=-1)
    return _reduce(softplus - logits * target, reduction)


from .activation import (elu, gelu, leaky_relu, softmax_axis,  # noqa: E402  (they use as_tensor)
                         softplus)
from .conv import avg_pool2d, conv2d, max_pool2d  # noqa: E402
from .layers import dropout, embedding  # noqa: E402
from .normalization import batch_norm, layer_norm  # noqa: E402
