"""Objectives of Donahue et al., "Adversarial Feature Learning" (BiGAN), sections 3-4.

BiGAN, the GAN it extends (whose discriminator features are the "D" baseline), the latent
regressor (LR), joint latent regressor (JLR) and l1 / l2 autoencoders of Table 1, each built from
the terms below. Paper: shared/papers/000_f5f8a4a1706f45e9.txt.
"""

from tfencgan.objectives import losses
from tfencgan.objectives.base import Objective, Phase, Term, sigmoid_mean


class Adversarial(Term):
    """D against the generating side: GAN (D(x)) or BiGAN (D(x, z), eq. 3).

    The discriminator minimises -V (eq. 3); the generator-side players minimise -Λ, the inverse
    objective of appendix B, which gives G and E stronger gradients than +V.
    """

    networks = ("discriminator", "generator")
    log_names = ("d_real_prob", "d_fake_prob")

    def __init__(self, discriminator="discriminator", generator_side=("generator",), joint=False):
        super().__init__({discriminator: 1.0, **{p: 1.0 for p in generator_side}})
        self.discriminator, self.generator_side, self.joint = discriminator, generator_side, joint
        if joint:
            self.networks = ("discriminator", "generator", "encoder")

    def player_losses(self, forward):
        real, fake = forward.real["logits"], forward.fake["logits"]
        player_losses = {self.discriminator: losses.discriminator_loss(real, fake)}
        inverse = losses.generator_inverse_loss(real, fake)
        player_losses.update({p: inverse for p in self.generator_side})
        logs = {"d_real_prob": sigmoid_mean(real), "d_fake_prob": sigmoid_mean(fake)}
        return player_losses, logs

    def get_config(self):
        return {**super().get_config(), "joint": self.joint}


class LatentRegression(Term):
    """L(z, E(G(z))) of sec. 4.1: E learns to invert G on generated samples only.

    With weights {"encoder": 1} it is the latent regressor (LR): G gets none of this loss. Adding
    a generator weight makes the joint latent regressor (JLR); the authors' code uses 0.25
    (weight 1 degenerates).
    """

    networks = ("generator", "encoder")
    log_names = ("latent_regression",)

    def compute(self, forward):
        loss = losses.latent_regression_loss(forward.z, forward.latent_reconstructed["logits"])
        return loss, {"latent_regression": loss}


class Reconstruction(Term):
    """||x - G(E(x))|| with an l1 or l2 norm: the autoencoder baselines of sec. 4.2 / Table 1."""

    networks = ("generator", "encoder")
    log_names = ("reconstruction",)

    def __init__(self, weights, norm="l2"):
        super().__init__(weights)
        losses.reconstruction_loss(0.0, 0.0, norm)  # validates the norm name early
        self.norm = norm

    def compute(self, forward):
        loss = losses.reconstruction_loss(forward.x, forward.reconstructed["output"], self.norm)
        return loss, {"reconstruction": loss}

    def get_config(self):
        return {**super().get_config(), "norm": self.norm}


def adversarial_schedule(discriminator, others, d_steps):
    """Simultaneous updates (appendix B) for one D step; else `d_steps` D steps, then the rest."""
    if d_steps < 1:
        raise ValueError(f"objective d_steps must be >= 1, got {d_steps}")
    if d_steps == 1:
        return [Phase((discriminator,) + tuple(others), 1)]
    return [Phase((discriminator,), d_steps), Phase(tuple(others), 1)]


def gan(d_steps=1):
    """GAN (Goodfellow et al.) with the non-saturating G loss; D's features are Table 1's "D"."""
    return Objective("gan", {"discriminator": ("discriminator",), "generator": ("generator",)},
                     [Adversarial(joint=False)],
                     adversarial_schedule("discriminator", ["generator"], d_steps),
                     params={"d_steps": d_steps})


def bigan(d_steps=1):
    """BiGAN, sec. 3 eq. (2)-(3): D(x, z) against G and E, updated together as one player."""
    return Objective("bigan", {"discriminator": ("discriminator",),
                               "generator": ("generator", "encoder")},
                     [Adversarial(generator_side=("generator",), joint=True)],
                     adversarial_schedule("discriminator", ["generator"], d_steps),
                     joint_discriminator=True, params={"d_steps": d_steps})


def latent_regressor(d_steps=1, generator_weight=0.0):
    """LR (sec. 4.1): a GAN, with E trained jointly on L(z, E(G(z))); G ignores that loss."""
    weights = {"encoder": 1.0}
    if generator_weight:
        weights["generator"] = generator_weight
    name = "joint_latent_regressor" if generator_weight else "latent_regressor"
    return Objective(name, {"discriminator": ("discriminator",), "generator": ("generator",),
                            "encoder": ("encoder",)},
                     [Adversarial(joint=False), LatentRegression(weights)],
                     adversarial_schedule("discriminator", ["generator", "encoder"], d_steps),
                     params={"d_steps": d_steps, "generator_weight": generator_weight})


def joint_latent_regressor(d_steps=1, generator_weight=0.25):
    """JLR (sec. 4.1): as LR, but G also minimises `generator_weight` * L(z, E(G(z)))."""
    if generator_weight <= 0:
        raise ValueError(f"joint_latent_regressor needs generator_weight > 0, got "
                         f"{generator_weight}")
    return latent_regressor(d_steps, generator_weight)


def autoencoder(norm):
    """Autoencoder baseline of sec. 4.2: E and G trained together on ||x - G(E(x))||_norm."""
    def build():
        return Objective(f"autoencoder_{norm}", {"autoencoder": ("encoder", "generator")},
                         [Reconstruction({"autoencoder": 1.0}, norm)],
                         [Phase(("autoencoder",), 1)], params={"norm": norm})
    build.__doc__ = autoencoder.__doc__
    return build
