"""The teacher's copy (`make solutions`): every exercise answered by its solution, every check
passing, and the whole copy passing strict nbval, as the stored notebooks do."""

import json
import subprocess
import sys
from pathlib import Path

from teaching.exercises import question_sets

ROOT = Path(__file__).resolve().parent.parent


def test_teachers_copy_passes_every_check_and_strict_nbval(tmp_path):
    out = tmp_path / "solutions"
    build = subprocess.run([sys.executable, "tools/make_solutions.py", str(out)], cwd=ROOT,
                           capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stdout + build.stderr

    numbered = sorted(p.name for p in (ROOT / "notebooks").glob("0*.ipynb"))
    assert sorted(p.name for p in out.glob("0*.ipynb")) == numbered
    expected = {m.NOTEBOOK: [q.name for q in m.QUESTIONS] for m in question_sets()}
    for name in numbered:
        nb = json.loads((out / name).read_text(encoding="utf-8"))
        checked = []
        for cell in nb["cells"]:
            q = cell.get("metadata", {}).get("exercise")
            if q is None:
                continue
            source = "".join(cell["source"])
            assert "____" not in source, f"{name} {q}: the starter is still there"
            printed = "".join("".join(o.get("text", "")) for o in cell["outputs"])
            assert printed.startswith("Correct!"), f"{name} {q}: {printed}"
            checked.append(q)
        assert checked == expected.get(name, []), name

    # strict nbval, in a fresh process, on the copy: every printed output must come out the same,
    # compared as the stored notebooks are (pyproject.toml's addopts do not reach tmp_path): a
    # figure's <img> by its description, not its pixels; measured times masked
    nbval = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider",
                            "--nbval-sanitize-with", str(ROOT / "tools" / "nbval_sanitize.cfg"),
                            "-q", str(out)],
                           cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert nbval.returncode == 0, nbval.stdout[-5000:] + nbval.stderr[-2000:]
    assert " passed" in nbval.stdout and "failed" not in nbval.stdout
