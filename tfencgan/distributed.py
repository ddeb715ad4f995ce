"""Multi-device training: the strategy a config names, and the loop for multi-worker runs.

`config.strategy`:
  default       one device.
  mirrored      every local GPU (or every logical CPU) as a replica, through the trainer's `fit`.
  multi_worker  MultiWorkerMirroredStrategy, configured by the TF_CONFIG environment variable.
                Keras' `fit` is broken upstream with this strategy, so `custom_loop` runs the same
                `Trainer.train_step` under `strategy.run`, driving the same Keras callbacks.

What makes N replicas train like one device on the same global batch lives in the pieces
themselves: the trainer divides each replica's losses by the replica count (optimizers sum
gradients) and gives each replica its own rows of the global batch's latent codes; batch
normalisation uses global-batch statistics (tfencgan.networks.layers.BatchNormalization).
"""

import json
import os
import shutil
import tempfile

from absl import logging
import keras
import tensorflow as tf

STRATEGIES = ("default", "mirrored", "multi_worker")


def split_cpu(count):
    """Splits the first CPU into `count` logical devices, so that MirroredStrategy has `count`
    replicas on a CPU-only machine (tests, benchmarks). Call before TensorFlow uses a device."""
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)])


def local_devices():
    """The local GPUs, or else every logical CPU device."""
    gpus = tf.config.list_logical_devices("GPU")
    return [d.name for d in (gpus or tf.config.list_logical_devices("CPU"))]


def make_strategy(name):
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy(local_devices())
    if name == "multi_worker":
        if "TF_CONFIG" not in os.environ:
            raise ValueError("strategy 'multi_worker' needs the TF_CONFIG environment variable "
                             "(cluster and this task), e.g. TF_CONFIG='{\"cluster\": {\"worker\": "
                             "[\"host1:12345\", \"host2:12345\"]}, \"task\": {\"type\": "
                             "\"worker\", \"index\": 0}}'")
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise ValueError(f"Unknown strategy {name!r}; valid strategies: {list(STRATEGIES)}")


def uses_custom_loop(strategy):
    return isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)


def jit_allowed(strategy):
    """XLA compilation of a step fails for variables mirrored over logical CPU devices (they live
    on different devices of one XLA cluster); on GPUs, or with one replica, it works."""
    return strategy.num_replicas_in_sync == 1 or bool(tf.config.list_logical_devices("GPU"))


def is_chief(strategy):
    """Whether this task writes the run's files: always, except in a multi-worker cluster, where
    only the chief does (or worker 0 when the cluster has no chief)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.task_type:
        return True
    has_chief = "chief" in resolver.cluster_spec().as_dict()
    return resolver.task_type == "chief" or (
        not has_chief and resolver.task_type == "worker" and resolver.task_id == 0)


def task_workdir(strategy, workdir):
    """`workdir` for the chief. Every worker must take part in saving a checkpoint, so the
    others write theirs to a temporary directory, removed by `release_task_workdir`."""
    if is_chief(strategy):
        return workdir
    resolver = strategy.cluster_resolver
    return tempfile.mkdtemp(prefix=f"tfencgan_{resolver.task_type}{resolver.task_id}_")


def release_task_workdir(workdir, task_dir):
    if task_dir != workdir:
        shutil.rmtree(task_dir, ignore_errors=True)


def distribution_options():
    """Global batches are split by rows across the workers (DATA sharding)."""
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    return options


def custom_loop(trainer, strategy, dataset, epochs, initial_epoch, steps_per_epoch, callbacks):
    """`fit` for strategies it does not support: epochs of `trainer.train_step` under
    `strategy.run`, with the Keras callbacks called as `fit` calls them."""
    iterator = iter(strategy.experimental_distribute_dataset(
        dataset.with_options(distribution_options())))

    @tf.function
    def train_step(iterator):
        logs = strategy.run(trainer.train_step, args=(next(iterator),))
        return {name: strategy.reduce(tf.distribute.ReduceOp.MEAN, value, axis=None)
                for name, value in logs.items()}

    callback_list = keras.callbacks.CallbackList(
        callbacks, model=trainer, epochs=epochs, steps=steps_per_epoch, verbose=0)
    trainer.stop_training = False
    callback_list.on_train_begin()
    for epoch in range(initial_epoch, epochs):
        trainer.reset_metrics()
        callback_list.on_epoch_begin(epoch)
        for batch in range(steps_per_epoch):
            callback_list.on_train_batch_begin(batch)
            logs = {name: float(value) for name, value in train_step(iterator).items()}
            callback_list.on_train_batch_end(batch, logs)
        logging.info("epoch %d/%d: %s", epoch + 1, epochs, json.dumps(
            {name: round(value, 5) for name, value in logs.items()}))
        callback_list.on_epoch_end(epoch, logs)
        if trainer.stop_training:
            break
    callback_list.on_train_end()
