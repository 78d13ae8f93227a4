"""Sliders that redraw with no kernel: in every offline handout and deck, with the network blocked.

Every page is built by tools/slides.py (what `make html` and `make slides` run), opened from
disk in Chromium with every request that is not a file aborted. For every interactive plot, each
control is moved with the keyboard (a step, then to one end, then to the other; a switch's
other option) and the picture must follow: the <img>'s src and alt become the picture drawn in
advance for the value the control now shows (teaching/frames.py), and moving to an end changes
them from the starting picture, and the polite live region reads the new description. The
playground's cell says that training needs the notebook.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import slides  # noqa: E402

sys.path.remove(str(ROOT / "tools"))

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WITH_PLOTS = [p for p in NOTEBOOKS if slides.WIDGET_VIEW in p.read_text(encoding="utf-8")]

# The state of one interactive plot's cell: its frames, its picture, each control's readout.
JS_STATE = """
(script) => {
  const cell = script.closest('.jp-Cell, .cell');
  const img = cell.querySelector('img.widget-image');
  const readouts = {};
  cell.querySelectorAll('.widget-inline-hbox, .widget-toggle-buttons').forEach((box) => {
    const label = box.querySelector(':scope > .widget-label');
    if (!label) return;
    const active = box.querySelector('.widget-toggle-button.mod-active');
    const readout = box.querySelector('.widget-readout');
    readouts[label.textContent.trim()] = active ? active.textContent.trim()
                                         : readout ? readout.textContent : null;
  });
  return {src: img && img.getAttribute('src'), alt: img && img.getAttribute('alt'), readouts};
}
"""


def _number(text):
    return float(text.replace("\u2212", "-"))


def _value(readout, end):
    if end is None:
        try:
            return _number(readout)
        except ValueError:
            return readout  # a switch's option
    return _number(readout.replace("\u2212", "-").split("\u2013")[end].strip())


def _expected_image(data, control, readout):
    value = _value(readout, control["end"])
    values = control["values"]
    if isinstance(value, str):
        k = values.index(value)
    else:
        k = min(range(len(values)), key=lambda i: abs(values[i] - value))
    image = control["images"][k]
    src, alt = data["images"][image]
    return "data:image/png;base64," + src, alt, image == data["start"]


def _show_slide(page, script):
    """In a deck, go to the (sub-)slide that holds `script`'s cell."""
    page.evaluate("""(script) => new Promise((done) => require(
        [document.querySelector("link[href$='dist/reveal.css']").getAttribute('href').replace(/css$/, 'js')],
        (Reveal) => { const i = Reveal.getIndices(script.closest('section')); Reveal.slide(i.h, i.v);
                      setTimeout(done, 400); }))""", script)


def _keys(control):
    """The key presses that move `control`: a step, one end, the other end (a switch: its
    options in turn)."""
    if control["end"] is None and isinstance(control["values"][0], str):
        options = control["values"]  # the other options, then back to the first
        return [("option", option) for option in options[1:] + options[:1]]
    return [("key", "ArrowRight"), ("key", "End"), ("key", "Home")]


@pytest.mark.parametrize("kind", ["html", "slides"])
@pytest.mark.parametrize("path", WITH_PLOTS, ids=lambda p: p.stem)
def test_every_slider_changes_its_picture_offline(built, offline_page, path, kind):
    page = offline_page
    file = built[kind] / f"{path.stem}{'.slides.html' if kind == 'slides' else '.html'}"
    page.goto(file.as_uri())
    frames = slides.slider_frames(path)
    plots = {i: d for i, d in frames.items() if "controls" in d}
    if kind == "slides":
        page.wait_for_selector(".reveal.ready", state="attached")
    scripts = page.locator("script.teaching-frames")
    assert scripts.count() == len(plots), f"{file.name}: {scripts.count()} frame sets, {len(plots)} plots"
    moved = 0
    for n in range(scripts.count()):
        script = scripts.nth(n).element_handle()
        data = json.loads(script.text_content())
        if kind == "slides":
            _show_slide(page, script)
        cell = script.evaluate_handle("(s) => s.closest('.jp-Cell, .cell')").as_element()
        cell.wait_for_selector("img.widget-image", state="attached")
        cell.wait_for_selector(".widget-readout", state="attached")
        start = script.evaluate(JS_STATE)
        # the stored picture (the widget state), described as the frames' starting picture
        start_src, start_alt = start["src"], data["images"][data["start"]][1]
        assert start["alt"] == start_alt, f"{file.name}: plot {n} does not start on its stored picture"
        for control in data["controls"]:
            label, end = control["label"], control["end"]
            box = cell.evaluate_handle(
                """(cell, label) => [...cell.querySelectorAll('.widget-inline-hbox, .widget-toggle-buttons')]
                   .find((b) => { const l = b.querySelector(':scope > .widget-label');
                                  return l && l.textContent.trim() === label; })""", label).as_element()
            assert box is not None, f"{file.name}: no control labelled {label!r}"
            changed = False
            for how, what in _keys(control):
                if how == "option":
                    box.query_selector(f"button:text-is('{what}')").press("Space")
                    page.wait_for_timeout(50)
                    # a screen reader hears the switch's name and which option is chosen
                    group = box.evaluate("""(b) => { const g = b.querySelector('button').parentNode;
                        return {role: g.getAttribute('role'), name: g.getAttribute('aria-label'),
                                pressed: [...b.querySelectorAll('button')].filter((x) =>
                                  x.getAttribute('aria-pressed') === 'true').map((x) => x.textContent.trim())}; }""")
                    assert group == {"role": "group", "name": label, "pressed": [what]}, group
                else:
                    handles = box.query_selector_all(".noUi-handle")
                    handles[end or 0].press(what)
                page.wait_for_timeout(50)
                state = script.evaluate(JS_STATE)
                want_src, want_alt, at_start = _expected_image(data, control, state["readouts"][label])
                # at the starting picture the page may still show the stored one (same description)
                ok_src = state["src"] == want_src or (at_start and state["src"] == start_src)
                assert ok_src and state["alt"] == want_alt, (
                    f"{file.name}: plot {n}, {label} at {state['readouts'][label]}: the picture "
                    f"is not the one drawn for that value (alt now {state['alt'][:80]!r})")
                changed = changed or (state["src"] != start_src and state["alt"] != start_alt)
                moved += 1
            assert changed, f"{file.name}: plot {n}: moving {label} never changed the picture or its alt"
        if n == 0:  # the polite live region reads the new picture's description once it rests
            script.evaluate("""(s) => new Promise((done, fail) => {
                const cell = s.closest('.jp-Cell, .cell'), t0 = Date.now();
                (function poll() {
                  const img = cell.querySelector('img.widget-image'), live = cell.querySelector('.teaching-live');
                  if (live && img && live.textContent === img.getAttribute('alt')) return done();
                  if (Date.now() - t0 > 5000) return fail(new Error('live region: ' + (live && live.textContent)));
                  setTimeout(poll, 100);
                })(); })""")
    assert moved > 0 or not plots
    notes = [i for i, d in frames.items() if d.get("note") == "playground"]
    playgrounds = [i for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"])
                   if cell["cell_type"] == "code" and "interactive_playground(" in "".join(cell["source"])
                   and any(slides.WIDGET_VIEW in o.get("data", {}) for o in cell.get("outputs", []))]
    assert notes == playgrounds  # every playground shown says that training needs the notebook
    assert page.locator(".teaching-offline-note").count() == len(notes)
    if notes:
        assert "needs the notebook" in page.locator(".teaching-offline-note").first.text_content()
    assert page.attempted == [], f"{file.name} tried the network: {page.attempted}"
    assert page.problems == [], f"{file.name}: {page.problems}"
