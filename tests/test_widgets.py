"""Drive every slider helper from Python: move a slider, check what the plot now draws."""

import inspect

import numpy as np
import pytest

import activations_helpers as ah

ELEMENTWISE = [ah.linear, ah.binary_step, ah.sigmoid, ah.tanh, ah.relu, ah.leaky_relu, ah.prelu]


def sliders_of(widget):
    """{description: slider} for the widget's controls (all children but the output area)."""
    return {child.description: child for child in widget.children[:-1]}


def expected(fn, x, params):
    """What the two panels of interactive_activation(fn) should show, computed independently."""
    derivative = getattr(ah, fn.__name__ + "_derivative")
    if fn is ah.linear:
        return params["slope"] * x, np.full_like(x, params["slope"])
    return fn(x, **params), derivative(x, **params)


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
def test_every_parameter_has_a_slider(fn):
    widget = ah.interactive_activation(fn)
    params = [p for p in inspect.signature(fn).parameters if p != "x"]
    if fn is ah.linear:
        params = ["slope"]
    assert set(sliders_of(widget)) == {"input range", *params}


@pytest.mark.parametrize("fn", ELEMENTWISE, ids=lambda f: f.__name__)
def test_moving_each_slider_redraws_the_lines(fn):
    widget = ah.interactive_activation(fn)
    sliders = sliders_of(widget)
    name = fn.__name__
    f_line, d_line = widget.lines[f"{name}(x)"], widget.lines[f"{name}'(x)"]

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
    # the axes follow the new data
    ax = widget.figure.axes[0]
    lo, hi = ax.get_xlim()
    assert lo <= -2.0 and hi >= 3.5 and hi - lo < 7


def test_parameter_slider_changes_the_curve():
    widget = ah.interactive_activation(ah.leaky_relu)
    line = widget.lines["leaky_relu(x)"]
    before = line.get_ydata().copy()
    sliders_of(widget)["alpha"].value = 0.3
    after = line.get_ydata()
    assert not np.allclose(before, after)
    assert after[0] == pytest.approx(-5 * 0.3)  # x = -5 at the left of the default range


def test_softmax_sliders():
    widget = ah.interactive_softmax()
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
    widget = ah.interactive_softmax()
    y = widget.lines["softmax(x / T)"].get_ydata()
    assert np.round(y, 3).tolist() == [0.0, 0.0, 0.0, 0.001, 0.002, 0.004, 0.012, 0.031, 0.086,
                                      0.233, 0.632]


def test_generic_engine_with_custom_curves():
    import ipywidgets as widgets

    gain = widgets.FloatSlider(value=1.0, min=0, max=4, step=0.5, description="gain")
    widget = ah.interactive_plot(lambda x, gain: [{"g": gain * x ** 2}], {"gain": gain},
                                 x_range=(-1, 1))
    gain.value = 3.0
    line = widget.lines["g"]
    np.testing.assert_allclose(line.get_ydata(), 3.0 * line.get_xdata() ** 2)
    assert widget.figure.axes[0].get_ylim()[1] >= 3.0  # rescaled to the new data


def test_static_plots_draw_the_helpers_values():
    x = np.linspace(-4, 4, 81)
    fig = ah.plot_activation(ah.prelu, x, alpha=0.2)
    lines = {line.get_label(): line for ax in fig.axes for line in ax.get_lines()}
    f_line, d_line = lines["prelu(x, alpha=0.2)"], lines["prelu'(x, alpha=0.2)"]
    np.testing.assert_allclose(f_line.get_ydata(), ah.prelu(x, alpha=0.2))
    np.testing.assert_allclose(d_line.get_ydata(), ah.prelu_derivative(x, alpha=0.2))
    fig = ah.plot_lines([1, 2, 3], {"a": [1, 4, 9], "b": [3, 2, 1]})
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["a", "b"]


def test_show_code_shows_the_body_without_docstring():
    code = ah.show_code(ah.relu).data
    assert "def relu(x):" in code and "np.maximum(x, 0)" in code
    assert '"""' not in code and "Parameters" not in code
