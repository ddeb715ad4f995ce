"""Mixed precision (tfencgan.precision): every objective trains in bfloat16 and float16 with
finite float32 losses; loss scaling skips a step whose gradients are not finite; a bf16-trained
model's SavedModel matches its networks."""

import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfencgan import experiment, export, objectives, optimization, precision
from tfencgan.networks import FAMILIES, build_networks
from tfencgan.trainer import Trainer

MIXED = ("mixed_bfloat16", "mixed_float16")
DATA_SHAPE, LATENT = (16,), 4


def tiny_trainer(name, precision_name, jit_compile=False):
    objective = objectives.build_objective(name)
    families = {role: "mlp" for role in ("generator", "encoder", "discriminator")}
    with precision.policy(precision_name):
        networks = build_networks(families, objective.networks, DATA_SHAPE, LATENT,
                                  objective.joint_discriminator, {"hidden_units": 8},
                                  objective.network_options)
    trainer = Trainer(networks, objective, LATENT, seed=0)
    from ml_collections import config_dict
    optimizer_config = config_dict.ConfigDict({"lr": 1e-3, "final_lr": None, "decay_start": 1.0,
                                               "beta_1": 0.5, "beta_2": 0.999})
    optimizers = optimization.build_optimizers(dict.fromkeys(objective.players, 10),
                                               optimizer_config, precision_name)
    trainer.compile(optimizers, weight_decay=1e-4, jit_compile=jit_compile)
    return trainer


@pytest.mark.parametrize("precision_name", MIXED)
@pytest.mark.parametrize("name", sorted(objectives.REGISTRY))
def test_every_objective_trains_in_mixed_precision(name, precision_name):
    trainer = tiny_trainer(name, precision_name)
    compute = precision_name.split("_")[1]
    # Every layer with weights computes in the policy's dtype, except the prediction layers
    # ("out", a joint D's "inject_out"), which compute in float32 (networks.layers).
    for net in trainer.networks.values():
        for layer in net._flatten_layers(include_self=False):
            if layer.weights and not isinstance(layer, keras.layers.BatchNormalization):
                prediction = {"out", "inject_out"} & set(layer.path.split("/"))
                assert layer.compute_dtype == ("float32" if prediction else compute), layer.path
    assert all(v.dtype == "float32" for v in trainer.trainable_variables)
    # A step reads batches_per_step batches of 8 (WGAN-GP's 5 critic steps: 5 fresh batches).
    steps = trainer.objective.batches_per_step
    x = np.random.default_rng(0).uniform(-1, 1, (32 * steps, 16)).astype(np.float32)
    history = trainer.fit(tf.data.Dataset.from_tensor_slices(x).batch(8 * steps), epochs=1,
                          verbose=0)
    for key, values in history.history.items():
        assert np.all(np.isfinite(values)), (key, values)
    outputs = trainer.networks[next(iter(trainer.networks))](
        *([x] if "generator" not in trainer.networks else [np.zeros((2, LATENT), np.float32)]))
    assert all(v.dtype == "float32" for v in outputs.values())


@pytest.mark.parametrize("family,role", [(f, r) for f in FAMILIES for r in FAMILIES[f]])
def test_prediction_layers_compute_in_float32_under_bfloat16(family, role, small_network):
    """The layers before the prediction layer compute in bf16 (their features are bf16 values),
    the prediction layer in float32 (its logits are not: a bf16 prediction layer would round
    every logit and pixel to 8 bits of mantissa)."""
    joint = role in ("discriminator", "inversion_discriminator") and family != "began"
    with precision.policy("mixed_bfloat16"):
        network, shape = small_network(family, role, joint)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (4,) + shape).astype(np.float32)
    z = rng.uniform(-1, 1, (4, 8)).astype(np.float32)
    outputs = network(z) if role == "generator" else network(x, z) if joint else network(x)

    def bfloat16_values(tensor):
        return np.array_equal(tf.cast(tf.cast(tensor, tf.bfloat16), tf.float32), tensor)
    assert outputs["logits"].dtype == tf.float32
    assert not bfloat16_values(outputs["logits"]), (family, role)
    assert bfloat16_values(outputs["features"]), (family, role)


@pytest.mark.parametrize("precision_name", MIXED)
def test_xla_step_in_mixed_precision(precision_name):
    trainer = tiny_trainer("bigan", precision_name, jit_compile=True)
    x = np.random.default_rng(1).uniform(-1, 1, (16, 16)).astype(np.float32)
    logs = trainer.fit(tf.data.Dataset.from_tensor_slices(x).batch(8), epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in logs.history.values())


def test_float16_skips_a_step_with_non_finite_gradients():
    trainer = tiny_trainer("bigan", "mixed_float16")
    optimizer = trainer.player_optimizers["discriminator"]
    assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
    good = np.random.default_rng(2).uniform(-1, 1, (8, 16)).astype(np.float32)
    trainer.train_step(tf.constant(good))
    before = [v.numpy().copy() for v in trainer.trainable_variables]
    scale = float(optimizer.dynamic_scale.numpy())
    bad = good.copy()
    bad[0, 0] = np.inf
    trainer.train_step(tf.constant(bad))
    for old, new in zip(before, trainer.trainable_variables):
        np.testing.assert_array_equal(old, new.numpy())       # the step was skipped
    assert float(optimizer.dynamic_scale.numpy()) == scale / 2
    trainer.train_step(tf.constant(good))                     # and training goes on
    assert any(not np.array_equal(old, new.numpy())
               for old, new in zip(before, trainer.trainable_variables))


def test_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="mixed_bfloat16"):
        precision.check("bfloat16")


def test_export_of_a_bf16_model_matches_its_networks(tmp_path):
    from tfencgan import configs
    config = configs.load("bigan_mnist")
    config.data.limit, config.data.batch_size = 256, 64
    config.networks.options.hidden_units = 32
    config.train.epochs, config.train.verbose, config.train.eval_every_epochs = 1, 0, 0
    config.train.precision = "mixed_bfloat16"
    config.eval.classifier, config.eval.splits, config.eval.linear_probe = "", ("validation",), False
    config.eval.bn_reestimate_batches = 2
    workdir = str(tmp_path / "run")
    experiment.train(config, workdir)
    export_dir = os.path.join(workdir, "exported")
    export.export(workdir, export_dir, batch_norm="moving")
    loaded = tf.saved_model.load(export_dir)
    restored, _, _ = experiment.restore_for_evaluation(workdir)
    assert restored.networks["encoder"].compute_dtype == "bfloat16"
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (5, 784)).astype(np.float32)
    z = rng.uniform(-1, 1, (5, 50)).astype(np.float32)
    encoded = loaded.signatures["encode"](images=tf.constant(images))
    generated = loaded.signatures["generate"](z=tf.constant(z))
    [code] = encoded.values()
    [image] = generated.values()
    assert code.dtype == tf.float32 and image.dtype == tf.float32
    np.testing.assert_allclose(code, restored.networks["encoder"](images)["output"], atol=1e-5)
    np.testing.assert_allclose(image, restored.networks["generator"](z)["output"], atol=1e-5)
    # The same run restored to compute in float32: the same (float32) weights, outputs within
    # bf16 rounding of the bf16 networks'.
    in_float32, _, _ = experiment.restore_for_evaluation(workdir, precision="float32")
    assert in_float32.networks["encoder"].compute_dtype == "float32"
    for role in ("encoder", "generator", "discriminator"):
        for mine, theirs in zip(in_float32.networks[role].weights,
                                restored.networks[role].weights):
            np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    code32 = in_float32.networks["encoder"](images)["output"]
    assert not np.array_equal(code32, code)
    np.testing.assert_allclose(code32, code, atol=0.05)


def test_float32_networks_compute_in_float32_under_a_mixed_policy(tiny_config):
    tiny_config.train.precision = "mixed_bfloat16"
    tiny_config.train.float32_networks = ("encoder",)
    tiny_config.train.jit_compile = False
    built = experiment.build(tiny_config)
    assert built.networks["encoder"].compute_dtype == "float32"
    assert built.networks["generator"].compute_dtype == "bfloat16"
    assert built.networks["discriminator"].compute_dtype == "bfloat16"
    experiment.compile_trainer(built)
    logs = built.trainer.train_step(tf.constant(built.train_data[0][:tiny_config.data.batch_size]))
    assert all(np.isfinite(float(v)) for v in logs.values())
    features = built.networks["encoder"](built.train_data[0][:4])["output"]
    assert features.dtype == tf.float32
