"""The graded course: an nbgrader course directory built from the notebooks and their questions.

Usage: python tools/make_assignments.py [COURSE_DIR] [--allow-solutions]
       (or `make assignments`; default build/nbgrader)

For each numbered notebook with a question set in ``teaching/exercises`` (its module's
``NOTEBOOK``) this writes the assignment ``NN_name`` (the notebook's name) to COURSE_DIR:

- ``source/NN_name/NN_name.ipynb``, the teacher's version, generated, never edited by hand: the
  notebook without outputs, where
  * the setup cell that loads the checks (metadata ``exercise_setup``) also runs
    ``graded_mode(binder)`` (`teaching.grading`: no ``solution()`` unless ``--allow-solutions``)
    and is read-only for nbgrader (restored from the source when grading);
  * each exercise cell (metadata ``{"exercise": "q1"}``) is an nbgrader solution cell: the
    starter, then the question's solution between nbgrader's solution markers, then
    ``q1.check()``. nbgrader removes the marked region, so the released cell is exactly the
    practice notebook's exercise cell;
  * after it, an autograded test cell worth the question's ``points`` runs
    ``teaching.grading.grade``: the question's own ``evaluate``, the code ``q1.check()`` runs;
- ``nbgrader_config.py``: the course's settings (see `CONFIG`), rewritten on every build; your own
  settings go in ``nbgrader_config_local.py`` beside it, which it loads;
- ``release/NN_name/NN_name.ipynb``, made by nbgrader's own ``nbgrader generate_assignment``
  (which also records the assignment, its cells and points in ``gradebook.db``).

Then it checks each release: no solution marker, no line of a solution that is not in the
starter, one visible test cell per question, every answer cell as in the practice notebook.
Submissions, grades and the gradebook already in COURSE_DIR are kept.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))            # the question sets, when run as a script from anywhere
sys.path.insert(0, str(ROOT / "tools"))

from write_exercises import NOTEBOOKS, SETUP, question_set  # noqa: E402

BEGIN = "### BEGIN SOLUTION (nbgrader removes the lines from here to END SOLUTION; the starter above stays)"
END = "### END SOLUTION"
SCHEMA = 3   # nbgrader 0.9's cell metadata schema_version

# Execute.timeout is the per-cell limit nbgrader 0.9's autograde and validate read (nbgrader's
# Execute preprocessor, default 30 s). Notebook 05 trains networks: its slowest cell takes about
# 6 s on an idle 2-core machine (tests/test_assignments.py measures it); 600 s leaves room for a
# grading machine busy with a whole class.
CELL_TIMEOUT = 600

CONFIG = '''\
"""nbgrader's settings for the graded course, written by tools/make_assignments.py (`make
assignments`) on every build: put your own settings (course_id for a hub's exchange, students,
late penalties ...) in nbgrader_config_local.py beside this file, which is loaded last."""

import os
from importlib.util import find_spec
from pathlib import Path

c = get_config()  # noqa: F821 (traitlets defines it)

c.CourseDirectory.course_id = "activations"

# The released exercise cell keeps the practice notebook's starter (it stands above the solution
# region in the source), so nbgrader puts nothing in place of the solution.
c.ClearSolutions.code_stub = {{"python": ""}}

# The per-cell time limit nbgrader 0.9's Execute preprocessor reads (default 30 s): notebook 05
# trains networks, and a grading machine may be busy.
c.Execute.timeout = {timeout}

# Grade with the installed checker, never with files handed in beside the notebook: autograde
# runs a submission in a copy of its folder, and a Python kernel puts that folder first on
# sys.path. teaching/graded_kernel.py takes it off before the first cell (and records that it
# ran; the test cells refuse to grade otherwise). PYTHONSAFEPATH (Python 3.11+) keeps it off
# while the kernel itself starts.
_guard = Path(find_spec("teaching").origin).parent / "graded_kernel.py"
c.Execute.extra_arguments = [
    "--IPKernelApp.exec_lines=__import__('runpy').run_path(%r, run_name='__main__')" % str(_guard)]
os.environ["PYTHONSAFEPATH"] = "1"

# A learner who copies or splits a graded cell hands in two cells with one grade_id. nbgrader
# 0.9.6 keeps the last and empties the other's metadata, then refuses the whole notebook with
# "use an old version of the nbgrader metadata format ... nbgrader update ." (jupyter/nbgrader
# #1083, open). This does what it means to: the earlier copy becomes an ordinary cell, the last
# one is graded, and the log still says "Cell with id 'q1' exists multiple times!".
from nbgrader.converters.autograde import Autograde  # noqa: E402
from nbgrader.preprocessors import DeduplicateIds  # noqa: E402


class DeduplicateGradeIds(DeduplicateIds):
    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.metadata.get("nbgrader", None) == {{}}:
            del cell.metadata["nbgrader"]
        return cell, resources


c.Autograde.sanitize_preprocessors = [
    DeduplicateGradeIds if p is DeduplicateIds else p
    for p in Autograde.class_traits()["sanitize_preprocessors"].default()]

load_subconfig("nbgrader_config_local.py")  # noqa: F821 (your settings; ignored if missing)
'''


def grading_cell(module, q):
    """The autograded test cell after question `q`'s exercise cell."""
    points = f"{q.points} point{'s' if q.points != 1 else ''}"
    source = (f"# Autograded, {points}: the checker of {q.name}.check() runs on your answer.\n"
              f"from teaching.grading import grade\n"
              f"grade({module.__name__!r}, {q.name!r}, globals())")
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "points": q.points,
        "grade_id": f"{q.name}_test", "schema_version": SCHEMA}})
    cell.id = f"exercise-{q.name}-grade"
    return cell


def solution_source(q):
    """The answer cell of the source notebook: starter, marked solution, check."""
    practice = q.cell_source()
    if practice.count(q.starter) != 1:
        raise SystemExit(f"{q.name}: its exercise cell does not hold its starter exactly once")
    rest = practice.replace(q.starter, "", 1).lstrip("\n")
    return "\n".join([q.starter, BEGIN, q.solution_code, END] + ([rest] if rest else []))


def source_notebook(path, allow_solutions=False):
    """The nbgrader source notebook for the practice notebook at `path`, and its question set."""
    module = question_set(path.name)
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)   # no stored slider state: the learner runs the cells
    questions = {q.name: q for q in module.binder.questions}
    cells, graded, setups = [], [], 0
    for cell in nb.cells:
        meta = cell.get("metadata", {})
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cells.append(cell)
        if meta.get(SETUP):
            setups += 1
            switch = "graded_mode(binder, solutions=True)" if allow_solutions else \
                "graded_mode(binder)   # graded copy: no .solution()"
            cell.source += f"\nfrom teaching.grading import graded_mode\n{switch}"
            meta["nbgrader"] = {"grade": False, "solution": False, "locked": True,
                                "grade_id": "setup", "schema_version": SCHEMA}
        elif "exercise" in meta:
            q = questions[meta["exercise"]]
            if cell.source != q.cell_source():
                raise SystemExit(f"{path.name}: the cell of {q.name} is not what its question "
                                 f"writes; run tools/write_exercises.py {path.name}")
            cell.source = solution_source(q)
            meta["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                                "grade_id": q.name, "schema_version": SCHEMA}
            cells.append(grading_cell(module, q))
            graded.append(q)
    if setups != 1:
        raise SystemExit(f"{path.name}: needs exactly one setup cell (metadata {SETUP}), "
                         f"found {setups}")
    missing = sorted(set(questions) - {q.name for q in graded})
    if missing:
        raise SystemExit(f"{path.name}: no exercise cell for {', '.join(missing)}")
    total = sum(q.points for q in graded)
    listed = ", ".join(f"{q.name} ({q.points})" for q in graded)
    note = nbformat.v4.new_markdown_cell(
        f"**Graded assignment: {total} points.** The exercises at the end are graded "
        f"automatically: {listed}. Answer each in its cell, as in the practice notebook; "
        "`q1.check()` and `q1.hint()` work as usual, `q1.solution()` does not. The cell after "
        "each exercise (\"Autograded\") is the test your teacher's grader runs; read-only cells "
        "are put back as they were when it runs.")
    note.id = "graded-assignment-note"
    nb.cells = cells[:1] + [note] + cells[1:]
    nbformat.validate(nb)
    return nb, module, graded


def check_release(release, graded):
    """Raise SystemExit if the released notebook holds a solution (a marker, or a line of a
    solution in a code cell that is not in the starter: a task may quote a line) or lacks a
    test."""
    nb = nbformat.read(release, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code").splitlines()
    problems = [m for m in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS") if m in text]
    for q in graded:
        starter_lines = set(q.starter.splitlines())
        leaked = [ln for ln in q.solution_code.splitlines()
                  if ln.strip() and ln not in starter_lines and ln in code]
        problems += [f"{q.name}'s solution line {ln!r}" for ln in leaked]
        answer = [c for c in nb.cells if c.get("metadata", {}).get("exercise") == q.name]
        tests = [c for c in nb.cells
                 if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == f"{q.name}_test"]
        if len(answer) != 1 or answer[0].source.rstrip("\n") != q.cell_source():
            problems.append(f"{q.name}'s answer cell differs from the practice notebook's")
        if len(tests) != 1:
            problems.append(f"{q.name} has {len(tests)} test cells")
    if problems:
        raise SystemExit(f"{release}: " + "; ".join(problems))


def nbgrader_env():
    """The environment nbgrader's commands need: this Python's bin/ first on PATH (nbgrader runs
    the `alembic` command found on PATH to set up its gradebook)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def nbgrader(course, *args, timeout=None):
    """Run one of nbgrader's own commands in the course directory (at most `timeout` seconds)."""
    command = [str(Path(sys.executable).with_name("nbgrader")), *args]
    done = subprocess.run(command, cwd=course, capture_output=True, text=True, env=nbgrader_env(),
                          timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed in {course}:\n{done.stdout}"
                         f"{done.stderr}")
    return done


def build(course, allow_solutions=False, notebooks=None):
    """Write the course to `course` and generate every release with nbgrader; returns
    [(assignment, questions, points)]."""
    start = time.perf_counter()
    course = Path(course).resolve()
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG.format(timeout=CELL_TIMEOUT))
    paths = [Path(p) for p in notebooks or
             [p for p in sorted(NOTEBOOKS.glob("0*.ipynb")) if question_set(p.name)]]
    made = []
    for path in paths:
        nb, module, graded = source_notebook(path, allow_solutions)
        source = course / "source" / path.stem
        if source.exists():
            shutil.rmtree(source)
        source.mkdir(parents=True)
        nbformat.write(nb, source / path.name)
        made.append((path, graded))
    # One nbgrader process for all (its start-up is most of the time) when the glob "0*" names
    # exactly these assignments; one per assignment when the course holds others beside them.
    names = sorted(path.stem for path in paths)
    if sorted(p.name for p in (course / "source").glob("0*")) == names:
        nbgrader(course, "generate_assignment", "0*", "--force")
    else:
        for name in names:
            nbgrader(course, "generate_assignment", name, "--force")
    built = []
    for path, graded in made:
        check_release(course / "release" / path.stem / path.name, graded)
        points = sum(q.points for q in graded)
        built.append((path.stem, len(graded), points))
        print(f"{path.stem:<16} {len(graded)} questions, {points} points: source/ and release/")
    print(f"{len(built)} assignments in {time.perf_counter() - start:.1f} s")
    return built


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(ROOT / "build" / "nbgrader"))
    parser.add_argument("--allow-solutions", action="store_true",
                        help="keep q1.solution() working in the released notebooks")
    args = parser.parse_args(argv)
    build(args.course, args.allow_solutions)
    print(f"Course directory: {args.course} (run nbgrader's commands there; TEACHING.md, "
          "'Grade it')")


if __name__ == "__main__":
    main(sys.argv[1:])
