"""Where images come from, behind one registry: `load_source(name, **options)`.

Every source returns a `Source`: a tf.data.Dataset of (uint8 HxWx3 image, int64 label; -1 when
unlabelled) in a fixed order, and its size. Sources: the packaged MNIST, NumPy `.npz` files,
folders of images (with or without class sub-folders), TFRecord files of `tf.train.Example`, and
any TFDS builder (read with `download=False`: offline, a download attempt hangs for minutes), with
presets for the papers' datasets (CIFAR-10, CelebA, ImageNet, downsampled ImageNet 64x64).
"""

import dataclasses
import glob
import os

import numpy as np
import tensorflow as tf

from tfencgan.data.files import ImageDataError, checked_decode, decode_files, list_image_folder
from tfencgan.data.mnist import PACKAGED_MNIST, load_mnist_uint8
from tfencgan.data.preprocessing import to_rgb


@dataclasses.dataclass
class Source:
    dataset: tf.data.Dataset     # (uint8 HxWx3, int64 label)
    size: int
    description: str
    resized_to: int = None       # shorter side the source already resized to, if any


def from_arrays(images, labels, description):
    """uint8 arrays (N, H, W[, C]) with C in {1, 3, 4} -> Source of RGB images."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3, 4):
        raise ImageDataError(f"{description}: images have shape {images.shape}; expected "
                             f"(N, H, W) or (N, H, W, C) with C in 1, 3, 4")
    if images.dtype != np.uint8:
        raise ImageDataError(f"{description}: images have dtype {images.dtype}; expected uint8")
    labels = np.full(len(images), -1, np.int64) if labels is None else np.asarray(labels, np.int64)
    if labels.shape != (len(images),):
        raise ImageDataError(f"{description}: labels have shape {labels.shape}; expected "
                             f"({len(images)},)")
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).map(
        lambda image, label: (to_rgb(image), label))
    return Source(dataset, len(images), description)


def npz_source(path, split="train", image_key=None, label_key=None, **_):
    """An .npz with arrays `image_key` (default x_<split>) and optionally `label_key`."""
    image_key = image_key or f"x_{split}"
    label_key = label_key or f"y_{split}"
    if not os.path.exists(path):
        raise ImageDataError(f"npz file not found: {path}")
    with np.load(path) as data:
        if image_key not in data:
            raise ImageDataError(f"{path} has no array {image_key!r} (field data.image_key); it "
                                 f"has {sorted(data.keys())}")
        images = data[image_key]
        labels = data[label_key] if label_key in data else None
    return from_arrays(images, labels, f"{path}[{image_key}]")


def mnist_source(split="train", **_):
    """The packaged MNIST, with the splits of tfencgan.data.mnist.SPLITS."""
    images, labels = load_mnist_uint8(split)
    return from_arrays(images, labels, f"{PACKAGED_MNIST}[{split}]")


def folder_source(path, on_corrupt="error", min_side=None, **_):
    """A folder of images; with `min_side`, decoded and resized to that shorter side at once."""
    paths, labels, classes = list_image_folder(path)
    description = f"{path} ({len(paths)} images" + (f", {len(classes)} classes)" if classes
                                                     else ")")
    return Source(decode_files(paths, labels, 3, on_corrupt, min_side), len(paths), description,
                  min_side)


def tfrecord_source(path, image_key="image/encoded", label_key="image/class/label",
                    on_corrupt="error", min_side=None, **_):
    """TFRecord files (a glob pattern) of tf.train.Example with an encoded image per record."""
    files = sorted(glob.glob(path))
    if not files:
        raise ImageDataError(f"No TFRecord files match {path}")
    names = []
    for file in files:
        count = 0
        for record in tf.data.TFRecordDataset(file):
            if count == 0:
                keys = tf.train.Example.FromString(record.numpy()).features.feature
                if image_key not in keys:
                    raise ImageDataError(f"{file}: records have no feature {image_key!r} (field "
                                         f"data.image_key); they have {sorted(keys)}")
            count += 1
        names.extend(f"{file}#{i}" for i in range(count))
    features = {image_key: tf.io.FixedLenFeature([], tf.string),
                label_key: tf.io.FixedLenFeature([], tf.int64, default_value=-1)}
    records = tf.data.TFRecordDataset(files).map(
        lambda r: tf.io.parse_single_example(r, features))
    labels = np.array([e[label_key] for e in records.as_numpy_iterator()], np.int64)
    contents = records.map(lambda e: e[image_key])
    return Source(checked_decode(names, contents, labels, 3, on_corrupt, min_side), len(names),
                  f"{path} ({len(names)} records)", min_side)


def tfds_source(tfds_name, split="train", data_dir=None, image_key="image", label_key="label",
                **_):
    """A prepared TFDS dataset; never downloads."""
    import tensorflow_datasets as tfds
    try:
        builder = tfds.builder(tfds_name, data_dir=data_dir)
    except tfds.core.registered.DatasetNotFoundError as error:
        raise ImageDataError(f"TFDS has no dataset {tfds_name!r} (field data.tfds_name)") \
            from error
    if not builder.is_prepared():
        raise ImageDataError(
            f"TFDS dataset {tfds_name!r} is not prepared in {builder.data_dir} (data.data_dir). "
            f"tfencgan never downloads (offline that hangs for minutes): on a machine with "
            f"internet run `tfds build {tfds_name} --data_dir=DIR` (ImageNet and some others "
            f"need their archives placed in DIR/downloads/manual first), then copy DIR here and "
            f"pass --config.data.data_dir=DIR.")
    if split not in builder.info.splits:
        raise ImageDataError(f"TFDS dataset {tfds_name!r} has no split {split!r}; splits: "
                             f"{sorted(builder.info.splits)}")
    dataset = builder.as_dataset(split=split, shuffle_files=False)
    features = builder.info.features
    if image_key not in features:
        raise ImageDataError(f"TFDS dataset {tfds_name!r} has no feature {image_key!r} (field "
                             f"data.image_key); features: {sorted(features)}")
    has_label = label_key in features

    def convert(example):
        label = tf.cast(example[label_key], tf.int64) if has_label else tf.constant(-1, tf.int64)
        return to_rgb(example[image_key]), label

    return Source(dataset.map(convert, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True),
                  builder.info.splits[split].num_examples, f"tfds:{tfds_name}[{split}]")


def _tfds_preset(tfds_name):
    def load(split="train", data_dir=None, path=None, on_corrupt="error", min_side=None,
             **options):
        # A folder of images (e.g. the CIFAR-10 JPEGs) stands in for the TFDS copy if given.
        if path:
            return folder_source(path, on_corrupt, min_side)
        return tfds_source(tfds_name, split, data_dir, **options)
    load.__doc__ = f"TFDS `{tfds_name}`, or a folder of its images given as `path`."
    return load


SOURCES = {
    "mnist": mnist_source,
    "npz": npz_source,
    "folder": folder_source,
    "tfrecord": tfrecord_source,
    "tfds": tfds_source,
    "cifar10": _tfds_preset("cifar10"),
    "celeb_a": _tfds_preset("celeb_a"),
    "imagenet": _tfds_preset("imagenet2012"),
    "imagenet64": _tfds_preset("downsampled_imagenet/64x64"),
}


def load_source(name, **options):
    """Builds the source `name` with its options (path, split, tfds_name, data_dir, keys...)."""
    if name not in SOURCES:
        raise ValueError(f"Unknown image source {name!r}; valid sources: {sorted(SOURCES)}")
    options = {k: v for k, v in options.items() if v is not None}
    return SOURCES[name](**options)
