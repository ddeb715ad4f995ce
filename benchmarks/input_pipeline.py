"""Images per second of the image pipeline on the ImageNet sample (../shared/data).

Prints, from one run: decode only (read + full-resolution decode, parallel, AUTOTUNE); the full
training pipeline's first epoch (read, JPEG decode at the smallest DCT scale keeping the shorter
side >= 72, resize shorter side to 72, cache, shuffle, random 64 crop, flip, [-1, 1], batch 128);
and its second epoch, served from the cache. The sample is small (1,000
images), so each figure is the best of `--repeats` passes over it.

`--shorter_side 400` first re-encodes the sample at that size (JPEG quality 90), the size of
full ImageNet photos: there decoding dominates, where on the 160-pixel sample per-element
overhead does.

  python benchmarks/input_pipeline.py [--repeats 3] [--shorter_side 400]
"""

import argparse
import os
import tarfile
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

from tfencgan.data.files import decode_files, list_image_folder  # noqa: E402
from tfencgan.data.pipeline import ImageSettings, prepared, training_batches  # noqa: E402

TAR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data",
                   "imagenet-sample-160.tar")


def reencode(path, shorter_side):
    """The image at `path` resized to `shorter_side` and saved as a quality-90 JPEG beside it."""
    from PIL import Image
    with Image.open(path) as image:
        image = image.convert("RGB")
        scale = shorter_side / min(image.size)
        image = image.resize((round(image.width * scale), round(image.height * scale)),
                             Image.BICUBIC)
        target = path[:-4] + f"_{shorter_side}.jpg"
        image.save(target, quality=90)
    return target


def images_per_second(dataset, count_fn):
    start = time.perf_counter()
    total = sum(count_fn(element) for element in dataset)
    return total / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--shorter_side", type=int, default=None)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    with tarfile.open(TAR) as tar:
        tar.extractall(folder, filter="data")
    paths, labels, _ = list_image_folder(os.path.join(folder, "imagenet-sample"))
    if args.shorter_side:
        paths = [reencode(path, args.shorter_side) for path in paths]
    # 1,000 images pass in under a second, where start-up would dominate: measure throughput
    # over the list repeated (`--copies` times; the first epoch still decodes every item).
    paths, labels = paths * args.copies, labels * args.copies
    settings = ImageSettings()

    plain_decode = tf.data.Dataset.from_tensor_slices(paths).map(
        lambda path: tf.io.decode_image(tf.io.read_file(path), expand_animations=False),
        num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)
    decode_only = [images_per_second(plain_decode, lambda e: 1) for _ in range(args.repeats)]
    first, cached = [], []
    for _ in range(args.repeats):
        # A fresh, empty cache; JPEGs decoded at the DCT scale that keeps >= 72 pixels.
        ready = prepared(decode_files(paths, labels, min_side=settings.resize_to), settings,
                         resized=True)
        batches = training_batches(ready, settings, args.batch, seed=0, first_epoch=0,
                                   last_epoch=2)
        steps = len(paths) // args.batch
        iterator = iter(batches)
        start = time.perf_counter()
        for _ in range(steps):
            next(iterator)
        first.append(steps * args.batch / (time.perf_counter() - start))
        start = time.perf_counter()
        for _ in range(steps):
            next(iterator)
        cached.append(steps * args.batch / (time.perf_counter() - start))
    best_decode = max(decode_only)
    side = args.shorter_side or 160
    print(f"{len(paths) // args.copies} ImageNet images (shorter side {side}) x {args.copies}, "
          f"{os.cpu_count()} CPU cores, best of {args.repeats}")
    print(f"decode only (AUTOTUNE):              {best_decode:8.0f} img/s")
    print(f"training pipeline, first epoch:      {max(first):8.0f} img/s "
          f"= {max(first) / best_decode:.0%} of decode only")
    print(f"training pipeline, cached epoch:     {max(cached):8.0f} img/s "
          f"= {max(cached) / best_decode:.1f}x decode only")


if __name__ == "__main__":
    main()
