"""Sample-quality metrics from classifier activations, the math from tensorflow-gan.

FID(PX, PG) and the reconstruction FID(PX, PG(E(X))) of the empirical study (Rubenstein et al.,
sec. 4) are `frechet_distance` on activations of real images and of samples / reconstructions;
Inception-L2 is the mean L2 distance between the activations of x and of G(E(x)); the AGE paper
reports the Inception Score; KID is the unbiased kernel distance of Binkowski et al.
The classifiers that produce the activations are behind one interface in
tfencgan/metrics/classifiers.py; tfencgan/metrics/generation.py computes these for a model.
"""

import math

import numpy as np
import tensorflow as tf

from tfencgan.metrics.tfgan_compat import tfgan_eval


def _as_tensor(activations):
    # tensorflow-gan wants tf tensors, not NumPy arrays; float64 keeps the matrix square root
    # of the covariance product accurate.
    return tf.convert_to_tensor(np.asarray(activations, np.float64))


def frechet_distance(activations_a, activations_b):
    """||mu_a - mu_b||^2 + Tr(C_a + C_b - 2 (C_a C_b)^(1/2)) between two activation sets."""
    return float(tfgan_eval.frechet_classifier_distance_from_activations(
        _as_tensor(activations_a), _as_tensor(activations_b)))


def kernel_distance(activations_a, activations_b, max_block_size=None):
    """KID: unbiased MMD^2 with the cubic polynomial kernel; returns (mean, std over blocks).

    By default blocks hold at most 1,024 samples and there are at least two, so the std is
    defined.
    """
    if max_block_size is None:
        count = min(len(activations_a), len(activations_b))
        blocks = max(2, math.ceil(count / 1024))
        max_block_size = math.ceil(count / blocks)
    mean, std = tfgan_eval.kernel_classifier_distance_and_std_from_activations(
        _as_tensor(activations_a), _as_tensor(activations_b), max_block_size=max_block_size)
    return float(mean), float(std)


def inception_score(logits):
    """exp(E_x KL(p(y|x) || p(y))) from classifier logits."""
    return float(tfgan_eval.classifier_score_from_logits(_as_tensor(logits)))


def inception_l2(activations_x, activations_reconstructed):
    """Mean L2 distance between the activations of x and of its reconstruction G(E(x)).

    The empirical study's eq. 4, E_X l_2(I(X), I(G(E(X)))), with l_2 "the Euclidean distance"
    (its sec. 3, below eq. 5): not squared. The paper's remark that this equals the mean FID of
    Dirac pairs holds for the squared distance (eq. 3's ||mu_1 - mu_2||^2); we follow the stated
    definition of l_2, as for the Z-AE loss it also defines.
    """
    a = np.asarray(activations_x, np.float64)
    b = np.asarray(activations_reconstructed, np.float64)
    if a.shape != b.shape:
        raise ValueError(f"Activation shapes differ: {a.shape} vs {b.shape}; Inception-L2 pairs "
                         f"each image with its own reconstruction")
    return float(np.linalg.norm(a.reshape(len(a), -1) - b.reshape(len(b), -1), axis=1).mean())
