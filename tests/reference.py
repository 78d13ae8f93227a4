"""Reference values for the tests: computed with mpmath at 60 significant digits, then rounded
once to float64, so they are correct to the last bit that float64 can hold.

The names and conventions follow ``scipy.special`` (``expit``, ``softmax``, ``log_softmax``,
``axis=None`` meaning the whole array). We do not use scipy itself: with scipy installed,
``import seaborn`` also imports ``scipy.stats``, and every notebook's setup cell takes about 1.5 s
longer (measured on this machine; see the README).
"""

import mpmath
import numpy as np

MP = mpmath.MPContext()
MP.dps = 60
# Beyond this, exp(-|x|) is far below the smallest float64 (about 4.9e-324, e^-744.4), so
# expit is exactly 0 or 1 in float64; mpmath would also be slow with exponents near 1e308.
_SATURATED = 800.0


def _expit_one(v):
    if np.isnan(v):
        return np.nan
    if v > _SATURATED:
        return 1.0
    if v < -_SATURATED:
        return 0.0
    return float(1 / (1 + MP.exp(-MP.mpf(float(v)))))


def expit(x):
    """The logistic sigmoid 1 / (1 + exp(-x)), elementwise, as float64."""
    x = np.asarray(x, dtype=np.float64)
    return np.vectorize(_expit_one, otypes=[np.float64])(x)


def _log_softmax_mp(v):
    """log softmax of a 1-d float64 array as mpmath numbers (None for -inf), or a float64
    array when the answer is not finite everywhere (+-inf scores, NaN)."""
    if np.isnan(v).any():
        return np.full(v.shape, np.nan)
    top = v.max()
    if np.isinf(top):  # +inf scores share all the mass; all -inf has no softmax (NaN)
        if top < 0:
            return np.full(v.shape, np.nan)
        winners = v == np.inf
        return np.where(winners, -np.log(winners.sum()), -np.inf)
    shifted = [MP.mpf(float(s)) - MP.mpf(float(top)) if np.isfinite(s) else None for s in v]
    log_total = MP.log(MP.fsum(MP.exp(s) for s in shifted if s is not None))
    return [s - log_total if s is not None else None for s in shifted]


def _along(one, x, axis):
    x = np.asarray(x, dtype=np.float64)
    if axis is None:
        return one(x.ravel()).reshape(x.shape)
    return np.apply_along_axis(one, axis, x)


def log_softmax(x, axis=None):
    """log(softmax(x)) along `axis` (None: over the whole array), as float64."""
    def one(v):
        logs = _log_softmax_mp(v)
        if isinstance(logs, np.ndarray):
            return logs
        return np.array([float(s) if s is not None else -np.inf for s in logs])

    return _along(one, x, axis)


def softmax(x, axis=None):
    """exp(x) / sum(exp(x)) along `axis` (None: over the whole array), as float64: within one
    rounding of the true probability, subnormal or 0 included."""
    def one(v):
        logs = _log_softmax_mp(v)
        if isinstance(logs, np.ndarray):
            return np.exp(logs)
        return np.array([float(MP.exp(s)) if s is not None else 0.0 for s in logs])

    return _along(one, x, axis)


# ----------------------------------------------------------------------------------------------
# FLOAT16: one reference per public function, for the exhaustive float16 sweep
# (tests/test_float16.py runs every function on every float16 that is not NaN).
#
# RULE: every name in activations_helpers.__all__ must have an entry here, keyed by that name.
# test_float16.py FAILS for a public function without one, so a function added to the module
# must register its reference here (with its parameters) in the same change.
#
# An entry gives:
#   reference(x, **params): float64 values within 1e-12 (relative) of the exact ones, for x a
#       float64 array of float16 values. Float64 is exact enough for a 1-ulp float16 check:
#       a float16 ulp is 2^-10 relative, a billion times coarser, so rounding such a reference
#       to float16 gives the exactly rounded float16 (or, where the exact value lies within
#       1e-12 of a rounding boundary, a neighbour of it). Use a formula that is not the
#       module's own, so the two check each other.
#   exact(v, **params): the same with mpmath numbers (v, params as mpf at 60 digits); the sweep
#       checks `reference` against it on a few hundred float16 points.
#   params: the keyword arguments to try: the defaults ({}) and a few others.
#   layout: "elementwise" (x is the 1-D array of all float16 values), "pairs" (rows [x, c],
#       x every float16, c each of `partners`, softmax along the row) or "jacobian" (the
#       function of the 1-D vector [x, c], for a sample of x).
# ----------------------------------------------------------------------------------------------

class Float16Case:
    def __init__(self, reference, exact, params=({},), layout="elementwise", partners=(0.0,)):
        self.reference, self.exact, self.params = reference, exact, params
        self.layout, self.partners = layout, partners


def _expit64(x):
    """1 / (1 + e^-x) in float64, within about |x| * 2^-53 relative: tanh for x >= 0, where
    the result is >= 1/2 and 1 + tanh does not cancel; e^(x - log(1 + e^x)) for x < 0."""
    negative = np.minimum(x, 0.0)
    return np.where(x >= 0, 0.5 + 0.5 * np.tanh(np.maximum(x, 0.0) / 2),
                    np.exp(negative - np.log1p(np.exp(negative))))


def _tanh64(x):
    """tanh(x) = sign(x) (1 - e^(-2|x|)) / (1 + e^(-2|x|)), with expm1 for the numerator."""
    e = np.exp(-2 * np.abs(x))
    return np.sign(x) * -np.expm1(-2 * np.abs(x)) / (1 + e)


def _tanh_derivative64(x):
    """1 - tanh^2 = 4 e / (1 + e)^2 with e = e^(-2|x|)."""
    e = np.exp(-2 * np.abs(x))
    return 4 * e / (1 + e) ** 2


def _leaky64(x, alpha=0.01):
    alpha = float(np.asarray(alpha).ravel()[0]) if np.ndim(alpha) else alpha
    return np.where(x > 0, x, 0.0 if alpha == 0 else alpha * x)  # alpha = 0: the ReLU, 0 at -inf


def _leaky_slope64(x, alpha=0.01):
    alpha = float(np.asarray(alpha).ravel()[0]) if np.ndim(alpha) else alpha
    return np.where(x > 0, 1.0, alpha)


def _softmax_pairs64(pairs, temperature=1.0):
    """softmax of each row [x, c]: [expit((x - c)/T), expit((c - x)/T)]; x - c is exact."""
    with np.errstate(over="ignore"):  # (x - c) / T beyond 1.8e308 is -+inf: expit 0 or 1
        d = (pairs[:, 0] - pairs[:, 1]) / temperature
    return np.stack([_expit64(d), _expit64(-d)], axis=1)


def _softmax_jacobian_pair64(pair, temperature=1.0):
    """J of softmax([x, c]): s0 s1 / T * [[1, -1], [-1, 1]]."""
    s = _softmax_pairs64(pair[None, :], temperature)[0]
    with np.errstate(over="ignore"):
        q = s[0] * s[1] / temperature
    return np.array([[q, -q], [-q, q]])


def _mp_expit(v):
    return 1 / (1 + MP.exp(-v))


def _mp_leaky(v, alpha=MP.mpf("0.01")):
    return v if v > 0 else (0 if alpha == 0 else alpha * v)


def _mp_pair(row, temperature=1):
    d = (row[0] - row[1]) / temperature
    return [_mp_expit(d), _mp_expit(-d)]


def _mp_jacobian_pair(row, temperature=1):
    s0, s1 = _mp_pair(row, temperature)
    q = s0 * s1 / temperature
    return [[q, -q], [-q, q]]


_ALPHAS = ({}, {"alpha": 0.0}, {"alpha": 0.3}, {"alpha": 1.0}, {"alpha": -0.5}, {"alpha": 2.0},
           {"alpha": 1e-9}, {"alpha": 1e5})
_THRESHOLDS = ({}, {"threshold": 0.7}, {"threshold": -2.5}, {"threshold": 1e-5})

FLOAT16 = {
    "linear": Float16Case(lambda x: x, lambda v: v),
    "binary_step": Float16Case(lambda x, threshold=0.0: np.where(x >= threshold, 1.0, 0.0),
                               lambda v, threshold=0: 1 if v >= threshold else 0, _THRESHOLDS),
    "sigmoid": Float16Case(_expit64, _mp_expit),
    "tanh": Float16Case(_tanh64, MP.tanh),
    "relu": Float16Case(lambda x: np.maximum(x, 0.0), lambda v: max(v, 0)),
    "leaky_relu": Float16Case(_leaky64, _mp_leaky, _ALPHAS),
    "prelu": Float16Case(lambda x, alpha=0.25: _leaky64(x, alpha),
                         lambda v, alpha=MP.mpf("0.25"): _mp_leaky(v, alpha),
                         _ALPHAS + ({"alpha": [0.5]},)),
    "softmax": Float16Case(_softmax_pairs64, _mp_pair,
                           ({}, {"temperature": 0.5}, {"temperature": 7e4},
                            {"temperature": 1e-3}),
                           layout="pairs", partners=(0.0, 2.5, -60000.0)),
    "linear_derivative": Float16Case(np.ones_like, lambda v: 1),
    "binary_step_derivative": Float16Case(lambda x, threshold=0.0: np.zeros_like(x),
                                          lambda v, threshold=0: 0, _THRESHOLDS),
    "sigmoid_derivative": Float16Case(lambda x: _expit64(x) * _expit64(-x),
                                      lambda v: _mp_expit(v) * _mp_expit(-v)),
    "tanh_derivative": Float16Case(_tanh_derivative64, lambda v: 1 / MP.cosh(v) ** 2),
    "relu_derivative": Float16Case(lambda x: np.where(x > 0, 1.0, 0.0),
                                   lambda v: 1 if v > 0 else 0),
    "leaky_relu_derivative": Float16Case(_leaky_slope64,
                                         lambda v, alpha=MP.mpf("0.01"): 1 if v > 0 else alpha,
                                         _ALPHAS),
    "prelu_derivative": Float16Case(lambda x, alpha=0.25: _leaky_slope64(x, alpha),
                                    lambda v, alpha=MP.mpf("0.25"): 1 if v > 0 else alpha,
                                    _ALPHAS + ({"alpha": [0.5]},)),
    "prelu_alpha_derivative": Float16Case(lambda x, alpha=0.25: np.minimum(x, 0.0),
                                          lambda v, alpha=0: min(v, 0), ({}, {"alpha": 3.0})),
    "softmax_jacobian": Float16Case(_softmax_jacobian_pair64, _mp_jacobian_pair,
                                    ({}, {"temperature": 0.5}, {"temperature": 300.0}),
                                    layout="jacobian", partners=(0.0, -7.0)),
}

# Section 4 of the module, the modern activations: their references live in reference_modern.py
from reference_modern import float16_cases as _modern_float16_cases  # noqa: E402

FLOAT16.update({name: Float16Case(reference, exact, params)
                for name, (reference, exact, params) in _modern_float16_cases().items()})
