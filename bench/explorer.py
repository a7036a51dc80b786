"""The explorer's cost on micrograd's demo network, 2-16-16-1 on one point
(about 1,000 nodes and steps): build time and page size in Python, and the
time a step takes in headless Chromium (issue 13's targets: under 5 s, under
5 MB, under 50 ms a step).

    python bench/explorer.py            # build only
    python bench/explorer.py --browser  # and step through it in Chromium

A step is timed from the key press to the end of the style and layout it
causes (forced with getBoundingClientRect), which is what the page waits on;
painting follows within the next frame.
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from autograd_core import Value  # noqa: E402
from nn import viz  # noqa: E402

CHROMIUM_FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def value_mlp(sizes=(2, 16, 16, 1), seed=1):
    rng = random.Random(seed)
    layers = [[([Value(rng.uniform(-1, 1)) for _ in range(nin)], Value(0.0)) for _ in range(nout)]
              for nin, nout in zip(sizes, sizes[1:])]
    act = [Value(0.5, label="x0"), Value(-0.3, label="x1")]
    for depth, layer in enumerate(layers):
        act = [sum((w * a for w, a in zip(ws, act)), b) for ws, b in layer]
        if depth < len(layers) - 1:
            act = [a.relu() for a in act]
    return (act[0] - 1.0) ** 2


def build(repeats=3):
    times = []
    for _ in range(repeats):
        loss = value_mlp()
        start = time.perf_counter()
        explorer = viz.explore(loss)
        page = explorer.html(standalone=True)
        times.append(time.perf_counter() - start)
    return explorer, min(times), len(page.encode("utf-8"))


STEP = """async (key) => {
  const root = document.querySelector("[data-autograd-explorer]");
  const start = performance.now();
  root.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true}));
  document.body.getBoundingClientRect();
  return performance.now() - start;
}"""


def browse(explorer, steps=200):
    from playwright.sync_api import sync_playwright
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        path = explorer.save(os.path.join(folder, "mlp.html"))
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        page.goto("file://" + path)
        page.wait_for_selector("[data-autograd-explorer][data-step='0']")
        opened = time.perf_counter() - start
        forward = [page.evaluate(STEP, "ArrowRight") for _ in range(steps)]
        jumps = [page.evaluate(STEP, key) for key in ("End", "Home") * 5]
        browser.close()
    return opened, forward, jumps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also time steps in Chromium")
    args = parser.parse_args()
    explorer, seconds, size = build()
    print(f"2-16-16-1 Value MLP explorer: {explorer.steps} steps, built in {seconds:.2f} s "
          f"(target < 5 s), page {size / 1e6:.2f} MB (target < 5 MB), layout by "
          f"{os.path.basename(viz.layout_program() or 'nothing')}")
    if args.browser:
        opened, forward, jumps = browse(explorer)
        print(f"opens in {opened:.2f} s; a step (ArrowRight): median "
              f"{statistics.median(forward):.1f} ms, max {max(forward):.1f} ms (target < 50 ms); "
              f"first step to last and back (End/Home): median {statistics.median(jumps):.1f} ms, "
              f"max {max(jumps):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
