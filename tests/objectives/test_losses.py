"""Each loss against values computed by hand from the formulas of the papers."""

import math

import numpy as np
import pytest

from tfencgan.objectives import losses


def neg_log_sigmoid(l):      # -log D for D = sigmoid(l)
    return -math.log(1.0 / (1.0 + math.exp(-l)))


def neg_log_one_minus_sigmoid(l):   # -log(1 - D)
    return -math.log(1.0 - 1.0 / (1.0 + math.exp(-l)))


REAL = [0.0, 2.0]
FAKE = [-1.0, 1.5]


def test_discriminator_loss_is_minus_v_halved():
    # -V = -(E log D(real) + E log(1 - D(fake))), each side a batch mean, the two averaged.
    expected = 0.5 * (np.mean([neg_log_sigmoid(l) for l in REAL])
                      + np.mean([neg_log_one_minus_sigmoid(l) for l in FAKE]))
    got = float(losses.discriminator_loss(np.array(REAL), np.array(FAKE)))
    assert got == pytest.approx(expected, rel=1e-6)


def test_chance_discriminator_scores_log_two():
    zeros = np.zeros(4, np.float32)
    assert float(losses.discriminator_loss(zeros, zeros)) == pytest.approx(math.log(2.0))


def test_generator_inverse_loss_swaps_labels():
    # -Λ = -(E log(1 - D(real)) + E log D(fake)).
    expected = 0.5 * (np.mean([neg_log_one_minus_sigmoid(l) for l in REAL])
                      + np.mean([neg_log_sigmoid(l) for l in FAKE]))
    got = float(losses.generator_inverse_loss(np.array(REAL), np.array(FAKE)))
    assert got == pytest.approx(expected, rel=1e-6)


def test_losses_stable_for_huge_logits():
    big = np.array([80.0, -80.0], np.float32)
    assert np.isfinite(float(losses.discriminator_loss(big, -big)))
    assert float(losses.discriminator_loss(np.array([80.0]), np.array([-80.0]))) < 1e-6


def test_latent_regression_is_normalised_sigmoid_cross_entropy():
    z = np.array([[-1.0, 0.5], [0.0, 1.0]], np.float32)
    logits = np.array([[0.3, -0.2], [1.0, 2.0]], np.float32)
    total = 0.0
    for zi, li in zip(z.ravel(), logits.ravel()):
        t = (zi + 1.0) / 2.0
        p = 1.0 / (1.0 + math.exp(-li))
        total += -(t * math.log(p) + (1.0 - t) * math.log(1.0 - p))
    expected = total / z.size   # summed over the 2 dims, divided by 2, averaged over 2 examples
    assert float(losses.latent_regression_loss(z, logits)) == pytest.approx(expected, rel=1e-6)


def test_reconstruction_losses():
    x = np.array([[1.0, -1.0, 0.5]], np.float32)
    x_hat = np.array([[0.0, -0.5, 0.5]], np.float32)
    assert float(losses.reconstruction_loss(x, x_hat, "l2")) == pytest.approx((1 + 0.25) / 3)
    assert float(losses.reconstruction_loss(x, x_hat, "l1")) == pytest.approx((1 + 0.5) / 3)
    with pytest.raises(ValueError, match="valid norms"):
        losses.reconstruction_loss(x, x_hat, "l3")
