"""How much of an image set's power sits at the period-two frequencies: the checkerboard measure.

A stride-2 transposed convolution whose kernel size the stride does not divide (DCGAN's 5x5, or
4x4 with uneven overlap) paints a pattern that repeats every two pixels over whatever it draws:
aliased copies of the image's low frequencies around (1/2, 0), (0, 1/2) and (1/2, 1/2) cycles per
pixel. Early in training it dominates the samples (the "checkerboard stage"), and it fades as G
learns to cancel it. `period_two_power` is the fraction of an image set's power (mean removed per
image and channel) within `band` cycles per pixel of those three points (wrapping around);
`period_two_power_ratio` divides the samples' fraction by the real images' fraction, so 1 means
"as much period-two structure as the data" and a checkerboard shows as a ratio of several.
"""

import numpy as np

from tfencgan.metrics.generation import sample_batches

# Reference values, not ranked (a blurry generator scores below the data, which is no better).
DIRECTIONS = {"period_two_power_ratio": None}


def period_two_mask(height, width, band=0.125):
    """Boolean [height, width] mask of np.fft.fft2's frequencies within `band` (L-infinity,
    cycles per pixel) of (1/2, 0), (0, 1/2) or (1/2, 1/2)."""
    fy = np.abs(np.fft.fftfreq(height))[:, None]        # in [0, 1/2]
    fx = np.abs(np.fft.fftfreq(width))[None, :]
    near_half_y, near_half_x = 0.5 - fy <= band, 0.5 - fx <= band
    near_zero_y, near_zero_x = fy <= band, fx <= band
    return ((near_half_y & near_zero_x) | (near_zero_y & near_half_x)
            | (near_half_y & near_half_x))


def period_two_power(images, band=0.125):
    """Fraction of the power of `images` ([N, H, W] or [N, H, W, C]) at the period-two
    frequencies (summed over images and channels before dividing)."""
    images = np.asarray(images, np.float64)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(f"period_two_power: images of shape [N, H, W(, C)], got {images.shape}")
    centred = images - images.mean(axis=(1, 2), keepdims=True)
    power = np.abs(np.fft.fft2(centred, axes=(1, 2))) ** 2
    total = power.sum()
    if total == 0:
        return 0.0
    return float(power[:, period_two_mask(*images.shape[1:3], band)].sum() / total)


def period_two_power_ratio(generator, real_images, sample_latent, batch_size=500,
                           bn_batches=20, band=0.125):
    """period_two_power of as many samples G(z) as `real_images` over that of the real images;
    G's batch-norm statistics re-estimated on prior draws, as for the other sample metrics."""
    samples = np.concatenate([np.asarray(batch) for batch in sample_batches(
        generator, sample_latent, len(real_images), batch_size, bn_batches)])
    samples = samples.reshape(real_images.shape)
    real = period_two_power(real_images, band)
    return period_two_power(samples, band) / max(real, 1e-12)
