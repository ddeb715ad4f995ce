"""A small MNIST classifier, trained and shipped by the project, for FID-style scores offline.

Two 3x3 convolutions with max-pooling, a 128-unit `features` layer (the activations used for
FID / KID / Inception-L2) and 10 `logits` (Inception Score). Inputs: 28x28x1 in [-1, 1].
`pipelines/train_classifier.py` retrains it; the packaged weights are its output.
"""

import os

import keras
import numpy as np

PACKAGED_WEIGHTS = os.path.join(os.path.dirname(__file__), "mnist_classifier.weights.h5")


def build_model():
    inputs = keras.Input((28, 28, 1), name="images")
    h = keras.layers.Conv2D(32, 3, activation="relu")(inputs)
    h = keras.layers.MaxPooling2D()(h)
    h = keras.layers.Conv2D(64, 3, activation="relu")(h)
    h = keras.layers.MaxPooling2D()(h)
    h = keras.layers.Flatten()(keras.layers.Dropout(0.25)(h))
    features = keras.layers.Dense(128, activation="relu", name="features")(h)
    logits = keras.layers.Dense(10, name="logits")(keras.layers.Dropout(0.5)(features))
    return keras.Model(inputs, logits, name="mnist_classifier")


def with_features(model):
    """The same network answering {"features", "logits"}."""
    return keras.Model(model.inputs, {"features": model.get_layer("features").output,
                                      "logits": model.outputs[0]})


def train(output_path, epochs=10, batch_size=128, seed=0, limit=None, verbose=2):
    """Trains on the 60k MNIST training images, saves the weights, returns test accuracy."""
    from tfencgan.data.mnist import load_mnist
    keras.utils.set_random_seed(seed)
    x, y = load_mnist("train_full", flatten=False, limit=limit)
    x_test, y_test = load_mnist("test", flatten=False)
    model = build_model()
    model.compile(keras.optimizers.Adam(1e-3),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=verbose, shuffle=True)
    os.makedirs(os.path.dirname(os.path.abspath(output_path)), exist_ok=True)
    model.save_weights(output_path)
    logits = model.predict(x_test, batch_size=1000, verbose=0)
    return float(np.mean(np.argmax(logits, axis=1) == y_test))
