"""SavedModel export of a trained model: `encode`, `features`, `generate`, `reconstruct`.

Signatures (inputs and outputs are dicts of named tensors; the batch dimension is free, the rest
fixed; images have the training data's shape, e.g. (784,) for the MNIST MLPs or (64, 64, 3)):

  generate(z: float32 [N, latent_dim])            -> images: float32 in [-1, 1]
  encode(images: float32 in [-1, 1])              -> z: float32 [N, latent_dim]
  features(images: float32 in [-1, 1])            -> penultimate (E's last hidden layer, the
                                                     features Table 1 scores), logits, z
  reconstruct(images: float32 in [-1, 1])         -> reconstructions G(E(x)), z E(x)
  encode_uint8 / reconstruct_uint8(images: uint8 in [0, 255], scaled to [-1, 1] inside)
  describe() (a function of the loaded object, not a signature: `saved_model_cli run` and TF
  Serving cannot call a signature without inputs) -> description: assets/tfencgan.json
  serving_default: reconstruct, or generate for a model without an encoder.

Networks run in inference mode. Batch normalisation uses, by default (`batch_norm=
"reestimated"`), the statistics evaluation uses: re-estimated with the final weights over
`config.eval.bn_reestimate_batches` training batches (E on training images; G on the codes E(x)
of those images for `reconstruct`, and on prior draws for `generate`, so G is frozen twice), which
makes `features` give exactly the features the project's 1-NN figures score. `batch_norm=
"moving"` exports the moving averages saved in the checkpoint instead. A model without an encoder
exports `generate` only, and says so. With `version`, the model goes to `export_dir/<version>`,
the layout TF Serving loads. `keras/<name>.keras` beside it holds each frozen network (encoder,
generator, decoder) as a Keras file with the same statistics, for `keras.saving.load_model`.
"""

import contextlib
import json
import os
import shutil
import tempfile

from absl import logging
import keras
import tensorflow as tf

from tfencgan.experiment import restore_for_evaluation
from tfencgan.experiment_metrics import batch_norm_stages
from tfencgan.networks.layers import variable_name
from tfencgan.workdir import library_versions

DESCRIPTION_FILE = "tfencgan.json"


def to_unit_range(images_uint8):
    return tf.cast(images_uint8, tf.float32) / 127.5 - 1.0


def _in_unit_range(images):
    """Fails on NaN or values outside [-1, 1]: 0-255 floats (or uint8 cast to float) would
    otherwise give wrong codes without an error."""
    ok = tf.reduce_all(tf.abs(images) <= 1.0 + 1e-5)    # False for NaN as well
    check = tf.debugging.Assert(ok, [
        "images must be float32 in [-1, 1] (uint8 in [0, 255] go to the *_uint8 signatures); "
        "got min", tf.reduce_min(images), "max", tf.reduce_max(images), "NaN count",
        tf.reduce_sum(tf.cast(tf.math.is_nan(images), tf.int32))])
    with tf.control_dependencies([check]):
        return tf.identity(images)


class FrozenNetwork(tf.Module):
    """A network's inference function over its own copies of the weights, named by role.

    Keras names variables by layer ("out/kernel"), so G's and E's collide; TF1-style loaders
    (`saved_model_cli run`, TF Serving's session bundle) then cannot find one of them. The copies
    are named "<role>/<variable path>" and fed to the network through `stateless_call`.
    """

    def __init__(self, network, role):
        super().__init__(name=role)
        # The network's variables and call, not the network itself: tracking the network would
        # save its variables a second time.
        self._variables = list(network.variables)
        self._call = network.__call__
        self.copies = [tf.Variable(v.value, trainable=False,
                                   name=variable_name(network, role, v))
                       for v in self._variables]

    def __call__(self, inputs):
        """The network's dict of named outputs (features, logits, output), inference mode."""
        mapping = [(v, copy.read_value()) for v, copy in zip(self._variables, self.copies)]
        with keras.StatelessScope(state_mapping=mapping):
            return self._call(inputs, training=False)


BATCH_NORM_MODES = ("reestimated", "moving")


def frozen_networks(experiment, batch_norm="reestimated", keras_dir=None):
    """role -> FrozenNetwork: "generator" (for generate), and with an encoder "encoder" and
    "decoder" (G for reconstruct), with the batch-norm statistics of `batch_norm`. With
    `keras_dir`, each is also saved there as `<name>.keras` with the same statistics (load with
    `keras.saving.load_model` after `import tfencgan.networks`, e.g. to fine-tune E)."""
    def freeze(network, name):
        if keras_dir:
            os.makedirs(keras_dir, exist_ok=True)
            network.save(os.path.join(keras_dir, f"{name}.keras"))
        return FrozenNetwork(network, name)

    if batch_norm not in BATCH_NORM_MODES:
        raise ValueError(f"Unknown batch_norm {batch_norm!r}; valid: {list(BATCH_NORM_MODES)}")
    count = experiment.config.eval.bn_reestimate_batches if batch_norm == "reestimated" else 0
    frozen = {}
    with contextlib.closing(batch_norm_stages(experiment, count)) as stages:
        for stage in stages:     # "generator", then "encoder" and "decoder" (G on E's codes)
            role = "encoder" if stage == "encoder" else "generator"
            frozen[stage] = freeze(experiment.networks[role], stage)
    return frozen


class ServingModule(tf.Module):
    """The networks and the signature functions of one exported model."""

    def __init__(self, frozen, data_shape, latent_dim, description_path):
        super().__init__(name="tfencgan_model")
        self.generator = frozen["generator"]
        self.encoder = frozen.get("encoder")
        self.decoder = frozen.get("decoder")
        self.description = tf.saved_model.Asset(description_path)
        with open(description_path) as f:
            self._description_json = f.read()
        images = [None, *data_shape]
        # Signatures loaded from a SavedModel check dtypes but not shapes: check them here, so
        # that a wrong shape fails naming the expected one rather than deep inside a layer.
        self._checked_images = lambda x: tf.ensure_shape(x, images, name="check_images_shape")
        self._checked_float_images = lambda x: _in_unit_range(self._checked_images(x))
        self._checked_z = lambda z: tf.ensure_shape(z, [None, latent_dim], name="check_z_shape")
        self.generate = tf.function(self._generate, input_signature=[
            tf.TensorSpec([None, latent_dim], tf.float32, name="z")])
        self.describe = tf.function(self._describe, input_signature=[])
        if self.encoder is not None:
            float_images = [tf.TensorSpec(images, tf.float32, name="images")]
            uint8_images = [tf.TensorSpec(images, tf.uint8, name="images")]
            self.encode = tf.function(self._encode, input_signature=float_images)
            self.features = tf.function(self._features, input_signature=float_images)
            self.reconstruct = tf.function(self._reconstruct, input_signature=float_images)
            self.encode_uint8 = tf.function(
                lambda images: self._encode(to_unit_range(self._checked_images(images))),
                input_signature=uint8_images)
            self.reconstruct_uint8 = tf.function(
                lambda images: self._reconstruct(to_unit_range(self._checked_images(images))),
                input_signature=uint8_images)

    def _generate(self, z):
        return {"images": self.generator(self._checked_z(z))["output"]}

    def _encode(self, images):
        return {"z": self.encoder(self._checked_float_images(images))["output"]}

    def _features(self, images):
        outputs = self.encoder(self._checked_float_images(images))
        return {"penultimate": outputs["features"], "logits": outputs["logits"],
                "z": outputs["output"]}

    def _reconstruct(self, images):
        z = self.encoder(self._checked_float_images(images))["output"]
        return {"reconstructions": self.decoder(z)["output"], "z": z}

    def _describe(self):
        return {"description": tf.constant(self._description_json)}

    def signatures(self):
        names = signature_names(self.encoder is not None)
        signatures = {name: getattr(self, name).get_concrete_function()
                      for name in names if name != "serving_default"}
        signatures["serving_default"] = signatures[
            "reconstruct" if self.encoder is not None else "generate"]
        return signatures


def signature_names(has_encoder):
    names = ["generate", "serving_default"]
    if has_encoder:
        names += ["encode", "features", "reconstruct", "encode_uint8", "reconstruct_uint8"]
    return sorted(names)


def describe(experiment, checkpoint, epoch, signature_names, batch_norm):
    config = experiment.config
    return {"model": "tfencgan", "objective": config.objective.name,
            "objective_params": dict(config.objective.get("params", {})),
            "networks": {role: config.networks[role] for role in experiment.networks},
            "dataset": config.data.name, "data_shape": list(experiment.data_shape),
            "latent_dim": config.latent_dim, "latent_prior": experiment.objective.latent_prior,
            "checkpoint": checkpoint, "epoch": epoch, "signatures": signature_names,
            "image_range": "float32 in [-1, 1]; the *_uint8 signatures take uint8 in [0, 255]",
            "batch_norm": (f"re-estimated over {config.eval.bn_reestimate_batches} training "
                           f"batches, as evaluation does" if batch_norm == "reestimated"
                           else "moving averages of the checkpoint"),
            "versions": library_versions(), "config": config.to_dict()}


def export(workdir, export_dir, checkpoint=None, overwrite=False, batch_norm="reestimated",
           version=None):
    """Writes the SavedModel of a work directory's checkpoint (latest, a path prefix, or
    "best:<metric>") to `export_dir`, with the batch-norm statistics of `batch_norm`
    ("reestimated" or "moving"); returns the signature names.

    The model is written beside `export_dir` and moved into place when complete, so a failed
    export leaves no half-written model behind.
    """
    if version is not None:
        if not isinstance(version, int) or version < 1:
            raise ValueError(f"version must be a positive integer, got {version!r}")
        export_dir = os.path.join(export_dir, str(version))
    if batch_norm not in BATCH_NORM_MODES:
        raise ValueError(f"Unknown batch_norm {batch_norm!r}; valid: {list(BATCH_NORM_MODES)}")
    if os.path.exists(export_dir) and not overwrite:
        raise FileExistsError(f"{export_dir} exists; choose a new --export_dir or pass "
                              f"--overwrite")
    experiment, path, epoch = restore_for_evaluation(workdir, checkpoint)
    if "generator" not in experiment.networks:
        raise ValueError(f"Objective {experiment.config.objective.name!r} trains no generator; "
                         f"there is nothing to export")
    parent = os.path.dirname(os.path.abspath(export_dir))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".export_", dir=parent)
    try:
        names = signature_names("encoder" in experiment.networks)
        description_path = os.path.join(staging, DESCRIPTION_FILE)
        with open(description_path, "w") as f:
            json.dump(describe(experiment, path, epoch, names, batch_norm), f, indent=2)
        frozen = frozen_networks(experiment, batch_norm, os.path.join(staging, "keras"))
        module = ServingModule(frozen, experiment.data_shape,
                               experiment.config.latent_dim, description_path)
        signatures = module.signatures()
        model_dir = os.path.join(staging, "model")
        tf.saved_model.save(module, model_dir, signatures=signatures)
        # Each network as a Keras file too, beside the SavedModel's own folders.
        shutil.move(os.path.join(staging, "keras"), os.path.join(model_dir, "keras"))
        if os.path.exists(export_dir):
            shutil.rmtree(export_dir)
        os.replace(model_dir, export_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if module.encoder is None:
        logging.warning("%s has no encoder: exported `generate` only (no encode / reconstruct)",
                        experiment.config.objective.name)
    logging.info("Exported %s (epoch %d) to %s with signatures %s", path, epoch, export_dir,
                 sorted(signatures))
    return sorted(signatures)
