"""A small multilayer perceptron in NumPy, trained with the activations a learner has met.

The playground (notebook 05) trains this network. It is short on purpose: every hidden layer
computes ``a = f(a_prev @ W + b)`` with an activation ``f`` of `activations_helpers`, and the
backward pass is the chain rule written out with the same module's ``f_derivative``. Nothing
here knows a formula of its own: pick any activation that has a derivative and it trains.

- output: one sigmoid unit with binary cross-entropy (two classes), or a softmax with
  cross-entropy (more classes); both give the output error ``p - y``;
- training: mini-batch gradient descent, optional L2 penalty ``l2/2 * sum(W**2)``;
- initialisation by activation: He for the ReLU family, LeCun for SELU, Glorot otherwise;
- seeded: the same arguments give the same weights, batches and losses, bit for bit.
"""

import math
import numbers

import numpy as np

import activations_helpers
from teaching.activations import ACTIVATIONS

__all__ = ["MLP", "trainable_activations", "EXCLUDED_ACTIVATIONS", "init_scale"]

# Activations the network will not train with, and why (the table's `not_trainable`).
EXCLUDED_ACTIVATIONS = {name: row.not_trainable for name, row in ACTIVATIONS.items()
                        if not row.trainable}

# Initialisation by activation (weights ~ N(0, std^2), biases 0), the table's `init`:
#   He et al. 2015, "Delving deep into rectifiers": std = sqrt(2 / fan_in) keeps the variance of
#     the signal through layers that zero (about) half their inputs: the ReLU family;
#   LeCun et al. 1998 / Klambauer et al. 2017, "Self-normalizing neural networks": std =
#     sqrt(1 / fan_in), which SELU's fixed point assumes;
#   Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward neural
#     networks": std = sqrt(2 / (fan_in + fan_out)) for symmetric, saturating functions.


def trainable_activations():
    """The names of the activations the network can train with, in the table's order.

    Every row of `teaching.activations.ACTIVATIONS` that is not marked `not_trainable`: a row
    added to the table appears here (and in the playground's menu) without any change to this
    module.

    Returns
    -------
    list of str

    Examples
    --------
    >>> names = trainable_activations()
    >>> [n in names for n in ["linear", "sigmoid", "tanh", "relu", "binary_step"]]
    [True, True, True, True, False]
    """
    return [name for name, row in ACTIVATIONS.items() if row.trainable]


def init_scale(activation, fan_in, fan_out):
    """The standard deviation of a layer's initial weights for `activation`.

    He, ``sqrt(2 / fan_in)``, for the ReLU family; LeCun, ``sqrt(1 / fan_in)``, for SELU;
    Glorot, ``sqrt(2 / (fan_in + fan_out))``, for every other (see the module's references).

    Examples
    --------
    >>> round(init_scale("relu", 8, 8), 4), round(init_scale("tanh", 8, 8), 4)
    (0.5, 0.3536)
    """
    family = ACTIVATIONS[activation].init
    if family == "he":
        return math.sqrt(2.0 / fan_in)
    if family == "lecun":
        return math.sqrt(1.0 / fan_in)
    return math.sqrt(2.0 / (fan_in + fan_out))  # glorot


# A run whose steps are too large overflows; `fit` notices it (`MLP.diverged_at`) and stops,
# so NumPy's overflow warnings would only repeat what the history already says.
_QUIET = {"over": "ignore", "invalid": "ignore", "divide": "ignore"}

# Where the fast path is compared with the checked helper: a spread of values, the kinks of
# the module's activations (0 and +-3) and their neighbours.
_PROBE = np.concatenate([np.linspace(-6.0, 6.0, 241), [-3.0, 0.0, 3.0, -1e-12, 1e-12]])


def _fast(name, params):
    """The activation `name` and its derivative, as the functions the training loop calls.

    Every helper of `activations_helpers` checks and converts its input on every call (a
    decorator around the formula); on the small batches of the playground that costs more than
    the formula itself. Our arrays are float64 already, so the loop calls the formula directly
    (``helper.unchecked``, the body `show_code` shows, whose own calls of other helpers skip
    their checks too) -- after checking, once, that it gives exactly what the helper gives with
    these parameters, here; else it keeps the helper. The helpers also check `params` on this
    first call, so a bad parameter is reported at once.
    """
    row = ACTIVATIONS[name]
    return tuple(_fast_helper(helper, params) for helper in (row.function, row.derivative))


def _fast_helper(helper, params):
    """`helper`'s formula without its input check, if it computes exactly the same; else
    `helper` (see `_fast`)."""
    checked = helper(_PROBE, **params)  # raises the helper's own error for bad params
    body = getattr(helper, "unchecked", None)
    try:
        same = body is not None and np.array_equal(body(_PROBE, **params), checked,
                                                   equal_nan=True)
    except Exception:  # a body that needs what the check does for it: keep the helper
        same = False
    return body if same else helper


def _positive_int(value, func_name, name):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{func_name}: {name} must be an integer, not {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{func_name}: {name} must be at least 1, got {value}")
    return int(value)


def _non_negative(value, func_name, name, positive=False):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func_name}: {name} must be a real number, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise ValueError(f"{func_name}: {name} must be a finite number "
                         f"{'> 0' if positive else '>= 0'}, got {value}")
    return float(value)


class MLP:
    """A dense network: inputs -> hidden layers with one activation -> sigmoid or softmax.

    Parameters
    ----------
    n_inputs : int
        Features per example (2 for the playground's points).
    hidden : sequence of int
        Units per hidden layer, e.g. ``(8, 8)``; empty for logistic regression.
    activation : str, default "tanh"
        The hidden layers' activation: a name from `trainable_activations`.
    n_classes : int, default 2
        2: one sigmoid output unit and binary cross-entropy; more: a softmax over
        `n_classes` outputs and cross-entropy.
    l2 : float, default 0.0
        Weight of the L2 penalty ``l2/2 * sum of squared weights`` (biases are not penalised).
    seed : int, default 0
        Seeds the initial weights and the order of the mini-batches.
    **activation_params
        Fixed parameters of the activation, e.g. ``alpha=0.25`` for ``prelu``.

    Attributes
    ----------
    weights, biases : list of ndarray
        ``weights[i]`` has shape (fan_in, fan_out), ``biases[i]`` (fan_out,), float64. They are
        views into one flat array, so a gradient step updates all of them in one operation.
    history : dict
        The losses per epoch (see `fit`).
    diverged_at : int or None
        The epoch after which the weights were no longer finite (too large a learning rate).

    Raises
    ------
    ValueError
        An unknown or excluded activation (the message says why), sizes below 1, negative l2.
    TypeError
        Sizes that are not integers, an activation that is not a string.

    Examples
    --------
    >>> net = MLP(2, (4,), activation="relu", seed=0)
    >>> [w.shape for w in net.weights]
    [(2, 4), (4, 1)]
    >>> net.predict_proba([[0.0, 0.0], [1.0, 1.0]]).shape
    (2,)
    """

    def __init__(self, n_inputs, hidden, activation="tanh", *, n_classes=2, l2=0.0, seed=0,
                 **activation_params):
        n_inputs = _positive_int(n_inputs, "MLP", "n_inputs")
        if isinstance(hidden, numbers.Integral):
            raise TypeError(f"MLP: hidden must be a sequence of layer sizes such as (8, 8), "
                            f"not the single number {hidden}")
        hidden = [_positive_int(h, "MLP", "each hidden layer size") for h in hidden]
        n_classes = _positive_int(n_classes, "MLP", "n_classes")
        if n_classes < 2:
            raise ValueError(f"MLP: n_classes must be at least 2, got {n_classes}")
        if not isinstance(activation, str):
            raise TypeError(f"MLP: activation must be the name of an activation such as 'tanh', "
                            f"not {type(activation).__name__}")
        if activation in EXCLUDED_ACTIVATIONS:
            raise ValueError(f"MLP: cannot train with {activation!r}: "
                             f"{EXCLUDED_ACTIVATIONS[activation]}")
        if activation not in trainable_activations():
            raise ValueError(f"MLP: unknown activation {activation!r}; choose one of "
                             f"{trainable_activations()}")
        self.activation, self.activation_params = activation, dict(activation_params)
        self.f, self.f_derivative = _fast(activation, self.activation_params)
        self._sigmoid = _fast_helper(activations_helpers.sigmoid, {})  # the output unit
        self.l2 = _non_negative(l2, "MLP", "l2")
        self.n_classes, self.seed = n_classes, seed
        self.sizes = [n_inputs, *hidden, 1 if n_classes == 2 else n_classes]

        # All parameters live in one flat array; weights[i] and biases[i] are views into it.
        shapes = [s for fan_in, fan_out in zip(self.sizes, self.sizes[1:])
                  for s in ((fan_in, fan_out), (fan_out,))]
        self.flat = np.zeros(sum(math.prod(s) for s in shapes))
        self._flat_grad = np.zeros_like(self.flat)
        params, grads, start = [], [], 0
        for shape in shapes:
            stop = start + math.prod(shape)
            params.append(self.flat[start:stop].reshape(shape))
            grads.append(self._flat_grad[start:stop].reshape(shape))
            start = stop
        self.weights, self.biases = params[0::2], params[1::2]
        self._grad_w, self._grad_b = grads[0::2], grads[1::2]
        rng = np.random.default_rng(seed)
        for W in self.weights:
            fan_in, fan_out = W.shape
            W[...] = rng.normal(0.0, init_scale(activation, fan_in, fan_out), size=W.shape)
        self.history = {"train_loss": [], "test_loss": []}
        self.diverged_at = None

    def __repr__(self):
        hidden = tuple(self.sizes[1:-1])
        return (f"MLP(n_inputs={self.sizes[0]}, hidden={hidden}, activation={self.activation!r}, "
                f"n_classes={self.n_classes}, l2={self.l2:g}, seed={self.seed})")

    # --------------------------------------------------------------------------------------
    # forward
    # --------------------------------------------------------------------------------------
    def _check_x(self, X, func_name):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"MLP.{func_name}: X must have shape (n, {self.sizes[0]}), "
                             f"got {X.shape}")
        return X

    def _check_y(self, y, n, func_name):
        y = np.asarray(y)
        if y.shape != (n,):
            raise ValueError(f"MLP.{func_name}: y must have shape ({n},) like X's rows, "
                             f"got {y.shape}")
        if y.size and (y.dtype.kind not in "iub" or y.min() < 0 or y.max() >= self.n_classes):
            raise ValueError(f"MLP.{func_name}: y must hold class labels 0..{self.n_classes - 1}")
        return y

    def _forward(self, X):
        """Every layer's pre-activation z and activation a: ([a0=X, a1, ...], [z1, z2, ...])."""
        activations, pre = [X], []
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            z = activations[-1] @ W + b                                # z = a_prev W + b
            pre.append(z)
            activations.append(self.f(z, **self.activation_params))    # a = f(z)
        pre.append(activations[-1] @ self.weights[-1] + self.biases[-1])  # the output's logits
        return activations, pre

    def _probabilities(self, logits):
        if self.n_classes == 2:
            return self._sigmoid(logits[:, 0])                         # p = sigma(z)
        return activations_helpers.softmax(logits, axis=1)             # p = softmax(z)

    def _data_loss(self, logits, y):
        """Mean cross-entropy, computed from the logits so that it never takes log(0)."""
        if self.n_classes == 2:
            z = logits[:, 0]
            return float(np.mean(np.logaddexp(0.0, z) - y * z))       # -y log p - (1-y) log(1-p)
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-np.mean(log_p[np.arange(len(y)), y]))          # -log p_y

    def predict_proba(self, X):
        """P(class 1) for each row of `X` (two classes, shape (n,)), or each class's
        probability (shape (n, n_classes))."""
        X = self._check_x(X, "predict_proba")
        with np.errstate(**_QUIET):  # a diverged network gives NaN, not warnings
            return self._probabilities(self._forward(X)[1][-1])

    def predict(self, X):
        """The most probable class of each row of `X`, shape (n,), int."""
        p = self.predict_proba(X)
        return (p > 0.5).astype(int) if self.n_classes == 2 else p.argmax(axis=1)

    def accuracy(self, X, y):
        """The fraction of rows of `X` classified as `y` says, a float in [0, 1]."""
        X = self._check_x(X, "accuracy")
        return float(np.mean(self.predict(X) == self._check_y(y, len(X), "accuracy")))

    def loss(self, X, y):
        """Mean cross-entropy over (X, y), plus ``l2/2 * sum of squared weights``."""
        X = self._check_x(X, "loss")
        y = self._check_y(y, len(X), "loss")
        with np.errstate(**_QUIET):
            # no penalty at all when l2 = 0: 0 * inf would be NaN for a weight beyond 1.3e154
            penalty = (0.5 * self.l2 * sum(float(np.sum(W * W)) for W in self.weights)
                       if self.l2 else 0.0)
            return self._data_loss(self._forward(X)[1][-1], y) + penalty

    def hidden_activations(self, X):
        """What each hidden layer outputs for the rows of `X`: a list of (n, units) arrays."""
        with np.errstate(**_QUIET):
            return self._forward(self._check_x(X, "hidden_activations"))[0][1:]

    # --------------------------------------------------------------------------------------
    # backward: the chain rule, layer by layer
    # --------------------------------------------------------------------------------------
    def _backward(self, X, y):
        """Fill the gradient of the loss on (X, y) into ``_grad_w``/``_grad_b``; return the loss."""
        activations, pre = self._forward(X)
        logits = pre[-1]
        p = self._probabilities(logits)
        # Output layer. For a sigmoid with binary cross-entropy, and for a softmax with
        # cross-entropy, dL/dz = p - y (per example; we average over the batch).
        if self.n_classes == 2:
            delta = ((p - y) / len(y))[:, None]
        else:
            delta = p.copy()
            delta[np.arange(len(y)), y] -= 1.0
            delta /= len(y)
        for i in range(len(self.weights) - 1, -1, -1):
            # dL/dW = a_prev^T delta (+ l2 W), dL/db = sum of delta over the batch
            np.matmul(activations[i].T, delta, out=self._grad_w[i])
            if self.l2:
                self._grad_w[i] += self.l2 * self.weights[i]
            np.sum(delta, axis=0, out=self._grad_b[i])
            if i > 0:
                # back through the layer and its activation:
                # dL/dz_prev = (delta W^T) * f'(z_prev)
                delta = (delta @ self.weights[i].T) * self.f_derivative(pre[i - 1],
                                                                        **self.activation_params)
        return logits, p

    def gradients(self, X, y):
        """The gradient of `loss` with respect to every parameter.

        Returns
        -------
        list of (ndarray, ndarray)
            ``(dL/dW, dL/db)`` per layer, copies, shaped like ``weights[i]`` and ``biases[i]``.
        """
        X = self._check_x(X, "gradients")
        with np.errstate(**_QUIET):
            self._backward(X, self._check_y(y, len(X), "gradients"))
        return [(gw.copy(), gb.copy()) for gw, gb in zip(self._grad_w, self._grad_b)]

    def dead_units(self, X):
        """How many units of each hidden layer pass no gradient for any row of `X`.

        A unit is dead when its activation's derivative is 0 at every example: then no weight
        into it changes again (the dying ReLU of notebook 03). Counted with the activation's own
        ``<name>_derivative``, so it works for any activation.

        Returns
        -------
        list of int
            One count per hidden layer.
        """
        X = self._check_x(X, "dead_units")
        with np.errstate(**_QUIET):
            pre = self._forward(X)[1][:-1]
            return [int(np.sum(np.all(self.f_derivative(z, **self.activation_params) == 0,
                                      axis=0))) for z in pre]

    # --------------------------------------------------------------------------------------
    # training
    # --------------------------------------------------------------------------------------
    def fit(self, X, y, *, epochs=100, learning_rate=0.03, batch_size=32, X_test=None,
            y_test=None, callback=None, callback_every=1):
        """Train by mini-batch gradient descent; append each epoch's losses to `history`.

        Parameters
        ----------
        X : array_like, shape (n, n_inputs)
        y : array_like of int, shape (n,)
            Class labels 0..n_classes-1.
        epochs : int
            Passes over the shuffled training set.
        learning_rate : float
            The step: ``theta <- theta - learning_rate * dL/dtheta``.
        batch_size : int
            Examples per step (the last batch of an epoch may be smaller); larger than n means
            full-batch gradient descent.
        X_test, y_test : array_like, optional
            Also record the loss on these after every epoch.
        callback : callable, optional
            ``callback(epoch)`` after every `callback_every` epochs (e.g. to move a progress bar).

        Returns
        -------
        dict
            `history`: ``{"train_loss": [...], "test_loss": [...]}``, one value per epoch so far.
            If the steps are so large that the weights overflow to inf or NaN, training stops
            after that epoch and `diverged_at` holds its number (the losses show inf or NaN;
            NumPy's overflow warnings are silenced, as this says it once).
            The training loss of an epoch is the mean of its batches' losses, each measured
            just before its step (as Keras reports it: free, since backprop computes the
            outputs anyway, and a little behind the weights at the epoch's end); the test loss
            is measured after the epoch. Neither includes the L2 term.
        """
        X = self._check_x(X, "fit")
        y = self._check_y(y, len(X), "fit")
        epochs = _positive_int(epochs, "MLP.fit", "epochs")
        batch_size = _positive_int(batch_size, "MLP.fit", "batch_size")
        learning_rate = _non_negative(learning_rate, "MLP.fit", "learning_rate", positive=True)
        if (X_test is None) != (y_test is None):
            raise ValueError("MLP.fit: pass both X_test and y_test, or neither")
        if X_test is not None:
            X_test = self._check_x(X_test, "fit")
            y_test = self._check_y(y_test, len(X_test), "fit")
        if self.diverged_at is not None:
            return self.history  # its weights are inf or NaN: nothing more to learn
        with np.errstate(**_QUIET):
            self._fit(X, y, epochs, learning_rate, batch_size, X_test, y_test, callback,
                      callback_every)
        return self.history

    def _fit(self, X, y, epochs, learning_rate, batch_size, X_test, y_test, callback,
             callback_every):
        n, done = len(X), len(self.history["train_loss"])
        for epoch in range(epochs):
            # each epoch's order from (seed, epoch number): fit(3) then fit(3) equals fit(6)
            order = np.random.default_rng([self.seed, done + epoch]).permutation(n)
            Xs, ys = X[order], y[order]
            total = 0.0
            for start in range(0, n, batch_size):
                batch = ys[start:start + batch_size]
                logits, _ = self._backward(Xs[start:start + batch_size], batch)
                total += self._data_loss(logits, batch) * len(batch)  # before this batch's step
                self.flat -= learning_rate * self._flat_grad      # one step for every parameter
            self.history["train_loss"].append(total / n)
            if X_test is not None:
                self.history["test_loss"].append(
                    self._data_loss(self._forward(X_test)[1][-1], y_test))
            if not np.all(np.isfinite(self.flat)):  # the steps overflowed: stop here
                self.diverged_at = done + epoch + 1
                if callback is not None:
                    callback(epochs)
                return
            if callback is not None and ((epoch + 1) % callback_every == 0 or epoch + 1 == epochs):
                callback(epoch + 1)
