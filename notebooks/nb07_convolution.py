"""The cells of notebook 07_convolution (built by build_notebooks.py, which
gives the shared setup cell)."""


def cells(setup):
    return [
        """md:# 7. Convolution: early layers as feature extractors

The lecture's point about multi-layer networks: the first $K-1$ layers form a feature
map $\\mathbf{F}(\\mathbf{x}) = f^{(K-1)} \\circ \\dots \\circ f^{(1)}(\\mathbf{x})$, and the last
layer is a simple classifier on those features. In the E/F/L example each hidden unit had
64 weights, one per pixel, which we could draw as an 8x8 image. A **convolutional** layer
has small weight images instead, *filters* of 3x3 pixels, and slides each one over the
whole picture: the same feature (an edge, a stroke end) is looked for everywhere, and the
result is a *feature map*, one per filter.

Here a small CNN learns scikit-learn's 8x8 handwritten digits. `nn.Conv2d`, `nn.MaxPool2d`
and `nn.AvgPool2d` are each one `ag.Function` (forward on numpy windows of the image,
backward written with numpy calls), tested against PyTorch.""",
        setup + """
import time
from sklearn.datasets import load_digits""",
        """digits = load_digits()
images = (digits.images / 16.0).astype(np.float32)[:, None]   # N, C=1, H=8, W=8
labels = digits.target
rng = np.random.default_rng(0)
order = rng.permutation(len(images))
train, test = order[:1400], order[1400:]
print("train", images[train].shape, " test", images[test].shape)""",
        """md:Two convolution blocks (3x3 filters, ReLU, 2x2 max pooling) make the feature
extractor $\\mathbf{F}$: 8x8 pixels in, 16 maps of 2x2 out, 64 numbers per image. The last
layer, $f^{(K)}$, is a linear classifier on them (softmax cross-entropy).""",
        """net = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),    # 8 maps of 4x4
    nn.Conv2d(8, 16, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),   # 16 maps of 2x2
    nn.Flatten(),                                                          # F(x): 64 features
    nn.Linear(64, 10, rng=rng))                                            # f(K): the classifier
print(net)
optimizer = nn.optim.Adam(net.parameters(), lr=0.01)
scheduler = nn.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.3)
start = time.perf_counter()
history = nn.fit(net, nn.CrossEntropyLoss(), optimizer, (images[train], labels[train]),
                 epochs=20, batch_size=64, rng=rng, progress=False,
                 validation=(images[test], labels[test]), scheduler=scheduler)
print(f"trained 20 epochs in {time.perf_counter() - start:.1f}s")
net.eval()
with ag.no_grad():
    accuracy = (net(images[test]).numpy().argmax(axis=1) == labels[test]).mean()
print(f"held-out accuracy: {accuracy:.1%}")
plt.figure(figsize=(5, 3))
plt.plot(history, label="training"); plt.plot(history.validation, label="held out")
plt.xlabel("epoch"); plt.ylabel("cross-entropy"); plt.yscale("log"); plt.legend(); plt.show()""",
        """md:## The learned filters

Each of the 8 filters of the first layer is a 3x3 weight image, drawn like the E/F/L
hidden units' weights (dark = large). Several look like small edge detectors, a dark row
or column beside a light one: they respond where a stroke begins or ends.""",
        """filters = net[0].weight.numpy()[:, 0]          # (8, 3, 3)
fig, axes = plt.subplots(1, 8, figsize=(10, 1.6))
for i, ax in enumerate(axes):
    ax.imshow(filters[i], cmap="gray_r"); ax.set_title(f"filter {i}"); ax.axis("off")
plt.show()""",
        """md:## The feature maps of one digit

Sliding each filter over one image gives its feature map: where in the picture that
filter's pattern occurs (a map that stays blank found nothing it responds to in this
digit). The second layer combines the first layer's maps into 16 coarser ones (half of
them drawn); after pooling, those 64 numbers are all the classifier sees.""",
        """digit = images[test[:1]]                       # one image, shape (1, 1, 8, 8)
with ag.no_grad():
    first = net[:2](digit).numpy()[0]           # after conv 1 and ReLU: 8 maps, 8x8
    second = net[:5](digit).numpy()[0]          # after conv 2 and ReLU: 16 maps, 4x4
fig, axes = plt.subplots(3, 8, figsize=(10, 4.2))
axes[0, 0].imshow(digit[0, 0], cmap="gray_r"); axes[0, 0].set_title(f"a {labels[test[0]]}")
for ax in axes[0, 1:]: ax.axis("off")
axes[0, 0].axis("off")
for i in range(8):
    axes[1, i].imshow(first[i], cmap="gray_r"); axes[1, i].set_title(f"map {i}", fontsize=8)
    axes[2, i].imshow(second[2 * i], cmap="gray_r"); axes[2, i].set_title(f"layer 2, map {2 * i}", fontsize=8)
    axes[1, i].axis("off"); axes[2, i].axis("off")
plt.show()""",
        """md:## $\\mathbf{F}$ as a feature extractor

`net[:7]` is $\\mathbf{F}$: it maps each image to 64 features. The lecture: with a good
feature extractor, learning becomes easy. $\\mathbf{F}$ was learned from 1400 labelled
digits; once it exists, a new classifier needs very little. Take the simplest one there
is, *nearest class mean* (each image goes to the class whose average it is closest to),
with the class means computed from only $k$ labelled images per class, once on the raw
64 pixels and once on the 64 features:""",
        """def nearest_mean_accuracy(x, k):
    per_class = [train[labels[train] == c][:k] for c in range(10)]
    means = np.stack([x[rows].mean(axis=0) for rows in per_class])
    distances = ((x[test][:, None, :] - means[None]) ** 2).sum(axis=-1)
    return (distances.argmin(axis=1) == labels[test]).mean()

F = net[:7]
with ag.no_grad():
    features = F(images).numpy()                 # (1797, 64)
pixels = images.reshape(len(images), -1)          # (1797, 64)
print(f"{'labelled images per class':<26}" + "".join(f"{k:>6}" for k in ("1", "3", "10", "all")))
for name, x in [("raw pixels", pixels), ("features F(x)", features)]:
    print(f"{name:<26}" + "".join(f"{nearest_mean_accuracy(x, k):>6.0%}" for k in (1, 3, 10, 1400)))""",
        """md:From one example per class, the features classify about as well as the raw pixels do
from three; the convolution layers did the work that hand-made features used to do, and
the last layer only has to draw boundaries in a space where the digits already sit apart.""",
    ]
