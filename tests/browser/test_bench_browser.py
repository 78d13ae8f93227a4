"""benchmarks/bench_browser.py runs and prints its table (`make bench-browser`).

Nothing here judges speed: the script's table reports it against the 30 ms target (issue 19).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_browser_times_every_slider_of_a_notebook(chromium_executable):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_browser.py"), "--presses", "2", "notebooks/01_linear.ipynb"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL,
    )
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert "target 30 ms" in out and "2 timed presses per slider" in out
    # One row per slider of 01_linear's interactive_activation(linear, ...): input range, slope;
    # then median, p90, max, decoded, lost.
    rows = re.findall(r"^01_linear\.ipynb\s+\d+\s+\(linear\)\s+(.+?)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
                      r"\s+([\d.]+)\s+(\d+)\s+(ok|MISSED)$", out, re.MULTILINE)
    assert sorted(row[0] for row in rows) == ["input range", "slope"], out
    for label, median, p90, worst, decoded, lost, _ in rows:
        assert 0 < float(median) <= float(p90) <= float(worst), out
        assert float(decoded) >= float(median) and lost == "0", out
