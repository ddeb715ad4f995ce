import numpy as np

from tfencgan.evaluation.linear_probe import linear_probe_accuracy


def test_linearly_separable_classes_are_probed_perfectly():
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 20)) * 5
    labels = rng.integers(0, 4, 800)
    features = centres[labels] + rng.normal(size=(800, 20))
    accuracy = linear_probe_accuracy(features[:600], labels[:600], features[600:], labels[600:])
    assert accuracy > 0.98


def test_random_labels_give_chance():
    rng = np.random.default_rng(1)
    features, labels = rng.normal(size=(2000, 10)), rng.integers(0, 5, 2000)
    accuracy = linear_probe_accuracy(features[:1000], labels[:1000], features[1000:],
                                     labels[1000:])
    assert 0.1 < accuracy < 0.3


def test_deterministic():
    rng = np.random.default_rng(2)
    f, y = rng.normal(size=(300, 6)), rng.integers(0, 3, 300)
    assert linear_probe_accuracy(f, y, f, y) == linear_probe_accuracy(f, y, f, y)
