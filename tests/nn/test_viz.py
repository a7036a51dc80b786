"""Pictures: DOT source, rendering with Graphviz, the backward pass frame by
frame, and the animation page driven in headless Chromium."""
import json
import os
import re
import shutil
import subprocess

import numpy as np
import pytest

import nn
from autograd_core import Tensor, Value
from nn import viz

NEEDS = {"dot": shutil.which("dot"), "chromium": shutil.which("chromium")}


def require(program):
    """CI installs Graphviz and Chromium: there these tests must run, not skip."""
    if NEEDS[program] is None:
        if os.environ.get("CI"):
            pytest.fail(f"{program} is not installed; .ci/run installs it")
        pytest.skip(f"{program} is not installed")


def value_graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b + a
    c.label = "c"
    d = (c * 2.0).tanh()
    d.label = "d"
    return a, b, c, d


def test_labels_are_escaped_for_dot_not_html():
    x = Value(1.0, label="x<y")
    source = viz.draw_graph(x * 2, legend=False).source
    assert "x\\<y" in source and "&lt;" not in source


def small_net_loss(seed=0):
    rng = np.random.default_rng(seed)
    net = nn.Sequential(nn.Linear(4, 3, rng=rng), nn.Sigmoid(), nn.Linear(3, 2, rng=rng))
    x = Tensor(rng.standard_normal((5, 4)).astype(np.float32))
    loss = nn.functional.cross_entropy(net(x), rng.integers(0, 2, 5))
    return net, x, loss


def node_lines(source):
    return [line for line in source.splitlines() if "[label=" in line and "legend_" not in line]


def test_value_graph_source_before_and_after_backward():
    a, b, c, d = value_graph()
    before = viz.draw_graph(d, legend=False).source
    assert "step" not in before and "grad 0" in before
    d.backward()
    source = viz.draw_graph(d, legend=False).source
    labels = node_lines(source)
    assert len([x for x in labels if 'shape="record"' in x]) == 6  # a, b, a*b, c, c*2, d
    assert len([x for x in labels if 'shape="ellipse"' in x]) == 4  # *, +, *, tanh
    assert len([x for x in labels if 'shape="box"' in x]) == 1  # the constant 2.0
    assert f"grad {a.grad:.4g}" in source and "{a | data 2 |" in source
    assert re.findall(r"step (\d+) of 6", source) and "tanh\\nstep 1 of 6" in source
    assert source.count("->") == 4 + 2 + 2 + 2 + 1  # one edge per argument and per result


def test_an_operand_used_twice_gets_two_edges():
    a = Value(1.5, label="a")
    s = a + a
    source = viz.draw_graph(s, legend=False).source
    a_id = re.search(r"(n\d+) \[label=\"\{a ", source).group(1)
    assert len(re.findall(rf"{a_id} -> op", source)) == 2


def test_tensor_graph_names_shapes_values_and_groups():
    net, x, loss = small_net_loss()
    loss.backward()
    source = viz.draw_graph(loss, params=net).source
    assert "0.weight" in source and "2.bias" in source
    assert "(3, 4) float32" in source and "min " in source and "mean " in source  # 12 values
    assert "(3,) float32" in source and "grad [" in source  # 3 values shown, with their grad
    assert 'label="0: Linear(4 -> 3)"' in source and 'label="1: Sigmoid"' in source
    assert "legend_parameter" in source
    # the input needs no gradient: drawn faded
    x_line = next(line for line in node_lines(source) if "(5, 4) float32" in line)
    assert "#cfe2f3" in x_line and "fontcolor=\"#999999\"" in x_line
    collapsed = viz.draw_graph(loss, params=net, collapse=True, legend=False).source
    assert len(node_lines(collapsed)) < len(node_lines(source)) - 5
    assert collapsed.count("box3d") == 3 and "2: Linear(3 -> 2)" in collapsed
    assert '[label="Linear' in source and '[label="Linear' not in collapsed  # inside the boxes
    assert re.findall(r"step \d+ of (\d+)", collapsed) and "of 0" not in collapsed


def test_backward_steps_highlight_each_node_and_leave_grads_alone():
    a, b, c, d = value_graph()
    d.backward()
    grads = [a.grad, b.grad, c.grad]
    pictures = viz.backward_steps(d)
    assert len(pictures) == 6
    highlighted = [re.search(r'(n\d+) \[label=[^\n]*penwidth="3"', p.source).group(1) for p in pictures]
    assert len(set(highlighted)) == 6
    assert "grad" not in pictures[0].source.split("d | data")[0]  # only the output known at first
    assert [a.grad, b.grad, c.grad] == grads


def test_backward_steps_on_tensors_need_the_saved_arrays():
    net, x, loss = small_net_loss()
    assert len(viz.backward_steps(loss, params=net)) > 5  # before backward: fine
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        viz.backward_steps(loss)


def test_render_svg_with_dot(tmp_path):
    require("dot")
    net, x, loss = small_net_loss()
    loss.backward()
    path = viz.draw_graph(loss, params=net).render(tmp_path / "graph", format="svg")
    svg = open(path).read()
    assert svg.startswith("<?xml") and "<svg" in svg and "0.weight" in svg


def test_missing_dot_gives_install_instructions(monkeypatch, tmp_path):
    import graphviz
    monkeypatch.setenv("PATH", "/nonexistent")
    a, b, c, d = value_graph()
    picture = viz.draw_graph(d)
    assert "digraph" in picture.source  # drawing works without dot
    with pytest.raises(viz.GraphvizNotFound, match="apt-get install graphviz.*brew.*conda"):
        picture.pipe(format="svg")
    with pytest.raises(viz.GraphvizNotFound, match="apt-get install graphviz"):
        picture.render(tmp_path / "x", format="svg")
    assert isinstance(graphviz.ExecutableNotFound, type)


def test_animation_page_steps_in_headless_chromium(tmp_path):
    require("dot")
    require("chromium")
    a, b, c, d = value_graph()
    page = tmp_path / "backward.html"
    viz.animate_backward(d, page)
    text = page.read_text()
    assert not re.search(r'(src|href)="(http|//)|<link|<script src', text)  # nothing to fetch
    assert text.count("<svg") == 6
    # Drive the real page: catch script errors from the start, then click through it.
    probe = """<script>
window.__errors = [];
window.addEventListener("error", e => window.__errors.push(String(e.message)));
</script>"""
    driver = """<script>
(() => {
function highlighted() {
  for (const g of document.querySelectorAll("#frame g.node")) {
    if (g.querySelector('[stroke="#e06666"]')) return g.querySelector("title").textContent;
  }
  return null;
}
const seen = [highlighted()];
const counters = [document.getElementById("counter").textContent];
for (let i = 0; i < 5; i++) {
  document.getElementById("next").click();
  seen.push(highlighted());
  counters.push(document.getElementById("counter").textContent);
}
document.getElementById("prev").click();
const back = highlighted();
const range = document.getElementById("slider");
range.value = 0; range.dispatchEvent(new Event("input"));
const first = highlighted();
document.getElementById("play").click();
setTimeout(() => {
  const out = document.createElement("pre");
  out.id = "results";
  out.textContent = JSON.stringify({seen, counters, back, first,
    played: document.getElementById("counter").textContent, errors: window.__errors});
  document.body.appendChild(out);
}, 6000);  // play advances every 800 ms; virtual time makes this instant
})();
</script>"""
    driven = tmp_path / "driven.html"
    driven.write_text(text.replace("<head>", "<head>" + probe, 1).replace("</body>", driver + "</body>"))
    result = subprocess.run(
        [NEEDS["chromium"], "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=10000",
         "--dump-dom", driven.as_uri()],
        capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="results">(.*?)</pre>', result.stdout, re.S)
    assert found, result.stderr[-2000:]
    results = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    assert results["errors"] == []
    assert None not in results["seen"] and len(set(results["seen"])) == 6  # a new node each step
    assert results["counters"][0] == "step 1 of 6" and results["counters"][-1] == "step 6 of 6"
    assert results["back"] == results["seen"][4] and results["first"] == results["seen"][0]
    assert results["played"] == "step 6 of 6"  # play ran to the end
    assert "Uncaught" not in result.stderr


def test_weights_and_history_plots():
    if not os.environ.get("CI"):  # CI installs the viz extra: there it must import
        pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    layer = nn.Linear(64, 2)
    fig = viz.show_weights(layer, shape=(8, 8))
    assert len(fig.axes) == 2 and fig.axes[0].images[0].get_array().shape == (8, 8)
    with pytest.raises(ValueError, match="holds 49 pixels"):
        viz.show_weights(layer, shape=(7, 7))
    fig = viz.plot_history([1.0, 0.5, 0.25])
    assert list(fig.axes[0].lines[0].get_ydata()) == [1.0, 0.5, 0.25]
