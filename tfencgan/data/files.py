"""Image files: listing folders, decoding in parallel, and naming the file that fails.

tf.data decoders fail with messages that do not say which file was bad. `decode_files` decodes
with `ignore_errors`, then walks the element indices with `scan`: a gap in the indices is a file
that failed, and the scan either stops with an error naming it (`on_corrupt="error"`) or prints
its name with a running count of skipped files (`on_corrupt="skip"`). It costs nothing when every
file is good.
"""

import os
import sys

import tensorflow as tf

from tfencgan.data.preprocessing import resize_shorter_side, to_rgb

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp")
ON_CORRUPT = ("error", "skip")


class ImageDataError(ValueError):
    """A dataset's files or arrays are unusable; the message names the file or field."""


def list_image_folder(folder):
    """Returns (paths, labels, class_names) of the images below `folder`.

    With class sub-folders, labels index the sorted sub-folder names; with images directly in
    `folder`, labels are -1 and class_names is empty. Files without an image extension are left
    out (and counted in the error if nothing is left).
    """
    if not os.path.isdir(folder):
        raise ImageDataError(f"Image folder not found: {folder}")
    entries = sorted(os.listdir(folder))
    classes = [e for e in entries if os.path.isdir(os.path.join(folder, e))]
    paths, labels, others = [], [], 0
    groups = [(folder, -1)] + [(os.path.join(folder, c), i) for i, c in enumerate(classes)]
    for directory, label in groups:
        for name in sorted(os.listdir(directory)):
            path = os.path.join(directory, name)
            if os.path.isdir(path):
                continue
            if name.lower().endswith(IMAGE_EXTENSIONS):
                paths.append(path)
                labels.append(label)
            else:
                others += 1
    if classes and any(label == -1 for label in labels):
        loose = [p for p, l in zip(paths, labels) if l == -1][:3]
        raise ImageDataError(f"{folder} mixes class sub-folders with loose images, e.g. {loose}")
    if not paths:
        raise ImageDataError(f"No image files ({', '.join(IMAGE_EXTENSIONS)}) in {folder}"
                             + (f" ({others} other files ignored)" if others else ""))
    return paths, labels, classes


def _jpeg_scale_ratio(contents, min_side):
    """Largest ratio in {1, 2, 4, 8} whose JPEG DCT-scaled decode keeps the shorter side >=
    min_side: decoding at 1/ratio scale is much cheaper than decoding and then resizing."""
    shape = tf.image.extract_jpeg_shape(contents)
    shorter = tf.minimum(shape[0], shape[1])
    ratio = tf.constant(1)
    for candidate in (2, 4, 8):
        ratio = tf.where(shorter // candidate >= min_side, candidate, ratio)
    return ratio


def decode_image(contents, channels=3, min_side=None):
    """Encoded JPEG/PNG/GIF/BMP bytes -> uint8 HxWxchannels (grey and RGBA become RGB).

    With `min_side`, a JPEG is decoded at the smallest DCT scale (1/2, 1/4, 1/8) that keeps its
    shorter side >= min_side: the later resize to min_side then starts from fewer pixels.
    """
    if min_side:
        def scaled_jpeg():
            ratio = _jpeg_scale_ratio(contents, min_side)
            branches = [lambda r=r: tf.io.decode_jpeg(contents, ratio=r) for r in (1, 2, 4, 8)]
            index = tf.cast(tf.math.log(tf.cast(ratio, tf.float32)) / tf.math.log(2.0), tf.int32)
            return tf.switch_case(index, branches)

        image = tf.cond(tf.io.is_jpeg(contents), scaled_jpeg,
                        lambda: tf.io.decode_image(contents, expand_animations=False))
    else:
        image = tf.io.decode_image(contents, expand_animations=False)
    if channels == 3:
        return to_rgb(image)
    return tf.ensure_shape(tf.image.rgb_to_grayscale(to_rgb(image)), [None, None, 1])


def checked_decode(names, contents, labels, channels=3, on_corrupt="error", min_side=None):
    """Decodes `contents`: a dataset of encoded bytes, or a list of file paths, aligned with the
    Python list `names`.

    Yields (image uint8 HxWxC, label); with `min_side`, images come resized so that their
    shorter side is `min_side` (decode and resize in one map: tf.data's per-element overhead,
    not pixel work, bounds this pipeline). Undecodable items raise an error naming them, or are
    skipped with their name and a running count printed, per `on_corrupt`.
    """
    if on_corrupt not in ON_CORRUPT:
        raise ValueError(f"on_corrupt must be one of {ON_CORRUPT}, got {on_corrupt!r}")
    count = len(names)
    name_table = tf.constant(list(names) + ["<end>"])
    labels = tf.constant(labels, tf.int64)
    if isinstance(contents, tf.data.Dataset):
        indexed = tf.data.Dataset.zip(tf.data.Dataset.range(count), contents,
                                      tf.data.Dataset.from_tensor_slices(labels))
        read = tf.identity
    else:
        # File paths: read inside the decode map. One parallel stage instead of a read map
        # zipped with two more datasets (tf.data's per-element overhead bounds this pipeline).
        indexed = tf.data.Dataset.from_tensor_slices(
            (tf.range(count, dtype=tf.int64), tf.constant(list(contents)), labels))
        read = tf.io.read_file

    def decode(index, raw, label):
        image = decode_image(read(raw), channels, min_side)
        if min_side:
            image = resize_shorter_side(image, min_side)
        return index, image, label

    decoded = indexed.map(decode,
                          num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    sentinel = tf.data.Dataset.from_tensors(
        (tf.constant(count, tf.int64), tf.zeros([1, 1, channels], tf.uint8),
         tf.constant(-1, tf.int64)))
    decoded = decoded.ignore_errors().concatenate(sentinel)

    def check(state, element):
        expected, skipped, bad_names = state
        index, image, label = element
        missing = index - expected
        names = tf.strings.reduce_join(name_table[expected:index], separator=", ")
        bad_names = tf.cond(
            missing > 0,
            lambda: tf.cond(skipped > 0, lambda: tf.strings.join([bad_names, names], ", "),
                            lambda: names),
            lambda: bad_names)
        skipped += missing
        at_end = tf.equal(index, count)
        if on_corrupt == "error":
            # One pass names every bad file, then stops (not only the first, per rerun).
            ok = tf.debugging.Assert(
                tf.logical_or(tf.logical_not(at_end), tf.equal(skipped, 0)),
                ["Cannot decode", skipped, "image(s) (corrupt, truncated or not an image):",
                 bad_names, "- fix or remove them, or set "
                 "--config.data.options.on_corrupt=skip"], summarize=-1)
        else:
            def report():
                tf.print("tfencgan: skipped undecodable image(s):", names,
                         "- skipped so far:", skipped, output_stream=sys.stderr)
                return missing
            tf.cond(missing > 0, report, lambda: missing)
            ok = tf.debugging.Assert(
                tf.logical_or(tf.logical_not(at_end), skipped < count),
                ["All", count, "images were undecodable and skipped: nothing is left"])
        with tf.control_dependencies([ok]):
            index = tf.identity(index)
        return (index + 1, skipped, bad_names), (index, image, label)

    def not_sentinel(index, image, label):
        return index < count

    def drop_index(index, image, label):
        return image, label

    decoded = decoded.scan((tf.constant(0, tf.int64), tf.constant(0, tf.int64), tf.constant("")),
                           check)
    return decoded.filter(not_sentinel).map(drop_index)


def decode_files(paths, labels, channels=3, on_corrupt="error", min_side=None):
    """Reads and decodes image files in parallel, in order; see `checked_decode`."""
    return checked_decode(paths, list(paths), labels, channels, on_corrupt, min_side)
