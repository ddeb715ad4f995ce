"""Keras callbacks of a training run: NaN guard, atomic checkpoints, TensorBoard, image grids."""

import contextlib
import math
import os
import time

from absl import logging
import keras
import numpy as np
import tensorflow as tf

from tensorboard.plugins.hparams import api as hparams_api

from tfencgan import configs, images
from tfencgan.networks import reconstruct
from tfencgan.objectives.base import sample_prior
from tfencgan.workdir import read_json, write_json_atomic


class NonFiniteLossError(RuntimeError):
    """A loss became NaN or infinite; the run stops and keeps its last good checkpoint."""


class CheckpointWriteError(RuntimeError):
    """Writing a checkpoint failed (e.g. a full disk); the previous checkpoint is still intact."""


class NonFiniteLossGuard(keras.callbacks.Callback):
    """Stops training with a clear error at the first batch whose losses are not finite.

    The checkpoint callback saves only at the end of an epoch, so nothing written after the bad
    step reaches disk: the latest checkpoint is the last good state.
    """

    def __init__(self, latest_checkpoint):
        super().__init__()
        self.latest_checkpoint = latest_checkpoint   # callable -> path or None
        self.epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        bad = {k: float(v) for k, v in (logs or {}).items()
               if k.startswith("loss_") and not math.isfinite(float(v))}
        if bad:
            raise NonFiniteLossError(
                f"Non-finite loss at epoch {self.epoch + 1}, batch {batch + 1}: {bad}. Training "
                f"stopped; the last good checkpoint is {self.latest_checkpoint() or 'none'}. "
                f"Lower the learning rate or check the data, then rerun to resume from it.")


class EpochCheckpoint(keras.callbacks.Callback):
    """Saves a checkpoint at the end of each epoch through a tf.train.CheckpointManager.

    TensorFlow writes the checkpoint's files first and only then rewrites the small `checkpoint`
    index file (atomically, by rename), so a kill during a write leaves the index pointing at the
    previous complete checkpoint.
    """

    def __init__(self, manager, epoch_variable):
        super().__init__()
        self.manager, self.epoch_variable = manager, epoch_variable

    def on_epoch_end(self, epoch, logs=None):
        self.epoch_variable.assign(epoch + 1)
        try:
            path = self.manager.save(checkpoint_number=epoch + 1)
        except (OSError, tf.errors.OpError) as error:
            raise CheckpointWriteError(
                f"Could not write the checkpoint of epoch {epoch + 1} to "
                f"{self.manager.directory}: {error}. The previous checkpoint "
                f"({self.manager.latest_checkpoint or 'none'}) is intact; free space and rerun "
                f"to resume.") from error
        logging.info("epoch %d: saved %s", epoch + 1, path)


class LearningRateHalving(keras.callbacks.Callback):
    """Runs a tfencgan.optimization.PlateauHalving at each epoch end, before the checkpoint."""

    def __init__(self, plateau, optimizers):
        super().__init__()
        self.plateau, self.optimizers = plateau, dict(optimizers)

    def on_epoch_end(self, epoch, logs=None):
        if self.plateau.end_epoch(logs or {}, self.optimizers.values()):
            rates = {p: float(o.learning_rate.numpy()) for p, o in self.optimizers.items()}
            logging.info("epoch %d: %s stalled for %d epochs; learning rates halved to %s",
                         epoch + 1, self.plateau.monitor, self.plateau.patience, rates)


class ScalarSummaries(keras.callbacks.Callback):
    """Writes every logged value to TensorBoard each `every_steps` batches and at epoch end."""

    def __init__(self, writer, steps_per_epoch, every_steps=50):
        super().__init__()
        self.writer, self.steps_per_epoch, self.every_steps = writer, steps_per_epoch, every_steps
        self.epoch = 0

    def _write(self, logs, step, prefix):
        with self.writer.as_default(step=step):
            for name, value in (logs or {}).items():
                tf.summary.scalar(f"{prefix}/{name}", float(value))

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if (batch + 1) % self.every_steps == 0:
            self._write(logs, self.epoch * self.steps_per_epoch + batch + 1, "train")

    def on_epoch_end(self, epoch, logs=None):
        step = (epoch + 1) * self.steps_per_epoch
        self._write(logs, step, "epoch")
        with self.writer.as_default(step=step):
            for player, optimizer in getattr(self.model, "player_optimizers", {}).items():
                tf.summary.scalar(f"learning_rate/{player}", float(optimizer.learning_rate))
        self.writer.flush()


def write_run_description(writer, config, described_config, run_name):
    """The resolved config as text, and as hparams (flattened, scalars only) so TensorBoard's
    HParams tab compares runs and tuner trials against their evaluation metrics."""
    values = {}
    for field, value in configs.flatten(config):
        values[field] = value if isinstance(value, (bool, int, float, str)) else str(value)
    with writer.as_default(step=0):
        tf.summary.text("config", "```\n" + described_config + "\n```")
        hparams_api.hparams(values, trial_id=run_name)
    writer.flush()


def write_metrics(logdir, step, metrics):
    """Evaluation metrics as TensorBoard scalars (`eval/<metric>`) at their training step."""
    writer = tf.summary.create_file_writer(logdir)
    with writer.as_default(step=step):
        for name, value in metrics.items():
            tf.summary.scalar(f"eval/{name}", float(value))
    writer.close()


class ImageGrids(keras.callbacks.Callback):
    """PNG grids (and TensorBoard images) of G(z) for fixed z, of G along straight lines between
    fixed codes, and of x beside G(E(x)).

    `batch_norm_stages()` steps the networks through the batch-norm statistics evaluation uses
    (tfencgan.experiment_metrics.batch_norm_stages), so the grids show what the metrics score: with
    the moving statistics, BN generators (AGE's DCGAN G) drew noise in grids while their
    re-estimated statistics gave faithful reconstructions. Without it, the moving statistics.
    """

    def __init__(self, networks, data_shape, fixed_z, fixed_x, workdir, writer, steps_per_epoch,
                 every_epochs=1, batch_norm_stages=None):
        super().__init__()
        self.networks, self.data_shape = networks, data_shape
        self.fixed_z, self.fixed_x = fixed_z, fixed_x
        self.workdir, self.writer = workdir, writer
        self.steps_per_epoch, self.every_epochs = steps_per_epoch, every_epochs
        self.batch_norm_stages = batch_norm_stages or (
            lambda: (stage for stage in ("generator", "encoder", "decoder")))

    def _grids(self, stage):
        """The grids drawn while the networks hold the statistics of `stage`."""
        generator = self.networks["generator"]
        if stage == "generator":
            samples = generator(self.fixed_z, training=False)["output"]
            # 8 rows of 8 steps between pairs of the fixed codes.
            path = images.interpolation_latents(self.fixed_z[:8], self.fixed_z[8:16], 8)
            between = generator(path, training=False)["output"]
            return {"samples": images.grid(images.to_images(samples, self.data_shape), 8),
                    "interpolations": images.grid(images.to_images(between, self.data_shape),
                                                  8)}
        if stage == "decoder" and "encoder" in self.networks:
            recon = reconstruct(self.networks["encoder"], generator, self.fixed_x)
            pairs = images.interleave(images.to_images(self.fixed_x, self.data_shape),
                                      images.to_images(recon, self.data_shape))
            return {"reconstructions": images.grid(pairs, 8)}
        return {}

    def write(self, step):
        grids = {}
        if "generator" in self.networks:
            with contextlib.closing(self.batch_norm_stages()) as stages:
                for stage in stages:
                    grids.update(self._grids(stage))
        with self.writer.as_default(step=step):
            for name, image in grids.items():
                images.save_png(os.path.join(self.workdir, name, f"step_{step:06d}.png"), image)
                tf.summary.image(name, image[None], max_outputs=1)

    def on_epoch_end(self, epoch, logs=None):
        if self.every_epochs and (epoch + 1) % self.every_epochs == 0:
            self.write((epoch + 1) * self.steps_per_epoch)


class PeriodicEvaluation(keras.callbacks.Callback):
    """Calls `evaluate(epoch)` every `every_epochs` epochs (the final epoch is left to the caller)."""

    def __init__(self, evaluate, every_epochs, last_epoch):
        super().__init__()
        self.evaluate, self.every_epochs, self.last_epoch = evaluate, every_epochs, last_epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.every_epochs and (epoch + 1) % self.every_epochs == 0 \
                and epoch + 1 < self.last_epoch:
            self.evaluate(epoch + 1)


def fixed_latents(sample_shape, seed, prior="uniform"):
    """The codes every sample grid of a run shows: seeded draws from the objective's prior."""
    return np.asarray(sample_prior(prior, sample_shape, keras.random.SeedGenerator(seed)))


class TrainingClock(keras.callbacks.Callback):
    """Accumulates wall-clock training time over runs and resumes in `<workdir>/timing.json`."""

    def __init__(self, path):
        super().__init__()
        self.path = path
        self.started = None

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.time()

    def on_epoch_end(self, epoch, logs=None):
        timing = read_json(self.path, default={"train_seconds": 0.0})
        timing["train_seconds"] = round(timing["train_seconds"] + time.time() - self.started, 1)
        timing["epochs"] = epoch + 1
        write_json_atomic(self.path, timing)
