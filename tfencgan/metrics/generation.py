"""Sample and reconstruction quality of a trained model, through a classifier's activations.

FID(PX, PG) compares real images with samples G(z); the empirical study's reconstruction FID
FID(PX, PG(E(X))) compares them with reconstructions G(E(x)), and its Inception-L2 is the mean
distance between the activations of each x and its own G(E(x)). Samples are generated, classified
and dropped batch by batch, so memory holds activations only.

G's batch-norm statistics are re-estimated on the inputs it decodes (prior samples for G(z),
codes E(x) for reconstructions), as for the representation metrics: moving averages lag behind
the weights early in training.
"""

import contextlib

import numpy as np

from tfencgan import metrics
from tfencgan.evaluation.features import reestimated_batch_norm
from tfencgan.networks import reconstruct


def _batches(count, batch_size):
    for start in range(0, count, batch_size):
        yield min(batch_size, count - start)


def sample_batches(generator, sample_latent, count, batch_size, bn_batches):
    """Batches of `count` samples G(z) (`sample_latent(n)` draws n codes), with G's batch-norm
    statistics re-estimated on `bn_batches` prior batches while they are drawn and restored
    once the batches are exhausted (or the iterator closed)."""
    prior = (sample_latent(batch_size) for _ in range(bn_batches))
    with reestimated_batch_norm(generator, lambda z: generator(z, training=True), prior):
        for n in _batches(count, batch_size):
            yield generator(sample_latent(n))["output"]


def generation_metrics(networks, classifier, real_images, sample_latent, batch_size=500,
                       bn_batches=20, progress=False):
    """Returns {fid, kid, kid_std, inception_score[, fid_reconstruction, inception_l2]}.

    Args:
      networks: role -> network; needs a generator, and an encoder for the reconstruction ones.
      classifier: a tfencgan.metrics.classifiers.Classifier.
      real_images: images in [-1, 1] (as the model sees them); as many samples are drawn.
      sample_latent: batch_size -> latent codes (NumPy or tensor).
    """
    generator, encoder = networks["generator"], networks.get("encoder")
    count = len(real_images)
    real = classifier.outputs(real_images, batch_size, progress)
    # closing: G's statistics come back at once even if the classifier fails mid-way.
    with contextlib.closing(sample_batches(generator, sample_latent, count, batch_size,
                                           bn_batches)) as samples:
        generated = classifier.outputs(samples, batch_size, progress)
    result = {"fid": metrics.frechet_distance(real["activations"], generated["activations"]),
              "inception_score": metrics.inception_score(generated["logits"])}
    result["kid"], result["kid_std"] = metrics.kernel_distance(real["activations"],
                                                               generated["activations"])
    if encoder is not None:
        codes = (encoder(real_images[i:i + batch_size])["output"]
                 for i in range(0, min(count, bn_batches * batch_size), batch_size))
        with reestimated_batch_norm(generator, lambda z: generator(z, training=True),
                                    codes):
            reconstructions = (reconstruct(encoder, generator, real_images[i:i + batch_size])
                               for i in range(0, count, batch_size))
            recon = classifier.outputs(reconstructions, batch_size, progress)
        result["fid_reconstruction"] = metrics.frechet_distance(real["activations"],
                                                                recon["activations"])
        result["inception_l2"] = metrics.inception_l2(real["activations"], recon["activations"])
    return {k: float(v) for k, v in result.items()}


# Direction of every metric family computed here (read by tfencgan.metric_directions).
DIRECTIONS = {
    "fid": "min",
    "fid_reconstruction": "min",
    "inception_l2": "min",
    "inception_score": "max",
    "kid": "min",
    "kid_std": None,
}
