"""Time the cells of each segment of TEACHING.md's lesson plans by running them.

Usage: python tools/time_lessons.py   (or `make time-lessons`)

Each numbered notebook the plans use runs once, top to bottom, in a fresh kernel, as the teacher's
copy (every exercise answered by its solution, as `make solutions` writes it: that is what a
learner who answers runs). nbclient records when each cell started and finished; a segment's time
is the sum over the code cells between its first and its last heading (the notebook's setup cell
is counted in the first segment that uses the notebook: a learner runs it first). The table it
prints, in Markdown, is the one in TEACHING.md; the times are this machine's, once.

`SEGMENTS` below mirrors the plans' tables: (plan, minutes, notebook, [(from heading, to heading),
...]) with headings as their anchors in TEACHING.md's links; "to" is excluded, None is the end of
the notebook. tests/test_teaching.py checks that every anchor here is a heading of the notebook,
exactly once, and that the minutes agree with the plans.
"""

import sys
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from make_solutions import answered   # tools/ is on sys.path when this runs as a script

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

# plan, minutes, notebook, ranges (from anchor, to anchor); None: to the end of the notebook
SEGMENTS = [
    ("45", "0-7", "01_linear.ipynb",
     [("Try-it:-slope-and-input-range", "What-goes-wrong:-a-linear-model-cannot-solve-XOR")]),
    ("45", "7-15", "01_linear.ipynb",
     [("What-goes-wrong:-a-linear-model-cannot-solve-XOR", "Summary"),
      ("Exercise-3-·-Predict-a-linear-model's-fourth-XOR-output",
       "Exercise-4-·-Why-depth-alone-cannot-solve-XOR")]),
    ("45", "15-23", "02_binary_step.ipynb",
     [("Try-it:-threshold-and-input-range", "Summary"),
      ("Exercise-3-·-What-one-gradient-step-does-to-a-step-neuron",
       "Exercise-4-·-The-gradient-a-sigmoid-neuron-gets")]),
    ("45", "23-32", "03_nonlinear.ipynb",
     [("Try-it:-the-sigmoid's-input-range", "2.-Tanh"),
      ("5.-Vanishing-gradients", "6.-Leaky-ReLU")]),
    ("45", "32-40", "03_nonlinear.ipynb",
     [("Try-it:-temperature", "Its-derivative-is-a-matrix"),
      ("Exercise-3-·-Predict-the-gradient-after-30-sigmoid-layers",
       "Exercise-4-·-Why-tanh-helps"),
      ("Exercise-8-·-What-temperature-does", "More-to-try")]),
    ("90", "0-12", "01_linear.ipynb", [("01-·-The-linear-activation", "More-to-try")]),
    ("90", "12-24", "02_binary_step.ipynb",
     [("02-·-The-binary-step-activation", "More-to-try")]),
    ("90", "24-40", "03_nonlinear.ipynb", [("1.-Sigmoid", "6.-Leaky-ReLU")]),
    ("90", "40-55", "03_nonlinear.ipynb",
     [("7.-Dying-ReLU,-and-how-a-leak-keeps-units-alive", "8.-PReLU"),
      ("9.-Softmax", "10.-Is-ReLU-cheaper-to-compute?"),
      ("Exercise-3-·-Predict-the-gradient-after-30-sigmoid-layers",
       "Exercise-5-·-Leaky-ReLU-for-every-alpha"),
      ("Exercise-8-·-What-temperature-does", "More-to-try")]),
    ("90", "60-70", "04_modern.ipynb",
     [("1.-ReLU's-family-tree", "3.-SELU-and-self-normalisation"),
      ("6.-GELU", "7.-Mish"),
      ("Exercise-4-·-Why-GELU-has-a-tanh-form",
       "Exercise-5-·-What-SELU's-self-normalisation-needs")]),
    ("90", "70-85", "05_playground.ipynb",
     [("4.-A-linear-activation-cannot-bend,-however-deep-the-network",
       "6.-Deep-sigmoid-networks-learn-slowly"),
      ("8.-The-playground", "Summary"),
      ("Exercise-5-·-Fit-the-spiral", None)]),
]


def headings(nb):
    """For each cell, the anchors (JupyterLab's: the heading with spaces as -) it holds."""
    return [[line.lstrip("#").strip().replace(" ", "-") for line in c.source.splitlines()
             if line.startswith("#")] if c.cell_type == "markdown" else [] for c in nb.cells]


def cell_range(nb, start, stop):
    """Indices of the cells from the heading `start` up to (not including) the heading `stop`."""
    anchors = headings(nb)
    first = [i for i, a in enumerate(anchors) if start in a]
    last = [i for i, a in enumerate(anchors) if stop in a] if stop else [len(nb.cells)]
    if len(first) != 1 or len(last) != 1 or last[0] <= first[0]:
        raise SystemExit(f"time_lessons: {start!r} .. {stop!r} is not one range of headings "
                         f"({len(first)} and {len(last)} matches)")
    return range(first[0], last[0])


def run_timed(name):
    """The teacher's copy of notebook `name`, executed, with each cell's execution time."""
    nb, _ = answered(NOTEBOOKS / name)
    client = NotebookClient(nb, kernel_name="python3", timeout=300, record_timing=True,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    seconds = []
    for cell in nb.cells:
        timing = cell.get("metadata", {}).get("execution", {})
        begin, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
        seconds.append((datetime.fromisoformat(end.replace("Z", "+00:00"))
                        - datetime.fromisoformat(begin.replace("Z", "+00:00"))).total_seconds()
                       if begin and end else 0.0)
    return nb, seconds


def main(argv):
    runs, rows = {}, []
    for plan in dict.fromkeys(p for p, *_ in SEGMENTS):
        seen = set()   # each plan starts with fresh notebooks: a learner runs the setup first
        for _, minutes, name, ranges in [s for s in SEGMENTS if s[0] == plan]:
            if name not in runs:
                runs[name] = run_timed(name)
            nb, seconds = runs[name]
            cells = {i for start, stop in ranges for i in cell_range(nb, start, stop)}
            if name not in seen:
                cells.add(next(i for i, c in enumerate(nb.cells) if c.cell_type == "code"))
                seen.add(name)
            code = sorted(i for i in cells if nb.cells[i].cell_type == "code")
            slowest = max(code, key=lambda i: seconds[i])
            rows.append((plan, minutes, name, len(code), sum(seconds[i] for i in code),
                         slowest, seconds[slowest]))
    print(f"Measured {time.strftime('%Y-%m-%d', time.gmtime())}, the teacher's copy, one run "
          f"each:\n")
    print("| plan | minutes | notebook | code cells | run time (s) | slowest cell (s) |")
    print("|---|---|---|---|---|---|")
    for plan, minutes, name, n, total, slowest, s in rows:
        print(f"| {plan} | {minutes} | {name} | {n} | {total:.1f} | {s:.1f} (cell {slowest}) |")


if __name__ == "__main__":
    main(sys.argv[1:])
