"""The table of activations (teaching/activations.py) holds the math module, all of it, and what
each row says about an activation is true of the function itself."""

import inspect
import json
from pathlib import Path

import numpy as np
import pytest

import activations_helpers as ah
from teaching.activations import ACTIVATIONS, INIT_FAMILIES, helper_names

ROOT = Path(__file__).resolve().parent.parent


def public_functions_of_the_math_module():
    """Every function defined in activations_helpers whose name does not start with "_"."""
    return {name for name, value in vars(ah).items()
            if inspect.isfunction(value) and not name.startswith("_")
            and inspect.unwrap(value).__module__ == ah.__name__}


def test_every_public_function_of_the_math_module_is_in_the_table():
    missing = public_functions_of_the_math_module() - set(helper_names())
    assert not missing, (f"{sorted(missing)} in activations_helpers but not in the table: add a "
                         f"row to ACTIVATIONS in teaching/activations.py (README, 'For "
                         f"maintainers')")


def test_the_table_names_only_functions_of_the_math_module():
    for row in ACTIVATIONS.values():
        for helper in row.helpers:
            assert getattr(ah, helper.__name__, None) is helper, (
                f"the table's {helper.__name__} is not activations_helpers.{helper.__name__}")
    assert len(helper_names()) == len(set(helper_names())), "a helper is in two rows"


def test_the_table_and_the_modules_all_agree():
    assert set(helper_names()) == set(ah.__all__) == public_functions_of_the_math_module()


def test_the_row_name_is_the_function_name():
    for name, row in ACTIVATIONS.items():
        assert row.name == name
        assert row.init in INIT_FAMILIES


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_parameters_are_the_signatures_with_its_defaults(name):
    row = ACTIVATIONS[name]
    for helper in (row.function, row.derivative):
        signature = inspect.signature(helper).parameters
        if helper is ah.softmax_jacobian:  # no axis: it takes a vector
            expected = {p.name: p.default for p in row.parameters}
        else:
            expected = {k: v.default for k, v in signature.items() if k not in ("x", "axis")}
        assert row.defaults == expected, helper.__name__
    for p in row.parameters:
        if isinstance(p.default, str):
            assert p.default in p.slider
        else:
            low, high, step = p.slider
            assert low <= p.default <= high and step > 0


# ----------------------------------------------------------------------------------------------
# The properties, checked on the functions themselves (default parameters)
# ----------------------------------------------------------------------------------------------

GRID = np.linspace(-8.0, 8.0, 16001)  # steps of 0.001, through 0 and +-3 (the kinks)
ELEMENTWISE = [name for name, row in ACTIVATIONS.items() if row.elementwise]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_monotone(name):
    row = ACTIVATIONS[name]
    rises = np.all(np.diff(row.function(GRID)) >= 0)
    assert rises == row.monotone


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_zero_centred_means_odd(name):
    row = ACTIVATIONS[name]
    odd = np.allclose(row.function(-GRID), -row.function(GRID), rtol=1e-12, atol=1e-300)
    assert odd == row.zero_centred


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_saturating_means_flat_at_both_ends(name):
    row = ACTIVATIONS[name]
    ends = np.array([-1e3, 1e3])
    flat = np.all(np.abs(row.derivative(ends)) < 1e-12) and np.all(np.isfinite(row.function(ends)))
    assert flat == row.saturating


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_smooth_means_no_jump_and_no_kink(name):
    """On steps of 0.001 a smooth function and its derivative move by less than 0.01 (the
    steepest here, GELU's derivative, by 0.0008); a kink or a jump moves by at least 1/6."""
    row = ACTIVATIONS[name]
    jumps = max(np.max(np.abs(np.diff(row.function(GRID)))),
                np.max(np.abs(np.diff(row.derivative(GRID)))))
    assert (jumps < 0.01) == row.smooth, jumps


def test_softmax_is_the_one_that_is_not_elementwise():
    assert [name for name, row in ACTIVATIONS.items() if not row.elementwise] == ["softmax"]
    x = np.array([0.0, 1.0, 2.0])
    assert ACTIVATIONS["softmax"].derivative(x).shape == (3, 3)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_the_notebooks_listed_use_it(name):
    for stem in ACTIVATIONS[name].notebooks:
        path = ROOT / "notebooks" / f"{stem}.ipynb"
        assert path.exists(), path
        if stem == "05_playground":  # its network trains with every trainable activation and
            network = (ROOT / "teaching" / "network.py").read_text(encoding="utf-8")
            assert ACTIVATIONS[name].trainable or f".{name}(" in network  # ends on softmax
            continue
        source = "".join("".join(cell["source"])
                         for cell in json.loads(path.read_text(encoding="utf-8"))["cells"])
        assert f"{name}(" in source, f"{path.name} does not call {name}"
