"""Every figure's description is generated from its data: the numbers in it are the plotted
numbers (teaching/descriptions.py), and it follows a slider (teaching/sliders.py)."""

import base64
import html
import re

import numpy as np
import pytest

import activations_helpers as ah
from teaching import descriptions, interactive_activation, interactive_softmax, plotting
from teaching import playground as pg
from teaching.datasets import make_dataset
from teaching.descriptions import describe, describe_curve, number
from teaching.rendering import WATCH_HTML, description_html, image_bundle

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?%?")


def numbers_in(text):
    """Every number a description states (percentages as fractions), minus the panel numbers."""
    text = re.sub(r"\b(?:Panel|panel|layer) \d+", "", text)
    text = re.sub(r"^\d+ panels", "", text)
    text = re.sub(r"\w+\([^)]*\)", "", text)  # labels such as leaky_relu(x, alpha=0.1)
    return [float(m[:-1]) / 100 if m.endswith("%") else float(m) for m in NUMBER.findall(text)]


def plotted_values(fig):
    """Every x, y and slope of every line of `fig`, and every bar's height."""
    values = [0.0]
    for ax in fig.axes:
        for line in ax.get_lines():
            x, y = (np.asarray(v, dtype=float) for v in line.get_data())
            keep = np.isfinite(x) & np.isfinite(y)
            x, y = x[keep], y[keep]
            values += [*x, *y]
            if x.size > 2:
                values += list(np.gradient(y, x))
                values += list(np.interp([0.0], x, y))
        values += [p.get_height() for p in ax.patches]
    return np.asarray(values)


def assert_numbers_are_plotted(text, fig):
    values = plotted_values(fig)
    for value in numbers_in(text):
        assert np.any(np.isclose(values, value, rtol=5e-3, atol=5e-4)), (
            f"{value} in the description is not a plotted number: {text}")


CURVES = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "gelu", "binary_step",
          "linear", "swish"]


@pytest.mark.parametrize("name", [n for n in CURVES if hasattr(ah, n)])
def test_plot_activation_states_its_plotted_numbers(name):
    fig = plotting.plot_activation(getattr(ah, name))
    text = describe(fig)
    assert text.startswith("2 panels.") and f"'derivative of {name}'" in text
    assert_numbers_are_plotted(text, fig)
    x, y = fig.axes[0].lines[0].get_data()
    # where it starts and ends, as plotted
    assert f"from {number(y[0])}" in text and number(y[-1]) in text
    assert "for x from -5 to 5" in text


def test_sigmoid_description_has_the_lessons_numbers():
    text = describe(plotting.plot_activation(ah.sigmoid, derivative=False))
    assert text == ("'sigmoid', line plot of activation against x. sigmoid(x) for x from -5 to 5: "
                    f"rises from {number(ah.sigmoid(np.array(-5.0)))} to "
                    f"{number(ah.sigmoid(np.array(5.0)))}; equals 0.5 at x = 0; steepest at x = 0 "
                    "(slope 0.25).")


def test_a_jump_a_flat_part_and_a_peak_are_described():
    x = np.linspace(-5, 5, 401)
    step = describe_curve("step", x, (x >= 1).astype(float))
    assert "jumps from 0 to 1 between x = 0.975 and 1" in step and "steepest" not in step
    relu = describe_curve("relu", x, np.maximum(x, 0))
    assert "constant at 0 up to x = 0" in relu
    bump = describe_curve("bump", x, np.exp(-(x - 1) ** 2))
    assert "a peak of 1 at x = 1" in bump
    wave = describe_curve("wave", x, np.sin(x))
    assert "crosses 0 at x = -3.14, 3.14" in wave


def test_few_points_are_listed_and_nan_is_left_out():
    assert describe_curve("f", [0, 1, 2], [1.0, np.nan, 3.0]) == "f at x = 0, 2: 1, 3."
    assert describe_curve("f", [0.0], [np.nan]) == "f: no finite values in the plotted range."


def test_bars_and_lines_and_grids_state_their_numbers():
    fig = plotting.plot_bars({"relu": 0.25, "tanh": 1.5}, ylabel="ms")
    assert describe(fig) == "Bar chart of ms: relu 0.25, tanh 1.5."
    x = np.linspace(-3, 3, 61)
    grid = plotting.plot_grid(x, {"tanh": ah.tanh(x), "relu": ah.relu(x), "sigmoid": ah.sigmoid(x)},
                              ncols=2)
    text = describe(grid)
    assert text.startswith("3 panels.") and "'sigmoid'" in text
    assert_numbers_are_plotted(text, grid)
    lines = plotting.plot_lines([1, 2, 3], {"a": [3, 1, 2]}, title="t", xlabel="epoch")
    assert describe(lines) == "'t', line plot of y against epoch. a at epoch = 1, 2, 3: 3, 1, 2."


def test_describe_refuses_what_is_not_a_figure():
    with pytest.raises(TypeError, match="describe: expected a matplotlib Figure, got str"):
        describe("sigmoid")
    with pytest.raises(TypeError, match="every picture needs a description"):
        image_bundle(b"\x89PNG", " ")


def test_the_notebook_output_is_a_described_image_with_no_text():
    fig = plotting.plot_activation(ah.tanh)
    data, metadata = image_bundle(plotting.figure_png(fig), describe(fig))
    assert set(data) == {"image/png", "text/html"}  # no "<Figure size ...>" text
    alt = metadata["image/png"]["alt"]
    assert alt == describe(fig)
    tag = re.fullmatch(r'<img alt="([^"]*)" src="data:image/png;base64,([^"]*)"/>', data["text/html"])
    assert html.unescape(tag.group(1)) == alt and tag.group(2) == data["image/png"]
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")


def test_figures_do_not_depend_on_the_learners_dpi(monkeypatch):
    import matplotlib as mpl
    monkeypatch.setitem(mpl.rcParams, "figure.dpi", 72)
    fig = plotting.plot_activation(ah.tanh)
    assert fig.dpi == 100 and tuple(np.round(fig.bbox.size)) == (960, 360)


def test_the_description_follows_the_slider():
    widget = interactive_activation(ah.leaky_relu)
    alpha = next(c for c in widget.children if getattr(c, "description", "") == "alpha")
    watch = widget.children[widget.children.index(widget.caption) + 1]
    before, picture, script = widget.describe(), bytes(widget.image.value), watch.value
    assert widget.caption.value == description_html(before)
    assert picture.startswith(b"\x89PNG") and picture == widget.render()
    assert before.startswith("Input range from -5.0 to 5.0, alpha 0.01. ")
    alpha.value = 0.2
    after = widget.describe()
    # the sliders' settings as their readouts show them, then the picture's description
    settings = "Input range from -5.0 to 5.0, alpha 0.20. "
    assert after == settings + describe(widget.figure)
    assert after != before and "rises from -1 to 5" in after  # leaky_relu(-5, alpha=0.2)
    assert widget.caption.value == description_html(after)
    assert html.escape(after, quote=False) in widget.caption.value
    assert bytes(widget.image.value) not in (picture, b"") and widget.image.value == widget.render()
    assert_numbers_are_plotted(after.removeprefix(settings), widget.figure)
    # the script that makes the description the picture's alt and announces it is shown once
    # and never sent again: only the picture and its description travel on a move
    assert watch.value == script == WATCH_HTML and "aria-live" in html.unescape(script)


def test_a_slider_error_is_shown_and_then_cleared():
    """A move whose redraw fails shows its traceback in the widget's output area, as ipywidgets'
    interact does, and the next move that works clears it."""
    from teaching.sliders import interactive_plot
    import ipywidgets as widgets

    broken = []

    def curves(x, k):
        if broken:
            raise ValueError("a broken curve")
        return [{"k x": k * x}]

    widget = interactive_plot(curves, {"k": widgets.FloatSlider(value=1, min=0, max=2, step=0.5)})
    k = widget.children[1]
    broken.append(True)
    with pytest.raises(ValueError, match="a broken curve"):  # no IPython here: it is raised
        k.value = 1.5
    broken.clear()
    k.value = 0.5
    assert "k x" in widget.describe() and not widget.children[-1].outputs


def test_in_a_notebook_a_slider_error_is_a_traceback_not_a_crash(monkeypatch):
    """In IPython the traceback goes to the widget's output area (shell.showtraceback), the
    move does not raise, and the output area is cleared by the next move that works."""
    import teaching.sliders as sliders
    import ipywidgets as widgets

    shown = []
    monkeypatch.setattr(sliders, "get_ipython", lambda: type("Shell", (), {
        "showtraceback": lambda self: shown.append(True)})())
    broken = []

    def curves(x, k):
        if broken:
            raise ValueError("a broken curve")
        return [{"k x": k * x}]

    widget = sliders.interactive_plot(curves, {"k": widgets.FloatSlider(value=1, min=0, max=2)})
    out = widget.children[-1]
    broken.append(True)
    widget.kwargs_widgets[1].value = 1.5  # no exception here
    assert shown == [True]
    out.outputs = ({"output_type": "stream", "name": "stderr", "text": "Traceback"},)  # as shown
    broken.clear()
    widget.kwargs_widgets[1].value = 0.5
    assert out.outputs == () and shown == [True]


def test_softmax_slider_lists_its_points():
    widget = interactive_softmax()
    text = widget.describe()
    x = np.arange(-5, 6)
    expected = ", ".join(number(v) for v in ah.softmax(x, temperature=1.0))
    assert f"softmax(x / T) at x = -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5: {expected}." in text


@pytest.fixture(scope="module")
def trained():
    data = make_dataset("xor", 200, noise=0.05, seed=0)
    return pg.train_network(data, "tanh", (4,), epochs=60, learning_rate=0.3), data


def test_decision_boundary_description_from_the_network(trained):
    net, data = trained
    text = describe(pg.plot_decision_boundary(net, data))
    test_acc = net.accuracy(data.X_test, data.y_test)
    assert f"test accuracy {test_acc:.0%}" in text and "on the xor data" in text
    wrong = int(np.sum(net.predict(data.X_test) != data.y_test))
    assert (f"{wrong} of {len(data.y_test)} test points misclassified" in text if wrong
            else "classified correctly" in text)
    share = float(np.mean(pg.boundary_image(net) >= 0.5))
    assert f"class 1 (blue) on {share:.0%} of the plane" in text


def test_loss_and_unit_descriptions_from_the_history(trained):
    net, _ = trained
    text = describe(pg.plot_loss_curves(net))
    losses = net.history["train_loss"]
    assert f"training loss goes from {number(losses[0])} at epoch 1 to {number(losses[-1])}" in text
    units = describe(pg.plot_unit_pictures(net))
    assert "layer 1: 4 units" in units


def test_playground_images_carry_their_descriptions():
    p = pg.interactive_playground(dataset="gaussians", hidden_layers=1, units=2, epochs=100)
    alts = [out["metadata"]["image/png"]["alt"] for out in p.output.outputs]
    assert alts == p.describe() and alts[0].startswith("Two panels. Left: Decision boundary")
    assert "onload" in p.output.outputs[0]["data"]["text/html"]  # names the sliders, announces


def test_data_table_holds_the_plotted_points():
    fig = plotting.plot_activation(ah.sigmoid)
    table = descriptions.data_table(fig)
    assert table.startswith("<details><summary>Data table (11 of the 401 plotted points")
    x, y = fig.axes[0].lines[0].get_data()
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>', table)
    assert len(rows) == 22  # 11 per panel
    for xs, ys in rows[:11]:
        i = int(np.argmin(np.abs(x - float(xs))))
        assert ys == number(y[i])
    assert descriptions.data_table(plotting.plot_bars({"a": 1.0})) is None


def test_a_slider_description_starts_with_every_setting():
    """Integer ranges without decimals, switches by the option chosen, and the new value after
    a move, each as its readout (or button) shows it."""
    assert interactive_softmax().describe().startswith("Input range from -5 to 5, temperature 1.00. ")
    widget = interactive_activation(ah.gelu)
    assert widget.describe().startswith("Input range from -5.0 to 5.0, approximate none. ")
    switch = next(c for c in widget.kwargs_widgets if c.description == "approximate")
    switch.value = "tanh"
    assert widget.describe().startswith("Input range from -5.0 to 5.0, approximate tanh. ")


def test_a_peak_between_grid_points_is_placed_at_the_grids_resolution():
    """On -4..5 the grid misses 0 (…, -0.0175, 0.005, …): the peak is "at x = 0", which is
    within half a step of the grid's highest point, not "at x = 0.005"."""
    widget = interactive_activation(ah.sigmoid)
    widget.kwargs_widgets[0].value = (-4.0, 5.0)
    x = widget.lines["sigmoid'(x)"].get_xdata()
    assert 0.0 not in x
    text = widget.describe()
    assert "a peak of 0.25 at x = 0, then" in text and "steepest at x = 0 (slope 0.25)" in text
    # a peak that is off zero stays where it is: GELU's derivative, lowest near x = -1.42
    gelu = describe_curve("g", np.linspace(-5, 5, 401), ah.gelu_derivative(np.linspace(-5, 5, 401)))
    assert "lowest -0.129 at x = -1.42" in gelu


def test_a_range_slider_over_another_axis_is_named_after_it():
    """Notebook 03's dead unit runs over training steps: its range slider and its description
    say "training step range", not "input range"."""
    from ipywidgets import FloatSlider
    from teaching.sliders import interactive_plot

    alpha = FloatSlider(value=0.01, min=0.0, max=0.5, step=0.01, description="alpha")
    widget = interactive_plot(lambda steps, alpha: [{"b": alpha * steps}], {"alpha": alpha},
                              x_range=(0, 200), x_limits=(0, 400), x_step=10, integer_x=True,
                              xlabel="training step")
    assert [c.description for c in widget.kwargs_widgets] == ["training step range", "alpha"]
    assert widget.describe().startswith("Training step range from 0 to 200, alpha 0.01. ")


def test_a_jump_at_zero_is_said_to_be_at_zero():
    """ReLU's derivative is 0 at x = 0 (PyTorch's choice) and 1 at the next point, 0.025: the
    jump is "at x = 0"; a jump elsewhere keeps the two points it falls between."""
    x = np.linspace(-5, 5, 401)
    assert "jumps from 0 to 1 at x = 0;" in describe_curve("r", x, ah.relu_derivative(x))
    assert "jumps from 0 to 1 at x = 0;" in describe_curve("s", x, ah.binary_step(x))
    assert "jumps from 0 to 1 between x = 0.975 and 1" in describe_curve(
        "s", x, ah.binary_step(x, threshold=1.0))
