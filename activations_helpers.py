"""Activation functions for deep learning, in short readable NumPy.

This module is the math a learner reads: every notebook in ``notebooks/`` imports its
activations from here and never redefines them, and ``show_code`` puts these bodies on screen.
It imports NumPy and the standard library only; the machinery that draws, moves sliders and
checks exercises lives in the ``teaching`` package beside it. It is laid out in sections a
learner can read top to bottom:

1. input checking  -- turn what you pass into a float array, or say clearly what is wrong
2. activations     -- linear, binary_step, sigmoid, tanh, relu, leaky_relu, prelu, softmax
3. derivatives     -- ``<name>_derivative``, ``prelu_alpha_derivative``, ``softmax_jacobian``

Every activation accepts a scalar, a (nested) list or an array of any shape and returns an
ndarray of the same shape. Integers become float64; float16, float32 and float64 keep their
dtype. No input, not even +-1e308 or +-inf, makes them warn; NaN in gives NaN out.
"""

import functools
import numbers

import numpy as np

__all__ = [
    "linear", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "softmax",
    "linear_derivative", "binary_step_derivative", "sigmoid_derivative", "tanh_derivative",
    "relu_derivative", "leaky_relu_derivative", "prelu_derivative", "prelu_alpha_derivative",
    "softmax_jacobian",
]


# ----------------------------------------------------------------------------------------------
# 1. Input checking
# ----------------------------------------------------------------------------------------------

def _as_float_array(x, func_name, name="x"):
    """Return `x` as a float ndarray, or raise an error that names `func_name` and `name`.

    Integers and booleans become float64; floating dtypes are kept as they are.
    """
    needs = "a number, a (nested) list of numbers or a numeric array"
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise TypeError(f"{func_name}: {name} must be {needs}, not {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError):
        # NumPy cannot build a rectangular array, e.g. from [[1, 2], [3]].
        raise ValueError(
            f"{func_name}: {name} must be {needs} with every row the same length (got a ragged list)"
        ) from None
    if arr.dtype.kind in "iub":
        return arr.astype(np.float64)
    if arr.dtype.kind == "f":
        return arr
    if arr.dtype.kind == "c":
        raise TypeError(f"{func_name}: {name} must be real numbers, not complex ({arr.dtype})")
    raise TypeError(f"{func_name}: {name} must be {needs}, not an array of {arr.dtype}")


def _checked_input(func):
    """Decorator: check and convert `x`, then hand back an ndarray of x's dtype and shape.

    The body of each activation can then be just its formula.
    """
    @functools.wraps(func)
    def wrapper(x, *args, **kwargs):
        x = _as_float_array(x, func.__name__)
        y = func(x, *args, **kwargs)
        with np.errstate(over="ignore"):  # a float64 result too large for float16/32 becomes inf
            return np.asarray(y, dtype=x.dtype)  # a 0-d input stays a 0-d ndarray, not a scalar
    return wrapper


def _real_number(value, func_name, name):
    """Check that a parameter is one finite real number and return it as a float."""
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


def _alpha_array(alpha, x, func_name):
    """PReLU's alpha: one finite number (returned as a float), or a finite float64 array that
    broadcasts to the shape of `x` (e.g. one value per channel)."""
    if not (isinstance(alpha, (list, tuple)) or (isinstance(alpha, np.ndarray) and alpha.ndim)):
        return _real_number(alpha, func_name, "alpha")
    if isinstance(alpha, np.ndarray) and alpha.dtype.kind == "b":
        raise TypeError(f"{func_name}: alpha must be real numbers, not booleans")
    a = _as_float_array(alpha, func_name, name="alpha").astype(np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{func_name}: alpha must be finite everywhere")
    try:
        shape = np.broadcast_shapes(x.shape, a.shape)
    except ValueError:
        shape = None
    if shape != x.shape:
        raise ValueError(f"{func_name}: alpha of shape {a.shape} does not broadcast to the shape "
                         f"of x {x.shape}; use one number or e.g. one value per channel")
    return a


def _keep_nan(x, y):
    """`y`, but NaN wherever `x` is NaN (comparisons like x > 0 lose NaN)."""
    return np.where(np.isnan(x), x, y)


# ----------------------------------------------------------------------------------------------
# 2. Activations
# ----------------------------------------------------------------------------------------------

@_checked_input
def linear(x):
    r"""Linear (identity) activation: :math:`y = x`.

    Parameters
    ----------
    x : array_like
        Pre-activations: a number, a (nested) list or an array of any shape.

    Returns
    -------
    ndarray
        A float copy of `x`, same shape.

    Examples
    --------
    >>> import numpy as np
    >>> linear(np.arange(-3, 4)).tolist()
    [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    """
    return x.copy()  # y = x


@_checked_input
def binary_step(x, threshold=0.0):
    r"""Binary step: 1 where :math:`x \ge` `threshold`, else 0.

    .. math:: y = \begin{cases} 1 & x \ge \theta \\ 0 & x < \theta \end{cases}

    Parameters
    ----------
    x : array_like
        Pre-activations.
    threshold : float, default 0.0
        The finite threshold :math:`\theta`; as in the article, step(threshold) = 1.

    Returns
    -------
    ndarray
        0.0 or 1.0 for every element (NaN stays NaN), same shape as `x`.

    Examples
    --------
    >>> import numpy as np
    >>> binary_step(np.arange(-3, 4)).tolist()
    [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]
    >>> binary_step([0.5, 1.5], threshold=1).tolist()
    [0.0, 1.0]
    """
    threshold = _real_number(threshold, "binary_step", "threshold")
    # Compare with the exact threshold (a float64), not one rounded to x's dtype.
    return _keep_nan(x, x >= np.float64(threshold))  # True -> 1.0, False -> 0.0


@_checked_input
def sigmoid(x):
    r"""Sigmoid (logistic) function: :math:`\sigma(x) = 1 / (1 + e^{-x})`, in (0, 1).

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    ndarray
        Values in [0, 1], same shape as `x`.

    Notes
    -----
    The textbook formula overflows: ``np.exp(-x)`` is inf (with a warning) for x < -709.
    With :math:`z = e^{-|x|} \in (0, 1]`, which never overflows,

    .. math:: \sigma(x) = \frac{1}{1 + z} \ (x \ge 0), \qquad
              \sigma(x) = \frac{z}{1 + z} \ (x < 0),

    which also stays accurate far into the left tail: sigmoid(-700) is about 9.86e-305.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(sigmoid(np.arange(-5, 6)), 3).tolist()
    [0.007, 0.018, 0.047, 0.119, 0.269, 0.5, 0.731, 0.881, 0.953, 0.982, 0.993]
    >>> sigmoid([-np.inf, -700.0, np.inf]).tolist()
    [0.0, 9.85967654375977e-305, 1.0]
    """
    # The steps work in place (out=z, +=, /=): the same formula without allocating and filling
    # a new million-element array at every step, which makes it about 15% faster.
    z = np.abs(x, out=np.empty_like(x))    # (out= also keeps a 0-d input an array)
    np.exp(np.negative(z, out=z), out=z)   # z = e^{-|x|}, in (0, 1]: never overflows
    sigma = np.maximum(z, x >= 0)          # numerator: 1 where x >= 0, z where x < 0; NaN stays
    z += 1                                 # denominator: 1 + z
    sigma /= z
    return sigma


@_checked_input
def tanh(x):
    r"""Hyperbolic tangent: :math:`\tanh(x) = (e^{x} - e^{-x}) / (e^{x} + e^{-x})`, in (-1, 1).

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    ndarray
        Values in [-1, 1], same shape as `x`.

    Notes
    -----
    The formula above overflows to inf/inf = NaN for x above about 710. ``np.tanh`` is computed
    stably by the C library, and :math:`\tanh(x) = 2\sigma(2x) - 1` ties it to the sigmoid.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(tanh(np.arange(-5, 6)), 2).tolist()
    [-1.0, -1.0, -1.0, -0.96, -0.76, 0.0, 0.76, 0.96, 1.0, 1.0, 1.0]
    >>> tanh([1000.0, -np.inf]).tolist()
    [1.0, -1.0]
    """
    return np.tanh(x)


@_checked_input
def relu(x):
    r"""Rectified linear unit: :math:`\mathrm{ReLU}(x) = \max(x, 0)`.

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    ndarray
        Negative values set to 0, the rest unchanged; same shape as `x`.

    Examples
    --------
    >>> import numpy as np
    >>> relu(np.arange(-5, 6)).tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    """
    # max(x, 0), NaN stays NaN. np.clip(x, 0, inf) computes exactly that, and in NumPy 2.4 it
    # runs about 3x faster than np.maximum(x, 0) on float32 (benchmarks/bench_helpers.py).
    return np.clip(x, 0, np.inf)


@_checked_input
def leaky_relu(x, alpha=0.01):
    r"""Leaky ReLU: :math:`x` where :math:`x > 0`, else :math:`\alpha x`.

    Parameters
    ----------
    x : array_like
        Pre-activations.
    alpha : float, default 0.01
        The leak coefficient: the slope for negative inputs. Any finite number.

    Returns
    -------
    ndarray
        Same shape as `x`.

    Notes
    -----
    For :math:`0 \le \alpha \le 1` the leaky ReLU is simply :math:`\max(x, \alpha x)`: two quick
    passes, no branches. With :math:`\alpha = 0` it is the ReLU (which also avoids
    :math:`0 \cdot (-\infty)`). Any other alpha uses :math:`\max(x, 0) + \alpha \min(x, 0)`.

    Examples
    --------
    >>> import numpy as np
    >>> leaky_relu(np.arange(-5, 6)).tolist()
    [-0.05, -0.04, -0.03, -0.02, -0.01, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    >>> leaky_relu([-2.0, 2.0], alpha=0.5).tolist()
    [-1.0, 2.0]
    """
    alpha = _real_number(alpha, "leaky_relu", "alpha")
    if alpha == 0:
        return relu(x)
    if 0 < alpha <= 1:
        return np.maximum(x, alpha * x)
    # alpha * x is used only where x < 0. If it is too large for the dtype it rounds to -inf or
    # +inf, the correctly rounded answer, so NumPy's overflow warning is not needed.
    with np.errstate(over="ignore"):
        return np.maximum(x, 0) + alpha * np.minimum(x, 0)


@_checked_input
def prelu(x, alpha=0.25):
    r"""Parametric ReLU: :math:`x` where :math:`x > 0`, else :math:`\alpha x`, with a learnable alpha.

    Parameters
    ----------
    x : array_like
        Pre-activations.
    alpha : float or array_like, default 0.25
        The leak coefficient, learned by gradient descent (see `prelu_alpha_derivative`).
        One number, or an array that broadcasts to the shape of `x` (e.g. one per channel).

    Returns
    -------
    ndarray
        Same shape as `x`.

    Examples
    --------
    >>> import numpy as np
    >>> prelu(np.arange(-3, 4)).tolist()
    [-0.75, -0.5, -0.25, 0.0, 1.0, 2.0, 3.0]
    >>> prelu([[-1.0, -1.0], [2.0, 2.0]], alpha=[0.1, 0.2]).tolist()
    [[-0.1, -0.2], [2.0, 2.0]]
    """
    a = _alpha_array(alpha, x, "prelu")
    if np.ndim(a) == 0:
        return leaky_relu(x, a)
    # alpha * x where x < 0, computed in float64; where alpha == 0 it stays 0 (the limit, also
    # for x = -inf, where 0 * -inf would give NaN)
    negative_part = np.multiply(a, np.minimum(x, 0), out=np.zeros(x.shape), where=a != 0)
    return np.maximum(x, 0) + negative_part


@_checked_input
def softmax(x, axis=-1, temperature=1.0):
    r"""Softmax: :math:`e^{x_i/T} / \sum_j e^{x_j/T}` along `axis`; the outputs sum to 1.

    Parameters
    ----------
    x : array_like
        Scores (logits). A scalar is treated as a vector of one score.
    axis : int or None, default -1
        The axis to normalise along; None normalises over all elements.
    temperature : float, default 1.0
        :math:`T > 0`. Large T flattens the distribution towards uniform, small T sharpens it
        towards the argmax.

    Returns
    -------
    ndarray
        Probabilities, same shape as `x`, summing to 1 along `axis` (a NaN makes its whole
        slice NaN).

    Notes
    -----
    :math:`e^{1000}` overflows, so the unshifted formula gives inf/inf = NaN for
    ``[1000, 1001, 1002]``. Softmax does not change when a constant is subtracted from every
    score, so we subtract the maximum first: every exponent is then :math:`\le 0` and every
    :math:`e^{\cdot}` lies in [0, 1]. An input of +inf gets all the probability.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(softmax(np.arange(-5, 6)), 3).tolist()
    [0.0, 0.0, 0.0, 0.001, 0.002, 0.004, 0.012, 0.031, 0.086, 0.233, 0.632]
    >>> np.round(softmax([1000, 1001, 1002]), 3).tolist()
    [0.09, 0.245, 0.665]
    """
    temperature = _real_number(temperature, "softmax", "temperature")
    if temperature <= 0:
        raise ValueError(f"softmax: temperature must be > 0, got {temperature}")
    if x.ndim == 0:
        return softmax(x.reshape(1), axis=axis, temperature=temperature).reshape(())
    axis = _check_axis(axis, x.ndim, "softmax")
    if x.size == 0:
        raise ValueError("softmax: x must hold at least one score along axis")
    m = np.max(x, axis=axis, keepdims=True)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        # x - m <= 0. If (x - m) / T is too large for floats it becomes -inf, whose exp is the 0
        # we want. Where x equals the max (also when both are +inf or -inf) the shifted score is 0.
        shifted = np.where(x == m, 0, (x - m) / temperature)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def _check_axis(axis, ndim, func_name):
    if axis is None:
        return None
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{func_name}: axis must be an int or None, not {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{func_name}: axis {axis} is out of range for an input with "
                         f"{ndim} dimension(s)")
    return int(axis)


# ----------------------------------------------------------------------------------------------
# 3. Derivatives (at kinks we follow PyTorch's autograd: relu'(0) = 0, leaky_relu'(0) = alpha)
# ----------------------------------------------------------------------------------------------

@_checked_input
def linear_derivative(x):
    r"""Derivative of `linear`: :math:`dy/dx = 1` everywhere (NaN stays NaN).

    Examples
    --------
    >>> linear_derivative([-2, 0, 5]).tolist()
    [1.0, 1.0, 1.0]
    """
    return np.clip(x, 1, 1)  # 1 for every number, NaN stays NaN; one quick pass


@_checked_input
def binary_step_derivative(x, threshold=0.0):
    r"""Derivative of `binary_step`: 0 everywhere (taken as 0 at the jump too; NaN stays NaN).

    This is why the step cannot be trained by gradient descent: no gradient flows through it.

    Examples
    --------
    >>> binary_step_derivative([-1, 0, 1]).tolist()
    [0.0, 0.0, 0.0]
    """
    _real_number(threshold, "binary_step_derivative", "threshold")
    return np.clip(x, 0, 0)  # 0 for every number, NaN stays NaN; one quick pass


@_checked_input
def sigmoid_derivative(x):
    r"""Derivative of `sigmoid`: :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))`, at most 0.25.

    Notes
    -----
    :math:`1 - \sigma(x)` rounds to 0 for x > 37, so we use
    :math:`\sigma(x)\,\sigma(-x) = z / (1 + z)^2` with :math:`z = e^{-|x|}`, accurate for every x.

    Examples
    --------
    >>> sigmoid_derivative([-1.0, 0.0, 1.0]).round(4).tolist()
    [0.1966, 0.25, 0.1966]
    """
    z = np.exp(-np.abs(x))
    # near x = 0, rounding can lift the result one step above 0.25 (float32): cap it there
    return np.minimum(z / (1 + z) ** 2, 0.25)


@_checked_input
def tanh_derivative(x):
    r"""Derivative of `tanh`: :math:`\tanh'(x) = 1 - \tanh^2(x)`, at most 1.

    Notes
    -----
    :math:`1 - \tanh^2(x)` rounds to 0 for |x| > 19, so we use the equal form
    :math:`4 z / (1 + z)^2` with :math:`z = e^{-2|x|}`, accurate for every x.

    Examples
    --------
    >>> tanh_derivative([-1.0, 0.0, 1.0]).round(4).tolist()
    [0.42, 1.0, 0.42]
    """
    z = np.exp(-np.abs(x)) ** 2  # e^{-2|x|}, without overflowing 2|x| for |x| near 1e308
    return np.minimum(4 * z / (1 + z) ** 2, 1.0)  # never a rounding step above its maximum


@_checked_input
def relu_derivative(x):
    r"""Derivative of `relu`: 1 where x > 0, else 0 (0 at x = 0, as in PyTorch).

    Examples
    --------
    >>> relu_derivative([-1, 0, 2]).tolist()
    [0.0, 0.0, 1.0]
    """
    return _keep_nan(x, x > 0)


@_checked_input
def leaky_relu_derivative(x, alpha=0.01):
    r"""Derivative of `leaky_relu`: 1 where x > 0, else `alpha` (alpha at x = 0, as in PyTorch).

    Examples
    --------
    >>> leaky_relu_derivative([-1, 0, 2]).tolist()
    [0.01, 0.01, 1.0]
    """
    alpha = _real_number(alpha, "leaky_relu_derivative", "alpha")
    return _keep_nan(x, np.where(x > 0, 1, alpha))


@_checked_input
def prelu_derivative(x, alpha=0.25):
    r"""Derivative of `prelu` with respect to x: 1 where x > 0, else `alpha`.

    Examples
    --------
    >>> prelu_derivative([-1, 0, 2]).tolist()
    [0.25, 0.25, 1.0]
    """
    a = _alpha_array(alpha, x, "prelu_derivative")
    return _keep_nan(x, np.where(x > 0, 1, a))


@_checked_input
def prelu_alpha_derivative(x, alpha=0.25):
    r"""Derivative of `prelu` with respect to alpha: :math:`\partial y/\partial\alpha = \min(x, 0)`.

    This is the gradient that lets a network learn alpha. It is elementwise, the shape of `x`;
    when alpha is shared (one number, or one per channel) sum it over the elements that share it.

    Examples
    --------
    >>> prelu_alpha_derivative([-3, -1, 0, 2]).tolist()
    [-3.0, -1.0, 0.0, 0.0]
    """
    _alpha_array(alpha, x, "prelu_alpha_derivative")  # the value does not matter, its validity does
    return np.minimum(x, 0)


def softmax_jacobian(x, temperature=1.0):
    r"""Jacobian of `softmax` of a 1-D vector: :math:`J_{ij} = \partial s_i / \partial x_j`.

    .. math:: J = \frac{1}{T}\left(\operatorname{diag}(s) - s s^\top\right)

    Parameters
    ----------
    x : array_like
        A 1-D vector of n scores.
    temperature : float, default 1.0
        As in `softmax`.

    Returns
    -------
    ndarray
        An (n, n) matrix. Each column sums to 0, because the outputs always sum to 1.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    x = _as_float_array(x, "softmax_jacobian")
    temperature = _real_number(temperature, "softmax_jacobian", "temperature")
    if temperature <= 0:
        raise ValueError(f"softmax_jacobian: temperature must be > 0, got {temperature}")
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"softmax_jacobian: x must be a non-empty 1-D vector, got shape {x.shape}")
    s = softmax(x, temperature=temperature)
    jacobian = np.outer(-s, s)                  # -s_i s_j everywhere ...
    jacobian.flat[:: s.size + 1] += s           # ... plus s_i on the diagonal: diag(s) - s s^T
    if temperature == 1:
        return jacobian
    with np.errstate(over="ignore"):  # in float64, so a tiny T gives inf, not 0/0; cast back
        return (jacobian.astype(np.float64) / temperature).astype(x.dtype)
