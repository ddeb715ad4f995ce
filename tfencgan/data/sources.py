"""Where images come from, behind one registry: `load_source(name, **options)`.

Every source returns a `Source`: a tf.data.Dataset of (uint8 HxWx3 image, int64 label; -1 when
unlabelled) in a fixed order, and its size. Sources: the packaged MNIST, NumPy `.npz` files,
folders of images (with or without class sub-folders), TFRecord files of `tf.train.Example`, and
any TFDS builder (read with `download=False`: offline, a download attempt hangs for minutes), with
presets for the papers' datasets (CIFAR-10, CelebA, ImageNet, downsampled ImageNet 64x64).

Splits. TFDS builders, `.npz` files and MNIST have their own splits. A folder or TFRecord files
have none: they are one split, "train" (or "all"), and asking them for another is an error, so
evaluation can never silently query the training images. `holdout=N` splits any source: the N
images whose names (a file's path relative to the folder, a record's file and index, an index
for array sources) have the lowest SHA-1 hashes are "validation", the rest "train", and "all" is
both. A file's side depends only on its own name, so adding a file to a folder moves at most
one other image between the splits.

`spread=N` keeps N images of the split spread over it whatever the file order (folders list
their images class by class): for folders and TFRecords the N whose names hash lowest under
another salt, chosen before decoding; other sources keep their first N (TFDS shuffles a split
when it prepares it; array sources are small enough to be read whole).
"""

import dataclasses
import glob
import hashlib
import inspect
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


HOLDOUT_SPLITS = ("train", "validation", "all")
UNSPLIT = ("train", "all")      # the splits of a source that has none of its own


@dataclasses.dataclass(frozen=True)
class Holdout:
    """The `split` of a source divided by `holdout` (see the module docstring)."""

    count: int
    split: str

    def __post_init__(self):
        if self.split not in HOLDOUT_SPLITS:
            raise ImageDataError(f"Unknown split {self.split!r} of a source split by "
                                 f"data.options.holdout; valid: {list(HOLDOUT_SPLITS)}")
        if not isinstance(self.count, int) or self.count < 1:
            raise ImageDataError(f"data.options.holdout must be a positive number of images, "
                                 f"got {self.count!r}")

    def keep(self, names):
        """Boolean mask over `names`: the images of this split."""
        if self.count >= len(names):
            raise ImageDataError(f"holdout {self.count} leaves no training images of the "
                                 f"{len(names)} in the source")
        hashes = [hashlib.sha1(str(name).encode()).hexdigest() for name in names]
        held = np.zeros(len(names), bool)
        held[np.argsort(hashes, kind="stable")[:self.count]] = True
        return {"validation": held, "train": ~held, "all": np.ones(len(names), bool)}[self.split]

    def apply(self, source):
        """Filters a source of array-backed or TFDS elements by index (names are indices)."""
        keep = tf.constant(self.keep(range(source.size)))
        dataset = (source.dataset.enumerate().filter(lambda i, element: keep[i])
                   .map(lambda i, element: element))
        return Source(dataset, int(np.sum(keep.numpy())),
                      f"{source.description} [{self.split} of holdout {self.count}]",
                      source.resized_to)


def spread_mask(names, count, within):
    """Boolean mask: `count` of the names where `within` is True (all of them if fewer), those
    whose salted SHA-1 hashes are lowest, independent of the holdout's choice."""
    hashes = np.array([hashlib.sha1(f"spread:{name}".encode()).hexdigest() for name in names])
    chosen = np.flatnonzero(within)[np.argsort(hashes[within], kind="stable")[:count]]
    mask = np.zeros(len(names), bool)
    mask[chosen] = True
    return mask


def _selected(names, holdout, spread):
    """The mask of the names a holdout split (or every name) and `spread` keep."""
    keep = holdout.keep(names) if holdout else np.ones(len(names), bool)
    return spread_mask(names, spread, keep) if spread else keep


def _unsplit(description, split):
    if split not in UNSPLIT:
        raise ImageDataError(f"{description} has no split {split!r} (only {list(UNSPLIT)}): "
                             f"hold out images for evaluation with "
                             f"--config.data.options.holdout=N (splits then: "
                             f"{list(HOLDOUT_SPLITS)})")


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


def npz_source(path, split="train", image_key=None, label_key=None):
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


def mnist_source(split="train"):
    """The packaged MNIST, with the splits of tfencgan.data.mnist.SPLITS."""
    images, labels = load_mnist_uint8(split)
    return from_arrays(images, labels, f"{PACKAGED_MNIST}[{split}]")


def folder_source(path=None, split="train", holdout=None, on_corrupt="error", min_side=None,
                  spread=None):
    """A folder of images; with `min_side`, decoded and resized to that shorter side at once."""
    if not path:
        raise ImageDataError("An image folder needs its path: --config.data.options.path=DIR")
    paths, labels, classes = list_image_folder(path)
    if holdout is None:
        _unsplit(path, split)
    else:
        split = f"{split} of holdout {holdout.count}"
    # Selected before decoding: the files left out are never read.
    keep = _selected([os.path.relpath(p, path) for p in paths], holdout, spread)
    paths = [p for p, k in zip(paths, keep) if k]
    labels = [l for l, k in zip(labels, keep) if k]
    description = f"{path} [{split}] ({len(paths)} images" + (
        f", {len(classes)} classes)" if classes else ")")
    return Source(decode_files(paths, labels, 3, on_corrupt, min_side), len(paths), description,
                  min_side)


def tfrecord_source(path, split="train", holdout=None, image_key="image/encoded",
                    label_key="image/class/label", on_corrupt="error", min_side=None,
                    spread=None):
    """TFRecord files (a glob pattern) of tf.train.Example with an encoded image per record."""
    if holdout is None:
        _unsplit(path, split)
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
    if holdout is not None or spread:   # selected before decoding
        keep = _selected([f"{os.path.basename(n.split('#')[0])}#{n.split('#')[1]}"
                          for n in names], holdout, spread)
        mask = tf.constant(keep)
        contents = (contents.enumerate().filter(lambda i, c: mask[i]).map(lambda i, c: c))
        names = [n for n, k in zip(names, keep) if k]
        labels = labels[keep]
    return Source(checked_decode(names, contents, labels, 3, on_corrupt, min_side), len(names),
                  f"{path} ({len(names)} records)", min_side)


def tfds_source(tfds_name, split="train", data_dir=None, image_key="image", label_key="label"):
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
            f"pass --config.data.options.data_dir=DIR.")
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
    def load(split="train", holdout=None, data_dir=None, path=None, on_corrupt="error",
             min_side=None, image_key="image", label_key="label", spread=None):
        # A folder of images (e.g. the CIFAR-10 JPEGs) stands in for the TFDS copy if given.
        if path:
            return folder_source(path, split, holdout, on_corrupt, min_side, spread)
        source = tfds_source(tfds_name, split, data_dir, image_key, label_key)
        return holdout.apply(source) if holdout else source
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


def load_source(name, split="train", holdout=None, min_side=None, spread=None, **options):
    """Builds the source `name`'s `split` with its options (path, tfds_name, data_dir, keys...).

    With `holdout` (a number of images), `split` is one of HOLDOUT_SPLITS of the source's own
    "train" split; with `spread`, that many of the split's images (module docstring).
    `min_side` goes to the sources that resize while decoding. Unknown options are an error
    naming the valid ones.
    """
    source = _load_split(name, split, holdout, min_side, spread, options)
    if spread and source.size > spread:    # a source that cannot choose before decoding
        source = Source(source.dataset.take(spread), spread,
                        f"{source.description} [first {spread}]", source.resized_to)
    return source


def _load_split(name, split, holdout, min_side, spread, options):
    if name not in SOURCES:
        raise ImageDataError(f"Unknown image source {name!r}; valid sources: {sorted(SOURCES)}")
    builder = SOURCES[name]
    parameters = set(inspect.signature(builder).parameters)
    options = {k: v for k, v in options.items() if v is not None}
    unknown = sorted(set(options) - parameters)
    if unknown:
        raise ImageDataError(f"Image source {name!r} has no option(s) {unknown}; valid: "
                             f"{sorted(parameters - {'split', 'min_side'})}")
    if "min_side" in parameters:
        options["min_side"] = min_side
    if "spread" in parameters:
        options["spread"] = spread
    if holdout is None:
        return builder(split=split, **options)
    selection = Holdout(holdout, split)
    if "holdout" in parameters:     # selects before decoding
        return builder(split="train", holdout=selection, **options)
    return selection.apply(builder(split="train", **options))
