"""What an experiment is scored on: metric families over its networks, with provenance.

`evaluate_experiment` computes every family the networks and the config allow
(`compute_metrics`) and appends them to the work directory's metrics.json, TensorBoard and the
best-checkpoint ranking (`record_metrics`). `batch_norm_stages` gives the networks the batch-norm
statistics evaluation uses, for the export and the image grids too.
"""

import dataclasses
import os
import sys
import time

from absl import logging
import keras
import numpy as np
import tensorflow as tf

from tfencgan import best_checkpoints, data, evaluation
from tfencgan import callbacks as cb
from tfencgan import workdir as wd
from tfencgan.experiment_data import batch_norm_batches, data_options, steps_per_epoch
from tfencgan.metrics import classifiers, generation, spectrum


# Seeds of the evaluation's own draws, offsets from config.train.seed (training's latent RNG
# uses the seed itself): the same samples at every evaluation and in the export.
SEED_OFFSETS = {"generated_samples": 1, "latent_reconstruction": 2, "spectrum_samples": 3}


def evaluation_seed(config, purpose):
    return keras.random.SeedGenerator(config.train.seed + SEED_OFFSETS[purpose])


def evaluation_inputs(experiment):
    """(queries, bn_batches) for evaluation.evaluate_representations: each query split with its
    reference split as re-iterable batches (streamed for streamed sources; the in-memory
    training split reused), and training batches for re-estimating batch-norm statistics."""
    config = experiment.config
    batch_size, limit = config.eval.batch_size, config.data.get("limit")
    splits = {}

    def batches(split, split_limit):
        if (split, split_limit) not in splits:
            if (experiment.train_data is not None
                    and (split, split_limit) == (config.data.split, limit)):
                splits[split, split_limit] = lambda: data.array_batches(*experiment.train_data,
                                                                        batch_size)
            else:
                splits[split, split_limit] = data.split_batches(
                    config.data.name, split, batch_size, split_limit, **data_options(config))
        return splits[split, split_limit]

    references = dict(config.eval.references)
    queries = {split: (batches(split, None), references[split], batches(references[split], limit))
               for split in config.eval.splits}
    return queries, batch_norm_batches(experiment)


def batch_norm_stages(experiment, count=None):
    """Steps through the batch-norm statistics evaluation gives the networks (the export and
    the image grids show the networks as evaluated): yields "generator" while G holds statistics
    re-estimated on `count` prior batches; then, with an encoder, "encoder" while E holds them
    re-estimated on `count` training batches, and "decoder" while G, in addition, holds them
    re-estimated on those batches' codes E(x). Each network gets its own statistics back when
    its stage ends (close the iterator if you stop early). `count` defaults to
    config.eval.bn_reestimate_batches; 0 keeps the moving statistics."""
    config, networks = experiment.config, experiment.networks
    count = config.eval.bn_reestimate_batches if count is None else count
    generator, encoder = networks["generator"], networks.get("encoder")
    train_batches = batch_norm_batches(experiment)

    def in_training_mode(network):
        return lambda batch: network(batch, training=True)

    seed = evaluation_seed(config, "generated_samples")
    prior = (experiment.objective.sample_latent(config.eval.batch_size, config.latent_dim, seed)
             for _ in range(count))
    with evaluation.reestimated_batch_norm(generator, in_training_mode(generator), prior):
        yield "generator"
    if encoder is not None:
        with evaluation.reestimated_batch_norm(encoder, in_training_mode(encoder),
                                               train_batches(count)):
            yield "encoder"
            # Lazy: read (and E run) only if G has batch norm to re-estimate, while E still
            # holds its re-estimated statistics.
            encode = tf.function(lambda batch: encoder(batch)["output"], reduce_retracing=True)
            codes = (encode(batch) for batch in train_batches(count))
            with evaluation.reestimated_batch_norm(generator, in_training_mode(generator),
                                                   codes):
                yield "decoder"


def _first_images(split_batches, count):
    images, total = [], 0
    for x, _ in split_batches():
        images.append(x[:count - total])
        total += len(images[-1])
        if total >= count:
            break
    return np.concatenate(images)


def representation_metrics(experiment, inputs, provenance):
    """1-NN / linear probe of every feature space, and pixel reconstruction errors."""
    config = experiment.config
    queries, bn_batches = inputs
    sizes = {}
    metrics = evaluation.evaluate_representations(
        experiment.networks, experiment.objective.joint_discriminator, bn_batches, queries,
        config.eval, sizes)
    references = dict(config.eval.references)
    provenance.update({"query_splits": list(config.eval.splits),
                       "references": {s: references[s] for s in queries},
                       "num_references": sizes.get("references", {}),
                       "num_queries": sizes.get("queries", {}),
                       "knn_metric": config.eval.knn_metric,
                       "bn_reestimate_batches": config.eval.bn_reestimate_batches})
    return metrics


def latent_reconstruction_metrics(experiment, inputs, provenance):
    """||z - E(G(z))|| over seeded prior draws, beside independent codes."""
    config = experiment.config
    z = experiment.objective.sample_latent(1000, config.latent_dim,
                                           evaluation_seed(config, "latent_reconstruction"))
    error, random_pairs = evaluation.latent_reconstruction_errors(
        experiment.networks["encoder"], experiment.networks["generator"], np.asarray(z),
        config.eval.batch_size)
    return {"prior/latent_reconstruction_error": error,
            "prior/latent_reconstruction_error_random_pairs": random_pairs}


def generation_metrics(experiment, inputs, provenance):
    """FID(PX, PG), FID(PX, PG(E(X))), Inception-L2, IS, KID through config.eval.classifier,
    against the first query split's images."""
    config = experiment.config
    queries, bn_batches = inputs
    classifier = classifiers.build_classifier(config.eval.classifier)
    identity = classifier.identity          # hashes the weights file: once
    provenance["classifier"] = identity
    first_split = config.eval.splits[0]
    real = _first_images(queries[first_split][0], config.eval.get("num_samples", 10000))
    seed = evaluation_seed(config, "generated_samples")
    with evaluation.timed(f"generation metrics through {identity['name']}"):
        quality = generation.generation_metrics(
            experiment.networks, classifier, real,
            lambda n: experiment.objective.sample_latent(n, config.latent_dim, seed),
            config.eval.batch_size, bn_batches=max(config.eval.bn_reestimate_batches, 1),
            progress=sys.stderr.isatty())
    return {f"{first_split}/{name}": value for name, value in quality.items()}


SPECTRUM_IMAGES = 1000


def spectrum_metrics(experiment, inputs, provenance):
    """Period-two (checkerboard) power of G's samples over that of the first query split's
    images (tfencgan.metrics.spectrum); image-shaped data only."""
    if experiment.grid_images.ndim != 4:      # flattened vectors have no 2-D spectrum
        return {}
    config = experiment.config
    queries, _ = inputs
    first_split = config.eval.splits[0]
    real = _first_images(queries[first_split][0], SPECTRUM_IMAGES)
    seed = evaluation_seed(config, "spectrum_samples")
    ratio = spectrum.period_two_power_ratio(
        experiment.networks["generator"], real,
        lambda n: experiment.objective.sample_latent(n, config.latent_dim, seed),
        config.eval.batch_size, bn_batches=max(config.eval.bn_reestimate_batches, 1))
    return {f"{first_split}/period_two_power_ratio": ratio}


@dataclasses.dataclass(frozen=True)
class MetricFamily:
    """A group of metrics computed together: the network roles it needs, whether the config
    asks for it, and its function (experiment, evaluation inputs, provenance dict) -> metrics.
    Each metric's direction is declared beside the code that computes it (DIRECTIONS in
    tfencgan.evaluation and tfencgan.metrics.generation, read by tfencgan.metric_directions)."""

    name: str
    roles: tuple
    compute: object
    wanted: object = lambda config: True


METRIC_FAMILIES = (
    MetricFamily("representation", (), representation_metrics),
    MetricFamily("latent reconstruction", ("generator", "encoder"),
                 latent_reconstruction_metrics),
    MetricFamily("generation", ("generator",), generation_metrics,
                 wanted=lambda config: bool(config.eval.get("classifier"))),
    MetricFamily("spectrum", ("generator",), spectrum_metrics),
)


def compute_metrics(experiment):
    """Every metric family the networks and the config allow: (metrics, provenance)."""
    inputs = evaluation_inputs(experiment)
    metrics, provenance = {}, {"classifier": None}
    for family in METRIC_FAMILIES:
        if set(family.roles) <= set(experiment.networks) and family.wanted(experiment.config):
            metrics.update(family.compute(experiment, inputs, provenance))
    return metrics, provenance


def record_metrics(experiment, workdir, epoch, checkpoint_path, metrics, provenance, seconds):
    """Appends the record to metrics.json, writes TensorBoard scalars, ranks best checkpoints."""
    config = experiment.config
    step = epoch * steps_per_epoch(experiment)
    record = {"epoch": epoch, "step": step, "metrics": metrics,
              "provenance": {"checkpoint": checkpoint_path, "objective": config.objective.name,
                             "dataset": config.data.name, **provenance,
                             "seconds": round(seconds, 1),
                             "versions": wd.library_versions()}}
    wd.append_metrics(workdir, record)
    cb.write_metrics(os.path.join(workdir, "tensorboard"), step, metrics)
    checkpoint_dir = os.path.join(workdir, "checkpoints")
    if checkpoint_path and os.path.dirname(checkpoint_path) == checkpoint_dir:
        best_checkpoints.update_best(checkpoint_dir, checkpoint_path, step, metrics,
                                     keep=config.eval.get("best_to_keep", 3))


def evaluate_experiment(experiment, workdir, epoch, checkpoint_path=None):
    """Computes the metrics and appends them, with provenance, to metrics.json."""
    started = time.time()
    metrics, provenance = compute_metrics(experiment)
    record_metrics(experiment, workdir, epoch, checkpoint_path, metrics, provenance,
                   time.time() - started)
    logging.info("epoch %d evaluation (%.0f s):\n%s", epoch, time.time() - started,
                 evaluation.format_metrics(metrics))
    return metrics
