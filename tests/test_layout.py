"""The layout: activations_helpers.py is the math a learner reads; the teaching package draws."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import activations_helpers as ah
import teaching

ROOT = Path(__file__).resolve().parent.parent
DRAWING = ("matplotlib", "seaborn", "ipywidgets", "IPython", "PIL")


def test_math_module_imports_nothing_that_draws_not_even_inside_a_function():
    source = (ROOT / "activations_helpers.py").read_text(encoding="utf-8")
    # the issue's own check, line by line ...
    assert not re.findall(r"^\s*(import|from) (matplotlib|seaborn|ipywidgets|IPython)", source,
                          flags=re.M)
    # ... and every import statement anywhere in the module, by its syntax tree
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] not in DRAWING, f"activations_helpers imports {name}"
            assert name.split(".")[0] in {"numpy", *sys.stdlib_module_names}, name


def test_importing_the_math_loads_no_drawing_library():
    code = ("import sys, activations_helpers; "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {DRAWING!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_math_bodies_use_no_in_place_tricks():
    """What show_code shows reads as a formula: no out=/where= buffers, no in-place updates."""
    tree = ast.parse((ROOT / "activations_helpers.py").read_text(encoding="utf-8"))
    for fn in [n for n in tree.body if isinstance(n, ast.FunctionDef)]:
        for node in ast.walk(fn):
            if isinstance(node, ast.Call):
                keywords = {k.arg for k in node.keywords}
                assert not keywords & {"out", "where"}, f"{fn.name} calls with out=/where="
            assert not isinstance(node, ast.AugAssign), f"{fn.name} updates an array in place"


def test_the_package_exports_the_pictures_and_the_module_the_math():
    pictures = {"set_theme", "plot_lines", "plot_activation", "plot_bars", "show_code",
                "interactive_plot", "interactive_activation", "interactive_softmax"}
    assert pictures <= set(teaching.__all__)
    assert not pictures & set(ah.__all__)
    for name in teaching.__all__:
        assert hasattr(teaching, name), name
    for name in ah.__all__:
        assert callable(getattr(ah, name)), name
