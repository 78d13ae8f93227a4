"""Exercises for ``03_nonlinear.ipynb``: stable sigmoid, ReLU's kink, vanishing gradients, tanh,
leaky ReLU, dead units, softmax with temperature.

In the notebook's setup cell: ``from teaching.exercises.nonlinear import binder`` and
``binder.bind(globals())``, which defines ``q1``, ``q2``, ... in the order of ``QUESTIONS``.
"""

import numpy as np

import activations_helpers as ah
from teaching.exercises.core import (ARTICLE, Binder, Case, ChoiceProblem, fmt, FunctionProblem,
                                     Mistake, nan_where_number_expected, number_where_nan_expected,
                                     standard_cases, ValueProblem, warned)

NOTEBOOK = "03_nonlinear.ipynb"


def _one_number_only(outcome):
    return isinstance(outcome.error, TypeError) and "array" in str(outcome.error)


stable_sigmoid = FunctionProblem(
    var="my_sigmoid", params=("x",),
    title="A sigmoid that never overflows",
    task=(
        "Write `my_sigmoid(x)`, $\\sigma(x) = 1/(1 + e^{-x})$, for a NumPy array `x`, so that it "
        "gives the right values **without any warning** for every input: the article's "
        "`np.arange(-5, 6)`, -1000, +1000, $\\pm\\infty$, NaN (gives NaN) and float32, where "
        "`np.exp` overflows already above about 88. (Don't silence the warnings with "
        "`np.errstate`: write a formula that does not overflow.)"),
    starter=(
        "def my_sigmoid(x):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def my_sigmoid(x):\n"
        "    z = np.exp(-np.abs(x))   # e^{-|x|} is in (0, 1]: it never overflows\n"
        "    # 1/(1+e^{-x}) for x >= 0; multiply top and bottom by e^{x} for x < 0\n"
        "    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))"),
    hints=[
        "`1 / (1 + np.exp(-x))` is right in exact arithmetic, but for x = -1000 `np.exp(1000)` is "
        "far above the largest float (about 1.8e308): NumPy returns inf and warns.",
        "Only ever take `np.exp` of a number <= 0: with `z = np.exp(-np.abs(x))`, z is in (0, 1].",
        "For x >= 0, sigma = 1 / (1 + z). For x < 0, multiply top and bottom of 1/(1 + e^{-x}) by "
        "e^{x}: sigma = z / (1 + z). `np.where(x >= 0, ..., ...)` picks one per element.",
    ],
    reference=ah.sigmoid,
    cases=standard_cases(),
    mistakes=[
        Mistake("math.exp works on one number at a time; np.exp works on whole arrays.",
                when=_one_number_only),
        Mistake("This is exp(x) / (1 + exp(x)): for large x both are inf, and inf/inf is NaN. "
                "Take np.exp only of numbers <= 0, e.g. of -|x|.",
                when=lambda o: nan_where_number_expected(o) or warned(o, "invalid")),
        Mistake("np.exp overflowed: e^t is too large for a float64 above t = 709 (for a float32 "
                "above t = 88). 1 / (1 + np.exp(-x)) takes e^(-x), which overflows for a very "
                "negative x, and NumPy warns. Use z = np.exp(-np.abs(x)), which is never above 1.",
                when=lambda o: warned(o, "overflow")),
        Mistake("NaN in, NaN out: the sigmoid of NaN is NaN.", when=number_where_nan_expected),
    ],
    wrong_answers=[
        ("def my_sigmoid(x):\n    return 1 / (1 + np.exp(-x))", "overflowed"),
        ("def my_sigmoid(x):\n    return np.exp(x) / (1 + np.exp(x))", "inf/inf"),
        ("import math\ndef my_sigmoid(x):\n    return 1 / (1 + math.exp(-x))", "math.exp"),
        ("def my_sigmoid(x):\n    return 1 / (1 + np.exp(-np.clip(x, -500, 500)))",
         "for a float32"),
    ],
    right_answers=[
        "def my_sigmoid(x):\n    return np.exp(-np.logaddexp(0, -x))",
        "def my_sigmoid(x):\n    return 0.5 * (1 + np.tanh(x / 2))",
        "def my_sigmoid(x):\n    return np.exp(np.minimum(x, 0)) / (1 + np.exp(-np.abs(x)))",
        "def my_sigmoid(x):\n"
        "    safe = np.where(x >= 0, -x, x)   # <= 0 everywhere: np.exp never overflows\n"
        "    e = np.exp(safe)\n"
        "    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))",
    ],
    explanation="Same formula, rearranged so that nothing overflows: this is how "
                "activations_helpers.sigmoid (and scipy.special.expit) do it.",
)


def _relu_derivative_like_sign(x):
    return np.sign(x)


relu_kink = FunctionProblem(
    var="my_relu_derivative", params=("x",),
    title="ReLU's derivative, kink included",
    task=(
        "Write `my_relu_derivative(x)`: 1.0 where $x > 0$, 0.0 where $x \\le 0$ (at the kink "
        "$x = 0$ take 0, as PyTorch does), and NaN where `x` is NaN, as a float array of `x`'s "
        "shape."),
    starter=(
        "def my_relu_derivative(x):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def my_relu_derivative(x):\n"
        "    # slope 1 where x > 0, slope 0 where x <= 0 (the kink counts as 0); NaN stays NaN\n"
        "    return np.where(x > 0, 1.0, np.where(x <= 0, 0.0, np.nan))"),
    hints=[
        "ReLU is flat (slope 0) for x < 0 and the line y = x (slope 1) for x > 0.",
        "At x = 0 there is no derivative; the convention is 0, so the condition for 1 is "
        "`x > 0`, not `x >= 0`.",
        "NaN is neither > 0 nor <= 0: with one `np.where` inside another, the inputs that "
        "pass neither test can get NaN.",
    ],
    reference=ah.relu_derivative,
    cases=[
        Case("typical values", np.array([-2.0, -0.5, 0.5, 2.0])),
        Case("the article's inputs", ARTICLE),
        Case("the kink", np.array([0.0])),
        Case("extreme values", np.array([-1000.0, 1000.0, -np.inf, np.inf])),
        Case("NaN", np.array([np.nan, 1.0])),
        Case("float32", np.array([-1.0, 0.0, 1.0], dtype=np.float32)),
    ],
    mistakes=[
        Mistake("Wrong at the kink: at x = 0 ReLU has no derivative, and the convention "
                "(PyTorch's) is 0. Use x > 0, not x >= 0.",
                like=lambda x: np.where(x >= 0, 1.0, 0.0)),
        Mistake("np.sign(x) is -1 for negative x, but ReLU is flat there: its slope is 0.",
                like=_relu_derivative_like_sign),
        Mistake("That is ReLU itself (the value x for x > 0), not its slope (1 for x > 0).",
                like=ah.relu),
        Mistake("NaN in, NaN out: NaN is neither > 0 nor <= 0, so keep it NaN with a second "
                "np.where(x <= 0, 0.0, np.nan).", when=number_where_nan_expected),
    ],
    wrong_answers=[
        ("def my_relu_derivative(x):\n    return np.where(x >= 0, 1.0, 0.0)", "Wrong at the kink"),
        ("def my_relu_derivative(x):\n    return np.sign(x)", "flat there"),
        ("def my_relu_derivative(x):\n    return np.maximum(x, 0)", "ReLU itself"),
        ("def my_relu_derivative(x):\n    return np.where(x > 0, 1.0, 0.0)", "NaN in, NaN out"),
    ],
    right_answers=[
        "def my_relu_derivative(x):\n    return np.heaviside(x, 0.0)",
        "def my_relu_derivative(x):\n    return (np.sign(x) + np.abs(np.sign(x))) / 2",
        "def my_relu_derivative(x):\n"
        "    return np.where(np.isnan(x), x, (x > 0).astype(float))",
    ],
    explanation="Every unit whose input is <= 0 passes back exactly 0: that is what lets ReLU "
                "units die (section 7).",
)


def _gradient_norms(activation, derivative, weight_std, depth=15, width=64, batch=128):
    """The notebook's `gradient_norms` (section 5): relative gradient norm after each layer."""
    rng = np.random.default_rng(0)
    weights = [rng.normal(0, weight_std, size=(width, width)) for _ in range(depth)]
    h = rng.normal(size=(batch, width))
    pre_activations = []
    for W in weights:
        z = h @ W
        pre_activations.append(z)
        h = activation(z)
    grad = np.ones_like(h)
    norms = [np.linalg.norm(grad)]
    for W, z in zip(reversed(weights), reversed(pre_activations)):
        grad = (grad * derivative(z)) @ W.T
        norms.append(np.linalg.norm(grad))
    return np.array(norms) / norms[0]


GLOROT = 1 / np.sqrt(64)


def _sigmoid_30():
    return float(_gradient_norms(ah.sigmoid, ah.sigmoid_derivative, GLOROT, depth=30)[-1])


sigmoid_30_layers = ValueProblem(
    var="sigmoid_gradient_30",
    title="Predict the gradient after 30 sigmoid layers",
    task=(
        "Section 5 measured that the sigmoid network's gradient shrinks by a factor of about "
        "0.23 per layer. **Before running anything**, predict the relative gradient norm at the "
        "input of a network twice as deep, 30 layers (same width, batch and weight scale). Set "
        "`sigmoid_gradient_30` to your prediction: the right order of magnitude counts. Then "
        "measure it: `gradient_norms(sigmoid, sigmoid_derivative, glorot, "
        "depth=30)[-1]`."),
    starter="sigmoid_gradient_30 = ____   # your prediction, a number",
    solution="sigmoid_gradient_30 = 0.23 ** 30   # a factor 0.23 per layer, 30 times",
    hints=[
        "A factor per layer multiplies: after 2 layers 0.23 * 0.23, after 3 layers 0.23 ** 3.",
        "30 layers: 0.23 ** 30. (In Python, `**` is the power; `^` is something else.)",
    ],
    expected=_sigmoid_30, factor=10,
    mistakes=[
        Mistake("The factor multiplies at every layer: raise it to the power of the number of "
                "layers, don't multiply it by that number.", like=0.23 * 30),
        Mistake("That is the value after 15 layers; after 30 the factor 0.23 has multiplied 15 "
                "more times.", like=0.23 ** 15),
        Mistake("It never reaches exactly 0 (each factor is positive), but it is tiny: how many "
                "zeros after the decimal point?", when=lambda a: float(a) == 0),
    ],
    wrong_answers=[(0.23 * 30, "to the power of the number"), (0.23 ** 15, "after 15 layers"),
                   (0.0, "never reaches"), (-1e-19, "sign is wrong"), (1e-22, "times too small")],
    right_answers=[0.23 ** 30, 1e-19, 3e-20, 5e-19],
    explanation="Prediction and measurement agree within a factor of a few: through 30 sigmoid "
                "layers the gradient shrinks by about 19 orders of magnitude.",
)

why_tanh_helps = ChoiceProblem(
    title="Why tanh helps",
    task="In section 5 the gradient kept far more of its size through 15 tanh layers than "
         "through 15 sigmoid layers. Which explanation is right?",
    options={
        "a": "Tanh never saturates, so its derivative never gets small.",
        "b": "Each layer multiplies the gradient by the activation's derivative, and tanh's "
             "derivative peaks at 1, the sigmoid's at 0.25.",
        "c": "Tanh's outputs are zero-centred, and zero-centred outputs keep the gradient's "
             "size.",
        "d": "Tanh's outputs are always positive, so the gradients all point the same way.",
    },
    answer="b",
    feedback={
        "a": "It does saturate: tanh'(5) is about 0.00018 (section 2). It loses far less than the "
             "sigmoid only because its derivative near 0 is 1, not 0.25.",
        "c": "The experiment measures dL/dh, the gradient with respect to each layer's output: a "
             "product of the derivatives f'(z) and the weights. The outputs' mean plays no part "
             "in it. (Zero-centred outputs matter for the signs of the weight gradients, "
             "section 3.)",
        "d": "That is the sigmoid: its outputs lie in (0, 1). Tanh's lie in (-1, 1), with mean 0.",
    },
    hints=[
        "Compare the printed `max sigmoid'(x)` and `max tanh'(x)` in section 3.",
        "Backpropagation multiplies the gradient by f'(z) once per layer: what is the most one "
        "sigmoid layer, and one tanh layer, can multiply it by?",
    ],
    explanation="Each layer multiplies the gradient by the derivative: at most 0.25 for the "
                "sigmoid, up to 1 for tanh. Zero-centred outputs matter elsewhere: for the signs "
                "of the next layer's weight gradients (section 3).",
)

leaky_relu_any_alpha = FunctionProblem(
    var="my_leaky_relu", params=("x",),
    title="Leaky ReLU for every alpha",
    task=(
        "Write `my_leaky_relu(x, alpha=0.01)`: $x$ where $x > 0$, $\\alpha x$ where $x \\le 0$. "
        "It must be right for every $\\alpha$ PReLU can learn, including $\\alpha > 1$. The check "
        "tries the article's inputs, $\\alpha$ = 0.01, 0.25, 2 and 0, -1000, $\\pm\\infty$, NaN "
        "and float32."),
    starter=(
        "def my_leaky_relu(x, alpha=0.01):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def my_leaky_relu(x, alpha=0.01):\n"
        "    # x on the positive side, alpha * x on the other: right for every alpha\n"
        "    return np.where(x > 0, x, alpha * x)"),
    hints=[
        "The section shows `np.maximum(x, alpha * x)`, but only for $0 \\le \\alpha \\le 1$. "
        "Try it by hand with alpha = 2 and x = 1.",
        "Choose by the sign of x, not by which is larger: `np.where` with a condition on x.",
    ],
    reference=ah.leaky_relu,
    cases=[
        Case("typical values", np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
        Case("the article's inputs", ARTICLE, alpha=0.01),
        Case("alpha 0.25 (PReLU's start)", np.array([-4.0, -1.0, 0.0, 3.0]), alpha=0.25),
        Case("alpha 2 (above 1)", np.array([-2.0, -0.5, 0.5, 2.0]), alpha=2.0),
        Case("alpha 0 (ReLU)", np.array([-3.0, 0.0, 3.0]), alpha=0.0),
        Case("extreme values", np.array([-1000.0, 1000.0, -np.inf, np.inf])),
        Case("NaN", np.array([np.nan, -1.0, 1.0])),
        Case("float32", np.array([-100.0, 0.0, 100.0], dtype=np.float32), alpha=0.1),
    ],
    mistakes=[
        Mistake("max(x, alpha * x) equals leaky ReLU only for alpha <= 1. For alpha > 1 it picks "
                "alpha * x for positive x and x for negative x. Choose by the sign of x "
                "(np.where), not by which is larger.",
                like=lambda x, alpha=0.01: np.maximum(x, alpha * x)),
        Mistake("For x <= 0 the output is alpha times x, not alpha itself.",
                like=lambda x, alpha=0.01: np.where(x > 0, x, alpha)),
        Mistake("That is plain ReLU: the leak alpha * x for x <= 0 is missing.",
                like=lambda x, alpha=0.01: np.maximum(x, 0)),
        Mistake("NaN in, NaN out: the leaky ReLU of NaN is NaN.",
                when=number_where_nan_expected),
    ],
    wrong_answers=[
        ("def my_leaky_relu(x, alpha=0.01):\n    return np.maximum(x, alpha * x)",
         "only for alpha <= 1"),
        ("def my_leaky_relu(x, alpha=0.01):\n    return np.where(x > 0, x, alpha)",
         "not alpha itself"),
        ("def my_leaky_relu(x, alpha=0.01):\n    return np.maximum(x, 0)", "plain ReLU"),
    ],
    right_answers=[
        "def my_leaky_relu(x, alpha=0.01):\n    return np.maximum(x, 0) + alpha * np.minimum(x, 0)",
        "def my_leaky_relu(x, alpha=0.01):\n    return x * np.where(x > 0, 1.0, alpha)",
        "def my_leaky_relu(x, alpha=0.01):\n    return relu(x) - alpha * relu(-x)",
    ],
    explanation="np.where chooses by the sign of x, so it is right for every alpha, also the ones "
                "PReLU may learn outside [0, 1].",
)

# Section 7's layer: 100 ReLU units, 10 inputs, a batch of 256, all seeded as in the notebook.
_rng7 = np.random.default_rng(0)
_X7 = _rng7.normal(size=(256, 10))
_W7 = _rng7.normal(0, np.sqrt(2 / 10), size=(10, 100))
_B7 = np.zeros(100)
_B7_AFTER = _B7 - _rng7.uniform(0, 8, size=100)   # the notebook's bad step: 45 units die


def _dead_units(b):
    """The notebook's `dead_units`: True for each unit whose ReLU output is 0 for every input."""
    return np.all(ah.relu(_X7 @ _W7 + b) == 0, axis=0)


def _dead_small():
    return int(_dead_units(_B7 - np.random.default_rng(1).uniform(0, 4, size=100)).sum())


dead_after_small_push = ValueProblem(
    var="dead_small",
    title="Count the dead units after a smaller push",
    task=(
        "In section 7 a bad update pushed every bias down by up to 8, and 45 of the 100 ReLU "
        "units died. Now push them down by up to 4 only: "
        "`b_small = b - np.random.default_rng(1).uniform(0, 4, size=100)`. First guess: more or "
        "fewer dead units? Then count them with `dead_units` and set `dead_small` to the count."),
    starter="dead_small = ____   # the number of dead units, out of 100",
    solution=(
        "b_small = b - np.random.default_rng(1).uniform(0, 4, size=100)\n"
        "dead_small = int(dead_units(b_small).sum())"),
    hints=[
        "`dead_units(b)` returns one True/False per unit: True where the unit is dead.",
        "`int(dead_units(b_small).sum())` counts the Trues (True counts as 1).",
    ],
    expected=_dead_small, exact=True,
    mistakes=[
        Mistake("45 is the count for pushes of up to 8. Smaller pushes leave more units with "
                "some positive inputs: count again with b_small.",
                like=lambda: int(_dead_units(_B7_AFTER).sum())),
        Mistake("That is the number of units still alive; a dead unit is one whose output is 0 "
                "for every input (dead_units gives True for it).",
                like=lambda: 100 - _dead_small()),
        Mistake("That is a fraction; give the count of dead units (out of 100).",
                when=lambda a: 0 < float(a) < 1),
    ],
    wrong_answers=[(int(_dead_units(_B7_AFTER).sum()), "pushes of up to 8"),
                   (100 - _dead_small(), "still alive"), (_dead_small() / 100, "fraction"),
                   (_dead_small() + 0.5, "whole number"), (-_dead_small(), "sign is wrong")],
    right_answers=[_dead_small(), float(_dead_small()), np.int64(_dead_small())],
    explanation="Fewer units die when the push is smaller, but some still do: a dead unit stays "
                "dead under ReLU, whatever the data.",
)


def _softmax_1d(x, temperature=1.0):
    return ah.softmax(x, temperature=temperature)


def _naive_softmax(x, temperature=1.0):
    e = np.exp(x / temperature)
    return e / e.sum()


stable_softmax = FunctionProblem(
    var="my_softmax", params=("x",),
    title="Softmax with a temperature, stable",
    task=(
        "Write `my_softmax(x, temperature=1.0)` for a 1-D NumPy array of scores `x`: "
        "$e^{x_i/T} / \\sum_j e^{x_j/T}$, without any warning. The check tries `[1, 2, 3]`, the "
        "article's `np.arange(-5, 6)`, temperatures 2 and 0.5, the scores `[1000, 1001, 1002]`, "
        "`[-1000, -1001, -1002]`, a score of $-\\infty$, NaN (every output NaN) and float32."),
    starter=(
        "def my_softmax(x, temperature=1.0):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def my_softmax(x, temperature=1.0):\n"
        "    shifted = (x - np.max(x)) / temperature   # every exponent <= 0: nothing overflows\n"
        "    e = np.exp(shifted)\n"
        "    return e / e.sum()"),
    hints=[
        "Divide the scores by the temperature, take `np.exp`, divide by the sum.",
        "`np.exp(1000)` overflows. Softmax does not change when the same number is subtracted "
        "from every score: subtract `np.max(x)` first, so every exponent is <= 0.",
        "Order: `(x - np.max(x)) / temperature`, then `np.exp`, then divide by the sum.",
    ],
    reference=_softmax_1d,
    cases=[
        Case("typical values", np.array([1.0, 2.0, 3.0])),
        Case("the article's inputs", ARTICLE),
        Case("temperature 2", np.array([1.0, 2.0, 3.0]), temperature=2.0),
        Case("temperature 0.5", np.array([1.0, 2.0, 3.0]), temperature=0.5),
        Case("large scores", np.array([1000.0, 1001.0, 1002.0])),
        Case("large scores at temperature 0.5", np.array([1000.0, 1001.0, 1002.0]),
             temperature=0.5),
        Case("very negative scores", np.array([-1000.0, -1001.0, -1002.0])),
        Case("a score of -inf", np.array([0.0, -np.inf, 1.0])),
        Case("NaN", np.array([np.nan, 1.0, 2.0])),
        Case("float32", np.array([80.0, 90.0, 100.0], dtype=np.float32)),
    ],
    mistakes=[
        Mistake("This ignores the temperature: divide the scores by it before np.exp.",
                like=lambda x, temperature=1.0: ah.softmax(x)),
        Mistake("This multiplies the scores by the temperature; divide by it: e^(x/T). A large T "
                "should flatten the distribution, not sharpen it.",
                like=lambda x, temperature=1.0: ah.softmax(np.asarray(x) * temperature)),
        Mistake("Without subtracting the maximum, e^1000 overflows to inf and inf/inf is NaN. "
                "Subtract np.max(x) from every score first: softmax does not change, and every "
                "exponent is then <= 0.",
                when=lambda o: warned(o, "overflow") or nan_where_number_expected(o)),
    ],
    wrong_answers=[
        ("def my_softmax(x, temperature=1.0):\n    e = np.exp(x / temperature)\n"
         "    return e / e.sum()", "subtracting the maximum"),
        ("def my_softmax(x, temperature=1.0):\n    e = np.exp(x - np.max(x))\n"
         "    return e / e.sum()", "ignores the temperature"),
        ("def my_softmax(x, temperature=1.0):\n    e = np.exp((x - np.max(x)) * temperature)\n"
         "    return e / e.sum()", "multiplies the scores"),
    ],
    right_answers=[
        "def my_softmax(x, temperature=1.0):\n"
        "    z = x / temperature\n"
        "    return np.exp(z - np.logaddexp.reduce(z))   # log-sum-exp",
        "def my_softmax(x, temperature=1.0):\n"
        "    z = x / temperature\n"
        "    e = np.exp(z - z.max())   # divide first, then shift\n"
        "    return e / np.sum(e)",
        "def my_softmax(x, temperature=1.0):\n"
        "    z = (x - np.max(x)) / temperature\n"
        "    return np.exp(z - np.log(np.sum(np.exp(z))))   # log-softmax, then exp",
    ],
    explanation="Subtracting the maximum is what activations_helpers.softmax does too (see its "
                "show_code), and it is why softmax([1000, 1001, 1002]) works.",
)

what_temperature_does = ChoiceProblem(
    title="What temperature does",
    task="What does the temperature $T = 0.1$ do to `softmax([1, 2, 3], temperature=0.1)`, "
         "compared with $T = 1$?",
    options={
        "a": "It divides every probability by 10.",
        "b": "It sharpens the distribution: nearly all the probability goes to the largest "
             "score, towards an argmax.",
        "c": "It flattens the distribution towards uniform, 1/3 each.",
        "d": "Nothing: softmax does not change when the scores change by a constant.",
    },
    answer="b",
    feedback={
        "a": "The outputs always sum to 1: temperature changes the shape of the distribution, "
             "not its total.",
        "c": "That is a large T (say 5 or more): dividing by a large T shrinks the differences "
             "between the scores. T = 0.1 multiplies them by 10.",
        "d": "Adding a constant to every score changes nothing; dividing them by T does: it "
             "scales the differences between the scores by 1/T.",
    },
    hints=[
        "Dividing the scores [1, 2, 3] by 0.1 gives [10, 20, 30]. Are the differences between "
        "them larger or smaller?",
        "Try it: `softmax([1.0, 2.0, 3.0], temperature=0.1).round(3).tolist()`, or drag the "
        "temperature slider in section 9 down to 0.1.",
    ],
    explanation=f"softmax([1, 2, 3], temperature=0.1) is "
                f"{fmt(ah.softmax([1.0, 2.0, 3.0], temperature=0.1))}: a small T sharpens "
                "towards the argmax, a large T flattens towards uniform.",
)


def context():
    """The names the notebook defines before its exercises that the solutions use."""
    return {"gradient_norms": _gradient_norms, "glorot": GLOROT, "dead_units": _dead_units,
            "b": _B7.copy(), "X": _X7.copy(), "W": _W7.copy()}


# The notebook numbers them q1, q2, ... in this order (its setup cell: binder.bind(globals()))
QUESTIONS = [stable_sigmoid, relu_kink, sigmoid_30_layers, why_tanh_helps, leaky_relu_any_alpha,
             dead_after_small_push, stable_softmax, what_temperature_does]
binder = Binder(QUESTIONS)
