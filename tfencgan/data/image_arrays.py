"""A whole image source in memory as float32 arrays, for the array-based trainer.

Images are resized so the shorter side is `resize_to` (default `size`) and centre-cropped to
size x size, the evaluation mode of the BiGAN paper's pipeline (no random
augmentation: the empirical study trains CIFAR-10 without pre-processing), then scaled to
[-1, 1]. Sources with splits (TFDS, npz, MNIST) get `split` passed on. A source without (a
folder, TFRecords) is split here when `holdout` is given: a fixed seeded permutation, its last
`holdout` images being "validation", the rest "train"; "all" is everything.
Holds N*size*size*3 floats: fine for CIFAR-10 (50k x 32^2: 0.6 GB), not for ImageNet; stream
those through `tfencgan.data.image_batches` instead.
"""

import numpy as np

SPLITS = ("train", "validation", "all")


def stream_image_split(split, batch_size, limit=None, source="folder", size=32, holdout=None,
                       seed=0, resize_to=None, **source_options):
    """Iterator of (images, labels) NumPy batches of a source's own split (no `holdout`), centre
    crops in file order, at most `limit` images: memory holds one batch."""
    from tfencgan.data import image_batches
    if holdout is not None:
        raise ValueError("stream_image_split reads a source's own splits; holdout splits are "
                         "made by load_image_arrays")
    del seed
    batches = image_batches(source, training=False, batch_size=batch_size, crop_size=size,
                            resize_to=resize_to or size, flip=False, split=split,
                            **source_options)
    remaining = limit
    for x, y in batches:
        if remaining is not None:
            if remaining <= 0:
                return
            x, y = x[:remaining], y[:remaining]
            remaining -= len(x)
        yield x.numpy(), y.numpy()


def load_image_arrays(split, limit=None, source="folder", size=32, holdout=None, seed=0,
                      resize_to=None, **source_options):
    if holdout is None:
        parts = list(stream_image_split(split, 500, limit, source, size, None, seed, resize_to,
                                        **source_options))
        return np.concatenate([x for x, _ in parts]), np.concatenate([y for _, y in parts])
    if split not in SPLITS:
        raise ValueError(f"Unknown split {split!r} of a source split by `holdout`; valid: "
                         f"{list(SPLITS)}")
    parts = list(stream_image_split("train", 500, None, source, size, None, seed, resize_to,
                                    **source_options))
    images = np.concatenate([x for x, _ in parts])
    labels = np.concatenate([y for _, y in parts])
    order = np.random.default_rng(seed).permutation(len(images))
    if split != "all":
        if holdout >= len(images):
            raise ValueError(f"holdout {holdout} leaves no training images of the "
                             f"{len(images)} in the source")
        order = order[-holdout:] if split == "validation" else order[:-holdout]
    order = order[:limit] if limit else order
    return images[order], labels[order]
