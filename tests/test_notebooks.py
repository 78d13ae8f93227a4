"""Checks on the notebooks themselves, beyond nbval's re-run of their printed outputs."""

import ast
import json
import re
from pathlib import Path

import pytest

import activations_helpers as ah
import teaching

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CLASS_NOTEBOOKS = [p for p in NOTEBOOKS if p.name != "index.ipynb"]
HELPER_NAMES = {name for name in dir(ah) if not name.startswith("__")} | set(teaching.__all__)


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def markdown(nb):
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def test_the_series_is_there():
    names = [p.name for p in NOTEBOOKS]
    for expected in ["index.ipynb", "01_linear.ipynb", "02_binary_step.ipynb",
                     "03_nonlinear.ipynb"]:
        assert expected in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_notebook_redefines_a_helper(path):
    for cell in code_cells(load(path)):
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                assert node.name not in HELPER_NAMES, f"{path.name} redefines {node.name}"
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                assert node.id not in HELPER_NAMES, f"{path.name} assigns to {node.id}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_imports_the_math_and_the_pictures_and_sets_the_theme(path):
    """The setup cell takes the math from activations_helpers and the pictures from teaching."""
    first_code = "".join(code_cells(load(path))[0]["source"])
    assert "from activations_helpers import" in first_code
    assert re.search(r"^from teaching(\.\w+)* import", first_code, flags=re.M)
    assert "set_theme()" in first_code


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_outputs_are_fresh_and_clean(path):
    """What `make notebooks` writes: counts 1..n, no errors, stderr, warnings or machine paths."""
    nb = load(path)
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "re-run `make notebooks`"
    for cell in code_cells(nb):
        for out in cell["outputs"]:
            assert out["output_type"] != "error"
            assert out.get("name") != "stderr"
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            assert "Warning" not in text
            assert not re.search(r"/(root|tmp|home|work)/", text), text[:200]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ignore_tags_only_on_widget_cells(path):
    for cell in code_cells(load(path)):
        tags = cell.get("metadata", {}).get("tags", [])
        if any(t.startswith("nbval-ignore") or t == "nbval-skip" for t in tags):
            kinds = {k for out in cell["outputs"] for k in out.get("data", {})}
            assert "application/vnd.jupyter.widget-view+json" in kinds, (
                f"{path.name}: an ignore tag on a cell that is not a widget cell")
            assert not any(out["output_type"] == "stream" for out in cell["outputs"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_widget_state_is_stored(path):
    nb = load(path)
    has_widgets = any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
                      for cell in code_cells(nb) for out in cell["outputs"])
    if has_widgets:
        state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        sliders = [m for m in state.values() if m["model_name"].endswith("SliderModel")]
        assert sliders, "widget views are stored but no slider state"


@pytest.mark.parametrize("path", CLASS_NOTEBOOKS, ids=lambda p: p.name)
def test_class_notebook_skeleton(path):
    nb = load(path)
    text = markdown(nb)
    assert nb["cells"][0]["cell_type"] == "markdown" and text.startswith("# ")
    assert "Learning goals" in text
    for heading in ["## Summary", "## Exercises"]:
        assert heading in text, f"{path.name} lacks {heading}"
    assert "](index.ipynb)" in text, "link back to the index"
    assert "$" in text, "formulas in LaTeX"
    sources = "\n".join("".join(c["source"]) for c in code_cells(nb))
    assert "show_code(" in sources and "interactive_" in sources and "plot_" in sources


def test_index_links_every_notebook_and_readme_lists_them():
    index = markdown(load(ROOT / "notebooks" / "index.ipynb"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in CLASS_NOTEBOOKS:
        assert f"]({path.name})" in index, f"index does not link {path.name}"
        assert path.name in readme, f"README does not list {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_relative_links_resolve(path):
    for target in re.findall(r"\]\(([^)#:]+)\)", markdown(load(path))):
        assert (path.parent / target).exists(), f"{path.name} links to missing {target}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_as_make_notebooks_writes_them(path):
    """`make notebooks` gives widgets ids derived from their place in the notebook, so running an
    unchanged notebook again rewrites the same file. A notebook saved any other way (from
    JupyterLab, say) has random ids: run `make notebooks` and commit what it writes."""
    from tools.run_notebooks import stable_widget_ids
    text = path.read_text(encoding="utf-8")
    assert stable_widget_ids(text, path.name) == text, (
        f"{path.name} was not written by `make notebooks`: run it and commit the result")
