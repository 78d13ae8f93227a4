"""The playground's four two-class datasets, made in NumPy (no downloads), seeded.

Modelled on TensorFlow Playground's (github.com/tensorflow/playground, ``src/dataset.ts``), on a
smaller scale: points lie in about [-1, 1] x [-1, 1], the range a network's first layer likes.

- ``circle``: class 1 inside a disc of radius 0.5, class 0 in a ring from 0.7 to 1;
- ``xor``: uniform in the square, class 1 where x1 * x2 > 0 (the quadrants of XOR);
- ``gaussians``: two round clouds around (0.4, 0.4) and (-0.4, -0.4);
- ``spiral``: two interleaved spiral arms, 1.25 turns each (the Playground's make 1.75: ours
  are a little looser, so that a 2 x 8 network fits them in about a second of plain gradient
  descent, while a linear model stays near chance).

`noise` is the standard deviation of Gaussian jitter added to every coordinate (for
``gaussians``: the clouds' spread grows with it instead), so 0 gives clean classes.
"""

import math
import numbers
from typing import NamedTuple

import numpy as np

__all__ = ["DATASETS", "Dataset", "make_dataset", "circle", "xor", "gaussians", "spiral"]


class Dataset(NamedTuple):
    """A train/test split: points (n, 2) float64 and labels (n,) int 0/1."""
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    name: str


SPIRAL_TURNS = 1.25


def _halves(n):
    return n // 2, n - n // 2


def circle(n, noise, rng):
    """`n` points: class 1 inside radius 0.5, class 0 in the ring 0.7..1 (before noise)."""
    n1, n0 = _halves(n)
    radius = np.concatenate([rng.uniform(0.0, 0.5, n1), rng.uniform(0.7, 1.0, n0)])
    angle = rng.uniform(0.0, 2 * math.pi, n)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    y = np.concatenate([np.ones(n1, int), np.zeros(n0, int)])
    return X + rng.normal(0.0, noise, X.shape), y


def xor(n, noise, rng):
    """`n` points uniform in [-1, 1]^2 (kept 0.05 off the axes), class 1 where x1 * x2 > 0; the
    label is that of the clean point, so noise moves points across the axes."""
    n1, n0 = _halves(n)
    y = np.concatenate([np.ones(n1, int), np.zeros(n0, int)])
    sign1 = rng.choice([-1.0, 1.0], n)
    sign2 = np.where(y == 1, sign1, -sign1)  # the same signs for class 1, opposite for 0
    X = rng.uniform(0.05, 1.0, (n, 2)) * np.column_stack([sign1, sign2])
    return X + rng.normal(0.0, noise, X.shape), y


def gaussians(n, noise, rng):
    """Two Gaussian clouds of `n` points in all: class 1 around (0.4, 0.4), class 0 around
    (-0.4, -0.4), each with standard deviation ``0.15 + noise``."""
    n1, n0 = _halves(n)
    centres = np.concatenate([np.full((n1, 2), 0.4), np.full((n0, 2), -0.4)])
    y = np.concatenate([np.ones(n1, int), np.zeros(n0, int)])
    return centres + rng.normal(0.0, 0.15 + noise, (n, 2)), y


def spiral(n, noise, rng):
    """Two interleaved spiral arms of `n` points in all (radius 0 to 1, 1.25 turns each, the
    second turned by pi): class 1 on the first, class 0 on the second."""
    n1, n0 = _halves(n)
    arms = []
    for count, turn in ((n1, 0.0), (n0, math.pi)):
        r = np.linspace(0.0, 1.0, count, endpoint=False) + 0.5 / max(count, 1)
        t = SPIRAL_TURNS * 2 * math.pi * r + turn  # angle grows with the radius
        arms.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
    X = np.concatenate(arms)
    y = np.concatenate([np.ones(n1, int), np.zeros(n0, int)])
    return X + rng.normal(0.0, noise, X.shape), y


DATASETS = {"circle": circle, "xor": xor, "gaussians": gaussians, "spiral": spiral}


def make_dataset(name="spiral", n=400, *, noise=0.0, test_fraction=0.5, seed=0):
    """A playground dataset, shuffled and split into training and test points.

    Parameters
    ----------
    name : {"circle", "xor", "gaussians", "spiral"}
    n : int, default 400
        Points in all (half of each class, the odd one to class 0), at least 4.
    noise : float, default 0.0
        Standard deviation of the Gaussian jitter added to each coordinate, >= 0.
    test_fraction : float, default 0.5
        The share of points held out for testing, strictly between 0 and 1 (as the
        Playground's "ratio of training to test data").
    seed : int, default 0
        Seeds the points, the noise and the split.

    Returns
    -------
    Dataset
        ``(X_train, y_train, X_test, y_test, name)``: points float64 of shape (m, 2), labels
        int of shape (m,).

    Raises
    ------
    ValueError
        An unknown name, fewer than 4 points, negative or non-finite noise, a test fraction
        outside (0, 1) or one that leaves a side empty.
    TypeError
        A name that is not a string, a number of points that is not an integer.

    Examples
    --------
    >>> data = make_dataset("xor", 10, seed=1)
    >>> data.X_train.shape, data.y_test.shape
    ((5, 2), (5,))
    >>> sorted(set(data.y_train.tolist() + data.y_test.tolist()))
    [0, 1]
    """
    if not isinstance(name, str):
        raise TypeError(f"make_dataset: name must be a string, one of {list(DATASETS)}, "
                        f"not {type(name).__name__}")
    if name not in DATASETS:
        raise ValueError(f"make_dataset: unknown dataset {name!r}; choose one of {list(DATASETS)}")
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
        raise TypeError(f"make_dataset: n must be an integer, not {type(n).__name__}")
    if n < 4:
        raise ValueError(f"make_dataset: n must be at least 4 points, got {n}")
    for value, what in ((noise, "noise"), (test_fraction, "test_fraction")):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            raise TypeError(f"make_dataset: {what} must be a real number, "
                            f"not {type(value).__name__}")
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"make_dataset: noise must be a finite number >= 0, got {noise}")
    n_test = round(n * test_fraction)
    if not 0 < test_fraction < 1 or not 0 < n_test < n:
        raise ValueError(f"make_dataset: test_fraction must leave points on both sides of the "
                         f"split (0 < test_fraction < 1), got {test_fraction} for n={n}")
    rng = np.random.default_rng(seed)
    X, y = DATASETS[name](int(n), float(noise), rng)
    order = rng.permutation(int(n))
    X, y = X[order], y[order]
    n_train = int(n) - n_test
    return Dataset(X[:n_train], y[:n_train], X[n_train:], y[n_train:], name)
