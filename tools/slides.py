"""Slides and handouts from the notebooks, with no network at presentation time.

Usage:
    python tools/slides.py slides [NOTEBOOK ...]   # build/slides/<name>.slides.html   (make slides)
    python tools/slides.py html   [NOTEBOOK ...]   # build/html/<name>.html            (make html)

Without NOTEBOOK arguments every ``notebooks/*.ipynb`` is built. The pages are built with
nbconvert (``SlidesExporter`` = reveal.js decks, ``HTMLExporter`` = the JupyterLab look) from
the notebooks as stored, outputs included. Only the sliders' pictures are new: a build copy of
each notebook runs once in a kernel to draw every slider plot at its slider positions
(:func:`slider_frames`, ``teaching/frames.py``, kept in ``build/frames/``), and the page swaps
them in as a slider moves (``templates/base/slider_frames.js``). Every script and font a page
loads comes from ``assets/`` beside it, copied from the npm packages in ``node_modules`` (``npm
ci``, pinned by package.json and package-lock.json): reveal.js, MathJax 2 (nbconvert's templates
configure MathJax 2), require.js, jQuery and the Jupyter widgets HTML manager, which draws each
slider's stored state and last picture. So a folder ``build/slides`` copied to a USB stick
opens from disk in a browser with no network.

The slide metadata (``cell.metadata.slideshow.slide_type``) comes from one rule,
:func:`slide_types`, which ``tools/run_notebooks.py`` applies before it executes a notebook, so
every notebook, including one added later, presents as a deck the same way in nbconvert's decks
and in JupyterLab's presentation mode (jupyterlab-slideshow).
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NODE_MODULES = ROOT / "node_modules"
BUILD = ROOT / "build"

# --------------------------------------------------------------------------------------------
# The slide rule
# --------------------------------------------------------------------------------------------
SLIDE_TYPES = ("slide", "subslide", "fragment", "-", "skip", "notes")
OVERRIDE_TAG = re.compile(r"^slide:(slide|subslide|fragment|-|skip|notes)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SKIPPED_SECTIONS = {"setup"}  # the imports and the theme call: nothing to show a room
#: an answer after code longer than this (characters) gets its own sub-slide, not a fragment:
#: below the code, its plot and its output it would not fit a 16:9 slide
LONG_ANSWER = 1000


def _heading(cell):
    """(level, text) of the heading a markdown cell opens with, or None."""
    if cell.get("cell_type") != "markdown":
        return None
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    first = next((line for line in source.splitlines() if line.strip()), "")
    match = HEADING.match(first)
    return (len(match.group(1)), match.group(2)) if match else None


def slide_types(cells):
    """The slide type of each cell under the project's one rule.

    Parameters
    ----------
    cells : list of dict
        A notebook's cells (``nbformat`` nodes or plain dicts with ``cell_type``, ``source``
        and optionally ``metadata.tags``). Only sources and tags are read, never outputs, so the
        rule gives the same answer before and after a notebook runs.

    Returns
    -------
    list of str
        One of ``"slide"``, ``"subslide"``, ``"fragment"``, ``"-"`` (part of the current slide),
        ``"skip"`` or ``"notes"`` per cell, in order:

        * a markdown cell opening with a ``#`` or ``##`` heading starts a slide, one opening
          with ``###`` a sub-slide (reveal.js stacks sub-slides below their slide);
        * the ``## Setup`` heading and every cell up to the next heading are skipped;
        * a markdown paragraph right after a code cell is a fragment: the room sees the code
          and its output first, the teacher asks what it means, and the next key press shows
          the notebook's answer (an answer longer than ``LONG_ANSWER`` characters gets a
          sub-slide of its own instead);
        * one piece of code per (sub-)slide, so that a slide fits a 16:9 projector: on a slide
          that already shows code, a code cell starts a sub-slide, and so does a paragraph
          (not a fragment) that introduces the code right after it. A code cell of comments
          only (``#q1.hint()``) never does: it stays with the code it belongs to;
        * every other cell (code, outputs, deeper headings, text) belongs to the current slide;
        * a cell tagged ``slide:<type>`` (e.g. ``slide:skip``) gets that type: the author's
          word beats the rule.

    Raises
    ------
    TypeError
        If ``cells`` is not a list of cells (dicts).

    Examples
    --------
    >>> cells = [{"cell_type": "markdown", "source": "# Title"},
    ...          {"cell_type": "markdown", "source": "## Setup"},
    ...          {"cell_type": "code", "source": "import numpy as np"},
    ...          {"cell_type": "markdown", "source": "## Sigmoid\\nThe formula."},
    ...          {"cell_type": "code", "source": "print(sigmoid(0.0))"},
    ...          {"cell_type": "markdown", "source": "It is 0.5 at 0."},
    ...          {"cell_type": "code", "source": "plot_activation(sigmoid)"},
    ...          {"cell_type": "code", "source": "#q1.hint()"},
    ...          {"cell_type": "markdown", "source": "### Try it"},
    ...          {"cell_type": "code", "source": "x = 1", "metadata": {"tags": ["slide:skip"]}}]
    >>> slide_types(cells)
    ['slide', 'skip', 'skip', 'slide', '-', 'fragment', 'subslide', '-', 'subslide', 'skip']
    """
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise TypeError(f"slide_types: expected a list of notebook cells (dicts), got {type(cells).__name__}")
    types, skipping, previous, holds_code = [], False, None, False
    for i, cell in enumerate(cells):
        heading = _heading(cell)
        if heading is not None and heading[0] <= 3:
            skipping = heading[1].strip().lower() in SKIPPED_SECTIONS
        following = cells[i + 1] if i + 1 < len(cells) else {}
        if skipping:
            kind = "skip"
        elif heading is not None and heading[0] <= 2:
            kind = "slide"
        elif heading is not None and heading[0] == 3:
            kind = "subslide"
        elif cell.get("cell_type") == "markdown" and previous == "code":
            kind = "subslide" if len(_text(cell)) > LONG_ANSWER else "fragment"
        elif holds_code and _is_code(cell):
            kind = "subslide"  # a second piece of code: its own sub-slide
        elif (holds_code and cell.get("cell_type") == "markdown" and heading is None
              and _is_code(following)):
            kind = "subslide"  # the paragraph that introduces the next piece of code goes with it
        else:
            kind = "-"
        for tag in cell.get("metadata", {}).get("tags", []):
            match = OVERRIDE_TAG.match(tag)
            if match:
                kind = match.group(1)
        if kind in ("slide", "subslide"):
            holds_code = False
        long_answer = kind == "subslide" and heading is None and cell.get("cell_type") == "markdown" \
            and previous == "code"
        holds_code = holds_code or long_answer or (kind not in ("skip", "notes") and _is_code(cell))
        types.append(kind)
        previous = cell.get("cell_type")
    return types


def _text(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _is_code(cell):
    """Whether ``cell`` is a code cell with a line that is not a comment (``#q1.hint()`` is not)."""
    if cell.get("cell_type") != "code":
        return False
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    return any(line.strip() and not line.lstrip().startswith("#") for line in source.splitlines())


FENCE = re.compile(r"^\s*(```|~~~)")


def split_at_headings(cells):
    """The cells with every markdown cell cut before each ``#``-``###`` heading inside it.

    :func:`slide_types` reads the heading a cell *opens* with; a heading further down a cell
    (an answer paragraph followed by ``### The function and its derivative``, or the index's
    one long cell of ``##`` sections) would otherwise put two slides' worth on one slide. The
    decks are built from the split cells, so every such heading starts its slide or sub-slide.
    The first part keeps the cell's metadata and id; each later part gets the cell's tags and
    the id ``<id>-<n>``. Headings inside fenced code blocks are not headings. Code cells and
    cells with no inner heading are returned as they are; ``cells`` is not changed.

    Examples
    --------
    >>> cells = [{"cell_type": "markdown", "source": "An answer.\\n### Next part\\nMore.",
    ...           "metadata": {}, "id": "a"}]
    >>> [(c["id"], c["source"]) for c in split_at_headings(cells)]
    [('a', 'An answer.'), ('a-2', '### Next part\\nMore.')]
    """
    import copy

    out = []
    for cell in cells:
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        if cell.get("cell_type") != "markdown":
            out.append(cell)
            continue
        parts, current, fenced = [], [], False
        for line in source.splitlines():
            if FENCE.match(line):
                fenced = not fenced
            match = None if fenced else HEADING.match(line)
            if match and len(match.group(1)) <= 3 and any(l.strip() for l in current):
                parts.append(current)
                current = []
            current.append(line)
        parts.append(current)
        if len(parts) == 1:
            out.append(cell)
            continue
        for n, lines in enumerate(parts, start=1):
            part = copy.deepcopy(cell)
            part["source"] = "\n".join(lines).strip("\n")
            if n > 1:
                part["metadata"] = {"tags": list(cell.get("metadata", {}).get("tags", []))}
                if "id" in cell:
                    part["id"] = f"{cell['id']}-{n}"
            out.append(part)
    return out


def add_slide_metadata(nb):
    """Store :func:`slide_types` in ``metadata.slideshow.slide_type`` of every cell of ``nb``.

    A cell that continues the current slide (``"-"``) carries no ``slide_type``: nbconvert reads
    a missing type as ``"-"``, and jupyterlab-slideshow 0.3 shows only a cell with no type (it
    hides one marked ``"-"``). Changes ``nb`` in place and returns it; running it again changes
    nothing. Other keys under ``metadata.slideshow`` are kept.

    Raises
    ------
    TypeError
        If ``nb`` is not a notebook (a dict with ``cells``).

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title"),
    ...                                      nbformat.v4.new_code_cell("1 + 1")])
    >>> [c.metadata.get("slideshow") for c in add_slide_metadata(nb).cells]
    [{'slide_type': 'slide'}, None]
    """
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if cells is None:
        raise TypeError(f"add_slide_metadata: expected a notebook (nbformat node), got {type(nb).__name__}")
    for cell, kind in zip(cells, slide_types(cells)):
        metadata = cell.setdefault("metadata", {})
        slideshow = metadata.get("slideshow", {})
        if kind == "-":
            slideshow.pop("slide_type", None)
        else:
            slideshow["slide_type"] = kind
        if slideshow:
            metadata["slideshow"] = slideshow
        else:
            metadata.pop("slideshow", None)
    return nb


def stored_slide_types(nb):
    """The slide type stored on each cell of ``nb`` (``"-"`` where none is stored)."""
    return [cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") for cell in nb["cells"]]


# --------------------------------------------------------------------------------------------
# Offline assets: copied from node_modules next to the pages
# --------------------------------------------------------------------------------------------
REVEAL_THEME = "white"  # its fonts ship with reveal.js; several other themes import Google Fonts
# (source under node_modules, target under assets/, names to leave out)
ASSETS = [
    ("reveal.js/dist", "reveal.js/dist", ["*.map", "*.esm.js"]),
    ("reveal.js/plugin/notes", "reveal.js/plugin/notes", ["*.esm.js"]),
    # MathJax 2 with only the CommonHTML output and the TeX web fonts it uses (not 70 MB)
    ("mathjax", "mathjax", ["unpacked", "test", "SVG", "HTML-CSS", "NativeMML", "png", "otf", "eot", "svg",
                            "Asana-Math", "Gyre-*", "Latin-Modern", "Neo-Euler", "STIX-Web"]),
    ("requirejs/require.js", "require.js", []),
    ("jquery/dist/jquery.min.js", "jquery.min.js", []),
    ("@jupyter-widgets/html-manager/dist", "html-manager", ["*.map", "embed.js", "*.txt"]),
]
# Where the pages find them (relative URLs, so the folder can move as a whole)
URLS = {
    "reveal_url_prefix": "assets/reveal.js",
    "mathjax_url": "assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe",
    "require_js_url": "assets/require.js",
    "jquery_url": "assets/jquery.min.js",
    "widget_renderer_url": "assets/html-manager/embed-amd.js",
}
# MathJax's CommonHTML output looks for its fonts under fonts/HTML-CSS/TeX/woff; keep it
_KEEP_HTML_CSS_FONTS = "fonts/HTML-CSS"


def missing_assets():
    """The npm files the pages need that ``node_modules`` lacks (empty after ``npm ci``)."""
    return [src for src, _, _ in ASSETS if not (NODE_MODULES / src).exists()]


def copy_assets(out_dir):
    """Copy the browser assets from node_modules into ``out_dir/assets``."""
    missing = missing_assets()
    if missing:
        raise FileNotFoundError(
            f"copy_assets: {', '.join(missing)} missing under {NODE_MODULES}: run `npm ci` "
            "(make slides and make html do) to install reveal.js and MathJax from package-lock.json")
    assets = Path(out_dir) / "assets"
    if assets.exists():
        shutil.rmtree(assets)
    for src, dst, leave_out in ASSETS:
        source, target = NODE_MODULES / src, assets / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_file():
            shutil.copy2(source, target)
            continue
        ignore = shutil.ignore_patterns(*leave_out)
        if src == "mathjax":
            ignore = _mathjax_ignore(leave_out)
        elif src == "reveal.js/dist":
            ignore = _reveal_ignore(leave_out)
        shutil.copytree(source, target, ignore=ignore)
    return assets


def _reveal_ignore(leave_out):
    patterns = shutil.ignore_patterns(*leave_out)

    def ignore(directory, names):
        dropped = set(patterns(directory, names))
        if Path(directory).name == "theme":  # only the theme the decks use, and its fonts
            dropped |= {n for n in names if n.endswith(".css") and n != f"{REVEAL_THEME}.css"}
        return dropped

    return ignore


def _mathjax_ignore(leave_out):
    patterns = shutil.ignore_patterns(*leave_out)

    def ignore(directory, names):
        dropped = set(patterns(directory, names))
        if directory.replace("\\", "/").endswith(_KEEP_HTML_CSS_FONTS):
            dropped.discard("TeX")  # fonts/HTML-CSS/TeX/woff: the CommonHTML fonts
            dropped |= {n for n in names if n != "TeX"}
        elif directory.replace("\\", "/").endswith("mathjax/fonts"):
            dropped.discard("HTML-CSS")
        return dropped

    return ignore


# --------------------------------------------------------------------------------------------
# Accessibility (WCAG 2.1 AA): the code's colours at 4.5:1 or better. nbconvert's default
# (JupyterLab's editor colours) puts comments at 4.2:1 and numbers at 4.3:1 on the code cells'
# grey; accessible-pygments' high-contrast light style meets AA for every token. The rest (prompts,
# links) is CSS in the templates (templates/base/accessibility.css).
# --------------------------------------------------------------------------------------------
ACCESSIBLE_CONFIG = {"CSSHTMLHeaderPreprocessor": {"style": "a11y-high-contrast-light"}}

# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------
TEMPLATES = Path(__file__).resolve().parent / "templates"
#: the decks' slide size in reveal.js pixels: 16:9, as a projector shows it (reveal.js scales it
#: to the screen, so a slide that fits 1280x720 fits 1920x1080 too)
DECK_WIDTH, DECK_HEIGHT = 1280, 720


def _exporter(kind):
    from traitlets.config import Config

    if kind == "slides":
        from nbconvert import SlidesExporter as Exporter

        # 16:9 at the projector's own size: no input prompts, no scrolling slides (each one fits:
        # templates/reveal_offline/projector_fit.*, measured by tests/browser/test_slides_fit.py)
        options = dict(URLS, reveal_scroll=False, reveal_theme=REVEAL_THEME, template_name="reveal_offline",
                       reveal_width=str(DECK_WIDTH), reveal_height=str(DECK_HEIGHT),
                       exclude_input_prompt=True, exclude_output_prompt=True,
                       extra_template_basedirs=[str(TEMPLATES)])
    elif kind == "html":
        from nbconvert import HTMLExporter as Exporter

        options = dict(URLS, template_name="lab_offline", extra_template_basedirs=[str(TEMPLATES)])
        options.pop("reveal_url_prefix")
    else:
        raise ValueError(f"slides: unknown kind {kind!r}; expected 'slides' or 'html'")
    return Exporter(config=Config({Exporter.__name__: options, **ACCESSIBLE_CONFIG}))


# --------------------------------------------------------------------------------------------
# Sliders that redraw with no kernel: each interactive plot drawn in advance (teaching/frames.py)
# --------------------------------------------------------------------------------------------
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: the build copy's cell after each interactive plot: its frames, by the plot's own redraw
#: (the previous cell's result from Out, not `_`: IPython stops updating `_` once a cell assigns
#: it, as notebook 05's `for _ in range(2)` does)
EMIT_FRAMES = "import teaching.frames\nteaching.frames.emit(Out.get(len(In) - 2))"
FRAMES_CACHE = BUILD / "frames"
PLAYGROUND_NOTE = (
    '<p class="teaching-offline-note"><strong>In this page the playground shows its stored '
    "result.</strong> Training a network (the Train button, or changing a setting) needs the "
    "notebook: open <code>05_playground.ipynb</code> in JupyterLab, Binder or JupyterLite.</p>")


def _frames_key(path):
    """What a notebook's frames depend on: the notebook, the code that draws them and the cell
    that collects them."""
    import hashlib

    digest = hashlib.sha256(EMIT_FRAMES.encode())
    for source in [path, ROOT / "activations_helpers.py", *sorted((ROOT / "teaching").glob("*.py"))]:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def slider_frames(path):
    """``{cell index: frames}`` of the notebook at ``path``: for every code cell that shows an
    interactive plot, the JSON of `teaching.frames.collect` (or ``{"note": "playground"}``).

    A build copy of the notebook runs in a kernel (nbclient) with ``teaching.frames.emit(_)``
    after each such cell; the stored notebook is not changed. The result is kept in
    ``build/frames/<name>.json`` while the notebook and teaching/ are unchanged, so ``make html``
    and ``make slides`` run each notebook once between them.
    """
    import copy
    import json

    import nbformat
    from nbclient import NotebookClient

    from teaching.frames import MIME

    path = Path(path)
    cache = FRAMES_CACHE / f"{path.stem}.json"
    key = _frames_key(path)
    if cache.exists():
        stored = json.loads(cache.read_text(encoding="utf-8"))
        if stored.get("key") == key:
            return {int(k): v for k, v in stored["frames"].items()}
    nb = nbformat.read(path, as_version=4)
    shows = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code" and any(
        WIDGET_VIEW in output.get("data", {}) for output in cell.get("outputs", []))]
    if not shows:
        return {}
    run = copy.deepcopy(nb)
    run.cells, origin = [], {}
    for i, cell in enumerate(nb.cells):
        run.cells.append(copy.deepcopy(cell))
        if i in shows:
            origin[len(run.cells)] = i
            run.cells.append(nbformat.v4.new_code_cell(EMIT_FRAMES))
    client = NotebookClient(run, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(path.parent)}},
                            shutdown_kernel="immediate")
    client.execute()
    frames = {}
    for position, i in origin.items():
        for output in run.cells[position].get("outputs", []):
            if output.get("output_type") == "error":
                raise RuntimeError(f"slider_frames: {path.name} cell {i}: {output.get('ename')}: "
                                   f"{output.get('evalue')}")
            if MIME in output.get("data", {}):
                frames[i] = output["data"][MIME]
    FRAMES_CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"key": key, "frames": frames}, separators=(",", ":")), encoding="utf-8")
    return frames


def add_slider_frames(nb, frames):
    """Append to each interactive plot's cell of ``nb`` an HTML output holding its frames
    (``<script type="application/json" class="teaching-frames">``, read by
    templates/base/slider_frames.js), or, for the playground, a note that training needs the
    notebook. Changes ``nb`` (a copy of the stored notebook, for the page only) in place."""
    import nbformat

    from teaching.frames import dumps

    for i, data in frames.items():
        if data.get("note") == "playground":
            html = PLAYGROUND_NOTE
        else:
            html = f'<script type="application/json" class="teaching-frames">{dumps(data)}</script>'
        nb.cells[i].outputs.append(nbformat.v4.new_output("display_data", data={"text/html": html}))
    return nb


def build(kind, notebooks=None, out_dir=None):
    """Build every notebook as a reveal.js deck (``kind="slides"``) or a static page
    (``kind="html"``) into ``out_dir`` (default ``build/<kind>``) with the assets beside them.

    Returns the list of pages written.
    """
    import nbformat

    out_dir = Path(out_dir or BUILD / kind)
    paths = [Path(p).resolve() for p in notebooks] if notebooks else sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        raise FileNotFoundError(f"slides: no notebooks to build in {NOTEBOOKS}")
    out_dir.mkdir(parents=True, exist_ok=True)
    copy_assets(out_dir)
    exporter = _exporter(kind)
    suffix = ".slides.html" if kind == "slides" else ".html"
    written = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        add_slider_frames(nb, slider_frames(path))
        if kind == "slides":
            nb.cells = split_at_headings(nb.cells)  # every heading starts its slide
            add_slide_metadata(nb)  # a notebook not yet regenerated still presents by the rule
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        body = _link_pages(body, {p.stem for p in paths}, suffix)
        body = _link_repository_files(body, out_dir)
        target = out_dir / f"{path.stem}{suffix}"
        target.write_text(body, encoding="utf-8")
        written.append(target)
        print(f"{target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return written


def _link_pages(body, stems, suffix):
    """Point the notebooks' links to each other (``02_binary_step.ipynb``) at the built pages."""

    def swap(match):
        stem, anchor = match.group(1), match.group(2) or ""
        return f'href="{stem}{suffix}{anchor}"' if stem in stems else match.group(0)

    return re.sub(r'href="([^"/:#]+)\.ipynb(#[^"]*)?"', swap, body)


def _link_repository_files(body, out_dir):
    """Links out of notebooks/ (``../activations_helpers.py``, ``../TEACHING.md``): copy each
    linked file or folder beside the pages and point the link at the copy, so that the build
    folder works on its own, wherever it is copied."""

    def swap(match):
        target = match.group(1)
        top = target.split("/")[0]
        source = ROOT / top
        if top in ("", "..") or not source.exists():
            return match.group(0)
        if source.is_dir():
            shutil.copytree(source, out_dir / top, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, out_dir / top)
        return f'href="{target}'

    return re.sub(r'href="\.\./([^"#]+)', swap, body)


def main(argv):
    if not argv or argv[0] not in ("slides", "html"):
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    build(argv[0], argv[1:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
