"""benchmarks/epoch_scalars.py reads epoch means back from TensorBoard, across resumes."""

import os
import time

import pytest
import tensorflow as tf


@pytest.fixture(scope="module")
def epoch_scalars(benchmark_script):
    return benchmark_script("epoch_scalars")


def _write(workdir, values, name="d_fake_prob"):
    """One event file (one run or one resume) with epoch/<name> at the given steps."""
    writer = tf.summary.create_file_writer(os.path.join(workdir, "tensorboard"))
    with writer.as_default():
        for step, value in values.items():
            tf.summary.scalar(f"epoch/{name}", value, step=step)
            tf.summary.scalar("epoch/other", -value, step=step)
    writer.close()


def test_epochs_from_steps_and_the_resumed_value_wins(epoch_scalars, tmp_path):
    _write(str(tmp_path), {390: 0.30, 780: 0.25, 1170: 0.20})
    time.sleep(0.05)   # files are read in the order written (mtime)
    _write(str(tmp_path), {1170: 0.21, 1560: 0.18})    # a resume rewrites epoch 3
    assert epoch_scalars.epoch_values(str(tmp_path), "d_fake_prob") == pytest.approx(
        {1: 0.30, 2: 0.25, 3: 0.21, 4: 0.18})


def test_a_missing_scalar_is_named(epoch_scalars, tmp_path):
    _write(str(tmp_path), {10: 1.0})
    with pytest.raises(ValueError, match="epoch/nope"):
        epoch_scalars.epoch_values(str(tmp_path), "nope")
    with pytest.raises(FileNotFoundError):
        epoch_scalars.epoch_values(str(tmp_path / "empty"), "d_fake_prob")
