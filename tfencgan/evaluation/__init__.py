"""Representation metrics: 1-NN accuracy on learned features (BiGAN paper, Table 1), linear-probe
accuracy, and the reconstruction error ||x - G(E(x))|| (the authors report 5.95, against 9.60 for
random pairs)."""

import numpy as np

from tfencgan.evaluation.features import extract, reestimated_batch_norm
from tfencgan.evaluation.knn import nearest_neighbor_accuracy
from tfencgan.evaluation.linear_probe import linear_probe_accuracy


def _random_batches(images, batch_size, count, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        yield images[rng.choice(len(images), batch_size, replace=False)]


def _feature_spaces(networks, joint_discriminator):
    """role -> forward(x, training) returning the network's dict of named outputs."""
    spaces = {}
    if "encoder" in networks:
        spaces["encoder"] = lambda x, training=False: networks["encoder"].forward(x, training)
    if "discriminator" in networks and not joint_discriminator:
        # The "D" baseline of Table 1; a joint D(x, z) needs z, so it has no x-only features.
        spaces["discriminator"] = lambda x, training=False: networks["discriminator"].forward(
            x, None, training)
    return spaces


def reconstruction_errors(encoder, generator, images, batch_size, seed=0):
    """Mean ||x - G(E(x))||_2 per example, and the same for random pairs (x_i, G(E(x_j))).

    Measured in [0, 1] pixel units (half the [-1, 1] distance), as in the BiGAN authors' code.
    """
    reconstructed = extract(lambda x: generator(encoder(x)), images, batch_size)
    flat = images.reshape(len(images), -1)
    reconstructed = reconstructed.reshape(len(images), -1)
    shuffled = reconstructed[np.random.default_rng(seed).permutation(len(images))]
    error = np.linalg.norm(flat - reconstructed, axis=1).mean() / 2.0
    random_pairs = np.linalg.norm(flat - shuffled, axis=1).mean() / 2.0
    return float(error), float(random_pairs)


def latent_reconstruction_errors(encoder, generator, z, batch_size, seed=0):
    """Mean ||z - E(G(z))||_2 over prior draws z (reconstruction in latent space, the empirical
    study's Z-AE quantity), and ||z - z'|| for independent draws (z permuted) as the baseline.
    Networks in inference mode."""
    recovered = extract(lambda codes: encoder(generator(codes)), z, batch_size)
    shuffled = z[np.random.default_rng(seed).permutation(len(z))]
    return (float(np.linalg.norm(z - recovered, axis=1).mean()),
            float(np.linalg.norm(z - shuffled, axis=1).mean()))


def _reconstruction_metrics(networks, train_x, queries, eval_config, train_batch_size):
    """Reconstruction errors with G's batch-norm statistics re-estimated on the codes it decodes
    here, E(x) of training images: its moving averages lag far behind early in training."""
    encoder, generator = networks["encoder"], networks["generator"]
    codes = (encoder(b) for b in _random_batches(train_x, train_batch_size,
                                                 eval_config.bn_reestimate_batches, seed=1))
    metrics = {}
    with reestimated_batch_norm(generator, lambda z: generator.forward(z, training=True), codes):
        for split, ((query_x, _), _) in queries.items():
            error, random_pairs = reconstruction_errors(encoder, generator, query_x,
                                                        eval_config.batch_size)
            metrics[f"{split}/reconstruction_error"] = error
            metrics[f"{split}/reconstruction_error_random_pairs"] = random_pairs
    return metrics


def evaluate_representations(networks, joint_discriminator, train_x, queries, eval_config,
                             train_batch_size):
    """Returns a dict of metrics, named `<split>/<metric>`, for whatever networks are present.

    Args:
      networks: role -> network.
      joint_discriminator: D scores (x, z) pairs (BiGAN); its features are then skipped.
      train_x: training images, for re-estimating batch-norm statistics.
      queries: split name -> ((images, labels) to classify, (images, labels) of the 1-NN
        references); references shared by several splits are embedded once.
      eval_config: knn_metric, bn_reestimate_batches, batch_size.
      train_batch_size: batch size for re-estimating batch-norm statistics.
    """
    metrics = {}
    for role, forward in _feature_spaces(networks, joint_discriminator).items():
        batches = _random_batches(train_x, train_batch_size, eval_config.bn_reestimate_batches)
        with reestimated_batch_norm(networks[role], lambda b: forward(b, training=True), batches):
            outputs = ("features", "output") if role == "encoder" else ("features",)
            for output in outputs:
                def features(x, output=output):
                    return forward(x)[output]
                reference_features = {}
                label = "penultimate" if output == "features" else "output"
                for split, ((query_x, query_y), (ref_x, ref_y)) in queries.items():
                    if id(ref_x) not in reference_features:
                        reference_features[id(ref_x)] = extract(features, ref_x,
                                                                eval_config.batch_size)
                    query_features = extract(features, query_x, eval_config.batch_size)
                    metrics[f"{split}/knn_accuracy/{role}_{label}"] = nearest_neighbor_accuracy(
                        reference_features[id(ref_x)], ref_y, query_features, query_y,
                        eval_config.knn_metric)
                    if eval_config.get("linear_probe"):
                        metrics[f"{split}/linear_probe_accuracy/{role}_{label}"] = \
                            linear_probe_accuracy(reference_features[id(ref_x)], ref_y,
                                                  query_features, query_y)
            if role == "encoder" and "generator" in networks:
                metrics.update(_reconstruction_metrics(networks, train_x, queries, eval_config,
                                                       train_batch_size))
    return metrics


def raw_pixel_knn_accuracy(reference, query, metric="euclidean"):
    """1-NN accuracy on raw pixels: the baseline a learned feature space has to beat."""
    return nearest_neighbor_accuracy(reference[0], reference[1], query[0], query[1], metric)
