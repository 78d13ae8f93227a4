"""The teacher's copy: every numbered notebook with each exercise answered by its solution.

Usage: python tools/make_solutions.py [OUT_DIR]   (or `make solutions`; default build/solutions)

For each ``notebooks/0*.ipynb`` with a question set in ``teaching/exercises`` (its module's
``NOTEBOOK``), every exercise cell -- a code cell with the metadata ``{"exercise": "q1"}`` --
gets the question's solution in place of its starter (the starter must appear in the cell exactly
once). The notebook is then executed with
``tools/run_notebooks.py``'s ``execute`` (in notebooks/, the same kernel, widget state and stable
ids) and written to OUT_DIR. A notebook without a question set runs as it is; index.ipynb is
copied, so the links between the notebooks work. Every check must pass: a check that does not
print "Correct!" stops the build.
"""

import shutil
import sys
import time
from pathlib import Path

import nbformat

from tools.run_notebooks import execute
from tools.write_exercises import question_set

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def answered(path):
    """The notebook at `path` with every exercise's starter replaced by its solution."""
    nb = nbformat.read(path, as_version=4)
    module = question_set(path.name)
    if module is None:
        return nb, []
    questions = {q.name: q for q in module.QUESTIONS}
    done = []
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        if cell.cell_type != "code":
            continue
        if "exercise" in meta:
            q = questions[meta["exercise"]]
            if cell.source.count(q.starter) != 1:
                raise SystemExit(f"{path.name}: the cell of {q.name} does not hold its starter "
                                 f"exactly once; run tools/write_exercises.py {path.name}")
            cell.source = cell.source.replace(q.starter, q.solution_code)
            done.append(q.name)
    missing = sorted(set(questions) - set(done))
    if missing:
        raise SystemExit(f"{path.name}: no exercise cell for {', '.join(missing)}")
    return nb, done


def check_all_passed(nb, names, path):
    for cell in nb.cells:
        name = cell.get("metadata", {}).get("exercise")
        if name in names:
            printed = "".join("".join(o.get("text", "")) for o in cell.get("outputs", []))
            if not printed.startswith("Correct!"):
                raise SystemExit(f"{path.name}: {name}'s solution did not pass:\n{printed}")


def main(argv):
    out_dir = Path(argv[0]) if argv else ROOT / "build" / "solutions"
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(NOTEBOOKS / "index.ipynb", out_dir / "index.ipynb")
    for path in sorted(NOTEBOOKS.glob("0*.ipynb")):
        start = time.perf_counter()
        nb, names = answered(path)
        out = out_dir / path.name
        execute(path, out=out, nb=nb)
        check_all_passed(nbformat.read(out, as_version=4), names, path)
        print(f"{out}: {len(names)} exercises answered, executed in "
              f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
