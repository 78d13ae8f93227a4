"""Every public function on every float16 that is not NaN: all 63,490 of them (both zeros,
subnormals, +-65504, +-inf), within 1 ulp of the exactly rounded result, keeping the dtype,
without a warning.

The references are the table ``FLOAT16`` in ``tests/reference.py`` (float64 formulas other
than the module's own, checked here against mpmath on a few hundred points). A public function
without an entry there fails ``test_every_public_function_has_a_float16_reference``.

"Within 1 ulp" is measured on the float16 grid: with r the float64 reference rounded to
float16 (the exactly rounded result, see reference.py), the function's result must be r or one
of r's two neighbours; where r is +-inf or 0-vs-subnormal boundaries included, and +-inf must
be met exactly. The whole file runs in about a second.
"""

import warnings

import numpy as np
import pytest
import reference as ref

import activations_helpers as ah
from teaching.activations import helper_names, helpers

ALL_FLOAT16 = np.arange(2**16, dtype=np.uint16).view(np.float16)
EVERY_FLOAT16 = ALL_FLOAT16[~np.isnan(ALL_FLOAT16)]  # 63,490: finite ones, and +-inf
JACOBIAN_SAMPLE = EVERY_FLOAT16[::97]                # a vector function: one call per point


def public_functions():
    """Every function of the table of activations (teaching/activations.py), which holds every
    public function of the math module (tests/test_activation_table.py)."""
    return helper_names()


def test_every_float16_is_in_the_sweep():
    assert EVERY_FLOAT16.size == 63490
    assert np.isinf(EVERY_FLOAT16).sum() == 2
    assert {65504.0, -65504.0, 2.0**-24, 0.0} <= set(EVERY_FLOAT16.astype(float).tolist())


def test_every_public_function_has_a_float16_reference():
    missing = [name for name in public_functions() if name not in ref.FLOAT16]
    assert not missing, (
        f"no float16 reference for {missing}: add an entry to FLOAT16 in tests/reference.py "
        f"(the rule is at the top of the table)")


def ordinal(a):
    """float16 values as integers in the order of the float16 grid: neighbours differ by 1,
    +0 and -0 are both 0, and the largest finite float16 is next to inf."""
    bits = np.asarray(a, dtype=np.float16).view(np.uint16).astype(np.int32)
    return np.where(bits >= 0x8000, -(bits & 0x7FFF), bits)


def ulps_from_exactly_rounded(y, reference64):
    """How many float16 steps `y` (float16) is from the reference rounded to float16."""
    with np.errstate(over="ignore"):
        exact16 = np.asarray(reference64, dtype=np.float64).astype(np.float16)
    y = np.asarray(y)
    assert y.dtype == np.float16 and y.shape == exact16.shape
    np.testing.assert_array_equal(np.isnan(y), np.isnan(exact16))
    infinite = np.isinf(exact16) | np.isinf(y)
    np.testing.assert_array_equal(y[infinite], exact16[infinite])  # inf only where it belongs
    finite = ~infinite & ~np.isnan(exact16)
    return np.abs(ordinal(y[finite]) - ordinal(exact16[finite]))


def no_warning(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


def _label(params):
    return ", ".join(f"{k}={v}" for k, v in params.items()) or "defaults"


def _sweep_cases():
    """Every function of the table, with each parameter setting of its reference."""
    for name in public_functions():
        settings = ref.FLOAT16[name].params if name in ref.FLOAT16 else [{}]
        for params in settings:
            yield pytest.param(name, params, id=f"{name}({_label(params)})")


@pytest.mark.parametrize("name, params", list(_sweep_cases()))
def test_every_float16_within_one_ulp(name, params):
    assert name in ref.FLOAT16, f"no float16 reference for {name} in tests/reference.py"
    case = ref.FLOAT16[name]
    f = helpers()[name]
    if case.layout == "elementwise":
        y = no_warning(lambda: f(EVERY_FLOAT16, **params))
        expected = case.reference(EVERY_FLOAT16.astype(np.float64), **params)
        worst = ulps_from_exactly_rounded(y, expected).max()
    elif case.layout == "pairs":
        worst = 0
        for c in case.partners:
            pairs = np.stack([EVERY_FLOAT16, np.full_like(EVERY_FLOAT16, c)], axis=1)
            y = no_warning(lambda: f(pairs, **params))
            expected = case.reference(pairs.astype(np.float64), **params)
            worst = max(worst, ulps_from_exactly_rounded(y, expected).max())
    else:  # "jacobian": one vector [x, c] at a time
        worst = 0
        for c in case.partners:
            for v in JACOBIAN_SAMPLE:
                pair = np.array([v, c], dtype=np.float16)
                y = no_warning(lambda: f(pair, **params))
                expected = case.reference(pair.astype(np.float64), **params)
                worst = max(worst, ulps_from_exactly_rounded(y, expected).max())
    assert worst <= 1, f"{name}({_label(params)}): {worst} float16 ulp from the exact result"


# ----------------------------------------------------------------------------------------------
# The references themselves, against mpmath at 60 digits
# ----------------------------------------------------------------------------------------------

# A few hundred float16 values spread over the whole range, with the edges
SPOT = np.unique(np.concatenate([
    EVERY_FLOAT16[np.isfinite(EVERY_FLOAT16)][::211],
    np.array([0.0, 2.0**-24, -(2.0**-24), 1.0, -1.0, 0.5, 2.531, -17.0, 11.0, 20.0, 65504.0,
              -65504.0], dtype=np.float16),
]))


def _mp(value):
    """A parameter or an input as mpmath: floats exactly, a list by its first value."""
    if isinstance(value, (list, tuple, np.ndarray)):
        value = np.ravel(value)[0]
    return ref.MP.mpf(float(value))


def _close(reference64, exact):
    """float64 reference within 1e-12 relative of the mpmath value (or both below 1e-300)."""
    exact = ref.MP.mpf(exact)
    return abs(reference64 - exact) <= 1e-12 * abs(exact) + ref.MP.mpf("1e-300")


@pytest.mark.parametrize("name, params", list(_sweep_cases()))
def test_float64_reference_agrees_with_mpmath(name, params):
    case = ref.FLOAT16[name]
    mp_params = {k: _mp(v) for k, v in params.items()}
    points = SPOT.astype(np.float64)
    if case.layout == "elementwise":
        got = case.reference(points, **params)
        for v, r in zip(points, got):
            assert _close(r, case.exact(ref.MP.mpf(v), **mp_params)), (name, params, v)
    else:
        for c in case.partners:
            for v in points[:: 1 if case.layout == "pairs" else 8]:
                row = np.array([v, c])
                got = (case.reference(row[None, :], **params)[0] if case.layout == "pairs"
                       else case.reference(row, **params))
                exact = case.exact([ref.MP.mpf(v), ref.MP.mpf(c)], **mp_params)
                assert all(_close(r, e) for r, e in zip(np.ravel(got), np.ravel(exact))), (
                    name, params, v, c)
