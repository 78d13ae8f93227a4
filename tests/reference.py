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
