"""Re-execute every notebook in notebooks/ in place: the stored outputs nbval compares against.

Usage: python tools/run_notebooks.py [NOTEBOOK ...]   (or `make notebooks`)

Each notebook runs top to bottom in a fresh kernel from this environment, with notebooks/ as the
working directory. Outputs, execution counts (1..n) and widget state are stored. A notebook is
written atomically (a temporary file in the same folder, then os.replace), so an interrupted run
never leaves a half-written notebook; a cell that raises stops the run and writes nothing.
"""

import hashlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from tools.slides import add_slide_metadata  # the one slide rule

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def execute(path, out=None, nb=None):
    """Run the notebook at `path` in its folder and write it to `out` (default: `path` itself).
    `nb`, if given, is run instead of the file's content (tools/make_solutions.py passes a copy
    with every exercise answered)."""
    out = Path(out) if out is not None else path
    if nb is None:
        nb = nbformat.read(path, as_version=4)
    nb = add_slide_metadata(nb)  # slides and presentation mode
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,  # no per-cell timestamps: re-running changes only what changed
        store_widget_state=True,  # sliders render (statically) even before the notebook is run
        shutdown_kernel="immediate",  # a graceful shutdown adds 1.5 s of waiting per notebook
        coalesce_streams=True,  # one stdout output per cell, however the kernel split its writes
    )
    client.execute()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error" or output.get("name") == "stderr":
                raise RuntimeError(f"{path.name}: a cell wrote an error or to stderr:\n{output}")
    nbformat.validate(nb)
    text = stable_widget_ids(nbformat.writes(nb), path.name)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{path.stem}.", suffix=".ipynb.tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, path.stat().st_mode)  # mkstemp makes it private; keep the notebook's mode
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise


def stable_widget_ids(text, name):
    """The notebook's JSON with every widget model id (a random uuid4 per run) replaced by one
    derived from the notebook's name and the widget's place in the notebook, so that running an
    unchanged notebook again writes the same file and a diff shows only what changed."""
    nb = json.loads(text)
    state = nb.get("metadata", {}).get("widgets", {}).get(
        "application/vnd.jupyter.widget-state+json", {}).get("state", {})
    order = []

    def visit(model_id):  # a widget, then the widgets it refers to, depth first
        if model_id in state and model_id not in order:
            order.append(model_id)
            for child in re.findall(r"IPY_MODEL_([0-9a-f]{32})",
                                    json.dumps(state[model_id], sort_keys=True)):
                visit(child)

    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                visit(view["model_id"])
    for model_id in sorted(state, key=lambda m: json.dumps(state[m], sort_keys=True)):
        visit(model_id)  # any widget no output shows, in an order set by its content
    for i, old in enumerate(order):
        new = hashlib.md5(f"{name}:{i}".encode()).hexdigest()  # an id, not a security measure
        text = text.replace(old, new)
    return nbformat.writes(nbformat.reads(text, as_version=4))  # keys sorted by the new ids


def main(argv):
    paths = [Path(p).resolve() for p in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        start = time.perf_counter()
        execute(path)
        print(f"{path.relative_to(ROOT)}: executed in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
