"""Text descriptions of the project's figures, generated from the data they plot.

A learner who cannot see a plot reads its description instead (the ``alt`` of its image, see
`teaching.rendering.image_bundle`), so it says what a sighted learner takes from the picture:
the plot's kind, its variables and ranges, and the few numbers the lesson needs -- where a curve
starts and ends, where it crosses zero, its value at x = 0, where it is steepest, its lowest and
highest points. The numbers are read from the artists themselves (each line's data, each bar's
height), so a description cannot drift from its picture.

`describe(fig)` is the one entry point: a figure that carries its own description (the
playground's decision boundary, set with `set_description`) gets it, any other figure is
described from its lines and bars, panel by panel. After "Notebooks for All" (STScI) and
Lundgard & Satyanarayan (2022), "Accessible visualization via natural language descriptions":
chart kind and encoding first, then the numbers, then the trend.
"""

import html

import numpy as np

__all__ = ["describe", "describe_curve", "set_description", "number", "data_table"]

MAX_LISTED_POINTS = 12  # a curve with at most this many points is described point by point


def number(value):
    """A number as a description prints it: 3 significant digits, no exponent for ordinary
    sizes, ``-0`` as ``0`` (``number(0.0066929) == "0.00669"``)."""
    value = float(value)
    if value == 0 or abs(value) < 5e-13:
        return "0"
    if not np.isfinite(value):
        return "infinity" if value > 0 else ("minus infinity" if value < 0 else "not a number")
    return f"{value:.3g}"


def _location(x, i):
    """Where on the grid a peak, minimum or steepest point is, as a description prints it.

    The grid places it only to within half a step either side of ``x[i]``; when ``x = 0`` is in
    that interval it prints "0", the point the lesson speaks of (sigmoid's steepest point on a
    grid through -0.0175 and 0.005 is "0", not "0.005"). Elsewhere it prints ``x[i]``.
    """
    left = x[i] - x[i - 1] if i > 0 else x[i + 1] - x[i]
    right = x[i + 1] - x[i] if i + 1 < x.size else left
    if abs(x[i]) <= 0.5 * min(left, right):
        return number(0.0)
    return number(x[i])


def _finite(x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    return x[keep], y[keep]


def describe_curve(label, x, y, *, xlabel="x"):
    """One sentence on a curve ``y(x)``: its range, trend and the numbers the lesson needs.

    Parameters
    ----------
    label : str
        What the curve is, e.g. ``"sigmoid(x)"``.
    x, y : array_like, shape (n,)
        The plotted points, x increasing.
    xlabel : str, default "x"
        The name of the horizontal variable.

    Returns
    -------
    str
        E.g. ``"sigmoid(x) for x from -5 to 5: rises from 0.00669 to 0.993; equals 0.5 at
        x = 0; steepest at x = 0 (slope 0.25)."``

    Examples
    --------
    >>> import numpy as np
    >>> describe_curve("2x", np.array([-1.0, 0.0, 1.0]), np.array([-2.0, 0.0, 2.0]))
    '2x at x = -1, 0, 1: -2, 0, 2.'
    """
    x, y = _finite(x, y)
    if x.size == 0:
        return f"{label}: no finite values in the plotted range."
    if x.size <= MAX_LISTED_POINTS:  # a handful of points: list them all (a small data table)
        return (f"{label} at {xlabel} = {', '.join(number(v) for v in x)}: "
                f"{', '.join(number(v) for v in y)}.")
    parts = []
    steps = np.diff(y)
    scale = max(1.0, float(np.max(np.abs(y))))
    tol = 1e-9 * scale
    jumps = _jumps(steps)
    if np.all(np.abs(steps) <= tol):
        parts.append(f"constant at {number(y[0])}")
    elif np.all(steps >= -tol):
        parts.append(f"rises from {number(y[0])} to {number(y[-1])}")
    elif np.all(steps <= tol):
        parts.append(f"falls from {number(y[0])} to {number(y[-1])}")
    else:
        low, high = int(np.argmin(y)), int(np.argmax(y))
        if np.all(steps[:high] >= -tol) and np.all(steps[high:] <= tol):
            parts.append(f"rises from {number(y[0])} to a peak of {number(y[high])} at "
                         f"{xlabel} = {_location(x, high)}, then falls to {number(y[-1])}")
        elif np.all(steps[:low] <= tol) and np.all(steps[low:] >= -tol):
            parts.append(f"falls from {number(y[0])} to a minimum of {number(y[low])} at "
                         f"{xlabel} = {_location(x, low)}, then rises to {number(y[-1])}")
        else:
            parts.append(f"goes from {number(y[0])} to {number(y[-1])}, lowest {number(y[low])} "
                         f"at {xlabel} = {_location(x, low)}, highest {number(y[high])} at "
                         f"{xlabel} = {_location(x, high)}")
    flat = np.abs(steps) <= tol
    if not flat.all():
        first, last = int(np.argmin(flat)), int(np.argmin(flat[::-1]))
        if first >= 0.05 * x.size:  # a flat start, e.g. ReLU for x < 0
            parts.append(f"constant at {number(y[0])} up to {xlabel} = {number(x[first])}")
        if last >= 0.05 * x.size:
            parts.append(f"constant at {number(y[-1])} from {xlabel} = {number(x[-1 - last])}")
    for i in jumps:
        # a jump at 0 (ReLU's derivative, the step): "at x = 0", as the lesson says, not
        # "between x = 0 and 0.025", which reads as if it were somewhere after 0
        where = (f"at {xlabel} = 0" if x[i] <= 0 <= x[i + 1] else
                 f"between {xlabel} = {number(x[i])} and {number(x[i + 1])}")
        parts.append(f"jumps from {number(y[i])} to {number(y[i + 1])} {where}")
    if x[0] < 0 < x[-1] or 0 in x:
        parts.append(f"equals {number(np.interp(0.0, x, y))} at {xlabel} = 0")
    crossings = _zero_crossings(x, y)
    if 0 < len(crossings) <= 3 and not np.allclose(crossings, 0.0):
        parts.append(f"crosses 0 at {xlabel} = {', '.join(number(c) for c in crossings)}")
    slope = np.gradient(y, x)
    steepest = int(np.argmax(np.abs(slope)))
    peak = np.abs(slope[steepest])
    if jumps or peak == 0:
        pass  # a jump has no slope to speak of
    elif np.ptp(slope) <= 1e-6 * peak:
        parts.append(f"slope {number(slope[0])} throughout")
    elif np.count_nonzero(np.abs(slope) >= 0.99 * peak) <= 0.05 * x.size:
        # one clear steepest point (a smooth curve); a straight piece would have many
        parts.append(f"steepest at {xlabel} = {_location(x, steepest)} "
                     f"(slope {number(slope[steepest])})")
    return f"{label} for {xlabel} from {number(x[0])} to {number(x[-1])}: {'; '.join(parts)}."


def _jumps(steps):
    """Indices i where the curve jumps between points i and i + 1: a step far larger than the
    curve's typical step and than its neighbours' (a step function, ReLU's derivative)."""
    size = np.abs(steps)
    if size.size < 3:
        return []
    typical = float(np.median(size))
    neighbours = np.maximum(np.r_[0.0, size[:-1]], np.r_[size[1:], 0.0])
    big = (size > 20 * typical) & (size > 5 * neighbours) & (size > 1e-9)
    found = np.flatnonzero(big)
    return [int(i) for i in found] if len(found) <= 3 else []


def _zero_crossings(x, y):
    """Where the curve changes sign (interpolated between the two points either side)."""
    sign = np.sign(y)
    changes = np.flatnonzero((sign[:-1] * sign[1:]) < 0)
    return [float(x[i] - y[i] * (x[i + 1] - x[i]) / (y[i + 1] - y[i])) for i in changes]


def _describe_bars(ax):
    patches = [p for p in ax.patches if p.get_visible() and p.get_height() == p.get_height()]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    if len(labels) != len(patches):
        labels = [f"bar {i + 1}" for i in range(len(patches))]
    order = np.argsort([p.get_x() for p in patches])
    values = ", ".join(f"{labels[i]} {number(patches[j].get_height())}"
                       for i, j in enumerate(order))
    return f"bar chart of {ax.get_ylabel() or 'value'}: {values}."


def _describe_axes(ax):
    """One panel: its title, axes and each labelled line (or its bars)."""
    head = f"'{ax.get_title()}', " if ax.get_title() else ""
    lines = [line for line in ax.get_lines() if line.get_visible()
             and not line.get_label().startswith("_")]
    if ax.patches and not lines:
        return head + _describe_bars(ax)
    if not lines:
        return head + "no data."
    xlabel = ax.get_xlabel() or "x"
    kind = "points" if lines[0].get_marker() not in (None, "None", "", " ") else "line plot"
    text = f"{head}{kind} of {ax.get_ylabel() or 'y'} against {xlabel}. "
    return text + " ".join(describe_curve(line.get_label(), *line.get_data(), xlabel=xlabel)
                           for line in lines)


def set_description(fig, description):
    """Give `fig` its own description (for a picture whose meaning is not in its lines, such
    as a decision boundary); `describe` then returns it. Returns `fig`."""
    if not isinstance(description, str) or not description.strip():
        raise TypeError(f"set_description: description must be a non-empty str, got {description!r}")
    fig._teaching_description = description
    return fig


def describe(fig):
    """The description of a matplotlib Figure, generated from what it plots.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    str
        The figure's own description if it has one (`set_description`), else one sentence per
        visible panel from its lines and bars (`describe_curve`), panels numbered left to right,
        top to bottom.

    Raises
    ------
    TypeError
        If `fig` is not a matplotlib Figure.
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"describe: expected a matplotlib Figure, got {type(fig).__name__}")
    own = getattr(fig, "_teaching_description", None)
    if own:
        return own
    axes = [ax for ax in fig.axes if ax.get_visible()]
    if not axes:
        return "An empty figure."
    if len(axes) == 1:
        text = _describe_axes(axes[0])
        return text[0].upper() + text[1:]
    return f"{len(axes)} panels. " + " ".join(
        f"Panel {i}: {_describe_axes(ax)}" for i, ax in enumerate(axes, start=1))


TABLE_ROWS = 11  # rows of a data table: every point of a short curve, else 11 evenly spaced


def data_table(fig):
    """A collapsed HTML data table of the figure's curves, for a screen reader to walk: one
    ``<table>`` per panel (x, then one column per curve), in a ``<details>`` element.

    The rows are every point of a curve of at most `MAX_LISTED_POINTS` points, else
    `TABLE_ROWS` evenly spaced points (the description gives the rest: trend, crossings,
    steepest point). Returns None for a figure with no labelled lines (e.g. a bar chart, whose
    description already lists every bar, or a heat map).
    """
    tables, shown, total = [], 0, 0
    for ax in [ax for ax in fig.axes if ax.get_visible()]:
        lines = [line for line in ax.get_lines() if line.get_visible()
                 and not line.get_label().startswith("_")]
        if not lines:
            continue
        x = np.asarray(lines[0].get_xdata(), dtype=float)
        same = [ln for ln in lines if np.array_equal(np.asarray(ln.get_xdata(), dtype=float), x)]
        rows = (np.arange(x.size) if x.size <= MAX_LISTED_POINTS
                else np.unique(np.linspace(0, x.size - 1, TABLE_ROWS).round().astype(int)))
        shown, total = len(rows), x.size
        xlabel = ax.get_xlabel() or "x"
        head = "".join(f'<th scope="col">{html.escape(label)}</th>'
                       for label in [xlabel, *[ln.get_label() for ln in same]])
        body = "".join(
            f'<tr><th scope="row">{number(x[i])}</th>'
            + "".join(f"<td>{number(np.asarray(ln.get_ydata(), dtype=float)[i])}</td>"
                      for ln in same) + "</tr>" for i in rows)
        caption = html.escape(ax.get_title() or ax.get_ylabel() or "data")
        tables.append(f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
                      f"<tbody>{body}</tbody></table>")
    if not tables:
        return None
    summary = ("Data table" if shown == total
               else f"Data table ({shown} of the {total} plotted points of each curve)")
    return f"<details><summary>{summary}</summary>{''.join(tables)}</details>"
