"""benchmarks/joint_d_probe.py's sensitivity of a joint D(x, z) to its image and its code."""

import numpy as np
import pytest
import tensorflow as tf


@pytest.fixture(scope="module")
def probe(benchmark_script):
    return benchmark_script("joint_d_probe")


def test_a_linear_critic_of_the_code_alone_is_blind_to_images(probe):
    w_x, w_z = np.array([0.0, 0.0, 0.0], np.float32), np.array([3.0, 4.0], np.float32)

    def critic(x, z):
        return {"logits": tf.linalg.matvec(x, w_x) + tf.linalg.matvec(z, w_z)}
    x = tf.constant(np.random.default_rng(0).normal(size=(6, 3)), tf.float32)
    z = tf.constant(np.random.default_rng(1).normal(size=(6, 2)), tf.float32)
    found = probe.sensitivity(critic, x, z)
    assert found["mean ||dD/dx||"] == pytest.approx(0.0)
    assert found["mean ||dD/dz||"] == pytest.approx(5.0)
    assert found["logit change, images rolled"] == pytest.approx(0.0)
    rolled = np.abs(z.numpy() @ w_z - np.roll(z.numpy(), 1, 0) @ w_z).mean()
    assert found["logit change, codes rolled"] == pytest.approx(rolled, rel=1e-5)
