"""Exercises for ``01_linear.ipynb``: the linear activation, collapsing layers, XOR.

In the notebook's setup cell: ``from teaching.exercises.linear import binder`` and
``binder.bind(globals())``, which defines ``q1``, ``q2``, ... in the order of ``QUESTIONS``.
"""

import numpy as np

import activations_helpers as ah
from teaching.exercises.core import (ARTICLE, Binder, Case, ChoiceProblem, FunctionProblem,
                                     Mistake, ValueProblem)

NOTEBOOK = "01_linear.ipynb"


def _slope_derivative(x, slope=1.0):
    """f'(x) for f(x) = slope * x: the slope at every input; NaN stays NaN."""
    return ah.linear_derivative(x) * slope


# Small whole-number weights, so that a failed check's message is easy to read.
_rng = np.random.default_rng(10)
_NOTEBOOK_SHAPES = (_rng.integers(-3, 4, size=(4, 3)).astype(float),
                    _rng.integers(-3, 4, size=(2, 4)).astype(float))
_SQUARE = (_rng.integers(-3, 4, size=(3, 3)).astype(float),
           _rng.integers(-3, 4, size=(3, 3)).astype(float))

slope_derivative = FunctionProblem(
    var="my_linear_derivative", params=("x",),
    title="The derivative of a linear activation",
    task=(
        "Write `my_linear_derivative(x, slope=1.0)`, the derivative of $f(x) = a\\,x$ with "
        "$a$ = `slope`: one value per input, as a float array of `x`'s shape. A NaN input should "
        "give NaN (as every helper in `activations_helpers` does). `x` is a NumPy array; the "
        "check tries typical values, the article's inputs `np.arange(-5, 6)`, negative slopes, "
        "-1000, $\\pm\\infty$, NaN and float32."),
    starter=(
        "def my_linear_derivative(x, slope=1.0):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def my_linear_derivative(x, slope=1.0):\n"
        "    # f(x) = slope * x rises by `slope` per unit of x, wherever x is; NaN stays NaN\n"
        "    return np.where(np.isnan(x), x, slope)"),
    hints=[
        "The derivative of $a\\,x$ is $a$, whatever $x$ is. But return one value per input: "
        "an array of `x`'s shape, not a single number.",
        "`np.where(condition, a, b)` takes `a` where the condition holds and `b` elsewhere, "
        "element by element, so it can give the shape and the NaN rule at once: which condition "
        "finds the NaN inputs, and what should come out there? (`np.full(x.shape, slope)` has "
        "the shape but turns NaN into `slope`.)",
        "Avoid `x * 0 + slope`: it looks right, but `inf * 0` is NaN, so it is wrong at "
        "$\\pm\\infty$.",
    ],
    reference=_slope_derivative,
    cases=[
        Case("typical values", np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
        Case("the article's inputs", ARTICLE, slope=1.0),
        Case("slope 2.5", np.array([-3.0, 0.0, 3.0]), slope=2.5),
        Case("a negative slope", np.array([-3.0, 0.0, 3.0]), slope=-1.5),
        Case("extreme values", np.array([-1000.0, 1e300, -np.inf, np.inf]), slope=2.0),
        Case("NaN", np.array([np.nan, 1.0]), slope=2.0),
        Case("float32", np.array([-1.0, 0.0, 1.0], dtype=np.float32), slope=0.5),
    ],
    mistakes=[
        Mistake("That is one number for the whole array. The derivative is `slope` at every "
                "input: return one value per input, an array of x's shape.",
                when=lambda o: np.ndim(o.value) == 0 and np.ndim(o.expected) > 0),
        Mistake("That is f(x) = slope * x itself, not its derivative: the slope of a straight "
                "line is the same at every x.",
                like=lambda x, slope=1.0: slope * x),
        Mistake("The slope is missing: this returns 1 everywhere, the derivative of f(x) = x. "
                "For f(x) = slope * x it is `slope`.",
                like=lambda x, slope=1.0: np.ones_like(x, dtype=float)),
        Mistake("`x * 0` is NaN where x is +-inf (inf * 0 is undefined), so the derivative "
                "comes out NaN at infinity. Pick `slope` or NaN element by element instead "
                "(np.where, with np.isnan).",
                like=lambda x, slope=1.0: x * 0 + slope),
        Mistake("NaN in, NaN out: a NaN input is a bug upstream, and a derivative that turns it "
                "into a number hides it. Keep NaN where x is NaN (np.isnan finds those inputs).",
                when=lambda o: bool(np.isnan(o.expected).any())
                and not np.isnan(np.asarray(o.value, dtype=float)).any()),
    ],
    wrong_answers=[
        ("def my_linear_derivative(x, slope=1.0):\n    return slope", "one number for the whole"),
        ("def my_linear_derivative(x, slope=1.0):\n    return slope * x", "not its derivative"),
        ("def my_linear_derivative(x, slope=1.0):\n    return x * 0 + slope", "inf * 0"),
        ("def my_linear_derivative(x, slope=1.0):\n    return np.full(x.shape, float(slope))",
         "NaN in, NaN out"),
        ("def my_linear_derivative(x, slope=1.0):\n    return np.ones_like(x, dtype=float)",
         "The slope is missing"),
    ],
    right_answers=[
        "def my_linear_derivative(x, slope=1.0):\n    return np.where(x == x, float(slope), x)",
        "def my_linear_derivative(x, slope=1.0):\n"
        "    return slope + 0 * np.nan_to_num(x, nan=np.nan, posinf=0.0, neginf=0.0)",
        "def my_linear_derivative(x, slope=1.0):\n"
        "    return np.array([slope if v == v else float('nan') for v in x], dtype=float)",
        "def my_linear_derivative(x, slope=1.0):\n    return linear_derivative(x) * slope",
    ],
    explanation="A linear activation passes the gradient on multiplied by the same constant, "
                "whatever the input: it never vanishes, and the activation's factor does not "
                "depend on x (the weight gradient still does, through x).",
)


def _merged(W1, W2):
    return W2 @ W1


merged_layers = FunctionProblem(
    var="merge_layers", params=("W1", "W2"),
    title="Merge two linear layers into one",
    task=(
        "Two linear layers compute $h = W_1 x$, then $y = W_2 h$. Write `merge_layers(W1, W2)`, "
        "which returns the one weight matrix $W$ with $W x = W_2 (W_1 x)$ for every $x$. "
        "The check tries the notebook's shapes (3 inputs, 4 hidden units, 2 outputs), square "
        "layers (where the order of the product matters) and 1x1 layers."),
    starter=(
        "def merge_layers(W1, W2):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def merge_layers(W1, W2):\n"
        "    # y = W2 (W1 x) = (W2 W1) x: the layer applied first stands on the right\n"
        "    return W2 @ W1"),
    hints=[
        "Write it out: $y = W_2 (W_1 x)$. Matrix products are associative, so this is "
        "$(W_2 W_1)\\,x$.",
        "In NumPy the matrix product is `@` (`*` multiplies element by element). The layer "
        "applied first, $W_1$, stands on the right.",
    ],
    reference=_merged,
    cases=[
        Case("the notebook's shapes, 3 -> 4 -> 2", *_NOTEBOOK_SHAPES),
        Case("square 3x3 layers", *_SQUARE),
        Case("1x1 layers", np.array([[2.0]]), np.array([[-3.0]])),
    ],
    mistakes=[
        Mistake("W1 @ W2 multiplies in the wrong order: y = W2 (W1 x), so the layer applied "
                "first (W1) stands on the right: W2 @ W1.",
                when=lambda o: isinstance(o.error, ValueError) and "matmul" in str(o.error)),
        Mistake("W1 @ W2 multiplies in the wrong order: y = W2 (W1 x), so the layer applied "
                "first (W1) stands on the right: W2 @ W1.",
                like=lambda W1, W2: W1 @ W2),
        Mistake("`*` multiplies element by element (and needs equal shapes); stacking layers "
                "multiplies matrices: use `@`.",
                when=lambda o: isinstance(o.error, ValueError) and "broadcast" in str(o.error)),
        Mistake("`*` multiplies element by element; stacking layers multiplies matrices: use `@`.",
                like=lambda W1, W2: W1 * W2),
    ],
    wrong_answers=[
        ("def merge_layers(W1, W2):\n    return W1 @ W2", "wrong order"),
        ("def merge_layers(W1, W2):\n    return W2 * W1", "element by element"),
        ("def merge_layers(W1, W2):\n    return (W1 @ W2.T).T", "wrong order"),
    ],
    right_answers=[
        "def merge_layers(W1, W2):\n    return np.matmul(W2, W1)",
        "def merge_layers(W1, W2):\n    return np.einsum('ij,jk->ik', W2, W1)",
        "def merge_layers(W1, W2):\n    return (W1.T @ W2.T).T",
        "def merge_layers(W1, W2):\n    return W2.dot(W1)",
    ],
    explanation="However many linear layers you stack, their product is one matrix: depth adds "
                "nothing without a non-linear activation in between.",
)

# A linear model f(x1, x2) = w1 x1 + w2 x2 + b through three given points.
_KNOWN = {(0, 0): 0.2, (0, 1): 0.9, (1, 0): 0.7}


def _f11():
    points = np.array([[x1, x2, 1.0] for x1, x2 in _KNOWN])
    w1, w2, b = np.linalg.solve(points, np.array(list(_KNOWN.values())))
    return float(w1 + w2 + b)


xor_fourth_output = ValueProblem(
    var="f11",
    title="Predict a linear model's fourth XOR output",
    task=(
        "A linear model $f(x_1, x_2) = w_1 x_1 + w_2 x_2 + b$ (any weights) gives "
        "$f(0,0) = 0.2$, $f(0,1) = 0.9$ and $f(1,0) = 0.7$. Without fitting anything, what is "
        "$f(1,1)$? Set `f11` to your answer."),
    starter="f11 = ____   # your answer, a number",
    solution="f11 = 0.9 + 0.7 - 0.2   # f(0,1) + f(1,0) - f(0,0), the identity from the notebook",
    hints=[
        "The notebook showed $f(0,0) + f(1,1) = f(0,1) + f(1,0)$ for every linear model.",
        "So $f(1,1) = f(0,1) + f(1,0) - f(0,0)$.",
    ],
    expected=_f11,
    mistakes=[
        Mistake("0 is what XOR wants at (1, 1), but a linear model cannot give it: its outputs "
                "obey f(0,0) + f(1,1) = f(0,1) + f(1,0).", like=0.0),
        Mistake("That adds f(0,0), where the notebook's identity f(0,0) + f(1,1) = f(0,1) + "
                "f(1,0) subtracts it.", like=0.9 + 0.7 + 0.2),
        Mistake("f(0,1) + f(1,0) counts the bias b twice; subtract f(0,0) = b once.",
                like=0.9 + 0.7),
    ],
    wrong_answers=[(0, "XOR wants"), (1.8, "adds f(0,0)"), (1.6, "bias b twice"),
                   (-1.4, "the sign is wrong"), (14, "about 10**1 times too large"),
                   (1.45, "too large")],
    right_answers=[1.4, 7 / 5, 1.40, np.float32(1.4), np.float64(1.4000001)],
    explanation="The two XOR '1' points and the two '0' points always have the same sum, so no "
                "threshold can put both 1s above and both 0s below.",
)

depth_without_nonlinearity = ChoiceProblem(
    title="Why depth alone cannot solve XOR",
    task="A network stacks 10 layers of 100 units each, all with the linear activation. "
         "Why can it still not solve XOR?",
    options={
        "a": "It can: with enough layers and units, any function can be learned.",
        "b": "The layers multiply into one matrix $W_{10} \\cdots W_2 W_1$, so the whole network "
             "is one linear map, and no linear map separates XOR.",
        "c": "The derivative of the linear activation is 0, so the network cannot learn.",
        "d": "Training is too slow: with a smaller learning rate and more steps it would solve it.",
    },
    answer="b",
    feedback={
        "a": "That holds with a non-linear activation between the layers. With linear ones the "
             "product W10 ... W2 W1 is one matrix: the stack is a single linear layer.",
        "c": "That is the binary step (notebook 02). The linear activation's derivative is 1 "
             "(or its slope) everywhere.",
        "d": "Training cannot help: even the best possible linear fit (least squares, in the "
             "notebook) predicts 0.5 at every point.",
    },
    hints=[
        "Go back to the notebook's check that two layers equal one: what happens with ten?",
        "$W_2 (W_1 x) = (W_2 W_1) x$: a product of matrices is a matrix. And what can one "
        "linear layer do on XOR?",
    ],
    explanation="Depth needs non-linearity: one ReLU hidden layer solves XOR exactly.",
)

# The notebook numbers them q1, q2, ... in this order (its setup cell: binder.bind(globals()))
QUESTIONS = [slope_derivative, merged_layers, xor_fourth_output, depth_without_nonlinearity]
binder = Binder(QUESTIONS)
