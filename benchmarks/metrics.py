"""Classifier throughput and the time of one 10k-sample FID.

Prints images/s through the packaged MNIST classifier and through Keras InceptionV3 (randomly
initialised unless --inception_weights is given: the speed does not depend on the weights), and
the wall time of FID between 10,000 real MNIST test images and 10,000 others (activations plus
the Frechet distance).

  python benchmarks/metrics.py [--inception_images 500] [--inception_weights PATH]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from tfencgan import metrics  # noqa: E402
from tfencgan.data.mnist import load_mnist  # noqa: E402
from tfencgan.metrics.classifiers import Classifier, build_classifier  # noqa: E402


def throughput(classifier, images, batch_size):
    classifier.outputs(images[:batch_size], batch_size)    # trace and warm up
    start = time.perf_counter()
    classifier.outputs(images, batch_size)
    return len(images) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inception_images", type=int, default=500)
    parser.add_argument("--inception_weights", default=None)
    args = parser.parse_args()
    mnist = build_classifier("mnist")
    test, train = load_mnist("test")[0], load_mnist("train", limit=10000)[0]
    print(f"MNIST domain classifier: {throughput(mnist, test, 500):8.0f} images/s")

    start = time.perf_counter()
    fid = metrics.frechet_distance(mnist.outputs(test, 500)["activations"],
                                   mnist.outputs(train, 500)["activations"])
    print(f"FID, 10k MNIST test vs 10k train images (128-d): {time.perf_counter() - start:.1f} s "
          f"(FID {fid:.3f})")

    if args.inception_weights:
        inception = build_classifier(f"inception_v3:{args.inception_weights}")
    else:
        model = keras.applications.InceptionV3(weights=None, classifier_activation=None)
        pooled = keras.Model(model.inputs, {"activations": model.get_layer("avg_pool").output,
                                            "logits": model.outputs[0]})
        inception = Classifier("inception_v3_random", lambda x: pooled(x, training=False),
                               (299, 299), 3)
    cifar_like = np.random.default_rng(0).uniform(-1, 1, (args.inception_images, 32, 32, 3))
    rate = throughput(inception, cifar_like.astype(np.float32), 50)
    print(f"InceptionV3 (32x32 -> 299x299): {rate:8.1f} images/s; a 10k-sample FID would take "
          f"{2 * 10000 / rate / 60:.0f} min for its two sets of activations")
    activations = np.random.default_rng(1).normal(size=(2, 10000, 2048))
    start = time.perf_counter()
    metrics.frechet_distance(activations[0], activations[1])
    print(f"Frechet distance of two 10k x 2048 activation sets: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
