"""The input policy of `activations_helpers`: what it accepts, in what precision it computes.

Private: a learner reads `activations_helpers.py`, whose bodies are their formulas; this module
is the machinery around them. Each public function there is decorated with `checked_input`,
which turns the input into a float array or refuses it with an error naming the function and
the cause, checks the parameters, picks the dtype the body computes in, rounds the result once,
and gives NaN where the input is NaN. The checkers (`real_number`, `exact_real`,
`positive_real`, `channel_alpha`, `valid_axis`, `gelu_approximation`) are named in the
decorator, e.g. ``@checked_input(alpha=real_number)``.
"""

import contextvars
import decimal
import functools
import inspect
import numbers

import numpy as np

__all__ = ["checked_input", "as_float_array", "real_number", "exact_real", "positive_real",
           "channel_alpha", "valid_axis", "gelu_approximation"]

#
# Every public function is written as
#
#     @checked_input(alpha=real_number)      # or a bare @checked_input when it has no
#     def leaky_relu(x, alpha=0.01):         # parameters to check
#         ...                                # the body: just the formula
#
# and the decorator does the rest, in this order:
#
# (1) x: `as_float_array` turns it into a float ndarray (integers and booleans become float64,
#    float16, float32 and float64 keep their dtype) or refuses it, naming the function and the
#    real cause (a string, a ragged list, a PyTorch tensor, a masked array, a date, ...).
# (2) The parameters named in the decorator: each goes through its checker, called as
#    ``check(value, func_name, name, x)`` (`real_number`, `positive_real`, `exact_real`,
#    `channel_alpha`, `valid_axis`, `gelu_approximation`), which refuses a bad one with a TypeError/ValueError naming the
#    function and the parameter, and returns it as a Python float (or a float64 array, or an
#    int axis). Parameters not named in the decorator reach the body exactly as the caller gave
#    them.
# (3) The working dtype, which the body gets x in (`_working_dtype`):
#      float16 -> float64. float16 keeps 11 bits and ends at 65504: computed in float16, results
#                 drift several ulp, and sums and products overflow on the way. In float64 every
#                 formula here lands far closer than half a float16 ulp to the exact value, so
#                 the one rounding at the end gives the exactly rounded float16 (or, when the
#                 exact value sits on a rounding boundary, its neighbour: never more than 1 ulp).
#      float32 -> float32, for speed (the error of a formula is then a few float32 ulp), unless
#                 a parameter is outside 1e-30 .. 1e30 (alpha = 1e-50 would round to 0, and
#                 a parameter near float32's limits could overflow a product or quotient that
#                 float64 holds), or the function asks for float64 with
#                 ``@checked_input(..., widen_float32=True)`` (a formula whose float32 error
#                 would be more than a few ulp); then float64.
#      float64 -> float64 (and np.longdouble stays np.longdouble).
#    Float parameters reach the body as NumPy scalars (float arrays: arrays) of the working
#    dtype. A Python float would take the array's dtype anyway (NumPy 2, NEP 50); handing it
#    over converted says so, and keeps e.g. ``alpha * (x <= 0)`` in that dtype. Rounding a
#    factor like alpha to float32 costs at most half a float32 ulp of the result; a threshold
#    compared with x must not move at all, so `exact_real` returns it as an np.float64, which
#    is handed over as it is: NumPy then compares a float32 x with it in float64, exactly.
# (4) The body's result is rounded once to x's dtype and returned as an ndarray of x's shape
#    (0-d for a scalar). Overflow to +-inf does not warn, in the body or in that rounding: a body
#    lets a value overflow only where +-inf, or what the formula then makes of it (1/inf = 0),
#    is the right answer, and says why in a comment.
# (5) NaN in, NaN out: where x is NaN the result is NaN (for a result of x's shape), whatever
#    the body made of it (a comparison such as x > 0 is False for NaN). And the result is never
#    the caller's own array: a body may return x itself (linear), the caller gets a copy.
# (6) A helper called inside a body (mish calls sigmoid and silu) has nothing left to check:
#    its x is already an array in the working dtype. It runs its body at once, and the outer
#    helper rounds the final result once. `helper.unchecked` runs a body the same way from
#    outside (teaching.network's training loop, on float64 arrays it has checked itself).

NEEDS = "a number, a (nested) list of numbers or a numeric array"

# What NumPy makes of inputs that are not numbers, for the error message (by dtype kind)
NOT_NUMBERS = {"U": "strings", "S": "bytes", "M": "dates (datetime64)",
                "m": "time spans (timedelta64)", "V": "structured records (a void dtype)"}


def as_float_array(x, func_name, name="x"):
    """Return `x` as a float ndarray, or raise an error that names `func_name`, `name` and why.

    Integers and booleans become float64; floating dtypes are kept as they are. Python numbers
    NumPy can only hold as objects (``fractions.Fraction``, ``decimal.Decimal``) become float64.
    Refused: strings, bytes (and bytearray, memoryview), None, dicts and sets; ragged lists;
    complex numbers; dates, time spans and structured records; a Python int beyond int64
    (NumPy cannot hold it as an integer: convert it yourself, e.g. ``float(n)``); a masked
    array with masked values (its mask would be dropped); a PyTorch tensor (convert it with
    ``.detach().numpy()``).
    """
    if x is None or isinstance(x, (str, bytes, bytearray, memoryview, dict, set)):
        raise TypeError(f"{func_name}: {name} must be {NEEDS}, not {type(x).__name__}")
    if type(x).__module__.partition(".")[0] == "torch":  # duck typing: torch is not imported
        raise TypeError(f"{func_name}: {name} is a PyTorch tensor; convert it to a NumPy array "
                        f"first with {name}.detach().numpy() (.detach().cpu().numpy() for a "
                        f"tensor on a GPU)")
    if isinstance(x, np.ma.MaskedArray) and np.ma.is_masked(x):
        hidden = int(np.ma.count_masked(x))
        raise ValueError(f"{func_name}: {name} is a masked array with {hidden} masked value(s), "
                         f"and {func_name} does not skip them: it would compute with the values "
                         f"hidden under the mask. Fill them first, e.g. {name}.filled(0.0) (to "
                         f"leave scores out of a softmax: {name}.filled(-np.inf)), or drop them "
                         f"with {name}.compressed()")
    try:
        arr = np.asarray(x)
    except ValueError as error:
        if "inhomogeneous" not in str(error):
            raise ValueError(f"{func_name}: {name} cannot be read as numbers: {error}") from None
        # NumPy cannot build a rectangular array, e.g. from [[1, 2], [3]].
        raise ValueError(f"{func_name}: {name} must be {NEEDS} with every row the same length "
                         f"(got a ragged list)") from None
    except Exception as error:  # an object whose conversion to an array fails in its own code
        raise TypeError(f"{func_name}: {name} ({type(x).__name__}) cannot be read as numbers: "
                        f"{error}") from None
    kind = arr.dtype.kind
    if kind in "iub":
        return arr.astype(np.float64)
    if kind == "f":
        return arr
    if kind == "c":
        raise TypeError(f"{func_name}: {name} must be real numbers, not complex ({arr.dtype})")
    if kind == "O":
        return _object_array_as_float(arr, func_name, name)
    what = NOT_NUMBERS.get(kind, "non-numbers")
    raise TypeError(f"{func_name}: {name} must be {NEEDS}, not an array of {what} "
                    f"(dtype {arr.dtype})")


def _object_array_as_float(arr, func_name, name):
    """An object array (what NumPy makes of Python objects it has no dtype for) as float64, if
    every element is a real number: Fraction, Decimal, or an int too large for int64."""
    for value in arr.flat:
        if isinstance(value, numbers.Integral) and not -2**63 <= value < 2**64:
            raise ValueError(f"{func_name}: {name} holds a Python int too large for int64 "
                             f"({len(str(abs(value)))} digits), which NumPy cannot hold as a "
                             f"number; pass float(n) if a float is what you mean")
        if not isinstance(value, (numbers.Real, decimal.Decimal)):
            raise TypeError(f"{func_name}: {name} must be {NEEDS}, not a list or array "
                            f"holding {type(value).__name__}")
    try:
        return arr.astype(np.float64)
    except (ValueError, TypeError, ArithmeticError) as error:  # e.g. Decimal('sNaN')
        raise ValueError(f"{func_name}: {name} cannot be read as numbers: {error}") from None


def real_number(value, func_name, name, x=None):
    """Check that a parameter is one finite real number and return it as a Python float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.ndarray)):
        raise TypeError(f"{func_name}: {name} must be a real number, not {type(value).__name__}")
    if isinstance(value, np.ndarray):
        if value.ndim != 0 or value.dtype.kind not in "iuf":
            raise TypeError(f"{func_name}: {name} must be a single real number, "
                            f"not an array of shape {value.shape} and dtype {value.dtype}")
        value = value.item()
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{func_name}: {name} must be finite, got {value}")
    return value


def exact_real(value, func_name, name, x=None):
    """Like `real_number`, for a parameter that x is compared with (a threshold), where
    rounding it would move the result: a Python float (which the body gets in x's dtype) when
    x's dtype holds it exactly, as it does 0.0 or 1.5; else an np.float64, which the body gets
    unrounded and compares with x exactly."""
    value = real_number(value, func_name, name)
    with np.errstate(over="ignore"):  # 1e300 becomes inf in float32: not exact, and no warning
        exact = x is not None and float(x.dtype.type(value)) == value
    return value if exact else np.float64(value)


def positive_real(value, func_name, name, x=None):
    """Check that a parameter is one finite real number > 0 and return it as a Python float."""
    value = real_number(value, func_name, name)
    if value <= 0:
        raise ValueError(f"{func_name}: {name} must be > 0, got {value}")
    return value


def channel_alpha(alpha, func_name, name, x):
    """PReLU's alpha: one finite number (returned as a float), or finite numbers returned as a
    float64 array shaped to broadcast against `x`.

    As in PyTorch's ``nn.PReLU``, a 1-D alpha of C values holds one value per channel, and the
    channels are axis 1 of `x` (axis 0 for a 1-D `x`); a 1-D alpha of one value is shared by
    all. An alpha of 2 or more dimensions broadcasts against `x` by NumPy's rules.
    """
    if not (isinstance(alpha, (list, tuple)) or (isinstance(alpha, np.ndarray) and alpha.ndim)):
        return real_number(alpha, func_name, name)
    if isinstance(alpha, np.ndarray) and alpha.dtype.kind == "b":
        raise TypeError(f"{func_name}: {name} must be real numbers, not booleans")
    a = as_float_array(alpha, func_name, name=name).astype(np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{func_name}: {name} must be finite everywhere")
    if a.shape == (1,):
        return float(a[0])  # one alpha shared by every channel (nn.PReLU's default)
    if a.ndim == 1:
        axis = 1 if x.ndim >= 2 else 0
        if x.ndim == 0 or x.shape[axis] != a.size:
            channels = "no channels" if x.ndim == 0 else f"{x.shape[axis]} channels on axis {axis}"
            raise ValueError(f"{func_name}: {name} has {a.size} values, one per channel, but x "
                             f"of shape {x.shape} has {channels}; as in PyTorch's nn.PReLU, the "
                             f"channels are axis 1 (axis 0 for a 1-D x)")
        return a.reshape(a.shape + (1,) * (x.ndim - axis - 1))  # e.g. (C, 1, 1) for (N, C, H, W)
    try:
        shape = np.broadcast_shapes(x.shape, a.shape)
    except ValueError:
        shape = None
    if shape != x.shape:
        raise ValueError(f"{func_name}: {name} of shape {a.shape} does not broadcast to the shape "
                         f"of x {x.shape}; use one number, one per channel (axis 1), or an array "
                         f"that broadcasts to x")
    return a


def valid_axis(axis, func_name, name, x):
    """Check an axis of `x` (an int, or None for all axes) and return it. A 0-d `x` counts as
    one value, which axis -1, 0 and None all mean."""
    if axis is None:
        return None
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{func_name}: {name} must be an int or None, not {type(axis).__name__}")
    ndim = max(x.ndim, 1)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{func_name}: {name} {axis} is out of range for an input with "
                         f"{x.ndim} dimension(s)")
    return int(axis) if x.ndim else None


def _float32_holds(value):
    """Whether float32 arithmetic can take this parameter without losing it: 0, or a
    magnitude in 1e-30 .. 1e30, well inside float32's normal range (1.2e-38 .. 3.4e38)."""
    if type(value) is float:  # (an np.float64 from exact_real is never rounded: not here)
        return value == 0 or 1e-30 <= abs(value) <= 1e30
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        magnitude = np.abs(value)
        return bool(np.all((magnitude == 0) | ((magnitude >= 1e-30) & (magnitude <= 1e30))))
    return True  # nothing to round: an axis, a string, an exact np.float64


def _working_dtype(dtype, parameters, widen_float32=False):
    """The dtype a body computes in, for an input of `dtype` (see the comment above)."""
    if dtype == np.float16:
        return np.dtype(np.float64)
    if dtype == np.float32 and (widen_float32 or not all(map(_float32_holds, parameters))):
        return np.dtype(np.float64)
    return dtype


def _in_dtype(value, dtype):
    """A checked parameter as the body gets it: Python floats as NumPy scalars of `dtype`, float
    arrays as arrays of `dtype`; anything else (an np.float64, an int, a string) as it is."""
    if type(value) is float:
        return dtype.type(value)
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(dtype)
    return value


def gelu_approximation(approximate, func_name, name, x=None):
    """Check GELU's `approximate` ("none" or "tanh", as torch.nn.functional.gelu) and return it."""
    if not isinstance(approximate, str):
        raise TypeError(f"{func_name}: {name} must be the string 'none' or 'tanh', "
                        f"not {type(approximate).__name__}")
    if approximate not in ("none", "tanh"):
        raise ValueError(f"{func_name}: {name} must be 'none' (exact, with erf) or 'tanh', "
                         f"got {approximate!r}")
    return approximate


# True while a body runs: a helper called from inside a body skips the checks (step (6)).
_IN_A_BODY = contextvars.ContextVar("in_a_body", default=False)


def checked_input(func=None, *, widen_float32=False, **checks):
    """Decorator: check `x` and the parameters in `checks` ({name: checker}), run the body in
    the working dtype, round its result once to x's dtype, NaN in giving NaN out (steps (1)-(6)
    described above).

    Use it bare (``@checked_input``) or with arguments
    (``@checked_input(alpha=real_number)``).
    """
    if func is None:
        return functools.partial(checked_input, widen_float32=widen_float32, **checks)
    signature = inspect.signature(func)
    func_name = func.__name__
    defaults = {name: p.default for name, p in signature.parameters.items()
                if p.default is not p.empty}

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if _IN_A_BODY.get():  # called by another helper's body: x is checked already
            return func(*args, **kwargs)
        if len(args) == 1 and not kwargs:  # the usual call, f(x): nothing to bind
            arguments = {"x": args[0], **defaults}
        else:
            try:
                call = signature.bind(*args, **kwargs)
            except TypeError as error:  # e.g. a misspelt or missing argument
                raise TypeError(f"{func_name}: {error}") from None
            arguments = {**defaults, **call.arguments}
        x = as_float_array(arguments["x"], func_name)
        params = {name: check(arguments[name], func_name, name, x)
                  for name, check in checks.items()}
        working = _working_dtype(x.dtype, params.values(), widen_float32)
        arguments.update({name: _in_dtype(v, working) for name, v in params.items()})
        arguments["x"] = x.astype(working, copy=False)
        inside = _IN_A_BODY.set(True)
        try:
            with np.errstate(over="ignore"):
                y = np.asarray(func(**arguments), dtype=x.dtype)
        finally:
            _IN_A_BODY.reset(inside)
        return _nan_where_nan(y, x)

    wrapper.unchecked = _unchecked(func)
    return wrapper


def _unchecked(func):
    """`func`, the body, run as inside another body: its helpers skip their checks (step 6)."""
    def unchecked(*args, **kwargs):
        inside = _IN_A_BODY.set(True)
        try:
            return func(*args, **kwargs)
        finally:
            _IN_A_BODY.reset(inside)
    unchecked.__name__ = unchecked.__qualname__ = func.__name__
    unchecked.__doc__ = f"{func.__name__}'s body without the input checks (see _input_policy)."
    return unchecked


def _nan_where_nan(y, x):
    """`y`, NaN wherever `x` is NaN (step 5), and never `x` itself (nor a view of it)."""
    # np.min is NaN if any value is: one quick pass finds out whether there is work to do
    if y.shape == x.shape and x.size and np.isnan(x.min()):
        return np.where(np.isnan(x), x, y)
    return y.copy() if np.may_share_memory(y, x) else y
