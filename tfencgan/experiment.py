"""One experiment end to end: build from a config, train with resume, evaluate.

`train(config, workdir)` is what `pipelines/train.py` calls; rerunning it on the same work
directory resumes from the latest checkpoint. The order of training batches is a function of
(seed, epoch) and the latent RNG state is checkpointed, so a resumed run reproduces an
uninterrupted one. What is read lives in `tfencgan.experiment_data`, what is scored in
`tfencgan.experiment_metrics`.
"""

import contextlib
import dataclasses
import os

from absl import logging
import keras
import numpy as np
import tensorflow as tf

from tfencgan import best_checkpoints, checkpoints
from tfencgan import callbacks as cb
from tfencgan import configs, data, distributed, networks, optimization, precision
from tfencgan import workdir as wd
from tfencgan.data import sources
from tfencgan.experiment_data import (data_options, step_batch_size, steps_per_epoch,
                                      training_batches)
from tfencgan.experiment_metrics import batch_norm_stages, evaluate_experiment
from tfencgan.trainer import Trainer
from tfencgan.validation import ConfigError, validate_config


@dataclasses.dataclass
class Experiment:
    config: object
    objective: object
    networks: dict
    trainer: Trainer
    train_data: tuple          # (images, labels) in memory; None when streamed (data.augment)
    num_train_examples: int
    grid_images: object        # the fixed training images shown with their reconstructions
    data_shape: tuple
    strategy: tf.distribute.Strategy
    lr_plateau: object = None  # optimization.PlateauHalving when config.optimizer halves on a stall


def check_splits(config):
    """Every split that training and evaluation will read exists in the data source: checked
    before anything is trained, so that a wrong split fails at once, not after training.
    Returns {split: tfencgan.data.sources.Source} for image sources ({} for MNIST)."""
    references = dict(config.eval.references)
    splits = {config.data.split, *config.eval.splits,
              *(references[split] for split in config.eval.splits)}
    loaded = {}
    for split in sorted(splits):
        if config.data.name == "images":
            try:
                loaded[split] = sources.load_source(data_options(config)["source"], split=split,
                                                    **data.source_options(data_options(config)))
            except data.ImageDataError as error:
                raise ConfigError(f"config.eval.splits / config.eval.references: {error}") \
                    from error
        elif config.data.name == "mnist" and split not in data.MNIST_SPLITS:
            raise ConfigError(f"config.eval.splits: unknown MNIST split {split!r}; valid "
                              f"splits: {sorted(data.MNIST_SPLITS)}")
    return loaded


def build(config, strategy_name=None):
    """Validates the config and builds data, objective, networks and the (uncompiled) trainer,
    the variables inside the scope of the config's tf.distribute strategy (or `strategy_name`)."""
    objective = validate_config(config)
    sources = check_splits(config)
    strategy = distributed.make_strategy(strategy_name or config.get("strategy", "default"))
    # Seeds the weight initialisers, so a run's initial weights are a function of its config.
    keras.utils.set_random_seed(config.train.seed)
    if config.data.get("augment"):
        # Streamed (an image source as large as ImageNet): only its size and a few images for
        # the grids are read here, spread over the split; training and evaluation read it
        # batch by batch.
        if config.data.split not in sources:
            raise ConfigError("config.data.augment: streams an image source (data.name "
                              "'images')")
        num_examples = sources[config.data.split].size     # listed once, by check_splits
        grid_images, _ = next(data.stream_image_split(
            config.data.split, 32, **{**data_options(config), "spread": 32}))
        train_data = None
    else:
        images, labels = data.load_arrays(config.data.name, config.data.split,
                                          config.data.get("limit"), **data_options(config))
        num_examples, train_data = len(images), (images, labels)
        # The grids' images spread over the split (folders list their images class by class):
        # the same 32 in every run of a dataset, whatever the training seed.
        grid_images = images[np.sort(np.random.default_rng(0).choice(
            num_examples, min(32, num_examples), replace=False))]
    data_shape = grid_images.shape[1:]
    per_step = step_batch_size(config, objective)
    if per_step > num_examples:
        detail = (f" ({config.data.batch_size} x {objective.batches_per_step} discriminator "
                  f"steps, each on its own batch)" if objective.batches_per_step > 1 else "")
        raise ConfigError(f"config.data.batch_size: {per_step}{detail} exceeds the "
                          f"{num_examples} training examples")
    if config.data.batch_size % strategy.num_replicas_in_sync:
        raise ConfigError(f"config.data.batch_size: the global batch {config.data.batch_size} "
                          f"does not split evenly over {strategy.num_replicas_in_sync} replicas")
    with strategy.scope(), precision.policy(config.train.get("precision", "float32")):
        nets = networks.build_networks(config.networks, objective.networks, data_shape,
                                       config.latent_dim, objective.joint_discriminator,
                                       dict(config.networks.get("options", {})),
                                       objective.network_options,
                                       float32_roles=config.train.get("float32_networks", ()))
        trainer = Trainer(nets, objective, config.latent_dim, seed=config.train.seed)
        patience = config.optimizer.get("halve_lr_patience", 0)
        plateau = (optimization.PlateauHalving(config.optimizer.get("halve_lr_on", "convergence"),
                                               patience) if patience else None)
    return Experiment(config, objective, nets, trainer, train_data, num_examples, grid_images,
                      data_shape, strategy, plateau)


def compile_trainer(experiment):
    config = experiment.config
    total_steps = config.train.epochs * steps_per_epoch(experiment)
    player_updates = {player: total_steps * updates
                      for player, updates in experiment.objective.updates_per_step().items()}
    jit_compile = config.train.jit_compile
    if jit_compile and not distributed.jit_allowed(experiment.strategy):
        logging.info("XLA off: it cannot compile a step whose variables are mirrored over CPUs")
        jit_compile = False
    with experiment.strategy.scope():   # optimizer slots are mirrored like the weights
        optimizers = optimization.build_optimizers(player_updates, config.optimizer,
                                                   config.train.get("precision", "float32"))
        experiment.trainer.compile(optimizers, weight_decay=config.optimizer.weight_decay,
                                   jit_compile=jit_compile)


# Players renamed on 2026-12-01, so that a player named after a role owns exactly that role:
# the key of its optimizer now -> the key work directories written before then hold.
RENAMED_CHECKPOINT_KEYS = {
    "optimizer_generator_encoder": "optimizer_generator",     # BiGAN's and ALI's G and E
    "optimizer_discriminators": "optimizer_discriminator",    # GAN + adversarial-X/Z: D and D2
}


def checkpoint_items(experiment, epoch_variable, with_optimizers=True):
    """Checkpoint key -> object: the networks, and for training also the optimizers and the
    rest of the training state."""
    items = experiment.trainer.checkpoint_items() if with_optimizers else dict(experiment.networks)
    if with_optimizers and experiment.lr_plateau:
        items.update(experiment.lr_plateau.checkpoint_items())
    return {"epoch": epoch_variable, **items}


def checkpoint_manager(experiment, workdir, epoch_variable, with_optimizers=True):
    checkpoint = tf.train.Checkpoint(**checkpoint_items(experiment, epoch_variable,
                                                        with_optimizers))
    return tf.train.CheckpointManager(checkpoint, os.path.join(workdir, "checkpoints"),
                                      max_to_keep=experiment.config.train.checkpoints_to_keep)


def restore_training_state(experiment, manager, epoch_variable, path):
    """Restores everything a resumed run needs from checkpoint `path` into the objects
    `manager` saves, every object matched. A checkpoint saved before a player was renamed
    (RENAMED_CHECKPOINT_KEYS) restores that optimizer from its old key; the next save writes
    the new one."""
    items = checkpoint_items(experiment, epoch_variable)
    saved = {name.split("/")[0] for name, _ in tf.train.list_variables(path)}
    renamed = {key: old_key for key, old_key in RENAMED_CHECKPOINT_KEYS.items()
               if key in items and key not in saved and old_key in saved and old_key not in items}
    if not renamed:
        manager.checkpoint.restore(path).assert_existing_objects_matched()
        return
    logging.info("Checkpoint %s holds %s under the old keys %s", path, sorted(renamed),
                 sorted(renamed.values()))
    for key, old_key in renamed.items():
        items[old_key] = items.pop(key)
    tf.train.Checkpoint(**items).restore(path).assert_existing_objects_matched()
    # The manager's own counter of saves, which the aliased checkpoint does not hold.
    manager.checkpoint.save_counter.assign(
        tf.train.load_checkpoint(path).get_tensor("save_counter/.ATTRIBUTES/VARIABLE_VALUE"))


def train(config, workdir, extra_callbacks=()):
    """Trains (or resumes) the experiment of `config` in `workdir`; returns the final metrics.

    Under `config.strategy` "multi_worker" every worker runs this; only the chief writes to
    `workdir` and evaluates (the others return None).
    """
    wd.check_writable(workdir)     # before any data is loaded
    experiment = build(config)
    saved = wd.saved_run(workdir)
    changed = wd.config_changes(saved, config)
    if changed:
        raise ConfigError(f"{workdir} holds a run with a different config (fields {changed}); "
                          f"use a new --workdir, or rerun with the same config to resume")
    if not config.eval.get("classifier") and "generator" in experiment.networks:
        logging.warning("FID(PX, PG), FID(PX, PG(E(X))), Inception-L2, IS and KID are off: "
                        "they need a classifier, e.g. --config.eval.classifier=savedmodel:DIR "
                        "(TF-GAN's Inception from TF-Hub) or inception_v3:FILE.h5 (Keras "
                        "weights); no Inception weights can be downloaded offline")
    strategy = experiment.strategy
    chief = distributed.is_chief(strategy)
    task_dir = distributed.task_workdir(strategy, workdir)
    os.makedirs(task_dir, exist_ok=True)
    # The chief holds the work directory while it trains (other workers write to their own
    # temporary folders): a second training of it fails instead of interleaving with this one.
    with wd.exclusive(task_dir) if chief else contextlib.nullcontext():
        return _train_holding(experiment, workdir, task_dir, chief, saved, extra_callbacks)


def _train_holding(experiment, workdir, task_dir, chief, saved, extra_callbacks):
    """`train` from saving the config on, with the work directory held; `saved` is the run's
    earlier `wd.saved_run` record (None for a new run)."""
    config = experiment.config
    wd.save_config(task_dir, config)
    compile_trainer(experiment)
    epoch_variable = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
    # Every worker resumes from the chief's checkpoint; the chief first repairs a damaged
    # checkpoint folder (before the manager reads its state file).
    checkpoint_dir = os.path.join(workdir, "checkpoints")
    latest = (checkpoints.recover(checkpoint_dir) if chief
              else tf.train.latest_checkpoint(checkpoint_dir))
    manager = checkpoint_manager(experiment, task_dir, epoch_variable)
    if latest:
        restore_training_state(experiment, manager, epoch_variable, latest)
        logging.info("Resuming from %s (epoch %d)", latest, int(epoch_variable.numpy()))
    first_epoch, epochs = int(epoch_variable.numpy()), config.train.epochs
    steps = steps_per_epoch(experiment)
    if latest and saved:
        warn_if_schedule_moves(config.optimizer, saved["config"]["train"]["epochs"], epochs,
                               first_epoch, steps)

    def evaluate(epoch):
        return evaluate_experiment(experiment, workdir, epoch, manager.latest_checkpoint)

    every = config.train.eval_every_epochs
    evaluated = {r["epoch"] for r in wd.read_json(os.path.join(workdir, wd.METRICS_FILE),
                                                  default=[])}
    if chief and latest and every and 0 < first_epoch < epochs and first_epoch % every == 0 \
            and first_epoch not in evaluated:
        # The previous run stopped during this checkpoint's periodic evaluation.
        logging.info("Evaluating epoch %d, whose evaluation was interrupted", first_epoch)
        evaluate(first_epoch)

    if first_epoch < epochs:
        _fit(experiment, task_dir, manager, epoch_variable, evaluate if chief else None,
             first_epoch, steps, extra_callbacks)
    distributed.release_task_workdir(workdir, task_dir)
    if not chief:
        return None
    records = wd.read_json(os.path.join(workdir, wd.METRICS_FILE), default=[])
    if records and records[-1]["epoch"] == epochs:
        return records[-1]["metrics"]
    return evaluate(epochs)


def warn_if_schedule_moves(optimizer_config, previous_epochs, epochs, epoch, steps):
    """A run resumed with another train.epochs stretches its learning-rate schedule to the new
    length (how Table 1's 400-epoch runs were forked from 100-epoch ones at epoch 50, where the
    two schedules agree). Elsewhere the rate jumps: a finished 50-epoch run resumed to 100 goes
    from its final 2e-6 back to 2e-4. Says so, with both rates."""
    step = epoch * steps
    before = optimization.learning_rate_at(optimizer_config, previous_epochs * steps, step)
    now = optimization.learning_rate_at(optimizer_config, epochs * steps, step)
    if not np.isclose(before, now, rtol=1e-6):
        logging.warning(
            "Resuming at epoch %d with train.epochs %d (the run had %d): the learning-rate "
            "schedule is stretched to the new length, so the rate here becomes %.3g where the "
            "run's schedule had %.3g. Rerun with --config.train.epochs=%d to keep the run's "
            "schedule.",
            epoch, epochs, previous_epochs, now, before, previous_epochs)
    return before, now


def image_grids(experiment, workdir, writer, steps_per_epoch):
    """The run's grid callback: fixed codes (seeded by the run) and images, and the networks
    stepped through the batch-norm statistics evaluation uses."""
    config = experiment.config
    fixed_z = cb.fixed_latents((64, config.latent_dim), config.train.seed,
                               experiment.objective.latent_prior)
    # Runs made before train.grid_bn_batches existed drew their grids on evaluation's count.
    count = min(config.train.get("grid_bn_batches", config.eval.bn_reestimate_batches),
                config.eval.bn_reestimate_batches)
    return cb.ImageGrids(experiment.networks, experiment.data_shape, fixed_z,
                         experiment.grid_images, workdir, writer, steps_per_epoch,
                         config.train.images_every_epochs,
                         lambda: batch_norm_stages(experiment, count))


def _fit(experiment, task_dir, manager, epoch_variable, evaluate, first_epoch, steps,
         extra_callbacks):
    """Epochs first_epoch..config.train.epochs with checkpoints, summaries, grids and (if
    `evaluate` is given) periodic evaluation; Keras `fit`, or the custom loop for multi-worker."""
    config, epochs = experiment.config, experiment.config.train.epochs
    writer = tf.summary.create_file_writer(os.path.join(task_dir, "tensorboard"))
    if first_epoch == 0:
        cb.write_run_description(writer, config, configs.describe(config, None),
                                 os.path.basename(os.path.abspath(task_dir)))
    callbacks = [cb.NonFiniteLossGuard(lambda: manager.latest_checkpoint)]
    if experiment.lr_plateau:     # before the checkpoint, which saves its state
        callbacks.append(cb.LearningRateHalving(experiment.lr_plateau,
                                                experiment.trainer.player_optimizers))
    callbacks += [
        cb.EpochCheckpoint(manager, epoch_variable),
        cb.ScalarSummaries(writer, steps),
        image_grids(experiment, task_dir, writer, steps),
        cb.TrainingClock(os.path.join(task_dir, "timing.json")),
        *extra_callbacks,
    ]
    if evaluate:
        callbacks.append(cb.PeriodicEvaluation(evaluate, config.train.eval_every_epochs, epochs))
    # config.data.batch_size is the global batch; strategies split it over their replicas.
    dataset = training_batches(experiment, first_epoch, epochs)
    logging.info("Training %s for epochs %d..%d, %d steps each, %d replica(s), in %s",
                 config.objective.name, first_epoch + 1, epochs, steps,
                 experiment.strategy.num_replicas_in_sync, task_dir)
    if distributed.uses_custom_loop(experiment.strategy):
        distributed.custom_loop(experiment.trainer, experiment.strategy, dataset, epochs,
                                first_epoch, steps, callbacks)
    else:
        experiment.trainer.fit(dataset, epochs=epochs, initial_epoch=first_epoch,
                               steps_per_epoch=steps, callbacks=callbacks,
                               verbose=config.train.verbose, shuffle=False)
    writer.close()


def restore_for_evaluation(workdir, checkpoint=None, eval_overrides=None, precision=None):
    """Rebuilds the experiment of a work directory and restores its networks.

    `eval_overrides` replaces fields of `config.eval` (e.g. {"knn_metric": "cosine"}).
    `precision` builds the networks to compute in another precision than the run trained in
    (variables are float32 under every policy, so any checkpoint loads).
    """
    config = wd.load_config(workdir)
    if precision:
        config.train.precision = precision
    for key, value in (eval_overrides or {}).items():
        # classifier / num_samples may be added to runs whose config predates them.
        if key not in config.eval and key not in ("classifier", "num_samples"):
            raise ValueError(f"config.eval has no field {key!r}; fields: {sorted(config.eval)}")
        config.eval[key] = value
    experiment = build(config, strategy_name="default")   # evaluation runs on one device
    epoch_variable = tf.Variable(0, dtype=tf.int64, trainable=False, name="epoch")
    path = checkpoint or checkpoints.recover(os.path.join(workdir, "checkpoints"))
    manager = checkpoint_manager(experiment, workdir, epoch_variable, with_optimizers=False)
    if checkpoint and checkpoint.startswith("best:"):
        metric = checkpoint[len("best:"):]
        path = best_checkpoints.best_checkpoint(os.path.join(workdir, "checkpoints"), metric)
        if path is None:
            ranked = best_checkpoints.ranked_metrics(os.path.join(workdir, "checkpoints"))
            raise FileNotFoundError(f"No best checkpoint ranked by {metric!r} in {workdir}; "
                                    f"metrics with best checkpoints: {ranked}")
    if path is None:
        raise FileNotFoundError(f"No checkpoint in {os.path.join(workdir, 'checkpoints')}")
    if checkpoint and checkpoints.damage(path):
        raise checkpoints.DamagedCheckpointError(
            f"Checkpoint {path} is damaged: {checkpoints.damage(path)}")
    manager.checkpoint.restore(path).expect_partial()
    return experiment, path, int(epoch_variable.numpy())


def evaluate(workdir, checkpoint=None, eval_overrides=None):
    """Evaluates a checkpoint of a work directory into metrics.json: the latest by default, a
    path prefix, or "best:<metric>" (the best by that metric, see tfencgan.best_checkpoints).
    Its grids are (re)written too, with the statistics the evaluation used."""
    experiment, path, epoch = restore_for_evaluation(workdir, checkpoint, eval_overrides)
    steps = steps_per_epoch(experiment)
    writer = tf.summary.create_file_writer(os.path.join(workdir, "tensorboard"))
    image_grids(experiment, workdir, writer, steps).write(epoch * steps)
    writer.close()
    return evaluate_experiment(experiment, workdir, epoch, path)
