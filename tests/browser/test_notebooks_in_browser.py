"""Run every notebook in a real JupyterLab + Chromium and exercise its sliders.

For each ``notebooks/*.ipynb`` (see ``conftest.py`` for the fixtures: the server,
pytest-playwright's browser and page, ``BROWSER_NOTEBOOK_DIR``): open it, restart the
kernel and run all cells with JupyterLab's own command, then check that no cell
errored or wrote to stderr, that the page logged no JavaScript error, that every
widget rendered, that every slider's label reads in full, that no news or update
popup showed, that moving each slider with the keyboard changes its readout and
the plot it drives, and that the outputs meet WCAG 2.1 AA (a11y.py: every image
described, no critical or serious axe-core violation).
"""

from __future__ import annotations

import functools
import re
import time

import pytest

import a11y  # tests/browser/a11y.py: axe-core and image descriptions (WCAG 2.1 AA)

pytestmark = pytest.mark.browser

WIDGET_TIMEOUT_MS = 30_000  # widgets and plots to appear after the run
REDRAW_TIMEOUT_MS = 15_000  # a plot to change after a slider moved
SETTLE_TIMEOUT_S = 30.0
KEY_PRESSES = 3

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Text that means a widget was not rendered: its plain-text repr, e.g.
# "interactive(children=(...", "FloatSlider(value=1.0, ...)", "Output()" (see
# _widget_repr_pattern), or the widget manager's placeholder / error messages.
_WIDGET_FAILURE_TEXT = ("Loading widget", "Error displaying widget", "Error creating widget", "could not be displayed")

# --------------------------------------------------------------------------- #
# JavaScript run in the page (window.jupyterapp: --LabApp.expose_app_in_browser)
# --------------------------------------------------------------------------- #
JS_CELLS_STATE = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const cells = panel.content.widgets.map((cell, index) => {
    const model = cell.model;
    const info = { index, type: model.type };
    if (model.type !== 'code') return info;
    info.source = model.sharedModel.getSource();
    info.count = model.executionCount;
    const prompt = cell.node.querySelector('.jp-InputPrompt');
    info.prompt = prompt ? prompt.textContent.trim() : '';
    info.outputs = [];
    for (let i = 0; i < model.outputs.length; i++) {
      const out = model.outputs.get(i).toJSON();
      info.outputs.push({
        type: out.output_type,
        name: out.name || null,
        text: out.output_type === 'error'
          ? (out.ename + ': ' + out.evalue)
          : (Array.isArray(out.text) ? out.text.join('') : (out.text || '')),
        mimes: Object.keys(out.data || {}),
      });
    }
    // Rendered top-level outputs of this cell (not the ones nested in widgets).
    // The widget renderer sets no data-mime-type: a rendered widget view is an output
    // whose direct child is the widget's own element (.jupyter-widgets).
    info.rendered = [...cell.node.querySelectorAll(
      '.jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output')].map((el) => ({
        mime: el.getAttribute('data-mime-type'),
        widget: !!el.querySelector(':scope > .jupyter-widgets'),
      }));
    return info;
  });
  return { kernel: kernel ? kernel.status : null, cells };
}
"""

# Everything in the notebook's outputs that signals a problem, widget outputs included.
JS_OUTPUT_PROBLEMS = """
() => {
  const root = window.jupyterapp.shell.currentWidget.content.node;
  const text = (el) => (el.innerText || el.textContent || '').trim();
  const outputs = [...root.querySelectorAll('.jp-OutputArea-output')];
  return {
    // JupyterLab renders both stderr streams and errors (tracebacks) with this MIME type.
    stderr: outputs.filter((el) => el.getAttribute('data-mime-type') === 'application/vnd.jupyter.stderr').map(text),
    // Outputs that hold no widget: a rendered widget's own labels are not raw widget text.
    texts: outputs.filter((el) => !el.querySelector('.jupyter-widgets')).map(text),
    // Text of all output areas (not of the cell sources).
    outputText: [...root.querySelectorAll('.jp-Cell-outputArea')].map(text).join('\\n'),
  };
}
"""

# Truthy when every widget output of every cell has rendered and every interact shows an image.
JS_WIDGETS_RENDERED = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const mime = 'application/vnd.jupyter.widget-view+json';
  for (const cell of panel.content.widgets) {
    if (cell.model.type !== 'code') continue;
    let expected = 0;
    for (let i = 0; i < cell.model.outputs.length; i++) {
      if (mime in (cell.model.outputs.get(i).data || {})) expected++;
    }
    const outputs = [...cell.node.querySelectorAll('.jp-Cell-outputArea .jp-OutputArea-output')];
    const rendered = outputs.filter((el) => el.querySelector(':scope > .jupyter-widgets')).length;
    if (rendered < expected || outputs.some((el) => (el.textContent || '').includes('Loading widget'))) return false;
  }
  return [...panel.content.node.querySelectorAll('.widget-interact')].every((el) => el.querySelector('img'));
}
"""

# The plot a slider drives: the images of its interact widget (or else of its cell).
JS_PLOT_SCOPE = "(slider) => slider.closest('.widget-interact') || slider.closest('.jp-Cell')"
# A key for that element, so that sliders sharing a plot can share its last settled state.
JS_PLOT_SCOPE_KEY = """
(slider) => {
  const scope = slider.closest('.widget-interact') || slider.closest('.jp-Cell');
  return [...document.querySelectorAll('.widget-interact, .jp-Cell')].indexOf(scope);
}
"""

JS_SNAPSHOT = """
(scope) => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  return {
    idle: !!kernel && kernel.status === 'idle',
    images: [...scope.querySelectorAll('img')].map((img) => img.getAttribute('src') || ''),
  };
}
"""

JS_IMAGES_CHANGED = """
([scope, before]) => {
  const now = [...scope.querySelectorAll('img')].map((img) => img.getAttribute('src') || '');
  return now.length > 0 && now.some((src) => src) && JSON.stringify(now) !== JSON.stringify(before);
}
"""

# Widget labels (slider descriptions) cut short: CSS clips them with an ellipsis ("temperat…").
JS_TRUNCATED_LABELS = """
() => [...window.jupyterapp.shell.currentWidget.content.node.querySelectorAll('.widget-label')]
  .filter((el) => el.getClientRects().length > 0 && el.scrollWidth > el.clientWidth)
  .map((el) => `${JSON.stringify(el.textContent)} shows ${el.clientWidth} of ${el.scrollWidth} px`)
"""

# Popups a newcomer should not meet: "Would you like to get notified about official Jupyter
# news?", news items, "a newer version of JupyterLab is available".
JS_NEWS_POPUPS = """
() => {
  const toasts = [...document.querySelectorAll('.Toastify__toast')].map((el) => (el.innerText || '').trim());
  const found = toasts.filter((text) => /news|newer version|update/i.test(text));
  if (document.body.innerText.includes('official Jupyter news') && !found.length) found.push('official Jupyter news');
  return found;
}
"""


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #
def _cell_problems(state: dict) -> list[str]:
    problems = []
    counts = []
    for cell in state["cells"]:
        if cell["type"] != "code":
            continue
        where = f"cell {cell['index']} ({cell['source'].strip().splitlines()[0][:60] if cell['source'].strip() else 'empty'!r})"
        for out in cell["outputs"]:
            if out["type"] == "error":
                problems.append(f"{where} raised {out['text']}")
            elif out["type"] == "stream" and out["name"] == "stderr":
                problems.append(f"{where} wrote to stderr: {out['text'].strip()[:500]}")
        if not cell["source"].strip():
            continue  # JupyterLab does not send empty cells to the kernel
        if cell["count"] is None or "*" in cell["prompt"]:
            problems.append(f"{where} did not finish (prompt {cell['prompt']!r})")
        else:
            counts.append(cell["count"])
        widget_outputs = sum(WIDGET_MIME in out["mimes"] for out in cell["outputs"])
        rendered = sum(1 for out in cell["rendered"] if out["widget"])
        if rendered < widget_outputs:
            problems.append(
                f"{where}: {widget_outputs} widget output(s) but {rendered} rendered widget(s); "
                f"outputs rendered as {['widget' if out['widget'] else out['mime'] for out in cell['rendered']]}"
            )
    if counts and (counts[0] != 1 or counts != sorted(set(counts))):
        problems.append(f"execution counts {counts} are not 1, 2, ... in order: the kernel was not restarted, or cells ran out of order")
    return problems


@functools.cache
def _widget_repr_pattern() -> re.Pattern:
    """Matches the plain-text repr of any ipywidgets widget: a widget class name, "(",
    then ")" or a keyword argument.  Matplotlib's "Text(0.5, 1.0, 'title')" does not match."""
    import ipywidgets

    names = {name for name, obj in vars(ipywidgets).items() if isinstance(obj, type) and issubclass(obj, ipywidgets.Widget)}
    names.add("interactive")
    return re.compile(r"\b(?:" + "|".join(sorted(names)) + r")\((?:\)|[a-z_]+=)")


def _output_problems(page) -> list[str]:
    found = page.evaluate(JS_OUTPUT_PROBLEMS)
    problems = [f"error/stderr output: {text[:1000]}" for text in found["stderr"]]
    for text in found["texts"]:
        if _widget_repr_pattern().search(text):
            problems.append(f"raw widget text instead of a widget: {text[:300]!r}")
    for marker in _WIDGET_FAILURE_TEXT:
        if marker in found["outputText"]:
            problems.append(f"{marker!r} shown in the notebook")
    return problems


def _settle(page, scope) -> dict:
    """Poll until the kernel is idle and the plot in `scope` stopped changing."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    last, stable = None, 0
    while time.monotonic() < deadline:
        snap = page.evaluate(JS_SNAPSHOT, scope)
        stable = stable + 1 if snap["idle"] and snap == last else 0
        if stable >= 2:  # idle and unchanged over consecutive polls ~100 ms apart
            return snap
        last = snap
        page.wait_for_timeout(100)
    pytest.fail("the kernel/plot did not settle after a slider move", pytrace=False)


# Each handle's aria-valuetext and aria-valuenow, and its part of the readout ("-5.0 – 5.0" for a
# range slider, with the typographic minus the readout uses).
JS_SPOKEN = """
(slider) => {
  const shown = slider.querySelector('.widget-readout').textContent.replace(/\u2212/g, '-').split(' \u2013 ');
  return [...slider.querySelectorAll('.noUi-handle')].map((h, i) => ({
    text: h.getAttribute('aria-valuetext'), now: h.getAttribute('aria-valuenow'), shown: (shown[i] || '').trim()}));
}
"""
JS_SPOKEN_AS_SHOWN = f"""
(slider) => ({JS_SPOKEN})(slider).every((h) => h.text === h.shown && Number(h.now) === Number(h.shown))
"""


def _slider_problem(page, index: int, slider, settled: dict) -> str | None:
    """Move one handle of `slider` with the keyboard; return a problem, or None.

    `settled` maps a plot (scope key) to its snapshot after the last slider that moved
    it had settled: the next slider of the same plot starts from there.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect

    label = slider.locator(".widget-label").first.inner_text().strip() or "<no label>"
    name = f"slider #{index} {label!r}"
    handle = slider.locator(".noUi-handle").first  # a range slider: move its lower handle
    readout = slider.locator(".widget-readout")
    has_readout = readout.count() > 0
    scope = slider.evaluate_handle(JS_PLOT_SCOPE)
    key = slider.evaluate(JS_PLOT_SCOPE_KEY)
    try:
        handle.scroll_into_view_if_needed()
        before = settled.pop(key, None) or _settle(page, scope)
        if not before["images"]:
            return f"{name} drives no plot: no <img> in its interact widget / cell"
        before_readout = readout.inner_text() if has_readout else None
        before_value = handle.get_attribute("aria-valuenow")
        vertical = slider.evaluate("(el) => !!el.querySelector('.noUi-vertical')")
        at_max = float(before_value) >= float(handle.get_attribute("aria-valuemax"))
        key = ("ArrowDown" if vertical else "ArrowLeft") if at_max else ("ArrowUp" if vertical else "ArrowRight")
        handle.focus()
        for _ in range(KEY_PRESSES):
            handle.press(key)
        try:
            if has_readout:
                expect(readout).not_to_have_text(before_readout, timeout=REDRAW_TIMEOUT_MS)
            else:
                expect(handle).not_to_have_attribute("aria-valuenow", before_value, timeout=REDRAW_TIMEOUT_MS)
        except AssertionError:
            return f"{name}: {KEY_PRESSES}x {key} did not change the slider's readout ({before_readout!r})"
        try:
            page.wait_for_function(JS_IMAGES_CHANGED, arg=[scope, before["images"]], timeout=REDRAW_TIMEOUT_MS)
        except PlaywrightTimeoutError:
            after = readout.inner_text() if has_readout else handle.get_attribute("aria-valuenow")
            return f"{name}: moved {before_readout!r} -> {after!r} but its plot did not change within {REDRAW_TIMEOUT_MS / 1000:.0f} s"
        # Let the redraws of all key presses land before the next slider's baseline.
        settled[key] = _settle(page, scope)
        if has_readout:  # what a screen reader says each handle is set to: what the readout shows
            try:
                page.wait_for_function(JS_SPOKEN_AS_SHOWN, arg=slider.element_handle(), timeout=2_000)
            except PlaywrightTimeoutError:
                return f"{name}: handles speak {slider.evaluate(JS_SPOKEN)!r}, the readout shows {readout.inner_text()!r}"
        return None
    finally:
        scope.dispose()


# --------------------------------------------------------------------------- #
# The test
# --------------------------------------------------------------------------- #
def test_notebook_runs_and_sliders_redraw(lab, notebook: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page = lab.page
    lab.open(notebook)
    lab.restart_and_run_all()
    try:
        page.wait_for_function(JS_WIDGETS_RENDERED, timeout=WIDGET_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        pass  # what is missing is reported in detail just below
    problems = _cell_problems(page.evaluate(JS_CELLS_STATE)) + _output_problems(page)
    problems += [f"truncated widget label: {label}" for label in page.evaluate(JS_TRUNCATED_LABELS)]

    if not problems:  # a notebook that failed to run would only add noise here
        sliders = page.locator(".jp-Notebook .widget-slider")
        settled: dict = {}
        fetched: list[str] = []
        page.on("request", lambda request: fetched.append(request.url))
        for index in range(sliders.count()):
            if (problem := _slider_problem(page, index, sliders.nth(index), settled)) is not None:
                problems.append(problem)
        # No icon fetched on a move: JupyterLab's busy favicon (turned off in
        # .jupyter/lab/settings/page_config.json5) fetched one on every kernel busy/idle change.
        problems += [f"a slider move fetched {url}" for url in sorted(set(fetched)) if "favicon" in url]
        # The callbacks ran again when the sliders moved: check their outputs once more.
        problems += _output_problems(page)
        # WCAG 2.1 AA: every image described, no critical or serious axe-core violation
        problems += a11y.notebook_problems(page)

    # By now JupyterLab has long asked about news, had it been going to (make lab's defaults).
    problems += [f"news/update popup: {text!r}" for text in page.evaluate(JS_NEWS_POPUPS)]
    problems += lab.js_errors
    if lab.ignored_console_errors:
        print("console errors ignored as harmless:", *lab.ignored_console_errors, sep="\n  ")
    assert not problems, f"{notebook} in JupyterLab:\n  " + "\n  ".join(problems)
