"""Sorting and selecting: the order is found on the plain numbers (it has no
gradient), then the values are picked with integer indexing, whose backward
sends each gradient back to where its value came from. Ties go to one of the
equal elements each, never twice."""
from collections import namedtuple

import numpy as np

from ..tensor import Tensor
from .common import as_tensor
from .gather import take_along_axis
from .layout import axis_index

ValuesIndices = namedtuple("ValuesIndices", ["values", "indices"])


def _tensor_of_indices(index):
    return Tensor._make(np.asarray(index), False, None, ())


def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    x = as_tensor(a)
    if order is not None:
        raise TypeError("sort: order= names fields of structured arrays; a Tensor holds plain numbers")
    if axis is None:
        x, axis = x.reshape(-1), -1
    if x.ndim == 0:
        raise np.exceptions.AxisError(axis, 0)
    return take_along_axis(x, np.argsort(x.data, axis=axis, kind=kind, stable=stable), axis)


def sort_with_indices(x, dim=-1, descending=False, stable=False):
    """PyTorch's sort: (values, indices), ascending unless `descending`."""
    x = as_tensor(x)
    if x.ndim == 0:
        return ValuesIndices(x, _tensor_of_indices(np.zeros((), dtype=np.int64)))
    dim = axis_index(dim, x.ndim)
    keys = x.data
    if descending:  # nan counts as the largest, as in PyTorch
        keys = keys.astype(np.int64) if keys.dtype.kind in "bu" else keys
        keys = np.where(np.isnan(keys), -np.inf, -keys) if keys.dtype.kind == "f" else -keys
    index = np.argsort(keys, axis=dim, kind="stable")
    return ValuesIndices(take_along_axis(x, index, dim), _tensor_of_indices(index.astype(np.int64)))


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """numpy's partition, element for element: the arrangement numpy makes is
    matched back to source positions by rank (equal values by their order)."""
    x = as_tensor(a)
    if order is not None:
        raise TypeError("partition: order= names fields of structured arrays; a Tensor holds plain numbers")
    if axis is None:
        x, axis = x.reshape(-1), -1
    axis = axis_index(axis, x.ndim)
    arranged = np.partition(x.data, kth, axis=axis, kind=kind)
    rank_in_arranged = np.argsort(arranged, axis=axis, kind="stable")
    source_by_rank = np.argsort(x.data, axis=axis, kind="stable")
    index = np.empty_like(source_by_rank)
    np.put_along_axis(index, rank_in_arranged, source_by_rank, axis=axis)
    return take_along_axis(x, index, axis)


def topk(x, k, dim=-1, largest=True, sorted=True):
    """PyTorch's topk: the k largest (or smallest) along `dim`, with their indices."""
    values, indices = sort_with_indices(x, dim, descending=largest)
    dim = axis_index(dim, values.ndim) if values.ndim else 0
    if not 0 <= k <= (values.shape[dim] if values.ndim else 1):
        raise ValueError(f"topk: k={k} is out of range for dimension {dim} of size "
                         f"{values.shape[dim] if values.ndim else 1}")
    if values.ndim == 0:
        return ValuesIndices(values, indices)
    keep = (slice(None),) * dim + (slice(0, k),)
    return ValuesIndices(values[keep], _tensor_of_indices(indices.data[keep]))


def where(condition, x=np._NoValue, y=np._NoValue):
    """`x` where `condition` holds, else `y`; the gradient follows the choice
    (either branch may be a Tensor). With the condition alone, the indices
    where it holds (numpy's nonzero), which carry no gradient."""
    from .elementwise import Where
    condition = condition.data if hasattr(condition, "_ctx") else np.asarray(condition)
    if x is np._NoValue and y is np._NoValue:
        return tuple(_tensor_of_indices(i) for i in np.nonzero(condition))
    if x is np._NoValue or y is np._NoValue:
        raise ValueError("either both or neither of x and y should be given")
    return Where.apply(condition.astype(bool, copy=False), x, y)


def select(condlist, choicelist, default=0):
    """The first choice whose condition holds, else `default`: wheres, last first."""
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if not condlist:
        raise ValueError("select with an empty condition list is not possible")
    result = default  # a Python number stays weak: float32 choices stay float32
    for i, (condition, choice) in reversed(list(enumerate(zip(condlist, choicelist)))):
        mask = condition.data if hasattr(condition, "_ctx") else np.asarray(condition)
        if mask.dtype != bool:
            raise TypeError(f"invalid entry {i} in condlist: should be boolean ndarray")
        result = where(mask, choice, result)
    return result
