"""Objectives of Rubenstein, Li, Roblek, "An Empirical Study of Generative Models with Encoders"
(shared/papers/001_429590f3a80e3e73.txt), and WGAN-GP.

GAN and BiGAN (eq. 1, 2), each alone or with one of the four losses of sec. 3.1 that train the
encoder to invert the generator: X-AE (eq. 6), Z-AE (eq. 5), adversarial-Z and adversarial-X.
Every loss is written for each player exactly as appendix A.2 lists it; as sec. 3.2 says, the
extra losses train the encoder only (for GAN, the encoder has no other loss; for BiGAN they are
added to its loss with weight λ, `lam`). Every discriminator loss includes the WGAN-GP penalty
(A.3.2, weight `penalty_weight`); `d_steps` discriminator updates per generator/encoder update
(A.3.3's "discriminator updates per generator/encoder update"), as compare_gan runs them: the
D steps first, each on a fresh real batch, then one generator/encoder update on the last D
step's batch, so the {1, 2} grid varies only the number of D updates. The latent prior is N(0, I) and players have one optimizer each (D, G, E), which A.3.3
allows. Plus the VAE baseline of A.2, and WGAN-GP (Gulrajani et al. 2017) as an objective.

Cross-entropies here are the paper's sums of the real and generated terms (`scale` 2 of
bigan_paper.Adversarial, whose losses average them), so λ and the penalty weight mean what the
paper's grid means.
"""

import dataclasses

from keras import ops

from tfencgan.objectives import losses
from tfencgan.objectives.base import Objective, Phase, Term, head_logits, sigmoid_mean
from tfencgan.objectives.bigan_paper import Adversarial, adversarial_schedule, penalised_inputs

ENCODER_LOSSES = ("x_ae", "z_ae", "x_adversarial", "z_adversarial")
SUM = 2.0   # bigan_paper's cross-entropies average real and generated; the paper sums them


class InversionReconstruction(Term):
    """The encoder's autoencoder losses on generated data, sec. 3.1 (weights: {"encoder": λ}).

    "z": L_AE-Z = E_z ||z - E(G(z))||_2 (eq. 5). "x": L_AE-X = E_z ||G(z) - G(E(G(z)))||_2 (eq. 6).
    """

    networks = ("generator", "encoder")

    def __init__(self, weights, space):
        super().__init__(weights)
        if space not in ("x", "z"):
            raise ValueError(f"Unknown reconstruction space {space!r}; valid: 'x', 'z'")
        self.space = space
        self.log_names = (f"{space}_reconstruction",)

    def compute(self, forward):
        if self.space == "z":
            loss = losses.euclidean_distance(forward.z, forward.latent_reconstructed["output"])
        else:
            loss = losses.euclidean_distance(forward.generated["output"],
                                             forward.regenerated["output"])
        return loss, {f"{self.space}_reconstruction": loss}



class InversionAdversarial(Term):
    """Adversarial-Z / adversarial-X losses of sec. 3.1, with their own discriminator D2.

    D2 scores pairs (x, z). Real: (G(z), z). Generated: (G(z), E(G(z))) for "z", (G(E(G(z))), z)
    for "x". D2 minimises the sum of both cross-entropies plus the gradient penalty; the encoder
    minimises λ · (-log D2(generated pair)), the non-saturating loss; G gets none of it.
    `discriminator`: the network and player of D2 (for GAN: a separate inversion_discriminator;
    for BiGAN: head 1 of the BiGAN discriminator, sharing all but the final layer, A.3.2).
    """

    networks = ("generator", "encoder")

    def __init__(self, space, lam=1.0, penalty_weight=1.0, network="inversion_discriminator",
                 player="discriminator", head=0, penalty_inputs="pair"):
        super().__init__({player: SUM, "encoder": lam})
        if space not in ("x", "z"):
            raise ValueError(f"Unknown adversarial space {space!r}; valid: 'x', 'z'")
        self.penalised = penalised_inputs(penalty_inputs)
        self.space, self.lam, self.penalty_weight = space, lam, penalty_weight
        self.network, self.player, self.head = network, player, head
        self.networks = ("generator", "encoder", network)
        self.log_names = (f"d2_real_prob_{space}", f"d2_fake_prob_{space}",
                          f"d2_gradient_penalty_{space}")

    def pairs(self, forward):
        generated, z = forward.generated["output"], forward.z
        if self.space == "z":
            return (generated, z), (generated, forward.latent_reconstructed["output"])
        return (generated, z), (forward.regenerated["output"], z)

    def player_losses(self, forward):
        real_pair, fake_pair = self.pairs(forward)
        if self.network == "discriminator":
            # A shared BiGAN discriminator has already scored (G(z), z): D1's generated pair.
            real = head_logits(forward.fake, self.head)
        else:
            real = head_logits(forward.discriminate(self.network, *real_pair,
                                                    key=(self.network, "real")), self.head)
        fake = head_logits(forward.discriminate(self.network, *fake_pair,
                                                key=(self.network, f"inverted_{self.space}")),
                           self.head)
        penalty = forward.gradient_penalty(self.network, real_pair, fake_pair, self.head,
                                           self.penalised)
        d_loss = SUM * losses.discriminator_loss(real, fake) + self.penalty_weight * penalty
        return ({self.player: d_loss, "encoder": self.lam * losses.non_saturating_loss(fake)},
                {f"d2_real_prob_{self.space}": sigmoid_mean(real),
                 f"d2_fake_prob_{self.space}": sigmoid_mean(fake),
                 f"d2_gradient_penalty_{self.space}": penalty})



class VariationalAutoencoder(Term):
    """The negative ELBO of the study's VAE baseline (appendix A.2, losses.vae_loss).

    z = mean + exp(log_variance / 2) · ε, ε ~ N(0, I) drawn for it (ForwardPass.code), not
    the prior draw z: the two are different random variables.
    """

    networks = ("generator", "encoder")
    log_names = ("negative_elbo", "decoder_scale")

    def compute(self, forward):
        posterior, z = forward.encoded, forward.code
        generator = forward.networks["generator"]
        decoded = forward.run("vae_decoded", "generator", z)["output"]
        loss = losses.vae_loss(forward.x, decoded, generator.log_scale, posterior["mean"],
                               posterior["log_variance"])
        return loss, {"negative_elbo": loss, "decoder_scale": ops.exp(generator.log_scale)}


@dataclasses.dataclass(frozen=True)
class EncoderLoss:
    """One of sec. 3.1's encoder losses: its space ("x" or "z") and kind (autoencoder or
    adversarial, the latter with its own discriminator D2)."""

    space: str
    adversarial: bool

    def term(self, lam, penalty_weight, shared_discriminator, player="discriminator",
             penalty_inputs="pair"):
        """The Term adding λ times this loss to the encoder (and D2's loss to `player`, who
        owns D2); a shared discriminator gives D2 as head 1 of the BiGAN D (A.3.2)."""
        if not self.adversarial:
            return InversionReconstruction({"encoder": lam}, self.space)
        if shared_discriminator:
            return InversionAdversarial(self.space, lam, penalty_weight,
                                        network="discriminator", player=player, head=1,
                                        penalty_inputs=penalty_inputs)
        return InversionAdversarial(self.space, lam, penalty_weight, player=player,
                                    penalty_inputs=penalty_inputs)


ENCODER_LOSSES = {
    "x_ae": EncoderLoss("x", adversarial=False),             # eq. 6
    "z_ae": EncoderLoss("z", adversarial=False),             # eq. 5
    "x_adversarial": EncoderLoss("x", adversarial=True),
    "z_adversarial": EncoderLoss("z", adversarial=True),
}


def _encoder_loss(name):
    if name is not None and name not in ENCODER_LOSSES:
        raise ValueError(f"Unknown encoder loss {name!r}; valid: {list(ENCODER_LOSSES)}")
    return ENCODER_LOSSES.get(name)


def gan(encoder_loss=None, penalty_weight=1.0, d_steps=1):
    """GAN (eq. 1, non-saturating G) with the gradient penalty; with `encoder_loss`, an encoder
    trained only on that loss (A.2 "GAN + ..."): the adversarial ones add a second,
    separate discriminator D2 on (x, z) pairs, updated with D."""
    loss = _encoder_loss(encoder_loss)
    name = "gan_gp" if encoder_loss is None else f"gan_{encoder_loss}"
    # An adversarial encoder loss brings D2, updated with D: one player owning both.
    two_discriminators = loss is not None and loss.adversarial
    discriminators = "discriminators" if two_discriminators else "discriminator"
    owned = (("discriminator", "inversion_discriminator") if two_discriminators
             else ("discriminator",))
    players = {discriminators: owned, "generator": ("generator",)}
    terms = [Adversarial(discriminator=discriminators, scale=SUM, penalty_weight=penalty_weight)]
    if loss:
        players["encoder"] = ("encoder",)
        terms.append(loss.term(1.0, penalty_weight, shared_discriminator=False,
                               player=discriminators))
    others = [p for p in players if p != discriminators]
    return Objective(name, players, terms,
                     adversarial_schedule(discriminators, others, d_steps, simultaneous=False),
                     latent_prior="normal")


def bigan(encoder_loss=None, lam=1.0, penalty_weight=1.0, d_steps=1, penalty_inputs="pair"):
    """BiGAN (eq. 2) with the gradient penalty; with `encoder_loss`, the encoder's loss gains
    λ times it (A.2 "BiGAN + ..."). The adversarial ones use head 1 of the BiGAN discriminator:
    D1 and D2 share all parameters but the final layer (A.3.2). The paper does not say which
    gradient of the joint D the penalty takes: `penalty_inputs` "pair" (x and z, the default)
    or "image" (x alone; bigan_paper.PENALTY_INPUTS)."""
    loss = _encoder_loss(encoder_loss)
    name = "bigan_gp" if encoder_loss is None else f"bigan_{encoder_loss}"
    terms = [Adversarial(generator_side=("generator", "encoder"), joint=True, scale=SUM,
                         penalty_weight=penalty_weight, penalty_inputs=penalty_inputs)]
    network_options = {}
    if loss:
        terms.append(loss.term(lam, penalty_weight, shared_discriminator=True,
                               penalty_inputs=penalty_inputs))
        if loss.adversarial:
            network_options["discriminator"] = {"heads": 2}
    return Objective(name, {"discriminator": ("discriminator",), "generator": ("generator",),
                            "encoder": ("encoder",)}, terms,
                     adversarial_schedule("discriminator", ["generator", "encoder"], d_steps,
                                          simultaneous=False),
                     joint_discriminator=True, latent_prior="normal",
                     network_options=network_options)


def wgan_gp(penalty_weight=10.0, d_steps=5):
    """WGAN-GP (Gulrajani et al. 2017, algorithm 1): critic E[D(G(z))] - E[D(x)] + λ GP,
    generator -E[D(G(z))]; λ = 10 and 5 critic steps per generator step as in that paper."""
    return Objective("wgan_gp", {"discriminator": ("discriminator",),
                                 "generator": ("generator",)},
                     [Adversarial(penalty_weight=penalty_weight, loss="wasserstein")],
                     adversarial_schedule("discriminator", ["generator"], d_steps,
                                          simultaneous=False),
                     latent_prior="normal")


def vae():
    """The study's VAE baseline (A.2): E and G trained together on the negative ELBO."""
    return Objective("vae", {"autoencoder": ("encoder", "generator")},
                     [VariationalAutoencoder({"autoencoder": 1.0})],
                     [Phase(("autoencoder",), 1)], latent_prior="normal",
                     network_options={"encoder": {"gaussian_posterior": True},
                                      "generator": {"learned_scale": True}})
