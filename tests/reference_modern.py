"""Exact reference values for the modern activations (section 4 of ``activations_helpers``).

Each is computed with mpmath at 60 significant digits from the paper's or PyTorch's definition,
then rounded once to float64, so it is correct to the last bit float64 holds. The derivatives of
the smooth ones come from ``mpmath.diff`` (numerical differentiation at 60 digits, far more than
float64 needs) of the same definitions, so they check the helpers' hand-derived formulas
independently; the piecewise ones (ELU, SELU, hard sigmoid, hard swish) are differentiated by
hand, with PyTorch's autograd values at the kinks.

SELU's constants are computed here from their closed forms (Klambauer et al., 2017, eq. 14), not
copied, and the tests compare the module's digits with them.
"""

import mpmath
import numpy as np

MP = mpmath.MPContext()
MP.dps = 60

# Beyond +-800 every function here is at its limit in float64 (e^-800 is about 4e-348, far below
# the smallest subnormal float64, 4.9e-324), and mpmath would be slow near 1e308.
_FAR = 800


def _selu_constants():
    """(alpha, scale) from Klambauer et al. (2017), eq. 14, at 60 digits."""
    e, pi, erfc, sqrt = MP.e, MP.pi, MP.erfc, MP.sqrt
    alpha = -sqrt(2 / pi) / (erfc(1 / sqrt(2)) * MP.exp(MP.mpf(1) / 2) - 1)
    scale = ((1 - erfc(1 / sqrt(2)) * sqrt(e)) * sqrt(2 * pi)
             * (2 * erfc(sqrt(2)) * e ** 2 + pi * erfc(1 / sqrt(2)) ** 2 * e
                - 2 * (2 + pi) * erfc(1 / sqrt(2)) * sqrt(e) + pi + 2) ** MP.mpf(-0.5))
    return alpha, scale


SELU_ALPHA, SELU_SCALE = _selu_constants()
GELU_TANH_KAPPA = MP.mpf(0.044715)  # the float64 constant PyTorch and this module use


# Each definition takes one mpmath number and keyword parameters as mpmath numbers or strings.
def _elu(x, alpha=1):
    return x if x > 0 else alpha * MP.expm1(x)


def _selu(x):
    return SELU_SCALE * _elu(x, SELU_ALPHA)


def _normal_cdf(x):
    return MP.erfc(-x / MP.sqrt(2)) / 2


def _gelu(x, approximate="none"):
    if approximate == "tanh":
        u = MP.sqrt(2 / MP.pi) * (x + GELU_TANH_KAPPA * x ** 3)
        # x (1 + tanh u) / 2, written as x / (1 + e^{-2u}) (the same number): 1 + tanh u
        # cancels below any fixed precision when u is very negative (1e-61 at x = -12)
        return x / (1 + MP.exp(-2 * u))
    return x * _normal_cdf(x)


def _silu(x):
    return x / (1 + MP.exp(-x))


def _softplus(x, beta=1):
    return MP.log1p(MP.exp(beta * x)) / beta


def _mish(x):
    return x * MP.tanh(MP.log1p(MP.exp(x)))


def _hard_sigmoid(x):
    return min(max(x + 3, 0), 6) / 6


def _hard_swish(x):
    return x * _hard_sigmoid(x)


DEFINITIONS = {"elu": _elu, "selu": _selu, "gelu": _gelu, "silu": _silu, "mish": _mish,
               "softplus": _softplus, "hard_sigmoid": _hard_sigmoid, "hard_swish": _hard_swish}



def _far(name, v, params, derivative):
    """The float64 value for |v| > _FAR, where every function has reached its asymptote:
    0 or -alpha (times scale) on the left, x (times scale) or a constant on the right."""
    if v < 0:
        if derivative:
            return 0.0
        return {"elu": -float(params.get("alpha", 1.0)), "selu": -float(SELU_SCALE * SELU_ALPHA),
                "softplus": 0.0, "hard_sigmoid": 0.0}.get(name, -0.0)  # others: x * 0
    if derivative:
        return {"selu": float(SELU_SCALE), "hard_sigmoid": 0.0}.get(name, 1.0)
    if name == "hard_sigmoid":
        return 1.0
    return float(SELU_SCALE * MP.mpf(float(v))) if name == "selu" else float(v)


def _piecewise_derivative(name, x, params):
    """The exact derivative of a piecewise-defined function (ELU, SELU, the hard ones), with
    PyTorch's autograd value at the kinks; None for the smooth functions (left to mpmath.diff,
    whose small step would straddle a kink)."""
    if name in ("elu", "selu"):
        alpha = SELU_ALPHA if name == "selu" else MP.mpf(params.get("alpha", 1.0))
        return (SELU_SCALE if name == "selu" else 1) * (1 if x > 0 else alpha * MP.exp(x))
    if name == "hard_sigmoid":
        return MP.mpf(1) / 6 if -3 < x < 3 else MP.mpf(0)
    if name == "hard_swish":
        return MP.mpf(0) if x <= -3 else (MP.mpf(1) if x >= 3 else x / 3 + MP.mpf(1) / 2)
    return None


def _one(name, v, params, derivative):
    if np.isnan(v):
        return np.nan
    if abs(v) > _FAR:
        return _far(name, v, params, derivative)
    x = MP.mpf(float(v))
    mp_params = {k: (MP.mpf(p) if not isinstance(p, str) else p) for k, p in params.items()}
    f = DEFINITIONS[name]
    if not derivative:
        return float(f(x, **mp_params))
    exact = _piecewise_derivative(name, x, params)
    if exact is not None:
        return float(exact)
    return float(MP.diff(lambda t: f(t, **mp_params), x))


def value(name, x, **params):
    """The activation `name` (e.g. "gelu") at every element of `x`, exactly rounded to float64."""
    x = np.asarray(x, dtype=np.float64)
    return np.vectorize(lambda v: _one(name, v, params, False), otypes=[np.float64])(x)


def derivative(name, x, **params):
    """The derivative of the activation `name` at every element of `x`, as float64."""
    x = np.asarray(x, dtype=np.float64)
    return np.vectorize(lambda v: _one(name, v, params, True), otypes=[np.float64])(x)


# ----------------------------------------------------------------------------------------------
# Float64 references for the exhaustive float16 sweep (tests/test_float16.py registers them in
# reference.FLOAT16). Each is a float64 formula other than the module's own, within 1e-12 of the
# exact value on float16 inputs; the sweep checks them against the mpmath definitions above.
# ----------------------------------------------------------------------------------------------

def _expit(x):
    """1 / (1 + e^-x) as 0.5 + 0.5 tanh(x/2) for x >= 0, e^(x - log1p(e^x)) for x < 0."""
    negative = np.minimum(x, 0.0)
    return np.where(x >= 0, 0.5 + 0.5 * np.tanh(np.maximum(x, 0.0) / 2),
                    np.exp(negative - np.log1p(np.exp(negative))))


def _expm1(x):
    """e^x - 1 = 2 tanh(x/2) / (1 - tanh(x/2)), for x <= 0 (no np.expm1: that is the module's)."""
    t = np.tanh(np.minimum(x, 0.0) / 2)
    return 2 * t / (1 - t)


def _erfc(z):
    """PyTorch's erfc (torch is a test dependency), not the standard library's the module uses."""
    import torch

    return torch.special.erfc(torch.from_numpy(np.asarray(z, dtype=np.float64))).numpy()


def _at_infinity(x, left, right, values):
    """`values`, with the limits `left` and `right` at -inf and +inf (where 0 * inf is NaN)."""
    return np.where(x == -np.inf, left, np.where(x == np.inf, right, values))


def _elu64(x, alpha=1.0):
    return np.where(x > 0, x, alpha * _expm1(x))


def _elu_derivative64(x, alpha=1.0):
    negative = np.minimum(x, 0.0)
    return np.where(x > 0, 1.0, alpha * _expit(negative) / _expit(-negative))  # alpha e^x


def _gelu64(x):
    with np.errstate(invalid="ignore"):
        return _at_infinity(x, -0.0, np.inf, x * _erfc(-x / np.sqrt(2)) / 2)


def _gelu_derivative64(x):
    with np.errstate(invalid="ignore", over="ignore"):
        pdf = np.exp(-x * x / 2) / np.sqrt(2 * np.pi)
        return _at_infinity(x, 0.0, 1.0, _erfc(-x / np.sqrt(2)) / 2 + x * pdf)


def _softplus64(x, beta=1.0):
    with np.errstate(over="ignore"):
        return np.logaddexp(0.0, beta * x) / beta


def _silu64(x):
    with np.errstate(invalid="ignore"):
        return _at_infinity(x, -0.0, np.inf, x * _expit(x))


def _silu_derivative64(x):
    with np.errstate(invalid="ignore"):
        return _at_infinity(x, 0.0, 1.0, _expit(x) * (1 + x * _expit(-x)))


def _tanh_softplus(x):
    """tanh(softplus(x)) = (1 - e) / (1 + e) with e = e^(-2 softplus(x)) = (1 + e^x)^-2."""
    e = np.exp(-2 * np.logaddexp(0.0, x))
    return -_expm1(-2 * np.logaddexp(0.0, x)) / (1 + e)


def _mish64(x):
    with np.errstate(invalid="ignore"):
        return _at_infinity(x, -0.0, np.inf, x * _tanh_softplus(x))


def _mish_derivative64(x):
    t = _tanh_softplus(x)
    with np.errstate(invalid="ignore"):
        return _at_infinity(x, 0.0, 1.0, t + x * _expit(x) * (1 - t) * (1 + t))


def _hard_sigmoid64(x):
    return np.clip(x / 6 + 0.5, 0.0, 1.0)


def _hard_swish64(x):
    with np.errstate(invalid="ignore"):
        return np.where(x <= -3, -0.0, x * _hard_sigmoid64(x))


def _diff(name):
    """The exact derivative of `name` at an mpmath number v, with params as mpmath numbers."""
    def exact(v, **params):
        # into this module's mpmath context (mpmath.diff of another context's number gives 0)
        v, params = MP.mpf(v), {k: MP.mpf(p) for k, p in params.items()}
        piecewise = _piecewise_derivative(name, v, params)
        if piecewise is not None:
            return piecewise
        return MP.diff(lambda t: DEFINITIONS[name](t, **params), v)
    return exact


def float16_cases():
    """{public name: (float64 reference, mpmath definition, parameter sets to try)}.

    GELU's tanh form is swept in tests/test_modern.py: the sweep's mpmath check takes numeric
    parameters only.
    """
    alphas = ({}, {"alpha": 0.3}, {"alpha": 2.5}, {"alpha": 1e-9})
    betas = ({}, {"beta": 0.5}, {"beta": 4.0}, {"beta": 60.0})
    return {
        "elu": (_elu64, _elu, alphas),
        "elu_derivative": (_elu_derivative64, _diff("elu"), alphas),
        "selu": (lambda x: float(SELU_SCALE) * _elu64(x, float(SELU_ALPHA)), _selu, ({},)),
        "selu_derivative": (lambda x: float(SELU_SCALE) * _elu_derivative64(x, float(SELU_ALPHA)),
                            _diff("selu"), ({},)),
        "gelu": (_gelu64, _gelu, ({},)),
        "gelu_derivative": (_gelu_derivative64, _diff("gelu"), ({},)),
        "silu": (_silu64, _silu, ({},)),
        "silu_derivative": (_silu_derivative64, _diff("silu"), ({},)),
        "mish": (_mish64, _mish, ({},)),
        "mish_derivative": (_mish_derivative64, _diff("mish"), ({},)),
        "softplus": (_softplus64, _softplus, betas),
        "softplus_derivative": (lambda x, beta=1.0: _expit(beta * x), _diff("softplus"), betas),
        "hard_sigmoid": (_hard_sigmoid64, _hard_sigmoid, ({},)),
        "hard_sigmoid_derivative": (lambda x: np.where((x > -3) & (x < 3), 1 / 6, 0.0),
                                    _diff("hard_sigmoid"), ({},)),
        "hard_swish": (_hard_swish64, _hard_swish, ({},)),
        "hard_swish_derivative": (
            lambda x: np.select([x <= -3, x < 3], [0.0, x / 3 + 0.5], default=1.0),
            _diff("hard_swish"), ({},)),
    }
