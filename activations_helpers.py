"""Activation functions for deep learning, in short readable NumPy.

This module is the math a learner reads: every notebook in ``notebooks/`` imports its
activations from here and never redefines them, and ``show_code`` puts these bodies on screen.
It is laid out in sections a learner can read top to bottom:

1. activations     -- linear, binary_step, sigmoid, tanh, relu, leaky_relu, prelu, softmax
2. derivatives     -- ``<name>_derivative``, ``prelu_alpha_derivative``, ``softmax_jacobian``
3. modern          -- elu, selu, gelu, silu, mish, softplus, hard_sigmoid, hard_swish and their
                      derivatives (notebook 04; PyTorch's definitions and kink conventions)

Every activation accepts a scalar, a (nested) list or an array of any shape and returns an
ndarray of the same shape. Integers become float64; float16, float32 and float64 keep their
dtype. No input, not even +-1e308 or +-inf, makes them warn; NaN in gives NaN out. What is not
numbers (a string, a ragged list, dates, a masked array with masked values, a PyTorch tensor, a
Python int beyond int64) raises a TypeError or ValueError that names the function and the cause.

Each body is just its formula. The decorator ``@checked_input``, from the private module
``_input_policy.py`` beside this one, does the rest: it checks the input and the parameters,
hands the body x in a working dtype (float16 is computed in float64), rounds the result once and
keeps NaN as NaN. A float16 result is within 1 ulp of the exactly rounded value for every
float16 input; float32 is within a few float32 ulp (softmax's small probabilities excepted).
"""

import math

import numpy as np

from _input_policy import (channel_alpha, checked_input, exact_real, gelu_approximation,
                           positive_real, real_number, valid_axis)

__all__ = [
    "linear", "binary_step", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "softmax",
    "linear_derivative", "binary_step_derivative", "sigmoid_derivative", "tanh_derivative",
    "relu_derivative", "leaky_relu_derivative", "prelu_derivative", "prelu_alpha_derivative",
    "softmax_jacobian",
    # 3. modern activations
    "elu", "selu", "gelu", "silu", "mish", "softplus", "hard_sigmoid", "hard_swish",
    "elu_derivative", "selu_derivative", "gelu_derivative", "silu_derivative", "mish_derivative",
    "softplus_derivative", "hard_sigmoid_derivative", "hard_swish_derivative",
]


# ----------------------------------------------------------------------------------------------
# 1. Activations
# ----------------------------------------------------------------------------------------------

@checked_input
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
    return x  # y = x (the decorator hands back a copy, never the caller's own array)


@checked_input(threshold=exact_real)
def binary_step(x, threshold=0.0):
    r"""Binary step: 1 where :math:`x \ge` `threshold`, else 0.

    .. math:: y = \begin{cases} 1 & x \ge \theta \\ 0 & x < \theta \end{cases}

    Parameters
    ----------
    x : array_like
        Pre-activations.
    threshold : float, default 0.0
        The finite threshold :math:`\theta`; as in the article, step(threshold) = 1. It is
        compared exactly, as a float64: rounded to float32 (or float16), a threshold like 0.7
        would move the step.

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
    return (x >= threshold).astype(x.dtype)  # 1.0 where x >= threshold, else 0.0


@checked_input
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

    one expression for both, :math:`e^{\min(x, 0)} / (1 + z)`, which also stays accurate far
    into the left tail: sigmoid(-700) is about 9.86e-305.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(sigmoid(np.arange(-5, 6)), 3).tolist()
    [0.007, 0.018, 0.047, 0.119, 0.269, 0.5, 0.731, 0.881, 0.953, 0.982, 0.993]
    >>> sigmoid([-np.inf, -700.0, np.inf]).tolist()
    [0.0, 9.85967654375977e-305, 1.0]
    """
    # 1 / (1 + e^{-x}) overflows for x < -709 (-88 in float32), where e^{-x} = inf. Written
    # with z = e^{-|x|}, which lies in (0, 1] and never overflows:
    #     sigma(x) = 1 / (1 + z) for x >= 0,    sigma(x) = z / (1 + z) for x < 0
    # Both branches are e^{min(x, 0)} / (1 + e^{-|x|}): no exponent is ever positive.
    return np.exp(np.minimum(x, 0)) / (1 + np.exp(-np.abs(x)))


@checked_input
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
    return np.tanh(x)  # (e^x - e^-x) / (e^x + e^-x), which NumPy computes without overflowing


@checked_input
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
    return np.maximum(x, 0)


@checked_input(alpha=real_number)
def leaky_relu(x, alpha=0.01):
    r"""Leaky ReLU: :math:`x` where :math:`x > 0`, else :math:`\alpha x`.

    Parameters
    ----------
    x : array_like
        Pre-activations.
    alpha : float, default 0.01
        The leak coefficient: the slope for negative inputs. Any finite number, used at full
        precision (see ``_input_policy.py``).

    Returns
    -------
    ndarray
        Same shape as `x`.

    Notes
    -----
    For :math:`0 < \alpha \le 1` the leaky ReLU is simply :math:`\max(x, \alpha x)`: two quick
    passes, no branches. With :math:`\alpha = 0` it is the ReLU (which also avoids
    :math:`0 \cdot (-\infty)`). Any other alpha uses :math:`\max(x, 0) + \alpha \min(x, 0)`, the
    form of PyTorch's documentation.

    Examples
    --------
    >>> import numpy as np
    >>> leaky_relu(np.arange(-5, 6)).tolist()
    [-0.05, -0.04, -0.03, -0.02, -0.01, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    >>> leaky_relu([-2.0, 2.0], alpha=0.5).tolist()
    [-1.0, 2.0]
    """
    if alpha == 0:
        return relu(x)  # (alpha * x would be 0 * -inf = NaN at x = -inf)
    if 0 < alpha <= 1:
        return np.maximum(x, alpha * x)  # x >= alpha x exactly where x >= 0
    # any other alpha: the positive part of x, plus alpha times its negative part
    return np.maximum(x, 0) + alpha * np.minimum(x, 0)


@checked_input(alpha=channel_alpha)
def prelu(x, alpha=0.25):
    r"""Parametric ReLU: :math:`x` where :math:`x > 0`, else :math:`\alpha x`, with a learnable alpha.

    Parameters
    ----------
    x : array_like
        Pre-activations, e.g. a batch of shape (N, C) or (N, C, H, W) with C channels.
    alpha : float or array_like, default 0.25
        The leak coefficient, learned by gradient descent (see `prelu_alpha_derivative`). One
        number shared by all, or, as in PyTorch's ``nn.PReLU(num_parameters=C)``, a 1-D array
        of C values, one per channel: the channels are axis 1 of `x` (axis 0 for a 1-D `x`).
        An array of 2 or more dimensions broadcasts against `x` by NumPy's rules.

    Returns
    -------
    ndarray
        Same shape as `x`.

    Raises
    ------
    ValueError
        If a 1-D alpha does not have one value per channel (``len(alpha) != x.shape[1]``), or a
        larger alpha does not broadcast to the shape of `x`.

    Examples
    --------
    >>> import numpy as np
    >>> prelu(np.arange(-3, 4)).tolist()
    [-0.75, -0.5, -0.25, 0.0, 1.0, 2.0, 3.0]

    One alpha per channel (axis 1), as PyTorch's ``nn.PReLU(3)`` on a batch of one image with
    3 channels of 2 values each:

    >>> prelu(-np.ones((1, 3, 2)), alpha=[0.1, 0.2, 0.3]).tolist()
    [[[-0.1, -0.1], [-0.2, -0.2], [-0.3, -0.3]]]
    """
    if np.ndim(alpha) == 0:
        return leaky_relu(x, alpha)  # one alpha for all
    # One alpha per channel: the positive part of x, plus alpha times its negative part. A
    # channel whose alpha is 0 is a ReLU, 0 even at x = -inf, where alpha * x would be
    # 0 * -inf = NaN: its negative part stops at 0 instead of going down to -inf.
    lowest = np.where(alpha == 0, 0, -np.inf).astype(x.dtype)
    negative_part = np.maximum(np.minimum(x, 0), lowest)
    return np.maximum(x, 0) + alpha * negative_part


@checked_input(axis=valid_axis, temperature=positive_real)
def softmax(x, axis=-1, temperature=1.0):
    r"""Softmax: :math:`e^{x_i/T} / \sum_j e^{x_j/T}` along `axis`; the outputs sum to 1.

    Parameters
    ----------
    x : array_like
        Scores (logits). A scalar is treated as a vector of one score. An empty batch (e.g.
        shape (0, 3)), or an empty `axis`, gives an empty result of the same shape, as in
        PyTorch and SciPy.
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
    :math:`e^{\cdot}` lies in [0, 1]. An input of +inf gets all the probability (shared with any
    other +inf).

    Precision: float16 is computed in float64 and rounded once (within 1 ulp of the exact
    result). float32 is computed in float32, for speed, and the rounding of the exponent
    :math:`d = (\max - x_i)/T` carries into :math:`e^{-d}`: a probability :math:`e^{-d}` times
    the largest may be off by up to about :math:`2d` float32 ulp (:math:`d/2` is typical), e.g.
    by 32 ulp, a relative 2e-6, for one 1e-7 times the largest. Pass float64 for more.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(softmax(np.arange(-5, 6)), 3).tolist()
    [0.0, 0.0, 0.0, 0.001, 0.002, 0.004, 0.012, 0.031, 0.086, 0.233, 0.632]
    >>> np.round(softmax([1000, 1001, 1002]), 3).tolist()
    [0.09, 0.245, 0.665]
    >>> softmax(np.empty((0, 3))).shape
    (0, 3)
    """
    if x.size == 0:
        return x.copy()  # no scores, no probabilities: an empty batch stays empty
    m = np.max(x, axis=axis, keepdims=True)
    # Subtract the max: every exponent is then <= 0, so every e^(...) lies in [0, 1].
    with np.errstate(invalid="ignore"):  # inf - inf where the max is +inf: see below
        if temperature <= 1e300:
            exponent = (x - m) / temperature
        else:
            # x - m may overflow (1e308 - (-1e308) = inf) where (x - m) / T is small: halve
            # both first. (For T <= 1e300 an overflowing x - m means an exponent below -1e8,
            # whose e^(...) is 0 anyway.)
            exponent = (x / 2 - m / 2) / (temperature / 2)
    if np.isinf(m).any():
        # A max of +inf (or all scores -inf): x - m is inf - inf = NaN where x is that max.
        # In the limit those scores share all the probability: give them the exponent 0.
        exponent = np.where(x == m, 0, exponent)
    e = np.exp(exponent)
    return e / np.sum(e, axis=axis, keepdims=True)


# ----------------------------------------------------------------------------------------------
# 2. Derivatives (at kinks we follow PyTorch's autograd: relu'(0) = 0, leaky_relu'(0) = alpha)
# ----------------------------------------------------------------------------------------------

@checked_input
def linear_derivative(x):
    r"""Derivative of `linear`: :math:`dy/dx = 1` everywhere (NaN stays NaN).

    Examples
    --------
    >>> linear_derivative([-2, 0, 5]).tolist()
    [1.0, 1.0, 1.0]
    """
    return np.ones_like(x)  # dy/dx = 1


@checked_input(threshold=real_number)
def binary_step_derivative(x, threshold=0.0):
    r"""Derivative of `binary_step`: 0 everywhere (taken as 0 at the jump too; NaN stays NaN).

    This is why the step cannot be trained by gradient descent: no gradient flows through it.

    Examples
    --------
    >>> binary_step_derivative([-1, 0, 1]).tolist()
    [0.0, 0.0, 0.0]
    """
    return np.zeros_like(x)  # flat on both sides of the step


@checked_input
def sigmoid_derivative(x):
    r"""Derivative of `sigmoid`: :math:`\sigma'(x) = \sigma(x)(1 - \sigma(x))`, at most 0.25.

    Notes
    -----
    :math:`1 - \sigma(x)` rounds to 0 for x > 37, so we use the equal form

    .. math:: \sigma(x)\,\sigma(-x) = \frac{1}{(e^{x/2} + e^{-x/2})^2}
              = \left(\frac{1}{2\cosh(x/2)}\right)^2,

    accurate for every x and never above 0.25, since :math:`\cosh \ge 1`.

    Examples
    --------
    >>> sigmoid_derivative([-1.0, 0.0, 1.0]).round(4).tolist()
    [0.1966, 0.25, 0.1966]
    """
    # sigma(x) (1 - sigma(x)) = 1 / (e^{x/2} + e^{-x/2})^2 = (1 / (2 cosh(x/2)))^2, without the
    # 1 - sigma(x) that rounds to 0 for x > 37. cosh overflows to inf for |x| > 1420 (178 in
    # float32), where 1/inf = 0 is right: the exact value is below the smallest float there.
    return (0.5 / np.cosh(x / 2)) ** 2


@checked_input
def tanh_derivative(x):
    r"""Derivative of `tanh`: :math:`\tanh'(x) = 1 - \tanh^2(x) = 1 / \cosh^2(x)`, at most 1.

    Notes
    -----
    :math:`1 - \tanh^2(x)` rounds to 0 for |x| > 19, so we use the equal form
    :math:`(1 / \cosh x)^2`, accurate for every x and never above 1, since :math:`\cosh \ge 1`.

    Examples
    --------
    >>> tanh_derivative([-1.0, 0.0, 1.0]).round(4).tolist()
    [0.42, 1.0, 0.42]
    """
    # 1 - tanh(x)^2 = 1 / cosh(x)^2, without the 1 - tanh(x)^2 that rounds to 0 for |x| > 19.
    # cosh overflows to inf for |x| > 710 (89 in float32), where 1/inf = 0 is right: the exact
    # value is below the smallest float there. (1 / cosh)^2, not 1 / cosh^2: cosh^2 would
    # overflow from |x| > 355 on, where the answer is still a (subnormal) float.
    return (1 / np.cosh(x)) ** 2


@checked_input
def relu_derivative(x):
    r"""Derivative of `relu`: 1 where x > 0, else 0 (0 at x = 0, as in PyTorch).

    Examples
    --------
    >>> relu_derivative([-1, 0, 2]).tolist()
    [0.0, 0.0, 1.0]
    """
    return (x > 0).astype(x.dtype)  # 1.0 where x > 0, else 0.0


@checked_input(alpha=real_number)
def leaky_relu_derivative(x, alpha=0.01):
    r"""Derivative of `leaky_relu`: 1 where x > 0, else `alpha` (alpha at x = 0, as in PyTorch).

    Examples
    --------
    >>> leaky_relu_derivative([-1, 0, 2]).tolist()
    [0.01, 0.01, 1.0]
    """
    return np.where(x > 0, 1, alpha)


@checked_input(alpha=channel_alpha)
def prelu_derivative(x, alpha=0.25):
    r"""Derivative of `prelu` with respect to x: 1 where x > 0, else `alpha`.

    `alpha` is as in `prelu`: one number, or one per channel (axis 1 of `x`).

    Examples
    --------
    >>> prelu_derivative([-1, 0, 2]).tolist()
    [0.25, 0.25, 1.0]
    >>> prelu_derivative(-np.ones((1, 2, 2)), alpha=[0.1, 0.2]).tolist()
    [[[0.1, 0.1], [0.2, 0.2]]]
    """
    return np.where(x > 0, 1, alpha)


@checked_input(alpha=channel_alpha)
def prelu_alpha_derivative(x, alpha=0.25):
    r"""Derivative of `prelu` with respect to alpha: :math:`\partial y/\partial\alpha = \min(x, 0)`.

    This is the gradient that lets a network learn alpha. It is elementwise, the shape of `x`;
    when alpha is shared (one number, or one per channel) sum it over the elements that share
    it, e.g. ``prelu_alpha_derivative(x).sum(axis=(0, 2, 3))`` for one alpha per channel of an
    (N, C, H, W) batch. `alpha` is checked as in `prelu`, but its value does not matter.

    Examples
    --------
    >>> prelu_alpha_derivative([-3, -1, 0, 2]).tolist()
    [-3.0, -1.0, 0.0, 0.0]
    """
    return np.minimum(x, 0)  # y = max(x, 0) + alpha min(x, 0), so dy/dalpha = min(x, 0)


@checked_input(temperature=positive_real)
def softmax_jacobian(x, temperature=1.0):
    r"""Jacobian of `softmax` of a 1-D vector: :math:`J_{ij} = \partial s_i / \partial x_j`.

    .. math:: J = \frac{1}{T}\left(\operatorname{diag}(s) - s s^\top\right)

    Parameters
    ----------
    x : array_like
        A 1-D vector of n scores (n = 0 gives a 0 x 0 matrix).
    temperature : float, default 1.0
        As in `softmax`.

    Returns
    -------
    ndarray
        An (n, n) matrix of x's float dtype. Each column sums to 0, because the outputs always
        sum to 1.

    Raises
    ------
    ValueError
        If `x` is not a 1-D vector.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    if x.ndim != 1:
        raise ValueError(f"softmax_jacobian: x must be a 1-D vector, got shape {x.shape}")
    s = softmax(x, temperature=temperature)
    # d s_i / d x_j = s_i (delta_ij - s_j) / T. A tiny T makes entries overflow to inf, their
    # limit; entries that are 0 stay 0 (0 / T), never 0 * inf = NaN.
    return (np.diag(s) - np.outer(s, s)) / temperature


# ----------------------------------------------------------------------------------------------
# 3. Modern activations: what BERT, GPT, LLaMA, EfficientNet and MobileNet use
#    elu, selu, gelu, silu, mish, softplus, hard_sigmoid, hard_swish and their derivatives,
#    with PyTorch's definitions and its conventions at the kinks (torch.nn.functional)
# ----------------------------------------------------------------------------------------------

# SELU's two constants (Klambauer et al., 2017, eq. 14) to every digit a float64 holds. With them,
# a layer whose inputs have mean 0 and variance 1 gives outputs with mean 0 and variance 1 again.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

_GELU_TANH_C = math.sqrt(2 / math.pi)  # sqrt(2/pi) in the tanh approximation of GELU


@checked_input(alpha=real_number)
def elu(x, alpha=1.0):
    r"""Exponential linear unit: :math:`x` for :math:`x > 0`, else :math:`\alpha (e^{x} - 1)`.

    Parameters
    ----------
    x : array_like
        Pre-activations: a number, a (nested) list or an array of any shape.
    alpha : float, default 1.0
        Any finite number: the value ELU approaches as :math:`x \to -\infty` is :math:`-\alpha`.

    Returns
    -------
    ndarray
        Same shape as `x`; float16/32/64 keep their dtype, integers give float64.

    Raises
    ------
    TypeError, ValueError
        If `x` is not numbers, or `alpha` is not one finite real number.

    Notes
    -----
    Clevert, Unterthiner & Hochreiter, "Fast and Accurate Deep Network Learning by Exponential
    Linear Units (ELUs)", ICLR 2016 (arXiv:1511.07289); as ``torch.nn.functional.elu``.
    The negative outputs pull the mean activation towards 0, as tanh does, while the positive
    side keeps ReLU's gradient of 1. ``np.expm1`` computes :math:`e^{x} - 1` without the
    cancellation of ``np.exp(x) - 1`` near 0.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(elu(np.arange(-3, 4)), 4).tolist()
    [-0.9502, -0.8647, -0.6321, 0.0, 1.0, 2.0, 3.0]
    >>> elu([-np.inf, -1e-20], alpha=0.5).tolist()
    [-0.5, -5e-21]
    """
    # x where x > 0, alpha (e^x - 1) where x <= 0: each element has one non-zero term (and
    # min(x, 0) keeps e^x from overflowing for large x)
    return np.maximum(x, 0) + alpha * np.expm1(np.minimum(x, 0))


@checked_input
def selu(x):
    r"""Scaled ELU: :math:`\lambda\,\mathrm{ELU}(x; \alpha)` with the self-normalising constants.

    :math:`\alpha = 1.6732632423543772\ldots` (`SELU_ALPHA`) and
    :math:`\lambda = 1.0507009873554805\ldots` (`SELU_SCALE`).

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    ndarray
        Same shape as `x`; float16/32/64 keep their dtype, integers give float64.

    Notes
    -----
    Klambauer, Unterthiner, Mayr & Hochreiter, "Self-Normalizing Neural Networks", NeurIPS 2017
    (arXiv:1706.02515), eq. 14; as ``torch.nn.functional.selu``. With weights drawn with
    variance 1/fan_in (LeCun normal), activations keep mean 0 and variance 1 through many layers,
    without batch normalisation.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(selu(np.arange(-3, 4)), 4).tolist()
    [-1.6706, -1.5202, -1.1113, 0.0, 1.0507, 2.1014, 3.1521]
    >>> float(selu(-np.inf))   # -scale * alpha
    -1.7580993408473766
    """
    return SELU_SCALE * elu(x, alpha=SELU_ALPHA)  # scale * x may overflow: inf is then right


@checked_input(widen_float32=True, approximate=gelu_approximation)
def gelu(x, approximate="none"):
    r"""Gaussian error linear unit: :math:`x\,\Phi(x)`, :math:`\Phi` the standard normal CDF.

    Parameters
    ----------
    x : array_like
        Pre-activations.
    approximate : {"none", "tanh"}, default "none"
        "none": the exact :math:`\Phi(x) = \tfrac12\,\mathrm{erfc}(-x/\sqrt2)`.
        "tanh": the approximation of BERT and GPT-2,
        :math:`\tfrac12 x\,(1 + \tanh(\sqrt{2/\pi}\,(x + 0.044715\,x^3)))`. As in
        ``torch.nn.functional.gelu``.

    Returns
    -------
    ndarray
        Same shape as `x`; float16/32/64 keep their dtype, integers give float64.

    Raises
    ------
    TypeError, ValueError
        If `x` is not numbers, or `approximate` is not "none" or "tanh".

    Notes
    -----
    Hendrycks & Gimpel, "Gaussian Error Linear Units (GELUs)", 2016 (arXiv:1606.08415).
    GELU weights its input by the probability that a standard normal variable is below it.
    We write the tanh form as :math:`x\,\sigma(2u)`, because
    :math:`\tfrac12(1 + \tanh u) = \sigma(2u)` exactly, and the sigmoid does not cancel to 0 in
    the left tail as :math:`1 + \tanh u` does (its :math:`x^3` is written ``x * x * x``: NumPy
    computes ``x ** 3`` with the C library's pow, about 100 times slower).

    NumPy has no erf: the exact form takes :math:`\Phi` from SciPy, as
    :math:`\exp(\log\Phi(x))` with ``scipy.special.log_ndtr``, which is exact in the left
    tail, where the textbook :math:`\tfrac12(1 + \mathrm{erf}(x/\sqrt2))` cancels to 0 (and
    where ``scipy.special.ndtr`` flushes :math:`\Phi`'s subnormal values, below x = -37.5,
    to 0). SciPy is imported
    inside the function, the first time GELU runs, so that the notebooks without GELU do not
    load it. The exact form is then about as fast as the tanh form; the speed of a
    per-element erf was the reason for the approximation. In the far left tail the exact
    form's relative error grows like :math:`x^2 \cdot 10^{-16}` (the rounding of
    :math:`x/\sqrt2` is amplified by erfc, as in every float64 implementation), and below
    x = -37.5 :math:`\Phi(x)` is a subnormal float64 with only absolute precision.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(gelu(np.arange(-3, 4)), 4).tolist()
    [-0.004, -0.0455, -0.1587, 0.0, 0.8413, 1.9545, 2.996]
    >>> np.round(gelu(np.arange(-3, 4), approximate="tanh"), 4).tolist()
    [-0.0036, -0.0454, -0.1588, 0.0, 0.8412, 1.9546, 2.9964]
    """
    # Below x = -40 GELU rounds to -0.0 in every float type (Phi(-40) is about 4e-350): the clip
    # changes nothing there, and it gives -inf its limit instead of -inf * 0 = NaN.
    x = np.maximum(x, -40.0)
    if approximate == "tanh":
        u = _GELU_TANH_C * (x + 0.044715 * x * x * x)  # for huge x, u = +-inf: sigma is 1 or 0
        return x * sigmoid(2 * u)  # (1 + tanh(u)) / 2 = sigmoid(2u)
    from scipy.special import log_ndtr  # log Phi; imported here: only GELU's users load SciPy
    return x * np.exp(log_ndtr(x))  # x Phi(x)


@checked_input(widen_float32=True)
def silu(x):
    r"""Sigmoid linear unit, also called Swish: :math:`x\,\sigma(x) = x / (1 + e^{-x})`.

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    ndarray
        Same shape as `x`; float16/32/64 keep their dtype, integers give float64.

    Notes
    -----
    Hendrycks & Gimpel (2016) proposed it as the SiLU; Ramachandran, Zoph & Le, "Searching for
    Activation Functions", 2017 (arXiv:1710.05941) found it by search and named it Swish
    (:math:`x\,\sigma(\beta x)`, here :math:`\beta = 1`); as ``torch.nn.functional.silu``.
    It is not monotonic: its minimum is about -0.2785 at :math:`x \approx -1.2785`.

    With :math:`g = e^{\min(x, 0)/2}`, which never overflows, :math:`\sigma(x) = g^2 / (1 +
    e^{-|x|})` for either sign of x: :math:`1/(1 + e^{-x})` for :math:`x \ge 0` and
    :math:`e^{x}/(1 + e^{x})` for :math:`x < 0`. Multiplying :math:`x` by :math:`g` twice keeps
    the left tail exact: :math:`e^{x}` alone rounds to 0 below x = -745 in float64, but
    :math:`x e^{x}` is still a float down to -752.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(silu(np.arange(-3, 4)), 4).tolist()
    [-0.1423, -0.2384, -0.2689, 0.0, 0.7311, 1.7616, 2.8577]
    >>> silu([-745.0, -np.inf, np.inf]).tolist()
    [-2.105e-321, -0.0, inf]
    """
    # Below x = -800 x e^x is 0 in every float type: the clip changes nothing there, and it
    # gives -inf its limit (-0.0) instead of -inf * 0 = NaN.
    x = np.maximum(x, -800.0)
    g = np.exp(np.minimum(x, 0) / 2)  # e^{x/2} for x < 0, 1 for x >= 0: never overflows
    # sigma(x) = g * g / (1 + e^{-|x|}) for either sign of x; (x * g) * g: see the Notes
    return x * g * g / (1 + np.exp(-np.abs(x)))


@checked_input(widen_float32=True)
def mish(x):
    r"""Mish: :math:`x \tanh(\mathrm{softplus}(x)) = x \tanh(\ln(1 + e^{x}))`.

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    ndarray
        Same shape as `x`; float16/32/64 keep their dtype, integers give float64.

    Notes
    -----
    Misra, "Mish: A Self Regularized Non-Monotonic Activation Function", 2019
    (arXiv:1908.08681); as ``torch.nn.functional.mish``. Its minimum is about -0.3088 at
    :math:`x \approx -1.1924`.

    With :math:`q = \sigma(-x) = 1/(1 + e^{x})` we have :math:`1 + e^{x} = 1/q`, so
    :math:`\tanh(\ln(1/q)) = (1 - q^2)/(1 + q^2) = \sigma(x)(1 + q)/(1 + q^2)` (as
    :math:`1 - q = \sigma(x)`). Hence :math:`\mathrm{mish}(x) = \mathrm{silu}(x)(1+q)/(1+q^2)`:
    no :math:`1 - q^2` that cancels to 0 for very negative x, and the tails are as exact as
    `silu`'s.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(mish(np.arange(-3, 4)), 4).tolist()
    [-0.1456, -0.2525, -0.3034, 0.0, 0.8651, 1.944, 2.9865]
    """
    q = sigmoid(-x)  # sigma(-x) = 1 / (1 + e^x), in [0, 1]
    return silu(x) * (1 + q) / (1 + q * q)  # x tanh(softplus(x)), see the Notes


@checked_input(beta=positive_real)
def softplus(x, beta=1.0):
    r"""Softplus, a smooth ReLU: :math:`\ln(1 + e^{\beta x}) / \beta`.

    Parameters
    ----------
    x : array_like
        Pre-activations.
    beta : float, default 1.0
        Sharpness, a finite number > 0: the larger, the closer to ReLU.

    Returns
    -------
    ndarray
        Positive values, same shape as `x`; float16/32/64 keep their dtype, integers give float64.

    Raises
    ------
    TypeError, ValueError
        If `x` is not numbers, or `beta` is not one finite number > 0.

    Notes
    -----
    Dugas et al., "Incorporating Second-Order Functional Knowledge for Better Option Pricing",
    NIPS 13, 2001; Glorot, Bordes & Bengio, "Deep Sparse Rectifier Neural Networks", AISTATS 2011.
    Its derivative is the sigmoid :math:`\sigma(\beta x)`. ``torch.nn.functional.softplus``
    returns x itself where :math:`\beta x > 20`; this helper is exact everywhere, via

    .. math:: \ln(1 + e^{\beta x}) = \max(\beta x, 0) + \ln(1 + e^{-|\beta x|}),

    where :math:`e^{-|\beta x|} \le 1` cannot overflow and ``np.log1p`` keeps the small term
    exact (``np.logaddexp(0, beta * x)`` computes the same).

    Examples
    --------
    >>> import numpy as np
    >>> np.round(softplus(np.arange(-3, 4)), 4).tolist()
    [0.0486, 0.1269, 0.3133, 0.6931, 1.3133, 2.1269, 3.0486]
    >>> softplus([-800.0, 1000.0]).tolist()
    [0.0, 1000.0]
    >>> np.round(softplus([-1.0, 0.0, 1.0], beta=10), 4).tolist()
    [0.0, 0.0693, 1.0]
    """
    # beta * x may be too large for floats: inf, and then e^-inf = 0 is right; so may the result
    # when beta is tiny: inf is then the right rounding
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(beta * x))) / beta


@checked_input
def hard_sigmoid(x):
    r"""Hard sigmoid: :math:`\mathrm{ReLU6}(x + 3)/6`, i.e. 0 for :math:`x \le -3`, 1 for
    :math:`x \ge 3` and :math:`x/6 + 1/2` in between.

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    ndarray
        Values in [0, 1], same shape as `x`; float16/32/64 keep their dtype, integers give float64.

    Notes
    -----
    Howard et al., "Searching for MobileNetV3", ICCV 2019 (arXiv:1905.02244); as
    ``torch.nn.functional.hardsigmoid``. A piecewise-linear sigmoid with no exponential: cheap on
    phones, and nothing to approximate in quantised (integer) arithmetic.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(hard_sigmoid(np.arange(-4, 5)), 4).tolist()
    [0.0, 0.0, 0.1667, 0.3333, 0.5, 0.6667, 0.8333, 1.0, 1.0]
    """
    return np.clip(x + 3, 0, 6) / 6  # ReLU6(x + 3) / 6, as PyTorch computes it


@checked_input
def hard_swish(x):
    r"""Hard swish: :math:`x\,\mathrm{ReLU6}(x + 3)/6 = x \cdot` `hard_sigmoid` :math:`(x)`.

    Parameters
    ----------
    x : array_like
        Pre-activations.

    Returns
    -------
    ndarray
        Same shape as `x`; float16/32/64 keep their dtype, integers give float64.

    Notes
    -----
    Howard et al., "Searching for MobileNetV3", ICCV 2019 (arXiv:1905.02244); as
    ``torch.nn.functional.hardswish``: SiLU with the sigmoid replaced by the hard sigmoid.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(hard_swish(np.arange(-2, 5)), 4).tolist()
    [-0.3333, -0.3333, 0.0, 0.6667, 1.6667, 3.0, 4.0]
    """
    # x * (ReLU6(x + 3) / 6): the gate first, so a huge x times 6 cannot overflow. Where
    # x <= -3 the gate is 0 and so is max(x, -3) * 0: the same product, but -inf gives -0.0
    # instead of -inf * 0 = NaN.
    return np.maximum(x, -3) * (np.clip(x + 3, 0, 6) / 6)


# Their derivatives (at the kinks of hard_sigmoid and hard_swish, and at ELU's 0, the value
# PyTorch's autograd uses)

@checked_input(alpha=real_number)
def elu_derivative(x, alpha=1.0):
    r"""Derivative of `elu`: 1 for :math:`x > 0`, else :math:`\alpha e^{x}`.

    At 0 it is alpha, as in PyTorch's autograd (the two sides meet smoothly only for alpha = 1).

    Examples
    --------
    >>> import numpy as np
    >>> np.round(elu_derivative([-2.0, 0.0, 2.0]), 4).tolist()
    [0.1353, 1.0, 1.0]
    >>> elu_derivative([0.0], alpha=0.5).tolist()
    [0.5]
    """
    return np.where(x > 0, 1, alpha * np.exp(np.minimum(x, 0)))


@checked_input
def selu_derivative(x):
    r"""Derivative of `selu`: :math:`\lambda` for :math:`x > 0`, else :math:`\lambda\alpha e^{x}`.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(selu_derivative([-2.0, 0.0, 2.0]), 4).tolist()
    [0.2379, 1.7581, 1.0507]
    """
    return SELU_SCALE * elu_derivative(x, alpha=SELU_ALPHA)


@checked_input(widen_float32=True, approximate=gelu_approximation)
def gelu_derivative(x, approximate="none"):
    r"""Derivative of `gelu`: :math:`\Phi(x) + x\,\varphi(x)`, with the normal density
    :math:`\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}`.

    With ``approximate="tanh"``: :math:`\sigma(2u) + 2x\,u'\,\sigma(2u)\,\sigma(-2u)`, the exact
    derivative of the tanh form, with :math:`u = \sqrt{2/\pi}\,(x + 0.044715 x^3)`.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(gelu_derivative([-2.0, 0.0, 2.0]), 4).tolist()
    [-0.0852, 0.5, 1.0852]
    >>> np.round(gelu_derivative([-2.0, 0.0, 2.0], approximate="tanh"), 4).tolist()
    [-0.0861, 0.5, 1.0861]
    """
    # Beyond +-40 the derivative is 0 or 1 in every float type (x phi(x) is below 1e-340): the
    # clip changes nothing there, keeps x**2 from overflowing and +-inf * 0 from giving NaN.
    x = np.clip(x, -40.0, 40.0)
    if approximate == "tanh":
        u = _GELU_TANH_C * (x + 0.044715 * x * x * x)
        du = _GELU_TANH_C * (1 + 3 * 0.044715 * x * x)
        s = sigmoid(2 * u)  # (1 + tanh(u)) / 2
        return s + 2 * x * du * s * sigmoid(-2 * u)  # sigma(-2u) = 1 - s, without cancelling
    from scipy.special import log_ndtr  # log Phi, Phi the standard normal CDF (see gelu)
    pdf = np.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # the standard normal density phi(x)
    return np.exp(log_ndtr(x)) + x * pdf


@checked_input(widen_float32=True)
def silu_derivative(x):
    r"""Derivative of `silu`: :math:`\sigma(x)\,(1 + x\,(1 - \sigma(x)))`.

    Notes
    -----
    :math:`1 - \sigma(x)` is computed as :math:`\sigma(-x)`, which does not round to 0 for
    large x, and the left tail as in `silu`, with :math:`g = e^{\min(x, 0)/2}` used twice.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(silu_derivative([-2.0, 0.0, 2.0]), 4).tolist()
    [-0.0908, 0.5, 1.0908]
    """
    # Beyond +-800 e^{-|x|} is 0 in every float type: the derivative is 0 or 1 there. The clip
    # changes nothing, and it keeps +-inf * 0 from giving NaN.
    x = np.clip(x, -800.0, 800.0)
    denominator = 1 + np.exp(-np.abs(x))
    g = np.exp(np.minimum(x, 0) / 2)  # sigma(x) = g * g / denominator, as in silu
    one_minus_sigma = np.exp(-np.maximum(x, 0)) / denominator  # sigma(-x), no 1 - sigma(x)
    return (1 + x * one_minus_sigma) * g * g / denominator


@checked_input(widen_float32=True)
def mish_derivative(x):
    r"""Derivative of `mish`: :math:`t + x\,\sigma(x)\,(1 - t^2)`, where
    :math:`t = \tanh(\mathrm{softplus}(x))`.

    Notes
    -----
    With :math:`q = \sigma(-x)`, :math:`t = \sigma(x)(1+q)/(1+q^2)` and
    :math:`1 - t^2 = 4q^2/(1+q^2)^2` (see `mish`): nothing cancels.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(mish_derivative([-2.0, 0.0, 2.0]), 4).tolist()
    [-0.1084, 0.6, 1.0693]
    """
    # Beyond +-800 e^{-|x|} is 0 in every float type: the derivative is 0 or 1 there. The clip
    # changes nothing, and it keeps +-inf * 0 from giving NaN.
    x = np.clip(x, -800.0, 800.0)
    q = sigmoid(-x)
    t = sigmoid(x) * (1 + q) / (1 + q * q)  # tanh(softplus(x))
    return t + silu(x) * 4 * q * q / (1 + q * q) ** 2


@checked_input(beta=positive_real)
def softplus_derivative(x, beta=1.0):
    r"""Derivative of `softplus`: the sigmoid :math:`\sigma(\beta x)`.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(softplus_derivative([-2.0, 0.0, 2.0]), 4).tolist()
    [0.1192, 0.5, 0.8808]
    """
    return sigmoid(beta * x)  # beta * x beyond the largest float: +-inf, and sigma is 1 or 0


@checked_input
def hard_sigmoid_derivative(x):
    r"""Derivative of `hard_sigmoid`: 1/6 for :math:`-3 < x < 3`, else 0 (0 at +-3, as PyTorch).

    Examples
    --------
    >>> import numpy as np
    >>> np.round(hard_sigmoid_derivative([-3.0, 0.0, 2.9, 3.0]), 4).tolist()
    [0.0, 0.1667, 0.1667, 0.0]
    """
    return np.where((x > -3) & (x < 3), 1 / 6, 0)


@checked_input
def hard_swish_derivative(x):
    r"""Derivative of `hard_swish`: 0 for :math:`x \le -3`, :math:`x/3 + 1/2` for
    :math:`-3 < x < 3`, 1 for :math:`x \ge 3`.

    At the kinks it jumps (from 0 to -1/2 at -3, from 3/2 to 1 at 3); like PyTorch's autograd we
    take the outer value there: 0 at -3 and 1 at 3.

    Examples
    --------
    >>> import numpy as np
    >>> hard_swish_derivative([-4.0, -3.0, -1.5, 0.0, 1.5, 3.0, 4.0]).tolist()
    [0.0, 0.0, 0.0, 0.5, 1.0, 1.0, 1.0]
    """
    # x/3 + 1/2 written as (2x + 3)/6: exact where it crosses 0, at x = -1.5
    return np.where(x < 3, np.where(x > -3, (2 * x + 3) / 6, 0), 1)
