"""Datasets as tf.data pipelines of float32 images in [-1, 1] (and int64 labels).

`training_dataset` gives the order of every epoch as a pure function of (seed, epoch), so a run
resumed at an epoch boundary sees exactly the batches an uninterrupted run would.
"""

import inspect

import tensorflow as tf

from tfencgan.data.image_arrays import load_image_arrays, stream_image_split
from tfencgan.data.files import ImageDataError
from tfencgan.data.mnist import SPLITS as MNIST_SPLITS, load_mnist

# The datasets of config.data.name: name -> loader(split, limit, **options) returning
# (images, labels) NumPy arrays, and the options it takes.
LOADERS = {
    # The packaged MNIST as float arrays (tfencgan.data.mnist).
    "mnist": lambda split, limit, **kw: load_mnist(split, limit=limit, **kw),
    # Any image source of tfencgan.data.sources, through the image pipeline.
    "images": lambda split, limit, **kw: load_image_arrays(split, limit, **kw),
}
# The MNIST loader's options: its keyword parameters (as sources.load_source reads a source's).
MNIST_OPTIONS = tuple(p for p in inspect.signature(load_mnist).parameters
                      if p not in ("split", "limit"))
# Options of an "images" dataset that the pipeline takes (the rest are its source's, checked by
# tfencgan.data.sources.load_source against the source's own parameters).
PIPELINE_OPTIONS = ("source", "size", "resize_to")


def source_options(options):
    """The options of an "images" dataset that go to its source (path, holdout, ...)."""
    return {k: v for k, v in options.items() if k not in PIPELINE_OPTIONS}


def check_options(name, options):
    """Unknown options of dataset `name` are an error naming the valid ones."""
    if name not in LOADERS:
        raise ValueError(f"Unknown dataset {name!r}; valid datasets: {sorted(LOADERS)}")
    if name == "mnist":
        unknown = sorted(set(options) - set(MNIST_OPTIONS))
        if unknown:
            raise ImageDataError(f"Dataset 'mnist' has no option(s) {unknown}; valid: "
                                 f"{list(MNIST_OPTIONS)}")


def load_arrays(name, split, limit=None, **options):
    """Loads a whole split as NumPy arrays."""
    check_options(name, options)
    return LOADERS[name](split, limit, **options)


def array_batches(images, labels, batch_size):
    """(images, labels) arrays -> iterator of batches in order, the last partial batch kept."""
    for start in range(0, len(images), batch_size):
        yield images[start:start + batch_size], labels[start:start + batch_size]


def split_batches(name, split, batch_size, limit=None, **options):
    """A split as a re-iterable: a zero-argument function returning an iterator of (images,
    labels) NumPy batches in a fixed order. Image sources stream (memory holds one batch); the
    packaged MNIST is loaded once and sliced."""
    if name == "images":
        check_options(name, options)
        return lambda: stream_image_split(split, batch_size, limit, **options)
    images, labels = load_arrays(name, split, limit, **options)
    return lambda: array_batches(images, labels, batch_size)


def _options():
    options = tf.data.Options()
    options.deterministic = True
    # Autotune's background thread can stall the end of short fit() calls; this pipeline is
    # an in-memory gather, so there is nothing for it to tune.
    options.autotune.enabled = False
    return options


def training_dataset(images, batch_size, seed, first_epoch, last_epoch):
    """Batches for epochs [first_epoch, last_epoch): each epoch a fresh seeded permutation.

    Drops the last partial batch (`drop_remainder=True`), as distributed training needs static
    batch shapes, so every epoch has `len(images) // batch_size` steps.
    """
    num_examples = len(images)
    if batch_size > num_examples:
        raise ValueError(f"batch_size {batch_size} exceeds the {num_examples} training examples")
    images = tf.constant(images)

    def epoch_batches(epoch):
        order = tf.random.experimental.stateless_shuffle(
            tf.range(num_examples), seed=tf.stack([tf.cast(seed, tf.int64), epoch]))
        return (tf.data.Dataset.from_tensor_slices(order)
                .batch(batch_size, drop_remainder=True)
                .map(lambda idx: tf.gather(images, idx)))

    dataset = tf.data.Dataset.range(first_epoch, last_epoch).flat_map(epoch_batches)
    return dataset.prefetch(2).with_options(_options())


def evaluation_dataset(images, batch_size, labels=None):
    """Batches in file order, keeping the last partial batch."""
    items = images if labels is None else (images, labels)
    return (tf.data.Dataset.from_tensor_slices(items).batch(batch_size)
            .prefetch(2).with_options(_options()))


def image_batches(source, *, training, batch_size, seed=0, first_epoch=0, last_epoch=1,
                  crop_size=64, resize_to=72, flip=True, cache="", shuffle_buffer=10000,
                  shard=None, **source_options):
    """Source name -> batches of (float32 images in [-1, 1], int64 labels).

    Training: epochs [first_epoch, last_epoch) of random crops and flips, `drop_remainder=True`.
    Evaluation: one pass of centre crops in file order. See tfencgan.data.pipeline and .sources;
    `source_options` go to the source (path, split, tfds_name, data_dir, image_key, on_corrupt).
    """
    from tfencgan.data import pipeline, sources
    settings = pipeline.ImageSettings(crop_size, resize_to, flip, cache, shuffle_buffer)
    loaded = sources.load_source(source, min_side=resize_to, **source_options)
    ready = pipeline.prepared(loaded.dataset, settings, shard,
                              resized=loaded.resized_to == resize_to and resize_to is not None)
    if training:
        return pipeline.training_batches(ready, settings, batch_size, seed, first_epoch,
                                         last_epoch)
    return pipeline.evaluation_batches(ready, settings, batch_size)


def augmented_batches(split, batch_size, seed, first_epoch, last_epoch, source="folder",
                      size=64, resize_to=None, **options):
    """Training images of an "images" dataset streamed through the BiGAN paper's augmentation:
    shorter side `resize_to` (72 for 64: size * 72 / 64), random size x size crop, random flip;
    epochs [first_epoch, last_epoch), each epoch's order a function of (seed, epoch)."""
    batches = image_batches(source, training=True, batch_size=batch_size, seed=seed,
                            first_epoch=first_epoch, last_epoch=last_epoch, crop_size=size,
                            resize_to=resize_to or round(size * 72 / 64), flip=True, split=split,
                            **options)
    return batches.map(lambda images, labels: images)
