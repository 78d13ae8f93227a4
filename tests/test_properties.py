"""Property-based tests (hypothesis) for the activations and derivatives, plus the explicit
"no warning for any input" grid.

Hypothesis runs deterministically (derandomize=True, no example database) so that CI gives the
same result on every run.
"""

import math
import warnings

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import activations_helpers as ah
from teaching.activations import ACTIVATIONS

# Generating an array costs hypothesis ~5 ms, so most properties run 100 examples and the
# central numerical ones 200: the whole file stays at ~15 s of CPU.
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True, database=None)
THOROUGH = settings(SETTINGS, max_examples=200)

FLOAT_DTYPES = [np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64)]


def eps(dtype):
    return float(np.finfo(dtype).eps)


def float_arrays(dtypes=FLOAT_DTYPES, *, allow_infinity=True, min_dims=0, max_dims=3,
                 max_side=5, min_side=1, **element_kwargs):
    """Float arrays of any shape, NaN-free; extreme values (+-max, subnormals, +-inf) included
    unless bounded by min_value/max_value."""
    if "min_value" in element_kwargs or "max_value" in element_kwargs:
        allow_infinity = False
    return hnp.arrays(
        dtype=st.sampled_from(dtypes),
        shape=hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                               max_side=max_side),
        elements=dict(allow_nan=False, allow_infinity=allow_infinity, **element_kwargs),
    )


def vectors(min_value=-1e3, max_value=1e3, min_size=1, max_size=10, unique=False):
    return hnp.arrays(np.float64, st.integers(min_size, max_size),
                      elements=st.floats(min_value, max_value), unique=unique)


# ----------------------------------------------------------------------------------------------
# sigmoid and tanh
# ----------------------------------------------------------------------------------------------

@THOROUGH
@given(float_arrays())
def test_sigmoid_in_unit_interval_and_symmetric(x):
    y = ah.sigmoid(x)
    assert np.all((y >= 0) & (y <= 1))
    # sigma(-x) = 1 - sigma(x); 1 - sigma(x) is computed in x's dtype, hence an absolute tolerance
    lhs = ah.sigmoid(-x).astype(np.float64)
    np.testing.assert_allclose(lhs, 1.0 - y.astype(np.float64), rtol=0, atol=2 * eps(x.dtype))


@THOROUGH
@given(float_arrays())
def test_tanh_is_odd_bounded_and_twice_sigmoid_of_twice_x_minus_one(x):
    y = ah.tanh(x)
    assert np.all(np.abs(y) <= 1)
    np.testing.assert_array_equal(ah.tanh(-x), -y)
    moderate = x[np.abs(x) <= 300]  # so that 2x cannot overflow
    lhs = ah.tanh(moderate).astype(np.float64)
    rhs = 2.0 * ah.sigmoid(2 * moderate).astype(np.float64) - 1.0
    np.testing.assert_allclose(lhs, rhs, rtol=0, atol=4 * eps(x.dtype))


# ----------------------------------------------------------------------------------------------
# softmax
# ----------------------------------------------------------------------------------------------

@st.composite
def arrays_and_axis(draw, **kwargs):
    x = draw(float_arrays(min_dims=1, **kwargs))
    axis = draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    return x, axis


@THOROUGH
@given(arrays_and_axis(), st.floats(1e-2, 1e2))
def test_softmax_sums_to_one_along_axis(x_axis, temperature):
    x, axis = x_axis
    y = ah.softmax(x, axis=axis, temperature=temperature)
    assert y.shape == x.shape and y.dtype == x.dtype
    assert np.all((y >= 0) & (y <= 1))
    sums = np.sum(y.astype(np.float64), axis=axis)
    n = x.size if axis is None else x.shape[axis]
    np.testing.assert_allclose(sums, 1.0, rtol=0, atol=max(n, 2) * eps(x.dtype))


@SETTINGS
@given(arrays_and_axis(dtypes=[np.dtype(np.float64)], min_value=-100.0, max_value=100.0),
       st.floats(-100.0, 100.0), st.floats(0.1, 10.0))
def test_softmax_invariant_to_adding_a_constant(x_axis, c, temperature):
    x, axis = x_axis
    y = ah.softmax(x, axis=axis, temperature=temperature)
    y_shifted = ah.softmax(x + c, axis=axis, temperature=temperature)
    np.testing.assert_allclose(y_shifted, y, rtol=1e-9, atol=1e-300)


@SETTINGS
@given(vectors(min_size=2, unique=True))
def test_softmax_low_temperature_approaches_one_hot_argmax(x):
    top2 = np.sort(x)[-2:]
    gap = top2[1] - top2[0]
    assume(gap >= 1e-6)
    one_hot = np.zeros_like(x)
    one_hot[np.argmax(x)] = 1.0
    # p_max grows towards 1 as T falls ...
    p_max = [ah.softmax(x, temperature=gap * k)[np.argmax(x)] for k in (100.0, 10.0, 1.0, 0.1)]
    assert all(b >= a - 1e-15 for a, b in zip(p_max, p_max[1:]))
    # ... and at T = gap / 800 every other score is suppressed by e^-800 = 0 in float64
    np.testing.assert_array_equal(ah.softmax(x, temperature=gap / 800), one_hot)


@SETTINGS
@given(vectors())
def test_softmax_high_temperature_approaches_uniform(x):
    spread = float(np.max(x) - np.min(x))
    uniform = np.full(x.shape, 1.0 / x.size)
    p_max = [ah.softmax(x, temperature=(spread + 1) * k).max() for k in (1.0, 10.0, 1e3)]
    assert all(b <= a + 1e-15 for a, b in zip(p_max, p_max[1:]))
    np.testing.assert_allclose(ah.softmax(x, temperature=(spread + 1) * 1e8), uniform, rtol=1e-7)
    # at any temperature, a higher score never gets less probability
    y = ah.softmax(x, temperature=spread / 7 + 0.05)
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(y[order]) >= 0)


# ----------------------------------------------------------------------------------------------
# The ReLU family, linear and the step
# ----------------------------------------------------------------------------------------------

@SETTINGS
@given(float_arrays())
def test_relu_equals_leaky_and_prelu_with_zero_alpha(x):
    r = ah.relu(x)
    for y in (ah.leaky_relu(x, alpha=0.0), ah.prelu(x, alpha=0.0), ah.prelu(x, alpha=0),
              ah.prelu(x, alpha=np.zeros(x.shape))):
        assert y.dtype == r.dtype
        np.testing.assert_array_equal(y, r)
    assert np.all(r >= 0)
    np.testing.assert_array_equal(r, np.where(x > 0, x, 0))
    # and with alpha = 1 the leak is the identity
    np.testing.assert_array_equal(ah.leaky_relu(x, alpha=1.0), ah.linear(x))
    np.testing.assert_array_equal(ah.linear(x), x)


@SETTINGS
@given(float_arrays(), st.floats(-1.0, 1.0))
def test_prelu_scalar_alpha_equals_leaky_relu_extreme_x(x, alpha):
    # |alpha| <= 1 so alpha * x cannot overflow even for x = +-max
    alpha = float(np.asarray(alpha, dtype=x.dtype))  # an alpha that x's dtype can hold exactly
    np.testing.assert_array_equal(ah.prelu(x, alpha=alpha), ah.leaky_relu(x, alpha=alpha))
    np.testing.assert_array_equal(ah.prelu_derivative(x, alpha=alpha),
                                  ah.leaky_relu_derivative(x, alpha=alpha))


@SETTINGS
@given(float_arrays(min_value=-1e3, max_value=1e3), st.floats(-10.0, 10.0))
def test_prelu_scalar_alpha_equals_leaky_relu_any_alpha(x, alpha):
    alpha = float(np.asarray(alpha, dtype=x.dtype))
    expected = np.where(x > 0, x.astype(np.float64), alpha * x.astype(np.float64))
    tiny = float(np.finfo(x.dtype).smallest_subnormal)
    for y in (ah.prelu(x, alpha=alpha), ah.leaky_relu(x, alpha=alpha)):
        np.testing.assert_allclose(y, expected, rtol=eps(x.dtype), atol=tiny)
    np.testing.assert_array_equal(ah.prelu(x, alpha=alpha), ah.leaky_relu(x, alpha=alpha))


@st.composite
def x_and_channel_alpha(draw):
    """x of 1 to 4 dimensions and a 1-D alpha with one value per channel: axis 1 of x, or
    axis 0 of a 1-D x (PyTorch's nn.PReLU)."""
    x = draw(float_arrays(dtypes=[np.dtype(np.float64)], min_dims=1, max_dims=4, min_value=-1e3,
                          max_value=1e3))
    channels = x.shape[1] if x.ndim >= 2 else x.shape[0]
    alpha = draw(hnp.arrays(np.float64, channels, elements=st.floats(-3.0, 3.0)))
    return x, alpha


@SETTINGS
@given(x_and_channel_alpha())
def test_prelu_per_channel_alpha(x_alpha):
    x, alpha = x_alpha
    # alpha[c] on every element of channel c, computed one channel at a time
    expected = np.empty_like(x)
    slope = np.empty_like(x)
    for c, a in enumerate(alpha):
        where = (slice(None), c) if x.ndim >= 2 else (c,)
        expected[where] = np.where(x[where] > 0, x[where], a * x[where])
        slope[where] = np.where(x[where] > 0, 1.0, a)
    np.testing.assert_allclose(ah.prelu(x, alpha=alpha), expected, rtol=1e-15, atol=0)
    np.testing.assert_array_equal(ah.prelu_derivative(x, alpha=alpha), slope)
    # dy/dalpha does not depend on alpha
    np.testing.assert_array_equal(ah.prelu_alpha_derivative(x, alpha=alpha),
                                  ah.prelu_alpha_derivative(x))


@SETTINGS
@given(float_arrays(), st.floats(allow_nan=False, allow_infinity=False, width=16))
def test_binary_step_is_zero_or_one(x, threshold):
    # a threshold every float dtype holds exactly (see test_activations for the rounding issue)
    y = ah.binary_step(x, threshold=threshold)
    assert set(np.unique(y).tolist()) <= {0.0, 1.0}
    np.testing.assert_array_equal(y, (x.astype(np.float64) >= threshold).astype(np.float64))
    np.testing.assert_array_equal(ah.binary_step_derivative(x, threshold=threshold), 0 * y)


# ----------------------------------------------------------------------------------------------
# Monotonicity and the derivatives' signs and bounds
# ----------------------------------------------------------------------------------------------

# Every activation the table calls monotone (teaching/activations.py), and one more alpha
MONOTONE = {name: row.function for name, row in ACTIVATIONS.items()
            if row.monotone and row.elementwise}
MONOTONE["leaky_relu(alpha=0.9)"] = lambda x: ah.leaky_relu(x, alpha=0.9)


@SETTINGS
@given(float_arrays(min_dims=1, max_dims=1, max_side=20))
def test_monotone_non_decreasing(x):
    xs = np.sort(x)
    for name, f in MONOTONE.items():
        y = f(xs)
        assert np.all(y[1:] >= y[:-1]), name


DERIVATIVE_BOUNDS = [
    ("sigmoid_derivative", 0.0, 0.25),
    ("tanh_derivative", 0.0, 1.0),
    ("relu_derivative", 0.0, 1.0),
    ("leaky_relu_derivative", 0.01, 1.0),
    ("prelu_derivative", 0.25, 1.0),
    ("linear_derivative", 1.0, 1.0),
    ("binary_step_derivative", 0.0, 0.0),
]


@SETTINGS
@given(float_arrays())
def test_derivative_bounds(x):
    for name, lower, upper in DERIVATIVE_BOUNDS:
        d = getattr(ah, name)(x).astype(np.float64)
        lower = float(np.asarray(lower, dtype=x.dtype))  # 0.01 and 0.25 as x's dtype holds them
        assert np.all((d >= lower) & (d <= upper)), (name, x[(d < lower) | (d > upper)])


@SETTINGS
@given(float_arrays(min_value=-30.0, max_value=30.0))
def test_derivative_peaks_at_zero(x):
    assert np.all(ah.sigmoid_derivative(x) <= ah.sigmoid_derivative(np.zeros_like(x)))
    assert np.all(ah.tanh_derivative(x) <= ah.tanh_derivative(np.zeros_like(x)))
    # and they are even functions
    tol = dict(rtol=4 * eps(x.dtype), atol=float(np.finfo(x.dtype).smallest_subnormal))
    np.testing.assert_allclose(ah.sigmoid_derivative(-x), ah.sigmoid_derivative(x), **tol)
    np.testing.assert_allclose(ah.tanh_derivative(-x), ah.tanh_derivative(x), **tol)


@SETTINGS
@given(float_arrays(dtypes=[np.dtype(np.float64)], min_value=-700.0, max_value=700.0))
def test_derivatives_agree_with_the_activations(x):
    # sigma' = sigma(x) sigma(-x) and tanh' = 1 - tanh^2 (where that is not cancelling)
    s = ah.sigmoid(x) * ah.sigmoid(-x)
    np.testing.assert_allclose(ah.sigmoid_derivative(x), s, rtol=1e-13, atol=0)
    t = ah.tanh(x)
    mid = np.abs(x) < 0.5
    np.testing.assert_allclose(ah.tanh_derivative(x[mid]), 1 - t[mid] ** 2, rtol=1e-14)


# ----------------------------------------------------------------------------------------------
# softmax_jacobian
# ----------------------------------------------------------------------------------------------

@THOROUGH
@given(vectors(min_value=-1e3, max_value=1e3), st.floats(0.05, 20.0),
       st.sampled_from([np.float32, np.float64]))
def test_softmax_jacobian_columns_sum_to_zero_and_symmetric(x, temperature, dtype):
    x = x.astype(dtype)
    J = ah.softmax_jacobian(x, temperature=temperature)
    assert J.shape == (x.size, x.size) and J.dtype == dtype
    np.testing.assert_array_equal(J, J.T)
    col_sums = J.astype(np.float64).sum(axis=0)
    np.testing.assert_allclose(col_sums, 0.0, rtol=0, atol=2 * x.size * eps(dtype) / temperature)
    # diagonal s(1-s)/T >= 0, off-diagonal -s_i s_j / T <= 0
    assert np.all(np.diag(J) >= 0)
    assert np.all(J[~np.eye(x.size, dtype=bool)] <= 0)


# ----------------------------------------------------------------------------------------------
# Shape and dtype
# ----------------------------------------------------------------------------------------------

SHAPE_KEEPING = [
    "linear", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "softmax",
    "linear_derivative", "binary_step_derivative", "sigmoid_derivative", "tanh_derivative",
    "relu_derivative", "leaky_relu_derivative", "prelu_derivative", "prelu_alpha_derivative",
]


@SETTINGS
@given(float_arrays(min_dims=1))
def test_float_dtype_and_shape_kept(x):
    for name in SHAPE_KEEPING:
        y = getattr(ah, name)(x)
        assert type(y) is np.ndarray and y.shape == x.shape and y.dtype == x.dtype, name


@SETTINGS
@given(hnp.arrays(hnp.integer_dtypes() | hnp.unsigned_integer_dtypes() | hnp.boolean_dtypes(),
                  hnp.array_shapes(min_dims=1, max_dims=3, max_side=4)))
def test_int_and_bool_become_float64(x):
    for name in SHAPE_KEEPING:
        y = getattr(ah, name)(x)
        assert type(y) is np.ndarray and y.shape == x.shape and y.dtype == np.float64, name
        np.testing.assert_array_equal(y, getattr(ah, name)(x.astype(np.float64)))


@SETTINGS
@given(st.floats(allow_nan=False) | st.integers(-10**6, 10**6) | st.booleans())
def test_python_scalars_give_0d_float64(v):
    for name in SHAPE_KEEPING:
        y = getattr(ah, name)(v)
        assert type(y) is np.ndarray and y.shape == () and y.dtype == np.float64, name


# ----------------------------------------------------------------------------------------------
# No warnings, for any input
# ----------------------------------------------------------------------------------------------

def _grid(dtype):
    """Every awkward value `dtype` can hold: zeros of both signs, subnormals, the largest
    finite numbers, +-inf, NaN, and values that overflow a naive exp."""
    info = np.finfo(dtype)
    values = [0.0, -0.0, 1.0, -1.0, 0.5, 30.0, -30.0, 88.0, -88.0, 700.0, -700.0, 710.0, -710.0,
              1e308, -1e308, float(info.max), -float(info.max), float(info.tiny),
              -float(info.tiny), float(info.smallest_subnormal),
              -float(info.smallest_subnormal), np.inf, -np.inf, np.nan]
    big = float(info.max)
    return np.array([v for v in values if not abs(v) > big or math.isinf(v)], dtype=dtype)


def _all_calls(x):
    """Every public function (with several parameter choices) applied to the 1-D grid `x`."""
    yield "linear", lambda: ah.linear(x)
    for threshold in (0.0, 0.5, -1.0):
        for name in ("binary_step", "binary_step_derivative"):
            yield (f"{name}({threshold})",
                   lambda f=getattr(ah, name), t=threshold: f(x, threshold=t))
    for name in ("sigmoid", "tanh", "relu", "linear_derivative", "sigmoid_derivative",
                 "tanh_derivative", "relu_derivative"):
        yield name, lambda f=getattr(ah, name): f(x)
    for alpha in (0.01, 0.0, -0.5, 1.0, -1.0):
        for name in ("leaky_relu", "leaky_relu_derivative", "prelu", "prelu_derivative",
                     "prelu_alpha_derivative"):
            yield f"{name}({alpha})", lambda f=getattr(ah, name), a=alpha: f(x, alpha=a)
    alphas = np.linspace(-1, 1, x.size)
    for name in ("prelu", "prelu_derivative", "prelu_alpha_derivative"):
        yield f"{name}(array)", lambda f=getattr(ah, name): f(x, alpha=alphas)
    finite = x[~np.isnan(x)]
    for temperature in (1.0, 0.5, 3.0):
        for data in (x, finite, x.reshape(-1, 1), finite[:1]):
            if data.size == 0:
                continue
            yield (f"softmax(T={temperature})",
                   lambda d=data, t=temperature: ah.softmax(d, temperature=t))
            yield (f"softmax(axis=None, T={temperature})",
                   lambda d=data, t=temperature: ah.softmax(d, axis=None, temperature=t))
        for data in (x, finite, finite[:1], finite[finite > 0], finite[finite < 0]):
            if data.size == 0:
                continue
            yield (f"softmax_jacobian(T={temperature})",
                   lambda d=data, t=temperature: ah.softmax_jacobian(d, temperature=t))
    for v in x:  # one at a time, as scalars and 0-d arrays
        for name in ("sigmoid", "tanh", "sigmoid_derivative", "tanh_derivative", "leaky_relu",
                     "prelu", "softmax"):
            yield f"{name}(scalar {v!r})", lambda f=getattr(ah, name), v=v: f(v)


@pytest.mark.parametrize("dtype", FLOAT_DTYPES, ids=str)
def test_no_warning_for_any_awkward_input(dtype):
    # Underflow to a subnormal or to 0 is the correct, expected result (e.g. sigmoid(-745)),
    # and NumPy never warns about it by default, so only underflow is left unraised.
    x = _grid(dtype)
    for label, call in _all_calls(x):
        with warnings.catch_warnings(record=True) as record, \
                np.errstate(all="raise", under="ignore"):
            warnings.simplefilter("always")
            try:
                call()
            except FloatingPointError as e:
                pytest.fail(f"{label} on {dtype}: {e}")
        assert not record, f"{label} on {dtype}: {[str(w.message) for w in record]}"


@SETTINGS
@given(hnp.arrays(st.sampled_from(FLOAT_DTYPES), hnp.array_shapes(min_dims=1, max_dims=2),
                  elements=dict(allow_nan=True, allow_infinity=True)))
def test_no_warning_for_random_input(x):
    with warnings.catch_warnings(record=True) as record, \
            np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("always")
        for label, call in _all_calls(x.ravel()):
            if "scalar" not in label:
                call()
    assert not record, [str(w.message) for w in record]


# Inputs near the edge of the float range, where a product, a quotient or a cast to a narrower
# dtype could overflow: the helpers must answer without a warning (the result rounds to +-inf or
# 0 where the true value does not fit the dtype).
EDGE_CALLS = [
    pytest.param(lambda: ah.leaky_relu(1e308, alpha=2.0), id="leaky_relu(1e308, alpha=2)"),
    pytest.param(lambda: ah.leaky_relu(1e308, alpha=-2.0), id="leaky_relu(1e308, alpha=-2)"),
    pytest.param(lambda: ah.prelu(1e308, alpha=2.0), id="prelu(1e308, alpha=2)"),
    pytest.param(lambda: ah.leaky_relu(np.float32(3e38), alpha=2.0),
                 id="leaky_relu(float32 3e38, alpha=2)"),
    pytest.param(lambda: ah.softmax(np.float32([1.0, 2.0]), temperature=1e-50),
                 id="softmax(float32, T=1e-50)"),
    pytest.param(lambda: ah.softmax(np.float16([1.0, 2.0]), temperature=1e-10),
                 id="softmax(float16, T=1e-10)"),
    pytest.param(lambda: ah.softmax_jacobian(np.float16([1.0, 2.0]), temperature=1e10),
                 id="softmax_jacobian(float16, T=1e10)"),
    pytest.param(lambda: ah.binary_step(np.float32(1.0), threshold=1e300),
                 id="binary_step(float32, threshold=1e300)"),
    pytest.param(lambda: ah.leaky_relu(-1e308, alpha=2.0), id="leaky_relu(-1e308, alpha=2)"),
    pytest.param(lambda: ah.prelu(np.float32(-1.0), alpha=1e300), id="prelu(float32, alpha=1e300)"),
    pytest.param(lambda: ah.prelu(np.float32([-1.0]), alpha=[1e300]),
                 id="prelu(float32, alpha=[1e300])"),
    pytest.param(lambda: ah.leaky_relu_derivative(np.float16(-1.0), alpha=1e10),
                 id="leaky_relu_derivative(float16, alpha=1e10)"),
    pytest.param(lambda: ah.softmax_jacobian(np.float16([1.0, 2.0]), temperature=1e-10),
                 id="softmax_jacobian(float16, T=1e-10)"),
]


@pytest.mark.parametrize("call", EDGE_CALLS)
def test_no_warning_at_the_edge_of_the_float_range(call):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        call()
    assert not record, [str(w.message) for w in record]
