"""The playground's datasets: shapes, classes, geometry, noise, split and seeds."""

import numpy as np
import pytest

from teaching.datasets import DATASETS, SPIRAL_TURNS, make_dataset


def everything(data):
    return (np.concatenate([data.X_train, data.X_test]),
            np.concatenate([data.y_train, data.y_test]))


@pytest.mark.parametrize("name", list(DATASETS))
def test_shapes_dtypes_and_balanced_classes(name):
    data = make_dataset(name, 301, noise=0.1, test_fraction=0.25, seed=0)
    assert data.name == name
    assert data.X_train.shape == (226, 2) and data.X_test.shape == (75, 2)
    assert data.y_train.shape == (226,) and data.y_test.shape == (75,)
    assert data.X_train.dtype == np.float64 and data.y_train.dtype.kind == "i"
    _, y = everything(data)
    assert np.bincount(y).tolist() == [151, 150]
    assert set(data.y_train.tolist()) == {0, 1} and set(data.y_test.tolist()) == {0, 1}


@pytest.mark.parametrize("name", list(DATASETS))
def test_seeded(name):
    a, b, c = (make_dataset(name, 100, noise=0.1, seed=s) for s in (4, 4, 5))
    for x, y in zip(a[:4], b[:4]):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.X_train, c.X_train)


@pytest.mark.parametrize("name", list(DATASETS))
def test_noise_moves_the_points_by_its_size(name):
    clean, noisy = (everything(make_dataset(name, 2000, noise=s, seed=1))[0] for s in (0.0, 0.2))
    if name == "gaussians":  # the clouds spread out instead
        assert np.std(noisy) > np.std(clean) + 0.1
        return
    # same seed, same clean points, same split: the difference is the jitter itself
    assert np.std(noisy - clean) == pytest.approx(0.2, rel=0.05)


def test_circle_geometry():
    X, y = everything(make_dataset("circle", 500, seed=0))
    r = np.hypot(X[:, 0], X[:, 1])
    assert r[y == 1].max() <= 0.5 and r[y == 0].min() >= 0.7 and r.max() <= 1.0


def test_xor_geometry():
    X, y = everything(make_dataset("xor", 500, seed=0))
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] > 0).astype(int))
    assert np.abs(X).min() >= 0.05 and np.abs(X).max() <= 1.0


def test_gaussians_geometry():
    X, y = everything(make_dataset("gaussians", 4000, seed=0))
    np.testing.assert_allclose(X[y == 1].mean(axis=0), [0.4, 0.4], atol=0.02)
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [-0.4, -0.4], atol=0.02)
    np.testing.assert_allclose(X[y == 1].std(axis=0), [0.15, 0.15], rtol=0.05)


def test_spiral_geometry():
    X, y = everything(make_dataset("spiral", 400, seed=0))
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() <= 1.0
    # the two arms are the same curve turned by pi: each point of one arm has its mirror
    # image (-x) in the other
    one, zero = X[y == 1], X[y == 0]
    gaps = np.min(np.linalg.norm(one[:, None, :] + zero[None, :, :], axis=2), axis=1)
    assert gaps.max() < 1e-9
    # the angle winds SPIRAL_TURNS times round as the radius grows from 0 to 1
    order = np.argsort(r[y == 1])
    angle = np.unwrap(np.arctan2(one[order, 0], one[order, 1]))
    assert abs(angle[-1] - angle[0]) / (2 * np.pi) == pytest.approx(SPIRAL_TURNS, abs=0.02)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"name": "moons"}, ValueError, "make_dataset: unknown dataset 'moons'"),
    ({"name": 3}, TypeError, "make_dataset: name must be a string"),
    ({"n": 3}, ValueError, "make_dataset: n must be at least 4"),
    ({"n": 10.0}, TypeError, "make_dataset: n must be an integer"),
    ({"noise": -0.1}, ValueError, "make_dataset: noise must be a finite number >= 0"),
    ({"noise": float("nan")}, ValueError, "make_dataset: noise must be a finite number >= 0"),
    ({"noise": "0.1"}, TypeError, "make_dataset: noise must be a real number"),
    ({"test_fraction": 1.0}, ValueError, "make_dataset: test_fraction must leave points"),
    ({"test_fraction": 0.001}, ValueError, "make_dataset: test_fraction must leave points"),
])
def test_bad_input_is_named(kwargs, error, message):
    args = {"name": "xor", "n": 100, **kwargs}
    name, n = args.pop("name"), args.pop("n")
    with pytest.raises(error, match=message):
        make_dataset(name, n, **args)
