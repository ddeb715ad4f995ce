import numpy as np
import pytest

from tfencgan.evaluation.linear_probe import (fit_softmax_regression, linear_probe,
                                              linear_probe_accuracy, standardise)


def test_linearly_separable_toy_set_is_probed_perfectly():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 20)) * 5
    labels = rng.integers(0, 4, 800)
    features = centres[labels] + rng.normal(size=(800, 20))
    # Separable by construction: every point is nearer its own centre by a wide margin.
    accuracy = linear_probe_accuracy(features[:600], labels[:600], features[600:], labels[600:])
    assert accuracy == 1.0


def test_random_labels_give_chance():
    rng = np.random.default_rng(1)
    features, labels = rng.normal(size=(2000, 10)), rng.integers(0, 5, 2000)
    accuracy = linear_probe_accuracy(features[:1000], labels[:1000], features[1000:],
                                     labels[1000:])
    assert 0.1 < accuracy < 0.3


def test_deterministic():
    rng = np.random.default_rng(2)
    f, y = rng.normal(size=(300, 6)), rng.integers(0, 3, 300)
    assert linear_probe(f, y, f, y) == linear_probe(f, y, f, y)


def test_constant_features_are_not_blown_up():
    # A feature constant on train (an MNIST border pixel) but not on test must not dominate.
    train = np.array([[0.0, 1.0], [0.0, -1.0]] * 50, np.float32)
    test = np.array([[1000.0, 1.0], [1000.0, -1.0]], np.float32)
    train_s, test_s = standardise(train, test)
    assert np.all(train_s[:, 0] == 0) and np.all(test_s[:, 0] == 1000.0)
    labels = np.array([1, 0] * 50)
    assert linear_probe_accuracy(train, labels, test, np.array([1, 0])) == 1.0


def test_fit_converges_to_the_stationary_point_of_the_regularised_loss():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 5)).astype(np.float32)
    y = (x[:, 0] + 0.5 * rng.normal(size=400) > 0).astype(np.int64) + (x[:, 1] > 1)
    l2 = 1e-2
    weights, bias, result = fit_softmax_regression(x, y, 3, l2, tolerance=1e-6)
    assert np.abs(result.jac).max() < 1e-4
    # Gradient of mean CE + l2/2 ||W||^2, computed independently, vanishes at the optimum.
    logits = x @ weights + bias
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    error = (p - np.eye(3)[y]) / len(x)
    assert np.abs(x.T @ error + l2 * weights).max() < 1e-4
    assert np.abs(error.sum(0)).max() < 1e-4


@pytest.mark.slow
def test_raw_mnist_pixels_reach_the_converged_logistic_regression():
    from tfencgan.data import load_arrays
    train, test = load_arrays("mnist", "train_full"), load_arrays("mnist", "test")
    result = linear_probe(*train, *test)
    assert result["accuracy"] >= 0.915, result
