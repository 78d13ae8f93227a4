"""From a matplotlib Figure to what a notebook shows: PNG bytes and a described image output.

The rendering helpers that `teaching.plotting`, `teaching.sliders` and `teaching.playground`
share: the Agg canvas, the PNG encoders (Pillow for a stored figure, imagecodecs' libpng for a
slider frame), hiding artists while a cached background is drawn,
blitting, and the one output bundle every figure of the project is shown as (`image_bundle`):

- ``image/png`` with the description in its metadata (``{"image/png": {"alt": ...}}``), which
  nbconvert writes as the ``alt`` of the handouts' and decks' ``<img>``;
- ``text/html``, an ``<img alt="..." src="data:image/png;base64,...">`` of the same PNG:
  JupyterLab 4's image renderer ignores the metadata's ``alt`` (it reads only width, height and
  ``unconfined``), while its HTML renderer keeps an ``<img>``'s own ``alt``. A front end picks the
  richest type it can show, so JupyterLab, nbconvert and the widgets' Output areas all show the
  described ``<img>``;
- no ``text/plain``: a Figure's ``<Figure size 640x360 with 1 Axes>`` would depend on the
  learner's matplotlib settings (``figure.dpi``) and say nothing about the picture.
"""

import base64
import contextlib
import html
import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

try:
    import imagecodecs
except ImportError:  # JupyterLite, whose install cell installs Pillow only: frames by Pillow then
    imagecodecs = None

__all__ = ["DPI", "agg_canvas", "encode_png", "encode_frame", "figure_png", "image_html", "image_bundle",
           "hidden",
           "description_html", "WATCH_HTML", "FOLLOW_JS",
           "Blitted"]

# Every figure is drawn at this many pixels per inch, whatever the learner's matplotlibrc says
# (a 6.4 x 3.6 in figure is 640 x 360 pixels): the stored outputs do not depend on it.
DPI = 100


def agg_canvas(fig):
    """The figure's Agg canvas (the raster canvas a PNG is drawn on), attached if it has none."""

    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def encode_png(rgba, level=1):
    """Encode an RGBA image (height x width x 4 bytes) as PNG bytes with Pillow.

    `level` is zlib's compression level: 6 for a figure stored in a notebook (smaller files,
    encoded once); 1 for a slider frame where imagecodecs is missing (`encode_frame`). An opaque image (every alpha 255, as every figure
    of the project) is stored as RGB: a quarter less to filter and compress, about 5 ms
    instead of 9 for a 960x360 slider frame (the largest part of a slider move in the kernel).
    """
    rgba = np.asarray(rgba, dtype=np.uint8)
    image = Image.fromarray(rgba, mode="RGBA")
    if rgba[..., 3].min() == 255:
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=level)
    return buffer.getvalue()


def encode_frame(rgba):
    """Encode a slider or playground frame (height x width x 4 uint8, RGBA) as PNG bytes, fast.

    Encoded on every move, where `encode_png` (Pillow) is more than half of the kernel's time:
    Pillow tries every PNG filter on every row and keeps the best (the smallest file), which is
    most of its 5.5 ms for a 960 x 360 frame. imagecodecs' libpng with the Up filter alone (each
    row minus the row above: a plot's white rows and straight grid lines become zeros) and zlib
    level 1 encodes it in about 2 ms, the RGBA as it is (no copy to RGB), 25 % more bytes (29 kB
    instead of 23: nothing next to a websocket's speed). Lossless either way. End to end, a
    slider move is about 5 ms faster in JupyterLab (benchmarks/README.md).

    Without imagecodecs (JupyterLite installs Pillow, not it: tools/build_lite.py), `encode_png`
    at level 1.

    Parameters
    ----------
    rgba : array_like of uint8, shape (height, width, 4)
        The canvas's pixels, e.g. ``FigureCanvasAgg.buffer_rgba()``.

    Returns
    -------
    bytes
        A PNG of the same pixels (RGBA, 8 bits per channel).

    Raises
    ------
    ValueError
        If `rgba` is not of shape (height, width, 4) with dtype uint8.
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"encode_frame: expected RGBA pixels of shape (height, width, 4) and dtype "
                         f"uint8, got shape {rgba.shape} and dtype {rgba.dtype}")
    if imagecodecs is None:
        return encode_png(rgba, level=1)
    return imagecodecs.png_encode(rgba, level=1, filter=imagecodecs.PNG.FILTER.UP)


def figure_png(fig, level=6):
    """The whole figure as PNG bytes: one plain draw and Pillow's encoder (faster than
    IPython's default formatter, which switches canvases and measures a tight bounding box)."""
    canvas = agg_canvas(fig)
    canvas.draw()
    return encode_png(canvas.buffer_rgba(), level=level)


# What names the sliders and announces a picture's new description, in the widget box `b` round
# the picture (an interact, or the playground), given the description `t`:
#  - names every slider after its label: ipywidgets 8 draws a slider with noUiSlider, whose
#    handle (role="slider") has no accessible name, and the <label> beside it is tied to nothing
#    (axe-core: aria-input-field-name). A range slider's two handles are "... lower end" and
#    "... upper end";
#  - gives every handle the value the readout shows, as what a screen reader speaks
#    (aria-valuetext, "0.02") and as its number (aria-valuenow, 0.02): noUiSlider writes the raw
#    float into the one ("1.2999999999999998" after three steps of 0.1) and rounds the other to
#    one decimal ("0.0" for an alpha of 0.02). A range slider's readout holds both ends, "-5.0 – 5.0";
#  - names the readout, a box a learner can type a value into (contenteditable, no name in
#    ipywidgets), as a text box "<label> value" ("slope value");
#  - names a switch's buttons (ToggleButtons) as a group after its label ("approximate") and
#    marks the chosen one aria-pressed: ipywidgets shows the choice by a CSS class only;
#  - keeps one polite live region (role="status", visually hidden), made once, and puts the
#    picture's new description in it 0.7 s after the last change: a screen reader announces the
#    picture where the slider came to rest, not every frame of a key repeat.
_FOLLOW = (
    "function(b,t){"
    "b.querySelectorAll('.widget-slider').forEach(function(s){"
    "var l=s.querySelector('.widget-label'),h=s.querySelectorAll('.noUi-handle'),"
    "o=s.querySelector('.widget-readout'),"
    "v=o?o.textContent.replace(/\\u2212/g,'-').split(' \\u2013 '):[];"
    "if(o&&l&&l.textContent&&o.isContentEditable){var m=l.textContent+' value';"
    "if(o.getAttribute('aria-label')!==m){o.setAttribute('role','textbox');o.setAttribute('aria-label',m);}}"
    "h.forEach(function(e,i){var n=l&&l.textContent+(h.length>1?(i?' upper end':' lower end'):'');"
    "if(n&&e.getAttribute('aria-label')!==n)e.setAttribute('aria-label',n);"
    "var x=v.length===h.length?v[i].trim():'',y=String(parseFloat(x));"
    "if(x&&y!=='NaN'){if(e.getAttribute('aria-valuetext')!==x)e.setAttribute('aria-valuetext',x);"
    "if(e.getAttribute('aria-valuenow')!==y)e.setAttribute('aria-valuenow',y);}});});"
    "b.querySelectorAll('.widget-toggle-buttons').forEach(function(s){"
    "var l=s.querySelector(':scope>.widget-label'),k=s.querySelectorAll('button'),g=k.length&&k[0].parentNode;"
    "if(g&&l&&l.textContent){g.setAttribute('role','group');g.setAttribute('aria-label',l.textContent);}"
    "k.forEach(function(x){var p=x.classList.contains('mod-active')?'true':'false';"
    "if(x.getAttribute('aria-pressed')!==p)x.setAttribute('aria-pressed',p);});});"
    "var r=b.querySelector(':scope>.teaching-live');"
    "if(!r){r=document.createElement('div');r.className='teaching-live';"
    "r.setAttribute('role','status');r.setAttribute('aria-live','polite');"
    "r.style.cssText='position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip-path:inset(50%);white-space:nowrap';b.appendChild(r);r._last=t;}"
    "if(r._last!==t){r._last=t;clearTimeout(r._timer);"
    "r._timer=setTimeout(function(){r.textContent=t;},700);}}"
)
_BOX = "this.closest('.widget-interact')||this.closest('.widget-vbox')||this.parentNode"

# Run by a described image each time it has loaded (the <img>'s onload: the one way to run a line
# of JavaScript from a notebook's HTML output or an HTML widget, in JupyterLab and in the offline
# handouts alike): `_FOLLOW` with the image's alt (the playground's pictures, `image_html`).
FOLLOW_JS = f"({_FOLLOW})({_BOX},this.alt);"

# The class of the element that holds a slider picture's description (`description_html`), and
# of the picture (ipywidgets' Image view is an <img class="widget-image">).
DESCRIPTION_CLASS = "teaching-description"

# Run once by `WATCH_HTML` when its widget is shown: from then on, whenever anything in the
# widget box changes (a new frame, a new description, a slider redrawn), the box's picture (an
# ipywidgets Image: an <img class="widget-image"> with no alt of its own) gets the description
# as its alt, and `_FOLLOW` names the sliders and announces it (and puts a handle's spoken value
# and number right again when noUiSlider rewrites them: an echo from the kernel moves no readout). ipywidgets' Image sends the PNG
# as bytes (no base64, no HTML to parse) and this script is sent once, not with every frame.
WATCH_JS = (
    f"var b={_BOX};if(b._teachingWatch)return;b._teachingWatch=1;var f={_FOLLOW};"
    "function sync(){var img=b.querySelector('img.widget-image'),"
    f"d=b.querySelector('.{DESCRIPTION_CLASS}');if(!img||!d)return;var t=d.textContent;"
    "if(img.getAttribute('alt')!==t)img.setAttribute('alt',t);f(b,t);}"
    "new MutationObserver(sync).observe(b,{subtree:true,childList:true,characterData:true,"
    "attributes:true,attributeFilter:['aria-valuetext','aria-valuenow']});"
    "sync();"
)
# A transparent 1x1 GIF whose onload runs WATCH_JS: decorative (empty alt, role="presentation",
# so neither a screen reader nor axe-core takes it for a figure). An <img> because its onload is
# the one handler that runs when an HTML widget sets its innerHTML (an <svg>'s does not).
_PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
WATCH_HTML = (f'<img alt="" role="presentation" width="1" height="1" '
              f'onload="{html.escape("(function(){" + WATCH_JS + "}).call(this)", quote=True)}" '
              f'src="{_PIXEL}"/>')


def description_html(description):
    """The description of a slider picture, as the hidden text `WATCH_JS` makes the picture's alt.

    Raises
    ------
    TypeError
        If `description` is not a non-empty str.
    """
    if not isinstance(description, str) or not description.strip():
        raise TypeError("description_html: every picture needs a description (a non-empty str), "
                        f"got {description!r}")
    return f'<p class="{DESCRIPTION_CLASS}" hidden>{html.escape(description, quote=False)}</p>'


def image_html(png, description, *, follow=False):
    """An ``<img>`` of PNG bytes with `description` as its ``alt``.

    With ``follow=True`` the image also runs `FOLLOW_JS` when it loads: it names the sliders of
    the widget it is in and announces its description in a polite live region (a slider's
    picture, see `teaching.sliders.interactive_plot`).
    """
    if not isinstance(png, (bytes, bytearray)):
        raise TypeError(f"image_html: png must be bytes, got {type(png).__name__}")
    if not isinstance(description, str) or not description.strip():
        raise TypeError("image_html: every picture needs a description (a non-empty str), "
                        f"got {description!r}")
    onload = f' onload="{html.escape(FOLLOW_JS, quote=True)}"' if follow else ""
    return (f'<img alt="{html.escape(description, quote=True)}"{onload} '
            f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}"/>')


def image_bundle(png, description, *, follow=False, table=None):
    """The output bundle of a described PNG: ``(data, metadata)`` for IPython's
    ``display(data, metadata=metadata, raw=True)`` or a notebook's ``display_data`` output.

    Parameters
    ----------
    png : bytes
        The PNG file.
    description : str
        What the picture shows (see `teaching.descriptions.describe`); it becomes the ``alt``
        of the image, in the metadata and in the ``<img>``.
    follow : bool, default False
        See `image_html`.
    table : str, optional
        HTML shown under the image in ``text/html`` (a collapsed data table,
        `teaching.descriptions.data_table`).

    Returns
    -------
    data : dict
        ``{"image/png": base64 str, "text/html": '<img alt="..." src="data:...">'}``, the
        `table` after the ``<img>``.
    metadata : dict
        ``{"image/png": {"alt": description}}``.

    Raises
    ------
    TypeError
        If `png` is not bytes or `description` not a non-empty str.
    """
    tag = image_html(png, description, follow=follow) + (table or "")
    encoded = base64.b64encode(png).decode("ascii")
    return {"image/png": encoded, "text/html": tag}, {"image/png": {"alt": description}}


@contextlib.contextmanager
def hidden(artists):
    """Make `artists` invisible for the duration of a ``with`` block."""
    was_visible = [artist.get_visible() for artist in artists]
    for artist in artists:
        artist.set_visible(False)
    try:
        yield
    finally:
        for artist, visible in zip(artists, was_visible):
            artist.set_visible(visible)


class Blitted:
    """Render a figure to PNG, drawing everything but its `dynamic` artists only when the
    axis limits (or the canvas) change: the cached background is restored and only the
    dynamic artists are drawn over it (a full draw spends most of its time on text)."""

    KEEP = 8  # backgrounds kept (one per set of axis limits), e.g. two loss scales x 4 epochs

    def __init__(self, fig, dynamic):
        self.fig, self.backgrounds = fig, {}
        self.dynamic = sorted(dynamic, key=lambda artist: artist.get_zorder())

    def png(self):
        canvas = agg_canvas(self.fig)
        key = (id(canvas), self.fig.bbox.bounds,
               tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes))
        if key not in self.backgrounds:
            with hidden(self.dynamic):
                canvas.draw()
            if len(self.backgrounds) >= self.KEEP:
                del self.backgrounds[next(iter(self.backgrounds))]  # the oldest
            self.backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self.backgrounds[key])
        for artist in self.dynamic:
            artist.axes.draw_artist(artist)
        return encode_frame(canvas.buffer_rgba())
