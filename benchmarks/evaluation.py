"""Cost of the representation metrics: 1-NN at Table 1 scale and the linear probe.

Prints the wall time of 1-NN for 10k queries against 60k references of 1024-d features (random
features: the time does not depend on the values), and the linear probe's test accuracy, chosen
l2 weight and time on raw MNIST pixels (60k x 784, the issue's reference: a converged multinomial
logistic regression scores about 92 %) and on 1024-d random ReLU features of them.

  python benchmarks/evaluation.py
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from tfencgan.data import load_arrays  # noqa: E402
from tfencgan.evaluation.knn import nearest_neighbor_accuracy  # noqa: E402
from tfencgan.evaluation.linear_probe import linear_probe  # noqa: E402


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def main():
    rng = np.random.default_rng(0)
    reference = rng.standard_normal((60000, 1024), np.float32)
    queries = rng.standard_normal((10000, 1024), np.float32)
    labels = rng.integers(0, 10, 60000), rng.integers(0, 10, 10000)
    _, seconds = timed(nearest_neighbor_accuracy, reference, labels[0], queries, labels[1])
    print(f"1-NN, 10k queries x 60k references x 1024-d: {seconds:.2f} s "
          f"({2 * 60000 * 10000 * 1024 / seconds / 1e9:.0f} GFLOP/s in the distance GEMMs)")
    (train_x, train_y), (test_x, test_y) = load_arrays("mnist", "train_full"), \
        load_arrays("mnist", "test")
    result, seconds = timed(linear_probe, train_x, train_y, test_x, test_y)
    print(f"linear probe, raw pixels (60k x 784): {100 * result['accuracy']:.2f} % test, "
          f"l2 {result['l2']:g}, {result['iterations']} L-BFGS iterations in the final fit, "
          f"max |gradient| {result['max_abs_gradient']:.1e}, {seconds:.1f} s")
    projection = rng.standard_normal((784, 1024), np.float32) / np.sqrt(784)
    relu = lambda x: np.maximum(x @ projection, 0)    # noqa: E731
    result, seconds = timed(linear_probe, relu(train_x), train_y, relu(test_x), test_y)
    print(f"linear probe, 1024-d random ReLU features: {100 * result['accuracy']:.2f} % test, "
          f"l2 {result['l2']:g}, {seconds:.1f} s")


if __name__ == "__main__":
    main()
