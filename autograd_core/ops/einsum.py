"""numpy's einsum as one Function.

The subscripts are first rewritten in letters only: each operand's ellipsis
becomes letters of its own (right-aligned, so broadcasting lines up) and an
implicit output is made explicit. The gradient for operand i is then itself
an einsum: the output's gradient against the other operands, giving operand
i's letters. Two things an einsum output cannot express are added around it:
a letter repeated within operand i (a diagonal, 'ii') gets an identity
matrix that puts the gradient back on the diagonal, and a letter summed away
inside operand i alone is restored by broadcasting.
"""
import string

import numpy as np

from ..function import Function
from .common import as_tensor

LETTERS = string.ascii_lowercase + string.ascii_uppercase


class Einsum(Function):
    same_float = tuple(range(2, 54))  # the operands (after the spec and optimize)
    @staticmethod
    def forward(ctx, spec, optimize, *operands):
        ctx.spec, ctx.optimize = spec, optimize
        ctx.save_for_backward(*operands)
        ctx.shapes = [np.shape(x) for x in operands]
        return np.einsum(_text(*spec), *operands, optimize=optimize)

    @staticmethod
    def backward(ctx, grad):
        operands = ctx.saved_tensors
        inputs, output = ctx.spec
        grads = [None, None]
        for i, need in enumerate(ctx.needs_input_grad[2:]):
            grads.append(_operand_grad(grad, i, inputs, output, operands, ctx.shapes[i],
                                       ctx.optimize) if need else None)
        return tuple(grads)


def _text(inputs, output):
    return ",".join(inputs) + "->" + output


def _operand_grad(grad, i, inputs, output, operands, shape, optimize):
    target = inputs[i]
    sizes = dict(zip(target, shape))
    used = set(output).union(*[inputs[j] for j in range(len(inputs)) if j != i])
    free = iter(c for c in LETTERS if c not in used and c not in target)
    renamed, eyes, seen = "", [], set()
    for c in target:
        if c in seen:  # a repeated letter: a diagonal, restored through an identity
            new = next(free)
            eyes.append((c + new, np.eye(sizes[c], dtype=bool)))
            c = new
        seen.add(c)
        renamed += c
    kept = "".join(c for c in renamed if c in used or any(c in e for e, _ in eyes))
    specs = [output] + [inputs[j] for j in range(len(inputs)) if j != i] + [e for e, _ in eyes]
    arrays = [grad] + [operands[j] for j in range(len(inputs)) if j != i] + [m for _, m in eyes]
    g = np.einsum(_text(specs, kept), *arrays, optimize=optimize)
    if kept != renamed:  # letters summed inside operand i alone: broadcast back along them
        g = np.reshape(g, tuple(np.shape(g)[kept.index(c)] if c in kept else 1 for c in renamed))
        g = np.broadcast_to(g, tuple(np.shape(g)[k] if c in kept else shape[k]
                                     for k, c in enumerate(renamed)))
    return g


def parse(args):
    """(inputs, output, operands): einsum's arguments, subscripts or
    interleaved sublists, with every ellipsis and implicit output made
    explicit letters."""
    if isinstance(args[0], str):
        text, operands = args[0].replace(" ", ""), list(args[1:])
        ins, arrow, out = text.partition("->")
        inputs, output = ins.split(","), (out if arrow else None)
    else:
        pairs, last = (args[:-1], args[-1]) if len(args) % 2 else (args, None)
        operands, subs = list(pairs[0::2]), list(pairs[1::2])
        output = None if last is None else _sublist(last)
        inputs = [_sublist(s) for s in subs]
    operands = [as_tensor(x) for x in operands]
    if len(inputs) != len(operands):
        raise ValueError(f"einsum: {len(inputs)} subscripts for {len(operands)} operands")
    for s in inputs + ([output] if output else []):
        bad = set(s) - set(LETTERS) - {"."}
        if bad:
            raise ValueError(f"einsum: invalid subscript {sorted(bad)[0]!r}; use letters a-z, A-Z")
    used = set("".join(inputs))
    spare = [c for c in LETTERS if c not in used]
    n_ell = []
    for s, x in zip(inputs, operands):
        named = len(s.replace("...", ""))
        extra = x.ndim - named if "..." in s else 0
        if extra < 0 or ("..." not in s and named != x.ndim):
            raise ValueError(f"einsum: subscripts {s!r} do not fit an operand of shape {x.shape}")
        n_ell.append(extra)
    width = max(n_ell, default=0)
    ell = "".join(spare[:width])
    inputs = [s.replace("...", ell[width - n:]) for s, n in zip(inputs, n_ell)]
    if output is None:
        counts = "".join(inputs)
        output = ell + "".join(sorted(c for c in set(counts) if counts.count(c) == 1 and c not in ell))
    elif "..." in output:
        output = output.replace("...", ell)
    elif width and any(n_ell):
        raise ValueError("output has more dimensions than subscripts given in einstein sum, "
                         "but no '...' ellipsis provided to broadcast the extra dimensions.")
    return inputs, output, operands


def _sublist(sub):
    return "".join("..." if s is Ellipsis else LETTERS[int(s)] for s in sub)


def einsum(*operands, optimize=False, dtype=None, order="K", casting="safe"):
    inputs, output, tensors = parse(operands)
    if dtype is not None:
        tensors = [t.astype(dtype) for t in tensors]
    return Einsum.apply((tuple(inputs), output), optimize, *tensors)
