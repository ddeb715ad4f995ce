import socket

import numpy as np
import pytest
import tensorflow as tf

from tfencgan import metrics
from tfencgan.data.mnist import load_mnist
from tfencgan.metrics.classifiers import (KERAS_INCEPTION_FILE, ClassifierUnavailable,
                                          build_classifier)


def test_packaged_mnist_classifier_is_accurate():
    classifier = build_classifier("mnist")
    x, y = load_mnist("test")                       # flat 784-vectors in [-1, 1]
    out = classifier.outputs(x, batch_size=1000)
    assert out["activations"].shape == (10000, 128) and out["logits"].shape == (10000, 10)
    assert np.mean(np.argmax(out["logits"], axis=1) == y) >= 0.99
    identity = classifier.identity
    assert identity["name"] == "mnist_domain_classifier" and len(identity["sha256"]) == 64


def test_mnist_fid_ranks_real_below_noise():
    classifier = build_classifier("mnist")
    test = classifier.outputs(load_mnist("test", limit=2000)[0])["activations"]
    train = classifier.outputs(load_mnist("train", limit=2000)[0])["activations"]
    noise = classifier.outputs(np.random.default_rng(0).uniform(-1, 1, (2000, 784))
                               .astype(np.float32))["activations"]
    assert metrics.frechet_distance(test, train) < 0.1 * metrics.frechet_distance(test, noise)


def test_offline_without_weights_says_what_to_fetch(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))          # nothing cached

    def offline(*args, **kwargs):
        raise socket.gaierror(-2, "Name or service not known (simulated offline)")

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    with pytest.raises(ClassifierUnavailable) as error:
        build_classifier("inception_v3")
    message = str(error.value)
    assert KERAS_INCEPTION_FILE in message and "--classifier=inception_v3:" in message
    with pytest.raises(ClassifierUnavailable, match="not found"):
        build_classifier(f"inception_v3:{tmp_path}/missing.h5")
    with pytest.raises(ClassifierUnavailable, match="tfgan/eval/inception/1"):
        build_classifier(f"savedmodel:{tmp_path}/missing")
    with pytest.raises(ValueError, match=r"valid: \['inception_v3', 'mnist', 'savedmodel'\]"):
        build_classifier("resnet")


class TinyInception(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(tf.random.stateless_normal((3, 4), seed=(1, 2)))

    @tf.function(input_signature=[tf.TensorSpec([None, 8, 8, 3], tf.float32)])
    def __call__(self, images):
        pooled = tf.reduce_mean(images, axis=[1, 2]) @ self.w
        return {"pool_3": pooled, "logits": pooled * 2.0}


def test_savedmodel_directory(tmp_path):
    module = TinyInception()
    tf.saved_model.save(module, str(tmp_path / "tiny"),
                        signatures={"default": module.__call__})
    from tfencgan.metrics.classifiers import saved_model_classifier
    classifier = saved_model_classifier(str(tmp_path / "tiny"), input_size=(8, 8))
    grey = np.random.default_rng(0).uniform(-1, 1, (5, 16, 16, 1)).astype(np.float32)
    out = classifier.outputs(grey, batch_size=2)
    expected = module(tf.image.resize(tf.image.grayscale_to_rgb(tf.constant(grey)), (8, 8)))
    np.testing.assert_allclose(out["activations"], expected["pool_3"], rtol=1e-5)
    assert classifier.identity["sha256"]
