"""`python -m nn.demo`: the lecture's E/F/L letters network, trained and drawn.

Trains 64 inputs -> 2 sigmoid hidden units -> 3 sigmoid outputs on noisy 8x8
letters, prints the test accuracy, and writes into the output folder:
  hidden_weights.png    each hidden unit's 64 input weights as an 8x8 image
  training_loss.png     the loss per epoch
  grad_flow.png         the size of each parameter's gradient in one step
  training_step.svg     the graph of one training step, after backward
  backward.html         the backward pass of a small step, to step through
Pictures whose tools are missing (matplotlib; a Graphviz layout program,
which `pip install graphviz-pure` provides) are skipped with a note on how
to get them.
"""
import argparse
import os
import sys

import numpy as np

import autograd_core as ag
import nn
from nn import viz


def train(epochs, progress, seed):
    rng = np.random.default_rng(seed)
    X, y = nn.datasets.efl_letters(600, noise=0.3, rng=rng)
    X_test, y_test = nn.datasets.efl_letters(600, noise=0.3, rng=rng)
    net = nn.Sequential(nn.Linear(64, 2, rng=rng), nn.Sigmoid(), nn.Linear(2, 3, rng=rng), nn.Sigmoid())
    targets = nn.functional.one_hot(y, 3).numpy().astype(np.float32)
    history = nn.fit(net, nn.MSELoss(), nn.optim.Adam(net.parameters(), lr=0.05), (X, targets),
                     epochs=epochs, batch_size=64, rng=rng, progress=progress)
    with ag.no_grad():
        accuracy = float((net(X_test).numpy().argmax(axis=1) == y_test).mean())
    return net, history, accuracy, (X, targets)


def save_figure(fig, path):
    import matplotlib.pyplot as plt
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path


def explorer_page(X, targets, path):
    """The backward pass of a small layer's step, as the explorer's page."""
    small = nn.Sequential(nn.Linear(3, 2, rng=np.random.default_rng(1)), nn.Sigmoid())
    loss = nn.MSELoss()(small(X[:2, :3]), targets[:2, :2])
    return viz.explore(loss, params=small).save(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="demo_out", help="output folder (default: ./demo_out)")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)

    print("Training 64 -> 2 -> 3 sigmoid network on noisy E/F/L letters")
    net, history, accuracy, (X, targets) = train(args.epochs, not args.no_progress, args.seed)
    print(f"final training loss {history[-1]:.4f}; test accuracy {accuracy:.1%}")
    written, skipped = [], []

    # one training step on a few images: a plain backward frees what the ops
    # saved, so nothing stays locked while the pictures are made
    loss = nn.MSELoss()(net(X[:4]), targets[:4])
    net.zero_grad()
    loss.backward()
    try:
        import matplotlib
        matplotlib.use("Agg")
        for name, make in [("hidden_weights.png", lambda: viz.show_weights(net[0], shape=(8, 8))),
                           ("training_loss.png", lambda: viz.plot_history(history, log=True)),
                           ("grad_flow.png", lambda: viz.grad_flow(net))]:
            written.append(save_figure(make(), os.path.join(args.out, name)))
    except ImportError:
        skipped.append("hidden_weights.png, training_loss.png and grad_flow.png: need "
                       "matplotlib (pip install -e \".[viz]\", or pip install matplotlib)")

    step = viz.draw_graph(loss, params=net)
    if viz.layout_program():
        written.append(step.render(os.path.join(args.out, "training_step"), format="svg",
                                   cleanup=True))
        written.append(explorer_page(X, targets, os.path.join(args.out, "backward.html")))
    else:
        path = os.path.join(args.out, "training_step.dot")
        step.save(path)
        written.append(path)
        skipped.append("training_step.svg and backward.html: need a Graphviz layout program: "
                       "pip install graphviz-pure (in pip install -e \".[viz]\"), or Graphviz's "
                       "dot (apt-get install graphviz, brew install graphviz); the graph's DOT "
                       "source was written instead")

    for path in written:
        print("wrote", path)
    for note in skipped:
        print("skipped", note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
