"""N replicas train exactly like one device on the same global batch (tfencgan.distributed)."""

import json
import os
import socket
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

TASK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "train_task.py")

# One step of a small BiGAN: 64 images, global batch 64, one epoch. XLA off in both runs: its
# rounding differs, and Adam's first step (about lr * sign(g)) would magnify that for g near 0.
OVERRIDES = json.dumps({
    "data.limit": 64, "data.batch_size": 64, "networks.options.hidden_units": 32,
    "train.epochs": 1, "train.verbose": 0, "train.eval_every_epochs": 0,
    "train.images_every_epochs": 0, "train.jit_compile": False, "eval.classifier": "", "eval.splits": ["validation"],
    "eval.bn_reestimate_batches": 1, "eval.linear_probe": False,
})


def run_task(workdir, strategy, cpu_devices=1, env=None, overrides=None):
    fields = json.dumps({**json.loads(OVERRIDES), **(overrides or {})})
    return subprocess.Popen([sys.executable, TASK, str(workdir), strategy, str(cpu_devices),
                             fields], env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process, replicas):
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output[-3000:]
    assert f"{replicas} replica(s)" in output, output[-3000:]


def trained_weights(workdir):
    """Network weights (and BN statistics) of the run's final checkpoint, by checkpoint key."""
    reader = tf.train.load_checkpoint(os.path.join(workdir, "checkpoints"))
    return {key: reader.get_tensor(key) for key in reader.get_variable_to_shape_map()
            if key.split("/")[0] in ("generator", "encoder", "discriminator")}


def assert_same_training(reference_dir, other_dir):
    reference, other = trained_weights(reference_dir), trained_weights(other_dir)
    assert reference.keys() == other.keys()
    initial_gap = 0.0
    for key, value in reference.items():
        np.testing.assert_allclose(other[key], value, rtol=1e-4, atol=1e-6, err_msg=key)
        initial_gap = max(initial_gap, float(np.abs(value).max()))
    assert initial_gap > 0


@pytest.fixture(scope="module")
def single_device_run(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("single")
    finish(run_task(workdir, "default"), replicas=1)
    return workdir


@pytest.mark.slow
def test_mirrored_step_equals_single_device_step(single_device_run, tmp_path):
    finish(run_task(tmp_path, "mirrored", cpu_devices=2), replicas=2)
    assert_same_training(single_device_run, tmp_path)


@pytest.mark.slow
def test_mirrored_training_in_mixed_bfloat16(single_device_run, tmp_path):
    finish(run_task(tmp_path, "mirrored", cpu_devices=2,
                    overrides={"train.precision": "mixed_bfloat16"}), replicas=2)
    weights, reference = trained_weights(tmp_path), trained_weights(single_device_run)
    assert weights.keys() == reference.keys()
    assert all(np.all(np.isfinite(value)) for value in weights.values())
    assert all(value.dtype == np.float32 for value in weights.values())   # float32 variables
    # bf16 compute moves the weights like float32 compute does, within bf16's precision.
    gaps = [float(np.abs(weights[k] - reference[k]).max()) for k in reference]
    assert max(gaps) < 0.05


def free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_two_workers_equal_single_worker(single_device_run, tmp_path):
    workers = [f"localhost:{free_port()}" for _ in range(2)]
    workdir = tmp_path / "run"
    tasks = [run_task(workdir, "multi_worker", env={"TF_CONFIG": json.dumps(
        {"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}})})
        for index in range(2)]
    for task in tasks:
        finish(task, replicas=2)
    assert_same_training(single_device_run, workdir)
    # Only the chief (worker 0) wrote the run's files and evaluated.
    assert (workdir / "metrics.json").exists()
    assert not any(name.startswith("tfencgan_worker") for name in os.listdir(tmp_path))
