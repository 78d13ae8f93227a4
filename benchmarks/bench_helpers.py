#!/usr/bin/env python3
"""Time every helper in ``activations_helpers`` against its peers and print the tables.

For each helper, and for each dtype (float32, float64) and size (1e3 ... 1e7 elements), one
table compares:

* the helper itself (``activations_helpers.<name>``);
* "article loop": the per-element Python loop of the original article, rewritten here in our
  own code (only up to ``--loop-max`` elements, 1e5 by default, because it is very slow);
* plain NumPy formulas and ``scipy.special`` functions that compute the same thing;
* a memory-copy baseline, ``x.copy()``: a yardstick, not a competitor.

Every implementation is also run once on extreme inputs (+-1e308, +-inf, NaN, -700, ...) with
warnings turned into errors, and compared with a reference computed in extended precision.
Tables show each implementation's "correct" status next to its time, and the "targets" section
at the end says which performance targets are met (PASS/FAIL). The script always exits 0: it
is a report, not a test.

With ``--candidates`` it also times the faster formulas suggested for the helpers that miss a
target (see CANDIDATES below), checked the same way and compared bit for bit with the helper.

Usage (from the repository root; see benchmarks/README.md)::

    .venv/bin/python benchmarks/bench_helpers.py              # full run: 2-3 minutes when idle
    .venv/bin/python benchmarks/bench_helpers.py --quick      # sizes 1e3, 1e5, 1e6; fewer repeats
    .venv/bin/python benchmarks/bench_helpers.py --sizes 1e5,1e6 --dtypes float32 --only sigmoid,relu
    .venv/bin/python benchmarks/bench_helpers.py --sizes 1e6 --dtypes float32 --candidates
"""

import os

# Single-threaded, set before NumPy is imported. (Element-wise ufuncs are single-threaded
# anyway; this only keeps a BLAS from spreading over the cores.) An explicit setting wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import ctypes  # noqa: E402
import functools  # noqa: E402
import gc  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable  # noqa: E402

import numpy as np  # noqa: E402

try:
    import scipy  # noqa: E402
    import scipy.special  # noqa: E402
except ImportError:  # not installed by the project (see README): its peers are left out
    scipy = None

# Benchmark the working tree's module, even if another copy is installed.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import activations_helpers as ah  # noqa: E402

LOOP_MAX_DEFAULT = 100_000
TARGET_SIZE = 1_000_000
SIGMOID_LOOP_SIZE = 100_000
SIGMOID_LOOP_TARGET = 100.0   # sigmoid at least this many times faster than the article loop
PEER_TARGET = 1.5             # each helper within this factor of the fastest correct peer
COPY_TARGET = 1.5             # "ReLU close to a plain memory copy": our reading, relu <= 1.5x copy
ALPHA_LEAKY = 0.01
ALPHA_PRELU = 0.25

HELPER, LOOP, NUMPY, SCIPY, BASELINE, CANDIDATE = (
    "helper", "loop", "numpy", "scipy", "baseline", "candidate")
COPY_LABEL = "x.copy()  [memory-copy baseline]"
COPYTO_LABEL = "np.copyto(out, x)  [preallocated out]"


# ----------------------------------------------------------------------------------------------
# The article's per-element loops, rewritten. They walk the array one element at a time in
# Python, as the article does, and return a list (converting it back to an array is not timed,
# which flatters the loops slightly).
# ----------------------------------------------------------------------------------------------

def loop_linear(values):
    return [v for v in values]


def loop_binary_step(values):
    out = []
    for v in values:
        out.append(0 if v < 0 else 1)
    return out


def loop_sigmoid(values):
    out = []
    for v in values:
        out.append(round(1 / (1 + np.exp(-v)), 3))
    return out


def loop_tanh(values):
    out = []
    for v in values:
        out.append((np.exp(v) - np.exp(-v)) / (np.exp(v) + np.exp(-v)))
    return out


def loop_relu(values):
    out = []
    for v in values:
        out.append(max(0, v))
    return out


def loop_leaky_relu(values):
    out = []
    for v in values:
        out.append(max(0.01 * v, v))
    return out


def loop_softmax(values):
    total = 0
    for v in values:
        total += np.exp(v)
    out = []
    for v in values:
        out.append(np.exp(v) / total)
    return out


def loop_softmax_rows(x):
    return [loop_softmax(row) for row in x]  # the article's 1-D softmax, once per row


def quiet(func):
    """Run `func` with NumPy's floating-point warnings off (the loops on timed inputs)."""
    @functools.wraps(func)
    def wrapper(x):
        with np.errstate(all="ignore"):
            return func(x)
    wrapper.unquiet = func  # the correctness check runs the loop itself, warnings and all
    return wrapper


# ----------------------------------------------------------------------------------------------
# Peers: plain NumPy / scipy formulas
# ----------------------------------------------------------------------------------------------

def naive_sigmoid(x):
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def naive_tanh(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))


def softmax_unshifted(x):
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_shifted(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def sech2_cosh(x):
    with np.errstate(over="ignore"):
        return (1 / np.cosh(x)) ** 2


def jacobian_diag_outer(x):
    s = softmax_shifted(x)
    return np.diag(s) - np.outer(s, s)


def jacobian_inplace(x):
    s = softmax_shifted(x)
    jac = np.outer(-s, s)
    jac.flat[:: s.size + 1] += s
    return jac


def jacobian_scipy(x):
    s = scipy.special.softmax(x)
    return np.diag(s) - np.outer(s, s)


@functools.lru_cache(maxsize=None)
def channel_alpha(channels, dtype):
    """Per-channel PReLU alphas, 0.05 ... 0.3, one per column."""
    return np.linspace(0.05, 0.3, channels).astype(dtype)


def alpha_of(x):
    return channel_alpha(x.shape[-1], x.dtype)


def copy_baseline(x):
    return x.copy()


# ----------------------------------------------------------------------------------------------
# Cases: one helper, its peers, its inputs and an extended-precision reference
# ----------------------------------------------------------------------------------------------

@dataclass
class Impl:
    label: str
    fn: Callable
    kind: str


@dataclass
class Case:
    name: str
    group: str                  # "activation" or "derivative"
    helper: Callable
    peers: list
    reference: Callable         # np.longdouble array -> np.longdouble array (warnings are off)
    layout: str = "flat"        # "flat", "rows" (softmax), "channels" (prelu), "vector" (jacobian)
    note: str = ""
    impls: list = field(init=False)

    def __post_init__(self):
        self.impls = [Impl(f"activations_helpers.{self.helper.__name__}", self.helper, HELPER)]
        self.impls += [p for p in self.peers if p.kind != SCIPY or scipy is not None]


def _nan_to(x, y):
    return np.where(np.isnan(x), x, y)


def _ld_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _ld_softmax(x):
    m = np.max(x, axis=-1, keepdims=True)
    e = np.exp(np.where(x == m, 0, x - m))  # +inf takes all the probability, as documented
    return e / np.sum(e, axis=-1, keepdims=True)


def _ld_jacobian(x):
    s = _ld_softmax(x)
    return np.diag(s) - np.outer(s, s)


def _helper_prelu_channels(x):
    return ah.prelu(x, alpha_of(x))


_helper_prelu_channels.__name__ = "prelu"


def build_cases():
    S = scipy.special if scipy is not None else None
    copy = Impl(COPY_LABEL, copy_baseline, BASELINE)
    cases = [
        Case("linear", "activation", ah.linear, [
            Impl("article loop: [v for v in x]", quiet(loop_linear), LOOP),
            Impl("x.copy()", copy_baseline, NUMPY),
            Impl(COPYTO_LABEL, _copyto_prealloc, BASELINE),
        ], lambda x: x),
        Case("binary_step", "activation", ah.binary_step, [
            Impl("article loop: 0 if v < 0 else 1", quiet(loop_binary_step), LOOP),
            Impl("(x >= 0).astype(x.dtype)", lambda x: (x >= 0).astype(x.dtype), NUMPY),
            Impl("np.heaviside(x, 1.0)", lambda x: np.heaviside(x, 1.0), NUMPY),
            copy,
        ], lambda x: _nan_to(x, x >= 0)),
        Case("sigmoid", "activation", ah.sigmoid, [
            Impl("article loop: round(1/(1+np.exp(-v)), 3)", quiet(loop_sigmoid), LOOP),
            Impl("1/(1+np.exp(-x))  [errstate over=ignore]", naive_sigmoid, NUMPY),
            Impl("0.5*np.tanh(0.5*x) + 0.5", lambda x: 0.5 * np.tanh(0.5 * x) + 0.5, NUMPY),
            Impl("scipy.special.expit(x)", lambda x: S.expit(x), SCIPY),
            copy,
        ], _ld_sigmoid),
        Case("tanh", "activation", ah.tanh, [
            Impl("article loop: (e^v-e^-v)/(e^v+e^-v)", quiet(loop_tanh), LOOP),
            Impl("np.tanh(x)", np.tanh, NUMPY),
            Impl("(np.exp(x)-np.exp(-x))/(np.exp(x)+np.exp(-x))", naive_tanh, NUMPY),
            Impl("2*scipy.special.expit(2*x) - 1", lambda x: 2 * S.expit(2 * x) - 1, SCIPY),
            copy,
        ], np.tanh),
        Case("relu", "activation", ah.relu, [
            Impl("article loop: max(0, v)", quiet(loop_relu), LOOP),
            Impl("np.maximum(x, 0)", lambda x: np.maximum(x, 0), NUMPY),
            Impl("np.clip(x, 0, None)", lambda x: np.clip(x, 0, None), NUMPY),
            Impl("np.where(x > 0, x, 0)", lambda x: np.where(x > 0, x, 0), NUMPY),
            Impl("x * (x > 0)", lambda x: x * (x > 0), NUMPY),
            copy,
            Impl(COPYTO_LABEL, _copyto_prealloc, BASELINE),
        ], lambda x: _nan_to(x, np.where(x > 0, x, 0))),
        Case("leaky_relu", "activation", ah.leaky_relu, [
            Impl("article loop: max(0.01*v, v)", quiet(loop_leaky_relu), LOOP),
            Impl("np.maximum(x, 0.01*x)", lambda x: np.maximum(x, ALPHA_LEAKY * x), NUMPY),
            Impl("np.where(x > 0, x, 0.01*x)", lambda x: np.where(x > 0, x, ALPHA_LEAKY * x),
                 NUMPY),
            copy,
        ], lambda x: np.where(x > 0, x, ALPHA_LEAKY * x)),
        Case("prelu", "activation", ah.prelu, [
            Impl("np.maximum(x, 0.25*x)", lambda x: np.maximum(x, ALPHA_PRELU * x), NUMPY),
            Impl("np.where(x > 0, x, 0.25*x)", lambda x: np.where(x > 0, x, ALPHA_PRELU * x),
                 NUMPY),
            copy,
        ], lambda x: np.where(x > 0, x, ALPHA_PRELU * x), note="alpha=0.25 (one number)"),
        Case("prelu[channels]", "activation", _helper_prelu_channels, [
            Impl("np.where(x > 0, x, a*x)", lambda x: np.where(x > 0, x, alpha_of(x) * x), NUMPY),
            Impl("np.maximum(x, 0) + a*np.minimum(x, 0)",
                 lambda x: np.maximum(x, 0) + alpha_of(x) * np.minimum(x, 0), NUMPY),
            copy,
        ], lambda x: np.where(x > 0, x, alpha_of(x).astype(np.longdouble) * x),
            layout="channels", note="x of shape (n/100, 100), alpha a of shape (100,)"),
        Case("softmax", "activation", ah.softmax, [
            Impl("article loop, row by row", quiet(loop_softmax_rows), LOOP),
            Impl("e=np.exp(x); e/e.sum(-1)  [unshifted]", softmax_unshifted, NUMPY),
            Impl("e=np.exp(x-x.max(-1)); e/e.sum(-1)  [shifted]", softmax_shifted, NUMPY),
            Impl("scipy.special.softmax(x, axis=-1)", lambda x: S.softmax(x, axis=-1), SCIPY),
            copy,
        ], _ld_softmax, layout="rows", note="2-D batch, rows of 1000, axis=-1"),
        Case("linear_derivative", "derivative", ah.linear_derivative, [
            Impl("np.ones_like(x)", np.ones_like, NUMPY),
            copy,
        ], lambda x: _nan_to(x, np.ones_like(x))),
        Case("binary_step_derivative", "derivative", ah.binary_step_derivative, [
            Impl("np.zeros_like(x)", np.zeros_like, NUMPY),
            copy,
        ], lambda x: _nan_to(x, np.zeros_like(x))),
        Case("sigmoid_derivative", "derivative", ah.sigmoid_derivative, [
            Impl("s=1/(1+np.exp(-x)); s*(1-s)", _sigmoid_d_naive, NUMPY),
            Impl("s=scipy.special.expit(x); s*(1-s)", _sigmoid_d_expit, SCIPY),
            Impl("expit(x) * expit(-x)", lambda x: S.expit(x) * S.expit(-x), SCIPY),
            copy,
        ], lambda x: _ld_sigmoid(x) * _ld_sigmoid(-x)),
        Case("tanh_derivative", "derivative", ah.tanh_derivative, [
            Impl("1 - np.tanh(x)**2", lambda x: 1 - np.tanh(x) ** 2, NUMPY),
            Impl("(1/np.cosh(x))**2  [errstate over=ignore]", sech2_cosh, NUMPY),
            copy,
        ], lambda x: 1 / np.cosh(x) ** 2),
        Case("relu_derivative", "derivative", ah.relu_derivative, [
            Impl("(x > 0).astype(x.dtype)", lambda x: (x > 0).astype(x.dtype), NUMPY),
            Impl("np.heaviside(x, 0.0)", lambda x: np.heaviside(x, 0.0), NUMPY),
            copy,
        ], lambda x: _nan_to(x, x > 0)),
        Case("leaky_relu_derivative", "derivative", ah.leaky_relu_derivative, [
            Impl("np.where(x > 0, 1, 0.01).astype(x.dtype)",
                 lambda x: np.where(x > 0, 1, ALPHA_LEAKY).astype(x.dtype), NUMPY),
            copy,
        ], lambda x: _nan_to(x, np.where(x > 0, 1, ALPHA_LEAKY))),
        Case("prelu_derivative", "derivative", ah.prelu_derivative, [
            Impl("np.where(x > 0, 1, 0.25).astype(x.dtype)",
                 lambda x: np.where(x > 0, 1, ALPHA_PRELU).astype(x.dtype), NUMPY),
            copy,
        ], lambda x: _nan_to(x, np.where(x > 0, 1, ALPHA_PRELU)), note="alpha=0.25"),
        Case("prelu_alpha_derivative", "derivative", ah.prelu_alpha_derivative, [
            Impl("np.minimum(x, 0)", lambda x: np.minimum(x, 0), NUMPY),
            copy,
        ], lambda x: np.minimum(x, 0), note="alpha=0.25"),
        Case("softmax_jacobian", "derivative", ah.softmax_jacobian, [
            Impl("s=softmax; np.diag(s) - np.outer(s, s)", jacobian_diag_outer, NUMPY),
            Impl("s=softmax; J=np.outer(-s, s); J.flat[::n+1] += s", jacobian_inplace, NUMPY),
            Impl("s=scipy.special.softmax(x); diag - outer", jacobian_scipy, SCIPY),
        ], _ld_jacobian, layout="vector",
            note="x of n = sqrt(size) scores; the output has n*n = size elements"),
    ]
    return cases


_PREALLOC = {}


def _copyto_prealloc(x):
    out = _PREALLOC.get((x.shape, x.dtype))
    if out is None:
        out = _PREALLOC[(x.shape, x.dtype)] = np.empty_like(x)
    np.copyto(out, x)
    return out


def _sigmoid_d_naive(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)


def _sigmoid_d_expit(x):
    s = scipy.special.expit(x)
    return s * (1 - s)


# ----------------------------------------------------------------------------------------------
# Inputs: one seeded standard-normal sample, scaled by 3, shared by every case
# ----------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)  # one float64 sample per size: about 90 MB up to 1e7
def base_sample(n):
    return 3.0 * np.random.default_rng(0).standard_normal(n)


def make_input(case, n, dtype):
    """The timed input for `case` at about `n` elements, and a description of its shape."""
    if case.layout == "vector":
        m = max(1, round(n ** 0.5))
        return base_sample(n)[:m].astype(dtype), f"x: ({m},), output: ({m}, {m})"
    x = base_sample(n).astype(dtype)
    if case.layout == "rows":
        cols = min(n, 1000)
        x = x[: (n // cols) * cols].reshape(-1, cols)
    elif case.layout == "channels":
        cols = min(n, 100)
        x = x[: (n // cols) * cols].reshape(-1, cols)
    return x, f"x: {x.shape}"


# ----------------------------------------------------------------------------------------------
# Correctness on extreme inputs
# ----------------------------------------------------------------------------------------------

_EXTREMES = [-np.inf, -1e308, -3.4e38, -1e4, -1000, -745, -720, -710, -700, -100, -95, -89, -88.5,
             -50, -40, -20, -10, -1, -1e-30, -0.0, 0.0, 1e-30, 1, 10, 20, 40, 50, 100, 700, 710,
             1000, 1e4, 3.4e38, 1e308, np.inf, np.nan]
_SOFTMAX_ROWS = [[1, 2, 3], [1000, 1001, 1002], [-1000, 0, 1000], [-745, -700, 0],
                 [np.inf, 0, 1], [-np.inf, 0, 1], [1e308, 0, -1e308], [-1e308, -1e308, 0],
                 [np.nan, 0, 1]]


def probe_inputs(case, dtype):
    """A list of probe arrays: extreme values, plus a finite part with |x| <= 1000."""
    with np.errstate(over="ignore"):  # 1e308 becomes inf in float32: a duplicate, harmless
        if case.layout in ("rows", "vector"):
            rows = [np.array(r, dtype=np.float64).astype(dtype) for r in _SOFTMAX_ROWS]
            if case.layout == "rows":
                return [np.stack(rows)]
            return rows
        flat = np.concatenate([np.array(_EXTREMES), np.linspace(-8, 8, 65)]).astype(dtype)
    if case.layout == "channels":
        return [np.repeat(flat[:, None], 4, axis=1)]
    return [flat]


def _is_moderate(x):
    return bool(np.all(np.isfinite(x)) and np.all(np.abs(x) <= 1000))


def moderate_part(case, probes):
    """The probes restricted to finite |x| <= 1000 (rows / vectors kept whole)."""
    if case.layout == "rows":
        x = probes[0]
        keep = np.isfinite(x).all(axis=1) & (np.abs(x) <= 1000).all(axis=1)
        return [x[keep]]
    if case.layout == "vector":
        return [v for v in probes if _is_moderate(v)]
    x = probes[0]
    keep = np.isfinite(x) & (np.abs(x) <= 1000)
    if case.layout == "channels":
        return [x[keep.all(axis=1)]]
    return [x[keep]]


def _tolerances(dtype):
    info = np.finfo(dtype)
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    return rtol, 8 * info.smallest_subnormal, info.smallest_normal


def _compare(x, got, want, rtol, atol, layout):
    """None if `got` matches `want`, else a short description of the first mismatch."""
    got = np.asarray(got, dtype=np.float64)
    if got.shape != want.shape:
        return f"shape {got.shape}, want {want.shape}"
    ok = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if ok.all():
        return None
    i = np.unravel_index(np.argmin(ok), ok.shape)
    if layout == "rows":
        where = f"row {x[i[0]].tolist()}"
    elif layout == "vector":
        where = f"x={x.tolist()}"
    else:
        where = f"x={x[i]:.4g}"
    return f"{where}: got {got[i]:.7g}, want {want[i]:.7g}"


def _run_checked(fn, x):
    """Call fn(x) with NumPy's default error state and every warning raised as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
            return fn(x)


def check(case, impl, dtype):
    """'yes', 'yes*' (differs only below the smallest normal number), 'finite' (correct only
    for finite |x| <= 1000) or 'NO', and the reason when it is not 'yes'."""
    rtol, atol_strict, atol_subnormal = _tolerances(dtype)
    probes = probe_inputs(case, dtype)

    def run(xs, atol):
        for x in xs:
            try:
                got = _run_checked(getattr(impl.fn, "unquiet", impl.fn), x)
            except Exception as exc:  # noqa: BLE001 - any warning or error is a finding
                return f"{type(exc).__name__}: {exc}"
            with np.errstate(all="ignore"):
                want = case.reference(x.astype(np.longdouble)).astype(dtype).astype(np.float64)
            problem = _compare(x, got, want, rtol, atol, case.layout)
            if problem:
                return problem
        return None

    strict = run(probes, atol_strict)
    if strict is None:
        return "yes", ""
    lenient = run(probes, atol_subnormal)
    if lenient is None:
        return "yes*", f"differs only in subnormal outputs ({strict})"
    moderate = run(moderate_part(case, probes), atol_subnormal)
    if moderate is None:
        return "finite", lenient
    return "NO", moderate


CORRECT = ("yes", "yes*")


# ----------------------------------------------------------------------------------------------
# Candidates (--candidates): faster formulas for helpers that miss a target. They are not peers
# and never count as "fastest"; they are suggestions for activations_helpers.py, checked on the
# same extreme inputs, compared bit for bit with the helper, and timed next to it.
# ----------------------------------------------------------------------------------------------

def cand_relu_clip(x):
    # np.clip with two scalar bounds runs a SIMD loop; np.maximum(x, 0) with a scalar does not
    # (float32, this NumPy). clip keeps NaN. Only difference: relu(-0.0) is -0.0, not 0.0.
    return np.clip(x, 0, np.inf)


def cand_relu_clip_plus0(x):
    y = np.clip(x, 0, np.inf)
    y += 0  # -0.0 + 0 = +0.0: now bit-identical to np.maximum(x, 0)
    return y


def cand_linear_derivative(x):
    return np.clip(x, 1, 1)  # 1 everywhere, NaN stays NaN: one pass, no mask


def cand_binary_step_derivative(x):
    y = np.clip(x, 0, 0)  # 0 (-0.0 for x = -0.0), NaN stays NaN
    y += 0                # -0.0 -> +0.0
    return y


def cand_relu_derivative(x):
    y = np.clip(x, 0, 1)  # in (0, 1] where x > 0, 0 (or -0.0) where x <= 0, NaN stays NaN
    np.ceil(y, out=y)     # 1 where x > 0
    y += 0                # -0.0 -> +0.0
    return y


def cand_step_alpha(alpha):
    """leaky_relu_derivative / prelu_derivative for one alpha with 0 < alpha <= 1."""
    def derivative(x):
        y = np.ceil(x)                        # >= 1 where x > 0, <= 0 where x <= 0, NaN stays
        return np.clip(y, alpha, 1, out=y)    # 1 where x > 0, alpha elsewhere
    return derivative


def cand_sigmoid_inplace(x):
    """The helper's formula and bits, with 2 float temporaries instead of 6."""
    z = np.abs(x)
    np.negative(z, out=z)
    np.exp(z, out=z)                # e^{-|x|} in [0, 1]
    d = z + 1
    np.maximum(z, x >= 0, out=z)    # numerator: 1 where x >= 0, else z (NaN stays NaN)
    z /= d
    return z


def cand_sigmoid_naive(x):
    """1/(1+e^{-x}) in place; e^{-x} = inf (x < -709.8 in float64) gives 1/inf = 0, the limit,
    so silencing that overflow is safe. Loses only subnormal outputs."""
    with np.errstate(over="ignore"):
        y = np.negative(x)
        np.exp(y, out=y)
    y += 1
    return np.reciprocal(y, out=y)


def cand_softmax(x, axis=-1, temperature=1.0):
    """The helper's softmax without its slow path when every max along axis is finite."""
    m = np.max(x, axis=axis, keepdims=True)
    if not np.isfinite(m).all():              # +-inf or NaN: the helper's careful path
        return ah.softmax(x, axis=axis, temperature=temperature)
    with np.errstate(over="ignore"):
        e = np.subtract(x, m)                 # <= 0, exactly 0 at the max, -inf if too large
    if temperature != 1:
        e /= temperature
    np.exp(e, out=e)
    e /= np.sum(e, axis=axis, keepdims=True)
    return e


def cand_softmax_jacobian(x, temperature=1.0):
    """The helper's float64 diag(s) - s s^T, cast to x's dtype, with one n*n temporary
    instead of four; same bits as the helper. (x: a float array.)"""
    x = np.asarray(x)
    s = ah.softmax(x, temperature=temperature).astype(np.float64)
    jac = np.multiply.outer(s, s)
    np.subtract(0, jac, out=jac)              # 0 - s_i s_j (+0.0, not -0.0, where it is 0)
    jac.flat[:: s.size + 1] += s              # + diag(s)
    if temperature != 1:
        jac /= temperature
    with np.errstate(over="ignore"):          # as the helper: too large for float16/32 -> inf
        return jac.astype(x.dtype, copy=False)


def cand_softmax_jacobian_native(x, temperature=1.0):
    """The same in x's dtype, float32 staying float32 (as the helper did before it moved to
    float64): within 1 ulp of the helper for float32, identical for float64."""
    s = ah.softmax(x, temperature=temperature)
    jac = np.multiply.outer(s, s)
    np.subtract(0, jac, out=jac)
    jac.flat[:: s.size + 1] += s
    if temperature != 1:
        with np.errstate(over="ignore"):
            jac /= temperature
    return jac


def cand_prelu_channels(x, alpha):
    """prelu with one alpha per channel, same bits as the helper, without its float64
    temporaries when they cannot change the result. (x: a float array.)"""
    a = np.asarray(alpha, dtype=np.float64)
    neg = np.minimum(x, 0)
    if np.all((a != 0) & (np.abs(a) <= 1)) and np.array_equal(a.astype(x.dtype), a):
        # alpha is exact in x's dtype and |alpha| <= 1: a * x rounded once in x's dtype is
        # the float64 product (exact: 24 + 24 bits < 53) rounded to x's dtype, and cannot
        # overflow; no alpha is 0, so no 0 * -inf.
        neg *= a.astype(x.dtype)
    else:
        prod = np.multiply(a, neg, out=np.zeros(x.shape), where=a != 0)  # the helper's way
        with np.errstate(over="ignore"):
            neg = prod.astype(x.dtype)
    y = np.maximum(x, 0)
    y += neg          # one of the two terms is always 0, so the sum is exact
    return y


CANDIDATES = {
    "relu": [("np.clip(x, 0, np.inf)", cand_relu_clip),
             ("y = np.clip(x, 0, np.inf); y += 0", cand_relu_clip_plus0)],
    "sigmoid": [("helper formula, in place", cand_sigmoid_inplace),
                ("1/(1+np.exp(-x)) in place [errstate over]", cand_sigmoid_naive)],
    "prelu[channels]": [("max(x,0) + a*min(x,0), x's dtype if exact",
                         lambda x: cand_prelu_channels(x, alpha_of(x)))],
    "softmax": [("fast path when max is finite", cand_softmax)],
    "linear_derivative": [("np.clip(x, 1, 1)", cand_linear_derivative)],
    "binary_step_derivative": [("np.clip(x, 0, 0)", lambda x: np.clip(x, 0, 0)),
                               ("y = np.clip(x, 0, 0); y += 0", cand_binary_step_derivative)],
    "relu_derivative": [("y = np.ceil(np.clip(x, 0, 1)); y += 0", cand_relu_derivative)],
    "leaky_relu_derivative": [("np.clip(np.ceil(x), 0.01, 1)", cand_step_alpha(ALPHA_LEAKY))],
    "prelu_derivative": [("np.clip(np.ceil(x), 0.25, 1)", cand_step_alpha(ALPHA_PRELU))],
    "softmax_jacobian": [("float64: outer, 0 - it, += s on diagonal", cand_softmax_jacobian),
                         ("x's dtype: outer, 0 - it, += s on diagonal",
                          cand_softmax_jacobian_native)],
}


def same_as_helper(case, fn, dtype):
    """Compare fn with the helper bit for bit on the extreme probes and a 1e5 normal sample."""
    xs = probe_inputs(case, dtype)
    xs.append(make_input(case, 100_000, dtype)[0])
    tiny = np.finfo(dtype).smallest_normal
    worst, flushed, zero_sign = (0.0, ""), 0, ""
    for x in xs:
        with np.errstate(all="ignore"):
            a = np.asarray(fn(x), dtype=np.float64)
            b = np.asarray(case.helper(x), dtype=np.float64)
        if a.shape != b.shape:
            return f"shape {a.shape}, helper's {b.shape}"
        both_nan = np.isnan(a) & np.isnan(b)
        values_differ = ~both_nan & (a != b)
        signs_differ = ~both_nan & ~values_differ & (np.signbit(a) != np.signbit(b))
        if signs_differ.any():
            i = np.argmax(signs_differ)
            zero_sign = f"sign of zero differs (got {a.flat[i]}, helper {b.flat[i]})"
        flush = values_differ & (a == 0) & (np.abs(b) < tiny)
        flushed += int(flush.sum())
        rest = values_differ & ~flush
        if rest.any():
            with np.errstate(all="ignore"):
                ulps = np.abs(a - b) / np.spacing(np.abs(b).astype(dtype)).astype(np.float64)
            ulps = np.where(rest, np.nan_to_num(ulps, nan=np.inf), 0)
            i = np.unravel_index(np.argmax(ulps), ulps.shape)
            if ulps[i] > worst[0]:
                worst = (float(ulps[i]), f"max at {a[i]:.9g} vs helper {b[i]:.9g}")
    parts = []
    if worst[0]:
        parts.append(f"values differ by up to {worst[0]:,.0f} ulp ({worst[1]})")
    if flushed:
        parts.append(f"{flushed} subnormal helper output(s) flushed to 0")
    if zero_sign:
        parts.append(zero_sign)
    return "; ".join(parts) if parts else "identical bits"


def run_candidates(cases, cfg):
    print("\n" + "=" * 110)
    print(f"CANDIDATES: faster formulas for activations_helpers.py, n = {fmt_size(TARGET_SIZE)}")
    print("  timed together with the helper and its peers; 'same as helper' compares bits on the")
    print("  extreme inputs and a 1e5 normal sample. Candidates never count as 'fastest'.")
    print("=" * 110)
    for case in cases:
        if case.name not in CANDIDATES:
            continue
        extra = [Impl("CANDIDATE " + label, fn, CANDIDATE) for label, fn in CANDIDATES[case.name]]
        impls = [i for i in case.impls if i.kind != LOOP] + extra
        view = Case(case.name, case.group, case.helper, [], case.reference, case.layout, case.note)
        view.impls = impls
        for dtype in cfg.dtypes:
            statuses = {i.label: ("-", "") if i.kind == BASELINE else check(view, i, dtype)
                        for i in impls}
            x, shape_desc = make_input(case, TARGET_SIZE, dtype)
            results = time_group(impls, x, cfg, boost=True)
            print_table(view, dtype, TARGET_SIZE, shape_desc, results, statuses)
            target = target_peer(view, results, statuses)
            for impl in extra:
                status, why = statuses[impl.label]
                t = results[impl.label]
                print(f"    {impl.label}: correct {status}{' (' + why + ')' if why else ''}")
                print(f"      vs helper: {same_as_helper(case, impl.fn, dtype)}")
                if target:
                    ratio = paired_ratio(t, results[target[0]])
                    speedup = paired_ratio(results[view.impls[0].label], t)
                    verdict = "PASS" if ratio <= PEER_TARGET else "FAIL"
                    print(f"      speed (paired): {speedup:.2f}x the helper's; {ratio:.2f}x the "
                          f"target peer ({target[0]}, {target[2]}): would {verdict} the "
                          f"{PEER_TARGET}x target")
                if case.name == "relu" and COPY_LABEL in results:
                    ratio = paired_ratio(t, results[COPY_LABEL])
                    print(f"      vs x.copy() (paired): {ratio:.2f}x: would "
                          f"{'PASS' if ratio <= COPY_TARGET else 'FAIL'} the relu-vs-copy target")


# ----------------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------------

@dataclass
class Config:
    sizes: list
    dtypes: list
    loop_max: int
    budget: float          # seconds of timing per implementation and size (roughly)
    min_repeats: int
    max_repeats: int
    loop_repeats: int
    min_sample: float      # one timing sample lasts at least this long (several calls if fast)
    target_budget: float   # the same two, for the float32 1e6 tables the targets are decided on
    target_min_repeats: int


@dataclass
class Timing:
    median: float
    best: float
    runs: int
    samples: list  # seconds per call, one per round, in round order


def paired_ratio(a, b):
    """Median over rounds of a's time / b's time in the same round. Both were timed moments
    apart, so this cancels most of the load that other processes put on the machine."""
    return statistics.median(x / y for x, y in zip(a.samples, b.samples))


def steady_allocator():
    """Make glibc's malloc keep freed blocks of up to 32 MiB instead of handing them back to
    the OS. By default it adapts its mmap threshold to the history of the process, so the same
    1e6-element call may reuse warm memory or page-fault 4 MB afresh (0.2 ms or 4 ms here),
    depending on what ran before. Fixing the threshold makes every implementation pay the same
    allocation cost; arrays above 32 MiB (1e7 float32/float64) are still mmapped each time.
    Returns a description for the header."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        ok = (libc.mallopt(m_mmap_threshold, 32 * 1024 * 1024) == 1
              and libc.mallopt(m_trim_threshold, 1 << 30) == 1)
    except (OSError, AttributeError):
        ok = False
    if ok:
        return "glibc malloc with a fixed mmap threshold of 32 MiB and no trimming"
    return "the default allocator (could not set glibc's mallopt)"


def calls_per_sample(fn, x, min_sample):
    """Like timeit's autorange: how many calls make one sample last at least min_sample."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn(x)
        elapsed = time.perf_counter() - t0
        if elapsed >= min_sample:
            return number, elapsed / number
        if elapsed > 2e-5:  # measurable: jump straight to about the right count
            number = max(number + 1, int(number * min_sample / elapsed * 1.2))
        else:
            number *= 10


WARM_CALL_LIMIT = 0.02  # below this per call, each timed run follows one untimed call


def time_group(impls, x, cfg, boost=False):
    """Time each impl on x; {label: Timing}.

    Implementations take turns, round by round (the order rotating), and all get the same
    number of runs, so a burst of load from other processes hits them alike (the article loops,
    being slow, get cfg.loop_repeats single-call runs). Each timed run of a call shorter than
    WARM_CALL_LIMIT follows one untimed call of the same implementation: otherwise whichever
    runs first in a round pays for the caches the previous one left cold (measured: +40% at
    1e6 float32). `boost`: the larger budget and minimum of runs for the tables that decide
    the targets."""
    budget = cfg.target_budget if boost else cfg.budget
    min_repeats = cfg.target_min_repeats if boost else cfg.min_repeats
    plans = []  # [impl, calls per run, warm call?, seconds per round, samples]
    for impl in impls:
        if impl.kind == LOOP:  # pure Python, slow: one call per run, no warm-up
            plans.append([impl, 1, False, 0.0, []])
            continue
        impl.fn(x)  # warm-up (and first touch of any new memory)
        number, per_call = calls_per_sample(impl.fn, x, cfg.min_sample)
        warm = per_call < WARM_CALL_LIMIT
        plans.append([impl, number, warm, per_call * (number + warm), []])
    round_time = sum(p[3] for p in plans)
    repeats = int(budget * max(1, len(plans)) / max(round_time, 1e-9))
    repeats = min(cfg.max_repeats, max(min_repeats, repeats))
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for r in range(max(repeats, cfg.loop_repeats)):
            shift = r % len(plans)  # rotate who goes first, so no one always follows the same
            for impl, number, warm, _, samples in plans[shift:] + plans[:shift]:
                if r >= (cfg.loop_repeats if impl.kind == LOOP else repeats):
                    continue
                fn = impl.fn
                if warm:
                    fn(x)
                t0 = time.perf_counter()
                for _ in range(number):
                    fn(x)
                samples.append((time.perf_counter() - t0) / number)
    finally:
        if gc_was_enabled:
            gc.enable()
    return {p[0].label: Timing(statistics.median(p[4]), min(p[4]), len(p[4]), p[4])
            for p in plans}


# ----------------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------------

def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def fmt_size(n):
    exp = len(str(n)) - 1
    return f"1e{exp}" if n == 10 ** exp else f"{n:,}"


def fmt_ratio(r):
    if r is None:
        return "-"
    if r < 10:
        return f"{r:.2f}"
    return f"{r:.1f}" if r < 100 else f"{r:,.0f}"


def fastest(case, results, statuses, tiers=None, attr="median"):
    """(label, seconds) of the fastest NumPy/scipy peer, optionally only those whose
    correctness status is in `tiers`; None if there is none."""
    best = None
    for impl in case.impls:
        if impl.kind not in (NUMPY, SCIPY) or impl.label not in results:
            continue
        if tiers is not None and statuses[impl.label][0] not in tiers:
            continue
        t = getattr(results[impl.label], attr)
        if best is None or t < best[1]:
            best = (impl.label, t)
    return best


def target_peer(case, results, statuses):
    """The peer a helper is held to: the fastest correct one (yes/yes*); if there is none, the
    fastest 'finite' one; failing that, the fastest of all. (label, seconds, tier) or None."""
    for tiers, tier in ((CORRECT, "correct"), (("finite",), "finite only"),
                        (None, "no peer correct")):
        best = fastest(case, results, statuses, tiers)
        if best is not None:
            return best[0], best[1], tier
    return None


def print_table(case, dtype, n, shape_desc, results, statuses):
    t_helper = results[case.impls[0].label].median
    best = fastest(case, results, statuses)
    best_ok = fastest(case, results, statuses, CORRECT)
    print(f"\n{case.name} | {np.dtype(dtype).name} | n = {fmt_size(n)} | {shape_desc}")
    head = (f"  {'implementation':<56}{'kind':<10}{'median ms':>11}{'min ms':>11}{'runs':>6}"
            f"{'peer/helper':>13}{'/fastest':>10}{'/fastest ok':>13}  correct")
    print(head)
    print("  " + "-" * (len(head) - 2))
    for impl in case.impls:
        status = statuses[impl.label][0]
        if impl.label not in results:
            print(f"  {impl.label:<56}{impl.kind:<10}{'skipped':>11}{'-':>11}{'-':>6}{'-':>13}"
                  f"{'-':>10}{'-':>13}  {status}")
            continue
        t = results[impl.label]
        vs_best = t.median / best[1] if best else None
        vs_ok = t.median / best_ok[1] if best_ok else None
        print(f"  {impl.label:<56}{impl.kind:<10}{t.median * 1e3:>11.4f}{t.best * 1e3:>11.4f}"
              f"{t.runs:>6}{fmt_ratio(t.median / t_helper):>13}{fmt_ratio(vs_best):>10}"
              f"{fmt_ratio(vs_ok):>13}  {status}")


def parse_size(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad size {text!r}") from None
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"bad size {text!r}")
    return int(value)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="sizes 1e3,1e5,1e6, fewer repeats, one run of each article loop")
    p.add_argument("--sizes", help="comma-separated sizes, e.g. 1e3,1e6 (default 1e3,...,1e7)")
    p.add_argument("--dtypes", default="float32,float64", help="default: float32,float64")
    p.add_argument("--only", help="comma-separated case names, e.g. sigmoid,relu,softmax")
    p.add_argument("--loop-max", type=parse_size, default=LOOP_MAX_DEFAULT,
                   help="largest size at which the article loops run (default 1e5)")
    p.add_argument("--default-malloc", action="store_true",
                   help="leave glibc malloc's adaptive thresholds alone (noisier at 1e6)")
    p.add_argument("--candidates", action="store_true",
                   help="also time the suggested faster formulas at 1e6 (see CANDIDATES)")
    args = p.parse_args(argv)
    if args.sizes:
        try:
            sizes = [parse_size(s.strip()) for s in args.sizes.split(",") if s.strip()]
        except argparse.ArgumentTypeError as exc:
            p.error(f"--sizes: {exc}")
    elif args.quick:
        sizes = [10 ** 3, 10 ** 5, 10 ** 6]
    else:
        sizes = [10 ** k for k in range(3, 8)]
    try:
        dtypes = [np.dtype(d.strip()).type for d in args.dtypes.split(",") if d.strip()]
    except TypeError as exc:
        p.error(f"--dtypes: {exc}")
    if not sizes or not dtypes or any(d not in (np.float32, np.float64) for d in dtypes):
        p.error("need at least one size, and dtypes among float32, float64")
    if args.quick:
        cfg = Config(sorted(set(sizes)), dtypes, args.loop_max, budget=0.01, min_repeats=3,
                     max_repeats=30, loop_repeats=1, min_sample=2e-4, target_budget=0.03,
                     target_min_repeats=7)
    else:
        cfg = Config(sorted(set(sizes)), dtypes, args.loop_max, budget=0.03, min_repeats=5,
                     max_repeats=100, loop_repeats=3, min_sample=5e-4, target_budget=0.15,
                     target_min_repeats=21)
    return args, cfg


def helpers_version():
    """Which activations_helpers.py is measured: its git commit, and whether it has edits."""
    path = Path(ah.__file__).resolve()
    try:
        def git(*argv):
            # --no-optional-locks: never take .git/index.lock (others may be committing)
            return subprocess.run(["git", "--no-optional-locks", *argv], cwd=path.parent,
                                  capture_output=True, text=True, timeout=10,
                                  check=True).stdout.strip()
        commit = git("log", "-1", "--format=%h %cd", "--date=iso", "--", path.name)
        edited = git("status", "--porcelain", "--", path.name)
    except (OSError, subprocess.SubprocessError):
        return str(path)
    return f"{path} (last commit {commit}{'; with uncommitted edits' if edited else ''})"


def print_header(args, cfg, allocator):
    print("Benchmark: activations_helpers vs article loops, plain NumPy and scipy.special")
    print(f"  python {platform.python_version()}, numpy {np.__version__}, "
          f"scipy {scipy.__version__ if scipy else 'not installed (scipy peers left out)'}")
    print(f"  cpu: {cpu_name()} ({os.cpu_count()} logical cores), {platform.system()} "
          f"{platform.machine()}; load average at start: "
          f"{', '.join(f'{v:.2f}' for v in os.getloadavg()) if hasattr(os, 'getloadavg') else '?'}")
    print("  threads: " + ", ".join(f"{v}={os.environ.get(v)}" for v in
                                   ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE")))
    print(f"  sizes: {', '.join(fmt_size(n) for n in cfg.sizes)}; dtypes: "
          f"{', '.join(np.dtype(d).name for d in cfg.dtypes)}; article loops up to "
          f"{fmt_size(cfg.loop_max)} elements ('skipped' above)"
          f"{'; QUICK mode' if args.quick else ''}")
    print("  input: 3 * standard normal from np.random.default_rng(0), the same sample for every case")
    print(f"  memory: {allocator}")
    print(f"  helpers: {helpers_version()}")
    print(f"  timing: time.perf_counter after a warm-up; each run lasts >= "
          f"{cfg.min_sample * 1e3:g} ms (several calls if fast) and")
    print("    follows one untimed call; implementations take turns, round by round, in rotating order,")
    print(f"    >= {cfg.min_repeats} runs each ({cfg.target_min_repeats} at 1e6 float32, which decides "
          f"the targets; {cfg.loop_repeats} for the article loops,")
    print("    which return lists: list->array is not timed)")
    print("  columns: median ms and min ms per call; peer/helper = median / helper's median")
    print("    (>1: helper faster); /fastest = median / the fastest NumPy-or-scipy peer's median;")
    print("    /fastest ok = the same against the fastest peer that is correct (yes or yes*)")
    print("  correct: run once on extreme inputs (+-1e308, +-3.4e38, +-inf, NaN, -0.0, -745...-700,")
    print("    +-1000, ...; softmax rows such as [inf, 0, 1], [1e308, 0, -1e308]) with every warning")
    print("    raised as an error, against a reference computed in np.longdouble:")
    print("      yes    = no warning, same values (rtol 1e-5 float32, 1e-12 float64)")
    print("      yes*   = as yes, except outputs below the smallest normal number flushed to 0")
    print("      finite = right only for finite |x| <= 1000: beyond, it warns, overflows to NaN,")
    print("               or loses NaN (NaN in must give NaN out)")
    print("      NO     = wrong even there (rounds to 3 digits, 0 where the answer is tiny, ...)")
    print("    kinds: helper, loop (article), numpy, scipy, baseline (a yardstick, never 'fastest')")


def main(argv=None):
    args, cfg = parse_args(argv)
    started = time.perf_counter()
    cases = build_cases()
    if args.only:
        wanted = {s.strip() for s in args.only.split(",") if s.strip()}
        unknown = wanted - {c.name for c in cases}
        if unknown:
            print(f"unknown case(s) {sorted(unknown)}; known: {', '.join(c.name for c in cases)}")
            return 2
        cases = [c for c in cases if c.name in wanted]
    allocator = ("the default allocator (--default-malloc)" if args.default_malloc
                 else steady_allocator())
    print_header(args, cfg, allocator)

    measured = {}  # (case name, dtype, n) -> (results, statuses, case)
    for case in cases:
        statuses = {}
        for dtype in cfg.dtypes:
            statuses[dtype] = {i.label: ("-", "") if i.kind == BASELINE else check(case, i, dtype)
                               for i in case.impls}
        print("\n" + "=" * 110)
        print(f"{case.name}  ({case.group}){'  -- ' + case.note if case.note else ''}")
        for dtype in cfg.dtypes:
            notes = [f"{label}: {st} -- {why}" for label, (st, why) in statuses[dtype].items()
                     if st not in ("yes", "-")]
            if notes:
                print(f"  correctness, {np.dtype(dtype).name} (all others: yes):")
                for line in notes:
                    print(f"    {line}")
        print("=" * 110)
        for dtype in cfg.dtypes:
            for n in cfg.sizes:
                x, shape_desc = make_input(case, n, dtype)
                impls = [i for i in case.impls if not (i.kind == LOOP and x.size > cfg.loop_max)]
                boost = n == TARGET_SIZE and dtype == np.float32
                results = time_group(impls, x, cfg, boost)
                print_table(case, dtype, n, shape_desc, results, statuses[dtype])
                measured[(case.name, dtype, n)] = (results, statuses[dtype], case)

    print_targets(measured, cases)
    if args.candidates:
        run_candidates(cases, cfg)
    print(f"\n(total time {time.perf_counter() - started:.0f} s)")
    return 0


def print_targets(measured, cases):
    print("\n" + "=" * 110)
    print("TARGETS")
    print("=" * 110)
    missed = []

    print(f"\n1. sigmoid at least {SIGMOID_LOOP_TARGET:.0f}x faster than the article loop at "
          f"n = {fmt_size(SIGMOID_LOOP_SIZE)} (medians)")
    for dtype in (np.float64, np.float32):
        name = np.dtype(dtype).name
        key = ("sigmoid", dtype, SIGMOID_LOOP_SIZE)
        if key not in measured:
            print(f"   {name}: not measured (needs sigmoid, {name}, size 1e5)")
            continue
        results, _, case = measured[key]
        loop = next((i.label for i in case.impls if i.kind == LOOP and i.label in results), None)
        if loop is None:
            print(f"   {name}: article loop not run (--loop-max below 1e5)")
            continue
        t_loop, t_helper = results[loop].median, results[case.impls[0].label].median
        speedup = t_loop / t_helper
        ok = speedup >= SIGMOID_LOOP_TARGET
        print(f"   {name}: loop {t_loop * 1e3:,.1f} ms / helper {t_helper * 1e3:.3f} ms = "
              f"{speedup:,.0f}x  {'PASS' if ok else 'FAIL'}")
        if not ok:
            missed.append(f"sigmoid vs article loop, {name}: {speedup:,.0f}x < "
                          f"{SIGMOID_LOOP_TARGET:.0f}x")

    print(f"\n2. each helper within {PEER_TARGET}x of the fastest correct peer at "
          f"n = {fmt_size(TARGET_SIZE)}, float32")
    print("   The peer: the fastest (by median) whose 'correct' is yes or yes*; where no peer is,")
    print("   the fastest 'finite' one (right for ordinary inputs, not for inf/NaN/huge ones); failing")
    print("   that the fastest of all. The 'against' column says which. Ratios = helper time / peer")
    print("   time: 'paired' = median over rounds of the ratio within each round (the two were timed")
    print("   moments apart, which cancels most load from other processes) -- the verdict uses it;")
    print("   'medians' = ratio of the two medians; 'mins' = ratio of the two minimum times;")
    print("   'vs any' = ratio of medians against the fastest peer whatever its correctness.")
    head = (f"   {'helper':<24}{'helper ms':>10}{'paired':>9}{'medians':>9}{'mins':>8}{'vs any':>9}"
            f"  {'result':<6}  against")
    print(head)
    print("   " + "-" * (len(head) + 40))
    noisy_any = False
    for case in cases:
        key = (case.name, np.float32, TARGET_SIZE)
        if key not in measured:
            print(f"   {case.name:<24}not measured (needs float32 and size 1e6)")
            continue
        results, statuses, _ = measured[key]
        helper = results[case.impls[0].label]
        overall = fastest(case, results, statuses)
        target = target_peer(case, results, statuses)
        if target is None:
            print(f"   {case.name:<24}{helper.median * 1e3:>10.3f}  no peer")
            continue
        label, t_peer, tier = target
        peer = results[label]
        r_paired = paired_ratio(helper, peer)
        r_medians = helper.median / peer.median
        r_mins = helper.best / peer.best
        ok = r_paired <= PEER_TARGET
        noisy = "*" if any((r <= PEER_TARGET) != ok for r in (r_medians, r_mins)) else " "
        noisy_any = noisy_any or noisy == "*"
        print(f"   {case.name:<24}{helper.median * 1e3:>10.3f}{r_paired:>8.2f}x{r_medians:>8.2f}x"
              f"{r_mins:>7.2f}x{helper.median / overall[1]:>8.2f}x  {'PASS' if ok else 'FAIL'}{noisy}"
              f"  {label} [{tier}, {t_peer * 1e3:.3f} ms]")
        if not ok:
            missed.append(f"{case.name}: {r_paired:.2f}x the fastest {tier} peer, {label} "
                          f"(medians {r_medians:.2f}x, mins {r_mins:.2f}x)")
    if noisy_any:
        print("   * = the medians or the mins give the other verdict: too close to call on this machine")

    print(f"\n3. ReLU close to a plain memory copy at n = {fmt_size(TARGET_SIZE)}, float32 "
          f"(our reading of 'close': relu <= {COPY_TARGET}x x.copy(), paired)")
    key = ("relu", np.float32, TARGET_SIZE)
    if key not in measured:
        print("   not measured (needs relu, float32, size 1e6)")
    else:
        results, _, case = measured[key]
        t_relu = results[case.impls[0].label]
        t_copy = results[COPY_LABEL]
        t_copyto = results[COPYTO_LABEL]
        ratio = paired_ratio(t_relu, t_copy)
        ok = ratio <= COPY_TARGET
        print(f"   relu / x.copy(): paired {ratio:.2f}x, medians {t_relu.median * 1e3:.3f} / "
              f"{t_copy.median * 1e3:.3f} ms = {t_relu.median / t_copy.median:.2f}x, mins "
              f"{t_relu.best / t_copy.best:.2f}x  {'PASS' if ok else 'FAIL'}")
        print(f"   np.copyto into a preallocated array: {t_copyto.median * 1e3:.3f} ms; relu is "
              f"{t_relu.median / t_copyto.median:.2f}x that")
        if not ok:
            missed.append(f"relu / x.copy(): {ratio:.2f}x > {COPY_TARGET}x (paired)")

    print("\nSUMMARY: " + ("all targets met" if not missed else
                           f"{len(missed)} target(s) missed (a report, exit status 0):"))
    for m in missed:
        print(f"   MISSED  {m}")


if __name__ == "__main__":
    sys.exit(main())
