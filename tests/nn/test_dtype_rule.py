"""The project's dtype rule for layers with parameters: floating, integer or
boolean input is cast to the parameters' dtype, so the output has that dtype,
and a float64 input Tensor gets its gradient in float64."""
import numpy as np
import pytest

import nn
from autograd_core import Tensor

LAYERS = {  # every layer with parameters, and an input for it
    "Linear": (lambda dtype: nn.Linear(4, 3, dtype=dtype), (5, 4)),
    "LayerNorm": (lambda dtype: nn.LayerNorm(4, dtype=dtype), (5, 4)),
    "BatchNorm1d": (lambda dtype: nn.BatchNorm1d(4, dtype=dtype), (5, 4)),
    "BatchNorm1d_3d": (lambda dtype: nn.BatchNorm1d(4, dtype=dtype), (5, 4, 3)),
    "Conv2d": (lambda dtype: nn.Conv2d(2, 3, 3, padding=1, dtype=dtype), (2, 2, 5, 5)),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_output_dtype_is_the_parameters_dtype(name, dtype, rng):
    make, shape = LAYERS[name]
    layer = make(dtype)
    assert all(p.dtype == dtype for p in layer.parameters())
    inputs = [rng.standard_normal(shape),                          # float64, as np.random makes
              rng.standard_normal(shape).astype(np.float32),
              rng.integers(-3, 3, shape),                          # int64
              rng.integers(0, 2, shape).astype(bool),
              rng.standard_normal(shape).tolist()]                 # a nested list
    for x in inputs:
        assert layer(x).dtype == dtype, (name, np.asarray(x).dtype)


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_a_float64_input_tensor_gets_its_gradient_in_float64(name, rng):
    make, shape = LAYERS[name]
    layer = make(np.float32)
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    out = layer(x)
    assert out.dtype == np.float32
    out.sum().backward()
    assert x.grad.dtype == np.float64 and x.grad.shape == x.shape
    assert all(p.grad.dtype == np.float32 for p in layer.parameters())
    # the same gradient, up to float32 rounding, as computing in float32 from the start
    x32 = Tensor(x.data.astype(np.float32), requires_grad=True)
    layer(x32).sum().backward()
    np.testing.assert_allclose(x.grad.data, x32.grad.data, rtol=1e-5, atol=1e-6)


def test_embedding_output_has_the_weights_dtype():
    for dtype in (np.float32, np.float64):
        assert nn.Embedding(5, 2, dtype=dtype)(np.array([1, 4])).dtype == dtype


def test_layers_refuse_input_that_is_not_numbers():
    with pytest.raises(TypeError, match="a layer takes numbers"):
        nn.Linear(1, 1)(np.array([["a"]]))


def test_cross_entropy_says_float_labels_must_be_integers():
    logits = np.zeros((4, 3))
    with pytest.raises(ValueError, match="class indices must be integers"):
        nn.functional.cross_entropy(logits, np.array([0.0, 1.0, 2.0, 1.0]))
    with pytest.raises(ValueError, match=r"target shape \(4, 2\) does not match input shape"):
        nn.functional.cross_entropy(logits, np.zeros((4, 2)))
    assert nn.functional.cross_entropy(logits, np.array([0, 1, 2, 1])).item() == pytest.approx(np.log(3))
