"""Run every notebook in a real JupyterLab + Chromium and exercise its sliders.

For each ``notebooks/*.ipynb`` (see ``conftest.py`` for the server, browser and
``BROWSER_NOTEBOOK_DIR``): open it, restart the kernel and run all cells with
JupyterLab's own command, then check that no cell errored or wrote to stderr,
that the page logged no JavaScript error, that every widget rendered, and that
moving each slider with the keyboard changes its readout and the plot it drives.
"""

from __future__ import annotations

import functools
import re
import time

import pytest

pytestmark = pytest.mark.browser

RUN_ALL_TIMEOUT_MS = 120_000  # restart + run all cells
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
# Truthy once the notebook at `path` is open, its kernel idle -- or a dialog is up.
JS_NOTEBOOK_READY = """
(path) => {
  if (document.querySelector('.jp-Dialog')) return 'dialog';
  const app = window.jupyterapp;
  const panel = app && app.shell && app.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== path || !panel.context.isReady) return null;
  const session = panel.sessionContext;
  if (!session || !session.isReady || !session.session || !session.session.kernel) return null;
  return session.session.kernel.status === 'idle' && panel.content.widgets.length > 0 ? 'ready' : null;
}
"""

JS_START_RESTART_RUN_ALL = """
async () => {
  const app = window.jupyterapp;
  // Start from no outputs/execution counts, so that stale ones cannot pass for fresh ones.
  await app.commands.execute('notebook:clear-all-cell-outputs');
  const state = window.__browserTestRunAll = { done: false, error: null };
  // Not awaited: the command waits for the restart dialog, which Python confirms.
  app.commands.execute('notebook:restart-run-all').then(
    () => { state.done = true; },
    (err) => { state.done = true; state.error = String((err && err.stack) || err); });
}
"""

JS_RUN_ALL_PROGRESS = """
() => {
  const state = window.__browserTestRunAll;
  if (state.done) return 'done';
  return document.querySelector('.jp-Dialog') ? 'dialog' : null;
}
"""

# Truthy when the kernel is idle and no code cell shows the busy prompt [*].
JS_CELLS_FINISHED = """
() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  return panel.content.widgets.every((cell) =>
    cell.model.type !== 'code' || !(cell.node.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.includes('*'));
}
"""

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


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #
def _open_notebook(page, server, notebook: str) -> None:
    page.goto(server.notebook_url(notebook), wait_until="domcontentloaded")
    while True:
        state = page.wait_for_function(JS_NOTEBOOK_READY, arg=notebook, timeout=90_000).json_value()
        if state == "ready":
            return
        dialog = page.locator(".jp-Dialog")
        text = dialog.inner_text()
        if "Select Kernel" not in text:
            pytest.fail(f"unexpected dialog while opening {notebook}:\n{text}", pytrace=False)
        # A notebook without kernelspec metadata: accept the default (this venv's python3).
        page.locator(".jp-Dialog .jp-mod-accept").click()
        dialog.wait_for(state="detached")


def _restart_and_run_all(page) -> None:
    page.evaluate(JS_START_RESTART_RUN_ALL)
    confirmed = False
    while True:
        progress = page.wait_for_function(JS_RUN_ALL_PROGRESS, timeout=RUN_ALL_TIMEOUT_MS).json_value()
        if progress == "done":
            break
        dialog = page.locator(".jp-Dialog")
        text = dialog.inner_text()
        if confirmed or "Restart Kernel" not in text:
            pytest.fail(f"unexpected dialog during restart-and-run-all:\n{text}", pytrace=False)
        page.locator(".jp-Dialog .jp-mod-accept").click()  # "Restart"
        dialog.wait_for(state="detached")
        confirmed = True
    error = page.evaluate("() => window.__browserTestRunAll.error")
    assert error is None, f"notebook:restart-run-all failed: {error}"
    assert confirmed, "the restart confirmation dialog never appeared (was the kernel restarted?)"
    page.wait_for_function(JS_CELLS_FINISHED, timeout=RUN_ALL_TIMEOUT_MS)


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
        return None
    finally:
        scope.dispose()


# --------------------------------------------------------------------------- #
# The test
# --------------------------------------------------------------------------- #
def test_notebook_runs_and_sliders_redraw(lab, notebook: str) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page = lab.page
    _open_notebook(page, lab.server, notebook)
    _restart_and_run_all(page)
    try:
        page.wait_for_function(JS_WIDGETS_RENDERED, timeout=WIDGET_TIMEOUT_MS)
    except PlaywrightTimeoutError:
        pass  # what is missing is reported in detail just below
    problems = _cell_problems(page.evaluate(JS_CELLS_STATE)) + _output_problems(page)

    if not problems:  # a notebook that failed to run would only add noise here
        sliders = page.locator(".jp-Notebook .widget-slider")
        settled: dict = {}
        for index in range(sliders.count()):
            if (problem := _slider_problem(page, index, sliders.nth(index), settled)) is not None:
                problems.append(problem)
        # The callbacks ran again when the sliders moved: check their outputs once more.
        problems += _output_problems(page)

    problems += lab.js_errors
    if lab.ignored_console_errors:
        print("console errors ignored as harmless:", *lab.ignored_console_errors, sep="\n  ")
    assert not problems, f"{notebook} in JupyterLab:\n  " + "\n  ".join(problems)
