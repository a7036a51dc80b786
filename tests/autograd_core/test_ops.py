"""Every differentiable Tensor op: finite differences in float64 (first and
second derivatives) and PyTorch with a random upstream gradient."""
import numpy as np
import pytest

import autograd_core as ag

# name: (ours, torch's, input shapes, input domain)
POSITIVE, ANY, AWAY_FROM_KINKS = "positive", "any", "away"
OPS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b, [(3, 4), (4,)], ANY),
    "add_scalar_left": (lambda a: 2.5 + a, lambda a: 2.5 + a, [(3,)], ANY),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, [(2, 1, 3), (4, 1)], ANY),
    "rsub": (lambda a: 1.0 - a, lambda a: 1.0 - a, [(3,)], ANY),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, [(3, 1), (1, 4)], ANY),
    "mul_0d": (lambda a, b: a * b, lambda a, b: a * b, [(), (2, 3)], ANY),
    "div": (lambda a, b: a / b, lambda a, b: a / b, [(2, 3), (3,)], POSITIVE),
    "rdiv": (lambda a: 2.0 / a, lambda a: 2.0 / a, [(4,)], POSITIVE),
    "pow_scalar": (lambda a: a ** 3, lambda a: a ** 3, [(2, 3)], ANY),
    "pow_fractional": (lambda a: a ** 2.5, lambda a: a ** 2.5, [(5,)], POSITIVE),
    "pow_tensor": (lambda a, b: a ** b, lambda a, b: a ** b, [(2, 3), (3,)], POSITIVE),
    "rpow": (lambda a: 2.0 ** a, lambda a: 2.0 ** a, [(3,)], ANY),
    "neg": (lambda a: -a, lambda a: -a, [(2, 2)], ANY),
    "exp": (lambda a: a.exp(), lambda a: a.exp(), [(3, 2)], ANY),
    "log": (lambda a: a.log(), lambda a: a.log(), [(3, 2)], POSITIVE),
    "sqrt": (lambda a: a.sqrt(), lambda a: a.sqrt(), [(4,)], POSITIVE),
    "abs": (lambda a: a.abs(), lambda a: a.abs(), [(2, 3)], AWAY_FROM_KINKS),
    "sin": (lambda a: a.sin(), lambda a: a.sin(), [(3,)], ANY),
    "cos": (lambda a: a.cos(), lambda a: a.cos(), [(3,)], ANY),
    "tanh": (lambda a: a.tanh(), lambda a: a.tanh(), [(2, 3)], ANY),
    "sigmoid": (lambda a: a.sigmoid(), lambda a: a.sigmoid(), [(2, 3)], ANY),
    "relu": (lambda a: a.relu(), lambda a: a.relu(), [(2, 3)], AWAY_FROM_KINKS),
    "clip": (lambda a: a.clip(-0.5, 0.5), lambda a: a.clamp(-0.5, 0.5), [(3, 4)], AWAY_FROM_KINKS),
    "clip_lower_only": (lambda a: a.clip(min=0.1), lambda a: a.clamp(min=0.1), [(5,)], AWAY_FROM_KINKS),
    "maximum": (lambda a, b: ag.maximum(a, b), lambda a, b: a.maximum(b), [(3, 4), (4,)], ANY),
    "minimum": (lambda a, b: ag.minimum(a, b), lambda a, b: a.minimum(b), [(3, 4), (3, 1)], ANY),
    "where": (lambda a, b: ag.where(a.data > 0, a, b), lambda a, b: a.where(a > 0, b),
              [(3, 4), (4,)], ANY),
    "sum_all": (lambda a: a.sum(), lambda a: a.sum(), [(2, 3, 4)], ANY),
    "sum_axis": (lambda a: a.sum(axis=1), lambda a: a.sum(dim=1), [(2, 3, 4)], ANY),
    "sum_axes_keepdims": (lambda a: a.sum(axis=(0, 2), keepdims=True),
                          lambda a: a.sum(dim=(0, 2), keepdim=True), [(2, 3, 4)], ANY),
    "sum_dim_keepdim": (lambda a: a.sum(dim=-1, keepdim=True),
                        lambda a: a.sum(dim=-1, keepdim=True), [(2, 3)], ANY),
    "sum_0d": (lambda a: a.sum(), lambda a: a.sum(), [()], ANY),
    "mean": (lambda a: a.mean(axis=0), lambda a: a.mean(dim=0), [(3, 4)], ANY),
    "max": (lambda a: a.max(axis=1), lambda a: a.amax(dim=1), [(3, 4)], ANY),
    "max_all": (lambda a: a.max(), lambda a: a.amax(), [(3, 4)], ANY),
    "min_keepdims": (lambda a: a.min(axis=0, keepdims=True), lambda a: a.amin(dim=0, keepdim=True),
                     [(3, 4)], ANY),
    "prod": (lambda a: a.prod(axis=1), lambda a: a.prod(dim=1), [(3, 4)], ANY),
    "prod_all": (lambda a: a.prod(), lambda a: a.prod(), [(2, 3)], ANY),
    "var": (lambda a: a.var(axis=1), lambda a: a.var(dim=1, unbiased=False), [(3, 5)], ANY),
    "var_ddof1": (lambda a: a.var(ddof=1), lambda a: a.var(), [(3, 5)], ANY),
    "std": (lambda a: a.std(axis=0), lambda a: a.std(dim=0, unbiased=False), [(4, 3)], ANY),
    "logsumexp": (lambda a: a.logsumexp(axis=1), lambda a: a.logsumexp(dim=1), [(3, 4)], ANY),
    "logsumexp_all": (lambda a: a.logsumexp(), lambda a: a.flatten().logsumexp(dim=0), [(3, 4)], ANY),
    "softmax": (lambda a: a.softmax(axis=-1), lambda a: a.softmax(dim=-1), [(3, 4)], ANY),
    "softmax_axis0": (lambda a: a.softmax(0), lambda a: a.softmax(0), [(3, 4)], ANY),
    "log_softmax": (lambda a: a.log_softmax(axis=1), lambda a: a.log_softmax(dim=1), [(2, 5)], ANY),
    "reshape": (lambda a: a.reshape(4, -1), lambda a: a.reshape(4, -1), [(2, 3, 2)], ANY),
    "transpose": (lambda a: a.transpose(2, 0, 1), lambda a: a.permute(2, 0, 1), [(2, 3, 4)], ANY),
    "T": (lambda a: a.T, lambda a: a.T, [(2, 3)], ANY),
    "swapaxes": (lambda a: a.swapaxes(0, 2), lambda a: a.swapaxes(0, 2), [(2, 3, 4)], ANY),
    "expand": (lambda a: a.expand(2, 3, 4), lambda a: a.expand(2, 3, 4), [(3, 1)], ANY),
    "broadcast_to": (lambda a: a.broadcast_to((2, 4)), lambda a: a.broadcast_to((2, 4)), [(4,)], ANY),
    "squeeze": (lambda a: a.squeeze(), lambda a: a.squeeze(), [(1, 3, 1)], ANY),
    "unsqueeze": (lambda a: a.unsqueeze(-1), lambda a: a.unsqueeze(-1), [(2, 3)], ANY),
    "flatten": (lambda a: a.flatten(1), lambda a: a.flatten(1), [(2, 3, 4)], ANY),
    "getitem_slices": (lambda a: a[1:, ::2], lambda a: a[1:, ::2], [(3, 5)], ANY),
    "getitem_negative_step": (lambda a: a[::-1, ::-2], lambda a: a.flip(0).flip(1)[:, ::2],
                              [(3, 5)], ANY),
    "getitem_none_ellipsis": (lambda a: a[None, ..., 1], lambda a: a[None, ..., 1], [(2, 3, 4)], ANY),
    "getitem_int_array_repeats": (lambda a: a[[0, 2, 0, 0]], lambda a: a[[0, 2, 0, 0]], [(3, 2)], ANY),
    "getitem_two_arrays": (lambda a: a[[0, 1, 1], [2, 0, 2]], lambda a: a[[0, 1, 1], [2, 0, 2]],
                           [(2, 3)], ANY),
    "getitem_mask": (lambda a: a[a.data > 0], lambda a: a[a > 0], [(3, 4)], ANY),
    "pad": (lambda a: a.pad(((1, 0), (2, 1)), value=0.5),
            lambda a: __import__("torch").nn.functional.pad(a, (2, 1, 1, 0), value=0.5), [(2, 3)], ANY),
    "cat": (lambda a, b: ag.cat([a, b, a], axis=1), lambda a, b: __import__("torch").cat([a, b, a], 1),
            [(2, 3), (2, 1)], ANY),
    "stack": (lambda a, b: ag.stack([a, b], axis=1), lambda a, b: __import__("torch").stack([a, b], 1),
              [(2, 3), (2, 3)], ANY),
    "matmul_2d": (lambda a, b: a @ b, lambda a, b: a @ b, [(3, 4), (4, 2)], ANY),
    "matmul_vec_mat": (lambda a, b: a @ b, lambda a, b: a @ b, [(4,), (4, 2)], ANY),
    "matmul_mat_vec": (lambda a, b: a @ b, lambda a, b: a @ b, [(3, 4), (4,)], ANY),
    "matmul_vec_vec": (lambda a, b: a @ b, lambda a, b: a @ b, [(4,), (4,)], ANY),
    "matmul_batched_broadcast": (lambda a, b: a @ b, lambda a, b: a @ b, [(2, 1, 3, 4), (5, 4, 2)], ANY),
    "matmul_batch_vec": (lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3, 4), (4,)], ANY),
}


def make_inputs(shapes, domain, rng):
    arrays = []
    for shape in shapes:
        x = rng.standard_normal(shape)
        if domain == POSITIVE:
            x = np.abs(x) + 0.5
        elif domain == AWAY_FROM_KINKS:  # keep clear of 0 and of the clip bounds
            x = np.sign(x) * (np.abs(x) % 0.4 + 0.05) + np.where(np.abs(x) > 1, np.sign(x), 0)
        arrays.append(x)
    return arrays


@pytest.mark.parametrize("name", sorted(OPS))
def test_gradcheck(name, rng):
    ours, _, shapes, domain = OPS[name]
    xs = [ag.Tensor(x, requires_grad=True) for x in make_inputs(shapes, domain, rng)]
    assert ag.gradcheck(ours, xs)


@pytest.mark.parametrize("name", sorted(OPS))
def test_gradgradcheck(name, rng):
    ours, _, shapes, domain = OPS[name]
    xs = [ag.Tensor(x, requires_grad=True) for x in make_inputs(shapes, domain, rng)]
    assert ag.gradgradcheck(ours, xs)


@pytest.mark.parametrize("name", sorted(OPS))
def test_against_torch(name, rng, torch):
    ours, theirs, shapes, domain = OPS[name]
    arrays = make_inputs(shapes, domain, rng)
    xs = [ag.Tensor(x, requires_grad=True) for x in arrays]
    ts = [torch.tensor(x, requires_grad=True) for x in arrays]
    out, tout = ours(*xs), theirs(*ts)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-10, atol=1e-12)
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    tout.backward(torch.tensor(upstream))
    for x, t in zip(xs, ts):
        np.testing.assert_allclose(x.grad.data, t.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", sorted(OPS))
def test_float32_stays_float32(name, rng):
    ours, _, shapes, domain = OPS[name]
    xs = [ag.Tensor(x.astype(np.float32), requires_grad=True) for x in make_inputs(shapes, domain, rng)]
    out = ours(*xs)
    assert out.dtype == np.float32
    out.backward(np.ones(out.shape, dtype=np.float32))
    for x in xs:
        assert x.grad.dtype == np.float32
