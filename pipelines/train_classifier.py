"""Trains the small MNIST domain classifier used for FID / KID / IS without any download.

  python -m pipelines.train_classifier --output=mnist_classifier.weights.h5 [--epochs=10]
"""

from absl import flags

import pipelines

_OUTPUT = flags.DEFINE_string("output", "mnist_classifier.weights.h5", "Weights file to write.")
_EPOCHS = flags.DEFINE_integer("epochs", 10, "Training epochs over the 60k MNIST images.")


def main(argv):
    del argv
    from tfencgan.metrics import mnist_classifier
    accuracy = mnist_classifier.train(_OUTPUT.value, _EPOCHS.value)
    print(f"MNIST test accuracy {accuracy:.4f}; weights in {_OUTPUT.value}")


def console_main():
    pipelines.run(main)


if __name__ == "__main__":
    console_main()
