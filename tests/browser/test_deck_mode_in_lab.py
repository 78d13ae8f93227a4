"""JupyterLab's presentation mode (jupyterlab-slideshow) with a live slider, as a teacher uses it.

Open the first notebook that has a slider, run it, enter deck mode (the toolbar's deck button runs
the ``deck:start`` command), step through the deck as the remote's arrows do (``deck:down`` through
a slide's sub-slides and fragments, ``deck:forward`` to the next slide) until the slider is on screen, and move it with the keyboard: the readout and the picture it
drives must change, in deck mode, with the kernel behind it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
KEY_PRESSES = 3


def _first_notebook_with_a_slider():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for index, cell in enumerate(nb["cells"]):
            views = [o for o in cell.get("outputs", []) if WIDGET_MIME in o.get("data", {})]
            if views and "interactive_" in "".join(cell["source"]):
                return path.relative_to(ROOT).as_posix(), index
    pytest.fail("no notebook has an interactive_* slider cell")


# Deck state of the notebook on screen: mode, the cells shown, and the slider cell's picture.
JS_DECK = """
(index) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const cells = panel.content.widgets;
  const cell = cells[index];
  const img = cell.node.querySelector('.jp-OutputArea-output img, .widget-output img');
  const readout = cell.node.querySelector('.widget-slider .widget-readout');
  const slider = cell.node.querySelector('.widget-slider .noUi-handle, .widget-slider');
  const box = slider && slider.getBoundingClientRect();
  return {
    presenting: document.body.dataset.jpDeckMode || null,
    deck: panel.node.classList.contains('jp-Deck'),
    shown: cells.map((c, i) => c.node.classList.contains('jp-deck-mod-visible') ? i : -1).filter((i) => i >= 0),
    sliderVisible: !!(box && box.width > 0 && box.height > 0 && getComputedStyle(slider).visibility === 'visible'
                      && box.top >= 0 && box.bottom <= window.innerHeight),
    image: img ? img.src : null,
    readout: readout ? (readout.value || readout.textContent || '').trim() : null,
  };
}
"""


def test_deck_mode_presents_a_live_slider(lab):
    notebook, index = _first_notebook_with_a_slider()
    page = lab.page
    lab.open(notebook)
    lab.restart_and_run_all()
    page.wait_for_function(f"() => !!({JS_DECK})({index}).image", timeout=30_000)

    page.evaluate("async () => { await window.jupyterapp.commands.execute('deck:start'); }")
    page.wait_for_function(f"() => ({JS_DECK})({index}).presenting === 'presenting'")
    state = page.evaluate(JS_DECK, index)
    assert state["deck"] and state["shown"], f"deck mode shows no cell: {state}"
    assert state["shown"][0] == 0, f"the deck does not open on the title: {state['shown']}"

    steps = 0
    while index not in state["shown"]:  # the teacher's arrow keys: down a slide's parts, then on
        before = state["shown"]
        down = page.locator(".jp-deck-mod-direction-down").first
        command = "deck:forward" if "jp-mod-disabled" in (down.get_attribute("class") or "") else "deck:down"
        page.evaluate("async (c) => { await window.jupyterapp.commands.execute(c); }", command)
        page.wait_for_function(f"(b) => JSON.stringify(({JS_DECK})({index}).shown) !== b", arg=json.dumps(before))
        state = page.evaluate(JS_DECK, index)
        steps += 1
        assert steps <= index, f"deck:forward never reached cell {index}: last shown {state['shown']}"
    page.wait_for_function(f"() => ({JS_DECK})({index}).sliderVisible")
    state = page.evaluate(JS_DECK, index)
    if steps:
        assert 0 not in state["shown"], "the title is still on screen: the deck did not change slides"

    handle = page.locator(".jp-Cell.jp-deck-mod-visible .widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(KEY_PRESSES):
        handle.press("ArrowRight")
    page.wait_for_function(f"(b) => ({JS_DECK})({index}).image !== b", arg=state["image"], timeout=15_000)
    moved = page.evaluate(JS_DECK, index)
    assert moved["readout"] != state["readout"], f"the readout did not change: {state['readout']}"
    assert moved["presenting"] == "presenting" and index in moved["shown"], "moving the slider left deck mode"

    page.evaluate("async () => { await window.jupyterapp.commands.execute('deck:stop'); }")
    page.wait_for_function(f"() => ({JS_DECK})({index}).presenting !== 'presenting'")
    assert lab.js_errors == [], lab.js_errors
