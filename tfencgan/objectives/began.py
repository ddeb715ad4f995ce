"""BEGAN (Berthelot et al.), as the lecture slides shared/papers/003_b55c25af37ae9ef8.txt give it.

The discriminator D is an autoencoder; L(v) = |v - D(v)|^η is its pixel-wise loss (η = 1).
    L_D = L(x) - k_t L(G(z))        for D
    L_G = L(G(z))                   for G                                          (eq. 5)
    k_{t+1} = k_t + λ_k (γ L(x) - L(G(z)))   projected onto [0, 1]
    M_global = L(x) + |γ L(x) - L(G(z))|                                           (eq. 6)
The projection is what the slides find missing from the paper's text (without it k_t leaves
[0, 1]). With it and k_0 = 0, k_t only moves once γ L(x) > L(G(z)). γ is the diversity ratio,
λ_k = 1e-3. The paper takes γ in [0, 1]; any γ ≥ 0 is accepted: γ > 1 asks D to reconstruct
generated images worse than real ones at equilibrium. That is what MNIST needs, where the l1
error of a digit grows with its ink, so that at γ ≤ 1 the generator settles on thin "1"s, the
cheapest digits to reconstruct; at γ 1.5 it draws every class (BUILD_NOTES.md, issue 15).
k_t is trainer state (checkpointed; replicas average their updates). D and G are updated
simultaneously from one forward pass, so z_D = z_G here.

`pulling_away` > 0 adds, to G's loss only, EBGAN's pulling-away term on D's embeddings h of the
generated batch (Zhao et al., sec. 2.4; `losses.pulling_away`): not part of BEGAN, an option for
the collapse onto one digit that a fast D causes on MNIST (BUILD_NOTES.md, issue 15). 0 (the
default) is BEGAN as published. With `pulling_away_relative`, G pays only for the excess of its
batch's f_PT over the real batch's, max(0, f_PT(h(G(z))) - f_PT(h(x))): the term then pushes
against collapse but never pushes the samples to be less alike than the data (beyond EBGAN too).
"""

from keras import ops

from tfencgan.objectives import losses
from tfencgan.objectives.base import Objective, Phase, Term


class BoundaryEquilibrium(Term):
    """L_D, L_G, the k_t update and M_global."""

    networks = ("generator", "discriminator")
    log_names = ("autoencoder_real", "autoencoder_generated", "k", "convergence")

    def __init__(self, gamma=0.5, lambda_k=1e-3, k_initial=0.0, eta=1):
        super().__init__({"discriminator": 1.0, "generator": 1.0})
        if not 0.0 <= gamma:
            raise ValueError(f"BEGAN's diversity ratio gamma must be >= 0, got {gamma}")
        if not 0.0 <= k_initial <= 1.0:
            raise ValueError(f"BEGAN's k_initial must lie in [0, 1], got {k_initial}")
        self.gamma, self.lambda_k, self.eta = gamma, lambda_k, eta
        self.state_spec = {"k": float(k_initial)}

    def player_losses(self, forward):
        real = losses.autoencoder_loss(forward.x, forward.real["output"], self.eta)
        generated_images = forward.generated["output"]
        generated = losses.autoencoder_loss(generated_images, forward.fake["output"], self.eta)
        k = self.state["k"]
        player_losses = {"discriminator": real - k * generated, "generator": generated}
        return player_losses, {"autoencoder_real": real, "autoencoder_generated": generated,
                               "k": ops.convert_to_tensor(k),
                               "convergence": convergence_measure(real, generated, self.gamma)}

    def state_updates(self, logs):
        return {"k": k_update(self.state["k"], logs["autoencoder_real"],
                              logs["autoencoder_generated"], self.gamma, self.lambda_k)}


class PullingAway(Term):
    """weight · f_PT(h(G(z))) for G: pays G for generated images whose D-embeddings differ;
    `relative`: weight · max(0, f_PT(h(G(z))) - f_PT(h(x))), only what exceeds the data's."""

    networks = ("generator", "discriminator")
    log_names = ("pulling_away", "pulling_away_real")

    def __init__(self, weight, relative=False):
        super().__init__({"generator": weight})
        self.relative = relative

    def compute(self, forward):
        generated = losses.pulling_away(forward.fake["features"])
        # Logged either way (the data's own f_PT is what the weight is read against; a 64x64
        # product). G's loss never reaches D's variables, so to G it is a constant.
        real = losses.pulling_away(forward.real["features"])
        loss = ops.relu(generated - real) if self.relative else generated
        return loss, {"pulling_away": generated, "pulling_away_real": real}


def k_update(k, real_loss, generated_loss, gamma, lambda_k):
    """k_{t+1} = clip(k_t + λ_k (γ L(x) - L(G(z))), 0, 1)."""
    return ops.clip(k + lambda_k * (gamma * real_loss - generated_loss), 0.0, 1.0)


def convergence_measure(real_loss, generated_loss, gamma):
    """M_global = L(x) + |γ L(x) - L(G(z))| (eq. 6)."""
    return real_loss + ops.abs(gamma * real_loss - generated_loss)


def began(gamma=0.5, lambda_k=1e-3, k_initial=0.0, eta=1, pulling_away=0.0,
          pulling_away_relative=False):
    """BEGAN: an autoencoder discriminator balanced against G by the control variable k_t;
    `pulling_away` > 0 adds EBGAN's pulling-away term to G's loss with that weight (relative to
    the real batch's with `pulling_away_relative`)."""
    if pulling_away < 0:
        raise ValueError(f"BEGAN's pulling_away weight must be >= 0, got {pulling_away}")
    terms = [BoundaryEquilibrium(gamma, lambda_k, k_initial, eta)]
    if pulling_away:
        terms.append(PullingAway(pulling_away, pulling_away_relative))
    return Objective("began", {"discriminator": ("discriminator",), "generator": ("generator",)},
                     terms,
                     [Phase(("discriminator", "generator"), 1)],
                     network_options={"discriminator": {"autoencoder": True}})
