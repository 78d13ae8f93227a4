"""Exercises for ``02_binary_step.ipynb``: the threshold, the zero gradient, a neuron that learns.

In the notebook's setup cell: ``from teaching.exercises.binary_step import binder`` and
``binder.bind(globals())``, which defines ``q1``, ``q2``, ... in the order of ``QUESTIONS``.
"""

import numpy as np

import activations_helpers as ah
from teaching.exercises.core import (Binder, Case, ChoiceProblem, FunctionProblem, Mistake,
                                     ValueProblem)
NOTEBOOK = "02_binary_step.ipynb"


def _fires_at_nan(o):
    x = np.asarray(o.case.args[0], dtype=float)
    value = np.asarray(o.value, dtype=float)
    return bool(np.isnan(x).any()) and not np.isnan(value[np.isnan(x)]).all()


step_function = FunctionProblem(
    var="my_step", params=("x",),
    title="Write the binary step",
    task=(
        "Write `my_step(x, threshold=0.0)`: 1.0 where $x \\ge \\theta$, 0.0 where $x < \\theta$, "
        "as a float array of `x`'s shape, and NaN where `x` is NaN. `x` is a NumPy array; the "
        "check tries typical values, the article's inputs `np.arange(-3, 4)`, other thresholds, "
        "-1000, $\\pm\\infty$, NaN and float32."),
    starter=(
        "def my_step(x, threshold=0.0):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def my_step(x, threshold=0.0):\n"
        "    # 1 at and above the threshold, 0 below; NaN is neither, so it stays NaN\n"
        "    return np.where(x >= threshold, 1.0, np.where(x < threshold, 0.0, np.nan))"),
    hints=[
        "`x >= threshold` is an array of True/False. `np.where(condition, 1.0, 0.0)` turns it "
        "into floats.",
        "At the threshold itself the neuron fires: use `>=`, not `>`.",
        "NaN is neither `>=` nor `<` any number: one `np.where` for 1.0, and inside it a "
        "second for 0.0, leaves a third case over for NaN.",
    ],
    reference=ah.binary_step,
    cases=[
        Case("typical values", np.array([-2.0, -0.5, 0.5, 2.0])),
        Case("the article's inputs", np.arange(-3, 4)),
        Case("threshold 1.5", np.arange(-3, 4), threshold=1.5),
        Case("threshold -1", np.array([-2.0, -1.0, 0.0]), threshold=-1.0),
        Case("extreme values", np.array([-1000.0, 1000.0, -np.inf, np.inf])),
        Case("NaN", np.array([np.nan, 1.0, -1.0])),
        Case("float32", np.array([-1.0, 0.0, 1.0], dtype=np.float32), threshold=0.5),
    ],
    mistakes=[
        Mistake("At the threshold itself the neuron fires: step(threshold) is 1, so compare "
                "with `>=`, not `>`.",
                like=lambda x, threshold=0.0: np.where(x > threshold, 1.0, 0.0)),
        Mistake("This ignores `threshold`: it compares with 0 whatever the threshold is.",
                like=lambda x, threshold=0.0: np.where(x >= 0, 1.0, 0.0)),
        Mistake("The outputs are swapped: 1 below the threshold and 0 above it.",
                like=lambda x, threshold=0.0: np.where(x >= threshold, 0.0, 1.0)),
        Mistake("NaN in, NaN out: NaN is neither >= nor < the threshold, but np.where(x >= "
                "threshold, 1.0, 0.0) makes it 0. Nest a second np.where(x < threshold, 0.0, "
                "np.nan).", when=_fires_at_nan),
    ],
    wrong_answers=[
        ("def my_step(x, threshold=0.0):\n    return np.where(x > threshold, 1.0, 0.0)",
         "At the threshold itself"),
        ("def my_step(x, threshold=0.0):\n    return np.where(x >= 0, 1.0, 0.0)",
         "ignores `threshold`"),
        ("def my_step(x, threshold=0.0):\n    return x >= threshold", "True/False"),
        ("def my_step(x, threshold=0.0):\n    return np.where(x >= threshold, 1.0, 0.0)",
         "NaN in, NaN out"),
    ],
    right_answers=[
        "def my_step(x, threshold=0.0):\n    return np.heaviside(x - threshold, 1.0)",
        "def my_step(x, threshold=0.0):\n    return np.sign(np.sign(x - threshold) + 0.5) / 2 + 0.5",
        "def my_step(x, threshold=0.0):\n"
        "    return np.where(np.isnan(x), np.nan, (x >= threshold).astype(float))",
        "def my_step(x, threshold=0.0):\n"
        "    return np.array([float(v >= threshold) if v == v else v for v in x.astype(float)])",
    ],
    explanation="The step only says on or off; its derivative, 0 away from the jump, is what "
                "stops it from learning.",
)


def _firing_count():
    return int(ah.binary_step(np.arange(-3, 4), threshold=1.0).sum())


firing_count = ValueProblem(
    var="firing",
    title="Which inputs fire?",
    task=(
        "With the threshold set to $\\theta = 1$, how many of the article's inputs "
        "$-3, -2, \\dots, 3$ make the step neuron fire (output 1)? Work it out first, then check "
        "with `binary_step`. Set `firing` to the count."),
    starter="firing = ____   # a count: how many of -3 ... 3 give 1",
    solution="firing = int(binary_step(np.arange(-3, 4), threshold=1.0).sum())   # 1, 2 and 3",
    hints=[
        "The neuron fires where $x \\ge \\theta$.",
        "Does $x = 1$ fire when $\\theta = 1$? Look at the formula: is it > or >=?",
    ],
    expected=_firing_count, exact=True,
    mistakes=[
        Mistake("At the threshold itself the neuron fires: x = 1 counts when the threshold is 1.",
                like=lambda: _firing_count() - 1),
        Mistake("0 is below the threshold 1, so it does not fire (0 fires only with threshold 0).",
                like=lambda: _firing_count() + 1),
        Mistake("That is a fraction; give the count of inputs that fire.",
                when=lambda a: 0 < float(a) < 1),
    ],
    wrong_answers=[(2, "At the threshold itself"), (4, "does not fire"),
                   (3 / 7, "fraction"), (7, "not the count"), (2.5, "whole number")],
    right_answers=[3, 3.0, np.int64(3), np.float32(3.0)],
    explanation="Inputs 1, 2 and 3 fire: x >= 1, and the threshold itself counts.",
)

zero_gradient_step = ChoiceProblem(
    title="What one gradient step does to a step neuron",
    task="A step neuron $y = \\mathrm{step}(w x + b)$ is wrong on most of its training points. "
         "What does one step of gradient descent on the squared error do to $w$, from any "
         "starting weight?",
    options={
        "a": "It moves $w$ towards the right sign, only more slowly than for a sigmoid neuron.",
        "b": "Nothing: $f'(z) = 0$ wherever $z \\ne \\theta$, so $\\partial L / \\partial w = 0$ "
             "and the update is zero.",
        "c": "It makes $w$ NaN, because the derivative is infinite at the jump.",
        "d": "It flips the sign of $w$ at every step, so training oscillates.",
    },
    answer="b",
    feedback={
        "a": "A sigmoid's gradient is small but not zero. The step's is exactly 0: the chain rule "
             "multiplies by f'(wx + b) = 0, so dw = 0 however wrong the neuron is.",
        "c": "The jump is hit only when wx + b equals the threshold exactly. There the step has no "
             "derivative at all (binary_step_derivative returns 0 by convention, nothing infinite "
             "reaches w); everywhere else it is 0.",
        "d": "To flip w, the update must be non-zero, but dw = mean(2 (y - t) f'(z) x) with "
             "f'(z) = 0 is 0.",
    },
    hints=[
        "Look at the chain rule in the notebook: which factor is the activation's derivative?",
        "What is `binary_step_derivative` on any input? And what is a sum of terms that each "
        "contain it as a factor?",
    ],
    explanation="The notebook's step neuron kept w = -1.0 and b = 0.0 exactly: the error is "
                "there, but no gradient carries it back.",
)

# The notebook's experiment: nine inputs, targets from the step, one neuron y = f(w x + b).
_X = np.linspace(-2, 2, 9)
_TARGET = ah.binary_step(_X)


def _gradients(activation, derivative, w, b):
    """The notebook's `gradients`: loss, dL/dw and dL/db of the mean squared error."""
    z = w * _X + b
    error = activation(z) - _TARGET
    loss = np.mean(error ** 2)
    dw = np.mean(2 * error * derivative(z) * _X)
    db = np.mean(2 * error * derivative(z))
    return loss, dw, db


def context():
    """The names the notebook defines before its exercises that the solutions use."""
    return {"gradients": _gradients, "x": _X.copy(), "target": _TARGET.copy()}


sigmoid_gradient = ValueProblem(
    var="dw_sigmoid",
    title="The gradient a sigmoid neuron gets",
    task=(
        "Put a sigmoid in the step's place, at the same bad start $w = -1$, $b = 0$. Use the "
        "notebook's `gradients` function to compute $\\partial L / \\partial w$ and set "
        "`dw_sigmoid` to it."),
    starter="dw_sigmoid = ____   # use gradients(...) from the gradient-descent cell",
    solution="dw_sigmoid = gradients(sigmoid, sigmoid_derivative, -1.0, 0.0)[1]   # (loss, dw, db)",
    hints=[
        "`gradients(activation, derivative, w, b)` returns three numbers: the loss, dw and db.",
        "Pass `sigmoid, sigmoid_derivative, -1.0, 0.0` and take the second value, `[1]`.",
    ],
    expected=lambda: float(_gradients(ah.sigmoid, ah.sigmoid_derivative, -1.0, 0.0)[1]),
    mistakes=[
        Mistake("0 is the step neuron's gradient. Pass `sigmoid, sigmoid_derivative` to "
                "`gradients`: the sigmoid's derivative is never 0.", like=0.0),
        Mistake("That is the loss, the first of the three values `gradients` returns; dw is the "
                "second, `[1]`.",
                like=lambda: float(_gradients(ah.sigmoid, ah.sigmoid_derivative, -1.0, 0.0)[0])),
        Mistake("That is db, the third value; dw is the second, `[1]`.",
                like=lambda: float(_gradients(ah.sigmoid, ah.sigmoid_derivative, -1.0, 0.0)[2])),
        Mistake("The sign is flipped. dw is negative here: gradient descent subtracts it, so w "
                "grows from -1 towards the right sign.",
                like=lambda: -float(_gradients(ah.sigmoid, ah.sigmoid_derivative, -1.0, 0.0)[1])),
    ],
    wrong_answers=[
        (0.0, "step neuron's gradient"),
        (float(_gradients(ah.sigmoid, ah.sigmoid_derivative, -1.0, 0.0)[0]), "the loss"),
        (float(_gradients(ah.sigmoid, ah.sigmoid_derivative, -1.0, 0.0)[2]), "That is db"),
        (-float(_gradients(ah.sigmoid, ah.sigmoid_derivative, -1.0, 0.0)[1]), "sign is flipped"),
        (-0.026, "about 10**1 times too small"), (-0.26, "Close: it agrees"),
        (-0.2, "too small"), (-0.3, "too large")],
    right_answers=[-0.2599, -0.2598, -0.259884, -0.25988, np.float32(-0.259884)],
    explanation="A negative dw: the update w - rate * dw raises w, which is how the sigmoid "
                "neuron turned its weight around in ten steps.",
)

# The notebook numbers them q1, q2, ... in this order (its setup cell: binder.bind(globals()))
QUESTIONS = [step_function, firing_count, zero_gradient_step, sigmoid_gradient]
binder = Binder(QUESTIONS)
