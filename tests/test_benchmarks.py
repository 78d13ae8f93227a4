"""benchmarks/bench_helpers.py runs: its check, and pyperf's workers on a tiny input.

Nothing here times anything: speed is what the script's tables report (make bench).
"""

import subprocess
import sys
from pathlib import Path

import activations_helpers as ah

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_helpers.py"


def run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_every_helper_is_checked_against_its_peers():
    """--check runs every helper, article loop, NumPy formula and torch kernel once on 1000
    elements and compares each with the helper: a peer that computes something else fails."""
    result = run("--check", "--size", "1000")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check: every implementation agrees with its helper" in result.stdout
    checked = {line.split()[1].rstrip(":") for line in result.stdout.splitlines()
               if line.startswith("checked ")}
    assert set(ah.__all__) <= checked
    assert "checked sigmoid: 0 " not in result.stdout  # sigmoid has its loop and NumPy peers


def test_pyperf_runs_the_workers_and_prints_the_tables():
    """One value per benchmark, each in its own pyperf worker (the torch path is in the check)."""
    result = run("--debug-single-value", "--size", "1000", "--loop-size", "100",
                 "--only", "sigmoid", "--no-torch")
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "numpy " in out and "pyperf " in out and "OMP_NUM_THREADS=1" in out  # the header
    assert "torch not timed (--no-torch)" in out
    table_a = out.split("(a) helper vs")[1].split("(b) every")[0]
    assert [line for line in table_a.splitlines()
            if line.startswith("sigmoid ") and ("PASS" in line or "FAIL" in line)], table_a
    table_b = out.split("(b) every")[1].split("Summary")[0]
    assert "1/(1+np.exp(-x))" in table_b and "0.5*np.tanh(0.5*x) + 0.5" in table_b, table_b
    summary = out.split("Summary, n = 1e3 float32")[1]
    row = next(line for line in summary.splitlines() if line.startswith("sigmoid "))
    assert "PASS" in row or "FAIL" in row, row
    assert "SUMMARY: " in out


def test_an_unknown_helper_is_an_error_that_names_it():
    result = run("--only", "no_such_activation", "--check")
    assert result.returncode == 2
    assert "no_such_activation" in result.stderr
