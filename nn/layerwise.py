"""The lecture's backpropagation, layer by layer (the seed's Step 1 and Step 2).

Standard backprop differentiates the loss at the current weights and then
updates all layers. The lecture's variant updates the last layer first and,
moving down, carries the upstream vector through each layer *with that
layer's already-updated weights* before using it for the layer below:

    w(k) <- w(k) - lr * [dD/df(K) . D(K)(w~K) ... D(k+1)(w~k+1)] . df(k)/dw(k)

where D(j) is the Jacobian of layer j's output with respect to its input.
A "layer" f(k) here is a module with parameters together with the
parameter-free modules after it (Linear then Sigmoid is one layer).
"""
import autograd_core as ag

from .functional import as_tensor


class Layer(list):
    """One of the seed's layers: modules applied in order."""

    def __call__(self, x):
        for module in self:
            x = module(x)
        return x

    def parameters(self):
        return [p for module in self for p in module.parameters()]


def seed_layers(model):
    """Split a Sequential into the seed's layers f(1), ..., f(K)."""
    layers = []
    for module in model:
        if not layers or any(True for _ in module.parameters()):
            layers.append(Layer([module]))
        else:
            layers[-1].append(module)
    return layers


def layerwise_step(model, loss_fn, x, y, lr):
    """One update of the seed's algorithm on the batch (x, y); returns the loss
    of the forward pass (Step 1), made with the weights before the update."""
    layers = seed_layers(model)
    with ag.no_grad():  # Step 1: the forward pass, keeping every z(k)
        zs = [as_tensor(x)]
        for f in layers:
            zs.append(f(zs[-1]))
    out = zs[-1].detach().requires_grad_()
    loss = loss_fn(out, y)
    upstream, = ag.grad(loss, out)  # dD/df(K), at the forward pass's output
    for k in reversed(range(len(layers))):  # Step 2: top down
        f, z = layers[k], zs[k].detach()
        params = f.parameters()
        if params:  # the gradient for w(k), at the old w(k), then the update
            grads = ag.grad(f(z), params, grad_outputs=upstream, allow_unused=True)
            with ag.no_grad():
                for p, g in zip(params, grads):
                    if g is not None:
                        p.data = p.data - lr * g.data
        if k > 0:  # carry the upstream vector through f(k) with its updated weights
            z = z.requires_grad_()
            upstream, = ag.grad(f(z), z, grad_outputs=upstream)
    return loss.item()


def layer_jacobians(model, x):
    """For one input x (1-D), the Jacobian of each seed layer's output with
    respect to its input, at the forward pass: a list of Tensors, the k-th of
    size d(k+1) x d(k). The seed's Delta(k) is the (k+1)-th of them."""
    x = as_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"layer_jacobians takes one input vector (1-D), got shape {x.shape}")
    jacobians, z = [], x
    for f in seed_layers(model):
        jacobians.append(ag.functional.jacobian(f, z.detach()))
        with ag.no_grad():
            z = f(z)
    return jacobians


def layer_outputs(model, x):
    """z(1) = x, z(k+1) = f(k)(z(k)): every layer's input and the output."""
    with ag.no_grad():
        zs = [as_tensor(x)]
        for f in seed_layers(model):
            zs.append(f(zs[-1]))
    return zs


