"""A slider plot's pictures computed in advance, for the handouts and decks (no kernel there).

`tools/slides.py` runs a build copy of each notebook and, after every cell that shows an
interactive plot (`teaching.sliders.interactive_plot` and the functions built on it), runs
``teaching.frames.emit(_)``: it moves one slider at a time from the starting values through its
positions with the plot's own redraw (the widget's ``update``, what a slider move calls in
JupyterLab), and displays every picture and its description as a JSON output that the page's
script (tools/templates/base/slider_frames.js) swaps in as the slider moves. The stored
notebooks never see it.
"""

import base64
import io
import json

import numpy as np
from PIL import Image

__all__ = ["MAX_POSITIONS", "MIME", "positions", "frames", "collect", "emit", "dumps"]

#: the most positions a slider (each end of a range slider) is drawn at: a slider with more
#: steps is drawn at this many evenly spaced ones, always including its ends and its start
MAX_POSITIONS = 21
#: the JSON output `emit` displays
MIME = "application/vnd.teaching.slider-frames+json"


def _steps(low, high, step):
    count = int(round((high - low) / step)) + 1
    return [float(f"{low + i * step:.10g}") for i in range(count)]


def _subsample(values, start, limit=MAX_POSITIONS):
    if len(values) <= limit:
        return values
    picked = {values[int(round(i * (len(values) - 1) / (limit - 1)))] for i in range(limit)}
    picked.add(start)
    return sorted(picked)


def positions(widget):
    """The controls of an interactive plot and the values each is drawn at.

    Parameters
    ----------
    widget : ipywidgets.interactive
        What `teaching.sliders.interactive_plot` returns.

    Returns
    -------
    list of (str, int or None, list)
        ``(label, end, values)`` per control in the widget's order: ``end`` is 0 or 1 for the
        lower or upper end of a range slider (the other end stays where it starts), None for a
        slider or switch. A slider's values are its own steps, or `MAX_POSITIONS` of them
        evenly spaced when it has more (its start value always included); a switch's are its
        options.

    Raises
    ------
    TypeError
        If `widget` is not an interactive plot (it has no ``kwargs_widgets``).
    """
    controls = getattr(widget, "kwargs_widgets", None)
    if controls is None:
        raise TypeError(f"positions: expected an interactive plot (teaching.sliders), "
                        f"got {type(widget).__name__}")
    out = []
    for control in controls:
        label = control.description
        if hasattr(control, "options"):
            out.append((label, None, [o[1] if isinstance(o, tuple) else o for o in control.options]))
        elif isinstance(control.value, tuple):  # a range slider: each end moves alone
            lo, hi = control.value
            every = _steps(control.min, control.max, control.step)
            out.append((label, 0, _subsample([v for v in every if v < hi], lo)))
            out.append((label, 1, _subsample([v for v in every if v > lo], hi)))
        else:
            out.append((label, None, _subsample(_steps(control.min, control.max, control.step),
                                                control.value)))
    return out


def _compact(png):
    """The same picture, smaller: Pillow's best zlib effort on a 256-colour palette (a plot's
    few colours and their anti-aliasing fit in it; RGBA at level 1 is 3 to 4 times larger)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def frames(widget):
    """Draw `widget` at every position of `positions`, one control at a time from the start.

    Yields
    ------
    (int, int or None, value, bytes, str)
        ``(control index, end, value, png, description)``: the index into `positions`' list,
        the range slider's end (None for others), the control's value, the picture as compact
        PNG and its description (``widget.describe()``). Drawn by the widget's own redraw
        (setting a control's value runs the widget's ``update``, as a slider move does), so it is the picture JupyterLab shows.
        The widget is left at its start values.
    """
    controls = list(widget.kwargs_widgets)
    start = [c.value for c in controls]
    by_label = {c.description: c for c in controls}
    try:
        for index, (label, end, values) in enumerate(positions(widget)):
            control = by_label[label]
            for value in values:
                if end is None:
                    control.value = value
                else:
                    pair = list(start[controls.index(control)])
                    pair[end] = value
                    control.value = tuple(pair)
                yield index, end, value, _compact(widget.render()), widget.describe()
            control.value = start[controls.index(control)]
    finally:
        for control, value in zip(controls, start):
            control.value = value


def collect(widget):
    """`frames` as the JSON `emit` shows: identical pictures stored once.

    Returns
    -------
    dict
        ``{"images": [[base64 png, description], ...], "start": image index,
        "controls": [{"label", "end", "values", "images"}]}``, ``images`` of a control listing
        the image index of each of its values.
    """
    images, seen, controls = [], {}, []
    for label, end, values in positions(widget):
        controls.append({"label": label, "end": end, "values": values, "images": []})
    for index, _end, _value, png, description in frames(widget):
        key = (png, description)
        if key not in seen:
            seen[key] = len(images)
            images.append([base64.b64encode(png).decode("ascii"), description])
        controls[index]["images"].append(seen[key])
    png = _compact(widget.render())
    key = (png, widget.describe())
    if key not in seen:
        seen[key] = len(images)
        images.append([base64.b64encode(png).decode("ascii"), key[1]])
    return {"images": images, "start": seen[key], "controls": controls}


def emit(widget):
    """Display the frames of `widget` (an interactive plot) as one JSON output, or, for the
    playground (whose settings train a network: nothing to draw in advance), a note that says
    so. Anything else displays nothing."""
    from IPython.display import display

    if hasattr(widget, "kwargs_widgets") and hasattr(widget, "describe"):
        display({MIME: collect(widget)}, raw=True)
    elif type(widget).__name__ == "Playground":
        display({MIME: {"note": "playground"}}, raw=True)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"collect: {type(value).__name__} is not JSON")


def dumps(data):
    """`collect`'s dict as JSON safe inside a ``<script>`` element (no ``</``)."""
    return json.dumps(data, default=_json_default, separators=(",", ":")).replace("</", "<\\/")
