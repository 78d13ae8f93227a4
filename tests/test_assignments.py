"""The graded course (`make assignments`), graded by nbgrader's own commands.

One course is built with tools/make_assignments.py (nbgrader's ``generate_assignment`` makes the
releases); then, for every assignment, nbgrader's ``autograde`` grades the submissions of

- ``solutions``: the source notebook as it stands (every solution in place): every point;
- ``untouched``: the released notebook as handed out: no point;
- ``mistake``: the released notebook with every exercise answered by its solution except one,
  answered with one of that question's typical wrong answers: every point but that question's;

and, on 01_linear, the faults teachers meet:

- ``shadow``: the untouched release handed in with its own ``teaching/`` package and
  ``activations_helpers.py`` that pass every test: graded by the installed checker, no point (and
  the same submission graded without the course's kernel guard gets every point: the attack is
  real);
- ``duplicated``: the solutions with an answer cell and a test cell copied (JupyterLab's copy keeps
  the cell's nbgrader metadata, so two cells share a grade_id): still graded, every point, and
  nbgrader says which id it saw twice.

``nbgrader export`` writes grades.csv; the test prints it as a table. Everything runs offline.
"""

import concurrent.futures
import csv
import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_assignments  # noqa: E402
from write_exercises import question_set  # noqa: E402

NOTEBOOKS = [p for p in sorted((ROOT / "notebooks").glob("0*.ipynb")) if question_set(p.name)]
ASSIGNMENTS = [p.stem for p in NOTEBOOKS]
# The exercise each "mistake" submission gets wrong: one of each kind of question.
MISTAKE = {"01_linear": "q2", "02_binary_step": "q4", "03_nonlinear": "q6", "04_modern": "q1",
           "05_playground": "q2"}
AUTOGRADE_TIMEOUT = 900   # seconds for one assignment's submissions: a hang fails, never blocks
FAKE_CHECKER = {
    "teaching/__init__.py": "",
    "teaching/grading.py": "def grade(*args):\n    print('Correct!')\n\n"
                           "def graded_mode(*args, **kwargs):\n    pass\n",
    "teaching/exercises/__init__.py": "",
    "teaching/exercises/linear.py": "class _Binder:\n    questions = []\n\n"
                                    "    def bind(self, namespace):\n        pass\n\n"
                                    "binder = _Binder()\n",
    "activations_helpers.py": "",
}


def questions(assignment):
    return {q.name: q for q in question_set(f"{assignment}.ipynb").binder.questions}


def wrong_code(q, answer):
    """A typical wrong answer (from the question's wrong_answers) as the code a learner writes."""
    if q.kind == "choice":
        return f'{q.name}.check("{answer}")'
    if isinstance(answer, str) and q.kind == "function":
        return answer
    return f"{q.var} = {answer!r}"


def answered(release, assignment, wrong=None):
    """The released notebook with every exercise answered by its solution, `wrong` (a question
    name) by its first typical wrong answer."""
    nb = nbformat.read(release, as_version=4)
    qs = questions(assignment)
    for cell in nb.cells:
        name = cell.get("metadata", {}).get("exercise")
        if name:
            q = qs[name]
            code = wrong_code(q, q.wrong_answers[0][0]) if name == wrong else q.solution_code
            cell.source = q.cell_source(code)
    return nb


def submit(course, student, assignment, nb=None, copy=None, files=None):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    if copy is not None:
        shutil.copy(copy, folder / f"{assignment}.ipynb")
    else:
        nbformat.write(nb, folder / f"{assignment}.ipynb")
    for name, text in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)


def duplicated(nb):
    """`nb` with the q1 answer cell copied above itself (the copy answers wrongly) and the q1 test
    cell copied below itself, as JupyterLab's copy and paste does: metadata and all."""
    cells = []
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id == "q1":
            copy = nbformat.from_dict(json.loads(json.dumps(cell)))
            copy.id, copy.source = "copied-answer", copy.source.replace("return", "return 0 *")
            cells.append(copy)
        cells.append(cell)
        if grade_id == "q1_test":
            copy = nbformat.from_dict(json.loads(json.dumps(cell)))
            copy.id = "copied-test"
            cells.append(copy)
    nb.cells = cells
    return nb


def read_grades(course):
    with open(course / "grades.csv", newline="") as f:
        return {(row["assignment"], row["student_id"]): (float(row["score"]),
                                                        float(row["max_score"]))
                for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Build the course, hand in the submissions, autograde and export; returns the course
    directory, the grades {(assignment, student): (score, max)}, nbgrader's logs and timings."""
    course = tmp_path_factory.mktemp("course")
    timings = {}
    start = time.perf_counter()
    make_assignments.build(course)
    timings["make assignments (generate_assignment x5)"] = time.perf_counter() - start
    for assignment in ASSIGNMENTS:
        source = course / "source" / assignment / f"{assignment}.ipynb"
        release = course / "release" / assignment / f"{assignment}.ipynb"
        submit(course, "solutions", assignment, copy=source)
        submit(course, "untouched", assignment, copy=release)
        submit(course, "mistake", assignment, answered(release, assignment, MISTAKE[assignment]))
    release = course / "release" / "01_linear" / "01_linear.ipynb"
    submit(course, "shadow", "01_linear", copy=release, files=FAKE_CHECKER)
    submit(course, "duplicated", "01_linear", duplicated(answered(release, "01_linear")))
    logs = {}
    for assignment in ASSIGNMENTS:
        start = time.perf_counter()
        logs[assignment] = ""
        # One nbgrader process per learner: every stalled kernel seen here (TEACHING.md, "Grading
        # stalls") was the second or third one that a single autograde process started.
        for student in sorted(os.listdir(course / "submitted")):
            if (course / "submitted" / student / assignment).is_dir():
                logs[assignment] += make_assignments.nbgrader(
                    course, "autograde", assignment, "--student", student,
                    timeout=AUTOGRADE_TIMEOUT).stderr
        timings[f"autograde {assignment}"] = time.perf_counter() - start
    make_assignments.nbgrader(course, "export")
    return course, read_grades(course), logs, timings


def test_grades_table(graded):
    """Sources get every point, untouched releases none, a typical mistake loses exactly that
    exercise's points; prints the grades and the time each step took."""
    course, grades, _, timings = graded
    students = ["solutions", "untouched", "mistake", "shadow", "duplicated"]
    print("\n| assignment | " + " | ".join(students) + " | max |")
    print("|---" * (len(students) + 2) + "|")
    for assignment in ASSIGNMENTS:
        row = [f"{grades[(assignment, s)][0]:g}"
               if (course / "submitted" / s / assignment).is_dir() else "-" for s in students]
        print(f"| {assignment} | " + " | ".join(row) + f" | {grades[(assignment, 'solutions')][1]:g} |")
    print("\n| step | seconds |\n|---|---|")
    for step, seconds in timings.items():
        print(f"| {step} | {seconds:.1f} |")
    for assignment in ASSIGNMENTS:
        qs = questions(assignment)
        total = sum(q.points for q in qs.values())
        assert grades[(assignment, "solutions")] == (total, total), assignment
        assert grades[(assignment, "untouched")] == (0, total), assignment
        lost = qs[MISTAKE[assignment]].points
        assert grades[(assignment, "mistake")] == (total - lost, total), assignment


def test_a_mistake_fails_its_own_test_cell_with_the_checks_message(graded):
    course = graded[0]
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(course / "autograded" / "mistake" / assignment / f"{assignment}.ipynb",
                           as_version=4)
        failed = [c.metadata.nbgrader["grade_id"] for c in nb.cells
                  if c.get("metadata", {}).get("nbgrader", {}).get("grade")
                  and any(o.output_type == "error" for o in c.outputs)]
        assert failed == [f"{MISTAKE[assignment]}_test"], assignment
        q = questions(assignment)[MISTAKE[assignment]]
        test = next(c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {})
                    .get("grade_id") == f"{q.name}_test")
        printed = "".join(o.get("text", "") for o in test.outputs)
        assert q.wrong_answers[0][1] in printed, (assignment, printed)


def test_files_handed_in_beside_the_notebook_do_not_replace_the_checker(graded, tmp_path):
    course, grades = graded[0], graded[1]
    assert grades[("01_linear", "shadow")] == (0, grades[("01_linear", "solutions")][1])
    # The control: the same submission graded without the course's guard passes every test, so
    # the attack is real and the guard is what stops it.
    control = tmp_path / "course"
    shutil.copytree(course, control, ignore=shutil.ignore_patterns("autograded", "feedback"))
    for student in os.listdir(control / "submitted"):
        if student != "shadow":
            shutil.rmtree(control / "submitted" / student)
    (control / "nbgrader_config_local.py").write_text(   # both layers of the guard off
        "import os\nc = get_config()\nc.Execute.extra_arguments = []\n"
        "os.environ.pop('PYTHONSAFEPATH', None)\n")
    make_assignments.nbgrader(control, "autograde", "01_linear", timeout=AUTOGRADE_TIMEOUT)
    make_assignments.nbgrader(control, "export")
    fooled = read_grades(control)[("01_linear", "shadow")]
    assert fooled[0] == fooled[1] > 0


def test_a_copied_graded_cell_is_still_graded_and_named(graded):
    course, grades, logs = graded[0], graded[1], graded[2]
    assert grades[("01_linear", "duplicated")] == grades[("01_linear", "solutions")]
    assert "Cell with id 'q1' exists multiple times!" in logs["01_linear"]
    assert "Cell with id 'q1_test' exists multiple times!" in logs["01_linear"]


def test_the_cell_timeout_is_the_key_nbgrader_reads_and_fits_the_slowest_cell(graded):
    """nbgrader 0.9 reads the per-cell limit from its Execute preprocessor (default 30 s); the
    course sets it, and it is well above the slowest cell measured while grading."""
    course = graded[0]
    probe = ("from traitlets.config.loader import PyFileConfigLoader\n"
             "from nbgrader.converters import Autograde\n"
             "from nbgrader.preprocessors import Execute\n"
             "config = PyFileConfigLoader('nbgrader_config.py', path='.').load_config()\n"
             "runs = [p for p in Autograde(config=config).autograde_preprocessors\n"
             "        if issubclass(p, Execute)]\n"
             "print(Execute().timeout, runs[0](config=config).timeout, len(runs))")
    default, configured, runs = subprocess.run(
        [sys.executable, "-c", probe], cwd=course, check=True, capture_output=True,
        text=True).stdout.split()
    assert (int(default), int(configured), int(runs)) == (30, make_assignments.CELL_TIMEOUT, 1)
    slowest = 0.0
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(course / "autograded" / "solutions" / assignment / f"{assignment}.ipynb",
                           as_version=4)
        for cell in nb.cells:
            timing = cell.get("metadata", {}).get("execution", {})
            if "iopub.execute_input" in timing and "shell.execute_reply" in timing:
                began = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
                ended = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
                slowest = max(slowest, (ended - began).total_seconds())
    print(f"\nslowest cell while grading: {slowest:.1f} s (limit {configured} s)")
    assert 0 < slowest and 10 * slowest < make_assignments.CELL_TIMEOUT


def test_releases_hold_no_solution_and_keep_the_practice_cells(graded):
    course = graded[0]
    for path in NOTEBOOKS:
        release = nbformat.read(course / "release" / path.stem / path.name, as_version=4)
        practice = nbformat.read(path, as_version=4)
        qs = questions(path.stem)
        sources = [c.source for c in release.cells]
        assert not any("BEGIN SOLUTION" in s or "HIDDEN TESTS" in s for s in sources)
        for q in qs.values():
            if q.kind != "choice":   # a choice's solution is a check call; its letter is data
                assert not any(q.solution_code in s for s in sources), (path.name, q.name)
        answer_cells = {c.metadata["exercise"]: c.source.rstrip("\n") for c in release.cells
                        if c.get("metadata", {}).get("exercise")}
        assert answer_cells == {c.metadata["exercise"]: c.source for c in practice.cells
                                if c.get("metadata", {}).get("exercise")}
        assert all(not c.get("outputs") for c in release.cells if c.cell_type == "code")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium_or_skip():
    chromium = shutil.which("chromium")
    if chromium is None or importlib.util.find_spec("playwright") is None:
        why = "Chromium or Playwright not found (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true" or os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(why + " and a browser is required (CI=true or REQUIRE_BROWSER=1)")
        pytest.skip(why)
    return chromium


def test_the_formgrader_opens_in_jupyterlab_4(graded, tmp_path):
    """JupyterLab started in the course directory serves nbgrader's formgrader, which lists the
    five assignments and their submissions, and opens as a JupyterLab tab (Nbgrader >
    Formgrader) in Chromium."""
    course = graded[0]
    chromium = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    port, token = _free_port(), secrets.token_hex(16)
    env = {**make_assignments.nbgrader_env(), "JUPYTER_TOKEN": token}
    command = [str(Path(sys.executable).with_name("jupyter-lab")), "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--LabApp.expose_app_in_browser=True", f"--LabApp.workspaces_dir={tmp_path}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "lab.log", "w") as log:
        server = subprocess.Popen(command, cwd=course, env=env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                assert server.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
                assert time.monotonic() < deadline, "JupyterLab did not answer in 180 s"
                time.sleep(1)
        with urllib.request.urlopen(f"{base}/formgrader/api/assignments?token={token}") as r:
            listed = {a["name"]: a for a in json.load(r)}
        assert sorted(listed) == ASSIGNMENTS
        for assignment in ASSIGNMENTS:
            total = sum(q.points for q in questions(assignment).values())
            assert listed[assignment]["max_score"] == total
            assert listed[assignment]["num_submissions"] >= 3

        def open_formgrader():
            # In a thread of its own: when the browser tests ran first in this process,
            # pytest-playwright's sync API still holds an event loop in the main thread, where
            # a second sync_playwright() refuses to start.
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium)
                try:
                    page = browser.new_page()
                    page.goto(f"{base}/lab?token={token}")
                    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands"
                                           ".hasCommand('nbgrader:open-formgrader')", timeout=120_000)
                    page.wait_for_selector(".lm-MenuBar-itemLabel:text-is('Nbgrader')", timeout=60_000)
                    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-formgrader')")
                    frame = page.wait_for_selector("iframe[src*='formgrader']",
                                                   timeout=60_000).content_frame()
                    frame.wait_for_selector("text=Manage Assignments", timeout=60_000)
                    for assignment in ASSIGNMENTS:
                        frame.wait_for_selector(f"text={assignment}", timeout=60_000)
                finally:
                    browser.close()

        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(open_formgrader).result()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
