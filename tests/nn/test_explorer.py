"""The backward-pass explorer: what it replays, and the page driven in
headless Chromium (Playwright with the system's Chromium)."""
import json
import os
import random
import re

import numpy as np
import pytest

import nn
from autograd_core import Tensor, Value
from nn import viz

from .conftest import require

CHROMIUM_FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def page_data(explorer):
    return json.loads(re.search(r'class="agx-data">(.*?)</script>', explorer.html(), re.S).group(1))


def mlp(sizes=(4, 8, 8, 3), seed=0, batch=5):
    rng = np.random.default_rng(seed)
    layers = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        layers += [nn.Linear(a, b, rng=rng)] + ([nn.Sigmoid()] if i < len(sizes) - 2 else [])
    net = nn.Sequential(*layers)
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    loss = nn.functional.cross_entropy(net(x), rng.integers(0, sizes[-1], batch))
    return net, loss


def value_mlp(sizes=(2, 16, 16, 1)):
    """micrograd's demo network on one point: about 1,000 nodes."""
    rng = random.Random(1)
    layers = [[([Value(rng.uniform(-1, 1)) for _ in range(nin)], Value(0.0)) for _ in range(nout)]
              for nin, nout in zip(sizes, sizes[1:])]
    act = [Value(0.5, label="x0"), Value(-0.3, label="x1")]
    for depth, layer in enumerate(layers):
        act = [sum((w * a for w, a in zip(ws, act)), b) for ws, b in layer]
        if depth < len(layers) - 1:
            act = [a.relu() for a in act]
    return (act[0] - 1.0) ** 2


def test_explore_works_before_and_after_backward_and_leaves_grads_alone():
    x = Value(3.0, label="x")
    y = x * x + x
    ex = viz.explore(y)  # before backward
    assert ex.steps == 3 and x.grad == 0.0 and y.grad == 0.0
    y.backward()
    assert viz.explore(y).steps == 3 and x.grad == 7.0  # a Value graph: after any backward
    net, loss = mlp()
    before = viz.explore(loss, params=net)
    assert all(p.grad is None for p in net.parameters())
    loss.backward(retain_graph=True)
    grads = [p.grad.data.copy() for p in net.parameters()]
    after = viz.explore(loss, params=net)
    assert before.steps == after.steps == 12
    assert all(np.array_equal(p.grad.data, g) for p, g in zip(net.parameters(), grads))
    loss.backward()  # frees what the ops saved
    with pytest.raises(RuntimeError, match=r"explore\(\) replays.*retain_graph=True"):
        viz.explore(loss)


def test_partial_sums_then_the_complete_gradient():
    x = Value(3.0, label="x")
    y = x * x + x  # x receives three shares: 3 and 3 from the product, 1 from the sum
    data = page_data(viz.explore(y))
    key = next(k for k, n in data["nodes"].items() if n.get("name") == "x")
    timeline = data["timeline"][key]
    shown = [(step, data["versions"][v]["lines"][0], complete) for step, v, complete in timeline]
    assert shown == [(1, "1", 0), (2, "4", 0), (2, "7", 0), (3, "7", 1)]
    frames = data["frames"]
    assert frames[0]["active"] is None and "Before the sweep" in frames[0]["caption"]
    assert "sends 3 to x (its sum so far: 4); 3 to x (its sum so far: 7)" in frames[2]["caption"]
    assert "x, a leaf, is reached. Its gradient is complete: 7" in frames[3]["caption"]
    assert len(frames[2]["edges"]) == 3  # the op to its result, and both of x's edges


def test_tensor_gradients_shown_as_numbers_or_heatmaps():
    net, loss = mlp((64, 2, 3), batch=4)
    data = page_data(viz.explore(loss, params=net))
    weight = next(n for n in data["nodes"].values() if n.get("name") == "0.weight")
    heat = weight["data"]["value"]["heat"]
    assert heat["tiles"] == [8, 8] and heat["rows"] == 2 and heat["cols"] == 64  # two 8x8 units
    assert weight["shape"] == [2, 64] and weight["dtype"] == "float32"
    small = next(n for n in data["nodes"].values() if n.get("name") == "2.bias")
    assert "value" not in small["data"] and small["data"]["lines"][0].startswith("[")


def test_the_page_is_self_contained_and_animate_backward_saves_it(tmp_path):
    x = Value(2.0, label="x")
    y = (x * x).tanh()
    ex = viz.explore(y)
    html = ex._repr_html_()
    assert "data-autograd-explorer" in html and 'data-step="0"' in html and 'data-steps="3"' in html
    assert not re.search(r'(src|href)="|<link|url\(|@import|https?:', html)  # nothing to fetch
    path = viz.animate_backward(y, tmp_path / "page.html")
    text = open(path, encoding="utf-8").read()
    assert text.startswith("<!DOCTYPE html>") and text.count("<svg") == 1
    assert "agx-page" in text
    with pytest.raises(TypeError, match="collapse= is draw_graph's"):
        viz.explore(y, collapse=True)
    with pytest.raises(TypeError, match="unexpected options"):
        viz.explore(y, colour="red")


def test_a_thousand_node_page_stays_small():
    ex = viz.explore(value_mlp())
    assert 900 <= ex.steps <= 1100
    assert len(ex.html().encode("utf-8")) < 5e6  # its build time is measured in bench/


# -- in the browser -----------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    require("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip('playwright is not installed: pip install -e ".[test]"')
    runner = sync_playwright().start()
    chromium = runner.chromium.launch(executable_path=require("chromium"), args=CHROMIUM_FLAGS)
    yield chromium
    chromium.close()
    runner.stop()


def mlp_page(path, sizes=(4, 8, 8, 3)):
    """The explorer of an MLP's loss, saved. The graph lives only in this
    frame: frames the browser driver keeps for a while must not keep it."""
    net, loss = mlp(sizes)
    return viz.explore(loss, params=net).save(path)


def open_page(browser, path, errors):
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page


POSITIONS = """() => {
  const svg = document.querySelector("[data-autograd-explorer] svg").getBoundingClientRect();
  const out = {};
  for (const g of document.querySelectorAll("[data-node]")) {
    const r = g.getBoundingClientRect();
    out[g.dataset.node] = [r.left - svg.left, r.top - svg.top, r.width, r.height];
  }
  return out;
}"""

ACTIVE_IN_VIEW = """() => {
  const active = document.querySelectorAll(".active");
  if (active.length !== 1) return "active nodes: " + active.length;
  const r = active[0].getBoundingClientRect();
  const v = document.querySelector(".agx-view").getBoundingClientRect();
  const inside = (a, b) => a.left >= b.left - 1 && a.right <= b.right + 1 &&
                           a.top >= b.top - 1 && a.bottom <= b.bottom + 1;
  const screen = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
  return inside(r, v) && inside(r, screen) ? "ok" : JSON.stringify([r, v]);
}"""

SMALLEST_TEXT = """() => {  // font size on screen, in CSS pixels
  let least = Infinity;
  for (const t of document.querySelectorAll("[data-node] text")) {
    least = Math.min(least, parseFloat(t.getAttribute("font-size")) * t.getScreenCTM().a);
  }
  return least;
}"""


def test_the_page_steps_with_the_keys_and_nothing_moves(browser, tmp_path, layout):
    path = mlp_page(tmp_path / "mlp.html")  # a 3-layer MLP, drawn per layer
    errors = []
    page = open_page(browser, path, errors)
    root = "[data-autograd-explorer]"
    assert page.get_attribute(root, "data-step") == "0"
    assert page.get_attribute(root, "data-steps") == "12"
    # fit to the width at the start, text still readable: at least 9 px
    assert page.evaluate(SMALLEST_TEXT) >= 9
    start = page.evaluate(POSITIONS)
    assert len(start) == len(page.query_selector_all("[data-node]")) == 20  # 13 values, 6 ops, 1 constant
    captions = [page.inner_text("[data-caption]")]
    for key, expected in [("ArrowRight", 1), ("ArrowRight", 2), ("End", 12), ("ArrowLeft", 11),
                          ("Home", 0), ("ArrowLeft", 0), ("ArrowRight", 1)]:
        page.keyboard.press(key)
        assert page.get_attribute(root, "data-step") == str(expected)
        captions.append(page.inner_text("[data-caption]"))
        if expected:
            assert page.evaluate(ACTIVE_IN_VIEW) == "ok", key
        else:
            assert page.query_selector_all(".active") == []
        now = page.evaluate(POSITIONS)
        moved = [k for k in start if any(abs(a - b) > 0.5 for a, b in zip(start[k], now[k]))]
        assert not moved, (key, moved[:5])
    assert captions[1] != captions[0] != captions[2] and captions[1] == captions[-1]
    assert "Step 12 of 12" in captions[3]
    # a gradient changes from unknown to partial to complete as the steps go
    page.keyboard.press("Home")
    weight = page.query_selector('[data-node] text:text-is("0.weight")')
    node = weight.evaluate_handle("t => t.closest('[data-node]')").as_element()
    assert node.get_attribute("data-grad") == "unknown"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # step 2: the last Linear sends to its weight
    weight_of_last = page.query_selector('[data-node] text:text-is("4.weight")')
    last = weight_of_last.evaluate_handle("t => t.closest('[data-node]')").as_element()
    assert last.get_attribute("data-grad") == "partial"
    assert last.query_selector('[data-role="grad"]').get_attribute("font-style") == "italic"
    page.keyboard.press("End")
    assert node.get_attribute("data-grad") == "complete"
    assert node.query_selector('[data-role="gradbg"]').get_attribute("fill") == "#b6e3b6"
    assert page.is_hidden("[data-details]")
    node.click()
    details = page.inner_text("[data-details]")
    assert page.is_visible("[data-details]") and "0.weight" in details
    assert "shape (8, 4), float32" in details and "gradient at step 12: complete" in details
    page.click('[data-act="prev"]')
    assert page.get_attribute(root, "data-step") == "11"
    assert errors == []


def notebook_page(path):
    """Two explorers' outputs in one page, as a notebook shows them."""
    net, loss = mlp((64, 2, 3), batch=4)  # the lecture's 64-input units, as 8x8 images
    first, second = viz.explore(loss, params=net), viz.explore(Value(2.0, label="v") * 3.0)
    path.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                    f"{first._repr_html_()}<p>text between cells</p>{second._repr_html_()}"
                    "</body></html>", encoding="utf-8")
    return path, first.steps


def test_heatmaps_two_explorers_on_one_page_and_play(browser, tmp_path):
    path, steps = notebook_page(tmp_path / "notebook.html")
    assert steps == 8  # the loss, two Linear and a Sigmoid, four parameters
    errors = []
    page = open_page(browser, path, errors)
    roots = page.query_selector_all("[data-autograd-explorer]")
    assert len(roots) == 2 and [r.get_attribute("data-step") for r in roots] == ["0", "0"]
    weight = roots[0].query_selector('[data-node] text:text-is("0.weight")')
    weight.click()
    canvases = roots[0].query_selector_all("[data-details] canvas")
    assert [(c.get_attribute("width"), c.get_attribute("height")) for c in canvases] == \
        [("8", "8")] * 2  # data: two units as 8x8 images (no gradient before the sweep)
    roots[0].press("End")
    assert len(roots[0].query_selector_all("[data-details] canvas")) == 4  # and now the gradient
    assert [r.get_attribute("data-step") for r in roots] == [str(steps), "0"]
    roots[1].query_selector('[data-act="play"]').click()
    page.wait_for_function("() => document.querySelectorAll('[data-autograd-explorer]')[1]"
                           ".dataset.step === '2'", timeout=5000)
    assert "Step 2 of 2" in roots[1].query_selector("[data-caption]").inner_text()
    assert errors == []
