"""benchmarks/began_ink.py's per-image BEGAN energy and reconstructions."""

import numpy as np
import pytest
import tensorflow as tf


@pytest.fixture(scope="module")
def ink(benchmark_script):
    return benchmark_script("began_ink")


def test_l1_errors_are_per_image_means_and_return_the_reconstructions(ink):
    images = np.random.default_rng(0).uniform(-1, 1, size=(7, 4, 4, 1)).astype(np.float32)

    def identity(v, training=False):
        return {"output": v}

    def blank(v, training=False):
        return {"output": tf.zeros_like(v)}

    errors, reconstructions = ink.l1_errors(identity, images, batch_size=3)
    np.testing.assert_array_equal(errors, np.zeros(7))
    np.testing.assert_array_equal(reconstructions, images)
    errors, reconstructions = ink.l1_errors(blank, images, batch_size=3)
    np.testing.assert_allclose(errors, np.abs(images).mean(axis=(1, 2, 3)), rtol=1e-6)
    assert reconstructions.shape == images.shape and not reconstructions.any()
