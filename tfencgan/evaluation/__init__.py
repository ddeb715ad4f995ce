"""Representation metrics: 1-NN accuracy on learned features (BiGAN paper, Table 1), linear-probe
accuracy, and the reconstruction error ||x - G(E(x))|| (the authors report 5.95, against 9.60 for
random pairs)."""

import contextlib
import time

from absl import logging
import numpy as np
import tensorflow as tf

from tfencgan.evaluation.features import extract, extract_outputs, reestimated_batch_norm
from tfencgan.evaluation.knn import nearest_neighbor_accuracy
from tfencgan.evaluation.linear_probe import linear_probe_accuracy
from tfencgan.networks import reconstruct


@contextlib.contextmanager
def timed(phase):
    """Logs how long an evaluation phase took (evaluation runs for minutes without output)."""
    started = time.perf_counter()
    yield
    logging.info("evaluation: %s took %.1f s", phase, time.perf_counter() - started)


def format_metrics(metrics):
    """A compact table: one `name  value` line per metric, sorted, aligned."""
    width = max((len(name) for name in metrics), default=0)
    return "\n".join(f"  {name:<{width}}  {value:.4f}" for name, value in sorted(metrics.items()))


def random_batches(images, batch_size, count, seed=0):
    """`count` batches drawn at random (seeded) from in-memory images."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        yield images[rng.choice(len(images), batch_size, replace=False)]


def _feature_spaces(networks, joint_discriminator):
    """role -> a function (x, training) -> the network's dict of named outputs."""
    spaces = {}
    if "encoder" in networks:
        spaces["encoder"] = networks["encoder"]
    if "discriminator" in networks and not joint_discriminator:
        # The "D" baseline of Table 1; a joint D(x, z) needs z, so it has no x-only features.
        spaces["discriminator"] = lambda x, training=False: networks["discriminator"](
            x, None, training=training)
    return spaces


def reconstruction_errors(encoder, generator, batches):
    """Mean ||x - G(E(x))||_2 per example over an iterable of image batches, and the same for
    random pairs (x_i, G(E(x_j))), j the next example of the batch (rolled by one).

    Measured in [0, 1] pixel units (half the [-1, 1] distance), as in the BiGAN authors' code.
    Streams: memory holds one batch.
    """
    reconstruct_batch = tf.function(lambda x: reconstruct(encoder, generator, x))
    total = random_total = count = 0.0
    for x in batches:
        flat = np.asarray(x).reshape(len(x), -1)
        reconstructed = reconstruct_batch(tf.constant(x)).numpy().reshape(len(x), -1)
        total += np.linalg.norm(flat - reconstructed, axis=1).sum()
        random_total += np.linalg.norm(flat - np.roll(reconstructed, 1, axis=0), axis=1).sum()
        count += len(x)
    return float(total / count / 2.0), float(random_total / count / 2.0)


def latent_reconstruction_errors(encoder, generator, z, batch_size, seed=0):
    """Mean ||z - E(G(z))||_2 over prior draws z (reconstruction in latent space, the empirical
    study's Z-AE quantity), and ||z - z'|| for independent draws (z permuted) as the baseline.
    Networks in inference mode."""
    recovered = extract(lambda codes: encoder(generator(codes)["output"])["output"], z, batch_size)
    shuffled = z[np.random.default_rng(seed).permutation(len(z))]
    return (float(np.linalg.norm(z - recovered, axis=1).mean()),
            float(np.linalg.norm(z - shuffled, axis=1).mean()))


def _images(split_batches):
    return (x for x, _ in split_batches())


def _reconstruction_metrics(networks, bn_batches, queries, eval_config):
    """Reconstruction errors with G's batch-norm statistics re-estimated on the codes it decodes
    here, E(x) of training images: its moving averages lag far behind early in training.
    (tfencgan.export freezes the same statistics into the `reconstruct` signature.)"""
    encoder, generator = networks["encoder"], networks["generator"]
    codes = (encoder(b)["output"] for b in bn_batches(eval_config.bn_reestimate_batches))
    metrics = {}
    with reestimated_batch_norm(generator, lambda z: generator(z, training=True), codes):
        for split, (query_batches, _, _) in queries.items():
            error, random_pairs = reconstruction_errors(encoder, generator,
                                                        _images(query_batches))
            metrics[f"{split}/reconstruction_error"] = error
            metrics[f"{split}/reconstruction_error_random_pairs"] = random_pairs
    return metrics


OUTPUT_LABELS = {"features": "penultimate", "output": "output"}


def _score_features(metrics, split, role, query, reference, eval_config):
    """1-NN (and linear-probe) accuracy of every output of one feature space on one split."""
    (query_outputs, query_y), (reference_outputs, reference_y) = query, reference
    if np.all(np.asarray(reference_y) < 0) or np.all(np.asarray(query_y) < 0):
        logging.warning("%s: the images have no labels (-1); no 1-NN or linear probe", split)
        return
    for output, label in OUTPUT_LABELS.items():
        if output not in query_outputs:
            continue
        name = f"{role}_{label}"
        with timed(f"{split} 1-NN on {name}"):
            metrics[f"{split}/knn_accuracy/{name}"] = nearest_neighbor_accuracy(
                reference_outputs[output], reference_y, query_outputs[output], query_y,
                eval_config.knn_metric)
        if eval_config.get("linear_probe"):
            with timed(f"{split} linear probe on {name}"):
                metrics[f"{split}/linear_probe_accuracy/{name}"] = linear_probe_accuracy(
                    reference_outputs[output], reference_y, query_outputs[output], query_y)


def evaluate_representations(networks, joint_discriminator, bn_batches, queries, eval_config,
                             sizes=None):
    """Returns a dict of metrics, named `<split>/<metric>`, for whatever networks are present.

    Streams: each split is read batch by batch and only its features are kept, so memory is
    bounded by features (N x feature size), not images.

    Args:
      networks: role -> network.
      joint_discriminator: D scores (x, z) pairs (BiGAN); its features are then skipped.
      bn_batches: count -> iterable of `count` training image batches, for re-estimating
        batch-norm statistics.
      queries: split name -> (query batches, reference name, reference batches); batches are
        zero-argument functions returning (images, labels) batches (tfencgan.data
        .split_batches). References shared by several splits (same name) are embedded once.
      eval_config: knn_metric, linear_probe, bn_reestimate_batches.
      sizes: a dict to receive {"queries": {split: n}, "references": {split: n}} (provenance).
    """
    metrics = {}
    for role, forward in _feature_spaces(networks, joint_discriminator).items():
        outputs = tuple(OUTPUT_LABELS) if role == "encoder" else ("features",)
        batches = bn_batches(eval_config.bn_reestimate_batches)
        started = time.perf_counter()
        with reestimated_batch_norm(networks[role], lambda b: forward(b, training=True), batches):
            logging.info("evaluation: batch-norm re-estimation of the %s took %.1f s", role,
                         time.perf_counter() - started)
            def features(x):
                out = forward(x)
                return {name: out[name] for name in outputs}
            references = {}
            for split, (query_batches, reference_name, reference_batches) in queries.items():
                with timed(f"{role} features of {split} and its references"):
                    if reference_name not in references:
                        references[reference_name] = extract_outputs(features,
                                                                     reference_batches())
                    query = extract_outputs(features, query_batches())
                _score_features(metrics, split, role, query, references[reference_name],
                                eval_config)
                if sizes is not None:
                    sizes.setdefault("queries", {})[split] = len(query[1])
                    sizes.setdefault("references", {})[split] = len(
                        references[reference_name][1])
            if role == "encoder" and "generator" in networks:
                # E keeps its re-estimated statistics here, as in the exported model.
                with timed("reconstruction errors"):
                    metrics.update(_reconstruction_metrics(networks, bn_batches, queries,
                                                           eval_config))
    return metrics


def raw_pixel_knn_accuracy(reference, query, metric="euclidean"):
    """1-NN accuracy on raw pixels: the baseline a learned feature space has to beat."""
    return nearest_neighbor_accuracy(reference[0], reference[1], query[0], query[1], metric)


# Direction of every metric family this module computes (tfencgan.metric_directions reads it):
# "max" better high, "min" better low, None a reference value that ranks nothing.
DIRECTIONS = {
    "knn_accuracy": "max",
    "linear_probe_accuracy": "max",
    "reconstruction_error": "min",
    "reconstruction_error_random_pairs": None,
    "latent_reconstruction_error": "min",
    "latent_reconstruction_error_random_pairs": None,
}
