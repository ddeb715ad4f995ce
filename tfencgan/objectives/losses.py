"""Pure loss functions, one per player, TF-GAN style: tensors in, a scalar out.

All adversarial losses take discriminator logits of the "real" side (x, or the pair (x, E(x))) and
of the "generated" side (G(z), or the pair (G(z), z)).
"""

from keras import ops


def _bce_with_logits(logits, label):
    """Mean sigmoid cross-entropy against a constant label (stable for large |logits|)."""
    # -[y log s(l) + (1-y) log(1-s(l))] = softplus(l) - y*l
    return ops.mean(ops.softplus(logits) - label * logits)


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
    targets = (z + 1.0) / 2.0
    per_element = ops.softplus(encoder_logits) - targets * encoder_logits
    return ops.mean(per_element)


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
