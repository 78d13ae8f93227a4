"""WCAG 2.1 AA in the real browser: axe-core over every handout, every deck and the notebook
outputs in JupyterLab, and a slider whose picture's description follows it.

axe-core comes from npm (package-lock.json pins it); it is injected into each page and run
with the rules tagged wcag2a, wcag2aa, wcag21a and wcag21aa. A violation of impact "critical"
or "serious" fails the test; every violation found (any impact) is printed with its node
count, so `pytest -s` gives the table the accessibility section of README.md quotes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"critical", "serious"}
PLACEHOLDERS = ("No description has been provided", "Image")  # nbconvert's, JupyterLab's

sys.path.insert(0, str(ROOT / "tools"))
import slides  # noqa: E402

sys.path.remove(str(ROOT / "tools"))

JS_AXE = """
async ([include, tags]) => {
  const context = include ? document.querySelectorAll(include) : document;
  if (include && context.length === 0) return [];
  const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                        example: v.nodes[0] ? v.nodes[0].target.join(' ') + ': ' + v.nodes[0].failureSummary : ''}));
}
"""

JS_IMAGES = """
(scope) => [...document.querySelectorAll(scope + ' img')].map((img) => img.getAttribute('alt'))
"""


def axe(page, include=None):
    """axe-core's WCAG 2.1 A/AA violations on `page` (within the elements `include` selects)."""
    if not AXE.exists():
        pytest.fail("node_modules/axe-core is missing: run `npm ci` (make test does)", pytrace=False)
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(JS_AXE, [include, TAGS])


def failing(violations):
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def report(name, violations):
    counts = ", ".join(f"{v['id']} ({v['impact']}) x{v['nodes']}" for v in violations) or "none"
    print(f"axe {name}: {counts}")


def undescribed(alts):
    """The images whose alt is missing, empty or a placeholder."""
    return [alt for alt in alts if not alt or not alt.strip()
            or any(alt.strip().startswith(p) and len(alt.strip()) <= len(p) + 40 for p in PLACEHOLDERS)]


# --------------------------------------------------------------------------- #
# handouts and decks (file://, offline)
# --------------------------------------------------------------------------- #
@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if slides.missing_assets():
        pytest.fail(f"node_modules lacks {slides.missing_assets()}: run `npm ci`", pytrace=False)
    out = tmp_path_factory.mktemp("a11y")
    for kind in ("slides", "html"):
        slides.build(kind, out_dir=out / kind)
    return {"slides": out / "slides", "html": out / "html"}


@pytest.fixture
def offline_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/*", lambda route: route.continue_()
                  if route.request.url.startswith(("file://", "data:", "blob:")) else route.abort())
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("kind", ["html", "slides"])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_handouts_and_decks_pass_axe(built, offline_page, path, kind):
    page = offline_page
    file = built[kind] / (f"{path.stem}.slides.html" if kind == "slides" else f"{path.stem}.html")
    page.goto(file.as_uri())
    if kind == "slides":
        page.wait_for_selector(".reveal.ready", state="attached")
    page.wait_for_function("() => [...document.images].every((img) => img.complete)")
    page.wait_for_timeout(1500)  # widgets drawn from the stored state; their images' onload
    alts = page.evaluate(JS_IMAGES, "body")
    assert not undescribed(alts), f"{file.name}: images without a description: {undescribed(alts)[:3]}"
    violations = axe(page)
    report(f"{kind} {path.stem}", violations)
    assert not failing(violations), f"{file.name}: {failing(violations)}"


# --------------------------------------------------------------------------- #
# notebooks in JupyterLab, after Restart and Run All
# --------------------------------------------------------------------------- #
JS_SETTLED = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  return [...panel.content.node.querySelectorAll('.widget-interact')].every((el) => el.querySelector('img'));
}
"""

OUTPUTS = ".jp-Notebook .jp-Cell-outputArea"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_outputs_pass_axe_in_jupyterlab(lab, path):
    page = lab.page
    lab.open(path.relative_to(lab.server.root_dir).as_posix())
    lab.restart_and_run_all()
    page.wait_for_function(JS_SETTLED, timeout=60_000)
    page.wait_for_timeout(1000)  # the pictures' onload (slider names)
    alts = page.evaluate(JS_IMAGES, OUTPUTS)
    assert not undescribed(alts), f"{path.name}: images without a description: {undescribed(alts)[:3]}"
    violations = axe(page, OUTPUTS)
    report(f"jupyterlab {path.stem}", violations)
    assert not failing(violations), f"{path.name} outputs in JupyterLab: {failing(violations)}"


JS_FIRST_PICTURE = """
() => {
  const box = document.querySelector('.jp-Notebook .widget-interact');
  const img = box && box.querySelector('img');
  const live = box && box.querySelector('[role=status][aria-live=polite]');
  const handles = box ? [...box.querySelectorAll('.noUi-handle')].map((h) => h.getAttribute('aria-label')) : [];
  return {alt: img && img.alt, live: live && live.textContent, handles};
}
"""


def test_slider_description_follows_the_slider(lab):
    page = lab.page
    lab.open(NOTEBOOKS[0].relative_to(lab.server.root_dir).as_posix())  # 01: linear, slope
    lab.restart_and_run_all()
    page.wait_for_function(JS_SETTLED, timeout=60_000)
    page.wait_for_function("() => document.querySelector('.jp-Notebook .widget-interact [role=status]')")
    before = page.evaluate(JS_FIRST_PICTURE)
    assert before["handles"] == ["input range lower end", "input range upper end", "slope"]
    assert "slope 1 throughout" in before["alt"]
    handle = page.locator(".jp-Notebook .widget-interact").first.locator(".noUi-handle").nth(2)
    handle.focus()
    for _ in range(5):  # a key repeat: the live region speaks once, where the slider rests
        handle.press("ArrowRight")
    page.wait_for_function(f"() => ({JS_FIRST_PICTURE})().alt.includes('slope 1.5 throughout')")
    now = page.evaluate(JS_FIRST_PICTURE)
    assert now["live"] in ("", None) or "1.5" not in now["live"], "announced before the slider rested"
    page.wait_for_function(f"() => ({JS_FIRST_PICTURE})().live.includes('slope 1.5 throughout')",
                           timeout=5_000)
    assert re.search(r"rises from -7.5 to 7.5", page.evaluate(JS_FIRST_PICTURE)["live"])
