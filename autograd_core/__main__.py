"""`python -m autograd_core`: the README's example, run."""
import numpy as np

from autograd_core import Tensor, Value


def main():
    # scalars: every node keeps its gradient
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = (a * b + a ** 2).tanh()
    c.backward()
    print(f"Value:  c = {c.data:.4f}   dc/da = {a.grad:.4f}   dc/db = {b.grad:.4f}")

    # arrays: the same sweep, with broadcasting
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((4, 3)))
    w = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    bias = Tensor(np.zeros(2), requires_grad=True)
    loss = (x @ w + bias).sigmoid().mean()
    loss.backward()
    print(f"Tensor: loss = {loss.item():.4f}   dloss/dw has shape {w.grad.shape}, "
          f"dloss/dbias = {np.round(bias.grad.numpy(), 4)}")


if __name__ == "__main__":
    main()
