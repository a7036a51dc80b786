"""Convolution and pooling on NCHW arrays: `Conv2d`, `MaxPool2d`, `AvgPool2d`.

Each is one op, an `ag.Function`: forward gathers the kernel-sized windows
of the input as a view (`sliding_window_view`) and contracts them with the
kernel (`tensordot`); backward is written with numpy calls only (pad,
reshape, sliding windows, tensordot), so that under create_graph, where it
runs on Tensors, the engine records it and it differentiates again.
"""
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import autograd_core as ag

from . import functional as F
from . import init
from .module import Module, Parameter


_DEFAULTS = {"dilation": 1, "groups": 1, "padding_mode": "zeros"}


def _only_default(what, **options):
    """Refuse an option of PyTorch's that is not implemented here, unless it has its default."""
    for name, value in options.items():
        default = _DEFAULTS[name]
        if name == "dilation" and isinstance(value, tuple) and value == (1, 1):
            continue
        if type(value) is bool or not isinstance(value, (type(default), np.integer)) \
                or value != default:
            raise ValueError(
                f"{what}: {name}={value!r} is not implemented here (only {name}={default!r}); "
                "note that the arguments after padding are dilation, groups, bias and "
                "padding_mode, in PyTorch's order: pass bias=False by keyword")


def _pair(value, name):
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, (int, np.integer)) for v in pair):
        raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
    return int(pair[0]), int(pair[1])


def _windows(x, kernel, stride):
    """(N, C, H', W', kh, kw): the kernel-sized windows of x, stride apart."""
    return sliding_window_view(x, kernel, axis=(2, 3))[:, :, ::stride[0], ::stride[1]]


def _pad(x, padding):
    (top, bottom), (left, right) = padding
    if not (top or bottom or left or right):
        return x
    return np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))


def _dilate(g, stride):
    """g (N, C, H, W) with stride - 1 zeros between neighbours along H and W."""
    sh, sw = stride
    if (sh, sw) == (1, 1):
        return g
    n, c, h, w = g.shape
    g = np.pad(g.reshape(n, c, h, 1, w, 1), ((0, 0),) * 3 + ((0, sh - 1), (0, 0), (0, sw - 1)))
    return g.reshape(n, c, h * sh, w * sw)[:, :, :(h - 1) * sh + 1, :(w - 1) * sw + 1]


def _col2im(cols, shape, stride):
    """The adjoint of _windows: add each window (N, C, H', W', kh, kw) back
    into an array of `shape` (N, C, H, W) at its place."""
    n, c, h, w = shape
    ho, wo, kh, kw = cols.shape[2:]
    if tuple(stride) == (kh, kw):  # windows tile the input: a reshape puts them back
        out = cols.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, ho * kh, wo * kw)
        return _pad(out, ((0, h - ho * kh), (0, w - wo * kw)))
    total = 0
    for i in range(kh):
        for j in range(kw):
            d = _dilate(cols[:, :, :, :, i, j], stride)
            total = total + _pad(d, ((i, h - i - d.shape[2]), (j, w - j - d.shape[3])))
    return total


class Conv2dFunction(ag.Function):
    """out[n, o] = bias[o] + sum over c, i, j of weight[o, c, i, j] * x[n, c, s*h + i, s*w + j]
    (cross-correlation, as in PyTorch), x padded with zeros first."""

    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding):
        ctx.save_for_backward(x, weight)
        ctx.stride, ctx.padding = stride, padding
        cols = _windows(_pad(x, padding), weight.shape[2:], stride)
        out = np.tensordot(cols, weight, axes=([1, 4, 5], [1, 2, 3]))  # (N, H', W', O)
        if bias is not None:
            out += bias
        return np.ascontiguousarray(out.transpose(0, 3, 1, 2))

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        need_x, need_w, need_b = ctx.needs_input_grad[:3]
        stride, padding = ctx.stride, ctx.padding
        dx = dw = db = None
        if need_w:
            cols = _windows(_pad(x, padding), weight.shape[2:], stride)
            dw = np.tensordot(grad, cols, axes=([0, 2, 3], [0, 2, 3]))
        if need_b:
            db = grad.sum(axis=(0, 2, 3))
        if need_x:
            dx = _conv_input_grad(grad, weight, x.shape, stride, padding)
        return dx, dw, db


def _conv_input_grad(grad, weight, shape, stride, padding):
    """d(loss)/dx: the full correlation of the (dilated) upstream gradient
    with the kernel turned by 180 degrees, cut back to the unpadded input."""
    kh, kw = weight.shape[2:]
    (top, bottom), (left, right) = padding
    g = _pad(_dilate(grad, stride), ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    cols = sliding_window_view(g, (kh, kw), axis=(2, 3))  # (N, O, H'', W'', kh, kw)
    dxp = np.tensordot(cols, weight[:, :, ::-1, ::-1], axes=([1, 4, 5], [0, 2, 3]))
    dxp = dxp.transpose(0, 3, 1, 2)  # (N, C, H'', W'')
    h, w = shape[2] + top + bottom, shape[3] + left + right
    # rows and columns that no window reached (stride left them over) get 0
    dxp = _pad(dxp, ((0, h - dxp.shape[2]), (0, w - dxp.shape[3])))
    return dxp[:, :, top:top + shape[2], left:left + shape[3]]


def _check_input(x, what, channels=None):
    if x.ndim != 4:
        raise ValueError(f"{what} takes input shaped (N, C, H, W) or (C, H, W), got {x.shape}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{what} expects {channels} input channels (axis 1), got shape {x.shape}")


def _batched(fn, x, *args):
    """PyTorch's layers also take one unbatched image (C, H, W)."""
    if x.ndim == 3:
        y = fn(x.reshape((1,) + x.shape), *args)
        return y.reshape(y.shape[1:])
    return fn(x, *args)


def _padding(padding, kernel, stride):
    if padding == "valid":
        return ((0, 0), (0, 0))
    if padding == "same":
        if stride != (1, 1):
            raise ValueError("padding='same' needs stride 1 (as in PyTorch)")
        return tuple(((k - 1) // 2, k - 1 - (k - 1) // 2) for k in kernel)
    ph, pw = _pair(padding, "padding")
    if ph < 0 or pw < 0:
        raise ValueError(f"padding must be >= 0, got {padding!r}")
    return ((ph, ph), (pw, pw))


def _window_count(size, kernel, stride, what):
    if size < kernel:
        raise ValueError(f"{what}: the kernel ({kernel}) is larger than the (padded) input "
                         f"({size})")
    return (size - kernel) // stride + 1


def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of x (N, C, H, W) with weight (O, C, kh, kw), as
    torch.nn.functional.conv2d, its arguments in its order; padding an int, a
    pair, "valid" or "same". Only dilation 1 and groups 1 are implemented:
    other values are refused, not ignored."""
    _only_default("conv2d", dilation=dilation, groups=groups)
    x = F.as_tensor(x)
    stride = _pair(stride, "stride")
    if min(stride) < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    pad = _padding(padding, weight.shape[2:], stride)
    return _batched(_conv2d, x, weight, bias, stride, pad)


def _conv2d(x, weight, bias, stride, pad):
    _check_input(x, "conv2d", weight.shape[1])
    for axis in (2, 3):
        _window_count(x.shape[axis] + sum(pad[axis - 2]), weight.shape[axis], stride[axis - 2],
                      "conv2d")
    return Conv2dFunction.apply(x, weight, bias, stride, pad)


class MaxPool2dFunction(ag.Function):
    """The largest value of each window; its gradient goes to the first
    largest entry of the window (row by row), as in PyTorch."""

    @staticmethod
    def forward(ctx, x, kernel, stride):
        cols = _windows(x, kernel, stride)
        flat = cols.reshape(cols.shape[:4] + (-1,))
        first = flat.argmax(axis=-1)[..., None]
        ctx.save_for_backward((np.arange(flat.shape[-1]) == first).reshape(cols.shape)
                              .astype(x.dtype))
        ctx.shape, ctx.stride = x.shape, stride
        return np.take_along_axis(flat, first, axis=-1)[..., 0]

    @staticmethod
    def backward(ctx, grad):
        mask, = ctx.saved_tensors
        return _col2im(grad[..., None, None] * mask, ctx.shape, ctx.stride)


class AvgPool2dFunction(ag.Function):
    """The mean of each window."""

    @staticmethod
    def forward(ctx, x, kernel, stride):
        ctx.shape, ctx.stride, ctx.kernel = x.shape, stride, kernel
        return _windows(x, kernel, stride).mean(axis=(-2, -1))

    @staticmethod
    def backward(ctx, grad):
        kh, kw = ctx.kernel
        share = np.broadcast_to(grad[..., None, None] / (kh * kw), grad.shape + (kh, kw))
        return _col2im(share, ctx.shape, ctx.stride)


def _pool(function, what, x, kernel_size, stride):
    x = F.as_tensor(x)
    kernel = _pair(kernel_size, "kernel_size")
    stride = kernel if stride is None else _pair(stride, "stride")
    if min(kernel) < 1 or min(stride) < 1:
        raise ValueError(f"{what}: kernel_size and stride must be >= 1, got {kernel}, {stride}")

    def pool(x):
        _check_input(x, what)
        for axis in (2, 3):
            _window_count(x.shape[axis], kernel[axis - 2], stride[axis - 2], what)
        return function.apply(x, kernel, stride)
    return _batched(pool, x)


def max_pool2d(x, kernel_size, stride=None):
    """The maximum over kernel-sized windows, stride apart (default: kernel_size)."""
    return _pool(MaxPool2dFunction, "max_pool2d", x, kernel_size, stride)


def avg_pool2d(x, kernel_size, stride=None):
    """The mean over kernel-sized windows, stride apart (default: kernel_size)."""
    return _pool(AvgPool2dFunction, "avg_pool2d", x, kernel_size, stride)


class Conv2d(Module):
    """A 2-D convolution layer on NCHW input, as PyTorch's: weight
    (out_channels, in_channels, kh, kw) and bias drawn as PyTorch draws them
    (U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = in_channels * kh * kw).
    Input of any floating, integer or boolean dtype is cast to `dtype`."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", *, dtype=np.float32, rng=None):
        # PyTorch's arguments in PyTorch's order, so that Conv2d(3, 8, 3, 1, 1, 2) cannot
        # quietly mean something else here; only the defaults of the options not
        # implemented are accepted
        _only_default("Conv2d", dilation=dilation, groups=groups, padding_mode=padding_mode)
        super().__init__()
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        _padding(padding, self.kernel_size, self.stride)  # checked now, not at the first call
        self.padding = padding
        shape = (self.out_channels, self.in_channels) + self.kernel_size
        self.weight = Parameter(np.zeros(shape), dtype=dtype)
        init.kaiming_uniform_(self.weight, a=math.sqrt(5), rng=rng)
        self.bias = None
        if bias:
            fan_in, _ = init.fans(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in else 0.0
            self.bias = Parameter(np.zeros(self.out_channels), dtype=dtype)
            init.uniform_(self.bias, -bound, bound, rng)

    def forward(self, x):
        return conv2d(F.cast_input(x, self.weight.dtype), self.weight, self.bias, self.stride,
                      self.padding)

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, bias={self.bias is not None}")


class MaxPool2d(Module):
    def __init__(self, kernel_size, stride=None):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride if stride is not None else kernel_size

    def forward(self, x):
        return max_pool2d(x, self.kernel_size, self.stride)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}"


class AvgPool2d(MaxPool2d):
    def forward(self, x):
        return avg_pool2d(x, self.kernel_size, self.stride)
