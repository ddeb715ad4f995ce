"""Objectives of Donahue et al., "Adversarial Feature Learning" (BiGAN), sections 3-4.

BiGAN, the GAN it extends (whose discriminator features are the "D" baseline), the latent
regressor (LR), joint latent regressor (JLR) and l1 / l2 autoencoders of Table 1, each built from
the terms below. Paper: shared/papers/000_f5f8a4a1706f45e9.txt.
"""

from keras import ops

from tfencgan.objectives import losses
from tfencgan.objectives.base import Objective, Phase, Term, sigmoid_mean


# loss name -> (discriminator's loss, generating side's loss), both of (real, fake) logits.
ADVERSARIAL_LOSSES = {
    "cross_entropy": (losses.discriminator_loss, losses.generator_inverse_loss),
    "wasserstein": (losses.wasserstein_critic_loss, losses.wasserstein_generator_loss),
}


# Which inputs of a joint critic D(x, z) the gradient penalty's norm is taken over (the indices
# of losses.gradient_penalty's `penalised`). "pair" is the critic's whole input, Gulrajani et
# al.'s definition read literally; "image" leaves z out, so the penalty's pull of the gradient
# norm towards 1 falls on the image: a joint D that decides on z alone (||dD/dx|| ~ 0,
# ||dD/dz|| ~ 1) satisfies "pair" but not "image".
PENALTY_INPUTS = {"pair": None, "image": (0,)}


class Adversarial(Term):
    """D against the generating side: GAN (D(x)) or BiGAN (D(x, z), eq. 3).

    With the default cross-entropy, the discriminator minimises -V (eq. 3); the generator-side
    players minimise -Λ, the inverse objective of appendix B, which gives G and E stronger
    gradients than +V. Both average the real and generated sides (the BiGAN authors' 0.5);
    `scale` 2 gives the plain sum the empirical study writes. `loss` "wasserstein" gives WGAN.
    `penalty_weight` > 0 adds the WGAN-GP gradient penalty (losses.gradient_penalty) to D's loss,
    on interpolates of the real and generated inputs (pairs (x, z) for a joint D). For a joint
    D, `penalty_inputs` says which gradient the penalty's norm is taken over: "pair" (x and z
    together, the critic's whole input, the default) or "image" (x alone; see
    PENALTY_INPUTS).
    `discriminator` and `generator_side` name players (who gets each loss), not networks: the
    scored network is always the "discriminator" role.
    """

    networks = ("discriminator", "generator")
    log_names = ("d_real_prob", "d_fake_prob")

    def __init__(self, discriminator="discriminator", generator_side=("generator",), joint=False,
                 scale=1.0, penalty_weight=0.0, loss="cross_entropy", penalty_inputs="pair"):
        super().__init__({discriminator: scale, **{p: scale for p in generator_side}})
        if loss not in ADVERSARIAL_LOSSES:
            raise ValueError(f"Unknown adversarial loss {loss!r}; valid: "
                             f"{sorted(ADVERSARIAL_LOSSES)}")
        self.penalised = penalised_inputs(penalty_inputs)
        self.discriminator, self.generator_side, self.joint = discriminator, generator_side, joint
        self.scale, self.penalty_weight, self.loss = scale, penalty_weight, loss
        if joint:
            self.networks = ("discriminator", "generator", "encoder")
        if loss == "wasserstein":
            self.log_names = ("d_real_score", "d_fake_score")
        if penalty_weight:
            self.log_names = self.log_names + ("gradient_penalty",)

    def player_losses(self, forward):
        real, fake = forward.real["logits"], forward.fake["logits"]
        discriminator_loss, generating_loss = ADVERSARIAL_LOSSES[self.loss]
        player_losses = {self.discriminator: self.scale * discriminator_loss(real, fake)}
        inverse = self.scale * generating_loss(real, fake)
        player_losses.update({p: inverse for p in self.generator_side})
        if self.loss == "wasserstein":
            logs = {"d_real_score": ops.mean(real), "d_fake_score": ops.mean(fake)}
        else:
            logs = {"d_real_prob": sigmoid_mean(real), "d_fake_prob": sigmoid_mean(fake)}
        if self.penalty_weight:
            penalty = self.gradient_penalty(forward)
            player_losses[self.discriminator] += self.penalty_weight * penalty
            logs["gradient_penalty"] = penalty
        return player_losses, logs

    def gradient_penalty(self, forward):
        real, fake = (forward.x,), (forward.generated["output"],)
        if self.joint:
            real, fake = real + (forward.code,), fake + (forward.z,)
        return forward.gradient_penalty("discriminator", real, fake, penalised=self.penalised)


def penalised_inputs(penalty_inputs):
    """The indices of the joint critic's inputs that `penalty_inputs` names (PENALTY_INPUTS)."""
    if penalty_inputs not in PENALTY_INPUTS:
        raise ValueError(f"Unknown penalty_inputs {penalty_inputs!r}; valid: "
                         f"{sorted(PENALTY_INPUTS)}")
    return PENALTY_INPUTS[penalty_inputs]



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



def adversarial_schedule(discriminator, others, d_steps, simultaneous=True):
    """`d_steps` discriminator updates, each on a fresh real batch, then one update of the
    others (on the last D step's batch). With `simultaneous` and one D step, D and the others
    are instead updated together from one forward pass, as in the BiGAN authors' code
    (appendix B); the empirical study and WGAN-GP alternate even for one D step."""
    if d_steps < 1:
        raise ValueError(f"objective d_steps must be >= 1, got {d_steps}")
    if simultaneous and d_steps == 1:
        return [Phase((discriminator,) + tuple(others), 1)]
    return [Phase((discriminator,), d_steps, fresh_batches=True), Phase(tuple(others), 1)]


def gan(d_steps=1):
    """GAN (Goodfellow et al.) with the non-saturating G loss; D's features are Table 1's "D"."""
    return Objective("gan", {"discriminator": ("discriminator",), "generator": ("generator",)},
                     [Adversarial(joint=False)],
                     adversarial_schedule("discriminator", ["generator"], d_steps))


def bigan(d_steps=1):
    """BiGAN, sec. 3 eq. (2)-(3): D(x, z) against G and E, updated together as one player."""
    return bidirectional("bigan", d_steps)


def bidirectional(name, d_steps=1, **objective_options):
    """D(x, E(x)) against D(G(z), z), G and E one player ("generator_encoder": they minimise one
    loss, sec. 3 eq. 3): BiGAN, and ALI with `objective_options` for its Gaussian encoder and
    prior (tfencgan/objectives/ali.py)."""
    return Objective(name, {"discriminator": ("discriminator",),
                            "generator_encoder": ("generator", "encoder")},
                     [Adversarial(generator_side=("generator_encoder",), joint=True)],
                     adversarial_schedule("discriminator", ["generator_encoder"], d_steps),
                     joint_discriminator=True, **objective_options)


def latent_regressor(d_steps=1, generator_weight=0.0):
    """LR (sec. 4.1): a GAN, with E trained jointly on L(z, E(G(z))); G ignores that loss."""
    weights = {"encoder": 1.0}
    if generator_weight:
        weights["generator"] = generator_weight
    name = "joint_latent_regressor" if generator_weight else "latent_regressor"
    return Objective(name, {"discriminator": ("discriminator",), "generator": ("generator",),
                            "encoder": ("encoder",)},
                     [Adversarial(joint=False), LatentRegression(weights)],
                     adversarial_schedule("discriminator", ["generator", "encoder"], d_steps))


def joint_latent_regressor(d_steps=1, generator_weight=0.25):
    """JLR (sec. 4.1): as LR, but G also minimises `generator_weight` * L(z, E(G(z)))."""
    if generator_weight <= 0:
        raise ValueError(f"joint_latent_regressor needs generator_weight > 0, got "
                         f"{generator_weight}")
    return latent_regressor(d_steps, generator_weight)


def autoencoder(norm):
    """Autoencoder baseline of sec. 4.2: E and G trained together on ||x - G(E(x))||_norm."""
    return Objective(f"autoencoder_{norm}", {"autoencoder": ("encoder", "generator")},
                     [Reconstruction({"autoencoder": 1.0}, norm)],
                     [Phase(("autoencoder",), 1)])
