"""Adversarial Generator-Encoder networks (Ulyanov, Vedaldi, Lempitsky; AGE), sec. 2.

shared/papers/002_64087cdbd72d2e56.txt. No discriminator: the encoder e and the generator g play
    max_e min_g V2(g, e) = Δ(e(g(Z)) || Z) - Δ(e(X) || Z)                          (eq. 2)
with latent codes on the unit sphere, Z = Uniform(S^M) (sec. 3; the encoder's output is
projected onto the sphere). Δ(Q || U(S^M)) = KL(Q || N(0, I)) - C (eq. 7); the constant C does not
change any gradient, so Δ is computed as the KL. The updates are (eq. 5, 6):
    generator: min_θ  V2 + λ L_Z,   L_Z = E_z ||z - e(g(z))||²                     (eq. 4, 5)
    encoder:   min_ψ -V2 + μ L_X,   L_X = E_x ||x - g(e(x))||²                     (eq. 3, 6)
so the generator is trained on the latent reconstruction only and the encoder on the data
reconstruction only ("both objectives include only one of the reconstruction losses", sec. 2.3):
easy to mix up. As the generator cannot change Δ(e(X)), its loss is KL(e(g(z))) + λ L_Z; the
encoder's is KL(e(x)) - KL(e(g(z))) + μ L_X. Two generator updates per encoder update, Adam 2e-4,
μ = 10, λ = 1000 (picked from {500, 1000, 2000}), M = 10 for MNIST, 64 for CelebA, 128 for CIFAR
(sec. 3, "Hyper-parameters").

Scale: every term is a mean over its dimensions (and the batch): L_X over the image's pixels,
L_Z and the KL over the M latent dimensions (eq. 8's sum divided by M). That is the scale the
authors' released code gives λ and μ (its KLN01Loss takes `.mean()` over the dimensions, its
reconstruction matches are means), so λ = 1000 and μ = 10 weigh the terms as in their runs.
Mixing scales (a summed KL beside averaged errors, or summed errors beside it) changes what λ
and μ mean by a factor of M or D: with sums everywhere on MNIST, μ L_X outweighs the KL terms
of the encoder's loss some 80 times as much, and the samples stay noise (BUILD_NOTES.md).
"""

from keras import ops

from tfencgan.objectives import losses
from tfencgan.objectives.base import Objective, Phase, Term

DIVERGENCES = ("gaussian", "kozachenko_leonenko")


class AdversarialGeneratorEncoder(Term):
    """V2 (eq. 2) and the reciprocity losses L_Z (generator) and L_X (encoder)."""

    networks = ("generator", "encoder")
    log_names = ("kl_real", "kl_generated", "latent_reconstruction", "data_reconstruction")

    def __init__(self, lam=1000.0, mu=10.0, divergence="gaussian"):
        super().__init__({"generator": 1.0, "encoder": 1.0})
        if divergence not in DIVERGENCES:
            raise ValueError(f"Unknown AGE divergence {divergence!r}; valid: {list(DIVERGENCES)}")
        self.lam, self.mu, self.divergence = lam, mu, divergence

    def kl(self, codes):
        """Δ per latent dimension: eq. 8's KL divided by M (see the module docstring)."""
        kl = (losses.gaussian_fit_kl if self.divergence == "gaussian"
              else losses.kozachenko_leonenko_kl)
        return kl(codes) / codes.shape[-1]

    def player_losses(self, forward):
        real_codes = forward.encoded["output"]                     # e(x)
        generated_codes = forward.latent_reconstructed["output"]   # e(g(z))
        kl_real, kl_generated = self.kl(real_codes), self.kl(generated_codes)
        latent = losses.reconstruction_loss(forward.z, generated_codes, "l2")
        data = losses.reconstruction_loss(forward.x, forward.reconstructed["output"], "l2")
        player_losses = {"generator": kl_generated + self.lam * latent,
                         "encoder": kl_real - kl_generated + self.mu * data}
        return player_losses, {"kl_real": kl_real, "kl_generated": kl_generated,
                               "latent_reconstruction": latent, "data_reconstruction": data}



def age(lam=1000.0, mu=10.0, generator_steps=2, divergence="gaussian"):
    """AGE (eq. 5, 6): an encoder update, then `generator_steps` generator updates."""
    return Objective("age", {"generator": ("generator",), "encoder": ("encoder",)},
                     [AdversarialGeneratorEncoder(lam, mu, divergence)],
                     [Phase(("encoder",), 1), Phase(("generator",), generator_steps)],
                     latent_prior="sphere",
                     network_options={"encoder": {"latent_projection": "sphere"}})
