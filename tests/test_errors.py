"""Bad input: every public function must refuse it with a TypeError or ValueError whose message
starts with the function's name ("sigmoid: ...") and says what it needs.

The message check is how we know the error comes from our own checks and not from somewhere
deep inside NumPy.
"""

import re
import warnings

import numpy as np
import pytest

import activations_helpers as ah
from teaching.activations import helper_names

ALL_FUNCTIONS = helper_names()  # every function of the table (teaching/activations.py)
ALPHA_FUNCTIONS = ["leaky_relu", "leaky_relu_derivative", "prelu", "prelu_derivative",
                   "prelu_alpha_derivative"]
PRELU_FUNCTIONS = ["prelu", "prelu_derivative", "prelu_alpha_derivative"]
THRESHOLD_FUNCTIONS = ["binary_step", "binary_step_derivative"]
TEMPERATURE_FUNCTIONS = ["softmax", "softmax_jacobian"]


def test_function_list_is_the_public_api():
    assert set(ALL_FUNCTIONS) <= set(ah.__all__)
    assert {n for n in ah.__all__ if n.endswith(("_derivative", "_jacobian"))} <= set(ALL_FUNCTIONS)


def raises_named(exc, name, *needles):
    """pytest.raises for `exc` whose message starts with "name: " and whose explanation (the
    rest) contains every needle."""
    pattern = "^" + re.escape(name) + ": " + "".join(f"(?=.*{re.escape(n)})" for n in needles)
    return pytest.raises(exc, match=re.compile(pattern, re.DOTALL))


# ----------------------------------------------------------------------------------------------
# Bad x, for every public function
# ----------------------------------------------------------------------------------------------

BAD_X = [
    pytest.param("abc", TypeError, ("must be",), id="string"),
    pytest.param("1.5", TypeError, ("must be",), id="numeric-string"),
    pytest.param(b"1", TypeError, ("must be",), id="bytes"),
    pytest.param(bytearray(b"12"), TypeError, ("must be", "bytearray"), id="bytearray"),
    pytest.param(memoryview(b"12"), TypeError, ("must be", "memoryview"), id="memoryview"),
    pytest.param(None, TypeError, ("must be",), id="None"),
    pytest.param({"x": 1.0}, TypeError, ("must be",), id="dict"),
    pytest.param({1.0, 2.0}, TypeError, ("must be",), id="set"),
    pytest.param([1 + 2j], TypeError, ("real",), id="complex-list"),
    pytest.param(1j, TypeError, ("real",), id="complex-scalar"),
    pytest.param(np.array([1.0, 2.0], dtype=np.complex64), TypeError, ("real",),
                 id="complex-array"),
    pytest.param(np.array([1, "a"], dtype=object), TypeError, ("must be",), id="object-array"),
    pytest.param([[1, 2], [3]], ValueError, ("same length",), id="ragged"),
    pytest.param([[1.0, 2.0], 3.0], ValueError, ("same length",), id="ragged-mixed"),
    pytest.param(["a", "b"], TypeError, ("must be",), id="list-of-strings"),
    pytest.param([1.0, None], TypeError, ("must be",), id="list-with-None"),
    pytest.param(np.array(["2024-01-01"], dtype="datetime64[D]"), TypeError, ("must be",),
                 id="datetime-array"),
]


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
@pytest.mark.parametrize("bad, exc, needles", BAD_X)
def test_bad_x_is_refused_naming_the_function(name, bad, exc, needles):
    with raises_named(exc, name, *needles):
        getattr(ah, name)(bad)


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_bad_x_message_says_what_is_needed(name):
    with pytest.raises(TypeError) as info:
        getattr(ah, name)("abc")
    message = str(info.value)
    assert "number" in message and "str" in message  # what it needs, and what it got


# ----------------------------------------------------------------------------------------------
# alpha (leaky_relu, prelu and their derivatives)
# ----------------------------------------------------------------------------------------------

BAD_ALPHA = [
    pytest.param(np.nan, ValueError, id="nan"),
    pytest.param(np.float64(np.nan), ValueError, id="np-nan"),
    pytest.param(np.inf, ValueError, id="inf"),
    pytest.param(-np.inf, ValueError, id="-inf"),
    pytest.param(np.float32(np.inf), ValueError, id="np-float32-inf"),
    pytest.param("a", TypeError, id="string"),
    pytest.param("0.1", TypeError, id="numeric-string"),
    pytest.param(None, TypeError, id="None"),
    pytest.param(1j, TypeError, id="complex"),
    pytest.param(0.5 + 0j, TypeError, id="complex-with-zero-imaginary-part"),
    pytest.param(np.complex128(0.5), TypeError, id="np-complex"),
]


@pytest.mark.parametrize("name", ALPHA_FUNCTIONS)
@pytest.mark.parametrize("alpha, exc", BAD_ALPHA)
def test_bad_alpha_is_refused_naming_the_function(name, alpha, exc):
    with raises_named(exc, name):
        getattr(ah, name)([-1.0, 2.0], alpha=alpha)


@pytest.mark.parametrize("name", ALPHA_FUNCTIONS)
@pytest.mark.parametrize("alpha", ["a", None, 1j, np.nan, np.inf])
def test_bad_alpha_message_names_alpha(name, alpha):
    with pytest.raises((TypeError, ValueError)) as info:
        getattr(ah, name)([-1.0, 2.0], alpha=alpha)
    message = str(info.value)
    assert message.startswith(f"{name}: ")
    explanation = message[len(name) + 2:]  # "prelu_alpha_derivative" itself contains "alpha"
    assert "alpha" in explanation


@pytest.mark.parametrize("name", PRELU_FUNCTIONS)
@pytest.mark.parametrize("alpha, exc", [
    pytest.param([0.1, np.nan, 0.2], ValueError, id="array-with-nan"),
    pytest.param(np.array([0.1, np.inf, 0.2]), ValueError, id="array-with-inf"),
    pytest.param(np.array([0.1j, 0, 0]), TypeError, id="complex-array"),
    pytest.param(["a", "b", "c"], TypeError, id="array-of-strings"),
    pytest.param([[0.1, 0.2], [0.3]], ValueError, id="ragged"),
    pytest.param(np.array([0.1, "a", 0.3], dtype=object), TypeError, id="object-array"),
])
def test_bad_alpha_array_is_refused(name, alpha, exc):
    with raises_named(exc, name):
        getattr(ah, name)(np.zeros((2, 3)), alpha=alpha)


@pytest.mark.parametrize("name", PRELU_FUNCTIONS)
@pytest.mark.parametrize("alpha_shape", [(4, 3), (3, 1), (1, 2, 3), (2, 3, 1)])
def test_prelu_alpha_that_does_not_broadcast_to_x_is_refused(name, alpha_shape):
    x = np.zeros((2, 3))
    with raises_named(ValueError, name, "alpha", "broadcast"):
        getattr(ah, name)(x, alpha=np.full(alpha_shape, 0.1))


@pytest.mark.parametrize("name", PRELU_FUNCTIONS)
@pytest.mark.parametrize("x_shape, channels", [
    pytest.param((2, 3), 2, id="2d-alpha-for-the-batch-axis"),
    pytest.param((2, 3), 4, id="2d-too-many"),
    pytest.param((1, 3, 5), 5, id="3d-alpha-for-the-last-axis"),
    pytest.param((2, 3, 4, 4), 4, id="4d-alpha-for-the-last-axis"),
    pytest.param((3,), 2, id="1d-too-few"),
    pytest.param((), 2, id="scalar-x"),
])
def test_prelu_alpha_with_one_value_per_wrong_channel_count_is_refused(name, x_shape, channels):
    """A 1-D alpha is one value per channel, on axis 1 (PyTorch's nn.PReLU): len(alpha) must be
    x.shape[1] (x.shape[0] for a 1-D x), and the message says what it got."""
    with raises_named(ValueError, name, "alpha", f"{channels} values", "channel", "axis 1"):
        getattr(ah, name)(np.zeros(x_shape), alpha=np.full(channels, 0.1))


@pytest.mark.parametrize("name", PRELU_FUNCTIONS)
@pytest.mark.parametrize("alpha_shape", [(), (1,), (3,), (1, 3), (2, 1), (2, 3)])
def test_prelu_alpha_that_broadcasts_is_accepted(name, alpha_shape):
    x = -np.ones((2, 3))
    alpha = np.full(alpha_shape, 0.1)
    y = getattr(ah, name)(x, alpha=alpha)
    assert y.shape == x.shape


@pytest.mark.parametrize("name", ALPHA_FUNCTIONS)
@pytest.mark.parametrize("alpha", [0, 2, -3, 0.5, np.float32(0.5), np.int64(2), np.array(0.3)],
                         ids=repr)
def test_good_scalar_alpha_is_accepted(name, alpha):
    assert getattr(ah, name)([-1.0, 2.0], alpha=alpha).shape == (2,)


@pytest.mark.parametrize("name", ALPHA_FUNCTIONS)
def test_bool_alpha_is_refused(name):
    """A bool is not a leak coefficient; leaky_relu refuses it, prelu should too."""
    with pytest.raises(TypeError) as info:
        getattr(ah, name)([-1.0, 2.0], alpha=True)
    assert str(info.value).startswith(f"{name}: ") and "alpha" in str(info.value)


# ----------------------------------------------------------------------------------------------
# threshold (binary_step and its derivative)
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", THRESHOLD_FUNCTIONS)
@pytest.mark.parametrize("threshold, exc", [
    pytest.param(np.nan, ValueError, id="nan"),
    pytest.param(np.inf, ValueError, id="inf"),
    pytest.param(-np.inf, ValueError, id="-inf"),
    pytest.param("a", TypeError, id="string"),
    pytest.param(None, TypeError, id="None"),
    pytest.param(1j, TypeError, id="complex"),
    pytest.param([0.0, 1.0], TypeError, id="list"),
])
def test_bad_threshold_is_refused(name, threshold, exc):
    with raises_named(exc, name, "threshold"):
        getattr(ah, name)([0.0, 1.0], threshold=threshold)


@pytest.mark.parametrize("name", THRESHOLD_FUNCTIONS)
@pytest.mark.parametrize("threshold", [1, -2.5, np.float32(0.5), np.array(1.0)], ids=repr)
def test_good_threshold_is_accepted(name, threshold):
    assert getattr(ah, name)([0.0, 1.0], threshold=threshold).shape == (2,)


# ----------------------------------------------------------------------------------------------
# temperature and axis (softmax, softmax_jacobian)
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", TEMPERATURE_FUNCTIONS)
@pytest.mark.parametrize("temperature, exc", [
    pytest.param(0.0, ValueError, id="zero"),
    pytest.param(-0.0, ValueError, id="minus-zero"),
    pytest.param(0, ValueError, id="int-zero"),
    pytest.param(-1.0, ValueError, id="negative"),
    pytest.param(-1e-300, ValueError, id="tiny-negative"),
    pytest.param(np.nan, ValueError, id="nan"),
    pytest.param(np.inf, ValueError, id="inf"),
    pytest.param(-np.inf, ValueError, id="-inf"),
    pytest.param("a", TypeError, id="string"),
    pytest.param("1.0", TypeError, id="numeric-string"),
    pytest.param(None, TypeError, id="None"),
    pytest.param(1j, TypeError, id="complex"),
    pytest.param([1.0], TypeError, id="list"),
    pytest.param(np.array([1.0, 2.0]), TypeError, id="array"),
])
def test_bad_temperature_is_refused(name, temperature, exc):
    with raises_named(exc, name, "temperature"):
        getattr(ah, name)([1.0, 2.0, 3.0], temperature=temperature)


@pytest.mark.parametrize("name", TEMPERATURE_FUNCTIONS)
@pytest.mark.parametrize("temperature", [1, 1e-3, 1e3, np.float32(2.0), np.array(0.5)], ids=repr)
def test_good_temperature_is_accepted(name, temperature):
    y = getattr(ah, name)([1.0, 2.0, 3.0], temperature=temperature)
    assert np.isfinite(y).all()


@pytest.mark.parametrize("x, axis, exc", [
    pytest.param([1.0, 2.0], 1, ValueError, id="1d-axis-1"),
    pytest.param([1.0, 2.0], -2, ValueError, id="1d-axis--2"),
    pytest.param(np.ones((2, 3)), 2, ValueError, id="2d-axis-2"),
    pytest.param(np.ones((2, 3)), -3, ValueError, id="2d-axis--3"),
    pytest.param(np.ones((2, 3)), 1.0, TypeError, id="float-axis"),
    pytest.param(np.ones((2, 3)), 0.5, TypeError, id="fractional-axis"),
    pytest.param(np.ones((2, 3)), "0", TypeError, id="string-axis"),
    pytest.param(np.ones((2, 3)), np.float64(1.0), TypeError, id="np-float-axis"),
])
def test_bad_axis_is_refused(x, axis, exc):
    with raises_named(exc, "softmax", "axis"):
        ah.softmax(x, axis=axis)


@pytest.mark.parametrize("axis", [0, 1, -1, -2, np.int64(1), np.int8(0), None], ids=repr)
def test_good_axis_is_accepted(axis):
    assert ah.softmax(np.ones((2, 3)), axis=axis).shape == (2, 3)


@pytest.mark.parametrize("x, axis", [
    pytest.param([], -1, id="empty-list"),
    pytest.param(np.zeros(0), 0, id="empty-array"),
    pytest.param(np.empty((0, 3)), -1, id="empty-batch"),
    pytest.param(np.empty((0, 3)), 0, id="empty-batch-axis-0"),
    pytest.param(np.zeros((2, 0)), -1, id="empty-last-axis"),
    pytest.param(np.zeros((0, 3)), None, id="empty-all"),
    pytest.param(np.zeros((4, 0, 2), dtype=np.float16), 1, id="empty-middle-axis-float16"),
])
def test_softmax_of_empty_input_is_empty_of_the_same_shape(x, axis):
    """As torch.softmax and scipy.special.softmax: an empty batch (or an axis of length 0) has
    an empty softmax, not an error, and no warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = ah.softmax(x, axis=axis)
    assert type(y) is np.ndarray and y.shape == np.shape(x) and y.size == 0
    assert y.dtype == (x.dtype if isinstance(x, np.ndarray) else np.float64)


def test_softmax_jacobian_of_no_scores_is_0_by_0():
    for x, dtype in (([], np.float64), (np.zeros(0, dtype=np.float16), np.float16)):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            J = ah.softmax_jacobian(x)
        assert J.shape == (0, 0) and J.dtype == dtype


@pytest.mark.parametrize("x", [[1.0, 2.0], np.zeros((2, 0))])
def test_softmax_of_empty_input_still_checks_the_axis(x):
    with raises_named(ValueError, "softmax", "axis"):
        ah.softmax(x, axis=2)


@pytest.mark.parametrize("x", [
    pytest.param([[1.0, 2.0], [3.0, 4.0]], id="2d"),
    pytest.param([[1.0, 2.0, 3.0]], id="row-vector"),
    pytest.param(np.zeros((2, 2, 2)), id="3d"),
    pytest.param(1.0, id="scalar"),
    pytest.param(np.zeros((0, 3)), id="empty-batch"),
])
def test_softmax_jacobian_needs_a_vector(x):
    with raises_named(ValueError, "softmax_jacobian", "1-D"):
        ah.softmax_jacobian(x)
