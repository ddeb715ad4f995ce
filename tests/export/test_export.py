"""SavedModel export: signatures loaded in a fresh process equal the in-process networks."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from tfencgan import experiment, export

HERE = os.path.dirname(os.path.abspath(__file__))


def saved_model_cli():
    """TensorFlow's saved_model_cli of this interpreter (a virtualenv's bin need not be on
    PATH), else the one on PATH, else its module."""
    beside = os.path.join(os.path.dirname(sys.executable), "saved_model_cli")
    if os.path.exists(beside):
        return [beside]
    found = shutil.which("saved_model_cli")
    return [found] if found else [sys.executable, "-m", "tensorflow.python.tools.saved_model_cli"]


@pytest.fixture(scope="module")
def trained_bigan(tmp_path_factory):
    from tfencgan import configs
    config = configs.load("bigan_mnist")
    config.data.limit, config.data.batch_size = 256, 64
    config.networks.options.hidden_units = 32
    config.train.epochs, config.train.verbose, config.train.eval_every_epochs = 1, 0, 0
    config.eval.classifier, config.eval.splits, config.eval.linear_probe = "", ("validation",), False
    config.eval.bn_reestimate_batches = 2
    workdir = str(tmp_path_factory.mktemp("bigan"))
    experiment.train(config, workdir)
    # The moving statistics make the export comparable with the networks called directly.
    export_dir = os.path.join(workdir, "exported")
    names = export.export(workdir, export_dir, batch_norm="moving")
    return workdir, export_dir, names


def in_process_outputs(workdir, images, z):
    restored, _, _ = experiment.restore_for_evaluation(workdir)
    generator, encoder = restored.networks["generator"], restored.networks["encoder"]
    encoded = encoder(images, training=False)["output"]
    return {"generate": generator(z, training=False)["output"], "encode": encoded,
            "reconstruct": generator(encoded, training=False)["output"]}


def test_signatures_in_a_fresh_process_match_the_model(trained_bigan, tmp_path):
    workdir, export_dir, names = trained_bigan
    assert set(names) >= {"encode", "features", "generate", "reconstruct", "serving_default"}
    rng = np.random.default_rng(0)
    images_uint8 = rng.integers(0, 256, (5, 784)).astype(np.uint8)
    images = (images_uint8 / 127.5 - 1).astype(np.float32)
    z = rng.uniform(-1, 1, (5, 50)).astype(np.float32)
    np.savez(tmp_path / "inputs.npz", images=images, images_uint8=images_uint8, z=z)
    result = subprocess.run([sys.executable, os.path.join(HERE, "load_and_run.py"), export_dir,
                             str(tmp_path / "inputs.npz"), str(tmp_path / "outputs.npz")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["description"]["objective"] == "bigan"
    assert report["description"]["latent_dim"] == 50
    assert report["description"]["checkpoint"].endswith("ckpt-1")
    loaded = np.load(tmp_path / "outputs.npz")
    expected = in_process_outputs(workdir, images, z)
    for name, value in expected.items():
        np.testing.assert_allclose(loaded[name], value, atol=1e-5, err_msg=name)
    np.testing.assert_allclose(loaded["encode_uint8"], expected["encode"], atol=1e-5)
    np.testing.assert_allclose(loaded["serving_default"], expected["reconstruct"], atol=1e-5)
    assert np.abs(loaded["generate"]).max() <= 1.0 and loaded["generate"].shape == (5, 784)


def test_features_of_the_default_export_give_the_evaluated_1nn(trained_bigan):
    """The default export freezes the re-estimated batch-norm statistics evaluation uses, so
    1-NN on its `features` equals the project's own figure for the same checkpoint."""
    from tfencgan import data
    from tfencgan.evaluation import nearest_neighbor_accuracy
    workdir, _, _ = trained_bigan
    export_dir = os.path.join(workdir, "exported_reestimated")
    export.export(workdir, export_dir)
    model = tf.saved_model.load(export_dir)
    description = json.loads(model.describe()["description"].numpy().decode())
    assert description["batch_norm"].startswith("re-estimated over 2 training batches")
    metrics = experiment.evaluate(workdir)
    features = model.signatures["features"]
    (ref_x, ref_y), (query_x, query_y) = (data.load_arrays("mnist", "train", 256),
                                          data.load_arrays("mnist", "validation"))
    for output, name in (("penultimate", "encoder_penultimate"), ("z", "encoder_output")):
        reference = features(images=tf.constant(ref_x))[output].numpy()
        queries = features(images=tf.constant(query_x))[output].numpy()
        assert queries.shape[1] == (32 if output == "penultimate" else 50)
        accuracy = nearest_neighbor_accuracy(reference, ref_y, queries, query_y)
        assert accuracy == pytest.approx(metrics[f"validation/knn_accuracy/{name}"], abs=1e-12)
    # E alone as a Keras file, with the exported statistics: loads into Keras and fine-tunes.
    import keras
    encoder = keras.saving.load_model(os.path.join(export_dir, "keras", "encoder.keras"))
    np.testing.assert_allclose(encoder(query_x[:64])["output"], features(images=tf.constant(
        query_x[:64]))["z"], atol=1e-5)
    assert sorted(os.listdir(os.path.join(export_dir, "keras"))) == [
        "decoder.keras", "encoder.keras", "generator.keras"]
    assert encoder.trainable_variables and encoder.get_config()["output_dim"] == 50
    # The moving statistics give other features: the choice is real.
    moving = tf.saved_model.load(os.path.join(workdir, "exported")).signatures["features"]
    assert not np.allclose(moving(images=tf.constant(query_x[:64]))["penultimate"],
                           features(images=tf.constant(query_x[:64]))["penultimate"])


def test_bad_input_fails_readably(trained_bigan):
    _, export_dir, _ = trained_bigan
    encode = tf.saved_model.load(export_dir).signatures["encode"]
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"images \[2,28,28\] is not compatible with expected shape \[\?,784\]"):
        encode(images=tf.zeros([2, 28, 28]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="expected to be a float tensor but is a double tensor"):
        encode(images=tf.zeros([2, 784], tf.float64))
    for wrong in (tf.fill([2, 784], 200.0),                              # 0-255 floats
                  tf.constant(np.full((2, 784), np.nan, np.float32))):   # NaN pixels
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"must be float32 in \[-1, 1\]"):
            encode(images=wrong)
    with pytest.raises((tf.errors.InvalidArgumentError, TypeError, ValueError)):
        encode(images=np.full((2, 784), 200, np.uint8))                 # numpy uint8
    features = tf.saved_model.load(export_dir).signatures["features"]
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"must be float32 in \[-1, 1\]"):
        features(images=tf.fill([2, 784], 2.0))


def test_saved_model_cli_shows_and_runs(trained_bigan, tmp_path):
    _, export_dir, _ = trained_bigan
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    shown = subprocess.run([*saved_model_cli(), "show", "--dir", export_dir, "--all"],
                           capture_output=True, text=True, env=env, timeout=300)
    assert shown.returncode == 0, shown.stderr[-2000:]
    for name in ("encode", "generate", "reconstruct"):
        assert f"signature_def['{name}']" in shown.stdout
    assert "(-1, 784)" in shown.stdout and "DT_UINT8" in shown.stdout
    np.save(tmp_path / "z.npy", np.zeros((3, 50), np.float32))
    ran = subprocess.run([*saved_model_cli(), "run", "--dir", export_dir, "--tag_set", "serve",
                          "--signature_def", "generate", "--inputs", f"z={tmp_path / 'z.npy'}",
                          "--outdir", str(tmp_path / "out")],
                         capture_output=True, text=True, env=env, timeout=300)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert np.load(tmp_path / "out" / "images.npy").shape == (3, 784)


def test_refuses_to_overwrite_and_exports_generate_only_without_encoder(trained_bigan, tmp_path):
    workdir, export_dir, _ = trained_bigan
    with pytest.raises(FileExistsError, match="--overwrite"):
        export.export(workdir, export_dir)
    from tfencgan import configs
    config = configs.load("gan_mnist")
    config.data.limit, config.data.batch_size = 128, 64
    config.networks.options.hidden_units = 16
    config.train.epochs, config.train.verbose = 1, 0
    config.eval.classifier, config.eval.splits, config.eval.linear_probe = "", ("validation",), False
    config.eval.bn_reestimate_batches = 1
    gan_dir = str(tmp_path / "gan")
    experiment.train(config, gan_dir)
    names = export.export(gan_dir, str(tmp_path / "gan_model"), version=3)
    assert names == ["generate", "serving_default"]
    loaded = tf.saved_model.load(str(tmp_path / "gan_model" / "3"))   # TF Serving's layout
    assert "encode" not in loaded.signatures
    assert loaded.signatures["serving_default"](z=tf.zeros([2, 50]))["images"].shape == (2, 784)
