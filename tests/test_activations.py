"""Unit and reference tests for the activations and derivatives in ``activations_helpers``.

What is checked here, and against what:

1. the values printed in the article (and the article's own naive formulas, to show where they
   overflow or give NaN while the helpers do not);
2. independent references: exact values from mpmath (expit, softmax, log_softmax; see
   ``tests/reference.py``), ``math.tanh``,
   central finite differences for every derivative and for the softmax Jacobian, and the
   analytic tails ``expit(x) * expit(-x)`` / ``4 * expit(2x) * expit(-2x)`` at extreme inputs,
   in float32 and float64 (float32 against a float64 reference);
4. NaN in -> NaN out, and the mathematical limits at +-inf;
5. the PyTorch kink conventions of the derivatives;
and the shape/dtype contract.

Properties (hypothesis) are in ``test_properties.py``, bad input in ``test_errors.py``.
"""

import ast
import contextlib
import inspect
import math
import re
import textwrap
import warnings

import numpy as np
import pytest
import reference as ref  # mpmath at 60 digits, named as in scipy.special (see reference.py)

import activations_helpers as ah
from teaching.activations import ACTIVATIONS

RNG_SEED = 20240611
F64 = np.finfo(np.float64)
F32 = np.finfo(np.float32)

# Every elementwise function of notebooks 01-03 (the table's rows taught before 04_modern) and
# their derivatives, called with their default parameters.
ELEMENTWISE = {helper.__name__: helper for row in ACTIVATIONS.values()
               if row.elementwise and row.taught_in != "04_modern" for helper in row.helpers}
# ... and softmax, which also keeps the shape and dtype of its input.
SHAPE_KEEPING = {**ELEMENTWISE, "softmax": ah.softmax}


@pytest.fixture
def rng():
    return np.random.default_rng(RNG_SEED)


@contextlib.contextmanager
def no_warnings():
    """Turn every warning into an error, whatever pytest's configuration says."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ----------------------------------------------------------------------------------------------
# 1. The article's printed values, and the article's own (naive) formulas
# ----------------------------------------------------------------------------------------------

VALUES = np.arange(-5, 6)


def article_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def article_tanh(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def article_softmax(x):
    return np.exp(x) / np.sum(np.exp(x))


def test_article_linear_and_binary_step():
    assert ah.linear(np.arange(-3, 4)).tolist() == [-3, -2, -1, 0, 1, 2, 3]
    assert ah.binary_step(np.arange(-3, 4)).tolist() == [0, 0, 0, 1, 1, 1, 1]


def test_article_sigmoid_three_decimals():
    expected = [0.007, 0.018, 0.047, 0.119, 0.269, 0.5, 0.731, 0.881, 0.953, 0.982, 0.993]
    assert np.round(ah.sigmoid(VALUES), 3).tolist() == expected


def test_article_sigmoid_two_decimal_print_also_matches():
    # The article's first print shows 2 decimals although its code rounds to 3; the helper
    # agrees with both prints.
    expected = [0.01, 0.02, 0.05, 0.12, 0.27, 0.5, 0.73, 0.88, 0.95, 0.98, 0.99]
    assert np.round(ah.sigmoid(VALUES), 2).tolist() == expected
    # and the 2-decimal print is not what rounding to 3 decimals gives (the article's mismatch)
    assert np.round(ah.sigmoid(VALUES), 3).tolist() != expected


def test_article_tanh():
    expected = [-1.0, -1.0, -1.0, -0.96, -0.76, 0.0, 0.76, 0.96, 1.0, 1.0, 1.0]
    assert np.round(ah.tanh(VALUES), 2).tolist() == expected


def test_article_relu():
    assert ah.relu(VALUES).tolist() == [0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5]


def test_article_leaky_relu():
    expected = [-0.05, -0.04, -0.03, -0.02, -0.01, 0.0, 1, 2, 3, 4, 5]
    np.testing.assert_allclose(ah.leaky_relu(VALUES), expected, rtol=0, atol=1e-12)


def test_article_softmax():
    expected = [0.0, 0.0, 0.0, 0.001, 0.002, 0.004, 0.012, 0.031, 0.086, 0.233, 0.632]
    assert np.round(ah.softmax(VALUES), 3).tolist() == expected


@pytest.mark.parametrize("name, article, helper", [
    ("sigmoid", article_sigmoid, ah.sigmoid),
    ("tanh", article_tanh, ah.tanh),
    ("softmax", article_softmax, ah.softmax),
])
def test_helpers_agree_with_article_formulas_where_those_work(name, article, helper):
    x = np.linspace(-20, 20, 81)
    np.testing.assert_allclose(helper(x), article(x), rtol=1e-13, atol=1e-300)


def test_article_sigmoid_overflows_where_helper_does_not():
    x = np.array([-1000.0, 0.0, 1000.0])
    with pytest.warns(RuntimeWarning, match="overflow"):
        article_sigmoid(x)
    with no_warnings():
        y = ah.sigmoid(x)
    assert y.tolist() == [0.0, 0.5, 1.0]


def test_article_tanh_is_nan_at_1000_helper_is_one():
    x = np.array([1000.0, -1000.0])
    with pytest.warns(RuntimeWarning) as record:
        naive = article_tanh(x)
    messages = " ".join(str(w.message) for w in record)
    assert "overflow" in messages and "invalid" in messages
    assert np.isnan(naive).all()
    with no_warnings():
        y = ah.tanh(x)
    assert y.tolist() == [1.0, -1.0]


def test_article_softmax_is_nan_for_large_scores_helper_is_not():
    x = np.array([1000.0, 1001.0, 1002.0])
    with pytest.warns(RuntimeWarning) as record:
        naive = article_softmax(x)
    messages = " ".join(str(w.message) for w in record)
    assert "overflow" in messages and "invalid" in messages
    assert np.isnan(naive).all()
    with no_warnings():
        y = ah.softmax(x)
    assert np.isfinite(y).all()
    assert math.isclose(y.sum(), 1.0, rel_tol=0, abs_tol=4 * F64.eps)
    # shift invariance: the same distribution as for [0, 1, 2], which the naive formula handles
    np.testing.assert_allclose(y, article_softmax(np.array([0.0, 1.0, 2.0])), rtol=1e-14)


# ----------------------------------------------------------------------------------------------
# 2a. Independent references for the activations
# ----------------------------------------------------------------------------------------------

def _test_points(rng):
    """Random moderate values plus the extremes; float64."""
    return np.concatenate([
        rng.normal(scale=10.0, size=500),
        rng.uniform(-800, 800, size=200),
        [0.0, -0.0, 1e-300, -1e-300, 5e-324, -5e-324, 30, -30, 36.8, -36.8, 700, -700,
         709.9, -709.9, 745, -745, 1e308, -1e308, F64.max, -F64.max, np.inf, -np.inf],
    ])


def test_sigmoid_matches_exact_expit(rng):
    x = _test_points(rng)
    y = ah.sigmoid(x)
    # below x = -708 the results are subnormal numbers, exp(x) (1 + exp(x) rounds to 1): the
    # helper keeps them, to within one step of the subnormal grid
    np.testing.assert_allclose(y, ref.expit(x), rtol=1e-14, atol=F64.smallest_subnormal)
    deep = x < -708
    assert deep.sum() > 10
    np.testing.assert_allclose(y[deep], np.exp(x[deep]), rtol=1e-14, atol=0)


@pytest.mark.parametrize("dtype, rtol, atol", [
    (np.float32, 1e-6, 4 * F32.smallest_subnormal),
    (np.float16, 2e-3, 2 * np.finfo(np.float16).smallest_subnormal),
])
def test_sigmoid_low_precision_matches_float64_reference(rng, dtype, rtol, atol):
    info = np.finfo(dtype)
    x = np.concatenate([rng.normal(scale=10.0, size=500),
                        [0, 30, -30, -87, -100, 103, info.max, -info.max, np.inf, -np.inf]])
    x = x[np.abs(x) <= info.max].astype(dtype)
    y = ah.sigmoid(x)
    assert y.dtype == dtype
    np.testing.assert_allclose(y, ref.expit(x.astype(np.float64)), rtol=rtol, atol=atol)


def test_tanh_matches_math_tanh_and_sigmoid_identity(rng):
    x = _test_points(rng)
    y = ah.tanh(x)
    np.testing.assert_allclose(y, [math.tanh(v) for v in x], rtol=2 * F64.eps, atol=0)
    np.testing.assert_array_equal(y, np.tanh(x))
    # tanh(x) = 2 sigmoid(2x) - 1, with the exact sigmoid (2x overflowing to inf is the right limit)
    with np.errstate(over="ignore"):
        via_expit = 2 * ref.expit(2 * x) - 1
    np.testing.assert_allclose(y, via_expit, rtol=0, atol=4 * F64.eps)


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 1e-6), (np.float16, 2e-3)])
def test_tanh_low_precision_matches_float64(rng, dtype, rtol):
    x = rng.normal(scale=3.0, size=500).astype(dtype)
    y = ah.tanh(x)
    assert y.dtype == dtype
    np.testing.assert_allclose(y, np.tanh(x.astype(np.float64)), rtol=rtol,
                               atol=np.finfo(dtype).smallest_subnormal)


def test_relu_family_match_elementwise_definitions(rng):
    x = _test_points(rng)
    np.testing.assert_array_equal(ah.relu(x), [max(v, 0.0) for v in x])
    for alpha in (0.01, 0.3, -0.5, 1.0):
        expected = [v if v > 0 else alpha * v for v in x.tolist()]
        np.testing.assert_array_equal(ah.leaky_relu(x, alpha=alpha), expected)
        np.testing.assert_array_equal(ah.prelu(x, alpha=alpha), expected)
    expected = [v if v > 0 else 0.25 * v for v in x.tolist()]
    np.testing.assert_array_equal(ah.prelu(x), expected)


def test_leaky_relu_alpha_above_one_moderate_values(rng):
    x = rng.normal(scale=100.0, size=300)
    np.testing.assert_allclose(ah.leaky_relu(x, alpha=3.0), np.where(x > 0, x, 3.0 * x),
                               rtol=0, atol=0)


def test_prelu_broadcast_alpha_per_channel(rng):
    x = rng.normal(size=(4, 5, 3))
    alpha = np.array([0.1, -0.2, 2.5, 0.0, 1.0])        # one per channel (axis 1, as in PyTorch)
    expected = np.where(x > 0, x, alpha[:, None] * x)
    np.testing.assert_allclose(ah.prelu(x, alpha=alpha), expected, rtol=1e-15)
    last = np.array([0.1, -0.2, 2.5])                   # one per index of the last axis
    np.testing.assert_allclose(ah.prelu(x, alpha=last.reshape(1, 1, 3)),
                               np.where(x > 0, x, last * x), rtol=1e-15)
    alpha2 = rng.uniform(-1, 3, size=(4, 1, 1))          # one per leading index
    np.testing.assert_allclose(ah.prelu(x, alpha=alpha2), np.where(x > 0, x, alpha2 * x),
                               rtol=1e-15)
    alpha_full = rng.uniform(-1, 3, size=x.shape)        # one per element
    np.testing.assert_allclose(ah.prelu(x, alpha=alpha_full),
                               np.where(x > 0, x, alpha_full * x), rtol=1e-15)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, None])
@pytest.mark.parametrize("temperature", [1.0, 0.25, 3.0])
def test_softmax_matches_exact_reference(rng, axis, temperature):
    x = rng.normal(scale=4.0, size=(3, 4, 5))
    y = ah.softmax(x, axis=axis, temperature=temperature)
    np.testing.assert_allclose(y, ref.softmax(x / temperature, axis=axis), rtol=1e-12, atol=0)


def test_softmax_default_axis_is_last(rng):
    x = rng.normal(size=(3, 4))
    np.testing.assert_allclose(ah.softmax(x), ref.softmax(x, axis=-1), rtol=1e-13)
    # and not the first axis (which would also be normalised but differently)
    assert not np.allclose(ah.softmax(x), ref.softmax(x, axis=0))


@pytest.mark.parametrize("axis", [0, -1, None])
def test_log_of_softmax_matches_exact_log_softmax(rng, axis):
    # wide spread so that some probabilities underflow; compare only where they do not
    x = rng.normal(scale=300.0, size=(6, 40))
    s = ah.softmax(x, axis=axis)
    log_s = ref.log_softmax(x, axis=axis)
    ok = s > 1e-300
    assert ok.sum() > 10 and (~ok).sum() > 10
    np.testing.assert_allclose(np.log(s[ok]), log_s[ok], rtol=1e-12, atol=1e-12)
    # where the helper gives 0 the true probability really is below the smallest float
    assert np.all(log_s[s == 0] < np.log(F64.smallest_subnormal) + 1)


# (x - max) is rounded in x's dtype, so the exponent carries an error of ~|x - max| * eps / T
@pytest.mark.parametrize("dtype, rtol", [(np.float32, 5e-6), (np.float16, 1.5e-2)])
def test_softmax_low_precision_matches_float64(rng, dtype, rtol):
    x = rng.normal(scale=2.0, size=(5, 7)).astype(dtype)
    y = ah.softmax(x, axis=0, temperature=0.5)
    assert y.dtype == dtype
    np.testing.assert_allclose(y, ref.softmax(x.astype(np.float64) / 0.5, axis=0), rtol=rtol,
                               atol=np.finfo(dtype).smallest_subnormal * 4)


# ----------------------------------------------------------------------------------------------
# 2b. Finite differences for every derivative
# ----------------------------------------------------------------------------------------------

def central_difference(f, x, rel_step=1e-6):
    """Central difference of an elementwise f at float64 points x, and its rounding error bound.

    The step is h = rel_step * max(1, |x|); the denominator is the spacing actually used,
    (x + h) - (x - h), so the rounding of x +- h does not bias the quotient.
    """
    x = np.asarray(x, dtype=np.float64)
    h = rel_step * np.maximum(1.0, np.abs(x))
    xp, xm = x + h, x - h
    fp, fm = f(xp), f(xm)
    step = xp - xm
    fd = (fp - fm) / step
    rounding = 8 * F64.eps * (np.abs(fp) + np.abs(fm)) / step
    return fd, rounding, h


def assert_matches_fd(derivative, fd, rounding, rtol=1e-6, informative=1e-4):
    """|derivative - fd| <= rtol |fd| + rounding, and the test is sharp (rounding is small)."""
    derivative = np.asarray(derivative, dtype=np.float64)
    # The rounding allowance must be tiny next to the derivative itself, or a wrong formula
    # could hide in it (derivatives that are exactly 0 are compared with atol=rounding only).
    nonzero = fd != 0
    assert np.all(rounding[nonzero] <= informative * np.abs(fd[nonzero]))
    err = np.abs(derivative - fd)
    bad = err > rtol * np.abs(fd) + rounding
    assert not bad.any(), (
        f"{bad.sum()} mismatches, e.g. derivative={derivative[bad][:5]} fd={fd[bad][:5]}")


def _away_from(x, kink, h_factor=100):
    """Drop points within h_factor steps of a kink."""
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    return x[np.abs(x - kink) > h_factor * h]


def test_sigmoid_derivative_finite_differences(rng):
    x = np.concatenate([rng.uniform(-10, 10, 300),
                        rng.uniform(-700, -30, 100),        # left tail: sigmoid itself is tiny
                        [-700.0, -300.0, -30.0, 0.0]])
    fd, rounding, _ = central_difference(ah.sigmoid, x)
    assert_matches_fd(ah.sigmoid_derivative(x), fd, rounding)


def test_tanh_derivative_finite_differences(rng):
    x = np.concatenate([rng.uniform(-6, 6, 300), [0.0, 1.0, -1.0, 5.0]])
    fd, rounding, _ = central_difference(ah.tanh, x)
    assert_matches_fd(ah.tanh_derivative(x), fd, rounding)


def test_relu_derivative_finite_differences(rng):
    x = _away_from(rng.uniform(-50, 50, 400), 0.0)
    fd, rounding, _ = central_difference(ah.relu, x)
    assert_matches_fd(ah.relu_derivative(x), fd, rounding)


@pytest.mark.parametrize("alpha", [0.01, 0.3, -0.7, 1.0, 2.5, 0.0])
def test_leaky_relu_derivative_finite_differences(rng, alpha):
    x = _away_from(rng.uniform(-50, 50, 400), 0.0)
    fd, rounding, _ = central_difference(lambda v: ah.leaky_relu(v, alpha=alpha), x)
    assert_matches_fd(ah.leaky_relu_derivative(x, alpha=alpha), fd, rounding)


@pytest.mark.parametrize("alpha", [0.25, -0.4, 3.0])
def test_prelu_derivative_finite_differences_scalar_alpha(rng, alpha):
    x = _away_from(rng.uniform(-50, 50, 400), 0.0)
    fd, rounding, _ = central_difference(lambda v: ah.prelu(v, alpha=alpha), x)
    assert_matches_fd(ah.prelu_derivative(x, alpha=alpha), fd, rounding)


def test_prelu_derivative_finite_differences_default_and_array_alpha(rng):
    x = _away_from(rng.uniform(-50, 50, 400), 0.0)
    fd, rounding, _ = central_difference(ah.prelu, x)
    assert_matches_fd(ah.prelu_derivative(x), fd, rounding)

    x = rng.uniform(-50, 50, size=(40, 3))
    x[np.abs(x) < 1e-3] = 1.0
    alpha = np.array([0.05, -0.5, 2.0])
    fd, rounding, _ = central_difference(lambda v: ah.prelu(v, alpha=alpha), x)
    assert_matches_fd(ah.prelu_derivative(x, alpha=alpha), fd, rounding)


def _alpha_difference(x, alpha, rel_step=1e-6):
    """Central difference of prelu(x, alpha) with respect to alpha (perturbing alpha)."""
    alpha = np.asarray(alpha, dtype=np.float64)
    h = rel_step * np.maximum(1.0, np.abs(alpha))
    ap, am = alpha + h, alpha - h
    yp, ym = ah.prelu(x, alpha=ap), ah.prelu(x, alpha=am)
    step = ap - am
    fd = (yp - ym) / step
    rounding = 8 * F64.eps * (np.abs(yp) + np.abs(ym)) / step
    return fd, rounding


@pytest.mark.parametrize("alpha", [0.25, 0.0, -0.6, 1.0, 4.0])
def test_prelu_alpha_derivative_perturbing_scalar_alpha(rng, alpha):
    x = np.concatenate([rng.uniform(-50, 50, 300), [0.0, -0.0, -1e-3, 1e-3]])
    fd, rounding = _alpha_difference(x, alpha)
    d = ah.prelu_alpha_derivative(x, alpha=alpha)
    assert_matches_fd(d, fd, rounding)
    assert (d[x > 0] == 0).all()


def test_prelu_alpha_derivative_perturbing_array_alpha(rng):
    # each output depends only on its own alpha, so perturbing them all at once gives the
    # elementwise dy_i/dalpha_i
    x = rng.uniform(-50, 50, size=(30, 4))
    alpha = rng.uniform(-2, 3, size=(30, 4))
    fd, rounding = _alpha_difference(x, alpha)
    assert_matches_fd(ah.prelu_alpha_derivative(x, alpha=alpha), fd, rounding)
    # per-channel alpha
    alpha_c = np.array([0.1, 0.5, -1.0, 2.0])
    fd, rounding = _alpha_difference(x, alpha_c)
    assert_matches_fd(ah.prelu_alpha_derivative(x, alpha=alpha_c), fd, rounding)


def test_linear_derivative_finite_differences(rng):
    x = rng.uniform(-1e3, 1e3, 300)
    fd, rounding, _ = central_difference(ah.linear, x)
    assert_matches_fd(ah.linear_derivative(x), fd, rounding)


@pytest.mark.parametrize("threshold", [0.0, 0.7, -3.0])
def test_binary_step_derivative_finite_differences_away_from_jump(rng, threshold):
    x = _away_from(rng.uniform(-20, 20, 300), threshold)
    fd, rounding, _ = central_difference(lambda v: ah.binary_step(v, threshold=threshold), x)
    assert (fd == 0).all()
    assert_matches_fd(ah.binary_step_derivative(x, threshold=threshold), fd, rounding)


def test_binary_step_finite_difference_blows_up_across_the_jump():
    # sanity check of the finite-difference helper: across the jump it is 1/(2h), not 0
    fd, _, h = central_difference(ah.binary_step, np.array([0.0]))
    np.testing.assert_allclose(fd, 1 / (2 * h), rtol=1e-9)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
@pytest.mark.parametrize("temperature", [1.0, 0.5, 4.0])
def test_softmax_jacobian_finite_differences(rng, n, temperature):
    x = rng.normal(scale=2.0, size=n)
    J = ah.softmax_jacobian(x, temperature=temperature)
    assert J.shape == (n, n)
    for j in range(n):  # column j: d softmax / d x_j
        h = 1e-6 * max(1.0, abs(x[j]))
        xp, xm = x.copy(), x.copy()
        xp[j] += h
        xm[j] -= h
        sp = ah.softmax(xp, temperature=temperature)
        sm = ah.softmax(xm, temperature=temperature)
        step = xp[j] - xm[j]
        fd = (sp - sm) / step
        rounding = 8 * F64.eps * (np.abs(sp) + np.abs(sm)) / step
        err = np.abs(J[:, j] - fd)
        assert np.all(err <= 1e-6 * np.abs(fd) + rounding + 1e-12), (j, J[:, j], fd)


def test_softmax_jacobian_hand_computed():
    # s = softmax([0, ln 3]) = [1/4, 3/4]: J = diag(s) - s s^T = 3/16 * [[1, -1], [-1, 1]]
    J = ah.softmax_jacobian([0.0, np.log(3.0)])
    np.testing.assert_allclose(J, [[3 / 16, -3 / 16], [-3 / 16, 3 / 16]], rtol=1e-14)
    # with T = 2 the scores are halved (s = softmax([0, ln 3 / 2])) and J is divided by 2
    s = ref.softmax(np.array([0.0, np.log(3.0) / 2]))
    J2 = ah.softmax_jacobian([0.0, np.log(3.0)], temperature=2.0)
    np.testing.assert_allclose(J2, s[0] * s[1] / 2 * np.array([[1, -1], [-1, 1]]), rtol=1e-14)
    np.testing.assert_allclose(ah.softmax_jacobian([0.0, 0.0]), [[0.25, -0.25], [-0.25, 0.25]])


# ----------------------------------------------------------------------------------------------
# 2c. Extreme inputs: analytic references and tail accuracy, float64 and float32
# ----------------------------------------------------------------------------------------------

EXTREMES64 = np.array([0.0, 1.0, -1.0, 20.0, -20.0, 30.0, -30.0, 40.0, -40.0, 100.0, -100.0,
                       354.0, -354.0, 700.0, -700.0, 745.0, -745.0, 1e308, -1e308,
                       np.inf, -np.inf])
EXTREMES32 = np.array([0.0, 1.0, -1.0, 20.0, -20.0, 30.0, -30.0, 43.0, -43.0, 87.0, -87.0,
                       100.0, -100.0, 3e38, -3e38, np.inf, -np.inf], dtype=np.float32)


def sigmoid_derivative_reference(x):
    x = np.asarray(x, dtype=np.float64)
    return ref.expit(x) * ref.expit(-x)


def tanh_derivative_reference(x):
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(over="ignore"):  # 2x = +-inf for |x| near 1e308: the right limit
        return 4 * ref.expit(2 * x) * ref.expit(-2 * x)


def test_sigmoid_tail_accuracy():
    y = ah.sigmoid(-700.0)
    assert math.isclose(y, math.exp(-700), rel_tol=1e-12)
    assert math.isclose(y, 9.86e-305, rel_tol=1e-3)
    x = np.linspace(-708, -37, 200)  # left tail, still normal floats
    np.testing.assert_allclose(ah.sigmoid(x), np.exp(x), rtol=1e-12, atol=0)
    # right tail: 1 - sigmoid(x) = sigmoid(-x) is tiny, sigmoid(x) rounds to 1
    assert ah.sigmoid(40.0) == 1.0


@pytest.mark.parametrize("x", EXTREMES64.tolist())
def test_sigmoid_derivative_extremes_float64(x):
    d = ah.sigmoid_derivative(x)
    ref = sigmoid_derivative_reference(x)
    assert math.isclose(d, ref, rel_tol=1e-12, abs_tol=4 * F64.smallest_subnormal), (x, d, ref)


@pytest.mark.parametrize("x", EXTREMES64.tolist())
def test_tanh_derivative_extremes_float64(x):
    d = ah.tanh_derivative(x)
    ref = tanh_derivative_reference(x)
    assert math.isclose(d, ref, rel_tol=1e-12, abs_tol=4 * F64.smallest_subnormal), (x, d, ref)


def test_derivative_tails_beat_the_textbook_formulas():
    x = np.array([40.0, -40.0, 300.0])
    s = ref.expit(x)
    assert (s * (1 - s))[0] == 0.0                        # textbook s(1-s) underflows at x=40
    np.testing.assert_allclose(ah.sigmoid_derivative(x), sigmoid_derivative_reference(x),
                               rtol=1e-12)
    assert ah.sigmoid_derivative(40.0) > 4e-18
    t = np.tanh(np.array([20.0, 200.0]))
    assert (1 - t**2)[1] == 0.0                           # textbook 1 - tanh^2 rounds to 0
    np.testing.assert_allclose(ah.tanh_derivative([20.0, 200.0]),
                               tanh_derivative_reference([20.0, 200.0]), rtol=1e-12)
    assert ah.tanh_derivative(200.0) > 1e-174


def test_derivative_tails_random_float64(rng):
    x = np.concatenate([rng.uniform(-708, 708, 500), rng.normal(scale=5, size=200)])
    np.testing.assert_allclose(ah.sigmoid_derivative(x), sigmoid_derivative_reference(x),
                               rtol=1e-12, atol=0)
    xt = x[np.abs(x) < 354]   # beyond, tanh' is subnormal
    np.testing.assert_allclose(ah.tanh_derivative(xt), tanh_derivative_reference(xt),
                               rtol=1e-12, atol=0)


@pytest.mark.parametrize("name, reference", [
    ("sigmoid", ref.expit),
    ("tanh", np.tanh),
    ("sigmoid_derivative", sigmoid_derivative_reference),
    ("tanh_derivative", tanh_derivative_reference),
])
def test_float32_matches_float64_reference(rng, name, reference):
    x = np.concatenate([rng.uniform(-60, 60, 400).astype(np.float32), EXTREMES32])
    y = getattr(ah, name)(x)
    assert y.dtype == np.float32
    ref = reference(x.astype(np.float64))
    np.testing.assert_allclose(y, ref, rtol=1e-6, atol=8 * F32.smallest_subnormal)


@pytest.mark.parametrize("name, reference", [
    ("sigmoid_derivative", sigmoid_derivative_reference),
    ("tanh_derivative", tanh_derivative_reference),
])
def test_float16_derivatives_match_float64_reference(rng, name, reference):
    x = rng.uniform(-12, 12, 400).astype(np.float16)
    y = getattr(ah, name)(x)
    assert y.dtype == np.float16
    ref = reference(x.astype(np.float64))
    np.testing.assert_allclose(y, ref, rtol=5e-3, atol=4 * np.finfo(np.float16).smallest_subnormal)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_piecewise_derivatives_float32_float64(rng, dtype):
    x = np.concatenate([rng.uniform(-50, 50, 200), [np.inf, -np.inf, 1e30, -1e30]]).astype(dtype)
    ones = np.ones_like(x)
    np.testing.assert_array_equal(ah.relu_derivative(x), np.where(x > 0, 1.0, 0.0))
    np.testing.assert_array_equal(ah.leaky_relu_derivative(x, alpha=0.2),
                                  np.where(x > 0, 1.0, dtype(0.2)))
    np.testing.assert_array_equal(ah.prelu_derivative(x), np.where(x > 0, 1.0, dtype(0.25)))
    np.testing.assert_array_equal(ah.linear_derivative(x), ones)
    np.testing.assert_array_equal(ah.binary_step_derivative(x), 0 * ones)
    np.testing.assert_array_equal(ah.prelu_alpha_derivative(x), np.minimum(x, 0))
    for f in (ah.relu_derivative, ah.leaky_relu_derivative, ah.prelu_derivative,
              ah.linear_derivative, ah.binary_step_derivative, ah.prelu_alpha_derivative):
        assert f(x).dtype == dtype


def test_softmax_jacobian_float32_matches_float64(rng):
    x = rng.normal(scale=3, size=7)
    J32 = ah.softmax_jacobian(x.astype(np.float32), temperature=0.5)
    assert J32.dtype == np.float32
    J64 = ah.softmax_jacobian(x.astype(np.float32).astype(np.float64), temperature=0.5)
    np.testing.assert_allclose(J32, J64, rtol=1e-5, atol=1e-7)


def test_softmax_jacobian_extreme_inputs():
    # shift invariance holds for the Jacobian too, and large scores do not break it
    np.testing.assert_allclose(ah.softmax_jacobian([1000.0, 1001.0, 1002.0]),
                               ah.softmax_jacobian([0.0, 1.0, 2.0]), rtol=1e-12, atol=1e-15)
    # a one-hot softmax (infinite or huge gaps) has a zero Jacobian
    for x in ([np.inf, 1.0, 2.0], [-1e308, 1e308], [0.0, -1e4]):
        J = ah.softmax_jacobian(x)
        np.testing.assert_array_equal(J, np.zeros((len(x), len(x))))


# ----------------------------------------------------------------------------------------------
# 4. NaN and +-inf
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_nan_in_nan_out_elementwise(name, dtype):
    x = np.array([-2.0, np.nan, 0.0, 3.0, np.inf, -np.inf, np.nan], dtype=dtype)
    y = ELEMENTWISE[name](x)
    np.testing.assert_array_equal(np.isnan(y), np.isnan(x))


@pytest.mark.parametrize("name", ["leaky_relu", "leaky_relu_derivative"])
@pytest.mark.parametrize("alpha", [0.0, 1.0, 2.0, -0.5])
def test_nan_in_nan_out_for_any_alpha(name, alpha):
    x = np.array([-2.0, np.nan, 3.0])
    leaky, prelu = getattr(ah, name), getattr(ah, name.replace("leaky_relu", "prelu"))
    for y in (leaky(x, alpha=alpha), prelu(x, alpha=alpha), prelu(x, alpha=np.full(3, alpha))):
        np.testing.assert_array_equal(np.isnan(y), [False, True, False])


@pytest.mark.parametrize("threshold", [0.0, 1.0])
def test_nan_in_nan_out_binary_step_with_threshold(threshold):
    for f in (ah.binary_step, ah.binary_step_derivative):
        y = f([np.nan, 5.0, -5.0], threshold=threshold)
        assert np.isnan(y[0]) and not np.isnan(y[1:]).any()


def test_softmax_nan_poisons_its_whole_slice_only():
    """Documented behaviour: one NaN makes the whole slice along `axis` NaN (the normaliser is
    NaN); the other slices are unaffected."""
    x = np.array([[1.0, np.nan, 2.0], [1.0, 2.0, 3.0]])
    y = ah.softmax(x)                        # along the last axis: row 0 is NaN
    assert np.isnan(y[0]).all()
    np.testing.assert_allclose(y[1], ref.softmax(x[1]), rtol=1e-14)
    y0 = ah.softmax(x, axis=0)               # along axis 0: column 1 is NaN
    assert np.isnan(y0[:, 1]).all()
    assert not np.isnan(y0[:, [0, 2]]).any()
    assert np.isnan(ah.softmax(x, axis=None)).all()
    assert np.isnan(ah.softmax(np.nan)).all()


def test_softmax_jacobian_nan_gives_all_nan():
    """Documented behaviour: every entry depends on every score, so one NaN spreads to all."""
    assert np.isnan(ah.softmax_jacobian([1.0, np.nan, 2.0])).all()


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_infinity_limits_activations(dtype):
    x = np.array([-np.inf, np.inf], dtype=dtype)
    assert ah.sigmoid(x).tolist() == [0.0, 1.0]
    assert ah.tanh(x).tolist() == [-1.0, 1.0]
    assert ah.relu(x).tolist() == [0.0, np.inf]
    assert ah.leaky_relu(x).tolist() == [-np.inf, np.inf]
    assert ah.leaky_relu(x, alpha=-0.5).tolist() == [np.inf, np.inf]
    assert ah.leaky_relu(x, alpha=0.0).tolist() == [0.0, np.inf]
    assert ah.prelu(x).tolist() == [-np.inf, np.inf]
    assert ah.prelu(x, alpha=0.0).tolist() == [0.0, np.inf]
    assert ah.prelu(x, alpha=np.array([0.0, 0.0])).tolist() == [0.0, np.inf]
    assert ah.prelu(x, alpha=np.array([2.0, 2.0])).tolist() == [-np.inf, np.inf]
    assert ah.linear(x).tolist() == [-np.inf, np.inf]
    assert ah.binary_step(x).tolist() == [0.0, 1.0]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_infinity_limits_derivatives(dtype):
    x = np.array([-np.inf, np.inf], dtype=dtype)
    assert ah.sigmoid_derivative(x).tolist() == [0.0, 0.0]
    assert ah.tanh_derivative(x).tolist() == [0.0, 0.0]
    assert ah.relu_derivative(x).tolist() == [0.0, 1.0]
    assert ah.leaky_relu_derivative(x, alpha=0.5).tolist() == [0.5, 1.0]
    assert ah.prelu_derivative(x, alpha=0.5).tolist() == [0.5, 1.0]
    assert ah.prelu_derivative(x, alpha=np.array([0.5, 0.5])).tolist() == [0.5, 1.0]
    assert ah.linear_derivative(x).tolist() == [1.0, 1.0]
    assert ah.binary_step_derivative(x).tolist() == [0.0, 0.0]
    assert ah.prelu_alpha_derivative(x).tolist() == [-np.inf, 0.0]


def test_softmax_with_infinities():
    np.testing.assert_array_equal(ah.softmax([np.inf, 1.0, 2.0]), [1.0, 0.0, 0.0])
    np.testing.assert_allclose(ah.softmax([3.0, -np.inf, 2.0]),
                               ref.softmax([3.0, -np.inf, 2.0]), rtol=1e-15)
    assert ah.softmax([3.0, -np.inf, 2.0])[1] == 0.0
    np.testing.assert_array_equal(ah.softmax([[-np.inf, np.inf], [0.0, np.inf]], axis=0),
                                  [[0.0, 0.5], [1.0, 0.5]])
    # several +inf: finite, sums to 1, nothing on the finite scores
    y = ah.softmax([np.inf, 0.0, np.inf])
    assert np.isfinite(y).all() and y[1] == 0.0 and math.isclose(y.sum(), 1.0)
    # huge finite gaps behave like the limit
    np.testing.assert_array_equal(ah.softmax([-1e308, 1e308]), [0.0, 1.0])
    np.testing.assert_array_equal(ah.softmax([1e308, 1e308]), [0.5, 0.5])


# ----------------------------------------------------------------------------------------------
# 5. Kink conventions (PyTorch autograd) and the step's threshold
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("zero", [0.0, -0.0, 0])
def test_kink_conventions(zero):
    assert ah.relu_derivative(zero) == 0.0
    assert ah.leaky_relu_derivative(zero) == 0.01
    assert ah.leaky_relu_derivative(zero, alpha=0.2) == 0.2
    assert ah.prelu_derivative(zero) == 0.25
    assert ah.prelu_derivative(zero, alpha=-0.3) == -0.3
    assert ah.prelu_derivative([zero, zero], alpha=np.array([0.1, 0.7])).tolist() == [0.1, 0.7]
    assert ah.prelu_alpha_derivative(zero) == 0.0
    assert ah.binary_step(zero) == 1.0
    assert ah.binary_step_derivative(zero) == 0.0
    assert ah.sigmoid_derivative(zero) == 0.25
    assert ah.tanh_derivative(zero) == 1.0
    assert ah.linear_derivative(zero) == 1.0


def test_derivatives_just_either_side_of_the_kink():
    tiny = np.array([-5e-324, 5e-324])
    assert ah.relu_derivative(tiny).tolist() == [0.0, 1.0]
    assert ah.leaky_relu_derivative(tiny, alpha=0.3).tolist() == [0.3, 1.0]
    assert ah.prelu_derivative(tiny).tolist() == [0.25, 1.0]


@pytest.mark.parametrize("threshold", [0.0, 0.5, -2.0, 1e300])
def test_binary_step_threshold_and_zero_derivative_everywhere(threshold):
    below = np.nextafter(threshold, -np.inf)
    above = np.nextafter(threshold, np.inf)
    assert ah.binary_step([below, threshold, above], threshold=threshold).tolist() == [0, 1, 1]
    x = np.array([below, threshold, above, -1e308, 1e308, -np.inf, np.inf])
    assert (ah.binary_step_derivative(x, threshold=threshold) == 0).all()


def test_binary_step_threshold_exact_for_threshold_not_representable_in_x_dtype():
    """float32(0.7) = 0.69999998807... < 0.7, so the step must be 0 there."""
    x = np.float32(0.7)
    assert float(x) < 0.7
    assert ah.binary_step(np.float64(x), threshold=0.7) == 0.0   # the float64 path is right
    assert ah.binary_step(x, threshold=0.7) == 0.0   # not rounded to float32 first
    assert ah.binary_step(np.float16(0.7), threshold=0.7) == float(np.float16(0.7) >= 0.7)


# ----------------------------------------------------------------------------------------------
# Shapes, dtypes, and not modifying the input
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SHAPE_KEEPING))
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1,), (4,), (2, 3), (2, 1, 3)])
def test_shape_and_float_dtype_kept(name, dtype, shape):
    x = np.linspace(-3, 3, math.prod(shape)).reshape(shape).astype(dtype)
    y = SHAPE_KEEPING[name](x)
    assert type(y) is np.ndarray
    assert y.shape == shape and y.dtype == dtype


@pytest.mark.parametrize("name", sorted(SHAPE_KEEPING))
@pytest.mark.parametrize("x", [
    np.array([[-2, 0, 3]], dtype=np.int8), np.array([1, 2], dtype=np.uint16),
    np.array([-5, 7], dtype=np.int64), np.array([True, False]), [[1, 2], [3, 4]], [0.5, -1],
])
def test_integers_bools_and_lists_become_float64(name, x):
    y = SHAPE_KEEPING[name](x)
    assert type(y) is np.ndarray
    assert y.dtype == np.float64 and y.shape == np.shape(x)
    np.testing.assert_array_equal(y, SHAPE_KEEPING[name](np.asarray(x, dtype=np.float64)))


SCALARS = [2, -1.5, True, np.float32(-0.5), np.float16(1.0), np.int32(-3), np.float64(0.0)]


def _scalar_dtype(v):
    return np.asarray(v).dtype if np.asarray(v).dtype.kind == "f" else np.dtype(np.float64)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize("v", SCALARS, ids=repr)
def test_scalars_give_0d_arrays(name, v):
    y = ELEMENTWISE[name](v)
    assert type(y) is np.ndarray and y.shape == () and y.dtype == _scalar_dtype(v)


@pytest.mark.parametrize("v", SCALARS, ids=repr)
def test_softmax_of_scalar_is_0d_one(v):
    y = ah.softmax(v)
    assert type(y) is np.ndarray and y.dtype == _scalar_dtype(v)
    assert y.shape == () and y == 1.0


@pytest.mark.parametrize("name", sorted(SHAPE_KEEPING))
def test_input_not_modified(name):
    x = np.array([-2.0, -0.0, 0.5, np.inf, np.nan])
    before = x.copy()
    y = SHAPE_KEEPING[name](x)
    np.testing.assert_array_equal(x, before)
    assert not np.shares_memory(x, y)


def test_softmax_jacobian_shape_and_dtype():
    for dtype in (np.float16, np.float32, np.float64):
        J = ah.softmax_jacobian(np.arange(4).astype(dtype))
        assert J.shape == (4, 4) and J.dtype == dtype
    J = ah.softmax_jacobian([1, 2, 3])
    assert J.dtype == np.float64 and J.shape == (3, 3)


def test_the_exact_reference_itself():
    """The oracle the tests above trust, checked against values known in closed form."""
    assert ref.expit(0.0) == 0.5
    assert ref.expit(-745.0) == 5e-324 and ref.expit(-746.0) == 0.0   # e^-745 is subnormal
    # np.log(3.0) is rounded, so these are 3/4 and (1/4, 3/4) to within a rounding
    assert ref.expit(np.log(3.0)) == pytest.approx(0.75, rel=2 * F64.eps)
    np.testing.assert_allclose(ref.softmax([0.0, np.log(3.0)]), [0.25, 0.75], rtol=2 * F64.eps)
    e = math.e
    np.testing.assert_allclose(ref.softmax([1000.0, 1001.0, 1002.0]),
                               [1 / (1 + e + e * e), e / (1 + e + e * e), e * e / (1 + e + e * e)],
                               rtol=2 * F64.eps)
    assert ref.softmax([[1.0, 2.0], [3.0, 4.0]]).sum() == pytest.approx(1.0)     # axis=None
    np.testing.assert_allclose(ref.softmax([[1.0, 2.0], [3.0, 4.0]], axis=0).sum(axis=0), 1.0)
    np.testing.assert_array_equal(ref.softmax([np.inf, 1.0, np.inf]), [0.5, 0.0, 0.5])
    assert np.isnan(ref.softmax([np.nan, 1.0])).all()
    np.testing.assert_allclose(np.exp(ref.log_softmax([1.0, 2.0, 5.0])),
                               ref.softmax([1.0, 2.0, 5.0]), rtol=2 * F64.eps)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_derivatives_never_round_above_their_maximum(dtype):
    """Found by hypothesis: near 0, z / (1 + z)^2 rounded one step above 0.25 (in every dtype;
    sigmoid'(6.1035156e-05) was 0.25000003 in float32). The true maxima are 0.25 and 1."""
    near_zero = np.concatenate([np.linspace(-0.05, 0.05, 20001), np.logspace(-12, -1, 2000),
                                -np.logspace(-12, -1, 2000), [6.1035156e-05]]).astype(dtype)
    assert ah.sigmoid_derivative(near_zero).max() <= 0.25
    assert ah.tanh_derivative(near_zero).max() <= 1.0
    assert ah.sigmoid_derivative(dtype(0)) == 0.25 and ah.tanh_derivative(dtype(0)) == 1.0


# ----------------------------------------------------------------------------------------------
# The bodies show_code puts on screen read as their formulas (issue 8)
# ----------------------------------------------------------------------------------------------

def _shown_body(func):
    """The source show_code shows, without the decorator, signature and docstring."""
    lines = textwrap.dedent(inspect.getsource(func)).splitlines()
    definition = ast.parse("\n".join(lines)).body[0]
    first = definition.body[0]
    start = first.end_lineno if isinstance(first, ast.Expr) and isinstance(
        first.value, ast.Constant) else first.lineno - 1
    return "\n".join(lines[start:]), ast.Module(body=definition.body, type_ignores=[])


@pytest.mark.parametrize("name", [n for n in ah.__all__ if callable(getattr(ah, n))])
def test_shown_body_has_no_in_place_tricks_or_speed_talk(name):
    text, tree = _shown_body(getattr(ah, name))
    assert not re.search(r"\b(out|where)\s*=", text), "out=/where= in the body"
    assert not any(isinstance(node, ast.AugAssign) for node in ast.walk(tree)), "in-place +="
    assert not re.search(r"#.*(\d\s*%|\bfaster\b|\bslower\b|\bbenchmark)", text, re.I), (
        "a comment about speed")


# ----------------------------------------------------------------------------------------------
# Faults from public reports, and the input policy's promises (issue 17)
# ----------------------------------------------------------------------------------------------

def test_softmax_of_scores_whose_difference_overflows():
    """x - max overflowed before the division by T: [1e308, -1e308] at T = 1e308 gave [1, 0].
    The exponents are (x - max) / T = [0, -2], so the answer is sigmoid(2), sigmoid(-2)."""
    got = ah.softmax([1e308, -1e308], temperature=1e308)
    np.testing.assert_allclose(got, [0.8807970779778823, 0.11920292202211755], rtol=1e-15)
    got = ah.softmax([F64.max, -F64.max, 0.0], temperature=F64.max)
    want = np.exp([0.0, -2.0, -1.0]) / np.exp([0.0, -2.0, -1.0]).sum()
    np.testing.assert_allclose(got, want, rtol=1e-15)
    got32 = ah.softmax(np.array([3e38, -3e38], dtype=np.float32), temperature=3e38)
    assert got32.dtype == np.float32
    np.testing.assert_allclose(got32, [0.8807971, 0.1192029], rtol=1e-6)
    np.testing.assert_allclose(ah.softmax_jacobian([1e308, -1e308], temperature=1e308).sum(), 0,
                               atol=1e-300)


def test_helpers_called_inside_a_body_skip_the_checks(monkeypatch):
    """mish_derivative's body calls sigmoid and silu: the input is checked once, by the outer
    helper, and the result is the same as with every call checked."""
    import _input_policy

    x = np.linspace(-5, 5, 11)
    want = ah.mish_derivative(x)
    calls = []
    real = _input_policy.as_float_array
    monkeypatch.setattr(_input_policy, "as_float_array",
                        lambda *args, **kwargs: calls.append(args[1]) or real(*args, **kwargs))
    np.testing.assert_array_equal(ah.mish_derivative(x), want)
    assert calls == ["mish_derivative"]
    calls.clear()
    np.testing.assert_array_equal(ah.mish_derivative.unchecked(x), want)  # no check at all
    assert calls == []
    with pytest.raises(TypeError, match="^sigmoid: "):  # and outside a body, checks again
        ah.sigmoid("1.5")


@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_nan_in_nan_out_and_never_the_callers_array(name):
    x = np.array([-2.0, np.nan, 0.0, 3.0])
    y = ELEMENTWISE[name](x)
    assert np.isnan(y[1]) and not np.isnan(y[[0, 2, 3]]).any()
    assert not np.shares_memory(x, y)
