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
            # NumPy, the standard library, its own input policy, and SciPy's special functions
            assert (name.split(".")[0] in {"numpy", "_input_policy", *sys.stdlib_module_names}
                    or name == "scipy.special"), name
    policy = (ROOT / "_input_policy.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(policy)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module])
            assert all(n.split(".")[0] in {"numpy", *sys.stdlib_module_names} for n in names)


def test_importing_the_math_loads_no_drawing_library_and_no_scipy():
    """SciPy (about 0.2-0.4 s to import) is loaded by the first GELU call, not by the import:
    notebooks 01-03 never pay for it."""
    heavy = (*DRAWING, "scipy")
    code = ("import sys, activations_helpers as ah; ah.sigmoid(1.0); ah.softmax([1, 2]); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_the_module_opens_on_the_math():
    """linear comes within the first 150 lines (the input policy lives in _input_policy.py),
    and no body keeps NaN by a trick: NaN in, NaN out is the decorator's job."""
    source = (ROOT / "activations_helpers.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    linear = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "linear")
    assert linear.lineno <= 150, linear.lineno
    assert "_keep_nan" not in source
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "np.clip":
            bounds = [ast.unparse(a) for a in node.args[1:3]]
            assert len(set(bounds)) == len(bounds), f"np.clip with equal bounds: {ast.unparse(node)}"
    for fn in [n for n in tree.body if isinstance(n, ast.FunctionDef)]:
        for node in ast.walk(fn):  # a comparison used as a number: np.maximum(z, x >= 0), ...
            arithmetic = isinstance(node, ast.BinOp) and isinstance(
                node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div))  # (x > a) & (x < b) is logic
            if arithmetic or (isinstance(node, ast.Call) and ast.unparse(
                    node.func) in ("np.maximum", "np.minimum", "np.clip")):
                operands = ([node.left, node.right] if isinstance(node, ast.BinOp)
                            else node.args)
                assert not any(isinstance(o, ast.Compare) for o in operands), (
                    f"{fn.name}: {ast.unparse(node)} uses a comparison as a number")


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
