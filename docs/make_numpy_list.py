"""Rewrite the README's list of numpy functions on Tensors from the rule
table in autograd_core/numpy_api.py (run from the repository root):

    python docs/make_numpy_list.py

tests/test_readme.py fails when the README's list differs from the table.
"""
import pathlib
import textwrap
import warnings

import numpy as np

from autograd_core import numpy_api

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- BEGIN numpy-functions: written by docs/make_numpy_list.py from numpy_api.py -->"
END = "<!-- END numpy-functions -->"


def _names(functions):
    """Every name numpy (or scipy.special) gives these functions, aliases too
    (np.abs and np.absolute, scipy.special.psi and digamma)."""
    import scipy.special
    wanted, names = set(functions), set()
    modules = [(np, "np"), (np.linalg, "np.linalg"), (np.lib.stride_tricks, "np.lib.stride_tricks"),
               (scipy.special, "scipy.special")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module, prefix in modules:
            for name in dir(module):
                obj = getattr(module, name, None)
                if not name.startswith("_") and callable(obj) and _hashable(obj) and obj in wanted:
                    names.add(f"{prefix}.{name}")
    return sorted(names, key=lambda n: (n.count("."), n))


def _hashable(obj):
    try:
        hash(obj)
    except TypeError:
        return False
    return True


def _paragraph(title, names):
    body = ", ".join(f"`{n}`" for n in names)
    return textwrap.fill(f"{title} ({len(names)}): {body}.", width=92, break_on_hyphens=False,
                         break_long_words=False)


def section():
    """The generated part of the README, between its markers."""
    from autograd_core.ops import special  # scipy is installed wherever this runs
    reduce = ", ".join(f.__name__ for f in numpy_api.REDUCE)
    accumulate = ", ".join(f.__name__ for f in numpy_api.ACCUMULATE)
    parts = [
        _paragraph("With gradients", _names(set(numpy_api.UFUNCS) | set(numpy_api.FUNCTIONS))),
        _paragraph("scipy.special, when scipy is installed", _names(special.RULES)),
        textwrap.fill(f"ufunc methods: `reduce` of {reduce}; `accumulate` of {accumulate}; "
                      "`outer` of every two-input ufunc with a gradient.", width=92),
        textwrap.fill(f"In place, as numpy's (under `no_grad`, or with no gradient at stake; "
                      f"refused otherwise, naming a way that works): "
                      f"{', '.join(f'`{n}`' for n in _names(numpy_api.WRITES))}, and `ufunc.at`. "
                      "`ag.put_along_axis` returns a new Tensor, with gradients.", width=92),
        _paragraph("Without a gradient (Tensors or numbers that carry none)",
                   _names(list(numpy_api.NO_GRADIENT_UFUNCS) + list(numpy_api.NO_GRADIENT_FUNCTIONS))),
        _paragraph("Facts about arrays, returned as numpy gives them", _names(numpy_api.INFO_FUNCTIONS)),
    ]
    return "\n\n".join(parts)


def rewritten(text):
    head, rest = text.split(BEGIN)
    _, tail = rest.split(END)
    return f"{head}{BEGIN}\n{section()}\n{END}{tail}"


def main():
    README.write_text(rewritten(README.read_text()))
    print("wrote the numpy function list into", README)


if __name__ == "__main__":
    main()
