"""Write each question's cells into its notebook's exercise section, from its question set.

Usage: python tools/write_exercises.py [NOTEBOOK ...]
       (default: every numbered notebook that has a question set)

For a notebook ``NN_name.ipynb`` the question set is the module in ``teaching/exercises`` whose
``NOTEBOOK`` is that name. This writes the notebook's setup cell that loads the checks
(``from teaching.exercises.<module> import binder`` and ``binder.bind(globals())``, with the cell
metadata ``{"exercise_setup": true}``), in place of the one it wrote before, and after it, for each
question (numbered from its position in ``QUESTIONS``):

1. a markdown cell with the task (and the options of a "which one?" question);
2. the exercise cell: the starter with the placeholder ``____``, then ``q1.check()``, with the cell
   metadata ``{"exercise": "q1"}`` (``tools/make_solutions.py`` swaps the starter for the solution
   in these cells);
3. a cell with ``#q1.hint()`` and ``#q1.solution()``, commented out.

Cells it wrote before (those with the metadata keys ``exercise``, ``exercise_task`` or
``exercise_hints``) are replaced; the setup cell keeps its place and its other metadata; every other cell is kept as it is. The new cells have no outputs:
run ``tools/run_notebooks.py`` on the notebook afterwards.
"""

import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KEYS = ("exercise", "exercise_task", "exercise_hints")
SETUP = "exercise_setup"


def question_set(notebook_name):
    """The question-set module for a notebook's file name, or None."""
    from teaching.exercises import question_sets

    found = [m for m in question_sets() if m.NOTEBOOK == notebook_name]
    return found[0] if found else None


def exercise_cells(module):
    """The three cells of every question in `module`, in order."""
    cells = []
    for number, q in enumerate(module.QUESTIONS, 1):
        task = f"### Exercise {number} · {q.title}\n{q.task}"
        if hasattr(q, "options_markdown"):
            task += "\n\n" + q.options_markdown()
        new = [nbformat.v4.new_markdown_cell(task, metadata={"exercise_task": q.name}),
               nbformat.v4.new_code_cell(q.cell_source(), metadata={"exercise": q.name}),
               nbformat.v4.new_code_cell(f"#{q.name}.hint()\n#{q.name}.solution()",
                                         metadata={"exercise_hints": q.name})]
        for cell, part in zip(new, ["task", "check", "hints"]):
            cell.id = f"exercise-{q.name}-{part}"   # the same ids every time: diffs stay small
        cells += new
    return cells


def setup_cell_source(module):
    """The setup cell's code: load the checks and bind them to the notebook's namespace."""
    return module.binder.setup_source(module.__name__)


def write(path):
    path = Path(path).resolve()
    module = question_set(path.name)
    if module is None:
        raise SystemExit(f"{path.name}: no question set in teaching/exercises has "
                         f"NOTEBOOK = {path.name!r}")
    nb = nbformat.read(path, as_version=4)
    kept = [c for c in nb.cells if not any(k in c.get("metadata", {}) for k in KEYS)]
    setups = [i for i, c in enumerate(kept) if c.cell_type == "code" and
              (c.get("metadata", {}).get(SETUP) or f"from {module.__name__} import" in c.source)]
    if len(setups) != 1:
        raise SystemExit(f"{path.name}: needs exactly one setup cell for the exercises (metadata "
                         f"{{{SETUP!r}: true}} or `from {module.__name__} import ...`; found "
                         f"{len(setups)})")
    setup = kept[setups[0]]
    setup.source = setup_cell_source(module)
    setup.metadata[SETUP] = True
    setup.outputs, setup.execution_count = [], None
    at = setups[0] + 1
    nb.cells = kept[:at] + exercise_cells(module) + kept[at:]
    nbformat.validate(nb)
    nbformat.write(nb, path)
    print(f"{path.relative_to(ROOT)}: wrote {len(module.QUESTIONS)} exercises from "
          f"{module.__name__}")


def main(argv):
    if argv:
        paths = argv
    else:
        paths = [p for p in sorted(NOTEBOOKS.glob("0*.ipynb")) if question_set(p.name)]
    for path in paths:
        write(path)


if __name__ == "__main__":
    main(sys.argv[1:])
