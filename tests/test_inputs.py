"""Inputs that are legal but were refused or misread, and inputs that are not what they look
like (issue 9, parts 2 and 3): per-channel PReLU on axis 1 (PyTorch's nn.PReLU), masked arrays,
PyTorch tensors, dtypes that are not numbers, Python ints beyond int64, Fractions and Decimals.

Every refusal is a TypeError or ValueError whose message starts with the function's name and
says the real cause. (The empty softmax is in test_errors.py, next to the other softmax
arguments.)
"""

import datetime
import decimal
import fractions
import pathlib
import re

import numpy as np
import pytest

import activations_helpers as ah

PUBLIC = [name for name in ah.__all__ if callable(getattr(ah, name))]
PRELU_FUNCTIONS = ["prelu", "prelu_derivative", "prelu_alpha_derivative"]


def raises_named(exc, name, *needles):
    pattern = "^" + re.escape(name) + ": " + "".join(f"(?=.*{re.escape(n)})" for n in needles)
    return pytest.raises(exc, match=re.compile(pattern, re.DOTALL))


# ----------------------------------------------------------------------------------------------
# PReLU: one alpha per channel, on axis 1
# ----------------------------------------------------------------------------------------------

ALPHA3 = [0.1, 0.2, 0.3]


def test_prelu_channels_first_3d_from_the_issue():
    y = ah.prelu(-np.ones((1, 3, 3)), alpha=ALPHA3)
    assert y.tolist() == [[[-0.1, -0.1, -0.1], [-0.2, -0.2, -0.2], [-0.3, -0.3, -0.3]]]


def test_prelu_channels_2d_batch_of_vectors():
    # (N, C) = (2, 3): channel c is column c
    x = [[-1.0, -2.0, 4.0], [-10.0, 5.0, -3.0]]
    assert ah.prelu(x, alpha=ALPHA3).tolist() == [[-0.1 * 1, -0.2 * 2, 4.0],
                                                  [-0.1 * 10, 5.0, -0.3 * 3]]
    assert ah.prelu_derivative(x, alpha=ALPHA3).tolist() == [[0.1, 0.2, 1.0], [0.1, 1.0, 0.3]]
    assert ah.prelu_alpha_derivative(x, alpha=ALPHA3).tolist() == [[-1.0, -2.0, 0.0],
                                                                   [-10.0, 0.0, -3.0]]


def test_prelu_channels_4d_images():
    # (N, C, H, W) = (2, 3, 2, 2): every pixel of channel c is scaled by alpha[c]
    x = -np.ones((2, 3, 2, 2))
    x[1, 2, 1, 1] = 7.0                                  # one positive pixel
    image = [[[-0.1, -0.1], [-0.1, -0.1]], [[-0.2, -0.2], [-0.2, -0.2]],
             [[-0.3, -0.3], [-0.3, -0.3]]]
    last = [[[-0.1, -0.1], [-0.1, -0.1]], [[-0.2, -0.2], [-0.2, -0.2]],
            [[-0.3, -0.3], [-0.3, 7.0]]]
    assert ah.prelu(x, alpha=ALPHA3).tolist() == [image, last]
    slopes = [[[0.1, 0.1], [0.1, 0.1]], [[0.2, 0.2], [0.2, 0.2]], [[0.3, 0.3], [0.3, 0.3]]]
    last_slopes = [[[0.1, 0.1], [0.1, 0.1]], [[0.2, 0.2], [0.2, 0.2]], [[0.3, 0.3], [0.3, 1.0]]]
    assert ah.prelu_derivative(x, alpha=ALPHA3).tolist() == [slopes, last_slopes]
    # dy/dalpha is elementwise; summed over what shares an alpha it is the gradient of alpha:
    # 8 pixels of -1 per channel, but one of channel 2's is positive
    g = ah.prelu_alpha_derivative(x, alpha=ALPHA3)
    assert g.sum(axis=(0, 2, 3)).tolist() == [-8.0, -8.0, -7.0]


def test_prelu_channels_1d_input_is_axis_0():
    assert ah.prelu([-1.0, -1.0, -1.0], alpha=ALPHA3).tolist() == [-0.1, -0.2, -0.3]
    assert ah.prelu_derivative([-1.0, 2.0, -1.0], alpha=ALPHA3).tolist() == [0.1, 1.0, 0.3]


@pytest.mark.parametrize("name", PRELU_FUNCTIONS)
@pytest.mark.parametrize("shape", [(4, 3), (1, 3, 5), (2, 3, 4, 4), (2, 3, 1, 2, 2)])
def test_prelu_channel_axis_is_1_whatever_the_number_of_dimensions(name, shape):
    rng = np.random.default_rng(len(shape))
    x = rng.normal(size=shape)
    alpha = np.array([0.1, -0.5, 2.0])
    y = getattr(ah, name)(x, alpha=alpha)
    for c in range(3):  # each channel alone, with its alpha as one number
        np.testing.assert_array_equal(y[:, c], getattr(ah, name)(x[:, c], alpha=alpha[c]))


@pytest.mark.parametrize("name", PRELU_FUNCTIONS)
def test_prelu_one_alpha_in_a_list_is_shared(name):
    """nn.PReLU() has one alpha of shape (1,), shared by every channel."""
    x = np.array([[-2.0, 3.0], [-4.0, -1.0]])
    np.testing.assert_array_equal(getattr(ah, name)(x, alpha=[0.3]), getattr(ah, name)(x, 0.3))
    assert getattr(ah, name)(-2.0, alpha=[0.3]).shape == ()


def test_prelu_matches_torch_nn_prelu():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    for shape in [(5, 3), (2, 3, 7), (2, 3, 4, 5)]:
        x = rng.normal(size=shape)
        module = torch.nn.PReLU(num_parameters=3).double()
        with torch.no_grad():
            module.weight.copy_(torch.tensor(ALPHA3, dtype=torch.float64))
            expected = module(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(ah.prelu(x, alpha=ALPHA3), expected, rtol=1e-15, atol=0)


def test_prelu_zero_alpha_channel_is_relu_even_at_minus_infinity():
    x = np.array([[-np.inf, -np.inf], [np.nan, 2.0]])
    y = ah.prelu(x, alpha=[0.0, 0.5])
    assert y[0].tolist() == [0.0, -np.inf] and np.isnan(y[1, 0]) and y[1, 1] == 2.0


# ----------------------------------------------------------------------------------------------
# Masked arrays: refused when something is masked (the mask would be dropped), accepted when not
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PUBLIC)
def test_masked_array_with_masked_values_is_refused(name):
    x = np.ma.masked_array([1.0, 2.0, 1000.0], mask=[0, 0, 1])
    with raises_named(ValueError, name, "masked array", "1 masked value", "filled"):
        getattr(ah, name)(x)


def test_masked_softmax_from_the_issue_is_refused_and_the_message_shows_the_way():
    x = np.ma.masked_array([1.0, 2.0, 1000.0], mask=[0, 0, 1])
    with raises_named(ValueError, "softmax", "filled(-np.inf)") as info:
        ah.softmax(x)
    assert "hidden" in str(info.value)
    # the way the message shows: the masked score gets probability 0
    y = ah.softmax(x.filled(-np.inf))
    np.testing.assert_allclose(y, [1 / (1 + np.e), np.e / (1 + np.e), 0.0], rtol=1e-15)


@pytest.mark.parametrize("name", ["sigmoid", "softmax", "prelu", "relu_derivative"])
def test_masked_array_with_nothing_masked_is_plain_data(name):
    data = np.array([[1.0, -2.0], [0.5, 3.0]])
    for x in (np.ma.masked_array(data), np.ma.masked_array(data, mask=np.zeros((2, 2), bool))):
        y = getattr(ah, name)(x)
        assert type(y) is np.ndarray
        np.testing.assert_array_equal(y, getattr(ah, name)(data))


# ----------------------------------------------------------------------------------------------
# PyTorch tensors: refused with the way to convert them (torch is not imported by the module)
# ----------------------------------------------------------------------------------------------

def _tensors():
    torch = pytest.importorskip("torch")
    return {
        "requires-grad": torch.tensor([1.0, -2.0], requires_grad=True),
        "plain": torch.tensor([1.0, -2.0]),
        "float16": torch.tensor([1.0], dtype=torch.float16),
        "bfloat16": torch.tensor([1.0], dtype=torch.bfloat16),
        "scalar": torch.tensor(0.5),
        "parameter": torch.nn.Parameter(torch.ones(2)),
    }


@pytest.mark.parametrize("kind", ["requires-grad", "plain", "float16", "bfloat16", "scalar",
                                  "parameter"])
@pytest.mark.parametrize("name", PUBLIC)
def test_torch_tensor_is_refused_with_how_to_convert(name, kind):
    tensor = _tensors()[kind]
    with raises_named(TypeError, name, "PyTorch tensor", ".detach().numpy()"):
        getattr(ah, name)(tensor)


def test_torch_tensor_converted_as_the_message_says_works():
    torch = pytest.importorskip("torch")
    t = torch.tensor([1.0, -2.0], requires_grad=True)
    np.testing.assert_allclose(ah.sigmoid(t.detach().numpy()),
                               torch.sigmoid(t).detach().numpy(), rtol=1e-6)


def test_torch_is_not_imported_by_the_module():
    source = pathlib.Path(ah.__file__).read_text()
    assert not re.search(r"^\s*(import|from)\s+torch", source, re.MULTILINE)


def test_list_of_tensors_that_require_grad_is_refused_naming_the_function():
    torch = pytest.importorskip("torch")
    xs = [torch.tensor(1.0, requires_grad=True), torch.tensor(2.0, requires_grad=True)]
    with raises_named(TypeError, "sigmoid", "cannot be read as numbers", "detach"):
        ah.sigmoid(xs)


# ----------------------------------------------------------------------------------------------
# dtypes that are not numbers: reported as what they are (never as "a ragged list")
# ----------------------------------------------------------------------------------------------

NOT_NUMBERS = [
    pytest.param(np.array([1, "a"], dtype=object), TypeError, "holding str", id="object-str"),
    pytest.param(np.array(["1.5", "2"]), TypeError, "strings", id="str-array"),
    pytest.param(np.array([b"1"]), TypeError, "bytes", id="bytes-array"),
    pytest.param(np.array(["2024-01-01"], dtype="datetime64[D]"), TypeError, "dates",
                 id="datetime64"),
    pytest.param(np.array([5], dtype="timedelta64[s]"), TypeError, "time spans",
                 id="timedelta64"),
    pytest.param(np.zeros(2, dtype=[("a", "f8"), ("b", "i4")]), TypeError, "structured",
                 id="structured"),
    pytest.param(np.zeros(2, dtype="V8"), TypeError, "void", id="void"),
    pytest.param([datetime.date(2024, 1, 1)], TypeError, "holding date", id="list-of-dates"),
    pytest.param([1.0, None], TypeError, "holding NoneType", id="list-with-None"),
    pytest.param([1.0, [2.0, 3.0]], ValueError, "ragged", id="really-ragged"),
]


@pytest.mark.parametrize("name", PUBLIC)
@pytest.mark.parametrize("x, exc, cause", NOT_NUMBERS)
def test_unsupported_dtype_is_reported_as_such(name, x, exc, cause):
    with raises_named(exc, name, cause) as info:
        getattr(ah, name)(x)
    if exc is TypeError:
        assert "ragged" not in str(info.value)


@pytest.mark.parametrize("name", PUBLIC)
@pytest.mark.parametrize("x", [10**30, [1.0, 10**30], [2**64], -2**63 - 1, 10**400],
                         ids=["1e30", "list-1e30", "2^64", "-2^63-1", "1e400"])
def test_python_int_too_large_for_int64_is_reported_as_such(name, x):
    with raises_named(ValueError, name, "Python int too large for int64", "float(n)"):
        getattr(ah, name)(x)


@pytest.mark.parametrize("x", [2**63, [2**63, 1], -2**63, [2**63, -1]], ids=repr)
def test_python_ints_numpy_holds_are_accepted(x):
    """NumPy holds 2**63 as uint64 and [2**63, -1] as float64: numbers, so accepted."""
    np.testing.assert_array_equal(ah.relu(x), np.maximum(np.asarray(x, dtype=np.float64), 0))


# ----------------------------------------------------------------------------------------------
# Numbers NumPy can only hold as Python objects: accepted, as the nearest float64
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("x, as_float", [
    pytest.param(fractions.Fraction(1, 3), 1 / 3, id="Fraction"),
    pytest.param([fractions.Fraction(-1, 2), 2], [-0.5, 2.0], id="list-of-Fraction-and-int"),
    pytest.param(decimal.Decimal("0.1"), 0.1, id="Decimal"),
    pytest.param([decimal.Decimal("-1.5"), decimal.Decimal("Infinity")], [-1.5, np.inf],
                 id="list-of-Decimal"),
    pytest.param(np.array([1.0, 2.5], dtype=object), [1.0, 2.5], id="object-array-of-floats"),
    pytest.param(np.array([1, True, np.float32(0.5)], dtype=object), [1.0, 1.0, 0.5],
                 id="object-array-of-numbers"),
])
@pytest.mark.parametrize("name", ["linear", "sigmoid", "relu", "leaky_relu", "softmax",
                                  "tanh_derivative"])
def test_numbers_held_as_objects_become_float64(name, x, as_float):
    y = getattr(ah, name)(x)
    assert y.dtype == np.float64 and y.shape == np.shape(as_float)
    np.testing.assert_array_equal(y, getattr(ah, name)(np.asarray(as_float, dtype=np.float64)))


def test_bad_decimal_is_reported_naming_the_function():
    with raises_named(ValueError, "sigmoid", "cannot be read as numbers"):
        ah.sigmoid([decimal.Decimal("sNaN")])


# ----------------------------------------------------------------------------------------------
# Misspelt or missing arguments name the function too
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PUBLIC)
def test_unknown_keyword_names_the_function(name):
    with raises_named(TypeError, name, "alhpa"):
        getattr(ah, name)([1.0], alhpa=0.1)


@pytest.mark.parametrize("name", PUBLIC)
def test_missing_x_names_the_function(name):
    with raises_named(TypeError, name, "x"):
        getattr(ah, name)()
