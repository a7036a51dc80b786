"""Arrays as the explorer's details panel shows them: the numbers of a small
array, or a heatmap (one image per unit for a layer whose inputs are square
images, such as 64 inputs as 8x8), kept small: quantized to one byte per
pixel and shrunk to at most HEAT_MAX pixels a side."""
import base64
import math

import numpy as np

from autograd_core import Tensor

from .text import number, summary

MAX_NUMBERS = 64
HEAT_MAX = 128
MAX_TILES = 64


def payload(x):
    """JSON-ready description of a number or an array."""
    if isinstance(x, (int, float)):
        return {"rows": [[number(x)]]}
    a = x.data if isinstance(x, Tensor) else np.asarray(x)
    if a.size <= MAX_NUMBERS or not np.issubdtype(a.dtype, np.number):
        flat = a.reshape(1, -1) if a.ndim <= 1 else a.reshape(-1, a.shape[-1])
        if flat.size > MAX_NUMBERS:  # booleans, say: a summary only
            return {"stats": summary(a)}
        return {"rows": [[number(v) for v in row] for row in flat.tolist()]}
    return {"stats": summary(a), "heat": heatmap(a.astype(np.float64))}


def heatmap(a):
    """One byte per pixel, 128 meaning 0, symmetric around 0 up to `scale`."""
    matrix = a.reshape(1, -1) if a.ndim <= 1 else a.reshape(-1, a.shape[-1])
    side = math.isqrt(matrix.shape[1])
    tiles = None
    if side >= 3 and side * side == matrix.shape[1] and matrix.shape[0] <= MAX_TILES:
        tiles = [side, side]  # each row is one square image: a unit's input weights
    else:
        matrix = shrink(matrix, HEAT_MAX)
    finite = np.where(np.isfinite(matrix), matrix, 0.0)
    scale = float(np.abs(finite).max()) or 1.0
    q = np.clip(np.rint(127.5 + 127.5 * finite / scale), 0, 255).astype(np.uint8)
    return {"rows": int(q.shape[0]), "cols": int(q.shape[1]), "tiles": tiles,
            "scale": number(scale), "b64": base64.b64encode(q.tobytes()).decode("ascii")}


def shrink(matrix, limit):
    """Block means, so that neither side exceeds `limit`."""
    fr, fc = (max(1, math.ceil(n / limit)) for n in matrix.shape)
    if fr == fc == 1:
        return matrix
    rows, cols = math.ceil(matrix.shape[0] / fr) * fr, math.ceil(matrix.shape[1] / fc) * fc
    padded = np.full((rows, cols), np.nan)
    padded[:matrix.shape[0], :matrix.shape[1]] = matrix
    blocks = padded.reshape(rows // fr, fr, cols // fc, fc)
    finite = np.isfinite(blocks)
    total = np.where(finite, blocks, 0.0).sum(axis=(1, 3))
    count = finite.sum(axis=(1, 3))
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)
