"""The offline decks and handouts (`make slides`, `make html`) in a real browser with no network.

Every deck and page is built into a temporary folder by tools/slides.py (the code `make slides`
and `make html` run), opened from disk (file://) in Chromium with every request that is not a
file aborted, and checked as a room would see it: the slides render and move, every formula is
typeset (no raw ``$$`` and no MathJax error), every plot is a decoded image, the sliders draw
from their stored state, and not one request left the machine.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tools"))
import slides  # noqa: E402

sys.path.remove(str(ROOT / "tools"))

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# All typeset once MathJax's queue is empty: one rendered .MathJax_CHTML per math/tex script.
JS_MATH = """
() => {
  const hub = window.MathJax && window.MathJax.Hub;
  if (!hub || !window.MathJax.isReady || hub.queue.pending || hub.queue.running) return null;
  // the slides themselves (reveal.js also copies the current slide into a screen-reader region)
  const root = document.querySelector('.reveal .slides') || document.body;
  const sources = root.querySelectorAll('script[type^="math/tex"]').length;
  const rendered = root.querySelectorAll('.MathJax_CHTML').length;
  const errors = root.querySelectorAll('.MathJax_Error, .mjx-merror').length;
  const copy = root.cloneNode(true);
  copy.querySelectorAll('script, style').forEach((el) => el.remove());
  const text = copy.textContent;
  copy.querySelectorAll('pre, code, .jp-CodeCell, .jp-OutputArea').forEach((el) => el.remove());
  return {sources, rendered, errors, text, prose: copy.textContent};
}
"""

JS_IMAGES = """
() => [...document.querySelectorAll('img[src^="data:image/png"]')].map(
  (img) => ({width: img.naturalWidth, height: img.naturalHeight, complete: img.complete}))
"""


def _expected(path, kind):
    """What the page must show: math expressions, PNG plots and sliders of the shown cells."""
    nb = nbformat.read(path, as_version=4)
    cells = slides.split_at_headings(nb.cells) if kind == "slides" else nb.cells
    types = slides.slide_types(cells) if kind == "slides" else ["-"] * len(cells)
    shown = [c for c, t in zip(cells, types) if t not in ("skip", "notes")]
    text = "\n".join(c.source for c in shown if c.cell_type == "markdown")
    math = len(re.findall(r"\$\$.+?\$\$", text, flags=re.S))  # display formulas: at least these
    outputs = [o for c in shown if c.cell_type == "code" for o in c.get("outputs", [])]
    pngs = sum("image/png" in o.get("data", {}) for o in outputs)
    widgets = sum(WIDGET_MIME in o.get("data", {}) for o in outputs)
    return {"math": math, "pngs": pngs, "widgets": widgets,
            "slides": types.count("slide"), "subslides": types.count("subslide")}


@pytest.mark.parametrize("kind", ["slides", "html"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_page_renders_offline_with_math_and_plots(built, offline_page, path, kind):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = offline_page
    suffix = ".slides.html" if kind == "slides" else ".html"
    file = built[kind] / f"{path.stem}{suffix}"
    expected = _expected(path, kind)
    page.goto(file.as_uri())

    if kind == "slides":
        page.wait_for_selector(".reveal.ready", state="attached")
        assert page.locator(".reveal .slides > section").count() == expected["slides"]
        assert page.locator(".reveal .slides > section > section").count() == expected["slides"] + expected["subslides"]
        box = page.locator(".reveal .slides section.present").first.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100, "the first slide is not on screen"

    all_typeset = f"() => {{ const m = ({JS_MATH})(); return m && m.rendered >= m.sources; }}"
    try:  # MathJax typesets in chunks (and again on each slide change): wait for all of it
        page.wait_for_function(all_typeset, polling=200)
    except PlaywrightTimeout:
        pass  # the assertions below say what is missing
    math = page.evaluate(JS_MATH)
    assert math is not None, f"{file.name}: MathJax did not load or never finished"
    assert math["sources"] >= expected["math"], f"{file.name}: {math['sources']} formulas found, {expected['math']} $$ in the notebook"
    assert math["rendered"] == math["sources"], f"{file.name}: {math['rendered']} of {math['sources']} formulas typeset"
    assert math["errors"] == 0 and "Math Processing Error" not in math["text"]
    assert "$$" not in math["text"], f"{file.name}: raw $$ left on the page"
    raw = re.findall(r"\\(?:frac|sigma|sum|begin|tanh|max|exp|partial|alpha|cdot|left)\b", math["prose"])
    assert not raw, f"{file.name}: raw TeX left in the text: {raw[:5]}"

    if kind == "slides":  # the next slide, its formulas re-rendered by the deck (the template's handler)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => location.hash.startsWith('#/1')")
        try:
            page.wait_for_timeout(300)  # the deck's slidechanged handler re-renders the new slide's math
            page.wait_for_function(all_typeset, polling=100, timeout=10_000)
        except PlaywrightTimeout:
            pass
        after = page.evaluate(JS_MATH)
        assert after["rendered"] == math["sources"], f"after a slide change only {after['rendered']} of {math['sources']} typeset"

    page.wait_for_function("() => [...document.images].every((img) => img.complete)")
    images = page.evaluate(JS_IMAGES)
    decoded = [i for i in images if i["width"] > 50 and i["height"] > 50]
    assert len(decoded) == len(images) and len(images) >= expected["pngs"], (
        f"{file.name}: {len(decoded)} decoded plots of {len(images)} images; the notebook has {expected['pngs']}")

    if expected["widgets"]:  # drawn from the widget state stored in the notebook
        page.wait_for_selector(".widget-slider", state="attached")
        assert not page.get_by_text(re.compile("Error displaying widget|Loading widget")).count()

    assert page.attempted == [], f"{file.name} tried the network: {page.attempted}"
    assert page.problems == [], f"{file.name}: {page.problems}"
