"""From decoded images to training and evaluation batches.

    decoded uint8 images (any size, RGB) -> resize shorter side -> cache -> per epoch: seeded
    shuffle, random crop + flip (training) or centre crop (evaluation) -> [-1, 1] -> batches

Decoding and resizing happen once: the cache (memory, or a file prefix) holds uint8 images
before the random crop. Each epoch's order and crops are a function of (seed, epoch), so a run
resumed at an epoch boundary sees the batches an uninterrupted run would.
"""

import dataclasses

import tensorflow as tf

from tfencgan.data import preprocessing


@dataclasses.dataclass(frozen=True)
class ImageSettings:
    """Sizes of the BiGAN paper's preprocessing (appendix C.2) by default."""

    crop_size: int = 64
    resize_to: int = 72          # shorter edge before cropping; None: no resize
    flip: bool = True
    cache: str = ""              # "" memory, a path prefix for a file cache, None for no cache
    shuffle_buffer: int = 10000


def _options():
    options = tf.data.Options()
    options.deterministic = True
    return options


def prepared(images_and_labels, settings, shard=None, resized=False):
    """Resizes and caches decoded images; returns a dataset of (index, image uint8, label).

    `resized`: the source already resized to `settings.resize_to` (file sources do it in their
    decode map, see files.decode_files(min_side=...)).
    `shard`: (num_shards, shard_index) for multi-worker input; each worker keeps 1/num_shards.
    """
    ds = images_and_labels
    if shard is not None:
        ds = ds.shard(*shard)
    if settings.resize_to and not resized:
        size = settings.resize_to
        ds = ds.map(lambda image, label: (preprocessing.resize_shorter_side(image, size), label),
                    num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    if settings.cache is not None:
        ds = ds.cache(settings.cache)
    return ds.enumerate()


def training_batches(prepared_ds, settings, batch_size, seed, first_epoch, last_epoch):
    """Batches of float32 images in [-1, 1] (and labels) for epochs [first_epoch, last_epoch)."""
    crop = settings.crop_size

    def augment(epoch, index, image, label):
        image_seed = tf.stack([tf.cast(seed, tf.int64), epoch * (1 << 32) + index])
        if settings.flip:
            image = preprocessing.random_crop_and_flip(image, crop, image_seed)
        else:
            channels = tf.shape(image)[-1]
            image = tf.image.stateless_random_crop(image, tf.stack([crop, crop, channels]),
                                                   image_seed)
        return preprocessing.to_unit_range(image), label

    def epoch_batches(epoch):
        # Python-int seeds: with a global seed set (keras.utils.set_random_seed), shuffle
        # rejects a tensor seed.
        shuffled = prepared_ds.shuffle(settings.shuffle_buffer, seed=seed * 100003 + epoch,
                                       reshuffle_each_iteration=False)
        return (shuffled.map(lambda index, element: augment(epoch, index, *element),
                             num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
                .batch(batch_size, drop_remainder=True))

    if last_epoch <= first_epoch:
        raise ValueError(f"No epochs in [{first_epoch}, {last_epoch})")
    epochs = [epoch_batches(epoch) for epoch in range(first_epoch, last_epoch)]
    ds = epochs[0]
    for later in epochs[1:]:
        ds = ds.concatenate(later)
    return ds.prefetch(tf.data.AUTOTUNE).with_options(_options())


def evaluation_batches(prepared_ds, settings, batch_size):
    """Centre-cropped, unflipped batches in file order, the last partial batch kept."""
    crop = settings.crop_size

    def centre(index, element):
        image, label = element
        return preprocessing.to_unit_range(preprocessing.center_crop(image, crop)), label

    return (prepared_ds.map(centre, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
            .batch(batch_size).prefetch(tf.data.AUTOTUNE).with_options(_options()))
