#!/usr/bin/env python3
"""Time every helper of ``activations_helpers`` against its peers, with pyperf, and print tables.

It compares (tables of medians and ratios, with the target and a PASS/FAIL per row):

(a) the helper against the article's per-element Python loop, at 1e5 float64 elements
    (target: the helper at least 100x faster);
(b) the helper against plain NumPy formulas at 1e6 float32 elements
    (target: within 2x of the fastest plain formula, stable or not);
(c) and, beside them, PyTorch's fused CPU kernel on one thread, for information (if torch is
    importable). A summary table gives one row per helper.

The helpers are those of the table of activations (``teaching/activations.py``), in its order:
a helper this script has no formula for is timed alone, and a formula for a helper that is not
there is skipped.

pyperf does the timing: each benchmark runs in fresh worker processes, the number of calls per
value is calibrated, and the first value of each process is a warm-up. Before timing, every
implementation is run once on a small input and compared with the helper, so that the peers
compute the same thing (``--check`` does only that).

Usage (from the repository root; see benchmarks/README.md)::

    make bench                        # = .venv/bin/python benchmarks/bench_helpers.py
    make bench BENCH_ARGS=--fast      # one worker process per benchmark: rougher, about 2x quicker
    .venv/bin/python benchmarks/bench_helpers.py --only sigmoid,softmax --no-torch
    .venv/bin/python benchmarks/bench_helpers.py --markdown -o bench.json  # Markdown; pyperf JSON
    .venv/bin/python benchmarks/bench_helpers.py --check --size 1000       # no timing
"""

import os

# One thread, set before NumPy is imported and passed on to pyperf's workers. NumPy's
# element-wise ufuncs run on one thread anyway; this keeps a BLAS or OpenMP pool out of the way.
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
for _var in THREAD_VARS:
    os.environ.setdefault(_var, "1")
# glibc's malloc: with its defaults, a formula that frees several large temporaries at once hands
# the memory back to the OS and page-faults it in again on the next call, which can cost more
# than the arithmetic (up to 7x here; benchmarks/README.md). That is what a notebook sees, so it is
# what we report by default. --steady-malloc sets glibc's documented tunables in the workers so
# that they keep freed memory, to see the arithmetic alone.
STEADY_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "33554432", "MALLOC_TRIM_THRESHOLD_": "268435456"}
INHERITED_VARS = THREAD_VARS + ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "MALLOC_MMAP_THRESHOLD_",
                                "MALLOC_TRIM_THRESHOLD_")

import argparse  # noqa: E402
import functools  # noqa: E402
import importlib.util  # noqa: E402
import inspect  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Callable, Optional  # noqa: E402

import numpy as np  # noqa: E402
import pyperf  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # time the working tree's module, even if another copy is installed
import activations_helpers as ah  # noqa: E402
from teaching.activations import ACTIVATIONS  # noqa: E402

SIZE, LOOP_SIZE = 1_000_000, 100_000
LOOP_TARGET = 100.0   # (a) the helper at least this many times faster than the article's loop
PEER_TARGET = 2.0     # (b) the helper at most this many times the fastest plain NumPy formula
GELU_TARGET = 1.5     # (d) exact GELU at most this many times its tanh form (issue 17)
PAIR_TARGET = 2.0     # (d) an activation + its derivative at most this many times tanh's (issue 17)
BATCH = (200, 8)      # (d) the playground's size: 200 points, 8 units
ROW_LENGTH = 1000     # softmax: a batch of rows of 1000 scores, axis=-1
CHANNELS = 100        # prelu: x of shape (n/100, 100), one alpha per channel (PyTorch's axis 1)
HELPER, LOOP, NUMPY, TORCH, BASELINE = "helper", "loop", "numpy", "torch", "baseline"


def default(helper, param, fallback):
    """The helper's default for `param`, so that every peer computes the same function."""
    try:
        value = inspect.signature(getattr(ah, helper)).parameters[param].default
    except (AttributeError, KeyError, TypeError, ValueError):
        return fallback
    return fallback if value is inspect.Parameter.empty else value


LEAKY = default("leaky_relu", "alpha", 0.01)
ELU_ALPHA = default("elu", "alpha", 1.0)
# SELU's constants, Klambauer et al. (2017), "Self-Normalizing Neural Networks", eq. 14.
SELU_ALPHA, SELU_SCALE = ah.SELU_ALPHA, ah.SELU_SCALE
GELU_C = math.sqrt(2 / math.pi)  # the tanh approximation of Hendrycks & Gimpel (2016)


# ----------------------------------------------------------------------------------------------
# (a) The article's per-element loops, in our own words. They walk an array one element at a
# time in Python and return a list (list -> array is not timed, which flatters them a little).
# The modern activations are not in the article: their loops use the math module, the fastest
# per-element Python there is, so the 100x bar is harder for them.
# ----------------------------------------------------------------------------------------------

def loop_linear(values):
    return [v for v in values]


def loop_binary_step(values):
    return [0 if v < 0 else 1 for v in values]


def loop_sigmoid(values):
    return [round(1 / (1 + np.exp(-v)), 3) for v in values]


def loop_tanh(values):
    return [(np.exp(v) - np.exp(-v)) / (np.exp(v) + np.exp(-v)) for v in values]


def loop_relu(values):
    return [max(0, v) for v in values]


def loop_leaky_relu(values):
    return [max(LEAKY * v, v) for v in values]


def loop_softmax(values):
    total = 0
    for v in values:
        total += np.exp(v)
    return [np.exp(v) / total for v in values]


def loop_softmax_rows(x):
    return [loop_softmax(row) for row in x]  # the article's 1-D softmax, once per row


def loop_elu(values, alpha=ELU_ALPHA, scale=1.0):
    return [scale * (v if v > 0 else alpha * math.expm1(v)) for v in values]


def loop_gelu(values):
    return [0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in values]


def loop_silu(values):
    return [v / (1 + math.exp(-v)) for v in values]


def _softplus(v):
    return max(v, 0) + math.log1p(math.exp(-abs(v)))


def loop_mish(values):
    return [v * math.tanh(_softplus(v)) for v in values]


def loop_softplus(values):
    return [_softplus(v) for v in values]


def loop_hard_sigmoid(values):
    return [min(max(v + 3, 0), 6) / 6 for v in values]


def loop_hard_swish(values):
    return [v * min(max(v + 3, 0), 6) / 6 for v in values]


# ----------------------------------------------------------------------------------------------
# (b) Plain NumPy formulas, as anyone would write them (stable or not), and (c) PyTorch
# ----------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def channel_alpha(channels, dtype):
    """PReLU's alphas, 0.05 ... 0.3, one per channel (column)."""
    return np.linspace(0.05, 0.3, channels).astype(dtype)


def alpha_of(x):
    return channel_alpha(x.shape[-1], x.dtype)


def sigmoid_np(x):
    return 1 / (1 + np.exp(-x))


def softmax_shifted(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_unshifted(x):
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def jacobian_diag_outer(x):
    s = softmax_shifted(x)
    return np.diag(s) - np.outer(s, s)


def jacobian_in_place(x):
    s = softmax_shifted(x)
    jac = np.outer(-s, s)
    jac.flat[:: s.size + 1] += s
    return jac


def gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(GELU_C * (x + 0.044715 * x ** 3)))


def gelu_tanh_cube(x):  # x*x*x: np.power(x, 3) takes about 75 ns an element in float32 (NumPy 2.4)
    return 0.5 * x * (1 + np.tanh(GELU_C * (x + 0.044715 * (x * x * x))))


def gelu_tanh_derivative(x):
    t = np.tanh(GELU_C * (x + 0.044715 * (x * x * x)))
    return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * x * x)


def silu_derivative_np(x):
    s = sigmoid_np(x)
    return s * (1 + x * (1 - s))


def mish_derivative_np(x):
    t = np.tanh(np.logaddexp(0, x))
    return t + x * sigmoid_np(x) * (1 - t * t)


def hard_swish_derivative_np(x):
    return np.where(x < -3, 0, np.where(x > 3, 1, x / 3 + 0.5))


@functools.lru_cache(maxsize=None)
def torch_alpha(channels):
    torch, _ = torch_ops()
    return torch.from_numpy(channel_alpha(channels, np.dtype("float32")))


def one(x):
    return x.dtype.type(1)


@functools.lru_cache(maxsize=None)
def torch_ops():
    """Imported only in the workers that time PyTorch (the import takes about a second)."""
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(1)
    return torch, F


@dataclass
class Impl:
    label: str
    kind: str
    fn: Callable          # called with the prepared input: an ndarray, or a tensor for TORCH
    tol: float = 0.0      # absolute tolerance in the check (rounded loops, approximations)


@dataclass
class Case:
    name: str                   # as in the tables, e.g. "gelu[tanh]"
    helper: str                 # the function's name in activations_helpers
    layout: str = "flat"        # "flat", "rows" (softmax), "channels" (prelu), "vector" (jacobian)
    call: Optional[Callable] = None   # how to call the helper (default: helper(x))
    peers: list = field(default_factory=list)
    loop: Optional[Impl] = None
    torch: Optional[Impl] = None
    note: str = ""

    def helper_impl(self):
        fn = self.call or getattr(ah, self.helper)
        return Impl(f"activations_helpers.{self.helper}", HELPER, fn)

    def timed(self):
        """What table (b) times: the helper, the NumPy formulas, then PyTorch's kernel."""
        return [self.helper_impl(), *self.peers] + ([self.torch] if self.torch else [])


def N(label, fn, tol=0.0):
    return Impl(label, NUMPY, fn, tol)


def L(label, fn, tol=0.0):
    return Impl(label, LOOP, fn, tol)


def T(label, op):
    """A PyTorch peer: op(torch, F, t) with t the input as a tensor."""
    return Impl(label, TORCH, lambda t: op(*torch_ops(), t), 1e-3)


def known_cases():
    """Every helper this script knows a peer for, in the order of the tables."""
    alpha_ch = "x of shape (n/100, 100), one alpha per channel (0.05 ... 0.3)"
    cases = [
        Case("linear", "linear", peers=[N("x.copy()", lambda x: x.copy())],
             loop=L("[v for v in x]", loop_linear),
             torch=T("t.clone()", lambda torch, F, t: t.clone())),
        Case("binary_step", "binary_step", peers=[
            N("(x >= 0).astype(x.dtype)", lambda x: (x >= 0).astype(x.dtype))],
            loop=L("0 if v < 0 else 1", loop_binary_step),
            torch=T("torch.heaviside", lambda torch, F, t: torch.heaviside(t, t.new_ones(())))),
        Case("sigmoid", "sigmoid", peers=[
            N("1/(1+np.exp(-x))", sigmoid_np),
            N("0.5*np.tanh(0.5*x) + 0.5", lambda x: 0.5 * np.tanh(0.5 * x) + 0.5)],
            loop=L("round(1/(1+np.exp(-v)), 3)", loop_sigmoid, tol=5e-4),
            torch=T("torch.sigmoid", lambda torch, F, t: torch.sigmoid(t))),
        Case("tanh", "tanh", peers=[
            N("np.tanh(x)", np.tanh)],
            loop=L("(e^v-e^-v)/(e^v+e^-v)", loop_tanh),
            torch=T("torch.tanh", lambda torch, F, t: torch.tanh(t))),
        Case("relu", "relu", peers=[
            N("np.maximum(x, 0)", lambda x: np.maximum(x, 0)),
            N("np.clip(x, 0, None)", lambda x: np.clip(x, 0, None)),
            N("x * (x > 0)", lambda x: x * (x > 0))],
            loop=L("max(0, v)", loop_relu),
            torch=T("torch.relu", lambda torch, F, t: torch.relu(t))),
        Case("leaky_relu", "leaky_relu", peers=[
            N(f"np.maximum(x, {LEAKY}*x)", lambda x: np.maximum(x, LEAKY * x))],
            loop=L(f"max({LEAKY}*v, v)", loop_leaky_relu),
            torch=T("F.leaky_relu", lambda torch, F, t: F.leaky_relu(t, LEAKY))),
        Case("prelu", "prelu", "channels", lambda x: ah.prelu(x, alpha_of(x)), peers=[
            N("np.where(x > 0, x, a*x)", lambda x: np.where(x > 0, x, alpha_of(x) * x)),
            N("np.maximum(x, 0) + a*np.minimum(x, 0)",
              lambda x: np.maximum(x, 0) + alpha_of(x) * np.minimum(x, 0))],
            torch=T("F.prelu", lambda torch, F, t: F.prelu(t, torch_alpha(t.shape[-1]))),
            note=alpha_ch),
        Case("softmax", "softmax", "rows", peers=[
            N("e=np.exp(x-x.max(-1)); e/e.sum(-1)", softmax_shifted),
            N("e=np.exp(x); e/e.sum(-1)  [unshifted]", softmax_unshifted)],
            loop=L("the article's loop, row by row", loop_softmax_rows),
            torch=T("torch.softmax", lambda torch, F, t: torch.softmax(t, dim=-1)),
            note=f"rows of {ROW_LENGTH}, axis=-1"),
        Case("elu", "elu", peers=[
            N("np.where(x > 0, x, a*np.expm1(x))",
              lambda x: np.where(x > 0, x, ELU_ALPHA * np.expm1(x))),
            N("np.maximum(x, 0) + a*np.expm1(np.minimum(x, 0))",
              lambda x: np.maximum(x, 0) + ELU_ALPHA * np.expm1(np.minimum(x, 0)))],
            loop=L("math.expm1 per element (not in the article)", loop_elu),
            torch=T("F.elu", lambda torch, F, t: F.elu(t, ELU_ALPHA))),
        Case("selu", "selu", peers=[
            N("s*np.where(x > 0, x, a*np.expm1(x))",
              lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x))),
            N("s*(np.maximum(x, 0) + a*np.expm1(np.minimum(x, 0)))",
              lambda x: SELU_SCALE * (np.maximum(x, 0) + SELU_ALPHA * np.expm1(np.minimum(x, 0))))],
            loop=L("math.expm1 per element (not in the article)",
                   lambda x: loop_elu(x, SELU_ALPHA, SELU_SCALE)),
            torch=T("F.selu", lambda torch, F, t: F.selu(t))),
        Case("gelu", "gelu", peers=[
            N("0.5*x*(1+np.tanh(c*(x+0.044715*x**3)))  [tanh approx.]", gelu_tanh, tol=1e-3),
            N("0.5*x*(1+np.tanh(c*(x+0.044715*x*x*x)))  [tanh approx.]", gelu_tanh_cube,
              tol=1e-3)],
            loop=L("math.erf per element (not in the article)", loop_gelu),
            torch=T("F.gelu", lambda torch, F, t: F.gelu(t)),
            note="NumPy has no erf: the plain formula is the tanh approximation"),
        Case("gelu[tanh]", "gelu", call=lambda x: ah.gelu(x, approximate="tanh"), peers=[
            N("0.5*x*(1+np.tanh(c*(x+0.044715*x**3)))", gelu_tanh),
            N("0.5*x*(1+np.tanh(c*(x+0.044715*x*x*x)))", gelu_tanh_cube)],
            torch=T("F.gelu(approximate='tanh')",
                    lambda torch, F, t: F.gelu(t, approximate="tanh")),
            note="gelu(x, approximate='tanh')"),
        Case("silu", "silu", peers=[
            N("x/(1+np.exp(-x))", lambda x: x / (1 + np.exp(-x))),
            N("x*(0.5*np.tanh(0.5*x) + 0.5)", lambda x: x * (0.5 * np.tanh(0.5 * x) + 0.5))],
            loop=L("math.exp per element (not in the article)", loop_silu),
            torch=T("F.silu", lambda torch, F, t: F.silu(t))),
        Case("mish", "mish", peers=[
            N("x*np.tanh(np.log1p(np.exp(x)))", lambda x: x * np.tanh(np.log1p(np.exp(x)))),
            N("x*np.tanh(np.logaddexp(0, x))", lambda x: x * np.tanh(np.logaddexp(0, x)))],
            loop=L("math.tanh, math.log1p per element (not in the article)", loop_mish),
            torch=T("F.mish", lambda torch, F, t: F.mish(t))),
        Case("softplus", "softplus", peers=[
            N("np.log1p(np.exp(x))", lambda x: np.log1p(np.exp(x))),
            N("np.logaddexp(0, x)", lambda x: np.logaddexp(0, x)),
            N("np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))",
              lambda x: np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x))))],
            loop=L("math.log1p per element (not in the article)", loop_softplus),
            torch=T("F.softplus", lambda torch, F, t: F.softplus(t))),
        Case("hard_sigmoid", "hard_sigmoid", peers=[
            N("np.clip(x/6 + 0.5, 0, 1)", lambda x: np.clip(x / 6 + 0.5, 0, 1)),
            N("np.clip(x + 3, 0, 6) / 6", lambda x: np.clip(x + 3, 0, 6) / 6)],
            loop=L("min(max(v+3, 0), 6)/6 (not in the article)", loop_hard_sigmoid),
            torch=T("F.hardsigmoid", lambda torch, F, t: F.hardsigmoid(t))),
        Case("hard_swish", "hard_swish", peers=[
            N("x*np.clip(x/6 + 0.5, 0, 1)", lambda x: x * np.clip(x / 6 + 0.5, 0, 1)),
            N("x*np.clip(x + 3, 0, 6) / 6", lambda x: x * np.clip(x + 3, 0, 6) / 6)],
            loop=L("v*min(max(v+3, 0), 6)/6 (not in the article)", loop_hard_swish),
            torch=T("F.hardswish", lambda torch, F, t: F.hardswish(t))),
        # derivatives
        Case("linear_derivative", "linear_derivative", peers=[N("np.ones_like(x)", np.ones_like)]),
        Case("binary_step_derivative", "binary_step_derivative",
             peers=[N("np.zeros_like(x)", np.zeros_like)]),
        Case("sigmoid_derivative", "sigmoid_derivative", peers=[
            N("s=1/(1+np.exp(-x)); s*(1-s)", lambda x: (lambda s: s * (1 - s))(sigmoid_np(x))),
            N("e=np.exp(-x); e/(1+e)**2", lambda x: (lambda e: e / (1 + e) ** 2)(np.exp(-x)))]),
        Case("tanh_derivative", "tanh_derivative", peers=[
            N("1 - np.tanh(x)**2", lambda x: 1 - np.tanh(x) ** 2),
            N("1/np.cosh(x)**2", lambda x: 1 / np.cosh(x) ** 2)]),
        Case("relu_derivative", "relu_derivative", peers=[
            N("(x > 0).astype(x.dtype)", lambda x: (x > 0).astype(x.dtype))]),
        Case("leaky_relu_derivative", "leaky_relu_derivative", peers=[
            N(f"np.where(x > 0, 1, {LEAKY})",
              lambda x: np.where(x > 0, one(x), x.dtype.type(LEAKY)))]),
        Case("prelu_derivative", "prelu_derivative", "channels",
             lambda x: ah.prelu_derivative(x, alpha_of(x)),
             peers=[N("np.where(x > 0, 1, a)", lambda x: np.where(x > 0, one(x), alpha_of(x)))],
             note=alpha_ch),
        Case("prelu_alpha_derivative", "prelu_alpha_derivative", "channels",
             lambda x: ah.prelu_alpha_derivative(x, alpha_of(x)),
             peers=[N("np.minimum(x, 0)", lambda x: np.minimum(x, 0))], note=alpha_ch),
        Case("softmax_jacobian", "softmax_jacobian", "vector", peers=[
            N("s=softmax(x); np.diag(s) - np.outer(s, s)", jacobian_diag_outer),
            N("s=softmax(x); J=np.outer(-s, s); J.flat[::n+1] += s", jacobian_in_place)],
            note="x of sqrt(n) scores, an output of n elements"),
        Case("elu_derivative", "elu_derivative", peers=[
            N("np.where(x > 0, 1, a*np.exp(x))",
              lambda x: np.where(x > 0, 1, ELU_ALPHA * np.exp(x)))]),
        Case("selu_derivative", "selu_derivative", peers=[
            N("s*np.where(x > 0, 1, a*np.exp(x))",
              lambda x: SELU_SCALE * np.where(x > 0, 1, SELU_ALPHA * np.exp(x)))]),
        Case("gelu_derivative", "gelu_derivative", peers=[
            N("the tanh approximation's derivative (x*x*x)", gelu_tanh_derivative, tol=2e-3)],
            note="NumPy has no erf: the plain formula is the tanh approximation's"),
        Case("gelu_derivative[tanh]", "gelu_derivative",
             call=lambda x: ah.gelu_derivative(x, approximate="tanh"),
             peers=[N("the tanh approximation's derivative (x*x*x)", gelu_tanh_derivative)],
             note="gelu_derivative(x, approximate='tanh')"),
        Case("silu_derivative", "silu_derivative", peers=[
            N("s=1/(1+np.exp(-x)); s*(1 + x*(1-s))", silu_derivative_np)]),
        Case("mish_derivative", "mish_derivative", peers=[
            N("t=tanh(softplus(x)); t + x*sigmoid(x)*(1-t*t)", mish_derivative_np)]),
        Case("softplus_derivative", "softplus_derivative", peers=[
            N("1/(1+np.exp(-x))", sigmoid_np),
            N("0.5*np.tanh(0.5*x) + 0.5", lambda x: 0.5 * np.tanh(0.5 * x) + 0.5)]),
        Case("hard_sigmoid_derivative", "hard_sigmoid_derivative", peers=[
            N("np.where(np.abs(x) < 3, 1/6, 0)",
              lambda x: np.where(np.abs(x) < 3, x.dtype.type(1 / 6), x.dtype.type(0)))]),
        Case("hard_swish_derivative", "hard_swish_derivative", peers=[
            N("np.where(x < -3, 0, np.where(x > 3, 1, x/3 + 0.5))", hard_swish_derivative_np)]),
    ]
    return cases


def build_cases(names, with_torch):
    """The cases for `names` (helpers, in __all__ order; "gelu[tanh]" style names allowed)."""
    known = {c.name: c for c in known_cases()}
    cases = [known.get(n) or Case(n, n) for n in names]
    for c in cases:
        if not with_torch:
            c.torch = None
    return cases


def discover(only=None):
    """Case names for the helpers in the table of activations (teaching/activations.py), in its
    order (the activations, then their derivatives), and the known cases it does not hold."""
    rows = list(ACTIVATIONS.values())
    public = [row.function.__name__ for row in rows] + [
        helper.__name__ for row in rows for helper in row.helpers[1:]]
    names = []
    for n in public:
        names.append(n)
        if n in ("gelu", "gelu_derivative") and "approximate" in inspect.signature(
                getattr(ah, n)).parameters:
            names.append(f"{n}[tanh]")
    missing = [c.name for c in known_cases() if c.helper not in public]
    if only:
        names = [n for n in names if n in only or n.split("[")[0] in only]
    return names, missing


# ----------------------------------------------------------------------------------------------
# Inputs: 3 * standard normal from np.random.default_rng(0), the same sample for every case
# ----------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def make_input(layout, n, dtype_name):
    x = 3.0 * np.random.default_rng(0).standard_normal(n)
    if layout == "vector":
        return x[: max(1, round(n ** 0.5))].astype(dtype_name)
    if layout == "batch":  # the playground's layer: (200, 8)
        return x[: math.prod(BATCH)].reshape(BATCH).astype(dtype_name)
    x = x.astype(dtype_name)
    if layout in ("rows", "channels"):
        cols = min(n, ROW_LENGTH if layout == "rows" else CHANNELS)
        x = x[: (n // cols) * cols].reshape(-1, cols)
    return x


def prepared(kind, layout, n, dtype_name):
    x = make_input(layout, n, dtype_name)
    if kind == TORCH:
        torch, _ = torch_ops()
        return torch.from_numpy(x)
    return x


def time_calls(loops, impl, layout, n, dtype_name):
    """pyperf's time function: `loops` calls of impl on the prepared input, in seconds."""
    x = prepared(impl.kind, layout, n, dtype_name)
    fn = impl.fn
    start = time.perf_counter()
    for _ in range(loops):
        fn(x)
    return time.perf_counter() - start


# ----------------------------------------------------------------------------------------------
# The check: every implementation once on a small input, compared with the helper
# ----------------------------------------------------------------------------------------------

def check(cases, n):
    """Run every implementation once and compare it with the helper: a list of problems, how
    many implementations were compared for each case, and the cases where one raised."""
    problems, counts, raised = [], {}, set()
    for case in cases:
        counts[case.name] = 0
        groups = [("float32", case.timed())]
        if case.loop:
            groups.append(("float64", [case.helper_impl(), case.loop]))
        for dtype, impls in groups:
            x = make_input(case.layout, n, dtype)
            try:
                want = np.asarray(impls[0].fn(x), dtype=np.float64)
            except Exception as exc:  # noqa: BLE001 - reported, not raised
                problems.append(f"{case.name}: the helper raised {type(exc).__name__}: {exc}")
                raised.add(case.name)
                break
            for impl in impls[1:]:
                counts[case.name] += 1
                arg = prepared(impl.kind, case.layout, n, dtype)
                try:
                    got = impl.fn(arg)
                except Exception as exc:  # noqa: BLE001
                    problems.append(f"{case.name}: {impl.label} raised {type(exc).__name__}: {exc}")
                    raised.add(case.name)
                    continue
                got = np.asarray(got.numpy() if hasattr(got, "numpy") else got, dtype=np.float64)
                rtol = 1e-4 if dtype == "float32" else 1e-9
                atol = max(impl.tol, 1e-5 if dtype == "float32" else 1e-12)  # cancellation
                if got.shape != want.shape:
                    problems.append(f"{case.name}: {impl.label} has shape {got.shape}, "
                                    f"the helper {want.shape}")
                elif not np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=True):
                    i = np.unravel_index(np.argmax(np.abs(got - want)), got.shape)
                    problems.append(f"{case.name}: {impl.label} differs from the helper at "
                                    f"x[{', '.join(map(str, i))}] ({dtype}): {got[i]:.7g} vs "
                                    f"{want[i]:.7g}")
    return problems, counts, raised


# ----------------------------------------------------------------------------------------------
# Registering the benchmarks with pyperf; the main process then prints the tables
# ----------------------------------------------------------------------------------------------

def pairs(cases):
    """(d) An activation and its derivative, called as a learner calls them (checked helpers,
    default parameters): every elementwise row of the table among `cases`, and tanh, the bar."""
    names = {c.helper for c in cases} | {"tanh"}
    return [(name, Impl(f"{name}(x); {row.derivative.__name__}(x)", HELPER,
                        lambda x, f=row.function, d=row.derivative: (f(x), d(x))))
            for name, row in ACTIVATIONS.items() if row.elementwise and name in names]


def register(runner, cases, size, loop_size):
    """Every benchmark, in the same order in the main process and in each worker."""
    results = {}

    def bench(key, name, impl, layout, n, dtype):
        results[key] = runner.bench_time_func(name, time_calls, impl, layout, n, dtype)

    for case in cases:
        if case.loop:
            for impl in (case.helper_impl(), case.loop):
                bench(("a", case.name, impl.kind), f"{case.name}: {impl.kind}, "
                      f"{fmt_size(loop_size)} float64", impl, case.layout, loop_size, "float64")
    for name, impl in pairs(cases):
        bench(("d", name), f"{name} + derivative, {BATCH[0]}x{BATCH[1]} float64", impl, "batch",
              math.prod(BATCH), "float64")
    bench(("b", "copy", BASELINE), f"x.copy() baseline, {fmt_size(size)} float32",
          Impl("x.copy()", BASELINE, lambda x: x.copy()), "flat", size, "float32")
    for case in cases:
        for impl in case.timed():
            bench(("b", case.name, impl.kind if impl.kind == HELPER else impl.label),
                  f"{case.name}: {impl.label}, {fmt_size(size)} float32",
                  impl, case.layout, size, "float32")
    return results


def fmt_size(n):
    """1e6 for powers of ten, 1,234 otherwise."""
    k = round(math.log10(n))
    return f"1e{k}" if 10 ** k == n else f"{n:,}"


def ms(bench):
    """pyperf's median and standard deviation, in ms."""
    median = bench.median() * 1e3
    std = bench.stdev() * 1e3 if bench.get_nvalue() > 1 else float("nan")
    return median, std


def fmt_ms(bench):
    median, std = ms(bench)
    digits = 3 if median < 10 else 1
    return f"{median:.{digits}f}" + (f" ± {std:.{digits}f}" if std == std else "")


def print_table(title, align, header, rows, markdown=False):
    """A plain-text (or Markdown) table; `align` has an "l" or "r" per column."""
    escape = (lambda c: str(c).replace("*", "\\*")) if markdown else str  # x*y is no emphasis
    rows = [[escape(c) for c in r] for r in [header, *rows]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]

    def line(cells):
        cells = [c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(cells, widths, align)]
        return "| " + " | ".join(cells) + " |" if markdown else "  ".join(cells).rstrip()

    if markdown:
        rule = "|" + "|".join("-" * (w + 1) + ":" if a == "r" else "-" * (w + 2)
                              for w, a in zip(widths, align)) + "|"
    else:
        rule = "-" * len(line(rows[0]))
    print(f"\n{title}" + ("\n" if markdown else ""))
    print("\n".join([line(rows[0]), rule] + [line(r) for r in rows[1:]]))


def print_tables(cases, results, size, loop_size, markdown=False):
    """Tables (a) and (b) and the summary, from pyperf's results; then the targets missed."""
    missed, rows = [], []
    for case in cases:
        helper, loop = results.get(("a", case.name, HELPER)), results.get(("a", case.name, LOOP))
        if helper is None or loop is None:
            continue
        speedup = loop.median() / helper.median()
        ok = speedup >= LOOP_TARGET
        rows.append([case.name, fmt_ms(helper), fmt_ms(loop),
                     f"{speedup:,.{0 if speedup >= 10 else 1}f}x", f">= {LOOP_TARGET:.0f}x",
                     "PASS" if ok else "FAIL", case.loop.label])
        if not ok:
            missed.append(f"(a) {case.name}: {speedup:.1f}x the article's loop, "
                          f"below {LOOP_TARGET:.0f}x")
    if rows:
        print_table(f"(a) helper vs the article's per-element Python loop, n = "
                    f"{fmt_size(loop_size)} float64 (median ± std dev, ms)", "lrrrrll",
                    ["helper", "helper ms", "loop ms", "loop/helper", "target", "result", "loop"],
                    rows, markdown)

    rows, summary = [], []
    for case in cases:
        helper = results[("b", case.name, HELPER)]
        fastest = None
        for impl in case.timed():
            bench = results[("b", case.name, impl.kind if impl.kind == HELPER else impl.label)]
            ratio = helper.median() / bench.median()
            target, mark = "", "" if impl.kind == HELPER else "info"
            if impl.kind == NUMPY:
                target, mark = f"<= {PEER_TARGET:g}x", "PASS" if ratio <= PEER_TARGET else "FAIL"
                if fastest is None or bench.median() < fastest[1].median():
                    fastest = (impl, bench)
            rows.append([case.name, impl.label, impl.kind, fmt_ms(bench), bench.get_nvalue(),
                         "" if impl.kind == HELPER else f"{ratio:.2f}x", target, mark])
        summary.append((case, helper, fastest))
    copy = fmt_ms(results[("b", "copy", BASELINE)])
    print_table(f"(b) every implementation, n = {fmt_size(size)} float32 (median ± std dev in ms "
                f"over pyperf's values; x.copy() takes {copy} ms)", "lllrrrrl",
                ["helper", "implementation", "kind", "median ms", "values", "helper/peer",
                 "target", "result"], rows, markdown)

    rows = []
    for case, helper, fastest in summary:
        t = results.get(("b", case.name, case.torch.label)) if case.torch else None
        torch_cols = ([f"{t.median() * 1e3:.3f}", f"{helper.median() / t.median():.2f}x"]
                      if t else ["-", "-"])
        if fastest is None:
            rows.append([case.name, f"{helper.median() * 1e3:.3f}", "(none here)", "-", "-", "",
                         "-", *torch_cols])
            continue
        impl, bench = fastest
        ratio = helper.median() / bench.median()
        ok = ratio <= PEER_TARGET
        rows.append([case.name, f"{helper.median() * 1e3:.3f}", impl.label,
                     f"{bench.median() * 1e3:.3f}", f"{ratio:.2f}x", f"<= {PEER_TARGET:g}x",
                     "PASS" if ok else "FAIL", *torch_cols])
        if not ok:
            missed.append(f"(b) {case.name}: {ratio:.2f}x the fastest plain formula, {impl.label}")
    print_table(f"Summary, n = {fmt_size(size)} float32: the helper against the fastest plain "
                "NumPy formula, and PyTorch's fused kernel (one thread) for information; "
                "medians in ms", "lrlrrrlrr",
                ["helper", "helper ms", "fastest plain NumPy formula", "its ms", "helper/it",
                 "target", "result", "torch ms", "helper/torch"], rows, markdown)

    missed += print_targets(cases, results, size, markdown)

    notes = [f"  {c.name}: {c.note}" for c in cases if c.note]
    if notes:
        print("\nNotes:\n" + "\n".join(notes))
    print("\nSUMMARY: " + ("every target met" if not missed else
                           f"{len(missed)} target(s) missed (a report: the exit status stays 0)"))
    for line in missed:
        print(f"  MISSED {line}")


def print_targets(cases, results, size, markdown=False):
    """Table (d), issue 17's speed targets as ratios measured in this run: exact GELU against its
    tanh form at n float32 values, and each activation + derivative against tanh's at the
    playground's size. Returns the targets missed."""
    rows, missed = [], []
    exact, tanh_form = results.get(("b", "gelu", HELPER)), results.get(("b", "gelu[tanh]", HELPER))
    if exact and tanh_form:
        ratio = exact.median() / tanh_form.median()
        ok = ratio <= GELU_TARGET
        rows.append([f"gelu exact / gelu tanh form, {fmt_size(size)} float32",
                     f"{exact.median() * 1e3:.3f} ms", f"{tanh_form.median() * 1e3:.3f} ms",
                     f"{ratio:.2f}x", f"<= {GELU_TARGET:g}x", "PASS" if ok else "FAIL"])
        if not ok:
            missed.append(f"(d) exact GELU: {ratio:.2f}x its tanh form")
    bar = results.get(("d", "tanh"))
    for name, _ in pairs(cases):
        bench = results.get(("d", name))
        if bench is None or bar is None:
            continue
        ratio = bench.median() / bar.median()
        ok = ratio <= PAIR_TARGET
        rows.append([f"{name} + derivative, {BATCH[0]}x{BATCH[1]} float64",
                     f"{bench.median() * 1e6:.1f} us", f"{bar.median() * 1e6:.1f} us (tanh)",
                     f"{ratio:.2f}x", f"<= {PAIR_TARGET:g}x", "PASS" if ok else "FAIL"])
        if not ok:
            missed.append(f"(d) {name} + derivative: {ratio:.2f}x tanh's at {BATCH[0]}x{BATCH[1]}")
    if rows:
        print_table("(d) speed targets (issue 17), ratios within this run: exact GELU against its "
                    "tanh form; each activation + its derivative (checked helpers, default "
                    "parameters) against tanh + tanh_derivative. Training and notebook 05: "
                    "benchmarks/bench_playground.py", "lrrrll",
                    ["what", "median", "against", "ratio", "target", "result"], rows, markdown)
    return missed


# ----------------------------------------------------------------------------------------------
# Command line and header
# ----------------------------------------------------------------------------------------------

def helpers_version():
    """Which activations_helpers.py is timed: its last commit, and whether it has edits."""
    path = Path(ah.__file__).resolve()
    try:
        def git(*argv):  # --no-optional-locks: never take .git/index.lock
            return subprocess.run(["git", "--no-optional-locks", *argv], cwd=path.parent,
                                  capture_output=True, text=True, timeout=10,
                                  check=True).stdout.strip()
        commit = git("log", "-1", "--format=%h %cd", "--date=iso", "--", path.name)
        edited = git("status", "--porcelain", "--", path.name)
    except (OSError, subprocess.SubprocessError):
        return str(path)
    return f"{path.name} at {commit or 'no commit'}{', with uncommitted edits' if edited else ''}"


def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def print_header(args, cases, missing, torch_text):
    if torch_text is None:
        import importlib.metadata  # not at the top: the workers do not need it (60 ms)
        torch_text = (f"torch {importlib.metadata.version('torch')} "
                      "(torch.set_num_threads(1) in each worker)")
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print("Benchmark: activations_helpers vs the article's loops, plain NumPy and PyTorch (pyperf)")
    print(f"  python {platform.python_version()}, numpy {np.__version__}, pyperf "
          f"{pyperf.__version__}, {torch_text}")
    env = ", ".join(f"{v}={os.environ.get(v, '(unset)')}" for v in INHERITED_VARS)
    print(f"  environment: {env} (passed to the workers); NumPy's element-wise ufuncs use one thread")
    print(f"  cpu: {cpu_name()}, {os.cpu_count()} logical cores; load average at start: {load}")
    print(f"  helpers: {helpers_version()}; {len(cases)} cases"
          + (f"; not in activations_helpers, skipped: {', '.join(missing)}" if missing else ""))
    print(f"  pyperf: {args.processes} worker processes per benchmark x {args.values} values, "
          f"{args.warmups} warm-up value(s), loops per value calibrated to >= "
          f"{args.min_time * 1e3:g} ms{' (--fast)' if args.fast else ''}")
    print("  input: 3 * standard normal from np.random.default_rng(0); sizes "
          f"{fmt_size(args.size)} (b, c) and {fmt_size(args.loop_size)} (a)\n")
    sys.stdout.flush()


def size_arg(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}") from None
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"not a size: {text!r}")
    return int(value)


def worker_args(cmd, args):
    """pyperf's callback: what a worker needs to register the same benchmarks in the same order."""
    cmd.extend(["--size", str(args.size), "--loop-size", str(args.loop_size),
                "--cases", ",".join(args.cases)])
    if args.no_torch:
        cmd.append("--no-torch")


def main():
    runner = pyperf.Runner(processes=2, values=3, warmups=1, min_time=0.02,
                           add_cmdline_args=worker_args)
    p = runner.argparser
    p.description = __doc__.split("\n\n")[0]
    p.add_argument("--only", help="comma-separated helpers, e.g. sigmoid,softmax,gelu")
    p.add_argument("--size", type=size_arg, default=SIZE,
                   help=f"elements for (b) and (c) (default {fmt_size(SIZE)})")
    p.add_argument("--loop-size", type=size_arg, default=LOOP_SIZE,
                   help=f"elements for (a), the article's loops (default {fmt_size(LOOP_SIZE)})")
    p.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    p.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    p.add_argument("--check", action="store_true",
                   help="no timing: run every implementation once, compare it with the helper")
    p.add_argument("--steady-malloc", action="store_true",
                   help="workers keep freed memory (glibc tunables): the arithmetic without the "
                        "page faults a notebook pays")
    p.add_argument("--cases", help=argparse.SUPPRESS)  # set by the main process for its workers
    args = runner.parse_args()
    if args.fast and not args.worker:  # rougher still than pyperf's own --fast
        args.processes, args.values, args.min_time = 1, 3, 0.01
    if not args.worker:
        args.inherit_environ = list(args.inherit_environ or []) + list(INHERITED_VARS)
        for name, value in (STEADY_MALLOC if args.steady_malloc else {}).items():
            os.environ.setdefault(name, value)  # read by each worker's glibc at its start
    if args.no_torch:
        torch_text = "torch not timed (--no-torch)"
    elif importlib.util.find_spec("torch") is None:
        torch_text, args.no_torch = "torch not timed (not installed)", True
    else:
        torch_text = None  # timed: print_header looks up its version
    with_torch = not args.no_torch

    missing = []
    if args.cases is None:
        only = {s.strip() for s in args.only.split(",") if s.strip()} if args.only else None
        args.cases, missing = discover(only)
        if only and not args.cases:
            p.error(f"--only {args.only}: no such helper in the table of activations")
    else:
        args.cases = args.cases.split(",")
    cases = build_cases(args.cases, with_torch)

    if not args.worker:
        print_header(args, cases, missing, torch_text)
        problems, counts, raised = check(cases, min(args.size, 10_000))
        for line in problems:
            print(f"CHECK FAILED {line}")
        if raised and not args.check:
            print(f"not timed, because an implementation raised: {', '.join(sorted(raised))}")
            cases = [c for c in cases if c.name not in raised]
            args.cases = [c.name for c in cases]  # what the workers register
        if args.check:
            for name, count in counts.items():
                print(f"checked {name}: {count} implementation(s) against the helper")
            print("check: every implementation agrees with its helper" if not problems else
                  f"check: {len(problems)} problem(s)")
            return 1 if problems else 0
    results = register(runner, cases, args.size, args.loop_size)
    if args.worker:
        return 0
    print_tables(cases, results, args.size, args.loop_size, args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
