"""Every numpy gradient rule (numpy_api.py), called the way numpy users call
it: finite differences in float64 at first and second order, PyTorch where
PyTorch has the op (with a random upstream gradient), and float32 kept."""
import numpy as np
import pytest
import scipy.special as sp

import autograd_core as ag
from autograd_core import Tensor


def any_(rng, shape):
    return rng.standard_normal(shape)


def positive(rng, shape):
    return np.abs(rng.standard_normal(shape)) + 0.5


def unit(rng, shape):  # inside (-0.9, 0.9)
    return rng.uniform(-0.9, 0.9, shape)


def above_one(rng, shape):
    return rng.uniform(1.2, 3.0, shape)


def probability(rng, shape):
    return rng.uniform(0.1, 0.9, shape)


def distinct(rng, shape):  # no ties, no zeros: sorting and max stay smooth
    n = int(np.prod(shape))
    return (rng.permutation(n) + 1.0 + rng.uniform(0, 0.5, n)).reshape(shape) * rng.choice([-1, 1])


def spd(rng, shape):  # symmetric positive definite, batched over leading axes
    a = rng.standard_normal(shape)
    return a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])


def well_conditioned(rng, shape):  # matrices near 3 I (other operands plain normal)
    if len(shape) < 2:
        return rng.standard_normal(shape)
    return rng.standard_normal(shape) + 3 * np.eye(shape[-2], shape[-1])


def away(rng, shape):  # clear of 0 and of integer ratios
    return np.sign(rng.standard_normal(shape)) * rng.uniform(0.3, 1.7, shape)


def T(t):
    return np.swapaxes(t, -1, -2)


def sym_lower(a):
    """A symmetric matrix made from a's lower triangle (so every entry counts)."""
    low = np.tril(a)
    return low + T(np.tril(a, -1))


def torch_sym_lower(a):
    import torch
    return torch.tril(a) + torch.tril(a, -1).transpose(-1, -2)


def t_(name):
    """torch.<name>, looked up only when the comparison runs."""
    def call(*args, **kwargs):
        import torch
        f = torch
        for part in name.split("."):
            f = getattr(f, part)
        return f(*args, **kwargs)
    return call


# numpy's own deprecation, raised before the call reaches the rule
pytestmark = pytest.mark.filterwarnings("ignore:`row_stack` alias is deprecated:DeprecationWarning")

RNG = np.random.default_rng(7)
MASK = RNG.standard_normal((3, 4)) > 0
INDEX = np.array([2, 0, 2, 1, 2])  # repeated: the gradient accumulates
ALONG = np.array([[0, 2, 2, 1], [1, 1, 0, 0], [2, 0, 1, 2]])
NAN_MASK = np.array([False, True, False])
WEIGHTS = np.array([0.5, 2.0, 1.0, 0.25])

# name: (ours, PyTorch's or None, input shapes, input maker)
RULES = {
    # elementwise, one input
    "log2": (np.log2, t_("log2"), [(2, 3)], positive),
    "log10": (np.log10, t_("log10"), [(2, 3)], positive),
    "log1p": (np.log1p, t_("log1p"), [(2, 3)], positive),
    "expm1": (np.expm1, t_("expm1"), [(2, 3)], any_),
    "exp2": (np.exp2, t_("exp2"), [(2, 3)], any_),
    "tan": (np.tan, t_("tan"), [(2, 3)], unit),
    "sinh": (np.sinh, t_("sinh"), [(2, 3)], any_),
    "cosh": (np.cosh, t_("cosh"), [(2, 3)], any_),
    "arcsin": (np.arcsin, t_("asin"), [(2, 3)], unit),
    "arccos": (np.arccos, t_("acos"), [(2, 3)], unit),
    "arctan": (np.arctan, t_("atan"), [(2, 3)], any_),
    "arcsinh": (np.arcsinh, t_("asinh"), [(2, 3)], any_),
    "arccosh": (np.arccosh, t_("acosh"), [(2, 3)], above_one),
    "arctanh": (np.arctanh, t_("atanh"), [(2, 3)], unit),
    "reciprocal": (np.reciprocal, t_("reciprocal"), [(2, 3)], positive),
    "square": (np.square, t_("square"), [(2, 3)], any_),
    "cbrt": (np.cbrt, lambda x: x.sign() * x.abs() ** (1 / 3), [(2, 3)], away),
    "fabs": (np.fabs, t_("abs"), [(2, 3)], away),
    "deg2rad": (np.deg2rad, t_("deg2rad"), [(2, 3)], any_),
    "radians": (np.radians, t_("deg2rad"), [(2, 3)], any_),
    "rad2deg": (np.rad2deg, t_("rad2deg"), [(2, 3)], any_),
    "degrees": (np.degrees, t_("rad2deg"), [(2, 3)], any_),
    "sinc": (np.sinc, t_("sinc"), [(2, 3)], any_),
    "nan_to_num": (lambda x: np.nan_to_num(x + np.array([np.nan, 0, -np.inf], x.dtype), posinf=9.0),
                   lambda x: (x + x.new_tensor([np.nan, 0, -np.inf])).nan_to_num(posinf=9.0),
                   [(2, 3)], any_),
    "positive": (np.positive, lambda x: +x, [(2,)], any_),
    "conjugate": (np.conj, t_("conj"), [(2,)], any_),
    "real": (np.real, lambda x: x, [(2,)], any_),
    "copy": (lambda x: np.copy(x) * 2, lambda x: x.clone() * 2, [(2, 3)], any_),
    # elementwise, two inputs
    "remainder": (np.remainder, t_("remainder"), [(2, 3), (3,)], away),
    "mod_operator": (lambda a, b: a % b, lambda a, b: a % b, [(2, 3), (3,)], away),
    "rmod": (lambda a: 5.3 % a, lambda a: 5.3 - (5.3 / a).floor() * a, [(3,)], away),
    "fmod": (np.fmod, t_("fmod"), [(2, 3), (3,)], away),
    "logaddexp": (np.logaddexp, t_("logaddexp"), [(2, 3), (3,)], any_),
    "logaddexp2": (np.logaddexp2, t_("logaddexp2"), [(2, 3), (3,)], any_),
    "fmax": (np.fmax, t_("fmax"), [(2, 3), (3,)], any_),
    "fmin": (np.fmin, t_("fmin"), [(2, 3), (3,)], any_),
    "arctan2": (np.arctan2, t_("atan2"), [(2, 3), (3,)], away),
    "hypot": (np.hypot, t_("hypot"), [(2, 3), (3,)], away),
    "copysign": (np.copysign, t_("copysign"), [(2, 3), (3,)], away),
    "float_power": (lambda a: np.float_power(a, 2.5), lambda a: a ** 2.5, [(3,)], positive),
    # reductions and scans
    "var": (lambda x: np.var(x, axis=1), lambda x: x.var(dim=1, unbiased=False), [(3, 4)], any_),
    "var_ddof": (lambda x: np.var(x, ddof=1, keepdims=True), lambda x: x.var().reshape(1, 1),
                 [(3, 4)], any_),
    "std": (lambda x: np.std(x, 0), lambda x: x.std(dim=0, unbiased=False), [(3, 4)], any_),
    "std_ddof": (lambda x: np.std(x, axis=(0, 1), ddof=2), lambda x: x.std(correction=2),
                 [(3, 4)], any_),
    "cumsum": (lambda x: np.cumsum(x, axis=1), lambda x: x.cumsum(1), [(3, 4)], any_),
    "cumsum_flat": (np.cumsum, lambda x: x.flatten().cumsum(0), [(3, 4)], any_),
    "cumprod": (lambda x: np.cumprod(x, 0), lambda x: x.cumprod(0), [(3, 4)], any_),
    "cumprod_with_zero": (lambda x: np.cumprod(x * np.array([1.0, 0.0, 1.0, 1.0], x.dtype)),
                          lambda x: (x * x.new_tensor([1.0, 0.0, 1.0, 1.0])).cumprod(0), [(4,)], any_),
    # (nan put in with where: x * nan would give x a nan gradient there, rightly)
    "nansum": (lambda x: np.nansum(np.where(NAN_MASK, np.nan, x), axis=0),
               lambda x: x.masked_fill(x.new_tensor(NAN_MASK).bool(), np.nan).nansum(0),
               [(2, 3)], any_),
    "nanmean": (lambda x: np.nanmean(np.where(NAN_MASK, np.nan, x), axis=1),
                lambda x: x.masked_fill(x.new_tensor(NAN_MASK).bool(), np.nan).nanmean(1),
                [(2, 3)], any_),
    "average": (lambda x: np.average(x, axis=1, weights=WEIGHTS.astype(x.dtype)),
                lambda x: (x * x.new_tensor(WEIGHTS)).sum(1) / WEIGHTS.sum(), [(3, 4)], any_),
    "average_full_weights": (lambda x, w: np.average(x, weights=w), None, [(3,), (3,)], positive),
    "ptp": (lambda x: np.ptp(x, axis=0), lambda x: x.amax(0) - x.amin(0), [(3, 4)], distinct),
    "cumulative_sum": (lambda x: np.cumulative_sum(x, axis=1, include_initial=True),
                       lambda x: t_("cat")([x[:, :1] * 0, x.cumsum(1)], 1), [(2, 3)], any_),
    "cumulative_prod": (lambda x: np.cumulative_prod(x), lambda x: x.cumprod(0), [(4,)], any_),
    "gradient": (lambda x: np.gradient(x, 0.5, axis=1, edge_order=2), lambda x: t_("gradient")(
        x, spacing=0.5, dim=1, edge_order=2)[0], [(3, 4)], any_),
    "gradient_coordinates": (lambda x: np.gradient(x, np.array([0.0, 0.5, 1.5, 1.75])),
                             lambda x: t_("gradient")(x, spacing=(x.new_tensor([0.0, 0.5, 1.5, 1.75]),))[0],
                             [(4,)], any_),
    "diff": (lambda x: np.diff(x, n=2, axis=0), lambda x: x.diff(n=2, dim=0), [(4, 3)], any_),
    "diff_prepend": (lambda x: np.diff(x, prepend=np.full(1, 0.5, x.dtype)),
                     lambda x: x.diff(prepend=x.new_tensor([0.5])),
                     [(4,)], any_),
    # products
    "dot_2d": (np.dot, t_("matmul"), [(2, 3), (3, 4)], any_),
    "dot_nd": (np.dot, lambda a, b: t_("tensordot")(a, b, ([2], [1])), [(2, 2, 3), (2, 3, 2)], any_),
    "dot_scalar": (np.dot, t_("mul"), [(), (2, 3)], any_),
    "inner": (np.inner, t_("inner"), [(2, 3), (4, 3)], any_),
    "outer": (np.outer, t_("outer"), [(3,), (2,)], any_),
    "vdot": (np.vdot, lambda a, b: t_("vdot")(a.flatten(), b.flatten()), [(2, 3), (3, 2)], any_),
    "tensordot": (lambda a, b: np.tensordot(a, b, axes=([1, 0], [0, 2])),
                  lambda a, b: t_("tensordot")(a, b, ([1, 0], [0, 2])), [(2, 3, 2), (3, 2, 2)], any_),
    "tensordot_int": (lambda a, b: np.tensordot(a, b, 1), lambda a, b: t_("tensordot")(a, b, 1),
                      [(2, 3), (3, 2)], any_),
    "einsum_matmul": (lambda a, b: np.einsum("ij,jk->ik", a, b),
                      lambda a, b: t_("einsum")("ij,jk->ik", a, b), [(2, 3), (3, 2)], any_),
    "einsum_implicit_ellipsis": (lambda a, b: np.einsum("...ij,...jk", a, b),
                                 lambda a, b: t_("einsum")("...ij,...jk", a, b),
                                 [(2, 1, 2, 3), (3, 3, 2)], any_),
    "einsum_diagonal_trace": (lambda a: np.einsum("ii->i", a) + np.einsum("jj", a),
                              lambda a: t_("einsum")("ii->i", a) + t_("einsum")("jj", a), [(3, 3)], any_),
    "einsum_summed_alone": (lambda a, b: np.einsum("ij,k->k", a, b),
                            lambda a, b: t_("einsum")("ij,k->k", a, b), [(2, 3), (2,)], any_),
    "einsum_three": (lambda a, b, c: np.einsum("ijk,lji,lli->lki", a, b, c),
                     lambda a, b, c: t_("einsum")("ijk,lji,lli->lki", a, b, c),
                     [(2, 2, 2), (2, 2, 2), (2, 2, 2)], any_),
    "einsum_sublists": (lambda a, b: np.einsum(a, [0, 1], b, [1, 2], [0, 2]),
                        lambda a, b: a @ b, [(2, 3), (3, 2)], any_),
    "kron": (np.kron, t_("kron"), [(2, 2), (3, 1)], any_),
    "cross": (np.cross, lambda a, b: t_("linalg.cross")(a, b), [(2, 3), (2, 3)], any_),
    "cross_axis": (lambda a, b: np.cross(a, b, axisa=0, axisb=0),
                   lambda a, b: t_("linalg.cross")(a.T, b.T), [(3, 2), (3, 2)], any_),
    "trace": (lambda a: np.trace(a, offset=1), lambda a: t_("diagonal")(a, 1).sum(), [(3, 4)], any_),
    "trace_3d": (lambda a: np.trace(a, axis1=1, axis2=2), lambda a: t_("diagonal")(a, 0, 1, 2).sum(-1),
                 [(2, 3, 3)], any_),
    "matmul": (np.matmul, t_("matmul"), [(2, 3), (3,)], any_),
    "multiply_outer": (np.multiply.outer, lambda a, b: a[:, :, None] * b, [(2, 3), (2,)], any_),
    "add_reduce": (lambda x: np.add.reduce(x, axis=1), lambda x: x.sum(1), [(2, 3)], any_),
    "multiply_accumulate": (lambda x: np.multiply.accumulate(x), lambda x: x.cumprod(0), [(3, 2)], any_),
    # shape
    "ravel": (np.ravel, t_("flatten"), [(2, 3)], any_),
    "ravel_F": (lambda x: np.ravel(x, order="F"), lambda x: x.T.flatten(), [(2, 3)], any_),
    "ravel_method": (lambda x: x.ravel(), t_("flatten"), [(2, 3)], any_),
    "reshape_F": (lambda x: np.reshape(x, (3, 2), order="F"), lambda x: x.T.reshape(2, 3).T,
                  [(2, 3)], any_),
    "transpose": (lambda x: np.transpose(x, (1, 2, 0)), lambda x: x.permute(1, 2, 0), [(2, 3, 4)], any_),
    "permute_dims": (lambda x: np.permute_dims(x), lambda x: x.permute(2, 1, 0), [(2, 3, 4)], any_),
    "matrix_transpose": (np.matrix_transpose, lambda x: x.mT, [(2, 3, 4)], any_),
    "broadcast_to": (lambda x: np.broadcast_to(x, (2, 3)), lambda x: x.expand(2, 3), [(3,)], any_),
    "atleast_1d": (np.atleast_1d, t_("atleast_1d"), [()], any_),
    "moveaxis": (lambda x: np.moveaxis(x, 0, -1), lambda x: t_("movedim")(x, 0, -1), [(2, 3, 4)], any_),
    "rollaxis": (lambda x: np.rollaxis(x, 2, 1), lambda x: x.permute(0, 2, 1), [(2, 3, 4)], any_),
    "swapaxes_keywords": (lambda x: np.swapaxes(x, axis1=0, axis2=2), lambda x: x.transpose(0, 2),
                          [(2, 3, 4)], any_),
    "atleast_2d": (np.atleast_2d, t_("atleast_2d"), [(3,)], any_),
    "atleast_3d": (np.atleast_3d, t_("atleast_3d"), [(2, 3)], any_),
    "flip": (lambda x: np.flip(x, 1), lambda x: x.flip(1), [(2, 3)], any_),
    "flipud": (np.flipud, t_("flipud"), [(2, 3)], any_),
    "fliplr": (np.fliplr, t_("fliplr"), [(2, 3)], any_),
    "rot90": (lambda x: np.rot90(x, 3), lambda x: t_("rot90")(x, 3), [(2, 3)], any_),
    "roll": (lambda x: np.roll(x, 2, axis=1), lambda x: x.roll(2, 1), [(2, 3)], any_),
    "roll_flat": (lambda x: np.roll(x, -4), lambda x: x.roll(-4), [(2, 3)], any_),
    "tile": (lambda x: np.tile(x, (2, 1, 2)), lambda x: x.tile((2, 1, 2)), [(2, 3)], any_),
    "repeat": (lambda x: np.repeat(x, 2, axis=1), lambda x: x.repeat_interleave(2, 1), [(2, 3)], any_),
    "repeat_counts": (lambda x: np.repeat(x, [1, 0, 3]), lambda x: x.repeat_interleave(
        x.new_tensor([1, 0, 3]).long()), [(3,)], any_),
    "diag_extract": (lambda x: np.diag(x, k=-1), lambda x: t_("diag")(x, -1), [(3, 3)], any_),
    "diag_build": (lambda x: np.diag(x, 1), lambda x: t_("diag")(x, 1), [(3,)], any_),
    "diagonal": (lambda x: np.diagonal(x, 0, 0, 2), lambda x: t_("diagonal")(x, 0, 0, 2),
                 [(3, 2, 3)], any_),
    "tril": (lambda x: np.tril(x, k=1), lambda x: t_("tril")(x, 1), [(2, 3, 3)], any_),
    "triu": (lambda x: np.triu(x, -1), lambda x: t_("triu")(x, -1), [(3, 4)], any_),
    "pad_constant": (lambda x: np.pad(x, ((1, 0), (0, 2)), constant_values=0.5),
                     lambda x: t_("nn.functional.pad")(x, (0, 2, 1, 0), value=0.5), [(2, 3)], any_),
    "pad_reflect": (lambda x: np.pad(x, 2, mode="reflect"),
                    lambda x: t_("nn.functional.pad")(x[None], (2, 2), mode="reflect")[0], [(4,)], any_),
    "pad_edge": (lambda x: np.pad(x, (1, 2), mode="edge"),
                 lambda x: t_("nn.functional.pad")(x[None], (1, 2), mode="replicate")[0], [(3,)], any_),
    "pad_wrap": (lambda x: np.pad(x, (2, 1), mode="wrap"),
                 lambda x: t_("nn.functional.pad")(x[None], (2, 1), mode="circular")[0], [(3,)], any_),
    "take_repeated": (lambda x: np.take(x, INDEX, axis=1), lambda x: x[:, INDEX], [(2, 3)], any_),
    "take_flat": (lambda x: np.take(x, INDEX), lambda x: x.flatten()[INDEX], [(2, 3)], any_),
    "take_along_axis": (lambda x: np.take_along_axis(x, ALONG, axis=0),
                        lambda x: t_("take_along_dim")(x, x.new_tensor(ALONG).long(), 0),
                        [(3, 4)], any_),
    "put_along_axis": (lambda x, v: ag.put_along_axis(x, ALONG[:1], v, axis=0), None,
                       [(3, 4), (1, 4)], any_),
    "put_along_axis_repeats": (lambda x, v: ag.put_along_axis(x, np.array([[0, 0, 1]]), v, axis=1),
                               None, [(2, 3), (2, 3)], any_),
    "sliding_window_view": (lambda x: np.lib.stride_tricks.sliding_window_view(x, (2, 2)),
                            lambda x: x.unfold(0, 2, 1).unfold(1, 2, 1), [(3, 4)], any_),
    "sliding_window_axis": (lambda x: np.lib.stride_tricks.sliding_window_view(x, 3, axis=-1),
                            lambda x: x.unfold(1, 3, 1), [(2, 5)], any_),
    "expand_dims": (lambda x: np.expand_dims(x, (0, 2)), lambda x: x[None, :, None], [(2, 3)], any_),
    "squeeze_axes": (lambda x: np.squeeze(x, axis=(0, 2)), lambda x: x.squeeze(2).squeeze(0),
                     [(1, 3, 1)], any_),
    "broadcast_arrays": (lambda a, b: sum(np.broadcast_arrays(a, b)), lambda a, b: a + b,
                         [(2, 1), (3,)], any_),
    # joining and splitting
    "append": (np.append, lambda a, b: t_("cat")([a.flatten(), b.flatten()]), [(2, 2), (3,)], any_),
    "concatenate_none": (lambda a, b: np.concatenate([a, b], axis=None),
                         lambda a, b: t_("cat")([a.flatten(), b.flatten()]), [(2, 2), (3,)], any_),
    "stack": (lambda a, b: np.stack((a, b), axis=-1), lambda a, b: t_("stack")([a, b], -1),
              [(2, 3), (2, 3)], any_),
    "concatenate": (lambda a, b: np.concatenate((a, b), 1), lambda a, b: t_("cat")([a, b], 1),
                    [(2, 3), (2, 1)], any_),
    "row_stack": (lambda a, b: np.row_stack([a, b]), lambda a, b: t_("vstack")([a, b]),
                  [(3,), (3,)], any_),
    "vstack": (lambda a, b: np.vstack([a, b]), lambda a, b: t_("vstack")([a, b]), [(3,), (2, 3)], any_),
    "hstack": (lambda a, b: np.hstack((a, b)), lambda a, b: t_("hstack")([a, b]), [(2, 1), (2, 3)], any_),
    "dstack": (lambda a, b: np.dstack((a, b)), lambda a, b: t_("dstack")([a, b]), [(2, 3), (2, 3)], any_),
    "column_stack": (lambda a, b: np.column_stack((a, b)), lambda a, b: t_("column_stack")([a, b]),
                     [(3,), (3, 2)], any_),
    "split": (lambda x: np.split(x, 2, axis=1)[1], lambda x: x[:, 2:], [(3, 4)], any_),
    "array_split": (lambda x: np.array_split(x, 3)[0], lambda x: x[:2], [(5, 2)], any_),
    "split_indices": (lambda x: np.split(x, [1, 3])[1] * 2, lambda x: x[1:3] * 2, [(4,)], any_),
    "vsplit": (lambda x: np.vsplit(x, 2)[1], lambda x: x[2:], [(4, 2)], any_),
    "hsplit": (lambda x: np.hsplit(x, [1])[1], lambda x: x[:, 1:], [(2, 3)], any_),
    "dsplit": (lambda x: np.dsplit(x, 2)[0], lambda x: x[..., :1], [(2, 2, 2)], any_),
    # sorting and selection
    "sort": (lambda x: np.sort(x, axis=0), lambda x: x.sort(0).values, [(3, 4)], distinct),
    "sort_flat": (lambda x: np.sort(x, axis=None), lambda x: x.flatten().sort().values, [(2, 3)], distinct),
    "partition": (lambda x: np.partition(x, 2), None, [(2, 4)], distinct),
    "select": (lambda a, b: np.select([MASK, ~MASK & (a.data > 0)], [a, b], default=0.5),
               lambda a, b: t_("where")(t_("tensor")(MASK), a, t_("where")(
                   t_("tensor")(~MASK) & (a > 0), b, 0.5)), [(3, 4), (3, 4)], any_),
    "where_one_tensor": (lambda a: np.where(MASK, a, 2.0), lambda a: t_("where")(
        t_("tensor")(MASK), a, 2.0), [(3, 4)], any_),
    "where_two_tensors": (lambda a, b: np.where(MASK, a, b), lambda a, b: t_("where")(
        t_("tensor")(MASK), a, b), [(3, 4), (4,)], any_),
    "choose": (lambda a, b: np.choose(MASK.astype(int), [a, b]), lambda a, b: t_("where")(
        t_("tensor")(MASK), b, a), [(3, 4), (4,)], any_),
    "linspace": (lambda a, b: np.linspace(a, b, 5), lambda a, b: a + (b - a) * t_("linspace")(
        0, 1, 5, dtype=a.dtype), [(), ()], any_),
    "linspace_arrays": (lambda a, b: np.linspace(a, b, 3, endpoint=False, axis=1), None,
                        [(2,), (2,)], any_),
    "full_like_fill": (lambda x, v: np.full_like(x, v) * x, lambda x, v: v.expand_as(x) * x,
                       [(2, 3), ()], any_),
    "topk": (lambda x: x.topk(2, dim=1).values, lambda x: x.topk(2, dim=1).values, [(2, 4)], distinct),
    "clip_keywords": (lambda x: np.clip(x, a_min=-0.5, a_max=0.5), lambda x: x.clamp(-0.5, 0.5),
                      [(3, 4)], away),
    "clip_tensor_bounds": (lambda x, lo: np.clip(x, lo, 1.0), lambda x, lo: x.maximum(lo).clamp(
        max=1.0), [(3, 4), (4,)], distinct),
    # linear algebra
    "norm": (np.linalg.norm, t_("linalg.norm"), [(2, 3)], any_),
    "norm_axis": (lambda x: np.linalg.norm(x, axis=1, keepdims=True),
                  lambda x: t_("linalg.norm")(x, dim=1, keepdim=True), [(2, 3)], any_),
    "norm_ord3": (lambda x: np.linalg.norm(x, ord=3, axis=0), lambda x: t_("linalg.norm")(
        x, ord=3, dim=0), [(2, 3)], away),
    "norm_ord1": (lambda x: np.linalg.norm(x, 1), lambda x: t_("linalg.norm")(x, 1), [(4,)], away),
    "norm_inf": (lambda x: np.linalg.norm(x, np.inf), lambda x: t_("linalg.norm")(x, float("inf")),
                 [(4,)], distinct),
    "norm_fro": (lambda x: np.linalg.norm(x, "fro", axis=(0, 2)), lambda x: t_("linalg.norm")(
        x, "fro", dim=(0, 2)), [(2, 3, 2)], any_),
    "norm_nuc": (lambda x: np.linalg.norm(x, "nuc"), lambda x: t_("linalg.norm")(x, "nuc"), [(3, 2)], any_),
    "norm_2": (lambda x: np.linalg.norm(x, 2), lambda x: t_("linalg.norm")(x, 2), [(3, 2)], any_),
    "norm_matrix_1": (lambda x: np.linalg.norm(x, 1), lambda x: t_("linalg.norm")(x, 1), [(3, 3)], distinct),
    "norm_matrix_inf": (lambda x: np.linalg.norm(x, -np.inf), lambda x: t_("linalg.norm")(
        x, -float("inf")), [(3, 3)], distinct),
    "norm_method": (lambda x: x.norm(dim=1), lambda x: x.norm(dim=1), [(2, 3)], any_),
    "inv": (np.linalg.inv, t_("linalg.inv"), [(2, 3, 3)], well_conditioned),
    "det": (np.linalg.det, t_("linalg.det"), [(2, 3, 3)], any_),
    "slogdet": (lambda x: np.linalg.slogdet(x)[1], lambda x: t_("linalg.slogdet")(x)[1], [(3, 3)], any_),
    "solve": (np.linalg.solve, t_("linalg.solve"), [(3, 3), (3, 2)], well_conditioned),
    "solve_vector": (np.linalg.solve, t_("linalg.solve"), [(2, 3, 3), (3,)], well_conditioned),
    "pinv": (np.linalg.pinv, t_("linalg.pinv"), [(3, 2)], any_),
    "pinv_wide": (np.linalg.pinv, t_("linalg.pinv"), [(2, 3)], any_),
    "cholesky": (lambda x: np.linalg.cholesky(sym_lower(x)),
                 lambda x: t_("linalg.cholesky")(torch_sym_lower(x)), [(3, 3)], spd),
    "cholesky_upper": (lambda x: np.linalg.cholesky(T(sym_lower(x)), upper=True),
                       lambda x: t_("linalg.cholesky")(torch_sym_lower(x), upper=True), [(3, 3)], spd),
    "eigh": (lambda x: np.linalg.eigh(sym_lower(x))[0] + np.abs(np.linalg.eigh(sym_lower(x))[1]).sum(0),
             lambda x: t_("linalg.eigh")(torch_sym_lower(x))[0] + t_("linalg.eigh")(
                 torch_sym_lower(x))[1].abs().sum(0), [(3, 3)], spd),
    "eigh_upper": (lambda x: np.linalg.eigh(x, UPLO="U")[0], None, [(2, 3, 3)], spd),
    "eigvalsh": (lambda x: np.linalg.eigvalsh(sym_lower(x)), lambda x: t_("linalg.eigvalsh")(
        torch_sym_lower(x)), [(3, 3)], spd),
    "svd_values": (lambda x: np.linalg.svd(x, compute_uv=False), t_("linalg.svdvals"), [(3, 2)], any_),
    "svd_vectors": (lambda x: _svd_fixed_signs(np.linalg.svd(x, full_matrices=False)),
                    lambda x: _svd_fixed_signs(t_("linalg.svd")(x, full_matrices=False)),
                    [(2, 3)], any_),
    "svd_vectors_tall": (lambda x: _svd_fixed_signs(np.linalg.svd(x, full_matrices=False)),
                         lambda x: _svd_fixed_signs(t_("linalg.svd")(x, full_matrices=False)),
                         [(2, 4, 3)], any_),
    # scipy.special
    "erf": (sp.erf, t_("special.erf"), [(2, 3)], any_),
    "erfc": (sp.erfc, t_("special.erfc"), [(2, 3)], any_),
    "erfinv": (sp.erfinv, t_("special.erfinv"), [(2, 3)], unit),
    "erfcinv": (sp.erfcinv, lambda x: t_("special.erfinv")(1 - x), [(2, 3)], lambda r, s: r.uniform(0.2, 1.8, s)),
    "ndtr": (sp.ndtr, t_("special.ndtr"), [(2, 3)], any_),
    "gamma": (sp.gamma, lambda x: t_("special.gammaln")(x).exp(), [(2, 3)], positive),
    "expit": (sp.expit, t_("special.expit"), [(2, 3)], any_),
    "logit": (sp.logit, t_("special.logit"), [(2, 3)], probability),
    "gammaln": (sp.gammaln, t_("special.gammaln"), [(2, 3)], positive),
    "digamma": (sp.digamma, t_("special.digamma"), [(2, 3)], positive),
    "psi": (sp.psi, t_("special.psi"), [(3,)], positive),
    "xlogy": (sp.xlogy, t_("special.xlogy"), [(2, 3), (3,)], positive),
    "xlog1py": (sp.xlog1py, t_("special.xlog1py"), [(2, 3), (3,)], positive),
    "xlogy_x_zero": (lambda x, y: sp.xlogy(x * np.array([0.0, 1.0, 0.0], x.dtype), y),
                     lambda x, y: t_("special.xlogy")(x * x.new_tensor([0.0, 1.0, 0.0]), y),
                     [(2, 3), (3,)], positive),
}


def _svd_fixed_signs(usv):
    """U, S, Vh with each singular pair's sign fixed (the first row of U
    positive), so that the result is a smooth function to check."""
    u, s, vh = usv
    sign = np.sign(u[..., :1, :]) if isinstance(u, Tensor) else u[..., :1, :].sign()
    return (u * sign).sum(-2) + s + (vh * sign.swapaxes(-1, -2)).sum(-1) * 0.5


def make_inputs(name, rng):
    _, _, shapes, maker = RULES[name]
    return [maker(rng, s) for s in shapes]


@pytest.mark.parametrize("name", sorted(RULES))
def test_gradcheck(name, rng):
    ours = RULES[name][0]
    xs = [Tensor(x, requires_grad=True) for x in make_inputs(name, rng)]
    assert ag.gradcheck(ours, xs)


@pytest.mark.parametrize("name", sorted(RULES))
def test_gradgradcheck(name, rng):
    ours = RULES[name][0]
    xs = [Tensor(x, requires_grad=True) for x in make_inputs(name, rng)]
    assert ag.gradgradcheck(ours, xs)


@pytest.mark.parametrize("name", sorted(n for n in RULES if RULES[n][1] is not None))
def test_against_torch(name, rng, torch):
    ours, theirs, _, _ = RULES[name]
    arrays = make_inputs(name, rng)
    xs = [Tensor(x, requires_grad=True) for x in arrays]
    ts = [torch.tensor(x, requires_grad=True) for x in arrays]
    out, tout = ours(*xs), theirs(*ts)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-9, atol=1e-12)
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    tout.backward(torch.tensor(upstream))
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-8, atol=1e-10)


# numpy computes these in float64 whatever the input
ALWAYS_FLOAT64 = {"float_power"}


@pytest.mark.parametrize("name", sorted(set(RULES) - ALWAYS_FLOAT64))
def test_float32_stays_float32(name, rng):
    ours = RULES[name][0]
    xs = [Tensor(x.astype(np.float32), requires_grad=True) for x in make_inputs(name, rng)]
    out = ours(*xs)
    assert out.dtype == np.float32
    out.backward(np.ones(out.shape, dtype=np.float32))
    for x in xs:
        assert x.grad.dtype == np.float32
