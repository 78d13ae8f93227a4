"""The table of activations: everything the project knows about each one, in one row.

`ACTIVATIONS` maps each activation's name to an `Activation` row: the function and its
derivative (from `activations_helpers`), its parameters with their defaults and slider ranges,
the weight initialisation that suits it, the properties the lessons and tests use, its paper
and the notebooks that use it. Everything else reads it: the sliders
(`teaching.sliders.interactive_activation`), the playground's menu and its network's
initialisation (`teaching.network`), the exercises, the benchmarks and the tests' lists. To add
an activation: its function and derivative in `activations_helpers.py`, one row here, the
notebook prose (README, "Adding an activation").

Why the table lives here and not in `activations_helpers.py`: that module is the math a
learner reads, and should open on `linear`, not on slider ranges and notebook names. The table
is what the project needs to know *about* the math (how to show it, how to train with it), so it
sits in the teaching package beside the other machinery, and imports the functions themselves:
a row holds the function, not its name, so it cannot point at a helper that does not exist.

Examples
--------
>>> from teaching.activations import ACTIVATIONS
>>> row = ACTIVATIONS["leaky_relu"]
>>> row.derivative.__name__, row.init, row.monotone, row.saturating
('leaky_relu_derivative', 'he', True, False)
>>> row.slider_specs
{'alpha': (0.0, 0.5, 0.01, 0.01)}
>>> [name for name, row in ACTIVATIONS.items() if row.zero_centred]
['linear', 'tanh']
"""

from dataclasses import dataclass
from typing import Callable

import activations_helpers as ah

__all__ = ["Activation", "Parameter", "ACTIVATIONS", "INIT_FAMILIES", "helpers", "helper_names"]

# The weight initialisation that keeps a signal's variance through the layers (teaching.network):
INIT_FAMILIES = {
    "he": "He et al. 2015, 'Delving deep into rectifiers': std = sqrt(2 / fan_in)",
    "lecun": "LeCun et al. 1998, 'Efficient BackProp'; Klambauer et al. 2017: std = sqrt(1 / fan_in)",
    "glorot": "Glorot & Bengio 2010: std = sqrt(2 / (fan_in + fan_out))",
}


@dataclass(frozen=True)
class Parameter:
    """One keyword parameter of an activation, as a learner moves it.

    Attributes
    ----------
    name : str
        The keyword, as in the function's signature (e.g. "alpha").
    default : float or str
        Its default, the same as the signature's (a test checks it); sliders start there.
    slider : tuple
        ``(min, max, step)`` for a number; for a parameter that takes one of a few strings, the
        strings (a switch; the default must be one of them).
    """

    name: str
    default: object
    slider: tuple

    @property
    def spec(self):
        """What `teaching.sliders` builds a widget from: ``(min, max, step, start)`` for a
        number, the options with the default first for a switch."""
        if all(isinstance(option, str) for option in self.slider):
            return (self.default, *[o for o in self.slider if o != self.default])
        return (*self.slider, self.default)


@dataclass(frozen=True)
class Activation:
    """One row of the table: an activation and what the project needs to know about it.

    Attributes
    ----------
    function, derivative : callable
        The helper and its derivative dy/dx with the same parameters (for softmax, which is not
        elementwise, `softmax_jacobian`).
    parameters : tuple of Parameter
        Its keyword parameters, with defaults and slider ranges.
    init : {"he", "lecun", "glorot"}
        The initialisation `teaching.network` uses for it (`INIT_FAMILIES`).
    monotone : bool
        Non-decreasing everywhere, with the default parameters.
    saturating : bool
        Bounded on both sides: its derivative goes to 0 as x goes to -inf and to +inf.
    zero_centred : bool
        An odd function, f(-x) = -f(x): symmetric inputs give outputs centred on 0.
    smooth : bool
        The function and its derivative are continuous (no jump, no kink), with the default
        parameters.
    paper : str
        Where it comes from.
    notebooks : tuple of str
        The notebooks that use it (file stems in notebooks/), the one that teaches it first
        (`taught_in`).
    elementwise : bool
        Each output depends on its own input only (softmax couples a whole vector).
    other_derivatives : tuple of callable
        Derivatives with respect to a parameter (PReLU's alpha).
    not_trainable : str
        Empty if the playground's network can train with it; else why not.
    """

    function: Callable
    derivative: Callable
    init: str
    monotone: bool
    saturating: bool
    zero_centred: bool
    smooth: bool
    paper: str
    notebooks: tuple
    parameters: tuple = ()
    elementwise: bool = True
    other_derivatives: tuple = ()
    not_trainable: str = ""

    def __post_init__(self):
        if self.init not in INIT_FAMILIES:
            raise ValueError(f"Activation {self.name}: init must be one of "
                             f"{list(INIT_FAMILIES)}, got {self.init!r}")

    @property
    def name(self):
        return self.function.__name__

    @property
    def taught_in(self):
        """The notebook that teaches it, e.g. "04_modern" for the modern activations."""
        return self.notebooks[0]

    @property
    def trainable(self):
        return not self.not_trainable

    @property
    def helpers(self):
        """The row's functions: the activation, its derivative, any other derivatives."""
        return (self.function, self.derivative, *self.other_derivatives)

    @property
    def defaults(self):
        """``{name: default}`` of its parameters."""
        return {p.name: p.default for p in self.parameters}

    @property
    def slider_specs(self):
        """``{name: spec}`` for `teaching.sliders` (see `Parameter.spec`)."""
        return {p.name: p.spec for p in self.parameters}


def _row(function, derivative, **kwargs):
    return function.__name__, Activation(function, derivative, **kwargs)


# The table, in the order of the notebooks (and of activations_helpers.__all__): this order is
# the playground's menu and the order of the benchmark tables.
ACTIVATIONS = dict([
    # 1. notebook 01-03: the article's activations
    _row(ah.linear, ah.linear_derivative, init="glorot",
         monotone=True, saturating=False, zero_centred=True, smooth=True,
         paper="the identity (no paper): a network of linear layers is one linear map",
         notebooks=("01_linear", "05_playground")),
    _row(ah.binary_step, ah.binary_step_derivative, init="glorot",
         monotone=True, saturating=True, zero_centred=False, smooth=False,
         paper="McCulloch & Pitts, 'A logical calculus of the ideas immanent in nervous "
               "activity', 1943; Rosenblatt's perceptron, 1958",
         notebooks=("02_binary_step",),
         parameters=(Parameter("threshold", 0.0, (-3.0, 3.0, 0.1)),),
         not_trainable="its derivative is 0 everywhere, so backpropagation passes no gradient "
                       "and the weights never change (notebook 02)"),
    _row(ah.sigmoid, ah.sigmoid_derivative, init="glorot",
         monotone=True, saturating=True, zero_centred=False, smooth=True,
         paper="Rumelhart, Hinton & Williams, 'Learning representations by back-propagating "
               "errors', Nature 1986",
         notebooks=("03_nonlinear", "04_modern", "05_playground")),
    _row(ah.tanh, ah.tanh_derivative, init="glorot",
         monotone=True, saturating=True, zero_centred=True, smooth=True,
         paper="LeCun, Bottou, Orr & Mueller, 'Efficient BackProp', 1998",
         notebooks=("03_nonlinear", "04_modern", "05_playground")),
    _row(ah.relu, ah.relu_derivative, init="he",
         monotone=True, saturating=False, zero_centred=False, smooth=False,
         paper="Nair & Hinton, ICML 2010; Glorot, Bordes & Bengio, 'Deep Sparse Rectifier "
               "Neural Networks', AISTATS 2011",
         notebooks=("01_linear", "03_nonlinear", "04_modern", "05_playground")),
    _row(ah.leaky_relu, ah.leaky_relu_derivative, init="he",
         monotone=True, saturating=False, zero_centred=False, smooth=False,
         paper="Maas, Hannun & Ng, 'Rectifier Nonlinearities Improve Neural Network Acoustic "
               "Models', ICML 2013",
         notebooks=("03_nonlinear", "05_playground"),
         parameters=(Parameter("alpha", 0.01, (0.0, 0.5, 0.01)),)),
    _row(ah.prelu, ah.prelu_derivative, init="he",
         monotone=True, saturating=False, zero_centred=False, smooth=False,
         paper="He, Zhang, Ren & Sun, 'Delving Deep into Rectifiers', ICCV 2015 "
               "(arXiv:1502.01852)",
         notebooks=("03_nonlinear", "05_playground"),
         parameters=(Parameter("alpha", 0.25, (-0.5, 1.0, 0.05)),),
         other_derivatives=(ah.prelu_alpha_derivative,)),
    _row(ah.softmax, ah.softmax_jacobian, init="glorot",
         # each output rises with its own score but falls with the others': not monotone
         monotone=False, saturating=True, zero_centred=False, smooth=True,
         paper="Bridle, 'Probabilistic interpretation of feedforward classification network "
               "outputs', 1990",
         notebooks=("03_nonlinear", "05_playground"),
         parameters=(Parameter("temperature", 1.0, (0.1, 5.0, 0.1)),),
         elementwise=False,
         not_trainable="it couples a whole layer (its derivative is a Jacobian, not "
                       "elementwise); the network uses it at the output only"),
    # 2. notebook 04: modern activations
    _row(ah.elu, ah.elu_derivative, init="he",
         monotone=True, saturating=False, zero_centred=False, smooth=True,
         paper="Clevert, Unterthiner & Hochreiter, ICLR 2016 (arXiv:1511.07289)",
         notebooks=("04_modern", "05_playground"),
         parameters=(Parameter("alpha", 1.0, (0.0, 3.0, 0.1)),)),
    _row(ah.selu, ah.selu_derivative, init="lecun",
         # its derivative jumps at 0, from scale * alpha = 1.76 to scale = 1.05
         monotone=True, saturating=False, zero_centred=False, smooth=False,
         paper="Klambauer, Unterthiner, Mayr & Hochreiter, 'Self-Normalizing Neural "
               "Networks', NeurIPS 2017 (arXiv:1706.02515)",
         notebooks=("04_modern", "05_playground")),
    _row(ah.gelu, ah.gelu_derivative, init="he",
         monotone=False, saturating=False, zero_centred=False, smooth=True,
         paper="Hendrycks & Gimpel, 'Gaussian Error Linear Units (GELUs)', 2016 "
               "(arXiv:1606.08415)",
         notebooks=("04_modern", "05_playground"),
         parameters=(Parameter("approximate", "none", ("none", "tanh")),)),
    _row(ah.silu, ah.silu_derivative, init="he",
         monotone=False, saturating=False, zero_centred=False, smooth=True,
         paper="Hendrycks & Gimpel 2016; Ramachandran, Zoph & Le, 'Searching for Activation "
               "Functions', 2017 (arXiv:1710.05941)",
         notebooks=("04_modern", "05_playground")),
    _row(ah.mish, ah.mish_derivative, init="he",
         monotone=False, saturating=False, zero_centred=False, smooth=True,
         paper="Misra, 'Mish: A Self Regularized Non-Monotonic Activation Function', 2019 "
               "(arXiv:1908.08681)",
         notebooks=("04_modern", "05_playground")),
    _row(ah.softplus, ah.softplus_derivative, init="he",
         monotone=True, saturating=False, zero_centred=False, smooth=True,
         paper="Dugas et al., NIPS 2001; Glorot, Bordes & Bengio, AISTATS 2011",
         notebooks=("04_modern", "05_playground"),
         parameters=(Parameter("beta", 1.0, (0.2, 5.0, 0.1)),)),
    _row(ah.hard_sigmoid, ah.hard_sigmoid_derivative, init="glorot",
         monotone=True, saturating=True, zero_centred=False, smooth=False,
         paper="Howard et al., 'Searching for MobileNetV3', ICCV 2019 (arXiv:1905.02244)",
         notebooks=("04_modern", "05_playground")),
    _row(ah.hard_swish, ah.hard_swish_derivative, init="he",
         monotone=False, saturating=False, zero_centred=False, smooth=False,
         paper="Howard et al., 'Searching for MobileNetV3', ICCV 2019 (arXiv:1905.02244)",
         notebooks=("04_modern", "05_playground")),
])


def helpers():
    """``{name: function}`` for every function the table holds (activations, derivatives,
    parameter derivatives), in the table's order: what the tests sweep.

    Examples
    --------
    >>> list(helpers())[:4]
    ['linear', 'linear_derivative', 'binary_step', 'binary_step_derivative']
    """
    return {helper.__name__: helper for row in ACTIVATIONS.values() for helper in row.helpers}


def helper_names():
    """The names of `helpers`, in the table's order."""
    return [helper.__name__ for row in ACTIVATIONS.values() for helper in row.helpers]
