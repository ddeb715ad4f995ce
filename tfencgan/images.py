"""Image grids of samples and reconstructions, as PNG files and TensorBoard images."""

import math
import os

import numpy as np
import tensorflow as tf


def to_images(batch, data_shape):
    """[-1, 1] batch (flat or HxWxC) -> uint8 NHWC; a flat square vector becomes a square image."""
    batch = np.asarray(batch)
    if len(data_shape) == 1:
        side = math.isqrt(data_shape[0])
        if side * side != data_shape[0]:
            raise ValueError(f"Cannot show flat data of size {data_shape[0]} as a square image")
        batch = batch.reshape(len(batch), side, side, 1)
    return np.clip(np.round((batch + 1.0) * 127.5), 0, 255).astype(np.uint8)


def grid(images, columns):
    """NHWC uint8 -> one (rows*H) x (columns*W) x C image, row-major, black padding."""
    n, h, w, c = images.shape
    rows = math.ceil(n / columns)
    padded = np.zeros((rows * columns, h, w, c), np.uint8)
    padded[:n] = images
    return padded.reshape(rows, columns, h, w, c).transpose(0, 2, 1, 3, 4).reshape(
        rows * h, columns * w, c)


def save_png(path, image):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    tf.io.write_file(tmp, tf.io.encode_png(image))
    os.replace(tmp, path)


def interleave(originals, reconstructions):
    """x_1, G(E(x_1)), x_2, G(E(x_2)), ...: each original beside its reconstruction."""
    pairs = np.stack([originals, reconstructions], axis=1)
    return pairs.reshape((-1,) + originals.shape[1:])


def interpolation_latents(z_start, z_end, steps):
    """Rows of `steps` codes from each z_start[i] to z_end[i] along a straight line: an
    (N * steps, d) array, row-major, for a grid with `steps` columns."""
    weights = np.linspace(0.0, 1.0, steps, dtype=np.float32)[None, :, None]
    rows = z_start[:, None, :] * (1.0 - weights) + z_end[:, None, :] * weights
    return rows.reshape(-1, z_start.shape[-1])
