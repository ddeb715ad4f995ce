"""What an objective is: players, loss terms summed per player, and an update schedule.

An objective never sees an optimizer. The trainer asks it, for one phase of the schedule, for the
loss of each player in that phase, given a `ForwardPass` over one batch; the trainer then takes each
player's gradient with respect to that player's own variables only.
"""

import dataclasses

from keras import ops
import keras

from tfencgan.networks import ROLES
from tfencgan.networks.layers import unit_norm
from tfencgan.objectives import losses as loss_functions


# The latent priors, in one place: name -> (shape, seed) -> draws. The BiGAN paper's U(-1, 1)^d,
# the study's and ALI's N(0, I), AGE's uniform distribution on the unit sphere.
PRIORS = {
    "uniform": lambda shape, seed: keras.random.uniform(shape, -1.0, 1.0, seed=seed),
    "normal": lambda shape, seed: keras.random.normal(shape, seed=seed),
    "sphere": lambda shape, seed: unit_norm(keras.random.normal(shape, seed=seed)),
}

# Noise besides z that a term may ask the trainer for (ForwardPass.noise).
NOISE = {
    "uniform": lambda shape, seed: keras.random.uniform(shape, seed=seed),   # U[0, 1)
    "normal": lambda shape, seed: keras.random.normal(shape, seed=seed),
}


def sample_prior(prior, shape, seed):
    """Draws of shape `shape` from the latent prior named `prior` (PRIORS)."""
    if prior not in PRIORS:
        raise ValueError(f"Unknown latent prior {prior!r}; valid: {sorted(PRIORS)}")
    return PRIORS[prior](shape, seed)


@dataclasses.dataclass(frozen=True)
class Phase:
    """Players updated together from one forward pass, `repeats` times in a row per step.

    `fresh_batches`: each repeat reads its own real batch (compare_gan's and WGAN-GP's k
    discriminator steps on k batches); the training step then holds `repeats` batches, and the
    phases without fresh batches read the last of them (the batch of the last D step, as in
    compare_gan). Otherwise every repeat reads the step's one batch.
    """

    players: tuple
    repeats: int = 1
    fresh_batches: bool = False


class ForwardPass:
    """The network outputs of one phase on one batch, each computed once and shared by the terms.

    `real` / `fake` are the discriminator's dicts on the real side (x, with E(x) when D is joint)
    and the generated side (G(z), with z when D is joint). Batch normalisation in D therefore sees
    real and generated batches separately, as in the BiGAN authors' code.
    """

    def __init__(self, networks, x, z, training, joint_discriminator, noise=None):
        self.networks, self.x, self.z = networks, x, z
        self.training, self.joint = training, joint_discriminator
        self._noise = noise
        self._cache = {}

    def noise(self, shape, distribution="uniform"):
        """Draws from the trainer's RNG: U[0, 1) ("uniform", e.g. the gradient penalty's
        interpolation) or N(0, I) ("normal", e.g. a Gaussian posterior's reparameterisation)."""
        if self._noise is None:
            raise ValueError("This objective needs random noise: pass `noise` to ForwardPass")
        if distribution not in NOISE:
            raise ValueError(f"Unknown noise {distribution!r}; valid: {sorted(NOISE)}")
        return self._noise(shape, distribution)

    def run(self, key, role, *inputs):
        """`role`'s output dict on `inputs`, computed once per forward pass under `key`."""
        return self._memo(key, lambda: self.networks[role](*inputs, training=self.training))

    def discriminate(self, role, x, z, key):
        """`role`'s output dict on (x, z), memoised under `key` (z None for an x-only D)."""
        return self.run(key, role, x, z)

    def gradient_penalty(self, role, real_inputs, fake_inputs, head=0, penalised=None):
        """WGAN-GP penalty of discriminator `role` (its output `head`) on interpolates of the
        real and generated inputs: (x,) for an x-only D, (x, z) pairs for a joint one; the
        gradient norm over the inputs numbered in `penalised` (default: all)."""
        network = self.networks[role]

        def critic(*inputs):
            return head_logits(network(*inputs, training=self.training), head)
        return loss_functions.gradient_penalty(critic, real_inputs, fake_inputs,
                                               self.noise((ops.shape(real_inputs[0])[0],)),
                                               penalised)

    def _memo(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @property
    def generated(self):
        """G(z) dict."""
        return self.run("generated", "generator", self.z)

    @property
    def encoded(self):
        """E(x) dict."""
        return self.run("encoded", "encoder", self.x)

    @property
    def code(self):
        """E's code for x as the other networks see it: E(x) for a deterministic encoder; for a
        Gaussian posterior q(z|x) (ALI, the VAE) a reparameterised sample mean + σ·ε, ε ~ N(0, I)
        from the trainer's RNG, so gradients reach the mean and the log-variance."""
        def compute():
            encoded = self.encoded
            if "log_variance" not in encoded:
                return encoded["output"]
            epsilon = self.noise(ops.shape(encoded["mean"]), "normal")
            return encoded["mean"] + ops.exp(0.5 * encoded["log_variance"]) * epsilon
        return self._memo("code", compute)

    @property
    def reconstructed(self):
        """G(E(x)) dict."""
        return self.run("reconstructed", "generator", self.encoded["output"])

    @property
    def latent_reconstructed(self):
        """E(G(z)) dict."""
        return self.run("latent_reconstructed", "encoder", self.generated["output"])

    @property
    def regenerated(self):
        """G(E(G(z))) dict."""
        return self.run("regenerated", "generator", self.latent_reconstructed["output"])

    @property
    def real(self):
        """D(x) or D(x, E(x)) dict (E(x) sampled for a Gaussian posterior: `code`)."""
        return self.discriminate("discriminator", self.x, self.code if self.joint else None,
                                 "real")

    @property
    def fake(self):
        """D(G(z)) or D(G(z), z) dict."""
        return self.discriminate("discriminator", self.generated["output"],
                                 self.z if self.joint else None, "fake")


class Term:
    """One additive piece of an objective: adds weighted losses to some players.

    Subclasses implement `compute(forward) -> (loss, logs)` for a single scalar loss shared by the
    players in `weights`, or override `player_losses` when players get different losses.
    """

    networks = ()          # roles this term needs
    log_names = ()         # extra scalars it reports
    state_spec = {}        # name -> initial value of scalar state the trainer keeps (BEGAN's k_t)

    def __init__(self, weights):
        self.weights = dict(weights)

    @property
    def players(self):
        return tuple(self.weights)

    def player_losses(self, forward):
        loss, logs = self.compute(forward)
        return {player: weight * loss for player, weight in self.weights.items()}, logs

    def compute(self, forward):
        raise NotImplementedError

    def bind_state(self, variables):
        """Receives the trainer's variables for `state_spec` (checkpointed with the run)."""
        self.state = variables

    def state_updates(self, logs):
        """New values of the state variables after a phase, from that phase's logs."""
        return {}



class Objective:
    """A named sum of terms, the players that own the networks, and the schedule.

    Args:
      name: registry name, for logs and configs.
      players: player name -> tuple of network roles it owns (and updates). A player named
        after a role owns exactly that role; one owning several has a name of its own (BiGAN's
        "generator_encoder"), so a name never says less than the player updates.
      terms: the Terms whose losses sum to each player's loss.
      schedule: Phases of one training iteration.
      joint_discriminator: D scores (x, z) pairs (BiGAN) rather than x alone.
      latent_prior: "uniform" (U(-1, 1)^d, the BiGAN paper), "normal", or "sphere" (uniform on
        the unit sphere, AGE).
      network_options: role -> options the objective needs of that network (e.g. the VAE's
        {"encoder": {"gaussian_posterior": True}}), merged over the config's options.
      without_gradient: player -> substrings of "<role>/<variable path>" of its networks that
        its loss legitimately does not reach (none of today's objectives needs one). Any other variable
        of a player without a gradient is a mis-wired term and stops training at trace time.
    """

    def __init__(self, name, players, terms, schedule, joint_discriminator=False,
                 latent_prior="uniform", network_options=None, without_gradient=None):
        self.name = name
        self.players = {p: tuple(roles) for p, roles in players.items()}
        self.terms = list(terms)
        self.schedule = list(schedule)
        self.joint_discriminator = joint_discriminator
        self.latent_prior = latent_prior
        self.network_options = {role: dict(o) for role, o in (network_options or {}).items()}
        self.without_gradient = {p: tuple(v) for p, v in (without_gradient or {}).items()}
        for player, roles in self.players.items():
            if player in ROLES and roles != (player,):
                raise ValueError(f"Objective {name!r}: player {player!r} is named after a role "
                                 f"but owns {list(roles)}; give it a name of its own (e.g. "
                                 f"{'_'.join(roles)!r})")
        owned = [role for roles in self.players.values() for role in roles]
        if len(owned) != len(set(owned)):
            raise ValueError(f"Objective {name!r}: a network is owned by two players: {players}")
        for term in self.terms:
            unknown = set(term.players) - set(self.players)
            if unknown:
                raise ValueError(f"Objective {name!r}: term {type(term).__name__} adds loss to "
                                 f"unknown players {sorted(unknown)}")
        if sum(phase.fresh_batches for phase in self.schedule) > 1:
            raise ValueError(f"Objective {name!r}: at most one phase reads fresh batches")
        scheduled = {p for phase in self.schedule for p in phase.players}
        if scheduled != set(self.players):
            raise ValueError(f"Objective {name!r}: schedule updates {sorted(scheduled)} but the "
                             f"players are {sorted(self.players)}")

    @property
    def networks(self):
        """Every network role the objective needs, owned or only used (e.g. D for the GAN side)."""
        roles = {r for roles in self.players.values() for r in roles}
        for term in self.terms:
            roles.update(term.networks)
        return tuple(r for r in ROLES if r in roles)

    @property
    def batches_per_step(self):
        """Real batches one training step reads (Phase.fresh_batches), 1 for most objectives."""
        return max([phase.repeats for phase in self.schedule if phase.fresh_batches] or [1])

    def updates_per_step(self):
        """player -> how many times one training step updates it (k discriminator steps: k)."""
        return {player: sum(phase.repeats for phase in self.schedule if player in phase.players)
                for player in self.players}

    @property
    def log_names(self):
        names = []
        for term in self.terms:
            names.extend(n for n in term.log_names if n not in names)
        return tuple(names)

    def sample_latent(self, batch_size, latent_dim, seed):
        return sample_prior(self.latent_prior, (batch_size, latent_dim), seed)

    @property
    def state_spec(self):
        """name -> initial value of every term's state."""
        spec = {}
        for term in self.terms:
            spec.update(term.state_spec)
        return spec

    def bind_state(self, variables):
        for term in self.terms:
            term.bind_state({name: variables[name] for name in term.state_spec})

    def state_updates(self, logs):
        updates = {}
        for term in self.terms:
            updates.update(term.state_updates(logs))
        return updates

    def losses(self, forward, players):
        """Loss of each player in `players` (terms touching none of them are skipped), and logs."""
        totals, logs = {p: 0.0 for p in players}, {}
        for term in self.terms:
            if not set(term.players) & set(players):
                continue
            term_losses, term_logs = term.player_losses(forward)
            for player, loss in term_losses.items():
                if player in totals:
                    totals[player] = totals[player] + loss
            logs.update(term_logs)
        return totals, logs


def head_logits(output, head=0):
    """Logits of one output head of a discriminator's dict (head 0: its `logits`)."""
    return output["head_logits"][:, head] if head else output["logits"]


def sigmoid_mean(logits):
    return ops.mean(ops.sigmoid(logits))
