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
                         f"row to ACTIVATIONS in teaching/activations.py (README, 'Adding an "
                         f"activation')")


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


# ----------------------------------------------------------------------------------------------
# A throwaway row reaches every consumer: nothing else lists the activations
# ----------------------------------------------------------------------------------------------

def softsign(x, scale=1.0):
    """A throwaway activation for the test below: scale * x / (1 + |x|)."""
    x = np.asarray(x, dtype=np.float64)
    return scale * x / (1 + np.abs(x))


def softsign_derivative(x, scale=1.0):
    x = np.asarray(x, dtype=np.float64)
    return scale / (1 + np.abs(x)) ** 2


@pytest.fixture
def throwaway(monkeypatch):
    from teaching.activations import Activation, Parameter

    row = Activation(softsign, softsign_derivative, init="lecun", monotone=True,
                     saturating=True, zero_centred=True, smooth=False, paper="a test",
                     notebooks=("05_playground",),
                     parameters=(Parameter("scale", 1.0, (0.5, 2.0, 0.5)),))
    monkeypatch.setitem(ACTIVATIONS, "softsign", row)
    return row


def test_a_new_row_is_in_the_playground_menu_and_trains(throwaway):
    from teaching.network import MLP, init_scale, trainable_activations
    from teaching.playground import Playground

    assert trainable_activations()[-1] == "softsign"
    playground = Playground(epochs=5)
    assert "softsign" in playground.controls["activation"].options
    assert init_scale("softsign", 8, 2) == pytest.approx((1 / 8) ** 0.5)  # the row's "lecun"
    net = MLP(2, (4,), "softsign", seed=0, scale=2.0)
    assert net.f is softsign and net.activation_params == {"scale": 2.0}
    net.fit(np.eye(2), np.array([0, 1]), epochs=3)
    assert len(net.history["train_loss"]) == 3


def test_a_new_row_has_its_slider(throwaway):
    from teaching.sliders import interactive_activation

    widget = interactive_activation(softsign)
    scale = {child.description: child for child in widget.kwargs_widgets}["scale"]
    assert (scale.min, scale.max, scale.step, scale.value) == (0.5, 2.0, 0.5, 1.0)
    scale.value = 2.0
    x = widget.lines["softsign(x)"].get_xdata()
    np.testing.assert_allclose(widget.lines["softsign(x)"].get_ydata(), softsign(x, 2.0))
    np.testing.assert_allclose(widget.lines["softsign'(x)"].get_ydata(),
                               softsign_derivative(x, 2.0))


def test_a_new_row_is_in_the_float16_sweep(throwaway):
    import test_float16

    assert {"softsign", "softsign_derivative"} <= set(test_float16.public_functions())
    swept = {p.values[0] for p in test_float16._sweep_cases()}
    assert {"softsign", "softsign_derivative"} <= swept  # (they fail there: no reference)
