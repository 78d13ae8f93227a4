"""The playground (notebook 05) in a real JupyterLab + Chromium: change the activation, press
Train, and see the decision boundary change.

The generic test (test_notebooks_in_browser.py) already runs the notebook and moves every slider,
which retrains at once. This one drives what only the playground has, as a learner would: with
"train again on every change" unticked, a new activation changes nothing until Train is pressed;
then the progress bar runs to the end, the status line names the new activation, and the
boundary picture is a different image.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NAME = "05_playground.ipynb"
TRAIN_TIMEOUT_MS = 60_000

# The playground's cell: the one whose output holds its "activation" dropdown.
JS_PLAYGROUND_CELL = """
() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].findIndex((cell) =>
  [...cell.querySelectorAll('.widget-dropdown .widget-label')].some((l) => l.textContent.trim() === 'activation'))
"""

# What the playground shows now: its images, the status line, the progress bar, the kernel.
JS_STATE = """
(index) => {
  const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[index];
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const bar = cell.querySelector('.widget-hprogress .progress-bar');
  return {
    images: [...cell.querySelectorAll('.jp-OutputArea-output img')].map((img) => img.getAttribute('src') || ''),
    status: [...cell.querySelectorAll('.widget-html')].map((el) => el.innerText).join(' '),
    bar: bar ? bar.style.width || bar.style.height : null,
    idle: !!kernel && kernel.status === 'idle',
  };
}
"""


def _notebook_path() -> str:
    """The notebook's path relative to the server root (see conftest.server_root)."""
    override = os.environ.get("BROWSER_NOTEBOOK_DIR")
    if override is None:
        return f"notebooks/{NAME}"
    if not (Path(override) / NAME).exists():
        pytest.skip(f"{NAME} is not in BROWSER_NOTEBOOK_DIR={override}")
    return NAME


def _settled(page, index: int) -> dict:
    """The playground's state once the kernel is idle and the pictures stopped changing."""
    last, stable = None, 0
    for _ in range(600):  # at most about a minute
        state = page.evaluate(JS_STATE, index)
        stable = stable + 1 if state["idle"] and state == last else 0
        if stable >= 2:
            return state
        last = state
        page.wait_for_timeout(100)
    pytest.fail("the playground did not settle (kernel busy or pictures changing)", pytrace=False)


def test_change_activation_press_train_and_the_boundary_changes(lab) -> None:
    page = lab.page
    lab.open(_notebook_path())
    lab.restart_and_run_all()
    index = page.evaluate(JS_PLAYGROUND_CELL)
    assert index >= 0, "no playground (no 'activation' dropdown) in the notebook's outputs"
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    page.wait_for_function("(index) => document.querySelectorAll('.jp-Notebook .jp-Cell')[index]"
                           ".querySelectorAll('.jp-OutputArea-output img').length >= 2", arg=index)
    before = _settled(page, index)
    assert len(before["images"]) == 2 and all(src.startswith("data:image/png") for src in before["images"])
    assert "tanh" in before["status"] and before["bar"] == "100%"

    # Train only on the button from now on.
    retrain = cell.locator(".widget-checkbox input[type=checkbox]")
    retrain.scroll_into_view_if_needed()
    if retrain.is_checked():
        retrain.uncheck()
    dropdown = cell.locator(".widget-dropdown", has_text="activation").locator("select")
    dropdown.select_option("relu")
    unchanged = _settled(page, index)
    assert unchanged["images"] == before["images"], "the picture changed before Train was pressed"
    assert "tanh" in unchanged["status"]

    cell.locator("button", has_text="Train").click()
    page.wait_for_function(
        "([index, before]) => { const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[index];"
        " const now = [...cell.querySelectorAll('.jp-OutputArea-output img')].map((i) => i.getAttribute('src'));"
        " return now.length > 0 && now[0] !== before; }",
        arg=[index, before["images"][0]], timeout=TRAIN_TIMEOUT_MS)
    after = _settled(page, index)
    assert after["images"][0] != before["images"][0], "the boundary picture did not change"
    assert after["images"][0].startswith("data:image/png")
    assert "relu" in after["status"], after["status"]
    assert after["bar"] == "100%", f"the progress bar ended at {after['bar']}"
    assert not lab.js_errors, lab.js_errors
