"""Activation functions for deep learning, in short readable NumPy.

Every notebook in ``notebooks/`` imports from this one module and never redefines what is here.
It is laid out in sections a learner can read top to bottom:

1. input checking  -- turn what you pass into a float array, or say clearly what is wrong
2. activations     -- linear, binary_step, sigmoid, tanh, relu, leaky_relu, prelu, softmax
3. derivatives     -- ``<name>_derivative``, ``prelu_alpha_derivative``, ``softmax_jacobian``
4. plotting        -- one seaborn style so that every figure looks alike
5. widgets         -- sliders that redraw a plot as you drag them

Every activation accepts a scalar, a (nested) list or an array of any shape and returns an
ndarray of the same shape. Integers become float64; float16, float32 and float64 keep their
dtype. No input, not even +-1e308 or +-inf, makes them warn; NaN in gives NaN out.
"""

import contextlib
import functools
import inspect
import numbers

import numpy as np

__all__ = [
    "linear", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "softmax",
    "linear_derivative", "binary_step_derivative", "sigmoid_derivative", "tanh_derivative",
    "relu_derivative", "leaky_relu_derivative", "prelu_derivative", "prelu_alpha_derivative",
    "softmax_jacobian",
    "set_theme", "plot_lines", "plot_activation", "plot_bars", "show_code",
    "PARAMETER_SLIDERS", "interactive_plot", "interactive_activation", "interactive_softmax",
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


# ----------------------------------------------------------------------------------------------
# 4. Plotting: one style for every figure
# ----------------------------------------------------------------------------------------------

PALETTE = "colorblind"  # seaborn's colour-blind-safe palette
FIGSIZE = (6.4, 3.6)


def set_theme():
    """Apply the one plotting style that every notebook uses (call it once, in the setup cell).

    In a notebook it also makes a matplotlib Figure show as a PNG image wherever it is displayed
    (as a cell's value or from a slider), even though our figures are not managed by pyplot.
    """
    import seaborn as sns
    from IPython import get_ipython
    from matplotlib.figure import Figure

    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(Figure, _png)


def _png(fig):
    """The figure as PNG bytes (how a notebook shows it once `set_theme` has run).

    One plain draw and our own `_encode_png`: about three times as fast as IPython's default
    formatter, which switches canvases and measures a tight bounding box on every call.
    """
    canvas = _agg_canvas(fig)
    canvas.draw()
    return _encode_png(canvas.buffer_rgba(), level=6)


def _agg_canvas(fig):
    """The figure's Agg canvas (the raster canvas a PNG is drawn on), attached if it has none."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def _encode_png(rgba, level=1):
    """Encode an RGBA image (height x width x 4 bytes) as PNG, with no per-row filter.

    A plot is mostly flat colour, so zlib alone compresses it well: at level 1 this takes about
    5 ms for a slider's figure where Pillow, which tries a filter on every row, takes 15-25 ms.
    """
    import struct
    import zlib

    rgba = np.asarray(rgba, dtype=np.uint8)
    height, width = rgba.shape[:2]
    rows = np.zeros((height, 1 + 4 * width), dtype=np.uint8)  # each row: filter byte 0, pixels
    rows[:, 1:] = rgba.reshape(height, 4 * width)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), level)) + chunk(b"IEND", b""))


def _figure(ncols=1, figsize=None, tick_axes="xy", nbins=6):
    """A new matplotlib Figure with `ncols` axes side by side (at most ``nbins + 1`` ticks on
    each of `tick_axes`; leave a categorical axis out, so that its categories keep theirs).

    The Figure is not registered with pyplot, so a notebook shows it once (when it is the value
    of a cell) and no figure piles up in memory when a slider redraws a plot.
    """
    from matplotlib.figure import Figure

    if figsize is None:
        figsize = (FIGSIZE[0] * (1 if ncols == 1 else 0.75 * ncols), FIGSIZE[1])
    fig = Figure(figsize=figsize)
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    _set_margins(fig)
    for ax in axes:
        _fix_axis_layout(ax, nbins=nbins, axes=tick_axes)
    return fig, list(axes)


def _set_margins(fig, right_inches=0.25):
    """Fixed margins in inches, room for titles, labels and tick labels.

    A layout engine (constrained or tight) would find them by itself, but it re-measures every
    text on every draw and doubles the time a slider takes to redraw a figure.
    """
    width, height = fig.get_size_inches()
    ncols = len(fig.axes)
    left, right, gap = 0.85 / width, 1 - right_inches / width, 0.85
    panel = (width * (right - left) - gap * (ncols - 1)) / ncols
    fig.subplots_adjust(left=left, right=right, bottom=0.62 / height, top=1 - 0.38 / height,
                        wspace=gap / panel)


def _fix_axis_layout(ax, nbins=6, axes="xy"):
    """At most ``nbins + 1`` ticks per axis, and axis labels a fixed distance (in inches) from
    the axes.

    Left to itself, matplotlib measures every tick label on every draw, to choose how many
    ticks fit and to place the axis labels clear of them: that is a third of a slider's redraw.
    """
    from matplotlib.ticker import MaxNLocator
    from matplotlib.transforms import ScaledTranslation

    for name in axes:
        getattr(ax, name + "axis").set_major_locator(
            MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))
    inches = ax.figure.dpi_scale_trans
    ax.xaxis.set_label_coords(0.5, 0, ax.transAxes + ScaledTranslation(0, -0.34, inches))
    ax.yaxis.set_label_coords(0, 0.5, ax.transAxes + ScaledTranslation(-0.62, 0, inches))


def _draw_lines(ax, x, curves, *, title=None, xlabel="x", ylabel="y", drawstyle="default",
                marker=None):
    """Draw each ``label -> y`` of `curves` against `x` on `ax` with seaborn; return the lines."""
    import seaborn as sns

    # Labels first: seaborn then leaves them alone instead of building every tick to decide
    # whether to show them. Our own legend below, so seaborn need not build one.
    ax.set(xlabel=xlabel, ylabel=ylabel)
    # A fixed title position (y=1): matplotlib would otherwise measure every tick label on every
    # draw to place the title, a third of the time a slider takes to redraw.
    ax.set_title(title or "", y=1.0)
    colours = sns.color_palette(PALETTE)
    for i, (label, y) in enumerate(curves.items()):
        sns.lineplot(x=np.asarray(x, dtype=float), y=np.asarray(y, dtype=float), ax=ax,
                     label=label, color=colours[i % len(colours)], drawstyle=drawstyle,
                     marker=marker, estimator=None, sort=False, legend=False)
    # the axes through 0: above the grid (zorder 0.5), below the data (2)
    ax.axhline(0, color="0.6", lw=0.8, zorder=1)
    ax.axvline(0, color="0.6", lw=0.8, zorder=1)
    if len(curves) > 3:  # many lines: the legend goes beside the plot, not over it
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False)
        _set_margins(ax.figure, right_inches=2.3)
    elif len(curves) > 1:
        ax.legend(loc="best", frameon=True)
    return [line for line in ax.lines if line.get_label() in curves]


def plot_lines(x, curves, *, title=None, xlabel="x", ylabel="y", drawstyle="default", marker=None):
    """Plot several curves against the same `x` in the project's style.

    Parameters
    ----------
    x : array_like
        Shared x values.
    curves : dict
        ``{label: y}``; one line per entry, with a legend when there are several.
    title, xlabel, ylabel : str, optional
        Text for the axes.
    drawstyle : str, default "default"
        Passed to matplotlib, e.g. ``"steps-post"`` for a step function.
    marker : str, optional
        A marker for each point, e.g. ``"o"`` for a handful of worked-example values.

    Returns
    -------
    matplotlib.figure.Figure
        The figure; a notebook cell that ends with it shows it.
    """
    fig, (ax,) = _figure()
    _draw_lines(ax, x, curves, title=title, xlabel=xlabel, ylabel=ylabel,
                drawstyle=drawstyle, marker=marker)
    return fig


def plot_bars(values, *, title=None, ylabel="value", fmt="{:.2f}"):
    """A bar for each ``label -> number`` in `values`, in the project's style, each bar labelled.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import seaborn as sns

    fig, (ax,) = _figure(tick_axes="y")  # x: one tick per category, from seaborn
    labels, heights = list(values), [float(v) for v in values.values()]
    sns.barplot(x=labels, y=heights, hue=labels, palette=PALETTE, legend=False, ax=ax)
    for container in ax.containers:
        ax.bar_label(container, fmt=fmt.format)
    ax.margins(y=0.12)  # room for the labels above the bars
    ax.set(ylabel=ylabel)
    ax.set_title(title or "", y=1.0)
    return fig


def _args(params):
    """", alpha=0.1" for params {"alpha": 0.1}: how a plot labels the parameters it used."""
    return "".join(f", {k}={v:g}" for k, v in params.items() if np.ndim(v) == 0)


def plot_activation(fn, x=None, *, derivative=True, drawstyle="default", **params):
    """Plot an activation (left) and its derivative (right) in the project's style.

    Parameters
    ----------
    fn : callable
        One of this module's activations, e.g. `sigmoid`.
    x : array_like, optional
        Where to evaluate it; 401 points over [-5, 5] by default.
    derivative : bool, default True
        Also draw ``<name>_derivative`` in a second panel.
    **params
        Parameters of `fn`, e.g. ``alpha=0.1`` for `leaky_relu`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x, dtype=float)
    name, args = fn.__name__, _args(params)
    fig, axes = _figure(2 if derivative else 1)
    _draw_lines(axes[0], x, {f"{name}(x{args})": fn(x, **params)}, title=name,
                ylabel="activation", drawstyle=drawstyle)
    if derivative:
        d = globals()[name + "_derivative"]
        _draw_lines(axes[1], x, {f"{name}'(x{args})": d(x, **params)},
                    title=f"derivative of {name}", ylabel="gradient", drawstyle=drawstyle)
    return fig


def show_code(fn):
    """Show the source of one of this module's functions, without its docstring.

    Notebooks call this instead of copying code, so what a learner reads is what runs.
    """
    import ast
    import textwrap

    from IPython.display import Code

    lines = textwrap.dedent(inspect.getsource(fn)).splitlines()
    body = ast.parse("\n".join(lines)).body[0].body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        del lines[body[0].lineno - 1:body[0].end_lineno]  # the docstring's lines
    return Code("\n".join(lines), language="python")


# ----------------------------------------------------------------------------------------------
# 5. Widgets: sliders that redraw a plot
# ----------------------------------------------------------------------------------------------

# Slider settings for each activation's parameters: (min, max, step, start value)
PARAMETER_SLIDERS = {
    "linear": {"slope": (-3.0, 3.0, 0.1, 1.0)},
    "binary_step": {"threshold": (-3.0, 3.0, 0.1, 0.0)},
    "leaky_relu": {"alpha": (0.0, 0.5, 0.01, 0.01)},
    "prelu": {"alpha": (-0.5, 1.0, 0.05, 0.25)},
    "softmax": {"temperature": (0.1, 5.0, 0.1, 1.0)},
}


def _float_slider(name, spec):
    import ipywidgets as widgets

    low, high, step, value = spec
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=name,
                               continuous_update=True, readout_format=".2f")


def _range_slider(x_range, limits, step, integer=False):
    import ipywidgets as widgets

    kind = widgets.IntRangeSlider if integer else widgets.FloatRangeSlider
    return kind(value=tuple(x_range), min=limits[0], max=limits[1], step=step,
                description="input range", continuous_update=True,
                **({} if integer else {"readout_format": ".1f"}))


def interactive_plot(curves, sliders, *, x_range=(-5.0, 5.0), x_limits=(-10.0, 10.0),
                     x_step=0.5, integer_x=False, n_points=401, titles=None, ylabels=None,
                     xlabel="x", drawstyle="default", marker=None):
    """Sliders that redraw a figure of `curves` as they move: the engine behind every slider.

    Parameters
    ----------
    curves : callable
        ``curves(x, **slider_values)`` returns a list of panels, each a dict ``{label: y}``.
        Each call must return the same panels and labels; only the values change.
    sliders : dict
        ``{parameter name: ipywidgets slider}``, passed to `curves` by name.
    x_range, x_limits, x_step : tuple, tuple, float
        Start value, limits and step of the "input range" range slider.
    integer_x : bool, default False
        Evaluate at the integers of the range (as the article's ``np.arange``) instead of
        `n_points` evenly spaced points.
    titles, ylabels : list of str, optional
        One per panel.
    xlabel : str, default "x"
        The label of every panel's x axis.
    drawstyle, marker : str, optional
        Passed to matplotlib for every line.

    Returns
    -------
    ipywidgets.interactive
        The widget (sliders above the plot). Its ``figure`` attribute is the matplotlib Figure,
        ``lines`` maps each label to its Line2D and ``render()`` returns the PNG a slider move
        shows, so tests can check what is drawn.

    Notes
    -----
    The figure is built once. A slider move replaces the lines' data and shows the figure again
    as a PNG (printing nothing, so nbval sees the same outputs with or without a browser).
    The y axes span the curves at every parameter slider's minimum and maximum as well, so they
    stay put while a parameter slider moves: the curve visibly changes against fixed axes, and
    only the lines are redrawn over a cached picture of the rest: about 20 ms per move in a
    kernel, where drawing the whole figure again takes 50 to 70 (benchmarks/bench_widgets.py).
    Moving the input range rescales the axes, to limits on round numbers: when a panel's
    limits change, its ticks and grid are drawn again too.
    """
    import ipywidgets as widgets
    from IPython import get_ipython
    from IPython.display import display

    def grid(lo, hi):
        return np.arange(lo, hi + 1) if integer_x else np.linspace(lo, hi, n_points)

    first = curves(grid(*x_range), **{k: s.value for k, s in sliders.items()})
    fig, axes = _figure(len(first), nbins=4)  # few tick labels: they are what costs to redraw
    lines = {}
    for i, (ax, panel) in enumerate(zip(axes, first)):
        drawn = _draw_lines(ax, grid(*x_range), panel, xlabel=xlabel,
                            title=titles[i] if titles else None,
                            ylabel=ylabels[i] if ylabels else "y",
                            drawstyle=drawstyle, marker=marker)
        lines.update({line.get_label(): line for line in drawn})
    layers = _Layers(fig, moving=list(lines.values()))
    swept = {}  # slider name -> (input range, the other sliders' values, curves at min and max)

    def at_extremes(x_range, values):
        """The curves at each parameter slider's minimum and maximum, the others as they are
        (computed again only when the input range or another slider has moved)."""
        panels = []
        for name, slider in sliders.items():
            key = (tuple(x_range), [(k, v) for k, v in values.items() if k != name])
            if swept.get(name, (None,))[:2] != key:
                x = grid(*x_range)
                swept[name] = (*key, [curves(x, **{**values, name: bound})
                                      for bound in (slider.min, slider.max)])
            panels += swept[name][2]
        return panels

    def fit_axes(x_range, values):
        """New data for every line; axes that also fit each parameter slider's extremes."""
        x = grid(*x_range)
        extremes = at_extremes(x_range, values)
        for i, (ax, panel) in enumerate(zip(axes, curves(x, **values))):
            for label, y in panel.items():
                lines[label].set_data(x, y)
            ax.relim()
            for other in extremes:
                for y in other[i].values():
                    y = np.asarray(y, dtype=float)
                    y = y[np.isfinite(y)]
                    if y.size:
                        ax.update_datalim([(x[0], y.min()), (x[0], y.max())])
            # limits on round numbers: a small move of the range slider often leaves the axes
            # as they are, and then only the lines are redrawn
            ax.autoscale_view()
            ax.set_xlim(*_round_limits(*ax.get_xlim()), auto=None)  # keep autoscaling on
            ax.set_ylim(*_round_limits(*ax.get_ylim()), auto=None)

    def redraw(x_range, **values):
        fit_axes(x_range, values)
        if get_ipython() is not None:  # in a notebook: show the new PNG (and print nothing)
            display({"image/png": layers.png()}, raw=True)

    widget = widgets.interactive(
        redraw, x_range=_range_slider(x_range, x_limits, x_step, integer_x), **sliders)
    widget.figure, widget.lines, widget.render = fig, lines, layers.png
    return widget


def _round_limits(lo, hi, nbins=8):
    """`lo` and `hi` moved out to multiples of a round step (1, 2, 2.5 or 5 times a power of
    10) that cuts the interval into at most `nbins` parts: (-5.5, 5.5) -> (-6, 6)."""
    import math

    from matplotlib.ticker import MaxNLocator

    locator = MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10])
    lo, hi = locator.nonsingular(lo, hi)
    ticks = locator.tick_values(lo, hi)
    step = ticks[1] - ticks[0]
    slack = 1e-9 * (hi - lo)  # a bound that is a multiple of step, but for rounding, stays put
    return (float(f"{math.floor((lo + slack) / step) * step:.12g}"),
            float(f"{math.ceil((hi - slack) / step) * step:.12g}"))


class _Layers:
    """Render a slider's figure to PNG from cached layers, redrawing only what changed.

    - frame: the titles and axis labels, which never change;
    - background: each panel's ticks, tick labels, grid and zero lines, which change with that
      panel's axis limits (so a move that rescales one panel redraws that panel only);
    - foreground: the `moving` lines, and the spines and legend that a full draw puts over them.

    A full draw of a two-panel figure takes about 60 ms on our 2-core machine, 50 of them
    drawing text; redrawing the foreground alone takes about 5 ms. The picture is the same,
    pixel for pixel, as a full draw (tests/test_widgets.py checks it), as long as nothing in
    a background overlaps the foreground from above or reaches into the next panel's slot:
    true of every figure `_figure` makes (0.85 in between panels, see `_set_margins`).
    """

    def __init__(self, fig, moving):
        self.fig, self.frame_key = fig, None
        self.foreground, self.labels, self.panels = [], [], []
        for ax in fig.axes:
            legend = [ax.get_legend()] if ax.get_legend() is not None else []
            on_top = [*[line for line in ax.lines if line in moving], *ax.spines.values(), *legend]
            self.foreground += sorted(on_top, key=lambda artist: artist.get_zorder())
            self.labels += [(ax, ax.xaxis.label), (ax, ax.yaxis.label)]
            background = sorted((artist for artist in ax.get_children() if artist is not ax.patch
                                 and artist is not ax.title and artist not in on_top),
                                key=lambda artist: artist.get_zorder())
            self.panels.append({"ax": ax, "background": background, "key": None})

    def _slots(self):
        """One box per panel that tiles the figure: a panel's slot runs to 0.2 in right of its
        axes (room for an x tick label centred on the right edge); the next panel's y tick
        labels, further right, are in the next slot."""
        from matplotlib.transforms import Bbox

        width, height = self.fig.bbox.width, self.fig.bbox.height
        cuts = [0] + [round(panel["ax"].bbox.x1 + 0.2 * self.fig.dpi)
                      for panel in self.panels[:-1]] + [width]
        return [Bbox([[lo, 0], [hi, height]]) for lo, hi in zip(cuts, cuts[1:])]

    def png(self):
        """The figure as PNG bytes, drawn from the layers that are still valid."""
        canvas = _agg_canvas(self.fig)
        frame_key = (id(canvas), self.fig.bbox.bounds)
        if frame_key != self.frame_key:
            everything = [a for panel in self.panels for a in panel["background"]]
            with _hidden(everything + self.foreground):
                canvas.draw()  # the figure's and axes' faces, and the titles
            for ax, label in self.labels:  # drawn alone: they sit at fixed places
                ax.draw_artist(label)
            for panel, slot in zip(self.panels, self._slots()):
                panel["frame"], panel["slot"], panel["key"] = canvas.copy_from_bbox(slot), slot, None
            self.frame_key = frame_key
        for panel in self.panels:
            ax = panel["ax"]
            key = (ax.get_xlim(), ax.get_ylim())
            if key != panel["key"]:
                canvas.restore_region(panel["frame"])
                with _hidden([label for _, label in self.labels]):  # the frame has them
                    for artist in panel["background"]:
                        ax.draw_artist(artist)
                panel["key"], panel["saved"] = key, canvas.copy_from_bbox(panel["slot"])
            else:
                canvas.restore_region(panel["saved"])
        for artist in self.foreground:
            artist.axes.draw_artist(artist)
        return _encode_png(canvas.buffer_rgba(), level=1)

    @property
    def key(self):
        """What the background was last drawn for: the axis limits of every panel."""
        return [panel["key"] for panel in self.panels]


@contextlib.contextmanager
def _hidden(artists):
    """Make `artists` invisible for the duration of a ``with`` block."""
    was_visible = [artist.get_visible() for artist in artists]
    for artist in artists:
        artist.set_visible(False)
    try:
        yield
    finally:
        for artist, visible in zip(artists, was_visible):
            artist.set_visible(visible)


def interactive_activation(fn, *, x_range=(-5.0, 5.0), **slider_specs):
    """An activation (left) and its derivative (right), with sliders for the input range and
    for each of the function's parameters.

    Parameters
    ----------
    fn : callable
        One of this module's elementwise activations, e.g. `leaky_relu`. For `linear` a
        "slope" slider scales it: y = slope * x.
    x_range : (float, float)
        Start value of the input-range slider.
    **slider_specs
        ``name=(min, max, step, value)`` to override `PARAMETER_SLIDERS`.

    Returns
    -------
    ipywidgets.interactive
        See `interactive_plot`. In a notebook, end a cell with it to show it; from Python,
        set a slider's value and read the redrawn data, e.g.
        ``w = interactive_activation(leaky_relu); w.children[1].value = 0.2`` then
        ``w.lines["leaky_relu(x)"].get_ydata()``.
    """
    name = fn.__name__
    derivative = globals()[name + "_derivative"]
    specs = {**PARAMETER_SLIDERS.get(name, {}), **slider_specs}
    sliders = {k: _float_slider(k, spec) for k, spec in specs.items()}

    def curves(x, **p):
        if name == "linear":  # slope * x, the linear activation with a slope
            return [{f"{name}(x)": p["slope"] * fn(x)}, {f"{name}'(x)": p["slope"] * derivative(x)}]
        return [{f"{name}(x)": fn(x, **p)}, {f"{name}'(x)": derivative(x, **p)}]

    return interactive_plot(curves, sliders, x_range=x_range,
                            titles=[name, f"derivative of {name}"],
                            ylabels=["activation", "gradient"])


def interactive_softmax(*, x_range=(-5, 5)):
    """Softmax and sigmoid of the integer scores in a range, with a temperature slider.

    As in the article, the scores are ``np.arange(low, high + 1)``: softmax's outputs sum to 1,
    the sigmoid's do not. A low temperature sharpens softmax towards the largest score.

    Returns
    -------
    ipywidgets.interactive
        See `interactive_plot`.
    """
    sliders = {"temperature": _float_slider("temperature", PARAMETER_SLIDERS["softmax"]["temperature"])}

    def curves(x, temperature):
        return [{"softmax(x / T)": softmax(x, temperature=temperature), "sigmoid(x)": sigmoid(x)}]

    return interactive_plot(curves, sliders, x_range=x_range, x_limits=(-10, 10), x_step=1,
                            integer_x=True, marker="o", titles=["softmax vs sigmoid"],
                            ylabels=["output"])
