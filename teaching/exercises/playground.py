"""Exercises for ``05_playground.ipynb``: the backward step, a gradient through sigmoid layers,
why a linear network cannot bend, dead ReLU units, and settings that fit the spiral.

In the notebook's setup cell: ``from teaching.exercises.playground import binder`` and
``binder.bind(globals())``, which defines ``q1``, ``q2``, ... in the order of ``QUESTIONS``.

`SettingsProblem` is a kind of question of this notebook only: the answer is a dict of playground
settings, and the check trains the network they describe and compares its test accuracy with a
target.
"""

import numbers

import numpy as np

import activations_helpers as ah
from teaching.exercises.core import (Binder, Case, ChoiceProblem, fmt, FunctionProblem, is_blank,
                                     Mistake, ValueProblem, _VariableProblem)

NOTEBOOK = "05_playground.ipynb"


# ----------------------------------------------------------------------------------------------
# one step of backpropagation
# ----------------------------------------------------------------------------------------------

def _backward_step(delta, W, z):
    return (delta @ W.T) * ah.tanh_derivative(z)


_rng = np.random.default_rng(5)
_DELTA, _W, _Z = _rng.normal(size=(4, 3)), _rng.normal(size=(5, 3)), _rng.normal(size=(4, 5))


def _shape_error(outcome):
    return isinstance(outcome.error, ValueError) and "matmul" in str(outcome.error)


backward_step = FunctionProblem(
    var="my_backward_step", params=("delta", "W", "z"),
    title="One step of backpropagation",
    task=(
        "Write `my_backward_step(delta, W, z)`: given the error `delta` = $\\partial L/\\partial "
        "z^{(l)}$ of a layer (shape (n, units of layer l)), that layer's weights `W` (shape "
        "(units of layer l-1, units of layer l)) and the previous layer's pre-activations `z` = "
        "$z^{(l-1)}$ (shape (n, units of layer l-1)), return the previous layer's error "
        "$\\delta^{(l-1)} = (\\delta W^\\top) \\odot f'(z^{(l-1)})$ for a **tanh** network. Use "
        "the helper `tanh_derivative` (section 2 shows `MLP._backward`)."),
    starter=(
        "def my_backward_step(delta, W, z):\n"
        "    return ____   # replace ____ with your code"),
    solution=(
        "def my_backward_step(delta, W, z):\n"
        "    return (delta @ W.T) * tanh_derivative(z)   # back through W, then through tanh"),
    hints=[
        "Two factors: the weights carry the error back (`delta @ W.T`: shape (n, units of l-1)), "
        "and the activation's slope at each unit multiplies it elementwise.",
        "The slope is the derivative at the pre-activation: `tanh_derivative(z)`, not `tanh(z)`.",
    ],
    reference=_backward_step,
    cases=[
        Case("one example, 3 -> 2 units", np.array([[0.5, -1.0]]),
             np.array([[1.0, 2.0], [-0.5, 0.3], [0.4, -0.2]]), np.array([[0.2, -1.5, 0.7]])),
        Case("a batch of 4, 5 -> 3 units", _DELTA, _W, _Z),
    ],
    mistakes=[
        Mistake("You left out the activation: the chain rule multiplies by f'(z), here "
                "tanh_derivative(z), as the error passes back through each layer.",
                like=lambda delta, W, z: delta @ W.T),
        Mistake("You multiplied by tanh(z), the activation itself; the chain rule needs its "
                "derivative, tanh_derivative(z).",
                like=lambda delta, W, z: (delta @ W.T) * ah.tanh(z)),
        Mistake("The shapes do not fit: delta is (n, units of l) and W is (units of l-1, "
                "units of l), so the error goes back with delta @ W.T.", when=_shape_error),
    ],
    wrong_answers=[
        ("def my_backward_step(delta, W, z):\n    return delta @ W.T", "left out the activation"),
        ("def my_backward_step(delta, W, z):\n    return (delta @ W.T) * tanh(z)",
         "the activation itself"),
        ("def my_backward_step(delta, W, z):\n    return (delta @ W) * tanh_derivative(z)",
         "The shapes do not fit"),
    ],
    explanation="This line, repeated from the output back to the first layer, is all of "
                "backpropagation: `MLP._backward` does exactly this with any activation's "
                "`<name>_derivative`.",
)


# ----------------------------------------------------------------------------------------------
# how much of the gradient survives six sigmoid layers, at best
# ----------------------------------------------------------------------------------------------

best_case_factor = ValueProblem(
    var="best_case_factor",
    title="The best a sigmoid network can do",
    task=(
        "Backpropagation multiplies the error by $f'(z)$ once per hidden layer. The sigmoid's "
        "derivative is at most 0.25 (notebook 03). Leaving the weights aside, what is the largest "
        "factor by which the activations' derivatives can scale the error on its way back through "
        "the **six** sigmoid layers of section 6? Set `best_case_factor` to that number."),
    starter="best_case_factor = ____   # a number",
    solution="best_case_factor = 0.25 ** 6   # at most 0.25 per layer, six layers",
    hints=[
        "One layer: at most 0.25. Two layers: the factors multiply, 0.25 * 0.25.",
        "Six layers: 0.25 ** 6 (in Python `**` is the power).",
    ],
    expected=0.25 ** 6, rtol=1e-6,
    mistakes=[
        Mistake("That is one layer; the factor applies at every one of the six layers, and the "
                "factors multiply.", like=0.25),
        Mistake("The factors multiply, they do not add: 0.25 ** 6, not 0.25 * 6.", like=0.25 * 6),
        Mistake("1 would be tanh's best (its derivative peaks at 1); the sigmoid's peaks at 0.25.",
                like=1.0),
    ],
    wrong_answers=[(0.25, "every one of the six"), (1.5, "do not add"), (1.0, "tanh's best")],
    explanation="About 0.00024: even in the best case the first layer gets four thousand times "
                "less signal than the last. Section 6 measured 5e+04 between the first and the "
                "last layer's weight gradients.",
)


# ----------------------------------------------------------------------------------------------
# why a linear network stays near chance
# ----------------------------------------------------------------------------------------------

linear_depth = ChoiceProblem(
    title="Why depth does not help a linear network",
    task="In section 4 the linear network stayed near 50% on the spiral with 1, 2, 3 or 4 "
         "hidden layers. Why?",
    options={
        "a": "The learning rate was too small for a deep linear network to converge.",
        "b": "A composition of linear maps is one linear map: the boundary p = 0.5 is a straight "
             "line, whatever the depth, and no straight line separates two spirals.",
        "c": "Eight units per layer are too few; with 100 units it would fit the spiral.",
        "d": "The gradient vanishes through linear layers, as it does through sigmoid layers.",
    },
    answer="b",
    feedback={
        "a": "Its loss had long stopped falling (see the final losses in section 5): it found "
             "the best straight line. More steps or other rates cannot turn a line into a spiral.",
        "c": "Width does not help either: W1 W2 ... is still one matrix, however wide each is.",
        "d": "The identity's derivative is 1 everywhere: nothing shrinks. The model is simply "
             "too weak: a straight line.",
    },
    hints=[
        "Multiply out two linear layers: (x W1 + b1) W2 + b2 = x (W1 W2) + (b1 W2 + b2).",
        "Look at the linear network's boundary in section 5: what shape is it?",
    ],
    explanation="Notebook 01 showed it for two layers; the boundary pictures show it here.",
)


# ----------------------------------------------------------------------------------------------
# dead units
# ----------------------------------------------------------------------------------------------

def context():
    """The names the notebook defines before its exercises that the questions use."""
    from teaching.datasets import make_dataset
    from teaching.playground import train_network

    circle = make_dataset("circle", 400, noise=0.05, seed=0)
    points = np.concatenate([circle.X_train, circle.X_test])
    return {"circle": circle, "points": points, "train_network": train_network}


def _dead_at_rate_1():
    names = context()
    net = names["train_network"](names["circle"], "relu", (8, 8, 8), learning_rate=1.0,
                                 batch_size=32, epochs=200, seed=0)
    return sum(net.dead_units(names["points"]))


dead_units_at_rate_1 = ValueProblem(
    var="dead_total",
    title="Dead units at a learning rate in between",
    task=(
        "Section 7 trained three ReLU layers of 8 units on the circle with learning rates 0.3 "
        "and 3. Train the same network (`train_network(circle, \"relu\", (8, 8, 8), "
        "learning_rate=1.0, batch_size=32, epochs=200, seed=0)`) with a learning rate of **1.0**, "
        "and set `dead_total` to its number of dead units in all three layers together, counted "
        "on `points` as in section 7."),
    starter="dead_total = ____   # a whole number, out of 24",
    solution=(
        "net = train_network(circle, \"relu\", (8, 8, 8), learning_rate=1.0, batch_size=32,\n"
        "                    epochs=200, seed=0)\n"
        "dead_total = sum(net.dead_units(points))"),
    hints=[
        "`net.dead_units(points)` returns a list: one count per hidden layer.",
        "Add the three counts: `sum(net.dead_units(points))`.",
    ],
    expected=_dead_at_rate_1, rtol=0, atol=0,
    mistakes=[
        Mistake("That is one layer's count (or the whole count at learning rate 0.3): add the "
                "three layers' counts of the network trained at 1.0.", like=1),
        Mistake("That is the count at learning rate 3 (section 7); train at 1.0.", like=17),
        Mistake("24 would be every unit: then the network would output a constant. Count only "
                "the units whose derivative is 0 at every point.", like=24),
    ],
    wrong_answers=[(24, "every unit"), (17, "learning rate 3"), (1, "one layer's count")],
    explanation="Between the two learning rates of section 7, between the two counts: the larger "
                "the step, the more units a single update can push below 0 for good.",
)


# ----------------------------------------------------------------------------------------------
# fit the spiral with at most 8 units per layer
# ----------------------------------------------------------------------------------------------

class SettingsProblem(_VariableProblem):
    """ "Find settings that work": the answer is a dict of playground settings; the check trains
    that network (seed 0) and compares its test accuracy with `target`.

    Parameters
    ----------
    name, title, task, starter, solution, hints, explanation : see `Problem`
    var : str
        The variable the learner sets (a dict).
    dataset : Dataset
        What the network trains and is tested on.
    target : float
        The test accuracy to reach, in [0, 1].
    limits : dict
        ``{setting: (low, high)}`` for numeric settings, checked before training.
    mistakes : list of Mistake
        ``Mistake(message, when=predicate(settings, accuracy))``; the first that applies is shown.
    wrong_answers : list of (dict, str)
    """

    kind = "settings"
    KEYS = ("activation", "hidden_layers", "units", "learning_rate", "batch_size", "epochs")

    def __init__(self, var, dataset, target, limits, mistakes=(), **kwargs):
        super().__init__(var, **kwargs)
        self._dataset, self.target, self.limits = dataset, target, dict(limits)
        self.mistakes = list(mistakes)

    @property
    def dataset(self):
        if callable(self._dataset):
            self._dataset = self._dataset()
        return self._dataset

    def train(self, settings):
        from teaching.playground import train_network

        return train_network(self.dataset, settings["activation"],
                             (settings["units"],) * settings["hidden_layers"],
                             learning_rate=settings["learning_rate"],
                             batch_size=settings["batch_size"], epochs=settings["epochs"], seed=0)

    def _problem_with(self, settings):
        """What is wrong with the dict itself (before any training), or None."""
        from teaching.network import trainable_activations

        if not isinstance(settings, dict):
            return f"`{self.var}` should be a dict of settings, but it is {type(settings).__name__}"
        missing = [k for k in self.KEYS if k not in settings or is_blank(settings[k])]
        if missing:
            return f"`{self.var}` needs a value for {', '.join(map(repr, missing))}"
        if settings["activation"] not in trainable_activations():
            return (f"activation {fmt(settings['activation'])} is not one the network can train "
                    f"with; choose from {', '.join(trainable_activations())}")
        for key, (low, high) in self.limits.items():
            value = settings[key]
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
                    not low <= value <= high:
                return f"{key} must be a number from {fmt(low)} to {fmt(high)}, got {fmt(value)}"
            if key != "learning_rate" and value != int(value):
                return f"{key} must be a whole number, got {fmt(value)}"
        return None

    def evaluate(self, answer):
        if is_blank(answer) or (isinstance(answer, dict) and
                                all(is_blank(v) for v in answer.values())):
            return self._not_attempted(f"fill in the settings in `{self.var}` (replace each ____)")
        problem = self._problem_with(answer)
        if problem is not None:
            return self._incorrect(problem + ".")
        settings = {k: answer[k] if k in ("activation", "learning_rate") else int(answer[k])
                    for k in self.KEYS}
        net = self.train(settings)
        accuracy = net.accuracy(self.dataset.X_test, self.dataset.y_test)
        shown = ", ".join(f"{k}={fmt(v)}" for k, v in settings.items())
        if accuracy >= self.target:
            return self._correct(f"With {shown}: test accuracy {accuracy:.0%} "
                                 f"(target {self.target:.0%}).")
        text = (f"With {shown}:\n  expected: test accuracy of at least {self.target:.0%}\n"
                f"  received: {accuracy:.0%} (final training loss "
                f"{net.history['train_loss'][-1]:.2f})")
        for mistake in self.mistakes:
            try:
                hit = mistake.when(settings, accuracy)
            except Exception:  # a symptom test that does not apply
                hit = False
            if hit:
                text += "\n" + mistake.message
                break
        return self._incorrect(text)


def _spiral():
    from teaching.datasets import make_dataset

    return make_dataset("spiral", 400, noise=0.05, seed=0)


_SATURATING = {"sigmoid", "hard_sigmoid"}

fit_the_spiral = SettingsProblem(
    var="settings",
    title="Fit the spiral",
    task=(
        "Find settings with which the network reaches **at least 90% test accuracy** on the "
        "spiral of sections 4 and 5 (`make_dataset(\"spiral\", 400, noise=0.05, seed=0)`, "
        "seed 0), with **at most 8 units per layer**, at most 4 hidden layers and at most 2000 "
        "epochs. Try them in the playground (section 8, data: spiral, noise 0.05) and copy the "
        "ones that work into the dict. The check trains that network (a few seconds at most)."),
    starter=(
        "settings = {\"activation\": ____, \"hidden_layers\": ____, \"units\": ____,\n"
        "            \"learning_rate\": ____, \"batch_size\": ____, \"epochs\": ____}"),
    solution=(
        "settings = {\"activation\": \"tanh\", \"hidden_layers\": 2, \"units\": 8,\n"
        "            \"learning_rate\": 0.3, \"batch_size\": 32, \"epochs\": 1000}"),
    hints=[
        "The activation matters most: in section 5, which ones reached 94% or more in 600 epochs? "
        "Linear, sigmoid and hard sigmoid cannot get there in this budget.",
        "Use all 8 units in 2 or 3 layers; a learning rate of 0.1 to 0.3 with batches of 16 or "
        "32 and 1000 epochs or more is a good start. If the loss curve jumps about, lower the "
        "learning rate.",
    ],
    dataset=_spiral, target=0.9,
    limits={"hidden_layers": (1, 4), "units": (1, 8), "epochs": (1, 2000),
            "batch_size": (1, 200), "learning_rate": (1e-4, 10.0)},
    mistakes=[
        Mistake("A linear activation makes the whole network one linear map: its boundary is a "
                "straight line, whatever the depth (section 4). Pick a non-linear activation.",
                when=lambda s, acc: s["activation"] == "linear"),
        Mistake("The sigmoid's derivative is at most 0.25 (hard sigmoid's 1/6), so these "
                "networks learn very slowly (section 6). Try tanh or a ReLU-like activation.",
                when=lambda s, acc: s["activation"] in _SATURATING),
        Mistake("With so few units the boundary has too few pieces to follow the spiral: use up "
                "to 8 per layer.", when=lambda s, acc: s["units"] * s["hidden_layers"] < 8),
        Mistake("A learning rate this large makes the steps overshoot, and ReLU units die "
                "(section 7): try 0.1 to 0.3.", when=lambda s, acc: s["learning_rate"] >= 1.0),
        Mistake("The network has not finished learning: give it more epochs or a larger "
                "learning rate (the loss is still falling).",
                when=lambda s, acc: s["epochs"] < 500 or s["learning_rate"] < 0.03),
    ],
    wrong_answers=[
        ({"activation": "linear", "hidden_layers": 4, "units": 8, "learning_rate": 0.3,
          "batch_size": 32, "epochs": 600}, "straight line"),
        ({"activation": "sigmoid", "hidden_layers": 2, "units": 8, "learning_rate": 0.3,
          "batch_size": 32, "epochs": 600}, "learn very slowly"),
        ({"activation": "relu", "hidden_layers": 2, "units": 8, "learning_rate": 0.3,
          "batch_size": 32, "epochs": 100}, "more epochs"),
        ({"activation": "tanh", "hidden_layers": 2, "units": 16, "learning_rate": 0.3,
          "batch_size": 32, "epochs": 600}, "units must be a number from 1 to 8"),
    ],
    explanation="Tanh and the ReLU family bend the boundary round the arms; how fast they get "
                "there depends on the learning rate and the batch size as much as on the "
                "activation.",
)

# The notebook numbers them q1, q2, ... in this order (its setup cell: binder.bind(globals()))
QUESTIONS = [backward_step, best_case_factor, linear_depth, dead_units_at_rate_1, fit_the_spiral]
binder = Binder(QUESTIONS)
