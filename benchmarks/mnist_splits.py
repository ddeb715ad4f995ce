"""How much the choice of the 10k MNIST validation images moves raw-pixel 1-NN accuracy.

Table 1's differences are tenths of a point, and the BiGAN authors validate on a random 10k of
the 60k training images (their `load.py` shuffles before the cut) where tfencgan takes the last
10k. This prints raw-pixel 1-NN (Euclidean, 50k references) for seeded random splits and for
each of the six contiguous 10k blocks (the last is ours), to size that difference.

  python benchmarks/mnist_splits.py [--seeds 0,1,2]
"""

import argparse

import numpy as np

from tfencgan.data.mnist import SPLITS, load_mnist
from tfencgan.evaluation import raw_pixel_knn_accuracy


def split_accuracy(images, labels, validation):
    """Raw-pixel 1-NN of the images indexed by `validation` against all the others."""
    reference = np.ones(len(images), bool)
    reference[validation] = False
    return raw_pixel_knn_accuracy((images[reference], labels[reference]),
                                  (images[validation], labels[validation]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    images, labels = load_mnist("train_full")
    ours = SPLITS["validation"][1]
    size = ours.stop - ours.start
    for seed in (int(s) for s in args.seeds.split(",")):
        validation = np.random.default_rng(seed).permutation(len(images))[:size]
        print(f"random 10k, seed {seed}: {100 * split_accuracy(images, labels, validation):.2f} %")
    for start in range(0, len(images), size):
        name = " (tfencgan's validation split)" if start == ours.start else ""
        print(f"block of images {start}-{start + size - 1}{name}: "
              f"{100 * split_accuracy(images, labels, np.arange(start, start + size)):.2f} %")


if __name__ == "__main__":
    main()
