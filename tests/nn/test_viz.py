"""Static pictures: what the DOT says (steps, kinds, names, boxes, legend,
layout direction, texts), and rendering with `dot` and with `graphviz-pure`."""
import re
import subprocess
import sys

import numpy as np
import pytest

import nn
from autograd_core import Tensor, Value
from nn import viz
from nn.viz.text import array_lines, number


def micrograd_example():
    """Karpathy's example: L = (a*b + c) * f."""
    a, b, c, f = (Value(x, label=n) for x, n in ((2.0, "a"), (-3.0, "b"), (10.0, "c"), (-2.0, "f")))
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return dict(a=a, b=b, c=c, f=f, e=e, d=d, L=L)


def small_net_loss(seed=0):
    rng = np.random.default_rng(seed)
    net = nn.Sequential(nn.Linear(4, 3, rng=rng), nn.Sigmoid(), nn.Linear(3, 2, rng=rng))
    x = Tensor(rng.standard_normal((5, 4)).astype(np.float32))
    loss = nn.functional.cross_entropy(net(x), rng.integers(0, 2, 5))
    return net, x, loss


def node_lines(source):
    return [line for line in source.splitlines() if re.match(r"\s*[voc]\d+ \[label=", line)]


def steps_in(source):
    return sorted(int(s) for s in re.findall(r"step (\d+) of \d+", source))


def test_every_node_the_sweep_visits_shows_its_step_without_gaps():
    g = micrograd_example()
    before = viz.draw_graph(g["L"], legend=False).source
    assert "step" not in before and "grad 0" in before  # micrograd's zero before backward
    g["L"].backward()
    source = viz.draw_graph(g["L"]).source
    assert steps_in(source) == list(range(1, 8))  # ops and leaves: 1..7, each once
    assert re.search(r"o0 \[label=<\*<BR/>step 1 of 7>", source)  # the last op goes first
    leaf_steps = {name: int(re.search(rf"<B>{name}</B>.*?step (\d+) of 7", source).group(1))
                  for name in "abcf"}
    assert leaf_steps == {"f": 4, "c": 5, "b": 6, "a": 7}
    assert "its turn in backward" in source


def test_the_picture_and_the_explorer_agree_on_the_steps():
    g = micrograd_example()
    explorer = viz.explore(g["L"])  # runs the sweep itself: the nodes now know their steps
    order = [frame["active"] for frame in explorer_data(explorer)["frames"][1:]]
    lines = {m.group(1): m.group(0) for m in
             re.finditer(r"([voc]\d+) \[label=.*", viz.draw_graph(g["L"], legend=False).source)}
    for step, key in enumerate(order, 1):
        # an op's step is on its ellipse, a leaf's in its box
        shown = lines.get("o" + key[1:], lines[key])
        assert f"step {step} of 7" in shown, (step, key, shown)


def explorer_data(explorer):
    import json
    text = re.search(r'class="agx-data">(.*?)</script>', explorer.html(), re.S).group(1)
    return json.loads(text)


def test_value_leaves_are_told_apart_only_where_the_code_knows():
    g = micrograd_example()
    g["L"].backward()
    plain = viz.draw_graph(g["L"]).source
    assert "leaf you made" in plain and "parameter" not in plain and ">input<" not in plain
    with_params = viz.draw_graph(g["L"], params={"a": g["a"], "b": g["b"]}).source
    a_line = next(x for x in node_lines(with_params) if "<B>a</B>" in x)
    c_line = next(x for x in node_lines(with_params) if "<B>c</B>" in x)
    assert "#fce5cd" in a_line and "#cfe2f3" in c_line  # a parameter, an input
    assert ">parameter<" in with_params and ">input<" in with_params
    unnamed = viz.draw_graph(g["L"], params=[g["f"]]).source  # parameters without names
    assert "#fce5cd" in next(x for x in node_lines(unnamed) if "<B>f</B>" in x)
    with pytest.raises(TypeError, match="not a Value or Tensor"):
        viz.draw_graph(g["L"], params={"a": 1.0})


def test_tensor_graph_names_shapes_values_boxes_and_legend():
    net, x, loss = small_net_loss()
    loss.backward()
    source = viz.draw_graph(loss, params=net).source
    assert "<B>0.weight</B>" in source and "<B>2.bias</B>" in source
    assert "(3, 4) float32" in source and "data [[" in source  # 12 values: by rows
    assert "(5, 4) float32" in source and "min " in source and "mean " in source  # 20: summary
    assert "(3,) float32" in source and "grad [" in source
    # layers described generically, from extra_repr(), as PyTorch prints them
    assert "label=<0: Linear(in_features=4, out_features=3, bias=True)>" in source
    assert "label=<1: Sigmoid>" in source
    x_line = next(line for line in node_lines(source) if "(5, 4) float32" in line)
    assert "#cfe2f3" in x_line and 'fontcolor="#999999"' in x_line  # an input: no gradient
    legend = source[source.rindex("label=<<TABLE"):]
    for item in ("input", "parameter", "intermediate", "output", "constant", "grey: no gradient",
                 "layer"):
        assert item in legend
    assert "leaf you made" not in legend and "being processed" not in legend  # not drawn
    assert legend.count("<TABLE") == 1  # one small table
    assert "\tlabel=<<TABLE" not in viz.draw_graph(loss, params=net, legend=False).source


def test_after_backward_the_gradients_shown_are_the_stored_ones():
    net, x, loss = small_net_loss()
    hidden = net[:2](x)
    hidden.retain_grad()
    loss = nn.functional.cross_entropy(net[2](hidden), np.array([0, 1, 1, 0, 1]))
    loss.backward()
    source = viz.draw_graph(loss, params=net, legend=False).source
    with_grad = [line for line in node_lines(source) if ">grad " in line]
    # every parameter, and the tensor that retains its gradient; not other intermediates
    assert len(with_grad) == 4 + 1
    assert any("(5, 3) float32" in line for line in with_grad)


def test_small_matrices_by_rows_and_minus_zero_as_zero():
    assert number(-0.0) == "0" and number(-1e-30) == "-1e-30" and number(2.5) == "2.5"
    assert array_lines(np.array([[1.0, -0.0], [3.0, 4.0]])) == ["[[1, 0],", " [3, 4]]"]
    assert array_lines(np.array([[1.0, 2.0, 3.0]])) == ["[1, 2, 3]"]
    assert array_lines(np.arange(12.0).reshape(3, 4))[1] == " [4, 5, 6, 7],"
    assert array_lines(np.arange(20.0)) == ["min 0 max 19", "mean 9.5"]
    assert array_lines(np.array([1.0, np.nan, np.inf] * 3)) == ["min 1 max 1", "mean 1 (6 nan/inf)"]
    x = Value(-0.0, label="z")
    assert "data 0<" in viz.draw_graph(x * 1.0, legend=False).source


def test_rankdir_from_the_graph_shape():
    g = micrograd_example()
    assert viz.draw_graph(g["L"]).graph_attr["rankdir"] == "LR"  # small: micrograd's look
    net, x, loss = small_net_loss()
    assert viz.draw_graph(loss, params=net).graph_attr["rankdir"] == "TB"
    assert viz.draw_graph(loss, params=net, rankdir="LR").graph_attr["rankdir"] == "LR"


def test_an_operand_used_twice_gets_two_edges():
    a = Value(1.5, label="a")
    source = viz.draw_graph(a + a, legend=False).source
    a_key = re.search(r"(v\d+) \[label=<<TABLE[^\n]*<B>a</B>", source).group(1)
    assert len(re.findall(rf"{a_key} -> o0", source)) == 2


def test_a_numpy_input_converted_inside_a_layer_is_drawn_outside_its_box():
    rng = np.random.default_rng(0)
    net = nn.Sequential(nn.Linear(3, 2, rng=rng), nn.Sigmoid())
    loss = net(np.ones((4, 3), dtype=np.float32)).sum()
    source = viz.draw_graph(loss, params=net).source
    box = source[source.index("label=<0: Linear"):]
    box = box[:box.index("\t}\n")]
    assert "(4, 3) float32" in source and "(4, 3) float32" not in box
    assert "0.weight" in box and "0.bias" in box


def test_collapsed_boxes_list_the_steps_inside():
    net, x, loss = small_net_loss()
    loss.backward()
    full = viz.draw_graph(loss, params=net)
    collapsed = viz.draw_graph(loss, params=net, collapse=True).source
    assert len(node_lines(collapsed)) < len(node_lines(full.source)) - 4
    assert collapsed.count("box3d") == 3
    first = re.search(r"0: Linear\(in_features=4, out_features=3, bias=True\)<BR/>steps ([\d, -]+) "
                      r"of (\d+)", collapsed)
    assert first and first.group(2) == str(max(steps_in(full.source)))
    assert "step 3 of" in re.search(r"1: Sigmoid<BR/>[^>]*", collapsed).group(0)


def test_steps_of_another_sweep_are_not_shown():
    g = micrograd_example()
    g["L"].backward()
    source = viz.draw_graph(g["d"]).source  # d was step 2 of L's sweep, not step 1 of its own
    assert "step " not in source.replace("step numbers not shown", "")
    assert "did not start at this one" in source


def test_backward_steps_highlight_each_node_and_leave_grads_alone():
    g = micrograd_example()
    g["L"].backward()
    grads = {k: v.grad for k, v in g.items()}
    pictures = viz.backward_steps(g["L"])
    assert len(pictures) == 7
    marked = [re.search(r"(v\d+) \[label=[^\n]*penwidth=3", p.source).group(1) for p in pictures]
    assert len(set(marked)) == 7 and marked[0] == "v0"
    assert "grad" not in pictures[0].source.split("<B>d</B>")[1].split("]")[0]  # not reached yet
    assert "being processed" in pictures[0].source
    assert {k: v.grad for k, v in g.items()} == grads


def test_backward_steps_on_tensors_need_the_saved_arrays():
    net, x, loss = small_net_loss()
    assert len(viz.backward_steps(loss, params=net)) > 5  # before backward: fine
    loss.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        viz.backward_steps(loss)


@pytest.mark.parametrize("text", ["a|b", "back\\slash", "{x}", "x<y>z", 'say "hi"', "a & b"])
def test_labels_with_markup_characters_render(text, layout):
    x = Value(1.0, label=text)
    picture = viz.draw_graph(x * 2)
    svg = picture.pipe(format="svg", encoding="utf-8")
    import html
    shown = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    assert text in shown


def test_render_svg_and_png(tmp_path, layout):
    net, x, loss = small_net_loss()
    loss.backward()
    picture = viz.draw_graph(loss, params=net)
    path = picture.render(tmp_path / "graph", format="svg")
    svg = open(path).read()
    assert path.endswith("graph.svg") and "<svg" in svg and "0.weight" in svg
    png = picture.pipe(format="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in picture._repr_image_svg_xml()  # what Jupyter shows inline
    out = picture.render(outfile=tmp_path / "named.png", cleanup=True)
    assert out.endswith("named.png") and (tmp_path / "named.png").read_bytes()[:4] == b"\x89PNG"


def test_without_any_layout_program_drawing_works_and_rendering_says_how(no_layout, tmp_path):
    g = micrograd_example()
    picture = viz.draw_graph(g["L"])
    assert "digraph" in picture.source
    with pytest.raises(viz.GraphvizNotFound, match="pip install graphviz-pure.*apt-get install"):
        picture.pipe(format="svg")
    with pytest.raises(viz.GraphvizNotFound, match="graphviz-pure"):
        picture.render(tmp_path / "x", format="svg")


def test_import_nn_gives_viz_without_matplotlib_and_quickly():
    code = ("import sys, time; t = time.perf_counter(); import nn; t = time.perf_counter() - t; "
            "nn.viz.draw_graph; nn.viz.explore; "
            "assert 'matplotlib' not in sys.modules and 'IPython' not in sys.modules; print(t)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def mlp3():
    rng = np.random.default_rng(0)
    net = nn.Sequential(nn.Linear(4, 8, rng=rng), nn.Sigmoid(), nn.Linear(8, 8, rng=rng),
                        nn.Sigmoid(), nn.Linear(8, 3, rng=rng))
    x = rng.standard_normal((5, 4)).astype(np.float32)
    return net, nn.functional.cross_entropy(net(x), rng.integers(0, 3, 5))


def test_a_three_layer_mlp_fits_a_notebook_cell(layout):
    net, loss = mlp3()
    loss.backward()
    svg = viz.draw_graph(loss, params=net).pipe(format="svg", encoding="utf-8")
    width = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1)) * 4 / 3  # in CSS px
    assert width <= 900, width


def test_gradients_given_as_tensors_are_read_not_converted():
    net, loss = mlp3()
    grads = {id(p): Tensor(np.ones(p.shape, dtype=np.float32), requires_grad=True)
             for p in net.parameters()}
    source = viz.draw_graph(loss, params=net, grads=grads, legend=False).source
    assert source.count("grad min 1 max 1") == 5 and "grad [1, 1, 1]" in source
