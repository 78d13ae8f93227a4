"""The playground's network: backprop against finite differences, determinism, training."""

import math

import numpy as np
import pytest

import activations_helpers as ah
from teaching.datasets import make_dataset
from teaching.network import EXCLUDED_ACTIVATIONS, MLP, init_scale, trainable_activations

ACTIVATIONS = trainable_activations()
# Where an activation of the module has a kink (a jump in its derivative): relu, leaky_relu and
# prelu at 0; hard_sigmoid and hard_swish at -3 and 3 (PyTorch's definitions). A finite
# difference across a kink measures neither side's slope, so the check keeps every
# pre-activation at least KINK_MARGIN away from them.
KINKS = np.array([-3.0, 0.0, 3.0])
KINK_MARGIN = 1e-3
EPS = 1e-5  # central differences: error ~ EPS^2 (truncation) + 1e-16 / EPS (rounding)


def loss_at(net, flat, X, y):
    saved = net.flat.copy()
    net.flat[...] = flat
    try:
        return net.loss(X, y)
    finally:
        net.flat[...] = saved


def finite_difference_gradient(net, X, y):
    grad = np.zeros_like(net.flat)
    for i in range(net.flat.size):
        up, down = net.flat.copy(), net.flat.copy()
        up[i] += EPS
        down[i] -= EPS
        grad[i] = (loss_at(net, up, X, y) - loss_at(net, down, X, y)) / (2 * EPS)
    return grad


def backprop_gradient(net, X, y):
    return np.concatenate([g.ravel() for pair in net.gradients(X, y) for g in pair])


def away_from_kinks(activation, n_classes, l2):
    """A small network and batch (float64) whose pre-activations all keep clear of the kinks."""
    for seed in range(50):
        rng = np.random.default_rng(seed)
        net = MLP(3, (5, 4), activation, n_classes=n_classes, l2=l2, seed=seed)
        X = rng.normal(0.0, 1.5, (7, 3))
        y = rng.integers(0, n_classes, 7)
        pre = net._forward(X)[1][:-1]
        distance = min(np.abs(z[..., None] - KINKS).min() for z in pre)
        # the perturbation moves a pre-activation by at most EPS * (|input| + 1)
        if distance > KINK_MARGIN:
            return net, X, y
    raise AssertionError(f"no seed keeps {activation}'s pre-activations off its kinks")


@pytest.mark.parametrize("n_classes, l2", [(2, 0.0), (2, 0.05), (3, 0.01)],
                         ids=["sigmoid-out", "sigmoid-out-l2", "softmax-out-l2"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_backprop_equals_central_differences(activation, n_classes, l2):
    net, X, y = away_from_kinks(activation, n_classes, l2)
    assert net.flat.dtype == np.float64
    backprop = backprop_gradient(net, X, y)
    numeric = finite_difference_gradient(net, X, y)
    assert np.linalg.norm(backprop) > 1e-3, "a gradient this small would prove nothing"
    relative = np.linalg.norm(backprop - numeric) / max(np.linalg.norm(backprop),
                                                        np.linalg.norm(numeric))
    assert relative < 1e-6, f"{activation}: relative error {relative:.2e}"
    # and layer by layer, so that no small layer hides behind a large one
    start = 0
    for W, b in zip(net.weights, net.biases):
        for p in (W, b):
            part = slice(start, start + p.size)
            scale = max(np.linalg.norm(backprop[part]), np.linalg.norm(numeric[part]), 1e-8)
            assert np.linalg.norm(backprop[part] - numeric[part]) / scale < 1e-6
            start += p.size


def test_backprop_catches_a_wrong_derivative(monkeypatch):
    """The check above can fail: with the derivative off by 10% the gradients disagree."""
    net, X, y = away_from_kinks("tanh", 2, 0.0)
    monkeypatch.setattr(net, "f_derivative", lambda z: 1.1 * ah.tanh_derivative(z))
    backprop = backprop_gradient(net, X, y)
    numeric = finite_difference_gradient(net, X, y)
    assert np.linalg.norm(backprop - numeric) / np.linalg.norm(numeric) > 1e-3


def _params(name):
    """Non-default parameters of an activation, to check that they reach the formula."""
    return {"leaky_relu": {"alpha": 0.2}, "prelu": {"alpha": 0.1}, "elu": {"alpha": 0.5},
            "gelu": {"approximate": "tanh"}}.get(name, {})


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("params", ["default", "other"])
def test_the_network_computes_exactly_what_the_helpers_compute(activation, params):
    """The training loop may call a helper's formula without its per-call input check
    (`network._fast`); what it computes must be the helper's value, bit for bit."""
    params = {} if params == "default" else _params(activation)
    net = MLP(2, (5,), activation, seed=0, **params)
    helper = getattr(ah, activation)
    derivative = getattr(ah, activation + "_derivative")
    assert net.f in (helper, getattr(helper, "unchecked", None))
    assert net.f_derivative in (derivative, getattr(derivative, "unchecked", None))
    z = np.concatenate([np.random.default_rng(0).normal(0, 4, 500), [-3.0, 0.0, 3.0, 1e-300]])
    np.testing.assert_array_equal(net.f(z, **params), helper(z, **params))
    np.testing.assert_array_equal(net.f_derivative(z, **params), derivative(z, **params))
    X = np.random.default_rng(1).normal(size=(6, 2))
    want = helper(X @ net.weights[0] + net.biases[0], **params)
    np.testing.assert_array_equal(net.hidden_activations(X)[0], want)


def test_a_bad_activation_parameter_gets_the_helpers_error():
    with pytest.raises((TypeError, ValueError), match="leaky_relu"):
        MLP(2, (3,), "leaky_relu", alpha="big")


def test_activations_are_discovered_from_the_module():
    public = set(ah.__all__)
    expected = [n for n in ah.__all__ if not n.endswith("_derivative")
                and n + "_derivative" in public and n not in ("binary_step", "softmax")]
    assert ACTIVATIONS == expected
    for name in ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "prelu"]:
        assert name in ACTIVATIONS
    for name in ["elu", "selu", "gelu", "silu", "mish", "softplus", "hard_sigmoid", "hard_swish"]:
        if name in public and name + "_derivative" in public:
            assert name in ACTIVATIONS


def test_binary_step_is_refused_with_the_reason():
    assert "binary_step" not in ACTIVATIONS
    with pytest.raises(ValueError, match=r"MLP: cannot train with 'binary_step': its derivative is 0"):
        MLP(2, (4,), "binary_step")
    assert "softmax" in EXCLUDED_ACTIVATIONS


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_same_seed_same_network_bit_for_bit(activation):
    data = make_dataset("xor", 60, noise=0.05, seed=3)
    runs = []
    for _ in range(2):
        net = MLP(2, (6, 5), activation, seed=7)
        net.fit(data.X_train, data.y_train, epochs=5, learning_rate=0.1, batch_size=8,
                X_test=data.X_test, y_test=data.y_test)
        runs.append(net)
    np.testing.assert_array_equal(runs[0].flat, runs[1].flat)
    assert runs[0].history == runs[1].history
    other = MLP(2, (6, 5), activation, seed=8)
    assert not np.array_equal(other.flat, MLP(2, (6, 5), activation, seed=7).flat)


def test_fit_continues_where_it_stopped_and_is_still_deterministic():
    data = make_dataset("circle", 60, seed=0)
    a, b = MLP(2, (4,), "tanh", seed=1), MLP(2, (4,), "tanh", seed=1)
    a.fit(data.X_train, data.y_train, epochs=6, batch_size=8)
    b.fit(data.X_train, data.y_train, epochs=3, batch_size=8)
    b.fit(data.X_train, data.y_train, epochs=3, batch_size=8)
    assert len(b.history["train_loss"]) == 6
    np.testing.assert_array_equal(a.flat, b.flat)


@pytest.mark.parametrize("activation, rule", [("relu", "he"), ("gelu", "he"), ("tanh", "glorot"),
                                              ("sigmoid", "glorot"), ("selu", "lecun")])
def test_initialisation_follows_the_activation(activation, rule):
    if activation not in ACTIVATIONS:
        pytest.skip(f"{activation} is not in activations_helpers yet")
    fan_in, fan_out = 300, 200
    want = {"he": math.sqrt(2 / fan_in), "glorot": math.sqrt(2 / (fan_in + fan_out)),
            "lecun": math.sqrt(1 / fan_in)}[rule]
    assert init_scale(activation, fan_in, fan_out) == pytest.approx(want)
    net = MLP(fan_in, (fan_out,), activation, seed=0)
    assert np.std(net.weights[0]) == pytest.approx(want, rel=0.02)
    assert not np.any(net.biases[0])


@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_a_non_linear_network_fits_xor_and_a_linear_one_cannot(activation):
    data = make_dataset("xor", 200, noise=0.0, seed=0)
    net = MLP(2, (8,), activation, seed=0)
    history = net.fit(data.X_train, data.y_train, epochs=300, learning_rate=0.3, batch_size=16)
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]
    assert net.accuracy(data.X_test, data.y_test) > 0.9
    linear = MLP(2, (8, 8), "linear", seed=0)
    linear.fit(data.X_train, data.y_train, epochs=300, learning_rate=0.3, batch_size=16)
    assert linear.accuracy(data.X_test, data.y_test) < 0.75


def test_l2_shrinks_the_weights():
    data = make_dataset("circle", 100, seed=0)
    plain, penalised = MLP(2, (8,), "tanh", seed=0), MLP(2, (8,), "tanh", l2=0.1, seed=0)
    for net in (plain, penalised):
        net.fit(data.X_train, data.y_train, epochs=100, learning_rate=0.3)
    assert sum(np.sum(W**2) for W in penalised.weights) < 0.5 * sum(np.sum(W**2) for W in plain.weights)


def test_softmax_output_gives_probabilities_that_sum_to_one():
    net = MLP(2, (4,), "tanh", n_classes=3, seed=0)
    p = net.predict_proba(np.random.default_rng(0).normal(size=(5, 2)))
    assert p.shape == (5, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert set(net.predict(np.zeros((2, 2))).tolist()) <= {0, 1, 2}


def test_dead_units_are_counted_with_the_derivative():
    X = np.random.default_rng(0).normal(size=(50, 2))
    net = MLP(2, (4, 3), "relu", seed=0)
    net.biases[0][:2] = -100.0  # two first-layer units that never fire
    net.biases[1][0] = -100.0
    assert net.dead_units(X) == [2, 1]
    leaky = MLP(2, (4, 3), "leaky_relu", seed=0)
    leaky.biases[0][:2] = -100.0
    assert leaky.dead_units(X) == [0, 0]  # their slope alpha still passes a gradient
    for W in net.weights[:1]:
        grads = net.gradients(X, (X[:, 0] > 0).astype(int))
        assert not np.any(grads[0][0][:, :2])  # no gradient reaches a dead unit's weights


def test_full_batch_and_odd_batches():
    data = make_dataset("gaussians", 50, seed=0)
    net = MLP(2, (3,), "sigmoid", seed=0)
    net.fit(data.X_train, data.y_train, epochs=2, batch_size=1000)
    net.fit(data.X_train, data.y_train, epochs=2, batch_size=7)
    assert len(net.history["train_loss"]) == 4 and net.history["test_loss"] == []


def test_callback_reports_progress():
    data = make_dataset("gaussians", 40, seed=0)
    seen = []
    MLP(2, (3,), "tanh").fit(data.X_train, data.y_train, epochs=10, callback=seen.append,
                             callback_every=4)
    assert seen == [4, 8, 10]


@pytest.mark.parametrize("call, error, message", [
    (lambda: MLP(2, 8, "tanh"), TypeError, "MLP: hidden must be a sequence"),
    (lambda: MLP(2, (0,), "tanh"), ValueError, "MLP: each hidden layer size must be at least 1"),
    (lambda: MLP(2, (2.5,), "tanh"), TypeError, "MLP: each hidden layer size must be an integer"),
    (lambda: MLP(2, (4,), "swish_typo"), ValueError, "MLP: unknown activation 'swish_typo'"),
    (lambda: MLP(2, (4,), ah.tanh), TypeError, "MLP: activation must be the name"),
    (lambda: MLP(2, (4,), "tanh", l2=-1), ValueError, "MLP: l2 must be a finite number >= 0"),
    (lambda: MLP(2, (4,), "tanh", n_classes=1), ValueError, "MLP: n_classes must be at least 2"),
    (lambda: MLP(2, (4,)).predict([1.0, 2.0]), ValueError, r"MLP.predict_proba: X must have shape \(n, 2\)"),
    (lambda: MLP(2, (4,)).loss(np.zeros((3, 2)), [0, 1]), ValueError, r"MLP.loss: y must have shape \(3,\)"),
    (lambda: MLP(2, (4,)).loss(np.zeros((2, 2)), [0, 2]), ValueError, "MLP.loss: y must hold class labels 0..1"),
    (lambda: MLP(2, (4,)).fit(np.zeros((2, 2)), [0, 1], learning_rate=0), ValueError, "MLP.fit: learning_rate must be a finite number > 0"),
    (lambda: MLP(2, (4,)).fit(np.zeros((2, 2)), [0, 1], epochs=1.5), TypeError, "MLP.fit: epochs must be an integer"),
    (lambda: MLP(2, (4,)).fit(np.zeros((2, 2)), [0, 1], X_test=np.zeros((2, 2))), ValueError, "MLP.fit: pass both X_test and y_test"),
])
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_diverging_run_stops_and_says_when_without_warnings():
    """Too large a learning rate overflows the weights: fit stops after that epoch, records
    it in diverged_at, and NumPy prints no warning (pytest turns warnings into errors here)."""
    data = make_dataset("spiral", 200, noise=0.3, seed=0)
    net = MLP(2, (8, 8, 8, 8), "linear", seed=0)
    seen = []
    net.fit(data.X_train, data.y_train, epochs=100, learning_rate=10.0, batch_size=4,
            X_test=data.X_test, y_test=data.y_test, callback=seen.append)
    assert net.diverged_at is not None and net.diverged_at < 100
    assert len(net.history["train_loss"]) == len(net.history["test_loss"]) == net.diverged_at
    assert not np.all(np.isfinite(net.flat))
    assert seen[-1] == 100  # a progress bar is taken to its end
    net.fit(data.X_train, data.y_train, epochs=5)  # nothing more to learn
    assert len(net.history["train_loss"]) == net.diverged_at
    p = net.predict_proba(data.X_test)  # NaN, quietly
    assert p.shape == (100,)
    healthy = MLP(2, (8,), "tanh", seed=0)
    healthy.fit(data.X_train, data.y_train, epochs=3)
    assert healthy.diverged_at is None


def test_loss_without_l2_ignores_huge_weights():
    """With l2 = 0 a weight beyond about 1.3e154 (whose square overflows) must not turn the
    loss into 0 * inf = NaN: the data loss alone is the answer (a public report)."""
    net = MLP(1, (1,), "relu", seed=0)
    net.weights[0][...] = 1e160
    net.weights[1][...] = -1.0
    net.biases[0][...] = 0.0
    net.biases[1][...] = 0.0
    # x = 1: hidden = relu(1e160) = 1e160, logit = -1e160, p = sigmoid(-1e160); y = 1 costs
    # -log(p) = 1e160 (the cross-entropy of a logit z for y = 1 is softplus(-z))
    loss = net.loss(np.array([[1.0]]), np.array([1]))
    assert loss == pytest.approx(1e160)
    net.l2 = 1.0  # and with a penalty it is (rightly) infinite, not NaN
    assert net.loss(np.array([[1.0]]), np.array([1])) == np.inf
