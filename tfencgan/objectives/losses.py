"""Pure loss functions, one per player, TF-GAN style: tensors in, a scalar out.

All adversarial losses take discriminator logits of the "real" side (x, or the pair (x, E(x))) and
of the "generated" side (G(z), or the pair (G(z), z)).
"""

import math

from keras import ops
import tensorflow as tf

from tfencgan.networks.layers import unit_norm


def _bce_with_logits(logits, label):
    """Mean sigmoid cross-entropy of `logits` against `label` (a constant or a tensor of
    targets in [0, 1]), the one cross-entropy of every loss here (Keras' stable form)."""
    targets = label + ops.zeros_like(logits)
    return ops.mean(ops.binary_crossentropy(targets, logits, from_logits=True))


def discriminator_loss(real_logits, fake_logits):
    """-V of BiGAN eq. (3) / GAN: D labels the real side 1 and the generated side 0.

    Each side's cross-entropy is averaged over its batch and the two are averaged (the 0.5 of the
    BiGAN authors' code), so a chance discriminator (logits 0) scores log 2.
    """
    return 0.5 * (_bce_with_logits(real_logits, 1.0) + _bce_with_logits(fake_logits, 0.0))


def generator_inverse_loss(real_logits, fake_logits):
    """-Λ of the BiGAN paper, appendix B: the "inverse" objective with the labels swapped.

    Λ = E_x[log(1 - D(x, E(x)))] + E_z[log D(G(z), z)]; G and E ascend Λ, so they minimise the
    discriminator's cross-entropy with real labelled 0 and generated labelled 1. For a plain GAN
    the real term carries no gradient to G, leaving the non-saturating loss of Goodfellow et al.
    """
    return 0.5 * (_bce_with_logits(real_logits, 0.0) + _bce_with_logits(fake_logits, 1.0))


def latent_regression_loss(z, encoder_logits):
    """Latent regressor loss L(z, E(G(z))) of the BiGAN paper, sec. 4.1.

    Sigmoid cross-entropy between sigmoid(E's logits) and (z + 1) / 2 for z ~ U(-1, 1)^d, summed
    over dimensions and divided by d (the authors' `--encode_normalize`), averaged over the batch.
    """
    return _bce_with_logits(encoder_logits, (z + 1.0) / 2.0)


def reconstruction_loss(x, x_reconstructed, norm):
    """Autoencoder loss ||x - G(E(x))|| of the BiGAN paper's baselines (sec. 4.2, Table 1).

    `norm` "l2": squared error, "l1": absolute error; averaged over dimensions and batch.
    """
    difference = x - x_reconstructed
    if norm == "l2":
        return ops.mean(ops.square(difference))
    if norm == "l1":
        return ops.mean(ops.abs(difference))
    raise ValueError(f"Unknown reconstruction norm {norm!r}; valid norms: ['l1', 'l2']")


def non_saturating_loss(logits):
    """-log D = softplus(-logits): the non-saturating loss of a player that wants D to say
    "real" (the empirical study's encoder under the adversarial-X / -Z losses)."""
    return _bce_with_logits(logits, 1.0)


def wasserstein_critic_loss(real_scores, fake_scores):
    """WGAN critic loss E[D(fake)] - E[D(real)] (Gulrajani et al. 2017, algorithm 1)."""
    return ops.mean(fake_scores) - ops.mean(real_scores)


def wasserstein_generator_loss(real_scores, fake_scores):
    """The generating side's WGAN loss, -(critic loss); the real term carries no gradient to G,
    leaving -E[D(G(z))], and gives E of a joint critic the opposite of the critic's aim."""
    return ops.mean(real_scores) - ops.mean(fake_scores)


def gradient_penalty(critic, real_inputs, fake_inputs, epsilon, penalised=None):
    """WGAN-GP penalty E[(||grad critic(x_hat)||_2 - 1)^2] (Gulrajani et al. 2017, eq. 3).

    x_hat = eps * real + (1 - eps) * fake, one eps ~ U[0, 1] per example shared by every input
    of the pair, e.g. (x, z) for a joint discriminator. The gradient norm is taken over the
    inputs numbered in `penalised` (all of them by default: x and z together for a joint
    critic; (0,) for the image alone). `critic(*inputs)` returns one score per example;
    `epsilon` is [batch].
    """
    interpolated = []
    for real, fake in zip(real_inputs, fake_inputs):
        eps = ops.reshape(epsilon, (-1,) + (1,) * (len(real.shape) - 1))
        interpolated.append(eps * real + (1.0 - eps) * fake)
    with tf.GradientTape() as tape:
        tape.watch(interpolated)
        # Examples are scored independently, so the gradient of the sum holds each one's own.
        total = ops.sum(critic(*interpolated))
    gradients = tape.gradient(total, interpolated)
    if penalised is not None:
        gradients = [gradients[i] for i in penalised]
    squared = sum(ops.sum(ops.reshape(ops.square(g), (ops.shape(g)[0], -1)), axis=1)
                  for g in gradients)
    norm = ops.sqrt(squared + 1e-12)
    return ops.mean(ops.square(norm - 1.0))


def euclidean_distance(a, b):
    """E ||a - b||_2 over the batch: the l2 of the empirical study's X-AE and Z-AE losses
    (eq. 5 and 6 call l2 "the Euclidean distance": the norm, not its square)."""
    difference = ops.reshape(a - b, (ops.shape(a)[0], -1))
    return ops.mean(ops.sqrt(ops.sum(ops.square(difference), axis=1) + 1e-12))


def vae_loss(x, decoded, log_scale, mean, log_variance):
    """Negative ELBO of the empirical study's VAE (appendix A.2), averaged over the batch.

    Gaussian decoder N(G(z), σ² I) with a learned σ = exp(log_scale), factored Gaussian posterior
    N(mean, exp(log_variance)), unit Gaussian prior:
      ||x - G(z)||² / (2σ²) + D log σ + (D/2) log 2π + KL(N(mean, Σ) || N(0, I)),
    with D the number of pixels and KL = ½ Σ (exp(log_variance) + mean² - 1 - log_variance).
    (The appendix writes d_Z log σ; the Gaussian likelihood's normaliser has the data
    dimension, which is what makes σ learnable at all.)
    """
    batch = ops.shape(x)[0]
    squared = ops.sum(ops.reshape(ops.square(x - decoded), (batch, -1)), axis=1)
    pixels = math.prod(x.shape[1:])
    scale = ops.exp(log_scale)
    nll = squared / (2.0 * scale ** 2) + pixels * (log_scale + 0.5 * math.log(2 * math.pi))
    kl = 0.5 * ops.sum(ops.exp(log_variance) + ops.square(mean) - 1.0 - log_variance, axis=1)
    return ops.mean(nll + kl)


def gaussian_fit_kl(codes):
    """KL(N(m, diag(s²)) || N(0, I)) for the Gaussian fitted to a batch of codes: AGE eq. 8,
        KL ≈ -M/2 + Σ_j (s_j² + m_j²)/2 - log s_j,
    with m_j the batch mean and s_j the batch standard deviation of component j (the paper calls
    s the variance, but the formula is the Gaussian KL only with s the standard deviation)."""
    mean = ops.mean(codes, axis=0)
    variance = ops.mean(ops.square(codes - mean), axis=0)
    return ops.sum(0.5 * (variance + ops.square(mean)) - 0.5 * ops.log(variance + 1e-12) - 0.5)


def kozachenko_leonenko_kl(codes):
    """KL(Q || N(0, I)) = -H(Q) + E||q||²/2 + (M/2) log 2π, with the entropy H estimated by the
    Kozachenko-Leonenko nearest-neighbour estimator (the non-parametric option of AGE sec. 3):
        H ≈ (M/N) Σ_i log ρ_i + log(N - 1) + γ_Euler + log V_M,
    ρ_i the distance from code i to its nearest other code, V_M the unit M-ball's volume."""
    n, m = ops.shape(codes)[0], codes.shape[-1]
    squared = ops.sum(ops.square(codes), axis=1)
    distances = squared[:, None] + squared[None, :] - 2.0 * ops.matmul(codes, ops.transpose(codes))
    distances = distances + ops.eye(n) * 1e12                     # exclude each code itself
    nearest = ops.sqrt(ops.maximum(ops.min(distances, axis=1), 1e-12))
    n_float = ops.cast(n, codes.dtype)
    log_ball = 0.5 * m * math.log(math.pi) - math.lgamma(0.5 * m + 1.0)
    entropy = (m * ops.mean(ops.log(nearest)) + ops.log(n_float - 1.0) + 0.5772156649015329
               + log_ball)
    return -entropy + 0.5 * ops.mean(squared) + 0.5 * m * math.log(2 * math.pi)


def autoencoder_loss(images, reconstructions, eta=1):
    """BEGAN's pixel-wise autoencoder loss L(v) = |v - D(v)|^η, averaged over pixels and batch."""
    difference = ops.abs(images - reconstructions)
    return ops.mean(difference if eta == 1 else difference ** eta)


def pulling_away(embeddings):
    """EBGAN's pulling-away term (Zhao, Mathieu, LeCun, "Energy-based GAN", sec. 2.4):
    f_PT(S) = 1 / (N (N - 1)) Σ_i Σ_{j≠i} (S_iᵀ S_j / (‖S_i‖ ‖S_j‖))², the mean squared cosine
    similarity between the embeddings of different samples of a batch (0 when they are
    orthogonal, 1 when they all point one way)."""
    flat = ops.reshape(embeddings, (ops.shape(embeddings)[0], -1))
    unit = unit_norm(flat)
    cosine = ops.matmul(unit, ops.transpose(unit))
    n = ops.cast(ops.shape(flat)[0], flat.dtype)
    # Σ_{i≠j}: the diagonal of cosine² is 1 for every non-zero embedding; subtract it exactly.
    off_diagonal = ops.sum(ops.square(cosine)) - ops.sum(ops.square(ops.diagonal(cosine)))
    return off_diagonal / (n * (n - 1.0))
