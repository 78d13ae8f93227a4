"""Sliders that redraw a plot as you drag them, fast enough to follow the mouse.

`interactive_plot` is the engine; `interactive_activation` and `interactive_softmax` build on
it. A slider move replaces the lines' data and renders only what changed (`_Layers`), then
shows the figure as PNG bytes in an ipywidgets Image and its description beside it (made the
picture's ``alt`` in the page), and prints and displays nothing, so strict nbval sees the same
outputs with or without a browser.
"""

import math

import ipywidgets as widgets
from IPython import get_ipython
from IPython.display import clear_output
import numpy as np
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

import activations_helpers
from teaching.activations import ACTIVATIONS
from teaching.descriptions import describe
from teaching.plotting import _draw_lines, _figure
from teaching.rendering import agg_canvas as _agg_canvas
from teaching.rendering import encode_frame as _encode_frame
from teaching.rendering import hidden as _hidden
from teaching.rendering import WATCH_HTML, description_html

__all__ = ["PARAMETER_SLIDERS", "SliderPlot", "interactive_plot", "interactive_activation",
           "interactive_softmax"]

# Slider settings for each activation's parameters: (min, max, step, start value); or, for a
# parameter that takes one of a few strings, the strings (a switch, the first one selected).
# They come from the table (teaching.activations); linear's slope is the sliders' own: y = slope * x.
_SLOPE = {"slope": (-3.0, 3.0, 0.1, 1.0)}
PARAMETER_SLIDERS = {"linear": _SLOPE, **{name: row.slider_specs for name, row in
                                          ACTIVATIONS.items() if row.parameters}}


# A slider's label is as wide as its text ("temperature" in full, not "temperat..."), instead
# of ipywidgets' fixed label column.
_LABEL_STYLE = {"description_width": "initial"}


def _float_slider(name, spec):

    low, high, step, value = spec
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=name,
                               continuous_update=True, readout_format=".2f", style=_LABEL_STYLE)


def _switch(name, options):
    """Buttons that pick one of a few strings (e.g. GELU's approximate="none" or "tanh")."""
    return widgets.ToggleButtons(options=list(options), value=options[0], description=name,
                                 style=_LABEL_STYLE)


def _parameter_widget(name, spec):
    """A slider for (min, max, step, value), a switch for a tuple of strings."""
    if all(isinstance(option, str) for option in spec):
        return _switch(name, spec)
    return _float_slider(name, spec)


def _choices(widget):
    """The values a parameter widget can take at its extremes: a slider's minimum and maximum,
    or every option of a switch (ToggleButtons, Dropdown, ...)."""
    if hasattr(widget, "options"):
        return [option[1] if isinstance(option, tuple) else option for option in widget.options]
    return [widget.min, widget.max]


def _range_slider(x_range, limits, step, integer=False, description="input range"):

    kind = widgets.IntRangeSlider if integer else widgets.FloatRangeSlider
    return kind(value=tuple(x_range), min=limits[0], max=limits[1], step=step,
                description=description, continuous_update=True, style=_LABEL_STYLE,
                **({} if integer else {"readout_format": ".1f"}))


class SliderPlot(widgets.interactive):
    """ipywidgets' `interactive` without its output capture on every move.

    `interactive.update` runs the function inside its Output widget and clears it first: three
    more messages to the browser before the picture (the Output's ``msg_id`` set, a
    ``clear_output``, ``msg_id`` unset), about 4 ms of a 30 ms budget. A slider plot prints
    nothing, so the function runs directly; only an error goes to the Output area, where the
    learner sees its traceback (cleared by the next move that works), as `interactive` shows it.
    """

    def update(self, *args):
        self.kwargs = {widget._kwarg: widget.get_interact_value() for widget in self.kwargs_widgets}
        try:
            self.result = self.f(**self.kwargs)
        except Exception:
            shell = get_ipython()
            if shell is None:
                raise
            with self.out:
                clear_output(wait=True)
                shell.showtraceback()
        else:
            if self.out.outputs:  # a traceback the browser showed (and synced back)
                self.out.outputs = ()


def interactive_plot(curves, sliders, *, x_range=(-5.0, 5.0), x_limits=(-10.0, 10.0),
                     x_step=0.5, integer_x=False, n_points=401, titles=None, ylabels=None,
                     xlabel="x", drawstyle="default", marker=None):
    """Sliders that redraw a figure of `curves` as they move: the engine behind every slider.

    Parameters
    ----------
    curves : callable
        ``curves(x, **slider_values)`` returns a list of panels, each a dict ``{label: y}``.
        Each call must return the same panels and labels; only the values change.
    sliders : dict
        ``{parameter name: ipywidgets widget}``, passed to `curves` by name: a slider, or a
        selection widget (``ToggleButtons``, ``Dropdown``) for a parameter that takes a few
        values, such as a string.
    x_range, x_limits, x_step : tuple, tuple, float
        Start value, limits and step of the range slider for the x axis: "input range" when
        `xlabel` is "x", else named after the axis ("training step range").
    integer_x : bool, default False
        Evaluate at the integers of the range (as the article's ``np.arange``) instead of
        `n_points` evenly spaced points.
    titles, ylabels : list of str, optional
        One per panel.
    xlabel : str, default "x"
        The label of every panel's x axis, and of its range slider unless it is "x".
    drawstyle, marker : str, optional
        Passed to matplotlib for every line.

    Returns
    -------
    SliderPlot
        The widget (an ``ipywidgets.interactive``: sliders above the plot). ``kwargs_widgets``
        are its controls. Its ``figure`` attribute is the matplotlib Figure, ``lines`` maps
        each label to its Line2D and ``render()`` returns the PNG a slider move shows, so tests
        can check what is drawn. ``image`` is the ipywidgets Image that shows it (its value:
        PNG bytes), ``caption`` the hidden HTML widget with its description, which the page
        makes the picture's ``alt`` (`teaching.rendering.WATCH_JS`). ``describe()`` returns the
        description of the current picture, for anything that shows a frame of it elsewhere:
        the sliders' settings ("Input range from -5.0 to 5.0, alpha 0.05."), then
        `teaching.descriptions.describe` of the figure.

    Notes
    -----
    The figure is built once. A slider move replaces the lines' data and shows the figure again
    as a PNG in the ``image`` widget, its description in ``caption`` (printing and displaying
    nothing, so nbval sees the same outputs with or without a browser).
    The y axes span the curves at every parameter slider's minimum and maximum (every option of
    a selection widget) as well, so they stay put while a parameter slider moves: the curve
    visibly changes against fixed axes, and
    only the lines are redrawn over a cached picture of the rest: 5 to 14 ms per move in a
    kernel (2 of them the PNG encoder, `teaching.rendering.encode_frame`), where drawing the
    whole figure again takes 20 to 30 and a new figure 70 (benchmarks/bench_widgets.py).
    Moving the input range rescales the axes, to limits on round numbers: when a panel's
    limits change, its ticks and grid are drawn again too.
    """

    def grid(lo, hi):
        return np.arange(lo, hi + 1) if integer_x else np.linspace(lo, hi, n_points)

    first = curves(grid(*x_range), **{k: s.value for k, s in sliders.items()})
    fig, axes = _figure(len(first), nbins=4)  # few tick labels: they are what costs to redraw
    lines = {}
    for i, (ax, panel) in enumerate(zip(axes, first)):
        drawn = _draw_lines(ax, grid(*x_range), panel, xlabel=xlabel,
                            title=titles[i] if titles else None,
                            ylabel=ylabels[i] if ylabels else "y",
                            drawstyle=drawstyle, marker=marker)
        lines.update({line.get_label(): line for line in drawn})
    layers = _Layers(fig, moving=list(lines.values()))
    swept = {}  # slider name -> (input range, the other sliders' values, curves at min and max)

    def at_extremes(x_range, values):
        """The curves at each parameter slider's minimum and maximum, the others as they are
        (computed again only when the input range or another slider has moved)."""
        panels = []
        for name, slider in sliders.items():
            key = (tuple(x_range), [(k, v) for k, v in values.items() if k != name])
            if swept.get(name, (None,))[:2] != key:
                x = grid(*x_range)
                swept[name] = (*key, [curves(x, **{**values, name: bound})
                                      for bound in _choices(slider)])
            panels += swept[name][2]
        return panels

    # What the lines that never move (the zero lines) add to each panel's data limits, as
    # ax.relim() counts them: axhline(0) its y = 0 (its x is in axes coordinates), axvline(0)
    # its x = 0. Found once, so that a move needs no relim (about 1 ms of the kernel's 10).
    static_limits = []
    for ax in axes:
        xs, ys = [np.nan], [np.nan]  # (dropped below with the other non-finite values)
        for line in ax.lines:
            if line in lines.values():
                continue
            in_x, in_y = line.get_transform().contains_branch_seperately(ax.transData)
            xs += list(np.asarray(line.get_xdata(), dtype=float)) if in_x else []
            ys += list(np.asarray(line.get_ydata(), dtype=float)) if in_y else []
        static_limits.append((np.array(xs), np.array(ys)))

    def fit_axes(x_range, values):
        """New data for every line; axes that also fit each parameter slider's extremes.

        The data limits are what ``ax.relim()`` and ``ax.update_datalim`` of every extreme
        would give (the finite values of the lines and the extremes, and the zero lines),
        computed with NumPy; autoscaling then works on them as usual.
        """
        x = grid(*x_range)
        extremes = at_extremes(x_range, values)
        for i, (ax, panel) in enumerate(zip(axes, curves(x, **values))):
            for label, y in panel.items():
                lines[label].set_data(x, y)
            static_x, static_y = static_limits[i]
            ys = [static_y, *(np.asarray(y, dtype=float).ravel() for y in panel.values()),
                  *(np.asarray(y, dtype=float).ravel() for other in extremes for y in other[i].values())]
            y = np.concatenate(ys)
            y = y[np.isfinite(y)]
            xs = np.concatenate([static_x, x[[0, -1]].astype(float)])
            xs = xs[np.isfinite(xs)]
            ax.dataLim.set_points(np.array([[xs.min(), y.min() if y.size else np.inf],
                                            [xs.max(), y.max() if y.size else -np.inf]]))
            ax.ignore_existing_data_limits = False
            # limits on round numbers: a small move of the range slider often leaves the axes
            # as they are, and then only the lines are redrawn
            ax.autoscale_view()
            ax.set_xlim(*_round_limits(*ax.get_xlim()), auto=None)  # keep autoscaling on
            ax.set_ylim(*_round_limits(*ax.get_ylim()), auto=None)

    # The picture: ipywidgets' Image (the PNG goes to the browser as bytes), its description in
    # a hidden HTML widget beside it, and a third, fixed HTML widget whose script gives the
    # picture its description as alt, names the sliders and announces each new description
    # (teaching.rendering.WATCH_JS). Widget values, not outputs: nothing for nbval to compare,
    # with or without a front end.
    width, height = f"{fig.bbox.width:.0f}", f"{fig.bbox.height:.0f}"
    image = widgets.Image(format="png", width=width, height=height)
    caption = widgets.HTML(layout=widgets.Layout(display="none"))
    watch = widgets.HTML(WATCH_HTML, layout=widgets.Layout(display="none"))

    range_name = "input range" if xlabel == "x" else f"{xlabel} range"
    range_slider = _range_slider(x_range, x_limits, x_step, integer_x, range_name)
    controls_by_name = {range_name: range_slider, **sliders}

    def description():
        """The sliders' settings as their readouts show them, then what the picture shows."""
        return f"{_settings(controls_by_name)} {describe(fig)}"

    def redraw(x_range, **values):
        fit_axes(x_range, values)
        image.value = layers.png()  # first: it is what the learner waits for
        caption.value = description_html(description())

    widget = SliderPlot(redraw, x_range=range_slider, **sliders)
    *controls, output = widget.children
    widget.children = (*controls, image, caption, watch, output)  # the (empty) output area last
    widget.figure, widget.lines, widget.render = fig, lines, layers.png
    widget.image, widget.caption = image, caption
    widget.describe = description
    return widget


def _settings(controls):
    """"Input range from -5.0 to 5.0, alpha 0.05.": each control's value as its readout shows it
    (a blind learner who moved one slider hears where all of them are before the curves)."""
    parts = []
    for name, control in controls.items():
        value, fmt = control.value, getattr(control, "readout_format", None) or "d"
        if isinstance(value, tuple):
            parts.append(f"{name} from {format(value[0], fmt)} to {format(value[1], fmt)}")
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            parts.append(f"{name} {format(value, fmt)}")  # Python's format: the readout's d3 spec
        else:
            parts.append(f"{name} {value}")
    text = ", ".join(parts) + "."
    return text[:1].upper() + text[1:]


def _round_limits(lo, hi, nbins=8):
    """`lo` and `hi` moved out to multiples of a round step (1, 2, 2.5 or 5 times a power of
    10) that cuts the interval into at most `nbins` parts: (-5.5, 5.5) -> (-6, 6)."""


    locator = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10])
    lo, hi = locator.nonsingular(lo, hi)
    ticks = locator.tick_values(lo, hi)
    step = ticks[1] - ticks[0]
    slack = 1e-9 * (hi - lo)  # a bound that is a multiple of step, but for rounding, stays put
    return (float(f"{math.floor((lo + slack) / step) * step:.12g}"),
            float(f"{math.ceil((hi - slack) / step) * step:.12g}"))


class _Layers:
    """Render a slider's figure to PNG from cached layers, redrawing only what changed.

    - frame: the titles and axis labels, which never change;
    - background: each panel's ticks, tick labels, grid and zero lines, which change with that
      panel's axis limits (so a move that rescales one panel redraws that panel only);
    - foreground: the `moving` lines, and the spines and legend that a full draw puts over them.

    A full draw of a two-panel figure takes about 60 ms on our 2-core machine, 50 of them
    drawing text; redrawing the foreground alone takes about 5 ms, one panel's background about
    10 more. Each panel keeps its last KEEP backgrounds: a learner who nudges the input range
    back and forth across a point where the axis limits change (leaky ReLU's y axis starts at -4
    for an input range from -5, at -3 for one from -4.5, one step of the slider) gets the cached
    one, not 10 ms of tick labels on every press (0.7 MB per background of a 480 x 360 panel).

    A legend inside the axes (two or three curves: `_draw_lines`' ``loc="best"``) is pinned where
    "best" puts it for the first curves, so it stays still while the sliders move (as the axes
    do), and it is drawn once per background: while no curve comes near its box (the line's
    half width and marker, and 2 pixels of antialiasing), the box's pixels are those of the
    background, the spines and the legend alone, restored from a copy instead of drawing the
    legend's text again (about 5 ms a move). A curve that comes near it gets the legend drawn
    over it, as a full draw does.

    The picture is the same, pixel for pixel, as a full draw (tests/test_widgets.py checks it),
    as long as nothing in a background overlaps the foreground from above or reaches into the
    next panel's slot: true of every figure `_figure` makes (0.85 in between panels, see
    `_set_margins`).
    """

    KEEP = 2  # backgrounds kept per panel: this one and the one before

    def __init__(self, fig, moving):
        self.fig, self.frame_key = fig, None
        self.foreground, self.labels, self.panels = [], [], []
        for ax in fig.axes:
            legend = [ax.get_legend()] if ax.get_legend() is not None else []
            lines = [line for line in ax.lines if line in moving]
            on_top = [*lines, *ax.spines.values(), *legend]
            self.foreground += sorted(on_top, key=lambda artist: artist.get_zorder())
            self.labels += [(ax, ax.xaxis.label), (ax, ax.yaxis.label)]
            background = sorted((artist for artist in ax.get_children() if artist is not ax.patch
                                 and artist is not ax.title and artist not in on_top),
                                key=lambda artist: artist.get_zorder())
            # a legend over the curves (not one beside the plot, which is outside the axes)
            inside = [leg for leg in legend if leg.get_bbox_to_anchor() is ax.bbox]
            self.panels.append({"ax": ax, "background": background, "key": None, "lines": lines,
                                "spines": list(ax.spines.values()), "legend": inside[0] if inside else None})

    @staticmethod
    def _pin(legend, renderer):
        """Keep a ``loc="best"`` legend where "best" puts it now: the same place on every move."""
        if legend._get_loc() == 0:  # matplotlib's code for "best"
            box, anchor = legend.get_window_extent(renderer), legend.get_bbox_to_anchor()
            legend.set_loc(((box.x0 - anchor.x0) / anchor.width, (box.y0 - anchor.y0) / anchor.height))
        box = legend.get_window_extent(renderer)
        return Bbox([[math.floor(box.x0) - 2, math.floor(box.y0) - 2],  # whole pixels, and the
                     [math.ceil(box.x1) + 2, math.ceil(box.y1) + 2]])  # frame's antialiasing

    def _clear_of(self, lines, box):
        """Whether no pixel any of `lines` draws can fall in `box` (display coordinates)."""
        for line in lines:
            if not line.get_visible():
                continue
            path = line.get_transform().transform_path(line.get_path())
            if not np.isfinite(path.vertices).all():
                return False  # (a gap in a curve: not worth the care of checking around it)
            points = max(line.get_linewidth(), line.get_markersize() + 2 * line.get_markeredgewidth())
            reach = points * self.fig.dpi / 72 / 2 + 2
            if path.intersects_bbox(box.padded(reach), filled=False):
                return False
        return True

    def _slots(self):
        """One box per panel that tiles the figure: a panel's slot runs to 0.2 in right of its
        axes (room for an x tick label centred on the right edge); the next panel's y tick
        labels, further right, are in the next slot."""
    
        width, height = self.fig.bbox.width, self.fig.bbox.height
        cuts = [0] + [round(panel["ax"].bbox.x1 + 0.2 * self.fig.dpi)
                      for panel in self.panels[:-1]] + [width]
        return [Bbox([[lo, 0], [hi, height]]) for lo, hi in zip(cuts, cuts[1:])]

    def png(self):
        """The figure as PNG bytes, drawn from the layers that are still valid."""
        canvas = _agg_canvas(self.fig)
        frame_key = (id(canvas), self.fig.bbox.bounds)
        if frame_key != self.frame_key:
            everything = [a for panel in self.panels for a in panel["background"]]
            with _hidden(everything + self.foreground):
                canvas.draw()  # the figure's and axes' faces, and the titles
            for ax, label in self.labels:  # drawn alone: they sit at fixed places
                ax.draw_artist(label)
            for panel, slot in zip(self.panels, self._slots()):
                panel["frame"], panel["slot"], panel["key"] = canvas.copy_from_bbox(slot), slot, None
                panel["saved"] = {}  # axis limits -> [that background, its legend box's pixels]
                if panel["legend"] is not None:
                    panel["legend_box"] = self._pin(panel["legend"], canvas.get_renderer())
            self.frame_key = frame_key
        copied = []  # the legends restored from a copy, not drawn
        for panel in self.panels:
            ax = panel["ax"]
            key = (ax.get_xlim(), ax.get_ylim())
            saved = panel["saved"]
            if key not in saved:
                canvas.restore_region(panel["frame"])
                with _hidden([label for _, label in self.labels]):  # the frame has them
                    for artist in panel["background"]:
                        ax.draw_artist(artist)
                if len(saved) >= self.KEEP:
                    del saved[next(iter(saved))]  # the least recently shown
                saved[key] = [canvas.copy_from_bbox(panel["slot"]), None]
            else:
                canvas.restore_region(saved[key][0])
                saved[key] = saved.pop(key)  # now the most recently shown
            panel["key"] = key
            if panel["legend"] is not None and self._clear_of(panel["lines"], panel["legend_box"]):
                if saved[key][1] is None:  # the legend box as a full draw shows it with no curve in it
                    for artist in sorted(panel["spines"] + [panel["legend"]], key=lambda a: a.get_zorder()):
                        ax.draw_artist(artist)
                    saved[key][1] = canvas.copy_from_bbox(panel["legend_box"])
                    canvas.restore_region(saved[key][0])
                copied.append(panel)
        legends = {id(panel["legend"]): panel for panel in copied}
        for artist in self.foreground:
            if id(artist) not in legends:
                artist.axes.draw_artist(artist)
        for panel in copied:  # over everything, as the legend is
            canvas.restore_region(panel["saved"][panel["key"]][1])
        return _encode_frame(canvas.buffer_rgba())

    @property
    def key(self):
        """The axis limits of every panel, as its background was last drawn or restored."""
        return [panel["key"] for panel in self.panels]


def interactive_activation(fn, *, x_range=(-5.0, 5.0), **slider_specs):
    """An activation (left) and its derivative (right), with sliders for the input range and
    for each of the function's parameters.

    Parameters
    ----------
    fn : callable or str
        One of `activations_helpers`' elementwise activations, e.g. `leaky_relu`, or its name in
        `ACTIVATIONS` ("leaky_relu"). For `linear` a "slope" slider scales it: y = slope * x.
    x_range : (float, float)
        Start value of the input-range slider.
    **slider_specs
        ``name=(min, max, step, value)`` to override `PARAMETER_SLIDERS`, or
        ``name=("option", ...)`` for a switch between strings (the first one selected), e.g.
        GELU's ``approximate=("none", "tanh")``.

    Returns
    -------
    SliderPlot
        See `interactive_plot`. In a notebook, end a cell with it to show it; from Python,
        set a slider's value and read the redrawn data, e.g.
        ``w = interactive_activation(leaky_relu); w.kwargs_widgets[1].value = 0.2`` then
        ``w.lines["leaky_relu(x)"].get_ydata()``.

    Raises
    ------
    TypeError
        If `fn` is neither a function nor a string.
    ValueError
        If `fn` is not a row of `ACTIVATIONS`, or is not elementwise (softmax: use
        `interactive_softmax`).
    """
    if isinstance(fn, str):  # a row's name, e.g. "leaky_relu": plot the row's function
        name, fn = fn, None
    elif callable(fn) and hasattr(fn, "__name__"):
        name = fn.__name__
    else:
        raise TypeError(f"interactive_activation: fn must be an activation function such as "
                        f"leaky_relu, or its name as a string; got {type(fn).__name__}")
    row = ACTIVATIONS.get(name)  # read now, not at import: a row added later has sliders too
    if row is None:
        raise ValueError(f"interactive_activation: {name!r} is not in the table of activations "
                         f"(teaching.activations.ACTIVATIONS)")
    if not row.elementwise:
        raise ValueError(f"interactive_activation: {name} is not elementwise (each output depends "
                         f"on all inputs), so it has no curve y = f(x) to plot; "
                         f"use interactive_softmax for softmax")
    fn = row.function if fn is None else fn
    derivative = row.derivative
    specs = {**(_SLOPE if name == "linear" else row.slider_specs), **slider_specs}
    sliders = {k: _parameter_widget(k, spec) for k, spec in specs.items()}

    def curves(x, **p):
        if name == "linear":  # slope * x, the linear activation with a slope
            return [{f"{name}(x)": p["slope"] * fn(x)}, {f"{name}'(x)": p["slope"] * derivative(x)}]
        return [{f"{name}(x)": fn(x, **p)}, {f"{name}'(x)": derivative(x, **p)}]

    return interactive_plot(curves, sliders, x_range=x_range,
                            titles=[name, f"derivative of {name}"],
                            ylabels=["activation", "gradient"])


def interactive_softmax(*, x_range=(-5, 5)):
    """Softmax and sigmoid of the integer scores in a range, with a temperature slider.

    As in the article, the scores are ``np.arange(low, high + 1)``: softmax's outputs sum to 1,
    the sigmoid's do not. A low temperature sharpens softmax towards the largest score.

    Returns
    -------
    SliderPlot
        See `interactive_plot`.
    """
    sliders = {"temperature": _float_slider("temperature", PARAMETER_SLIDERS["softmax"]["temperature"])}

    def curves(x, temperature):
        return [{"softmax(x / T)": activations_helpers.softmax(x, temperature=temperature),
                 "sigmoid(x)": activations_helpers.sigmoid(x)}]

    return interactive_plot(curves, sliders, x_range=x_range, x_limits=(-10, 10), x_step=1,
                            integer_x=True, marker="o", titles=["softmax vs sigmoid"],
                            ylabels=["output"])
