"""MNIST carried by the package, as flat vectors in [-1, 1] for permutation-invariant models.

The BiGAN authors train on the first 50,000 training images and hold out the last 10,000 as a
validation split; the official 10,000 test images are the `test` split.
"""

import os

import numpy as np

PACKAGED_MNIST = os.path.join(os.path.dirname(__file__), "mnist.npz")

# split name -> (array prefix in the npz, slice of that array)
SPLITS = {
    "train": ("train", slice(0, 50000)),
    "validation": ("train", slice(50000, 60000)),
    "train_full": ("train", slice(0, 60000)),
    "test": ("test", slice(0, 10000)),
}


def load_mnist_uint8(split="train", path=None, limit=None):
    """Returns (images, labels): uint8 (N, 28, 28) images and int64 labels of `split`."""
    if split not in SPLITS:
        raise ValueError(f"Unknown MNIST split {split!r}; valid splits: {sorted(SPLITS)}")
    path = path or PACKAGED_MNIST
    if not os.path.exists(path):
        raise FileNotFoundError(f"MNIST file not found: {path}")
    prefix, rows = SPLITS[split]
    with np.load(path) as data:
        for key in (f"x_{prefix}", f"y_{prefix}"):
            if key not in data:
                raise ValueError(f"{path} has no array {key!r}; expected the "
                                 f"keras.datasets.mnist layout")
        images, labels = data[f"x_{prefix}"][rows], data[f"y_{prefix}"][rows]
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"{path}: x_{prefix} has shape {images.shape}, expected (N, 28, 28)")
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    return images, labels.astype(np.int64)


def load_mnist(split="train", path=None, flatten=True, limit=None, pad_to=None):
    """Returns (images, labels): float32 images in [-1, 1] and int64 labels.

    Args:
      split: one of SPLITS.
      path: an npz in the `keras.datasets.mnist` layout; defaults to the packaged copy.
      flatten: 784-vectors (permutation-invariant MNIST) rather than 28x28x1 images.
      limit: keep only the first `limit` examples (short runs and tests).
      pad_to: pads the 28x28 images with background (-1) to pad_to x pad_to, centred (32 for
        the empirical study's SN-DCGAN networks, whose side must be a multiple of 8).
    """
    images, labels = load_mnist_uint8(split, path, limit)
    if pad_to is not None:
        if pad_to < 28 or (pad_to - 28) % 2:
            raise ValueError(f"MNIST pad_to must be 28 + an even number, got {pad_to}")
        border = (pad_to - 28) // 2
        images = np.pad(images, ((0, 0), (border, border), (border, border)))
    images = images.astype(np.float32) / 127.5 - 1.0
    images = images.reshape(len(images), -1) if flatten else images[..., None]
    return images, labels
