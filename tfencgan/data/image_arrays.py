"""A whole image source in memory as float32 arrays, for the array-based trainer.

Images are resized so the shorter side is `resize_to` (default `size`) and centre-cropped to
size x size, the evaluation mode of the BiGAN paper's pipeline (no random
augmentation: the empirical study trains CIFAR-10 without pre-processing), then scaled to
[-1, 1]. Splits, including those made by `holdout`, are the source's (tfencgan.data.sources).
Holds N*size*size*3 floats: fine for CIFAR-10 (50k x 32^2: 0.6 GB), not for ImageNet; stream
those through `tfencgan.data.image_batches` instead.
"""

import numpy as np

from tfencgan.data.files import ImageDataError


def stream_image_split(split, batch_size, limit=None, source="folder", size=32, resize_to=None,
                       **source_options):
    """Iterator of (images, labels) NumPy batches of a split (centre crops in file order), at
    most `limit` images: memory holds one batch. `source_options` go to the source (path,
    holdout, data_dir, ...; see tfencgan.data.sources)."""
    from tfencgan.data import image_batches
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


def load_image_arrays(split, limit=None, **options):
    """A whole split as (images, labels) arrays; options as for `stream_image_split`."""
    parts = list(stream_image_split(split, 500, limit, **options))
    if not parts:
        raise ImageDataError(f"Split {split!r} of image source {options.get('source')!r} has "
                             f"no images left (all skipped as corrupt, or an empty split)")
    return np.concatenate([x for x, _ in parts]), np.concatenate([y for _, y in parts])
