"""Drive every slider helper from Python: move a slider, check what the plot now draws."""

import inspect

import ipywidgets as widgets
import numpy as np
import pytest

import activations_helpers as ah
from teaching import plotting
from teaching.activations import ACTIVATIONS
from teaching import sliders as widget_helpers

# The elementwise activations of notebooks 01-03, from the table
ELEMENTWISE = [row.function for row in ACTIVATIONS.values()
               if row.elementwise and row.taught_in != "04_modern"]


def sliders_of(widget):
    """{description: slider} for the widget's controls (all children but the picture and the output area)."""
    return {child.description: child for child in widget.kwargs_widgets}


def expected(fn, x, params):
    """What the two panels of interactive_activation(fn) should show, computed independently."""
    derivative = getattr(ah, fn.__name__ + "_derivative")
    if fn is ah.linear:
        return params["slope"] * x, np.full_like(x, params["slope"])
    return fn(x, **params), derivative(x, **params)


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
def test_every_parameter_has_a_slider(fn):
    widget = widget_helpers.interactive_activation(fn)
    params = [p for p in inspect.signature(fn).parameters if p != "x"]
    if fn is ah.linear:
        params = ["slope"]
    assert set(sliders_of(widget)) == {"input range", *params}


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
def test_moving_each_slider_redraws_the_lines(fn):
    widget = widget_helpers.interactive_activation(fn)
    sliders = sliders_of(widget)
    name = fn.__name__
    f_line, d_line = widget.lines[f"{name}(x)"], widget.lines[f"{name}'(x)"]
    start_width = np.ptp(widget.figure.axes[0].get_xlim())

    # every slider moved in turn, to a value unlike its start
    sliders["input range"].value = (-2.0, 3.5)
    for pname, slider in sliders.items():
        if pname != "input range":
            slider.value = slider.min + 0.75 * (slider.max - slider.min)
    params = {p: s.value for p, s in sliders.items() if p != "input range"}

    x = np.linspace(-2.0, 3.5, 401)
    want_f, want_d = expected(fn, x, params)
    np.testing.assert_allclose(f_line.get_xdata(), x)
    np.testing.assert_allclose(f_line.get_ydata(), want_f, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(d_line.get_xdata(), x)
    np.testing.assert_allclose(d_line.get_ydata(), want_d, rtol=1e-12, atol=1e-15)
    # the axes follow the new range, snugly, and end on round numbers
    for ax in widget.figure.axes:
        lo, hi = ax.get_xlim()
        assert lo <= -2.0 and hi >= 3.5 and hi - lo < start_width
        assert hi - lo <= 1.4 * 5.5
        assert float(lo).is_integer() and float(hi).is_integer()


def test_parameter_slider_changes_the_curve():
    widget = widget_helpers.interactive_activation(ah.leaky_relu)
    line = widget.lines["leaky_relu(x)"]
    before = line.get_ydata().copy()
    sliders_of(widget)["alpha"].value = 0.3
    after = line.get_ydata()
    assert not np.allclose(before, after)
    assert after[0] == pytest.approx(-5 * 0.3)  # x = -5 at the left of the default range


def test_softmax_sliders():
    widget = widget_helpers.interactive_softmax()
    sliders = sliders_of(widget)
    assert set(sliders) == {"input range", "temperature"}
    sliders["input range"].value = (-3, 4)
    sliders["temperature"].value = 0.5
    x = np.arange(-3, 5)
    soft, sig = widget.lines["softmax(x / T)"], widget.lines["sigmoid(x)"]
    np.testing.assert_array_equal(soft.get_xdata(), x)
    np.testing.assert_allclose(soft.get_ydata(), np.exp(2 * x) / np.exp(2 * x).sum(), rtol=1e-12)
    np.testing.assert_allclose(sig.get_ydata(), 1 / (1 + np.exp(-x)), rtol=1e-12)
    assert soft.get_ydata().sum() == pytest.approx(1)


def test_article_values_at_default_softmax_setting():
    widget = widget_helpers.interactive_softmax()
    y = widget.lines["softmax(x / T)"].get_ydata()
    assert np.round(y, 3).tolist() == [0.0, 0.0, 0.0, 0.001, 0.002, 0.004, 0.012, 0.031, 0.086,
                                      0.233, 0.632]


def test_generic_engine_with_custom_curves():
    import ipywidgets as widgets

    gain = widgets.FloatSlider(value=1.0, min=0, max=4, step=0.5, description="gain")
    widget = widget_helpers.interactive_plot(lambda x, gain: [{"g": gain * x ** 2}], {"gain": gain},
                                 x_range=(-1, 1))
    gain.value = 3.0
    line = widget.lines["g"]
    np.testing.assert_allclose(line.get_ydata(), 3.0 * line.get_xdata() ** 2)
    assert widget.figure.axes[0].get_ylim()[1] >= 3.0  # rescaled to the new data


def test_static_plots_draw_the_helpers_values():
    x = np.linspace(-4, 4, 81)
    fig = plotting.plot_activation(ah.prelu, x, alpha=0.2)
    lines = {line.get_label(): line for ax in fig.axes for line in ax.get_lines()}
    f_line, d_line = lines["prelu(x, alpha=0.2)"], lines["prelu'(x, alpha=0.2)"]
    np.testing.assert_allclose(f_line.get_ydata(), ah.prelu(x, alpha=0.2))
    np.testing.assert_allclose(d_line.get_ydata(), ah.prelu_derivative(x, alpha=0.2))
    fig = plotting.plot_lines([1, 2, 3], {"a": [1, 4, 9], "b": [3, 2, 1]})
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["a", "b"]


def test_show_code_shows_the_body_without_docstring():
    code = plotting.show_code(ah.relu).data
    assert "def relu(x):" in code and "np.maximum(x, 0)" in code
    assert '"""' not in code and "Parameters" not in code


def decoded(png):
    """The RGBA pixels of PNG bytes, decoded by Pillow (an independent PNG reader)."""
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def full_draw(fig):
    """The figure's pixels from one plain, complete draw."""
    canvas = plotting._agg_canvas(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


WIDGETS = {fn.__name__: (lambda fn=fn: widget_helpers.interactive_activation(fn)) for fn in ELEMENTWISE}
WIDGETS["softmax"] = widget_helpers.interactive_softmax


@pytest.mark.parametrize("make", WIDGETS.values(), ids=WIDGETS.keys())
def test_what_a_slider_move_shows_is_a_full_draw_pixel_for_pixel(make):
    """The cached layers (frame, background, foreground) add up to the same picture."""
    widget = make()
    sliders = list(sliders_of(widget).values())
    moves = [(sliders[0], (-3.0, 2.0) if isinstance(sliders[0].value[0], float) else (-3, 2))]
    moves += [(slider, slider.min + 0.8 * (slider.max - slider.min)) for slider in sliders[1:]]
    moves.append((sliders[0], sliders[0].value))  # back again: the axes change once more
    for slider, value in moves:
        slider.value = value
        shown = decoded(widget.render())
        np.testing.assert_array_equal(shown, full_draw(widget.figure))


@pytest.mark.parametrize("fn", [ah.linear, ah.binary_step, ah.leaky_relu, ah.prelu],
                         ids=lambda f: f.__name__)
def test_a_parameter_slider_keeps_the_axes_still(fn):
    """The y axes fit the curves at the slider's minimum and maximum, so the curve moves
    against fixed axes (with autoscaling, slope * x would look the same for every slope)."""
    widget = widget_helpers.interactive_activation(fn)
    (slider,) = [s for d, s in sliders_of(widget).items() if d != "input range"]
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in widget.figure.axes]
    for value in np.linspace(slider.min, slider.max, 7):
        slider.value = value
        assert [(ax.get_xlim(), ax.get_ylim()) for ax in widget.figure.axes] == limits
        for line in widget.lines.values():  # and every curve stays inside them
            lo, hi = line.axes.get_ylim()
            assert lo <= line.get_ydata().min() and line.get_ydata().max() <= hi


def test_encode_png_round_trips():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    for level in (1, 6):
        np.testing.assert_array_equal(decoded(plotting._encode_png(image, level=level)), image)


def test_encode_frame_round_trips_with_and_without_imagecodecs(monkeypatch):
    """A slider frame's PNG (imagecodecs' libpng, Up filter) holds exactly the pixels, and so
    does the fallback JupyterLite takes (no imagecodecs: Pillow)."""
    from teaching import rendering

    rng = np.random.default_rng(1)
    noise = rng.integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    widget = widget_helpers.interactive_activation(ah.leaky_relu)
    frame = np.asarray(widget.figure.canvas.buffer_rgba()).copy()
    assert rendering.imagecodecs is not None  # installed with the project (pyproject.toml)
    fast = rendering.encode_frame(frame)
    for image in (noise, frame):
        np.testing.assert_array_equal(decoded(rendering.encode_frame(image)), image)
    monkeypatch.setattr(rendering, "imagecodecs", None)
    fallback = rendering.encode_frame(frame)
    np.testing.assert_array_equal(decoded(fallback), frame)
    assert fallback != fast  # the other encoder did run


@pytest.mark.parametrize("pixels", [np.zeros((4, 5, 3), np.uint8), np.zeros((4, 5, 4), np.float64),
                                    np.zeros((20, 4), np.uint8)])
def test_encode_frame_rejects_what_is_not_rgba_bytes(pixels):
    from teaching import rendering

    with pytest.raises(ValueError, match=r"encode_frame: expected RGBA pixels .* got shape"):
        rendering.encode_frame(pixels)


def test_slider_frames_are_encoded_by_encode_frame(monkeypatch):
    """A move's picture goes through the fast encoder (what benchmarks/README.md measured)."""
    from teaching import rendering

    calls = []
    monkeypatch.setattr(widget_helpers, "_encode_frame", lambda rgba: calls.append(1) or rendering.encode_png(rgba))
    widget = widget_helpers.interactive_activation(ah.leaky_relu)
    slider = next(c for c in widget.children if getattr(c, "description", "") == "alpha")
    before, picture = len(calls), widget.image.value
    slider.value = 0.2
    assert len(calls) == before + 1 and widget.image.value != picture


def test_static_figures_show_as_png():
    fig = plotting.plot_activation(ah.tanh)
    np.testing.assert_array_equal(decoded(plotting._png(fig)), full_draw(fig))


def test_bar_chart_has_one_tick_per_bar_and_no_empty_slots():
    fig = plotting.plot_bars({"a": 1.0, "b": 2.5, "c": 0.5})
    ax = fig.axes[0]
    assert ax.get_xlim() == (-0.5, 2.5)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert [t.get_text() for t in ax.texts] == ["1.00", "2.50", "0.50"]  # each bar labelled


@pytest.mark.parametrize("fn", [ah.tanh, ah.sigmoid], ids=lambda f: f.__name__)
def test_a_move_that_rescales_one_panel_redraws_it_exactly(fn):
    """Into the tails the derivative panel rescales at every step while the activation panel
    may not: only the rescaled panel is drawn again, and the picture is still a full draw's."""
    widget = widget_helpers.interactive_activation(fn)
    range_slider = sliders_of(widget)["input range"]
    one_panel_moves = 0
    for value in [(-10.0, 10.0), (0.5, 5.0), (1.5, 5.0), (2.5, 5.0), (3.5, 5.0), (4.0, 4.5),
                  (-4.5, -4.0), (-9.5, -2.0), (-10.0, 10.0)]:
        before = [(ax.get_xlim(), ax.get_ylim()) for ax in widget.figure.axes]
        range_slider.value = value
        after = [(ax.get_xlim(), ax.get_ylim()) for ax in widget.figure.axes]
        one_panel_moves += sum(b != a for b, a in zip(before, after)) == 1
        np.testing.assert_array_equal(decoded(widget.render()), full_draw(widget.figure))
    assert one_panel_moves >= 1


def test_back_and_forth_across_a_rescale_draws_each_background_once(monkeypatch):
    """Leaky ReLU's y axis starts at -4 for an input range from -5 and at -3 for one from -4.5
    (one step of the slider): pressing back and forth between them draws each panel background
    once, then restores the cached one; every picture is still a full draw's."""
    import matplotlib.axis

    widget = widget_helpers.interactive_activation(ah.leaky_relu)
    range_slider = sliders_of(widget)["input range"]
    drawn = []
    original = matplotlib.axis.Axis.draw
    monkeypatch.setattr(matplotlib.axis.Axis, "draw", lambda self, *a, **k: drawn.append(self) or original(self, *a, **k))
    limits, counts = set(), []
    for value in [(-4.5, 5.0), (-5.0, 5.0)] * 3:
        drawn.clear()
        range_slider.value = value
        counts.append(len(drawn))
        limits.add(widget.figure.axes[0].get_ylim())
        monkeypatch.setattr(matplotlib.axis.Axis, "draw", original)  # the full draw below is not counted
        np.testing.assert_array_equal(decoded(widget.image.value), full_draw(widget.figure))
        monkeypatch.setattr(matplotlib.axis.Axis, "draw", lambda self, *a, **k: drawn.append(self) or original(self, *a, **k))
    assert limits == {(-3.0, 6.0), (-4.0, 6.0)}
    assert counts == [2, 0, 0, 0, 0, 0], counts  # the first move: one panel's x and y axis


@pytest.fixture
def legend_draws(monkeypatch):
    """How many times a legend is drawn (matplotlib's Legend.draw)."""
    import matplotlib.legend

    calls = []
    original = matplotlib.legend.Legend.draw
    monkeypatch.setattr(matplotlib.legend.Legend, "draw", lambda self, renderer: calls.append(self) or original(self, renderer))
    return calls


def test_a_legend_clear_of_the_curves_is_copied_not_drawn(legend_draws):
    """Softmax against sigmoid: the legend stays where it first was and, while no curve comes
    near it, is not drawn again on a move; every picture is still a full draw's."""
    widget = widget_helpers.interactive_softmax()
    legend = widget.figure.axes[0].get_legend()
    where = legend.get_window_extent().bounds
    temperature, input_range = sliders_of(widget)["temperature"], sliders_of(widget)["input range"]
    moves = [(temperature, t) for t in (0.5, 1.0, 2.0, 4.0, 0.2, 1.0)] + [(input_range, (-4, 5)), (input_range, (-5, 5))]
    drawn_on_moves = 0
    for slider, value in moves:
        before = len(legend_draws)
        slider.value = value
        drawn_on_moves += len(legend_draws) > before
        assert legend.get_window_extent().bounds == where
        np.testing.assert_array_equal(decoded(widget.image.value), full_draw(widget.figure))
    assert drawn_on_moves <= 2, drawn_on_moves  # at most once per new background (the input range's)


def test_a_curve_across_the_legend_gets_the_legend_drawn_over_it(legend_draws):
    """A flat line swept from the bottom of the plot to the top crosses the legend on some moves:
    then the legend is drawn over it, as a full draw does; on the others it is copied."""
    level = widgets.FloatSlider(value=-1.0, min=-1.0, max=1.0, step=0.05, description="level")
    widget = widget_helpers.interactive_plot(
        lambda x, level: [{"flat": np.full_like(x, level), "ramp": x / 5}], {"level": level})
    drawn, copied = 0, 0
    for value in np.linspace(-1.0, 1.0, 41):
        before = len(legend_draws)
        level.value = float(value)
        drawn_now = len(legend_draws) > before
        drawn, copied = drawn + drawn_now, copied + (not drawn_now)
        np.testing.assert_array_equal(decoded(widget.image.value), full_draw(widget.figure))
    assert drawn >= 1 and copied >= 20, (drawn, copied)


def test_plot_grid_draws_one_panel_per_curve_with_its_values():
    x = np.linspace(-3, 3, 61)
    curves = {"relu": ah.relu(x), "tanh": ah.tanh(x), "sigmoid": ah.sigmoid(x)}
    fig = plotting.plot_grid(x, curves, ncols=2)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == list(curves)
    for ax, y in zip(visible, curves.values()):
        (line,) = ax.get_lines()[:1]
        np.testing.assert_allclose(line.get_ydata(), y)
    assert len(fig.axes) == 4 and not fig.axes[3].get_visible()  # 3 curves on a 2 x 2 grid
    with pytest.raises(ValueError, match="plot_grid"):
        plotting.plot_grid(x, {})


@pytest.mark.parametrize("fn", [ah.relu, ah.sigmoid, ah.binary_step, ah.leaky_relu, ah.elu],
                         ids=lambda f: f.__name__)
def test_data_limits_are_what_matplotlib_counts(fn):
    """A move sets each panel's data limits with NumPy (no ax.relim per move): they must be
    what relim over every line (the zero lines too) and update_datalim of the curves at each
    parameter slider's extremes would give."""
    widget = widget_helpers.interactive_activation(fn)
    controls = sliders_of(widget)
    moves = [("input range", (-3.0, 7.5)), ("input range", (-9.0, -1.0))]
    moves += [(name, value) for name, s in controls.items() if name != "input range"
              for value in (s.min, s.max, (s.min + s.max) / 2)]
    for name, value in moves:
        controls[name].value = value
        x = np.asarray(widget.lines[next(iter(widget.lines))].get_xdata(), dtype=float)
        params = {k: s.value for k, s in controls.items() if k != "input range"}
        extremes = [expected(fn, x, {**params, k: bound})
                    for k, s in controls.items() if k != "input range" for bound in (s.min, s.max)]
        for i, ax in enumerate(widget.figure.axes):
            shown = ax.dataLim.get_points().copy()
            ax.relim()
            for panels in extremes:
                ax.update_datalim([(x[0], panels[i].min()), (x[0], panels[i].max())])
            np.testing.assert_allclose(shown, ax.dataLim.get_points(), atol=1e-12,
                                       err_msg=f"{fn.__name__}: {name} = {value}, panel {i}")


@pytest.mark.parametrize("before, after", [((-9.5, 3.5), (-8.5, -6.0)), ((-4.0, 4.0), (-4.0, 0.0)),
                                           ((2.0, 9.0), (-8.5, -6.0))])
def test_a_flat_curve_gets_a_readable_y_axis(before, after):
    """ReLU over negative inputs only is 0 everywhere: its axis is a small round interval
    round 0, not one of float noise. (ax.relim() once counted the zero line, axvline(0), at
    x = 1e-15 or so, after these moves: y limits of +-1e-16, tick labels of 1e-16.)"""
    widget = widget_helpers.interactive_activation(ah.relu)
    sliders_of(widget)["input range"].value = before
    sliders_of(widget)["input range"].value = after
    for ax in widget.figure.axes:
        lo, hi = ax.get_ylim()
        assert lo < 0 < hi and hi - lo >= 0.1, (before, after, lo, hi)


def test_interactive_activation_takes_a_name_and_refuses_what_it_cannot_plot():
    by_name = widget_helpers.interactive_activation("leaky_relu")
    sliders_of(by_name)["alpha"].value = 0.2
    x = by_name.lines["leaky_relu(x)"].get_xdata()
    np.testing.assert_allclose(by_name.lines["leaky_relu(x)"].get_ydata(), ah.leaky_relu(x, 0.2))
    with pytest.raises(TypeError, match=r"interactive_activation: fn must be .* got int"):
        widget_helpers.interactive_activation(42)
    with pytest.raises(ValueError, match=r"interactive_activation: 'leaky' is not in the table"):
        widget_helpers.interactive_activation("leaky")
    with pytest.raises(ValueError, match=r"interactive_activation: softmax is not elementwise"):
        widget_helpers.interactive_activation(ah.softmax)
