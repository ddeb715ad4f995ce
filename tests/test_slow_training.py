"""Slower checks: a real kill -9 and resume through the binary; models that actually learn."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow as tf

from tfencgan import configs, experiment

pytestmark = pytest.mark.slow
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FLAGS = ["--config.data.limit=2048", "--config.data.batch_size=64", "--config.train.epochs=6",
         "--config.networks.options.hidden_units=64", "--config.eval.bn_reestimate_batches=2",
         "--config.eval.splits=('test',)", "--config.train.verbose=0",
         "--config.train.images_every_epochs=0", "--config.eval.num_samples=500"]


def train_command(workdir):
    return [sys.executable, "-m", "pipelines.train", f"--workdir={workdir}", *FLAGS]


def env():
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=ROOT)


def checkpoint_values(workdir):
    path = tf.train.latest_checkpoint(os.path.join(workdir, "checkpoints"))
    reader = tf.train.load_checkpoint(path)
    return {n: reader.get_tensor(n) for n, _ in tf.train.list_variables(path)
            if not n.startswith("_CHECKPOINTABLE")}


def test_kill_9_then_rerun_matches_an_uninterrupted_run(tmp_path):
    straight, killed = str(tmp_path / "straight"), str(tmp_path / "killed")
    subprocess.run(train_command(straight), cwd=ROOT, env=env(), check=True, timeout=600)
    process = subprocess.Popen(train_command(killed), cwd=ROOT, env=env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    marker = os.path.join(killed, "checkpoints", "ckpt-2.index")
    deadline = time.time() + 300
    while not os.path.exists(marker) and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not os.path.exists(os.path.join(killed, "checkpoints", "ckpt-6.index")), \
        "the run finished before it could be killed"
    subprocess.run(train_command(killed), cwd=ROOT, env=env(), check=True, timeout=600)
    a, b = checkpoint_values(straight), checkpoint_values(killed)
    assert a.keys() == b.keys()
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


def short_run(name, epochs, workdir):
    config = configs.load(name)
    config.data.limit = 10000
    config.train.epochs = epochs
    config.train.verbose = 0
    config.eval.bn_reestimate_batches = 20
    config.eval.splits = ("test",)
    return experiment.train(config, str(workdir))


@pytest.fixture(scope="module")
def trained_bigan(tmp_path_factory):
    """BiGAN, 10 epochs on 10k MNIST images: (workdir, final metrics)."""
    workdir = tmp_path_factory.mktemp("bigan")
    return workdir, short_run("bigan_mnist", 10, workdir)


def test_autoencoder_reconstructs_and_bigan_encoder_inverts_generator(tmp_path, trained_bigan):
    """After a short run both map x back close to itself, well below the random-pair distance
    (the BiGAN authors: 5.95 against 9.60 at epoch 400)."""
    ae = short_run("autoencoder_l2_mnist", 2, tmp_path)
    bigan_dir, bigan = trained_bigan
    for metrics in (ae, bigan):
        # 10k references: raw pixels score about 0.95 here, chance 0.1.
        assert metrics["test/knn_accuracy/encoder_penultimate"] > 0.85, metrics
    errors = {name: (m["test/reconstruction_error"], m["test/reconstruction_error_random_pairs"])
              for name, m in (("ae", ae), ("bigan", bigan))}
    assert errors["ae"][0] < 0.65 * errors["ae"][1], errors
    assert errors["bigan"][0] < 0.9 * errors["bigan"][1], errors
    assert errors["ae"][0] < errors["bigan"][0], errors   # direct l2 beats BiGAN's l0-like loss
    history = json.load(open(bigan_dir / "metrics.json"))
    assert history[-1]["epoch"] == 10


def test_domain_fid_ranks_real_below_bigan_samples_below_noise(trained_bigan):
    from tfencgan import metrics
    from tfencgan.data.mnist import load_mnist
    from tfencgan.metrics.classifiers import build_classifier
    trained, _, _ = experiment.restore_for_evaluation(str(trained_bigan[0]))
    z = np.random.default_rng(0).uniform(-1, 1, (5000, trained.config.latent_dim))
    samples = trained.networks["generator"].predict(z.astype(np.float32), batch_size=500,
                                                    verbose=0)["output"]
    classifier = build_classifier("mnist")
    real = classifier.outputs(load_mnist("test", limit=5000)[0])["activations"]
    other_real = classifier.outputs(load_mnist("train", limit=5000)[0])["activations"]
    fake = classifier.outputs(samples)["activations"]
    noise = classifier.outputs(np.random.default_rng(1).uniform(-1, 1, (5000, 784))
                               .astype(np.float32))["activations"]
    fids = [metrics.frechet_distance(real, other) for other in (other_real, fake, noise)]
    assert fids[0] < fids[1] < fids[2], fids
