"""The one plotting style every notebook uses, and ``show_code``.

Figures are plain matplotlib Figures (not registered with pyplot, so none piles up in memory),
drawn with seaborn in one theme and the colour-blind palette, with fixed margins and tick
locators so that a slider can redraw them quickly (see `teaching.sliders`).
"""

import ast
import inspect
import textwrap

import matplotlib as mpl
import numpy as np
import seaborn as sns
from IPython import get_ipython
from IPython.display import Code, display
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

import activations_helpers
from teaching.descriptions import data_table, describe
from teaching.rendering import DPI, agg_canvas, encode_png, figure_png, image_bundle

__all__ = ["PALETTE", "FIGSIZE", "set_theme", "show_figure", "describe", "plot_lines",
           "plot_activation", "plot_bars", "plot_grid", "show_code"]

PALETTE = "colorblind"  # seaborn's colour-blind-safe palette
FIGSIZE = (6.4, 3.6)


def set_theme():
    """Apply the one plotting style that every notebook uses (call it once, in the setup cell).

    In a notebook it also makes a matplotlib Figure show as a described PNG image wherever it is
    displayed (as a cell's value or from a slider), even though our figures are not managed by
    pyplot: `show_figure`.
    """

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.ipython_display_formatter.for_type(Figure, show_figure)


def show_figure(fig):
    """Display `fig` as a PNG image described from its data, with no text.

    The output is `teaching.rendering.image_bundle`: the PNG with the description as its
    ``alt`` (in the metadata, which nbconvert reads, and in an ``<img>``, which JupyterLab reads),
    under it a collapsed table of the plotted data (`teaching.descriptions.data_table`), and no
    ``<Figure size ...>`` text, which would depend on the learner's matplotlib settings.
    `set_theme` makes every Figure that ends a cell show this way. Returns True (IPython's
    display hook: "shown").
    """
    data, metadata = image_bundle(figure_png(fig), describe(fig), table=data_table(fig))
    display(data, metadata=metadata, raw=True)
    return True


# the rendering helpers' former names (teaching.rendering holds them now)
_agg_canvas, _encode_png, _png = agg_canvas, encode_png, figure_png


def _figure(ncols=1, figsize=None, tick_axes="xy", nbins=6):
    """A new matplotlib Figure with `ncols` axes side by side (at most ``nbins + 1`` ticks on
    each of `tick_axes`; leave a categorical axis out, so that its categories keep theirs).

    The Figure is not registered with pyplot, so a notebook shows it once (when it is the value
    of a cell) and no figure piles up in memory when a slider redraws a plot.
    """

    if figsize is None:
        figsize = (FIGSIZE[0] * (1 if ncols == 1 else 0.75 * ncols), FIGSIZE[1])
    fig = Figure(figsize=figsize, dpi=DPI)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    _set_margins(fig)
    for ax in axes:
        _fix_axis_layout(ax, nbins=nbins, axes=tick_axes)
    return fig, list(axes)


def _set_margins(fig, right_inches=0.25):
    """Fixed margins in inches, room for titles, labels and tick labels.

    A layout engine (constrained or tight) would find them by itself, but it re-measures every
    text on every draw and doubles the time a slider takes to redraw a figure.
    """
    width, height = fig.get_size_inches()
    ncols = len(fig.axes)
    left, right, gap = 0.85 / width, 1 - right_inches / width, 0.85
    panel = (width * (right - left) - gap * (ncols - 1)) / ncols
    fig.subplots_adjust(left=left, right=right, bottom=0.62 / height, top=1 - 0.38 / height,
                        wspace=gap / panel)


def _fix_axis_layout(ax, nbins=6, axes="xy"):
    """At most ``nbins + 1`` ticks per axis, and axis labels a fixed distance (in inches) from
    the axes.

    Left to itself, matplotlib measures every tick label on every draw, to choose how many
    ticks fit and to place the axis labels clear of them: that is a third of a slider's redraw.
    """

    for name in axes:
        getattr(ax, name + "axis").set_major_locator(
            MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))
    inches = ax.figure.dpi_scale_trans
    ax.xaxis.set_label_coords(0.5, 0, ax.transAxes + ScaledTranslation(0, -0.34, inches))
    ax.yaxis.set_label_coords(0, 0.5, ax.transAxes + ScaledTranslation(-0.62, 0, inches))


def _draw_lines(ax, x, curves, *, title=None, xlabel="x", ylabel="y", drawstyle="default",
                marker=None):
    """Draw each ``label -> y`` of `curves` against `x` on `ax` with seaborn; return the lines."""

    # Labels first: seaborn then leaves them alone instead of building every tick to decide
    # whether to show them. Our own legend below, so seaborn need not build one.
    ax.set(xlabel=xlabel, ylabel=ylabel)
    # A fixed title position (y=1): matplotlib would otherwise measure every tick label on every
    # draw to place the title, a third of the time a slider takes to redraw.
    ax.set_title(title or "", y=1.0)
    colours = sns.color_palette(PALETTE)
    for i, (label, y) in enumerate(curves.items()):
        sns.lineplot(x=np.asarray(x, dtype=float), y=np.asarray(y, dtype=float), ax=ax,
                     label=label, color=colours[i % len(colours)], drawstyle=drawstyle,
                     marker=marker, estimator=None, sort=False, legend=False)
    # the axes through 0: above the grid (zorder 0.5), below the data (2)
    ax.axhline(0, color="0.6", lw=0.8, zorder=1)
    ax.axvline(0, color="0.6", lw=0.8, zorder=1)
    if len(curves) > 3:  # many lines: the legend goes beside the plot, not over it
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
        _set_margins(ax.figure, right_inches=2.3)
    elif len(curves) > 1:
        ax.legend(loc="best", frameon=True)
    return [line for line in ax.lines if line.get_label() in curves]


def plot_lines(x, curves, *, title=None, xlabel="x", ylabel="y", drawstyle="default", marker=None):
    """Plot several curves against the same `x` in the project's style.

    Parameters
    ----------
    x : array_like
        Shared x values.
    curves : dict
        ``{label: y}``; one line per entry, with a legend when there are several.
    title, xlabel, ylabel : str, optional
        Text for the axes.
    drawstyle : str, default "default"
        Passed to matplotlib, e.g. ``"steps-post"`` for a step function.
    marker : str, optional
        A marker for each point, e.g. ``"o"`` for a handful of worked-example values.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; a notebook cell that ends with it shows it.
    """
    fig, (ax,) = _figure()
    _draw_lines(ax, x, curves, title=title, xlabel=xlabel, ylabel=ylabel,
                drawstyle=drawstyle, marker=marker)
    return fig


def plot_bars(values, *, title=None, ylabel="value", fmt="{:.2f}"):
    """A bar for each ``label -> number`` in `values`, in the project's style, each bar labelled.

    Returns
    -------
    matplotlib.figure.Figure
    """

    fig, (ax,) = _figure(tick_axes="y")  # x: one tick per category, from seaborn
    labels, heights = list(values), [float(v) for v in values.values()]
    sns.barplot(x=labels, y=heights, hue=labels, palette=PALETTE, legend=False, ax=ax)
    for container in ax.containers:
        ax.bar_label(container, fmt=fmt.format)
    ax.margins(y=0.12)  # room for the labels above the bars
    ax.set(ylabel=ylabel)
    ax.set_title(title or "", y=1.0)
    return fig


def plot_grid(x, curves, *, ncols=4, xlabel="x", ylabel="y", sharey=True):
    """One small panel per curve (small multiples), in the project's style.

    Many curves in one panel hide each other where they overlap (ReLU, leaky ReLU, PReLU and
    the identity all coincide for x > 0); one panel each, on shared axes, keeps every shape
    readable, as the PyTorch docs show their activations.

    Parameters
    ----------
    x : array_like
        Shared x values, shape (n,).
    curves : dict
        ``{title: y}``, each y of shape (n,); one panel per entry, filled row by row.
    ncols : int, default 4
        Panels per row.
    xlabel, ylabel : str
        Axis labels, on the bottom row and the left column only.
    sharey : bool, default True
        The same y axis in every panel, so that the panels compare at a glance.

    Returns
    -------
    matplotlib.figure.Figure
    """
    n = len(curves)
    if n == 0:
        raise ValueError("plot_grid: curves must hold at least one curve")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig = Figure(figsize=(2.4 * ncols + 0.6, 2.1 * nrows + 0.5), layout="constrained",
                 dpi=DPI)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=sharey).ravel()
    colours = sns.color_palette(PALETTE, n)
    x = np.asarray(x, dtype=float)
    for i, (ax, (title, y)) in enumerate(zip(axes, curves.items())):
        sns.lineplot(x=x, y=np.asarray(y, dtype=float), ax=ax, color=colours[i], estimator=None,
                     sort=False, legend=False)
        ax.axhline(0, color="0.6", lw=0.8, zorder=1)
        ax.axvline(0, color="0.6", lw=0.8, zorder=1)
        ax.set_title(title)
        ax.set(xlabel=xlabel if i >= n - ncols else "", ylabel=ylabel if i % ncols == 0 else "")
    for i, ax in enumerate(axes[n:], start=n):
        ax.set_visible(False)
        above = axes[i - ncols]  # the panel above an empty slot is a column's last: label it
        above.xaxis.set_tick_params(labelbottom=True)
        above.set_xlabel(xlabel)
    return fig


def _args(params):
    """", alpha=0.1" for params {"alpha": 0.1}: how a plot labels the parameters it used."""
    return "".join(f", {k}={v:g}" for k, v in params.items() if np.ndim(v) == 0)


def plot_activation(fn, x=None, *, derivative=True, drawstyle="default", **params):
    """Plot an activation (left) and its derivative (right) in the project's style.

    Parameters
    ----------
    fn : callable
        One of `activations_helpers`' activations, e.g. `sigmoid`.
    x : array_like, optional
        Where to evaluate it; 401 points over [-5, 5] by default.
    derivative : bool, default True
        Also draw ``<name>_derivative`` in a second panel.
    **params
        Parameters of `fn`, e.g. ``alpha=0.1`` for `leaky_relu`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x, dtype=float)
    name, args = fn.__name__, _args(params)
    fig, axes = _figure(2 if derivative else 1)
    _draw_lines(axes[0], x, {f"{name}(x{args})": fn(x, **params)}, title=name,
                ylabel="activation", drawstyle=drawstyle)
    if derivative:
        d = getattr(activations_helpers, name + "_derivative")
        _draw_lines(axes[1], x, {f"{name}'(x{args})": d(x, **params)},
                    title=f"derivative of {name}", ylabel="gradient", drawstyle=drawstyle)
    return fig


def show_code(fn):
    """Show the source of a function (e.g. one of `activations_helpers`), without its docstring.

    Notebooks call this instead of copying code, so what a learner reads is what runs.
    """


    lines = textwrap.dedent(inspect.getsource(fn)).splitlines()
    body = ast.parse("\n".join(lines)).body[0].body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        del lines[body[0].lineno - 1:body[0].end_lineno]  # the docstring's lines
    return Code("\n".join(lines), language="python")
