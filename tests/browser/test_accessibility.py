"""WCAG 2.1 AA in the real browser: axe-core over every handout and every deck, and a slider
whose picture's description follows it (the helpers: a11y.py).

The notebooks' outputs in JupyterLab are checked by test_notebooks_in_browser.py, after the
Restart and Run All it does anyway (a11y.notebook_problems). A violation of impact "critical" or
"serious" fails; `pytest -s` prints every violation found with its node count.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from a11y import JS_IMAGES, axe, failing, report, undescribed

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))



# --------------------------------------------------------------------------- #
# handouts and decks (file://, offline)
# --------------------------------------------------------------------------- #
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

JS_FIRST_PICTURE = """
() => {
  const box = document.querySelector('.jp-Notebook .widget-interact');
  const img = box && box.querySelector('img.widget-image');
  const live = box && box.querySelector('[role=status][aria-live=polite]');
  const handles = box ? [...box.querySelectorAll('.noUi-handle')].map((h) => h.getAttribute('aria-label')) : [];
  const spoken = box ? [...box.querySelectorAll('.noUi-handle')].map((h) => h.getAttribute('aria-valuetext')) : [];
  const readouts = box ? [...box.querySelectorAll('.widget-readout')].map((o) => [o.getAttribute('role'), o.getAttribute('aria-label')]) : [];
  return {alt: img && img.alt, live: live && live.textContent, handles, spoken, readouts};
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
    assert before["spoken"] == ["-5.0", "5.0", "1.00"]  # the readouts' formats (.1f, .2f)
    # the boxes a learner can type a value into are named text boxes too
    assert before["readouts"] == [["textbox", "input range value"], ["textbox", "slope value"]]
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
    rested = page.evaluate(JS_FIRST_PICTURE)
    assert re.search(r"rises from -7.5 to 7.5", rested["live"])
    # what a screen reader says the slope is: the readout's "1.50", not noUiSlider's raw float
    # (1.0 + 5 * 0.1 = 1.5000000000000002), also after the kernel's echo of the value came back
    assert rested["spoken"] == ["-5.0", "5.0", "1.50"]
    # or, with the keyboard alone, type a value into the named readout and press Enter
    readout = page.get_by_role("textbox", name="slope value").first
    readout.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("0.5")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => ({JS_FIRST_PICTURE})().alt.includes('slope 0.5 throughout')")
    assert page.evaluate(JS_FIRST_PICTURE)["spoken"] == ["-5.0", "5.0", "0.50"]
