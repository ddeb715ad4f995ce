"""Classifiers behind one interface, for FID / KID / Inception Score / Inception-L2.

`build_classifier(spec)` takes:
  "mnist"                       the packaged MNIST domain classifier (no download, ever);
  "mnist:/path/weights.h5"      the same network with weights from `pipelines/train_classifier`;
  "savedmodel:/path/dir"        a TF-Hub / SavedModel directory with `pool_3` and `logits`
                                outputs, e.g. TF-GAN's Inception network (images 299x299 in [-1, 1]);
  "inception_v3[:/path/file.h5]"  Keras InceptionV3 from a local weights file, or downloaded
                                when online (Keras caches it under ~/.keras/models).
Each classifier maps images in [-1, 1] (NHWC, or flat square vectors such as MNIST's) to
`activations` and `logits`, resizing and converting channels as its network expects, and names
itself (`identity`: name, path, SHA-256 of the weights) for the provenance of metrics.json.
"""

import dataclasses
import hashlib
import math
import os

import keras
import numpy as np
import tensorflow as tf

KERAS_INCEPTION_FILE = "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"


class ClassifierUnavailable(RuntimeError):
    """The classifier's weights cannot be found or fetched; the message says what to do."""


def file_sha256(path):
    digest = hashlib.sha256()
    paths = [path] if os.path.isfile(path) else sorted(
        os.path.join(d, f) for d, _, files in os.walk(path) for f in files)
    for p in paths:
        with open(p, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


@dataclasses.dataclass
class Classifier:
    """`network(images) -> {"activations", "logits"}` on inputs of `input_size` x `channels`,
    scaled to [-1, 1] (`input_range` (0, 255) for networks that want raw pixels).

    `fit`: how images of another size reach `input_size`: "resize" (bilinear; Inception), or
    "crop_or_pad" (centred; MNIST, whose 32x32 form is the 28x28 digit padded with background,
    so cropping gives back exactly the classifier's input instead of a shrunken digit)."""

    name: str
    network: object
    input_size: tuple
    channels: int
    path: str = None
    input_range: tuple = (-1.0, 1.0)
    fit: str = "resize"

    @property
    def identity(self):
        return {"name": self.name, "path": self.path,
                "sha256": file_sha256(self.path) if self.path else None}

    def prepare(self, images):
        """Images in [-1, 1] (NHWC, or N x (s*s) flat) -> the network's input."""
        images = tf.convert_to_tensor(images, tf.float32)
        if images.shape.rank == 2:
            side = math.isqrt(int(images.shape[1]))
            if side * side != images.shape[1]:
                raise ValueError(f"Flat images of size {images.shape[1]} are not square")
            images = tf.reshape(images, [-1, side, side, 1])
        if images.shape.rank != 4 or images.shape[-1] not in (1, 3):
            raise ValueError(f"Expected NHWC images with 1 or 3 channels, got {images.shape}")
        if images.shape[-1] != self.channels:
            images = (tf.image.grayscale_to_rgb(images) if self.channels == 3
                      else tf.reduce_mean(images, axis=-1, keepdims=True))
        if tuple(images.shape[1:3]) != tuple(self.input_size):
            if self.fit == "crop_or_pad":   # pad with background (-1), not 0
                images = tf.image.resize_with_crop_or_pad(images + 1.0, *self.input_size) - 1.0
            else:
                images = tf.image.resize(images, self.input_size)
        low, high = self.input_range
        return (images + 1.0) / 2.0 * (high - low) + low

    def outputs(self, images, batch_size=500, progress=False):
        """Streams `images` (an array, or an iterable of batches) through the network in
        batches; returns {"activations": array, "logits": array}."""
        batches = ([images[i:i + batch_size] for i in range(0, len(images), batch_size)]
                   if hasattr(images, "shape") else images)
        bar = keras.utils.Progbar(len(batches) if hasattr(batches, "__len__") else None,
                                  unit_name="batch") if progress else None
        call = tf.function(lambda x: self.network(self.prepare(x)))
        collected = {"activations": [], "logits": []}
        for step, batch in enumerate(batches, start=1):
            if isinstance(batch, (tuple, list)):
                batch = batch[0]
            result = call(batch)
            for key in collected:
                collected[key].append(np.asarray(result[key]))
            if bar:
                bar.update(step)
        return {k: np.concatenate(v).reshape(sum(len(a) for a in v), -1)
                for k, v in collected.items()}


def mnist_classifier(path=None):
    from tfencgan.metrics import mnist_classifier as mc
    path = path or mc.PACKAGED_WEIGHTS
    if not os.path.exists(path):
        raise ClassifierUnavailable(f"MNIST classifier weights not found: {path}; train them "
                                    f"with `python -m pipelines.train_classifier --output={path}`")
    model = mc.build_model()
    model.load_weights(path)
    features = mc.with_features(model)

    def network(x):
        out = features(x, training=False)
        return {"activations": out["features"], "logits": out["logits"]}

    return Classifier("mnist_domain_classifier", network, (28, 28), 1, path, fit="crop_or_pad")


def saved_model_classifier(path, input_size=(299, 299)):
    """A SavedModel / TF-Hub directory whose default signature returns `pool_3` and `logits`."""
    if not path or not os.path.isdir(path):
        raise ClassifierUnavailable(
            f"No SavedModel directory at {path!r}. For TF-GAN's Inception network, download the "
            f"TF-Hub module tfgan/eval/inception/1 on a machine with internet, unpack it, and pass "
            f"--classifier=savedmodel:/path/to/it")
    import tensorflow_hub as hub
    module = hub.load(path)
    signature = module.signatures["default"] if hasattr(module, "signatures") and \
        "default" in module.signatures else module

    def network(x, _keep_alive=module):   # the signature's variables live in `module`
        out = signature(x)
        missing = {"pool_3", "logits"} - set(out)
        if missing:
            raise ValueError(f"SavedModel {path} returns {sorted(out)}; needs pool_3 and logits")
        return {"activations": out["pool_3"], "logits": out["logits"]}

    return Classifier(f"savedmodel:{os.path.basename(os.path.normpath(path))}", network,
                      tuple(input_size), 3, path)


def keras_inception_v3(weights_path=None):
    """Keras InceptionV3 (ImageNet): 2048-d average-pool activations and 1000 logits."""
    if weights_path is None:
        cached = os.path.join(os.path.expanduser(os.environ.get("KERAS_HOME", "~/.keras")),
                              "models", KERAS_INCEPTION_FILE)
        weights = cached if os.path.exists(cached) else "imagenet"
    else:
        if not os.path.exists(weights_path):
            raise ClassifierUnavailable(f"InceptionV3 weights file not found: {weights_path}")
        weights = weights_path
    try:
        model = keras.applications.InceptionV3(weights=weights, classifier_activation=None)
    except Exception as error:  # the download's failure modes vary (DNS, HTTP, SSL, disk)
        raise ClassifierUnavailable(
            f"Could not get the Keras InceptionV3 weights ({error}). Offline, fetch "
            f"{KERAS_INCEPTION_FILE} on a machine with internet (keras.applications.InceptionV3("
            f"weights='imagenet') saves it under ~/.keras/models/) and pass "
            f"--classifier=inception_v3:/path/to/{KERAS_INCEPTION_FILE}, or use "
            f"--classifier=mnist for MNIST, which needs no download.") from error
    pooled = keras.Model(model.inputs, {"activations": model.get_layer("avg_pool").output,
                                        "logits": model.outputs[0]})
    path = weights if weights != "imagenet" else None
    return Classifier("keras_inception_v3", lambda x: pooled(x, training=False), (299, 299), 3,
                      path)


BUILDERS = {"mnist": mnist_classifier, "savedmodel": saved_model_classifier,
            "inception_v3": keras_inception_v3}


def build_classifier(spec):
    """'kind' or 'kind:path' -> Classifier; unknown kinds list the valid ones."""
    kind, _, path = spec.partition(":")
    if kind not in BUILDERS:
        raise ValueError(f"Unknown classifier {kind!r}; valid: {sorted(BUILDERS)} "
                         f"(optionally ':/path')")
    return BUILDERS[kind](path or None)
