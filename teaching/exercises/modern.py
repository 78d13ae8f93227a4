"""Exercises for ``04_modern.ipynb``: a stable softplus, ELU with its alpha, Mish's minimum, why
GELU has a tanh form, and what SELU's self-normalisation needs.

In the notebook's setup cell: ``from teaching.exercises.modern import binder`` and
``binder.bind(globals())``, which defines ``q1``, ``q2``, ... in the order of ``QUESTIONS``.
"""

import numpy as np

import activations_helpers as ah
from teaching.exercises.core import (ARTICLE, Binder, Case, ChoiceProblem, FunctionProblem,
                                     Mistake, number_where_nan_expected, standard_cases,
                                     ValueProblem, warned)

NOTEBOOK = "04_modern.ipynb"


stable_softplus = FunctionProblem(
    var="my_softplus", params=("x",),
    title="A softplus that never overflows",
    task=(
        "Write `my_softplus(x)`, $\\ln(1 + e^{x})$, for a NumPy array `x`, so that it gives the "
        "right values **without any warning** for every input: the article's `np.arange(-5, 6)`, "
        "-1000, +1000 (the answer is 1000), $\\pm\\infty$, NaN (gives NaN) and float32. Use the "
        "identity from the notebook: $\\ln(1 + e^{x}) = \\max(x, 0) + \\ln(1 + e^{-|x|})$. "
        "(Don't silence warnings with `np.errstate`, and don't call the helper `softplus`.)"),
    starter=(
        "def my_softplus(x):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def my_softplus(x):\n"
        "    # e^{-|x|} is in (0, 1]: it never overflows; log1p keeps ln(1 + tiny) exact\n"
        "    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))"),
    hints=[
        "`np.log(1 + np.exp(x))` is right in exact arithmetic, but `np.exp(1000)` is far above the "
        "largest float (about 1.8e308): NumPy returns inf and warns, and log(inf) is inf.",
        "Split off the large part: for x > 0, $\\ln(1 + e^{x}) = x + \\ln(1 + e^{-x})$. Together "
        "with x <= 0 that is $\\max(x, 0) + \\ln(1 + e^{-|x|})$.",
        "`np.maximum(x, 0)`, `np.exp(-np.abs(x))` and `np.log1p(t)` (which is $\\ln(1 + t)$, "
        "exact even for a tiny t) are all you need.",
    ],
    reference=ah.softplus,
    cases=standard_cases(),
    mistakes=[
        Mistake("np.exp overflowed: e^x is too large for a float64 above x = 709 (for a float32 "
                "above x = 88), so np.log(1 + np.exp(x)) gives inf, and NumPy warns, where "
                "softplus(1000) is 1000. Take np.exp only of -|x|: "
                "max(x, 0) + log1p(exp(-|x|)).",
                when=lambda o: warned(o, "overflow")),
        Mistake("That is ReLU, max(x, 0): softplus adds ln(1 + e^{-|x|}) to it, which is ln 2 "
                "(0.693) at x = 0 and fades away on both sides.",
                like=lambda x: np.maximum(x, 0)),
        Mistake("That is softplus(-x) = ln(1 + e^{-x}): the sign of x is flipped. Softplus grows "
                "like x for large positive x and goes to 0 for very negative x.",
                like=lambda x: ah.softplus(-x)),
        Mistake("NaN in, NaN out: the softplus of NaN is NaN.", when=number_where_nan_expected),
    ],
    wrong_answers=[
        ("def my_softplus(x):\n    return np.log(1 + np.exp(x))", "overflowed"),
        ("def my_softplus(x):\n    return np.log1p(np.exp(x))", "overflowed"),
        ("def my_softplus(x):\n    return np.maximum(x, 0)", "That is ReLU"),
        ("def my_softplus(x):\n    return np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))",
         "sign of x is flipped"),
    ],
    right_answers=[
        "def my_softplus(x):\n    return np.logaddexp(0, x)",
        "def my_softplus(x):\n    return np.clip(x, 0, None) + np.log(1 + np.exp(-np.abs(x)))",
        "def my_softplus(x):\n    return np.where(x > 0, x, 0) + np.log1p(np.exp(-np.abs(x)))",
        "def my_softplus(x):\n    return np.logaddexp(x, 0.0)",
    ],
    explanation="The same rearrangement as the stable sigmoid: only ever exponentiate a number "
                "<= 0. np.logaddexp(0, x) computes softplus this way too.",
)


elu_with_alpha = FunctionProblem(
    var="my_elu", params=("x",),
    title="ELU, with its alpha, and no warning",
    task=(
        "Write `my_elu(x, alpha=1.0)`: $x$ where $x > 0$, else $\\alpha\\,(e^{x} - 1)$, for a "
        "NumPy array `x`, without any warning for every input: the article's inputs, -1000, "
        "+1000, $\\pm\\infty$, NaN (gives NaN), float32 and other alphas. Don't call the "
        "helper `elu`."),
    starter=(
        "def my_elu(x, alpha=1.0):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def my_elu(x, alpha=1.0):\n"
        "    # np.where evaluates both branches everywhere: take e^x only of min(x, 0) <= 0\n"
        "    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))"),
    hints=[
        "`np.where(x > 0, x, alpha * (np.exp(x) - 1))` picks the right branch per element, but "
        "it computes **both** branches for every element first: `np.exp(1000)` overflows and "
        "NumPy warns, although that value is then thrown away.",
        "Exponentiate only numbers <= 0: `np.exp(np.minimum(x, 0))`. And `np.expm1(t)` computes "
        "$e^{t} - 1$ exactly even for t near 0.",
    ],
    reference=ah.elu,
    cases=[
        Case("typical values", np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
        Case("the article's inputs", ARTICLE),
        Case("alpha 0.5", np.array([-3.0, -1.0, 0.0, 2.0]), alpha=0.5),
        Case("alpha 2.5", np.array([-3.0, -1.0, 0.0, 2.0]), alpha=2.5),
        Case("very negative and very large inputs", np.array([-1000.0, 1000.0])),
        Case("infinities", np.array([-np.inf, np.inf])),
        Case("NaN", np.array([np.nan, 1.0])),
        Case("float32", np.array([-3.0, 0.0, 3.0], dtype=np.float32)),
    ],
    mistakes=[
        Mistake("np.exp overflowed. np.where(x > 0, x, alpha * (np.exp(x) - 1)) computes both "
                "branches for every element, so np.exp(1000) is computed (inf, and a warning) "
                "even though ELU(1000) is 1000. Take np.exp of np.minimum(x, 0) instead.",
                when=lambda o: warned(o, "overflow")),
        Mistake("alpha is ignored: this is ELU with alpha = 1. The negative side is "
                "alpha (e^x - 1), which approaches -alpha.",
                like=lambda x, alpha=1.0: ah.elu(x)),
        Mistake("The bracket is misplaced: ELU's negative side is alpha (e^x - 1), which is 0 at "
                "x = 0 (no jump), not alpha e^x - 1.",
                like=lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0)) - 1)),
        Mistake("That is ReLU (or leaky ReLU): ELU's negative side is the curve alpha (e^x - 1), "
                "not a straight line.",
                like=lambda x, alpha=1.0: np.maximum(x, 0)),
        Mistake("NaN in, NaN out: ELU of NaN is NaN.", when=number_where_nan_expected),
    ],
    wrong_answers=[
        ("def my_elu(x, alpha=1.0):\n    return np.where(x > 0, x, alpha * (np.exp(x) - 1))",
         "overflowed"),
        ("def my_elu(x, alpha=1.0):\n    return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))",
         "alpha is ignored"),
        ("def my_elu(x, alpha=1.0):\n"
         "    return np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0)) - 1)",
         "bracket is misplaced"),
        ("def my_elu(x, alpha=1.0):\n    return np.maximum(x, 0)", "That is ReLU"),
    ],
    right_answers=[
        "def my_elu(x, alpha=1.0):\n    return np.maximum(x, 0) + alpha * np.expm1(np.minimum(x, 0))",
        "def my_elu(x, alpha=1.0):\n"
        "    return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))",
        "def my_elu(x, alpha=1.0):\n"
        "    return np.piecewise(x.astype(float), [x > 0], [lambda v: v, "
        "lambda v: alpha * np.expm1(v)])",
    ],
    explanation="np.where chooses after computing both sides: keep every side finite for every "
                "input, here with np.minimum(x, 0), and the result never warns.",
)


def _mish_minimum():
    x = np.linspace(-3, 0, 300_001)
    return float(np.min(ah.mish(x)))


def _mish_argmin():
    x = np.linspace(-3, 0, 300_001)
    return float(x[np.argmin(ah.mish(x))])


def _silu_minimum():
    x = np.linspace(-3, 0, 300_001)
    return float(np.min(ah.silu(x)))


mish_minimum = ValueProblem(
    var="mish_min",
    title="Find Mish's minimum",
    task=(
        "Mish, like SiLU, dips below 0 for negative inputs. Find its smallest value numerically, "
        "with the helper `mish` (e.g. on a fine grid of x between -3 and 0). Set `mish_min` to "
        "that value (the value of Mish, not the x where it is)."),
    starter="mish_min = ____   # your answer, a number",
    solution=(
        "x = np.linspace(-3, 0, 300_001)   # steps of 1e-5\n"
        "mish_min = float(np.min(mish(x)))"),
    hints=[
        "The notebook did this for SiLU: evaluate on `np.linspace(-5, 0, 500_001)` and take the "
        "smallest value with `np.min` (or find its index with `np.argmin`).",
        "`x = np.linspace(-3, 0, 300_001)` and then `np.min(mish(x))`.",
    ],
    expected=_mish_minimum, digits=3,
    mistakes=[
        Mistake("That is where the minimum is, x of about -1.19, not its value: evaluate mish "
                "there (np.min(mish(x)) gives the value directly).", like=_mish_argmin()),
        Mistake("That is SiLU's minimum, -0.278. Mish dips a little deeper: evaluate mish, "
                "not silu.",
                like=_silu_minimum()),
        Mistake("x + 1 is the value at the minimum for SiLU only: it follows from SiLU's "
                "derivative, sigma (1 + x (1 - sigma)) = 0. Mish's derivative is different: "
                "evaluate mish itself.", like=_mish_argmin() + 1),
    ],
    wrong_answers=[(-1.1924, "where the minimum is"), (-0.2785, "SiLU's minimum"),
                   (-0.1924, "for SiLU only"), (0.3088, "sign is wrong"),
                   (-0.03088, "about 10**1 times too small"), (-0.31, "Close: it agrees")],
    right_answers=[-0.309, -0.3088, -0.30884, -0.308,
                   float(np.min(ah.mish(np.linspace(-3, 0, 3001))))],
    explanation="Mish's minimum, about -0.309 at x = -1.19, is a little deeper than SiLU's "
                "(-0.278 at x = -1.28).",
)


why_gelu_has_tanh_form = ChoiceProblem(
    title="Why GELU has a tanh form",
    task="BERT and GPT-2 computed GELU with the tanh formula instead of $x\\,\\Phi(x)$. Why?",
    options={
        "a": "The tanh form is more accurate than the exact formula.",
        "b": "The exact form needs erf, which was slow (or missing) in their frameworks; the tanh "
             "form uses fast, vectorised functions and differs from it by less than 5e-4.",
        "c": "The exact GELU is not differentiable at 0, and the tanh form is.",
        "d": "The exact formula overflows for large x.",
    },
    answer="b",
    feedback={
        "a": "It is an approximation of the exact x Phi(x): the notebook measured a difference of "
             "up to 4.7e-4, largest near x = +-2.7.",
        "c": "Both are smooth everywhere: Phi is differentiable, and the notebook plots GELU's "
             "derivative, Phi(x) + x phi(x), without any jump.",
        "d": "Phi(x) is a probability between 0 and 1, so x Phi(x) cannot overflow; written with "
             "erfc it is exact in the tails too.",
    },
    hints=[
        "Look at the notebook's timing chart of the exact and the tanh GELU.",
        "How far apart are the two forms? And what does the exact form need that NumPy lacks?",
    ],
    explanation="The approximation was about speed; with a fast erf (PyTorch's default) the "
                "exact form is used today.",
)


what_selu_needs = ChoiceProblem(
    title="What SELU's self-normalisation needs",
    task=("In the notebook, SELU kept mean 0 and standard deviation 1 through 50 layers. Which "
          "one change to that experiment would break it?"),
    options={
        "a": "A batch of 500 inputs instead of 250.",
        "b": "Weights drawn with variance 2/n (He initialisation) instead of 1/n (LeCun).",
        "c": "100 layers instead of 50.",
        "d": "Another random seed.",
    },
    answer="b",
    feedback={
        "a": "The batch size changes how precisely we measure mean and spread, not what SELU does "
             "to them: each unit still sees inputs of mean 0 and variance 1.",
        "c": "Mean 0 and variance 1 is a fixed point of the layer: more layers stay there (that is "
             "the point of self-normalisation).",
        "d": "A seed changes the numbers a little, not the fixed point: any seed stays near mean "
             "0 and standard deviation 1.",
    },
    hints=[
        "SELU's constants were derived for one weight distribution. Which one?",
        "With weights of variance 2/n every pre-activation has twice the variance: is variance 1 "
        "still what comes out?",
    ],
    explanation="The fixed point assumes weights of mean 0 and variance 1/n (LeCun normal) and "
                "plain dense layers; He initialisation makes the variance grow layer by layer.",
)

# The notebook numbers them q1, q2, ... in this order (its setup cell: binder.bind(globals()))
QUESTIONS = [stable_softplus, elu_with_alpha, mish_minimum, why_gelu_has_tanh_form,
             what_selu_needs]
binder = Binder(QUESTIONS)
