"""Arithmetic in the input's dtype (issue 9, part 1): parameters at full precision, no overflow
in an intermediate when the answer is representable, float16 sums that do not overflow, one
rounding at the end, the dtype kept, no warning. Every value the issue lists is a test here;
the exhaustive float16 sweep is ``test_float16.py``.

Float32 is checked against mpmath (60 digits) on random and edge values, in float32 ulp.
"""

import math
import warnings

import numpy as np
import pytest
import reference as ref

import activations_helpers as ah

F16 = np.float16
F32 = np.finfo(np.float32)


def quietly(call):
    """call(), with every warning an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return call()


def same(y, expected, dtype):
    """y has `dtype` and equals `expected` rounded to `dtype`, bit for bit."""
    expected = np.asarray(expected, dtype=np.float64).astype(dtype)
    assert y.dtype == dtype
    np.testing.assert_array_equal(y, expected)


# ----------------------------------------------------------------------------------------------
# The values of issue 9
# ----------------------------------------------------------------------------------------------

def test_softmax_float16_temperature_beyond_float16_range():
    y = quietly(lambda: ah.softmax(np.array([-60000, 60000], F16), temperature=7e4))
    same(y, [0.1526, 0.8472], F16)
    # the exact values, for the record: 1 / (1 + e^(120000/70000)) and its complement
    s = 1 / (1 + math.exp(120000 / 70000))
    same(y, [s, 1 - s], F16)


def test_leaky_relu_float16_alpha_below_float16_range():
    y = quietly(lambda: ah.leaky_relu(np.array([np.inf, -np.inf, -60000], F16), alpha=1e-9))
    same(y, [np.inf, -np.inf, -6e-05], F16)


def test_leaky_relu_float16_product_beyond_alpha_range():
    y = quietly(lambda: ah.leaky_relu(np.array([-1e-3], F16), alpha=1e5))
    same(y, [-100.0625], F16)
    assert float(y[0]) == -100.0625
    # and prelu agrees, with alpha as one number and as a one-element list
    same(ah.prelu(np.array([-1e-3], F16), alpha=1e5), [-100.0625], F16)
    same(ah.prelu(np.array([-1e-3], F16), alpha=[1e5]), [-100.0625], F16)


def test_softmax_float16_small_probability():
    y = quietly(lambda: ah.softmax(np.array([2.2, 11.7], F16)))
    assert y[0] == F16(7.457e-05) and y.dtype == F16


def test_tanh_derivative_float16():
    y = quietly(lambda: ah.tanh_derivative(F16(2.531)))
    assert y == F16(0.025) and y.dtype == F16 and y.shape == ()


# ----------------------------------------------------------------------------------------------
# More of the same kind
# ----------------------------------------------------------------------------------------------

def test_float16_sums_do_not_overflow():
    """Summed in float16, 70000 ones would be inf and every probability 0."""
    x = np.zeros(70000, dtype=F16)
    y = quietly(lambda: ah.softmax(x, axis=None))
    same(y, np.full(70000, 1 / 70000), F16)
    y = quietly(lambda: ah.softmax(np.zeros((2, 40000), dtype=F16), axis=None))
    same(y, np.full((2, 40000), 1 / 80000), F16)


@pytest.mark.parametrize("x, alpha, expected", [
    pytest.param(-1e30, 1e-40, -1e-10, id="alpha-subnormal-in-float32"),
    pytest.param(-1e-30, 1e35, -1e5, id="alpha-beyond-1e30"),
    pytest.param(-2.0, 1e-45, -2e-45, id="alpha-below-float32"),
    pytest.param(-3e-39, 3e38, -0.9, id="alpha-near-float32-max"),
])
def test_float32_parameters_kept_at_full_precision(x, alpha, expected):
    x32 = np.array([x, 1.0], dtype=np.float32)
    exact = np.float64(x32[0]) * alpha   # the exact product of the float32 input and alpha
    for f in (ah.leaky_relu, ah.prelu):
        y = quietly(lambda: f(x32, alpha=alpha))
        same(y, [exact, 1.0], np.float32)
        assert y[0] == pytest.approx(expected, rel=1e-6)
    y = quietly(lambda: ah.prelu(x32, alpha=[alpha, 0.5]))   # one alpha per element of a 1-D x
    same(y, [exact, 1.0], np.float32)
    same(quietly(lambda: ah.leaky_relu_derivative(x32, alpha=alpha)), [alpha, 1.0], np.float32)


def test_float32_softmax_no_intermediate_overflow():
    """x - max overflows float32 here, but (x - max)/T = -6 is an ordinary exponent."""
    y = quietly(lambda: ah.softmax(np.array([-3e38, 3e38], np.float32), temperature=1e38))
    d = (float(np.float32(3e38)) - float(np.float32(-3e38))) / 1e38
    same(y, [1 / (1 + math.exp(d)), 1 / (1 + math.exp(-d))], np.float32)


def test_float32_temperature_below_float32_range():
    y = quietly(lambda: ah.softmax(np.array([0.0, 1e-44], np.float32), temperature=1e-45))
    s = 1 / (1 + math.exp(float(np.float32(1e-44)) / 1e-45))
    same(y, [s, 1 - s], np.float32)


def test_binary_step_threshold_is_exact_in_every_dtype():
    for dtype in (F16, np.float32, np.float64):
        x = np.array([0.7], dtype=dtype)
        assert ah.binary_step(x, threshold=0.7)[0] == float(float(x[0]) >= 0.7)
        below = np.nextafter(np.float64(float(x[0])), -np.inf)  # a threshold just below x
        assert ah.binary_step(x, threshold=below)[0] == 1.0


def test_float16_jacobian_and_temperature_beyond_float16():
    J = quietly(lambda: ah.softmax_jacobian(np.array([0, 1], F16), temperature=1e5))
    s = 1 / (1 + math.exp(1 / 1e5))
    q = s * (1 - s) / 1e5
    same(J, [[q, -q], [-q, q]], F16)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "sigmoid_derivative", "tanh_derivative",
                                  "softmax", "leaky_relu", "prelu"])
def test_float16_result_is_rounded_once_not_twice(name):
    """In float16 the old bodies rounded at every step; the values below, computed in float64
    and rounded once, are what a float16 caller now gets (spot check; the sweep does all)."""
    x = np.array([-9.99, -2.531, -0.1, 0.0, 0.3337, 2.531, 11.7], dtype=F16)
    y = getattr(ah, name)(x)
    y64 = getattr(ah, name)(x.astype(np.float64))
    same(y, y64, F16)


# ----------------------------------------------------------------------------------------------
# float32 within a few ulp of mpmath
# ----------------------------------------------------------------------------------------------

def ordinal32(a):
    bits = np.asarray(a, dtype=np.float32).view(np.uint32).astype(np.int64)
    return np.where(bits >= 0x80000000, -(bits & 0x7FFFFFFF), bits)


def ulps32(y, exact):
    """float32 steps between y and the exact values (mpmath numbers) rounded to float32."""
    with np.errstate(over="ignore"):  # beyond float32's range: inf, the rounded value
        e = np.array([float(v) for v in exact]).astype(np.float32)
    assert y.dtype == np.float32
    return np.abs(ordinal32(y) - ordinal32(e))


def float32_points():
    rng = np.random.default_rng(20261130)
    magnitudes = np.exp(rng.uniform(-80, 80, 100)) * rng.choice([-1, 1], 100)
    edges = [0.0, 1e-45, -1e-45, 1.2e-38, -1.2e-38, 0.5, -0.5, 87.3, -87.3, 88.7, -88.7, 89.5,
             -89.5, 103.0, -103.0, 104.0, -104.0, 178.0, -178.0, 3e38, -3e38,
             float(F32.max), -float(F32.max)]
    x = np.concatenate([rng.normal(scale=5, size=300), rng.uniform(-120, 120, 300), magnitudes,
                        edges])
    return x.astype(np.float32)


def _mp_tail(f, limit):
    """f at moderate |v|, its limit beyond |v| = 3000 (far below the smallest float32)."""
    return lambda v: f(v) if abs(v) < 3000 else limit(v)


EXACT32 = {
    "sigmoid": _mp_tail(lambda v: 1 / (1 + ref.MP.exp(-v)), lambda v: 1 if v > 0 else 0),
    "tanh": _mp_tail(ref.MP.tanh, lambda v: 1 if v > 0 else -1),
    "sigmoid_derivative": _mp_tail(lambda v: 1 / (4 * ref.MP.cosh(v / 2) ** 2), lambda v: 0),
    "tanh_derivative": _mp_tail(lambda v: 1 / ref.MP.cosh(v) ** 2, lambda v: 0),
}


@pytest.mark.parametrize("name", sorted(EXACT32))
def test_float32_within_a_few_ulp(name):
    """A few ulp: the formulas round 3 to 5 times in float32 (measured: at most 2 ulp for
    sigmoid and tanh, 5 for the derivatives)."""
    x = float32_points()
    y = quietly(lambda: getattr(ah, name)(x))
    exact = [EXACT32[name](ref.MP.mpf(float(v))) for v in x]
    assert ulps32(y, exact).max() <= 6


@pytest.mark.parametrize("alpha", [0.01, 0.3, 2.0, -0.5, 1e-9, 1e-40, 3e38])
def test_float32_leaky_relu_within_one_ulp(alpha):
    """alpha * x rounds once (twice when alpha is first rounded to float32): at most 1 ulp."""
    x = float32_points()
    exact = [ref.MP.mpf(float(v)) if v > 0 else ref.MP.mpf(alpha) * ref.MP.mpf(float(v))
             for v in x]
    for f in (ah.leaky_relu, ah.prelu):
        assert ulps32(quietly(lambda: f(x, alpha=alpha)), exact).max() <= 1


@pytest.mark.parametrize("temperature", [1.0, 0.5, 3.0])
def test_float32_softmax_error_grows_with_the_gap_to_the_max(temperature):
    """Documented in softmax: float32 is computed in float32, and rounding the exponent
    d = (max - x)/T, rounded twice (x - max, then / T), costs up to about 2d ulp in e^-d (d/2
    is typical), plus 3 for exp, the sum and the division.
    Widening float32 to float64 would make every probability exact to 1 ulp, at 2.5-3x the time
    of the plain formula."""
    rng = np.random.default_rng(7)
    rows = rng.normal(scale=6, size=(100, 8)).astype(np.float32)
    y = quietly(lambda: ah.softmax(rows, temperature=temperature))
    for row, y_row in zip(rows, y):
        exact = ref.softmax(row.astype(np.float64) / temperature)  # within one float64 rounding
        gap = (row.max() - row.astype(np.float64)) / temperature
        assert np.all(ulps32(y_row, exact) <= 3 + 2 * gap)
