"""`save` / `load`: checkpoints as .npz files, never pickle.

A state (a module's or an optimizer's `state_dict()`, or any nested dict of
arrays and numbers; lists of dicts come back as lists) is flattened to
"a/b/c" keys. The file is written to a
temporary name beside the target and renamed over it, so a crash mid-save
leaves the previous checkpoint as it was. Loading uses allow_pickle=False: a
file can hold only arrays, so loading can never run code.
"""
import os
import tempfile
import zipfile

import numpy as np

from autograd_core import Tensor

FORMAT_KEY, FORMAT = "__format__", "autograd_core.nn checkpoint v1"
SEP = "/"
EMPTY = "__empty__"  # stands for an empty dict, such as the state of a fresh optimizer
ZIP_MAGIC, NPY_MAGIC = b"PK\x03\x04", b"\x93NUMPY"


def _flatten(state, prefix, out):
    for key, value in state.items():
        key = str(key)
        if SEP in key or key in (FORMAT_KEY, EMPTY):
            raise ValueError(f"cannot save key {key!r}: keys may not contain {SEP!r} "
                             f"or be {FORMAT_KEY!r} or {EMPTY!r}")
        name = prefix + key
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, dict) for v in value):
            value = {str(i): v for i, v in enumerate(value)}  # a list of dicts, e.g. param_groups
        if isinstance(value, dict):
            if not value:
                out[name + SEP + EMPTY] = np.array(True)
            _flatten(value, name + SEP, out)
        else:
            array = np.asarray(value.data if isinstance(value, Tensor) else value)
            if array.dtype.kind not in "biufU":
                raise TypeError(f"cannot save {name!r}: only numbers, strings and arrays of them "
                                f"can be saved, not {type(value).__name__}")
            out[name] = array
    return out


def save(state, path):
    """Write a (nested) dict of arrays to `path` as .npz, atomically."""
    if not isinstance(state, dict):
        raise TypeError(f"save() takes a dict such as model.state_dict(), not {type(state).__name__}")
    arrays = _flatten(state, "", {})
    arrays[FORMAT_KEY] = np.array(FORMAT)
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".npz", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def load(path):
    """Read a checkpoint written by `save`; returns the nested dict of arrays.
    Any other file (an .npy array, an .npz archive that is not a checkpoint,
    a pickle, a truncated file) raises ValueError: nothing is ever unpickled."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no checkpoint at {path!r}")
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic.startswith(NPY_MAGIC):
        raise ValueError(f"{path!r} holds a single numpy array (.npy format, as np.save writes), "
                         "not a checkpoint written by nn.save; load it with np.load")
    if not magic.startswith(ZIP_MAGIC):
        raise ValueError(f"cannot read {path!r} as a checkpoint written by nn.save: it is not "
                         "an .npz archive (checkpoints are never pickles)")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError, KeyError) as e:
        # (not numpy's own message: it may advise allow_pickle, which nn never uses)
        raise ValueError(f"cannot read {path!r} as a checkpoint written by nn.save "
                         f"({type(e).__name__}: the file may be truncated, or an archive of "
                         "something else)") from None
    if str(arrays.pop(FORMAT_KEY, "")) != FORMAT:
        raise ValueError(f"{path!r} is an .npz file but not a checkpoint written by nn.save")
    state = {}
    for name, array in arrays.items():
        *parents, leaf = name.split(SEP)
        node = state
        for p in parents:
            node = node.setdefault(p, {})
        if leaf != EMPTY:
            node[leaf] = array
    return _lists_back(state)


def _lists_back(node):
    """Dicts keyed "0", "1", ... were lists of dicts when saved."""
    if not isinstance(node, dict):
        return node
    node = {k: _lists_back(v) for k, v in node.items()}
    if node and sorted(node) == [str(i) for i in range(len(node))] and \
            all(isinstance(v, dict) for v in node.values()):
        return [node[str(i)] for i in range(len(node))]
    return node
