"""An exercise in a real JupyterLab, as a learner does it: type an answer, run the cell, read
the feedback. (Fixtures: ``conftest.py``; the notebook is never saved: autosave is off.)

Notebook 01's exercise 3 asks for f(1,1) of a linear model. The test runs the notebook, sees the
stored "Not attempted yet", types the right answer and sees "Correct!", then types a typical wrong
answer (forgetting to subtract f(0,0)) and sees the message that names that mistake, with the
value expected and the value received.
"""

from __future__ import annotations

from teaching.exercises.core import fmt
from teaching.exercises.linear import xor_fourth_output as q3   # the notebook names it q3

NOTEBOOK = "notebooks/01_linear.ipynb"
OUTPUT_TIMEOUT_MS = 30_000

# Marks the code cell whose metadata names the exercise (data-exercise-test="q3") and
# returns its index, or -1.
JS_EXERCISE_CELL = """
(name) => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets;
  const index = cells.findIndex((cell) => {
    const model = cell.model;
    const meta = model.getMetadata ? model.getMetadata('exercise') : model.metadata.get('exercise');
    return model.type === 'code' && meta === name;
  });
  if (index >= 0) cells[index].node.dataset.exerciseTest = name;
  return index;
}
"""

JS_CELL_SOURCE = """
(index) => window.jupyterapp.shell.currentWidget.content.widgets[index].model.sharedModel.getSource()
"""


def type_answer(lab, cell, lines):
    """Click into the cell's editor, select everything, and type `lines` as a learner would."""
    page = lab.page
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    for i, line in enumerate(lines):
        if i:
            page.keyboard.press("Enter")
        page.keyboard.type(line)


def run_and_read(lab, cell, expected_text):
    """Run the cell with Shift+Enter and wait until its output shows `expected_text`."""
    from playwright.sync_api import expect

    lab.page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output")
    expect(output).to_contain_text(expected_text, timeout=OUTPUT_TIMEOUT_MS)
    return output.inner_text()


def test_a_typed_answer_gets_its_feedback(lab):
    from playwright.sync_api import expect

    lab.open(NOTEBOOK)
    lab.restart_and_run_all()
    index = lab.page.evaluate(JS_EXERCISE_CELL, q3.name)
    assert index >= 0, f"{NOTEBOOK} has no cell with the metadata exercise = {q3.name}"
    cell = lab.page.locator(f'[data-exercise-test="{q3.name}"]')
    expect(cell.locator(".jp-OutputArea-output")).to_contain_text("Not attempted yet")

    # the right answer: f(1,1) = f(0,1) + f(1,0) - f(0,0)
    right = [f"{q3.var} = 0.9 + 0.7 - 0.2", "", f"{q3.name}.check()"]
    type_answer(lab, cell, right)
    assert lab.page.evaluate(JS_CELL_SOURCE, index) == "\n".join(right), "typing went wrong"
    text = run_and_read(lab, cell, "Correct!")
    assert text.startswith("Correct!") and "Not quite" not in text

    # a typical wrong answer: f(0,0) = b not subtracted, so the bias counts twice
    wrong = [f"{q3.var} = 0.9 + 0.7", "", f"{q3.name}.check()"]
    type_answer(lab, cell, wrong)
    assert lab.page.evaluate(JS_CELL_SOURCE, index) == "\n".join(wrong), "typing went wrong"
    text = run_and_read(lab, cell, "counts the bias b twice")
    assert text.startswith("Not quite.") and "Correct" not in text
    assert f"expected: {fmt(q3.expected)}" in text and f"received: {fmt(0.9 + 0.7)}" in text
    assert lab.js_errors == []
