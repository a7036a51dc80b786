"""Write the lecture notebooks and run them, so they are committed with outputs.

    python notebooks/build_notebooks.py          # all of them
    python notebooks/build_notebooks.py 03       # those whose name starts with 03

Each notebook is a list of cells below: strings starting with "md:" are
markdown, the rest code. The tests re-execute the committed notebooks.
"""
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # notebooks whose cells live in a file of their own
import nb07_convolution  # noqa: E402

SETUP = """import numpy as np
import matplotlib
matplotlib.use("module://matplotlib_inline.backend_inline")
import matplotlib.pyplot as plt
import autograd_core as ag
from autograd_core import Value, Tensor
import nn
from nn import viz"""

NOTEBOOKS = {}

NOTEBOOKS["01_scalar_autodiff"] = [
    """md:# 1. Scalar automatic differentiation

The lecture starts from the chain rule: for a composition $f \\circ g$,

$$\\frac{d(f \\circ g)}{dx}(x) = f'(g(x))\\, g'(x).$$

`Value` records every operation on scalars as a graph; `backward()` walks it
once in reverse and applies this rule at every node.""",
    SETUP,
    """a = Value(2.0, label="a")
b = Value(-3.0, label="b")
c = a * b + a;   c.label = "c"
d = (c * 0.5).tanh();   d.label = "d"
viz.draw_graph(d)   # before backward: data only""",
    """md:After `backward()`, every node holds $\\partial d / \\partial \\text{node}$, and each op shows
its turn in the reverse sweep.""",
    """d.backward()
viz.draw_graph(d)""",
    """md:The same sweep, step by step: `viz.explore` lays the graph out once and replays
`backward()` node by node (buttons, slider, or the arrow keys after clicking it). A
gradient still being summed is yellow, a complete one green; the edges that carry
gradient at this step are red. Click a node for its numbers.""",
    """viz.explore(d)""",
    """md:Each gradient checked against a central finite difference:""",
    """def d_of(a0, b0):
    a, b = Value(a0), Value(b0)
    return ((a * b + a) * 0.5).tanh().data

eps = 1e-6
numeric_a = (d_of(2 + eps, -3) - d_of(2 - eps, -3)) / (2 * eps)
numeric_b = (d_of(2, -3 + eps) - d_of(2, -3 - eps)) / (2 * eps)
print(f"dd/da: backward {a.grad:.8f}   finite difference {numeric_a:.8f}")
print(f"dd/db: backward {b.grad:.8f}   finite difference {numeric_b:.8f}")
assert abs(a.grad - numeric_a) < 1e-7 and abs(b.grad - numeric_b) < 1e-7""",
    """md:## The chain rule for $f(g(x))$

With $g(x) = x^2$ and $f = \\tanh$: $\\frac{d}{dx}\\tanh(x^2) = (1 - \\tanh^2(x^2)) \\cdot 2x$.""",
    """x = Value(0.7, label="x")
g = x ** 2;   g.label = "g = x**2"
f = g.tanh(); f.label = "f = tanh(g)"
f.backward()
by_hand = (1 - np.tanh(0.7 ** 2) ** 2) * 2 * 0.7
print(f"engine: {x.grad:.10f}   f'(g(x)) g'(x): {by_hand:.10f}")
print(f"df/dg at the g node: {g.grad:.10f} = f'(g(x)) = {1 - np.tanh(0.49) ** 2:.10f}")
viz.draw_graph(f)""",
]

NOTEBOOKS["02_backprop_by_hand"] = [
    """md:# 2. Backpropagation by hand, and the lecture's layer-by-layer update

A network is a composition of layers $f = f^{(K)} \\circ \\dots \\circ f^{(1)}$. Write
$z^{(k)}$ for the input of layer $k$ and $\\Delta^{(k)}$ for the Jacobian of layer
$k+1$ with respect to its input. The derivative of the loss $D$ with respect to the
weights of layer $k$ is

$$\\frac{dD}{dw^{(k)}} = \\frac{dD}{df^{(K)}}\\, \\Delta^{(K-1)} \\cdots \\Delta^{(k)}\\, \\frac{df^{(k)}}{dw^{(k)}}.$$

`nn.layer_jacobians(net, x)` gives each layer's Jacobian for one input; here we
multiply them out and compare with the engine.""",
    SETUP,
    """rng = np.random.default_rng(0)
net = nn.Sequential(nn.Linear(4, 5, dtype=np.float64, rng=rng), nn.Sigmoid(),
                    nn.Linear(5, 3, dtype=np.float64, rng=rng), nn.Sigmoid(),
                    nn.Linear(3, 2, dtype=np.float64, rng=rng), nn.Sigmoid())
x = rng.standard_normal(4)
y = np.array([1.0, 0.0])
zs = nn.layerwise.layer_outputs(net, x)          # z(1) = x, z(2), z(3), and the output
print("z shapes:", [z.shape for z in zs])
jacobians = nn.layer_jacobians(net, x)           # layer k's output w.r.t. its input
print("Jacobian shapes:", [j.shape for j in jacobians])""",
    """md:The gradient for the first layer's weights, assembled from the pieces: the
loss derivative at the output, the Jacobians of layers 3 and 2, and the
derivative of layer 1's output with respect to its own weights.""",
    """out = zs[-1].numpy()
dD_df = 2 * (out - y) / out.size                   # D = mean squared error
upstream = dD_df @ jacobians[2].numpy() @ jacobians[1].numpy()   # dD/d(output of layer 1)
W1 = net[0].weight
df1_dW1 = ag.functional.jacobian(lambda W: (Tensor(x) @ W.T + net[0].bias).sigmoid(), W1)
by_hand = np.tensordot(upstream, df1_dW1.numpy(), axes=1)      # shape (5, 4), like W1

loss = nn.MSELoss()(net(Tensor(x)), y)
loss.backward()
print("largest difference from the engine's gradient:", np.abs(by_hand - W1.grad.numpy()).max())""",
    """md:## The lecture's Step 2: update top-down, with updated weights

The lecture's algorithm updates the last layer first. Moving down, it carries the
upstream vector through each layer **with that layer's already-updated weights**
$\\tilde w$ before computing the next gradient. Standard backprop uses the old
weights everywhere. `nn.layerwise_step` does the lecture's version; here both train
the same network on the same data.""",
    """rng = np.random.default_rng(1)
X, labels = nn.datasets.efl_letters(300, noise=0.3, rng=rng)
targets = nn.functional.one_hot(labels, 3).numpy().astype(np.float64)
X = X.astype(np.float64)

def fresh():
    r = np.random.default_rng(2)
    return nn.Sequential(nn.Linear(64, 2, dtype=np.float64, rng=r), nn.Sigmoid(),
                         nn.Linear(2, 3, dtype=np.float64, rng=r), nn.Sigmoid())

lr, steps = 2.0, 150
standard, seed = fresh(), fresh()
opt = nn.optim.SGD(standard.parameters(), lr=lr)
loss_fn = nn.MSELoss()
standard_curve, seed_curve = [], []
for _ in range(steps):
    opt.zero_grad()
    loss = loss_fn(standard(X), targets)
    loss.backward()
    opt.step()
    standard_curve.append(loss.item())
    seed_curve.append(nn.layerwise_step(seed, loss_fn, X, targets, lr))

fig, axes = plt.subplots(1, 2, figsize=(10, 3), sharey=True)
axes[0].plot(standard_curve); axes[0].set_title("standard backprop (old weights)")
axes[1].plot(seed_curve, color="C1"); axes[1].set_title("lecture's Step 2 (updated weights)")
for ax in axes: ax.set_xlabel("step"); ax.set_yscale("log")
axes[0].set_ylabel("training loss")
plt.show()
print(f"final loss: standard {standard_curve[-1]:.4f}, layer-by-layer {seed_curve[-1]:.4f}")""",
    """md:**What differs.** Both compute the last layer's update identically. For every lower
layer, the lecture's version evaluates the Jacobians of the layers above at their new
weights, so the two updates differ by terms of order $\\text{lr}^2$: with a tiny learning
rate they agree (the tests check this), with a large one they part, as above. Standard
backprop follows the true gradient of the loss at the current weights; the
layer-by-layer variant is a slightly different, sequential update.""",
    """md:## Gradients through depth: sigmoid against ReLU

The product $\\Delta^{(K-1)} \\cdots \\Delta^{(k)}$ above has one factor per layer. A
sigmoid's derivative is at most $1/4$, so with weights of moderate size every sigmoid
layer shrinks the gradient passed down, and the first layers of a deep sigmoid network
barely learn: the gradient *vanishes*. ReLU's derivative is 1 wherever a unit is active.
`viz.grad_flow` draws the mean and the largest |gradient| of each parameter after one
backward, input side first, for two networks of depth 8 that differ only in the
activation.""",
    """rng = np.random.default_rng(3)
x = rng.standard_normal((64, 16)).astype(np.float32)
y = rng.standard_normal((64, 1)).astype(np.float32)

def deep(activation, depth=8):
    r = np.random.default_rng(4)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(16, 16, rng=r), activation()]
    return nn.Sequential(*layers, nn.Linear(16, 1, rng=r))

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
for ax, activation in zip(axes, (nn.Sigmoid, nn.ReLU)):
    net = deep(activation)
    nn.MSELoss()(net(x), y).backward()
    viz.grad_flow(net, ax=ax, title=f"depth 8, {activation.__name__}")
    first, last = (np.abs(net[i].weight.grad.data).mean() for i in (0, -1))
    print(f"{activation.__name__:8} mean |grad| of the first layer's weights {first:.1e}, "
          f"of the last layer's {last:.1e}: ratio {first / last:.0e}")
plt.show()""",
]

NOTEBOOKS["03_efl_letters"] = [
    """md:# 3. The lecture's simple example: E, F and L

8x8 images of the letters E, F and L with random noise; a network with 64 inputs
(one per pixel), 2 hidden units and 3 outputs, all sigmoid.""",
    SETUP,
    """rng = np.random.default_rng(0)
X, y = nn.datasets.efl_letters(600, noise=0.3, rng=rng)
X_test, y_test = nn.datasets.efl_letters(600, noise=0.3, rng=rng)
fig, axes = plt.subplots(1, 6, figsize=(9, 1.8))
for ax, image, label in zip(axes, X, y):
    ax.imshow(image.reshape(8, 8), cmap="gray_r"); ax.set_title("EFL"[label]); ax.axis("off")
plt.show()""",
    """net = nn.Sequential(nn.Linear(64, 2, rng=rng), nn.Sigmoid(),
                    nn.Linear(2, 3, rng=rng), nn.Sigmoid())
targets = nn.functional.one_hot(y, 3).numpy().astype(np.float32)
history = nn.fit(net, nn.MSELoss(), nn.optim.Adam(net.parameters(), lr=0.05), (X, targets),
                 epochs=100, batch_size=64, rng=rng)
accuracy = (net(X_test).numpy().argmax(axis=1) == y_test).mean()
print(f"held-out accuracy: {accuracy:.1%}")
viz.plot_history(history, log=True)""",
    """md:## What the hidden units look for

Each hidden unit has 64 input weights, one per pixel: plotted as 8x8 images (dark =
large weight, one scale for both units), they emphasize the regions that tell the
letters apart.""",
    """viz.show_weights(net[0], shape=(8, 8))""",
    """hidden = net[:2](X_test).numpy()          # the two hidden units' activations
means = np.array([hidden[y_test == k].mean(axis=0) for k in range(3)])
for k, letter in enumerate("EFL"):
    print(f"{letter}: h1 = {means[k, 0]:.2f}   h2 = {means[k, 1]:.2f}")
for unit in range(2):
    on = [letter for k, letter in enumerate("EFL") if means[k, unit] > 0.5]
    off = [letter for k, letter in enumerate("EFL") if means[k, unit] <= 0.5]
    print(f"h{unit + 1} separates {{{', '.join(on)}}} from {{{', '.join(off)}}}")""",
    """md:On the slide, one unit separates {E, F} from L (the top bar) and the other {E, L} from F
(the bottom bar). Two units with sigmoid outputs can split three letters in a few
such ways; which split each unit learns depends on the random start, and any split
that gives each letter its own corner of the 2-D feature space serves.

## The network as feature extractor plus classifier

Cut after the hidden layer: $F$ = `net[:-2]` maps an image to 2 features, and the last
layer `net[-2:]` is a logistic classifier on those features.""",
    """F, classifier = net[:-2], net[-2:]
features = F(X_test).numpy()
same = np.allclose(classifier(F(X_test)).numpy(), net(X_test).numpy())
print("classifier(F(x)) == net(x):", same)
for k, letter in enumerate("EFL"):
    plt.scatter(*features[y_test == k].T, s=8, label=letter)
plt.xlabel("feature 1 (h1)"); plt.ylabel("feature 2 (h2)"); plt.legend(); plt.show()""",
]

NOTEBOOKS["04_autoencoder"] = [
    """md:# 4. Autoencoders

An autoencoder is trained on its own input, $\\min_W \\|x - f_W(x)\\|^2$. With a narrow
middle layer it learns to compress. Here: scikit-learn's bundled 8x8 digits,
a 64-32-8-32-64 network; the code $x' = f^{(2)}(x)$ has 8 numbers instead of 64.""",
    SETUP + """
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA""",
    """digits = load_digits().data.astype(np.float32) / 16.0      # 1797 images, pixels in [0, 1]
rng = np.random.default_rng(0)
order = rng.permutation(len(digits))
train, test = digits[order[:1500]], digits[order[1500:]]
k = 8
net = nn.Sequential(nn.Linear(64, 32, rng=rng), nn.Tanh(),       # f(1)
                    nn.Linear(32, k, rng=rng), nn.Tanh(),        # f(2): the code
                    nn.Linear(k, 32, rng=rng), nn.Tanh(),        # f(3)
                    nn.Linear(32, 64, rng=rng), nn.Sigmoid())    # f(4)
history = nn.fit(net, nn.MSELoss(), nn.optim.Adam(net.parameters(), lr=0.005), (train, train),
                 epochs=150, batch_size=100, rng=rng)
viz.plot_history(history, log=True)""",
    """md:Compress with the first two layers, decompress with the rest:""",
    """encode, decode = net[:4], net[4:]
code = encode(test)                       # x' = f(2)(x): 8 numbers per image
reconstruction = decode(code).numpy()
print("code shape:", code.shape)
fig, axes = plt.subplots(2, 8, figsize=(10, 2.8))
for i in range(8):
    axes[0, i].imshow(test[i].reshape(8, 8), cmap="gray_r"); axes[0, i].axis("off")
    axes[1, i].imshow(reconstruction[i].reshape(8, 8), cmap="gray_r"); axes[1, i].axis("off")
axes[0, 0].set_title("original", loc="left"); axes[1, 0].set_title("reconstructed", loc="left")
plt.show()""",
    """md:## Against PCA with the same number of components""",
    """pca = PCA(n_components=k).fit(train)
pca_reconstruction = pca.inverse_transform(pca.transform(test))
ae_error = np.mean((reconstruction - test) ** 2)
pca_error = np.mean((pca_reconstruction - test) ** 2)
print(f"mean squared reconstruction error on held-out digits, {k} numbers per image:")
print(f"  autoencoder {ae_error:.4f}")
print(f"  PCA         {pca_error:.4f}")""",
]

NOTEBOOKS["05_custom_layer"] = [
    """md:# 5. Writing your own op and layer

A new op is a `Function`: `forward` on numpy arrays, `backward` right beside it. Here:
softplus, $\\log(1 + e^x)$, whose derivative is the sigmoid.""",
    SETUP,
    """class Softplus(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.logaddexp(0, x)                 # log(1 + e^x), stable for any x

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        return grad / (1 + np.exp(-x))            # sigmoid(x), in numpy operators

x = Tensor(np.array([-30.0, -1.0, 0.0, 2.0, 30.0]), requires_grad=True)
y = Softplus.apply(x)
y.sum().backward()
print("softplus:", y.numpy())
print("slope:   ", x.grad.numpy())""",
    """md:Check it: `gradcheck` compares backward with central differences in float64;
`gradgradcheck` does the same for the derivative of backward, which works because
backward used only numpy operators.""",
    """x = Tensor(np.random.default_rng(0).standard_normal(6), requires_grad=True)
print("gradcheck:", ag.gradcheck(Softplus.apply, (x,)))
print("gradgradcheck:", ag.gradgradcheck(Softplus.apply, (x,)))""",
    """md:Wrap it in a `Module` and train a small network with it: fit $\\sin$ on $[-3, 3]$.""",
    """class SoftplusLayer(nn.Module):
    def forward(self, x):
        return Softplus.apply(x)

rng = np.random.default_rng(0)
net = nn.Sequential(nn.Linear(1, 16, rng=rng), SoftplusLayer(), nn.Linear(16, 1, rng=rng))
xs = np.linspace(-3, 3, 200, dtype=np.float32).reshape(-1, 1)
ys = np.sin(xs)
history = nn.fit(net, nn.MSELoss(), nn.optim.Adam(net.parameters(), lr=0.02), (xs, ys),
                 epochs=300, batch_size=50, rng=rng, progress=False)
print(f"loss: first epoch {history[0]:.3f}, last {history[-1]:.5f}")
plt.plot(xs, ys, label="sin"); plt.plot(xs, net(xs).numpy(), "--", label="network")
plt.legend(); plt.show()""",
    """md:Its graph, with the new op among the built-in ones:""",
    """small = nn.Sequential(nn.Linear(1, 2, rng=rng), SoftplusLayer(), nn.Linear(2, 1, rng=rng))
loss = nn.MSELoss()(small(xs[:3]), ys[:3])
loss.backward()
viz.draw_graph(loss, params=small)""",
]

NOTEBOOKS["06_backward_pass"] = [
    """md:# 6. The backward pass, step by step

`backward()` takes the nodes newest first: when a node comes up, every node that
used it has already sent its share, so its gradient is complete; it then sends
shares on to its own inputs, where they are summed. `nn.viz.explore` replays that
sweep on a drawing laid out once: step with the buttons, the slider or the arrow
keys (click the picture first). The node being processed is outlined in red, and
the edges carrying its gradient are red; a gradient still being summed is yellow,
a complete one green. Click any node for its numbers: a matrix shows as a heatmap.
It runs the sweep itself, so it works before `backward()`, and changes no `.grad`.""",
    SETUP,
    """rng = np.random.default_rng(0)
net = nn.Sequential(nn.Linear(2, 2, rng=rng), nn.Sigmoid())
x = Tensor(np.array([[0.5, -1.0]], dtype=np.float32))
loss = nn.MSELoss()(net(x), np.array([[1.0, 0.0]], dtype=np.float32))
explorer = viz.explore(loss, params=net)
print(explorer.steps, "steps")
explorer""",
    """md:The same page as a file that opens in any browser, with no network and no Python
(`viz.animate_backward(loss, path)` is `viz.explore(loss).save(path)`):""",
    """path = explorer.save("backward_pass.html")
print("wrote", path)""",
    """md:`viz.backward_steps` gives the steps as separate static pictures instead, for
slides or print; here the third one:""",
    """viz.backward_steps(loss, params=net)[2]""",
    """md:After a real `backward()`, each op and each leaf the sweep reached shows its step
number (1 to N without gaps, as in the explorer), and the parameters hold their
gradients; nothing above changed them.""",
    """print("before backward:", net[0].weight.grad)
loss.backward()
viz.draw_graph(loss, params=net)""",
]

NOTEBOOKS["07_convolution"] = nb07_convolution.cells(SETUP)


def tidy(nb):
    """Merge each cell's runs of stream output, keeping what a terminal would
    show after carriage returns (a progress bar's last state, not every frame)."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and merged and \
                    merged[-1].get("output_type") == "stream" and merged[-1]["name"] == out["name"]:
                merged[-1]["text"] += out["text"]
            else:
                merged.append(out)
        for out in merged:
            if out.get("output_type") == "stream":
                out["text"] = "\n".join(line.rsplit("\r", 1)[-1] for line in out["text"].split("\n"))
        if "outputs" in cell:
            cell["outputs"] = merged


def kernel_env():
    """The kernel imports the packages of this checkout, not an installed copy."""
    root = str(HERE.parent)
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH"))
                                               if p)


def build(name, cells, execute=True):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for cell in cells:
        if cell.startswith("md:"):
            nb.cells.append(nbformat.v4.new_markdown_cell(cell[3:]))
        else:
            nb.cells.append(nbformat.v4.new_code_cell(cell))
    path = HERE / f"{name}.ipynb"
    if execute:
        kernel_env()
        start = time.perf_counter()
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(HERE)}}).execute()
        print(f"{name}: ran in {time.perf_counter() - start:.1f} s")
        tidy(nb)
    nbformat.write(nb, path)
    return path


if __name__ == "__main__":
    wanted = sys.argv[1:]
    for name, cells in NOTEBOOKS.items():
        if not wanted or any(name.startswith(w) for w in wanted):
            build(name, cells)
