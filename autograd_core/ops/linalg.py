"""Matrix product, numpy.matmul's rules: 1-D operands and batch broadcasting."""
import numpy as np

from ..function import Function
from ..tensor import Tensor


class Matmul(Function):
    """Both operands at least 2-D; batch dims broadcast (the engine sums them back)."""

    same_float = (0, 1)

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad  # a's gradient reads b, b's reads a
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (grad @ b.swapaxes(-1, -2) if need_a else None,
                a.swapaxes(-1, -2) @ grad if need_b else None)


def matmul(a, b):
    """`a @ b`: a 1-D operand is a row (left) or a column (right), dropped after."""
    a = a if isinstance(a, Tensor) else Tensor(np.asarray(a))
    b = b if isinstance(b, Tensor) else Tensor(np.asarray(b))
    x, y = a.data.shape, b.data.shape  # (the arrays' shapes: no Tensor property per check)
    if not x or not y:
        raise ValueError(f"matmul: operands must have at least 1 dimension, got shapes "
                         f"{x} and {y}; use * for scalars")
    rows = y[-2] if len(y) > 1 else y[0]
    if x[-1] != rows:
        raise ValueError(f"matmul: shapes {x} and {y} do not multiply: "
                         f"{x[-1]} columns against {rows} rows")
    row, col = len(x) == 1, len(y) == 1
    if not (row or col):  # (the common case)
        return Matmul.apply(a, b)
    out = Matmul.apply(a.reshape(1, -1) if row else a, b.reshape(-1, 1) if col else b)
    *batch, n, m = out.shape
    return out.reshape(tuple(batch) + ((n,) if not row else ()) + ((m,) if not col else ()))
