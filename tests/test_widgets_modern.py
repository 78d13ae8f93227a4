"""The sliders of notebook 04: ELU's alpha, Softplus's beta, and GELU's exact/tanh switch (a
ToggleButtons widget, which `interactive_plot` takes beside sliders)."""

import inspect

import ipywidgets as widgets
import numpy as np
import pytest

import activations_helpers as ah
from teaching import plotting
from teaching.activations import ACTIVATIONS
from teaching import sliders as widget_helpers

MODERN = [row.function for row in ACTIVATIONS.values() if row.taught_in == "04_modern"]


def controls(widget):
    """{description: control} for the widget's controls (all children but the picture and the output area)."""
    return {child.description: child for child in widget.kwargs_widgets}


def full_draw(fig):
    canvas = plotting._agg_canvas(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def decoded(png):
    import io

    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.mark.parametrize("fn", MODERN, ids=lambda f: f.__name__)
def test_every_parameter_has_a_control_and_the_lines_are_the_helpers(fn):
    widget = widget_helpers.interactive_activation(fn)
    params = [p for p in inspect.signature(fn).parameters if p != "x"]
    assert set(controls(widget)) == {"input range", *params}
    x = np.linspace(-5, 5, 401)
    name = fn.__name__
    derivative = getattr(ah, name + "_derivative")
    np.testing.assert_allclose(widget.lines[f"{name}(x)"].get_ydata(), fn(x), rtol=1e-15)
    np.testing.assert_allclose(widget.lines[f"{name}'(x)"].get_ydata(), derivative(x),
                               rtol=1e-15)


def test_gelu_switch_is_toggle_buttons_and_redraws_the_tanh_form():
    widget = widget_helpers.interactive_activation(ah.gelu)
    switch = controls(widget)["approximate"]
    assert isinstance(switch, widgets.ToggleButtons)
    assert list(switch.options) == ["none", "tanh"] and switch.value == "none"
    assert switch.style.description_width == "initial"  # the label reads in full
    f_line, d_line = widget.lines["gelu(x)"], widget.lines["gelu'(x)"]
    x = np.linspace(-5, 5, 401)
    exact = f_line.get_ydata().copy()
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in widget.figure.axes]

    switch.value = "tanh"
    np.testing.assert_allclose(f_line.get_ydata(), ah.gelu(x, approximate="tanh"), rtol=1e-15)
    np.testing.assert_allclose(d_line.get_ydata(), ah.gelu_derivative(x, approximate="tanh"),
                               rtol=1e-15)
    assert not np.array_equal(f_line.get_ydata(), exact)
    # the axes were fitted to both forms at the start, so the switch leaves them still
    assert [(ax.get_xlim(), ax.get_ylim()) for ax in widget.figure.axes] == limits
    np.testing.assert_array_equal(decoded(widget.render()), full_draw(widget.figure))

    switch.value = "none"
    np.testing.assert_array_equal(f_line.get_ydata(), exact)


def test_gelu_switch_and_range_together():
    widget = widget_helpers.interactive_activation(ah.gelu)
    c = controls(widget)
    c["approximate"].value = "tanh"
    c["input range"].value = (-4.0, -1.0)
    x = np.linspace(-4.0, -1.0, 401)
    np.testing.assert_allclose(widget.lines["gelu(x)"].get_xdata(), x)
    np.testing.assert_allclose(widget.lines["gelu(x)"].get_ydata(),
                               ah.gelu(x, approximate="tanh"), rtol=1e-15)
    np.testing.assert_array_equal(decoded(widget.render()), full_draw(widget.figure))


@pytest.mark.parametrize("fn, name, value", [(ah.elu, "alpha", 2.5), (ah.softplus, "beta", 4.0)])
def test_parameter_sliders_redraw_and_keep_the_axes_still(fn, name, value):
    widget = widget_helpers.interactive_activation(fn)
    slider = controls(widget)[name]
    assert isinstance(slider, widgets.FloatSlider)
    assert (slider.min, slider.max, slider.step, slider.value) == \
        widget_helpers.PARAMETER_SLIDERS[fn.__name__][name]
    limits = [(ax.get_xlim(), ax.get_ylim()) for ax in widget.figure.axes]
    slider.value = value
    x = np.linspace(-5, 5, 401)
    derivative = getattr(ah, fn.__name__ + "_derivative")
    np.testing.assert_allclose(widget.lines[f"{fn.__name__}(x)"].get_ydata(),
                               fn(x, **{name: value}), rtol=1e-15)
    np.testing.assert_allclose(widget.lines[f"{fn.__name__}'(x)"].get_ydata(),
                               derivative(x, **{name: value}), rtol=1e-15)
    assert [(ax.get_xlim(), ax.get_ylim()) for ax in widget.figure.axes] == limits
    np.testing.assert_array_equal(decoded(widget.render()), full_draw(widget.figure))


def test_a_switch_can_be_given_as_a_spec_and_a_dropdown_works_in_the_engine():
    widget = widget_helpers.interactive_activation(ah.gelu, approximate=("tanh", "none"))
    assert controls(widget)["approximate"].value == "tanh"
    choice = widgets.Dropdown(options=[("square", 2), ("cube", 3)], value=2, description="power")
    widget = widget_helpers.interactive_plot(lambda x, power: [{"p": x ** power}],
                                             {"power": choice}, x_range=(-2, 2))
    choice.value = 3
    line = widget.lines["p"]
    np.testing.assert_allclose(line.get_ydata(), line.get_xdata() ** 3)
    lo, hi = widget.figure.axes[0].get_ylim()
    assert lo <= -8 and hi >= 8  # fitted to every option, the cube included


def test_float_specs_still_make_sliders():
    widget = widget_helpers.interactive_activation(ah.elu, alpha=(0.5, 1.5, 0.25, 1.0))
    slider = controls(widget)["alpha"]
    assert isinstance(slider, widgets.FloatSlider) and (slider.min, slider.max) == (0.5, 1.5)
