"""The period-two (checkerboard) power measure, tfencgan.metrics.spectrum."""

import keras
import numpy as np
import pytest

from tfencgan.metrics import spectrum


def test_mask_by_hand_on_8x8():
    # fftfreq(8) in |cycles/pixel|: 0, 1/8, 1/4, 3/8, 1/2, 3/8, 1/4, 1/8. Within 1/8 of 1/2:
    # indices 3, 4, 5; within 1/8 of 0: indices 0, 1, 7. Three 3x3 blocks.
    mask = spectrum.period_two_mask(8, 8)
    near_half, near_zero = [3, 4, 5], [0, 1, 7]
    expected = np.zeros((8, 8), bool)
    for rows, cols in ((near_half, near_zero), (near_zero, near_half), (near_half, near_half)):
        expected[np.ix_(rows, cols)] = True
    np.testing.assert_array_equal(mask, expected)
    assert mask.sum() == 27


def test_a_checkerboard_is_all_period_two_power_and_a_smooth_image_none():
    i, j = np.meshgrid(np.arange(16), np.arange(16), indexing="ij")
    checkerboard = np.where((i + j) % 2, 1.0, -1.0)
    stripes = np.where(j % 2, 1.0, -1.0)                   # period two along x only
    smooth = np.cos(2 * np.pi * i / 16) + np.sin(2 * np.pi * j / 16)
    assert spectrum.period_two_power(checkerboard[None]) == pytest.approx(1.0)
    assert spectrum.period_two_power(stripes[None, :, :, None]) == pytest.approx(1.0)
    assert spectrum.period_two_power(smooth[None]) == pytest.approx(0.0, abs=1e-12)
    # Mixed: the fraction is the checkerboard's share of the (mean-free) power.
    mixed = smooth + 0.5 * checkerboard
    share = 0.25 * 256 / (0.25 * 256 + 0.5 * 256 * 2)          # ||0.5 c||^2 / total
    assert spectrum.period_two_power(mixed[None]) == pytest.approx(share)
    assert spectrum.period_two_power(np.ones((2, 8, 8, 3))) == 0.0
    with pytest.raises(ValueError, match="N, H, W"):
        spectrum.period_two_power(np.zeros((4, 64)))


def test_a_strided_transposed_convolution_paints_period_two_power():
    rng = np.random.default_rng(0)
    coarse = rng.normal(size=(8, 8, 8, 1)).astype(np.float32)
    upsample = keras.layers.Conv2DTranspose(1, 5, 2, padding="same", use_bias=False,
                                            kernel_initializer="ones")
    painted = np.asarray(upsample(coarse))                        # uneven overlap: 5 = 2 * 2 + 1
    smooth = np.repeat(np.repeat(coarse, 2, 1), 2, 2)             # nearest neighbour
    blurred = (smooth + np.roll(smooth, 1, 1) + np.roll(smooth, 1, 2)
               + np.roll(np.roll(smooth, 1, 1), 1, 2)) / 4
    assert spectrum.period_two_power(painted) > 3 * spectrum.period_two_power(blurred)


def test_the_ratio_of_a_generator_that_draws_the_data_is_one():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(60, 8, 8, 1)).astype(np.float32)

    class Replay(keras.layers.Layer):
        """Draws the real images in order, whatever z: its samples are the data."""

        def __init__(self):
            super().__init__()
            self.position = 0

        def call(self, z, training=False):
            n = z.shape[0]
            out = real[np.arange(self.position, self.position + n) % len(real)]
            self.position += n
            return {"output": out}

    ratio = spectrum.period_two_power_ratio(Replay(), real, lambda n: np.zeros((n, 2)),
                                            batch_size=60, bn_batches=1)
    assert ratio == pytest.approx(1.0)
