"""Tests for the modern activations (section 4 of ``activations_helpers``): ELU, SELU, GELU
(exact and tanh), SiLU, Mish, Softplus, hard sigmoid, hard swish and their derivatives.

Checked against:
1. exact references: mpmath at 60 digits (``tests/reference_modern.py``), and SELU's constants
   derived from the paper's closed forms and from the fixed point they are chosen for;
2. closed forms: softplus' = sigmoid(beta x), silu' = s (1 + x (1 - s)), mish = x tanh(softplus),
   gelu(tanh) = x (1 + tanh u) / 2, selu = scale * elu(alpha), hard_swish = x * hard_sigmoid;
3. PyTorch's functions and autograd (float64, 1e-12) wherever PyTorch is exact, and its
   conventions at the kinks;
4. the module's promises: shape and dtype kept, NaN kept, no warning for any input
   (+-1e308, +-inf, subnormals, float16), accurate tails, float32 within a few ulp;
5. bad parameters refused with an error that names the function.
"""

import contextlib
import math
import warnings

import numpy as np
import pytest
import reference_modern as ref  # mpmath at 60 digits
import torch  # a test dependency (pyproject's "test" extra): its functions and autograd

import activations_helpers as ah
from teaching.activations import ACTIVATIONS

F = torch.nn.functional

NAMES = [name for name, row in ACTIVATIONS.items() if row.taught_in == "04_modern"]
# Every function with the parameter settings worth testing: (name, params)
SETTINGS = [("elu", {}), ("elu", {"alpha": 0.3}), ("elu", {"alpha": 2.5}), ("selu", {}),
            ("gelu", {}), ("gelu", {"approximate": "tanh"}), ("silu", {}), ("mish", {}),
            ("softplus", {}), ("softplus", {"beta": 0.5}), ("softplus", {"beta": 4.0}),
            ("hard_sigmoid", {}), ("hard_swish", {})]
IDS = [name + "".join(f"-{k}={v}" for k, v in p.items()) for name, p in SETTINGS]
SMOOTH = {"gelu", "silu", "mish", "softplus"}


def fn(name, derivative=False):
    return getattr(ah, name + ("_derivative" if derivative else ""))


@contextlib.contextmanager
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def ulp_distance(a, b):
    """How many representable floats lie between a and b (same dtype), elementwise."""
    a, b = np.asarray(a), np.asarray(b)
    itype = {2: np.int16, 4: np.int32, 8: np.int64}[a.dtype.itemsize]
    ia, ib = a.view(itype).astype(np.int64), b.view(itype).astype(np.int64)
    lowest = np.iinfo(itype).min
    ia = np.where(ia < 0, lowest - ia, ia)  # order the bit patterns like the floats
    ib = np.where(ib < 0, lowest - ib, ib)
    return np.abs(ia - ib)


# ----------------------------------------------------------------------------------------------
# 1. Exact references (mpmath)
# ----------------------------------------------------------------------------------------------

GRID = np.concatenate([np.linspace(-12, 12, 481), np.linspace(-60, 60, 121),
                       [-745.0, -740.0, -720.0, -709.5, -708.0, -500.0, -100.0, -37.5, -1e-8,
                        -1e-300, -5e-324, 0.0, 5e-324, 1e-300, 1e-8, 100.0, 500.0, 709.5, 745.0,
                        -3.0, 3.0, -2.9999999999999996, 2.9999999999999996]])


def tolerance(name, params, x):
    """Relative error we allow against the exact value, per element (float64).

    Most are within a few ulp. GELU's exact form evaluates erfc(-x/sqrt(2)) and e^{-x^2/2}, which
    amplify the one rounding of x/sqrt(2) or x^2 by about x^2 (their condition number): in the far
    tails a few hundred ulp, as in every float64 implementation that does not split x^2 (PyTorch's
    too).
    """
    ulp = np.finfo(np.float64).eps
    if name == "gelu":
        return 4 * ulp * (1 + x * x)
    return 8 * ulp


# Where a derivative crosses 0 its relative error is unbounded for any float formula (the terms
# that cancel carry absolute errors of about 1e-16): allow that much absolutely.
DERIVATIVE_ATOL = 4e-16


@pytest.mark.parametrize("name, params", SETTINGS, ids=IDS)
def test_values_match_mpmath(name, params):
    want = ref.value(name, GRID, **params)
    got = fn(name)(GRID, **params)
    rtol = tolerance(name, params, GRID)
    # a subnormal result is within one step; GELU's exact form multiplies x by Phi(x), which is
    # itself subnormal below x = -37.5 (it carries only |x| steps of absolute precision there)
    steps = np.abs(GRID) * (GRID < -37) if name == "gelu" else 1
    bad = np.abs(got - want) > rtol * np.abs(want) + 2 * steps * 5e-324
    assert not bad.any(), list(zip(GRID[bad], got[bad], want[bad]))


@pytest.mark.parametrize("name, params", SETTINGS, ids=IDS)
def test_derivatives_match_mpmath(name, params):
    want = ref.derivative(name, GRID, **params)
    got = fn(name, True)(GRID, **params)
    rtol = tolerance(name, params, GRID)
    near_zero = DERIVATIVE_ATOL * (np.abs(GRID) < 50)
    bad = np.abs(got - want) > rtol * np.abs(want) + near_zero + 2 * 5e-324  # subnormal: 1 step
    assert not bad.any(), list(zip(GRID[bad], got[bad], want[bad]))


@pytest.mark.parametrize("name, params", SETTINGS, ids=IDS)
def test_limits_at_infinity_and_beyond_1e300(name, params):
    x = np.array([-np.inf, -1e308, -1e300, 1e300, 1e308, np.inf])
    with no_warnings():
        got, got_d = fn(name)(x, **params), fn(name, True)(x, **params)
    # within one rounding: SELU multiplies by its scale after the rest is rounded
    np.testing.assert_array_max_ulp(got, ref.value(name, x, **params), maxulp=1)
    np.testing.assert_array_max_ulp(got_d, ref.derivative(name, x, **params), maxulp=1)
    assert not np.isnan(got).any() and not np.isnan(got_d).any()


def test_silu_left_tail_is_exact_where_e_to_the_x_alone_is_not_a_float():
    # e^-750 rounds to 0 in float64, but -750 e^-750 / (1 + e^-750) is about -1.43e-323
    x = np.array([-700.0, -740.0, -745.0, -750.0, -751.0])
    got = ah.silu(x)
    want = ref.value("silu", x)
    np.testing.assert_array_equal(got, want)
    assert (got < 0).all()  # tiny negative numbers, not -0.0 or NaN
    np.testing.assert_array_equal(ah.mish(x), ref.value("mish", x))
    # beyond -752 the exact value is below the smallest float64 (silu(-800) is about -2.9e-345):
    # it rounds to -0.0, the correctly rounded answer
    assert ah.silu(-800.0) == 0 and math.copysign(1, float(ah.silu(-800.0))) == -1


def test_selu_constants_have_every_digit_of_the_papers_closed_form():
    assert ah.SELU_ALPHA == float(ref.SELU_ALPHA)
    assert ah.SELU_SCALE == float(ref.SELU_SCALE)
    # the 31 digits the paper prints (Klambauer et al., 2017, eq. 14)
    assert ref.MP.nstr(ref.SELU_ALPHA, 32) == "1.6732632423543772848170429916717"
    assert ref.MP.nstr(ref.SELU_SCALE, 32) == "1.0507009873554804934193349852946"


def test_selu_constants_make_mean_0_variance_1_a_fixed_point():
    """What the constants are for: z ~ N(0, 1) gives selu(z) with mean 0 and variance 1."""
    mp = ref.MP
    density = lambda z: mp.exp(-z * z / 2) / mp.sqrt(2 * mp.pi)  # noqa: E731
    mean = mp.quad(lambda z: ref._selu(z) * density(z), [-mp.inf, 0, mp.inf])
    second = mp.quad(lambda z: ref._selu(z) ** 2 * density(z), [-mp.inf, 0, mp.inf])
    assert abs(mean) < 1e-50 and abs(second - 1) < 1e-50


# ----------------------------------------------------------------------------------------------
# 2. Closed forms
# ----------------------------------------------------------------------------------------------

X = np.linspace(-30, 30, 1201)


@pytest.mark.parametrize("beta", [0.25, 1.0, 3.0])
def test_softplus_derivative_is_the_sigmoid(beta):
    np.testing.assert_allclose(ah.softplus_derivative(X, beta=beta), ah.sigmoid(beta * X),
                               rtol=1e-15, atol=0)


def test_silu_derivative_closed_form():
    s = ah.sigmoid(X)
    np.testing.assert_allclose(ah.silu_derivative(X), s * (1 + X * (1 - s)), rtol=1e-13,
                               atol=1e-15)


def test_mish_and_gelu_tanh_equal_their_textbook_formulas_where_those_work():
    x = np.linspace(-8, 8, 321)
    np.testing.assert_allclose(ah.mish(x), x * np.tanh(np.log1p(np.exp(x))), rtol=1e-14, atol=0)
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)
    np.testing.assert_allclose(ah.gelu(x, approximate="tanh"), 0.5 * x * (1 + np.tanh(u)),
                               rtol=1e-11, atol=1e-15)  # the textbook form cancels for x < -3
    phi = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
    # x/sqrt(2) and x * sqrt(1/2) round differently, and erfc amplifies that by about x^2
    np.testing.assert_allclose(ah.gelu(x), x * phi, rtol=1e-13, atol=0)


def test_selu_is_scaled_elu_and_hard_swish_is_x_times_hard_sigmoid():
    np.testing.assert_allclose(ah.selu(X), ah.SELU_SCALE * ah.elu(X, alpha=ah.SELU_ALPHA),
                               rtol=1e-15)
    np.testing.assert_allclose(ah.selu_derivative(X),
                               ah.SELU_SCALE * ah.elu_derivative(X, alpha=ah.SELU_ALPHA),
                               rtol=1e-15)
    np.testing.assert_allclose(ah.hard_swish(X), X * ah.hard_sigmoid(X), rtol=1e-15, atol=0)


def test_silu_minimum_is_x_plus_1_at_the_root_of_its_derivative():
    """At the minimum, 1 + x (1 - s) = 0, so s = 1 + 1/x and silu = x s = x + 1."""
    mp = ref.MP
    x_min = mp.findroot(lambda t: mp.diff(ref._silu, t), -1.3)
    assert abs(ref._silu(x_min) - (x_min + 1)) < 1e-50
    x = np.linspace(-3, 0, 300_001)
    i = np.argmin(ah.silu(x))
    assert x[i] == pytest.approx(float(x_min), abs=1e-5)
    assert float(ah.silu(x[i])) == pytest.approx(float(x_min + 1), abs=1e-10)
    assert round(float(x_min), 3) == -1.278 and round(float(x_min + 1), 3) == -0.278


def test_article_inputs():
    values = np.arange(-5, 6)
    assert np.round(ah.elu(values), 3).tolist() == [
        -0.993, -0.982, -0.95, -0.865, -0.632, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert np.round(ah.hard_sigmoid(values), 3).tolist() == [
        0.0, 0.0, 0.0, 0.167, 0.333, 0.5, 0.667, 0.833, 1.0, 1.0, 1.0]
    assert np.round(ah.relu(values) - ah.softplus(values), 3).tolist() == [
        -0.007, -0.018, -0.049, -0.127, -0.313, -0.693, -0.313, -0.127, -0.049, -0.018, -0.007]


# ----------------------------------------------------------------------------------------------
# 3. PyTorch's functions and autograd
# ----------------------------------------------------------------------------------------------

def torch_function(name, params):
    if name == "softplus":  # PyTorch returns x itself above its threshold (20): turn that off
        return lambda t: F.softplus(t, beta=params.get("beta", 1.0), threshold=math.inf)
    torch_name = {"hard_sigmoid": "hardsigmoid", "hard_swish": "hardswish"}.get(name, name)
    return lambda t: getattr(F, torch_name)(t, **params)


def torch_value_and_grad(name, params, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = torch_function(name, params)(t)
    y.sum().backward()
    return y.detach().numpy(), t.grad.numpy()


# Where PyTorch's float64 formulas are exact to about 1e-15: it computes GELU as
# x (1 + erf(x/sqrt 2)) / 2 and x (1 + tanh u) / 2, which cancel in the left tail; softplus as
# log1p(exp(beta x)) / beta, which overflows beyond beta x = 709.
TORCH_RANGE = {"gelu": (-3.0, 40.0), "softplus": (-700.0, 700.0)}


@pytest.mark.parametrize("name, params", SETTINGS, ids=IDS)
def test_values_and_autograd_match_pytorch(name, params):
    lo, hi = TORCH_RANGE.get(name, (-700.0, 700.0))
    if name == "softplus":
        hi = 700.0 / params.get("beta", 1.0)
    x = np.concatenate([np.linspace(max(lo, -20), min(hi, 20), 4001), np.linspace(lo, hi, 1001),
                        [-3.0, 3.0, 0.0, -1e-10, 1e-10]])
    x = x[(x >= lo) & (x <= hi)]
    want, want_grad = torch_value_and_grad(name, params, x)
    got, grad = fn(name)(x, **params), fn(name, True)(x, **params)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    if name == "hard_sigmoid":
        # PyTorch's backward multiplies by 1/6 rounded to float32 (0.1666666716...), even in
        # float64; ours is 1/6 in float64
        np.testing.assert_allclose(grad, want_grad, rtol=1e-7, atol=0)
        assert set(np.unique(grad)) == {0.0, 1 / 6}
    else:
        np.testing.assert_allclose(grad, want_grad, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["elu", "selu", "hard_sigmoid", "hard_swish"])
def test_kink_conventions_are_pytorchs(name):
    kinks = {"elu": [0.0], "selu": [0.0], "hard_sigmoid": [-3.0, 3.0],
             "hard_swish": [-3.0, 3.0]}[name]
    _, want = torch_value_and_grad(name, {}, np.array(kinks))
    got = fn(name, True)(kinks)
    if name == "hard_sigmoid":
        np.testing.assert_array_equal(got, [0.0, 0.0])
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)


def test_elu_alpha_at_the_kink_follows_pytorch():
    _, want = torch_value_and_grad("elu", {"alpha": 0.3}, np.array([0.0]))
    assert ah.elu_derivative(0.0, alpha=0.3).item() == pytest.approx(want[0]) == 0.3


@pytest.mark.parametrize("name, params", SETTINGS, ids=IDS)
def test_float32_agrees_with_pytorch_float32(name, params):
    x = np.linspace(-10, 10, 2001).astype(np.float32)
    t = torch.tensor(x)
    want = torch_function(name, params)(t).numpy()
    got = fn(name)(x, **params)
    assert got.dtype == np.float32
    exact = ref.value(name, x.astype(np.float64), **params)
    # as close to the exact value as PyTorch's kernel, give or take two float32 steps (ELU,
    # SELU, softplus and the hard ones compute in float32, for speed; the others in float64)
    ours = ulp_distance(got, exact.astype(np.float32))
    theirs = ulp_distance(want, exact.astype(np.float32))
    assert (ours <= np.maximum(theirs, 1) + 2).all()


# ----------------------------------------------------------------------------------------------
# 4. The module's promises: shapes, dtypes, NaN, no warnings, float16 and float32 accuracy
# ----------------------------------------------------------------------------------------------

ALL = [(name, params, d) for name, params in SETTINGS for d in (False, True)]
ALL_IDS = [i + ("'" if d else "") for i, (_, _, d) in zip([j for j in IDS for _ in (0, 1)], ALL)]


def special_values(dtype):
    info = np.finfo(dtype)
    values = [-np.inf, -float(info.max), -1e4, -800, -745, -40, -3, -1, -float(info.tiny),
              -float(info.smallest_subnormal), -0.0, 0.0, float(info.smallest_subnormal),
              float(info.tiny), 1, 3, 40, 800, 1e4, float(info.max), np.inf, np.nan]
    with np.errstate(over="ignore"):
        return np.array(values).astype(dtype)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("name, params, derivative", ALL, ids=ALL_IDS)
def test_no_warning_dtype_kept_nan_kept(name, params, derivative, dtype):
    x = special_values(dtype)
    with no_warnings():
        y = fn(name, derivative)(x, **params)
    assert y.dtype == dtype and y.shape == x.shape
    assert np.isnan(y[-1]) and not np.isnan(y[:-1]).any()


@pytest.mark.parametrize("name, params, derivative", ALL, ids=ALL_IDS)
def test_shapes(name, params, derivative):
    f = fn(name, derivative)
    x = np.linspace(-4, 4, 24).reshape(2, 3, 4)
    flat = f(x.ravel(), **params)
    np.testing.assert_array_equal(f(x, **params), flat.reshape(2, 3, 4))
    np.testing.assert_array_equal(f(x.T, **params), flat.reshape(2, 3, 4).T)  # strided
    np.testing.assert_array_equal(f(x.tolist(), **params), flat.reshape(2, 3, 4))
    assert f(1.5, **params).shape == () and isinstance(f(1.5, **params), np.ndarray)
    assert f(np.empty((0, 3)), **params).shape == (0, 3)
    assert f([1, 2], **params).dtype == np.float64  # integers become float64
    read_only = x.copy()
    read_only.flags.writeable = False
    np.testing.assert_array_equal(f(read_only, **params), flat.reshape(2, 3, 4))
    np.testing.assert_array_equal(read_only, x)  # the input is not changed


@pytest.mark.parametrize("name, params, derivative", ALL, ids=ALL_IDS)
def test_float32_within_a_few_ulp_of_the_exact_value(name, params, derivative):
    x = np.concatenate([np.linspace(-20, 20, 4001), np.linspace(-100, 100, 401)]).astype(np.float32)
    got = fn(name, derivative)(x, **params)
    exact = (ref.derivative if derivative else ref.value)(name, x.astype(np.float64), **params)
    distance = ulp_distance(got, exact.astype(np.float32))
    # near a zero of the derivative the few-ulp absolute error of the cancelling terms is many
    # ulp of the tiny result
    relevant = np.abs(exact) > 1e-6 if derivative else np.ones(x.shape, bool)
    assert distance[relevant].max() <= 4


# ----------------------------------------------------------------------------------------------
# 5. Bad parameters
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["elu", "elu_derivative"])
@pytest.mark.parametrize("alpha, error, needle", [
    ("1", TypeError, "alpha must be a real number"), (True, TypeError, "alpha must be"),
    (np.nan, ValueError, "alpha must be finite"), (np.inf, ValueError, "alpha must be finite"),
    (np.array([1.0, 2.0]), TypeError, "alpha must be a single real number")])
def test_bad_alpha(name, alpha, error, needle):
    with pytest.raises(error, match=f"^{name}: {needle}"):
        getattr(ah, name)([1.0], alpha=alpha)


@pytest.mark.parametrize("name", ["softplus", "softplus_derivative"])
@pytest.mark.parametrize("beta, error, needle", [
    (0, ValueError, "beta must be > 0, got 0"), (-1.0, ValueError, "beta must be > 0"),
    ("2", TypeError, "beta must be a real number"), (np.inf, ValueError, "beta must be finite"),
    (None, TypeError, "beta must be a real number")])
def test_bad_beta(name, beta, error, needle):
    with pytest.raises(error, match=f"^{name}: {needle}"):
        getattr(ah, name)([1.0], beta=beta)


@pytest.mark.parametrize("name", ["gelu", "gelu_derivative"])
@pytest.mark.parametrize("approximate, error, needle", [
    ("exact", ValueError, "approximate must be 'none' .* or 'tanh', got 'exact'"),
    ("Tanh", ValueError, "approximate must be .*got 'Tanh'"),
    (None, TypeError, "approximate must be the string"),
    (True, TypeError, "approximate must be the string .*not bool")])
def test_bad_approximate(name, approximate, error, needle):
    with pytest.raises(error, match=f"^{name}: {needle}"):
        getattr(ah, name)([1.0], approximate=approximate)


@pytest.mark.parametrize("name", NAMES)
def test_bad_x_names_the_function(name):
    for derivative in (False, True):
        f = fn(name, derivative)
        with pytest.raises(TypeError, match=f"^{f.__name__}: x must be"):
            f("1.5")
        with pytest.raises(ValueError, match=f"^{f.__name__}: .*ragged"):
            f([[1.0, 2.0], [3.0]])


def test_parameters_are_used_at_full_precision():
    """A parameter float32 cannot hold exactly is not rounded to float32 first."""
    x = np.array([-50.0, -1.0], dtype=np.float32)
    got = ah.elu(x, alpha=1e-40)  # a subnormal in float32: only 3 significant digits
    np.testing.assert_array_equal(got, (1e-40 * np.expm1([-50.0, -1.0])).astype(np.float32))
    assert (got < 0).all()
    assert ah.softplus(np.float32(1.0), beta=1e-30).item() == pytest.approx(math.log(2) * 1e30,
                                                                            rel=1e-6)


def test_every_new_name_is_public():
    for name in NAMES:
        assert name in ah.__all__ and name + "_derivative" in ah.__all__


def test_gelu_tanh_on_every_float16_within_one_ulp():
    """The exhaustive float16 sweep of tests/test_float16.py for approximate="tanh" (that sweep's
    table takes numeric parameters only), against float64 references checked with mpmath."""
    from test_float16 import EVERY_FLOAT16, SPOT, ulps_from_exactly_rounded

    def u_and_slope(x):
        c = math.sqrt(2 / math.pi)
        with np.errstate(over="ignore", invalid="ignore"):
            return c * (x + 0.044715 * x ** 3), c * (1 + 3 * 0.044715 * x ** 2)

    def value64(x):
        u, _ = u_and_slope(x)
        with np.errstate(invalid="ignore"):
            return np.where(np.isinf(x), np.where(x > 0, x, -0.0), x * ref._expit(2 * u))

    def derivative64(x):
        u, slope = u_and_slope(x)
        s, s_minus = ref._expit(2 * u), ref._expit(-2 * u)
        with np.errstate(invalid="ignore"):
            d = s + 2 * x * slope * s * s_minus
        return np.where(np.abs(x) > 40, x > 0, d)  # saturated: 0 or 1 (also inf * 0 there)

    x64 = EVERY_FLOAT16.astype(np.float64)
    for f, reference, exact in [(ah.gelu, value64, ref.value),
                                (ah.gelu_derivative, derivative64, ref.derivative)]:
        spot = SPOT.astype(np.float64)
        np.testing.assert_allclose(reference(spot), exact("gelu", spot, approximate="tanh"),
                                   rtol=1e-12, atol=1e-300)
        with no_warnings():
            y = f(EVERY_FLOAT16, approximate="tanh")
        assert ulps_from_exactly_rounded(y, reference(x64)).max() <= 1
