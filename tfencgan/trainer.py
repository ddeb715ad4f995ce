"""The one trainer: a keras.Model whose train_step runs any objective's schedule.

Networks and the objective are passed in; `compile` takes one optimizer per player. For each phase
of the schedule the trainer draws latent codes, runs one forward pass under a tape, asks the
objective for each player's loss, and updates each player from the gradient of its own loss with
respect to its own variables only. Adding an objective never touches this file.
"""

import keras
from keras import ops
import tensorflow as tf

from tfencgan.networks import ROLES
from tfencgan.networks.layers import variable_name
from tfencgan.objectives.base import NOISE, ForwardPass


def is_multiplicative(variable):
    """Kernels of linear / conv layers: what the BiGAN paper decays (not biases, BN scale/offset)."""
    return len(variable.shape) >= 2


class MissingGradientError(ValueError):
    """A player's loss does not reach some of its own variables."""


class Trainer(keras.Model):
    """Trains `networks` ({"generator", "encoder", "discriminator"}: any may be absent).

    Args:
      networks: role -> keras.Model whose call returns a dict of outputs (see tfencgan.networks).
      objective: a tfencgan.objectives.Objective.
      latent_dim: size of z.
      seed: seeds the latent-code RNG, whose state is a variable and so is checkpointed.
    """

    def __init__(self, networks, objective, latent_dim, seed=0, **kwargs):
        super().__init__(**kwargs)
        missing = set(objective.networks) - set(networks)
        if missing:
            raise ValueError(f"Objective {objective.name!r} needs networks {sorted(missing)}")
        self.networks = dict(networks)
        # Attributes make Keras track the networks' variables.
        for role in ROLES:
            setattr(self, role, networks.get(role))
        self.objective = objective
        self.latent_dim = latent_dim
        self.latent_seed = keras.random.SeedGenerator(seed, name="latent_seed")
        # Scalar state of the objective (BEGAN's k_t): variables, so that it is checkpointed,
        # and averaged over replicas when each replica assigns its own update.
        self.objective_state = {
            name: keras.Variable(value, trainable=False, name=name, aggregation="mean")
            for name, value in objective.state_spec.items()}
        objective.bind_state(self.objective_state)
        names = [f"loss_{p}" for p in objective.players] + list(objective.log_names)
        self.trackers = {name: keras.metrics.Mean(name=name) for name in names}
        self.player_optimizers = {}
        self.weight_decay = 0.0
        # Its networks come built; saying so stops Keras from trying to build the trainer by
        # calling it (it has no `call`), which it does under a tf.distribute strategy.
        self.built = True

    def compile(self, optimizers, weight_decay=0.0, **kwargs):
        """`optimizers`: player -> optimizer, one per player of the objective.

        `weight_decay` adds weight_decay/2 * ||W||^2 for every multiplicative weight W to the loss
        of the player owning W (l2 decay coupled to the gradient, as in the BiGAN paper, app. C).
        Optimizers are built here, so that under a tf.distribute strategy this runs in its scope.
        """
        super().compile(**kwargs)
        if set(optimizers) != set(self.objective.players):
            raise ValueError(f"Objective {self.objective.name!r} has players "
                             f"{sorted(self.objective.players)}; got optimizers for "
                             f"{sorted(optimizers)}")
        if weight_decay < 0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay}")
        self.player_optimizers = dict(optimizers)
        self.weight_decay = float(weight_decay)
        for player, optimizer in self.player_optimizers.items():
            optimizer.build(self.player_variables(player))

    def player_variables(self, player):
        """Trainable variables of the networks `player` owns."""
        return [v for role in self.objective.players[player]
                for v in self.networks[role].trainable_variables]

    @property
    def metrics(self):
        return list(self.trackers.values())

    def sample_latent(self, batch_size):
        return self.objective.sample_latent(batch_size, self.latent_dim, self.latent_seed)

    def sample_noise(self, shape, distribution="uniform"):
        """Noise besides z for the objective's terms (ForwardPass.noise; base.NOISE)."""
        return NOISE[distribution](shape, self.latent_seed)

    def _replica_rows(self, sample, local_batch_size, *rest):
        """This replica's rows of `sample(global_batch_size, *rest)`.

        Every replica holds the same RNG state, so each draws for the whole global batch and
        keeps its own rows: together the replicas use exactly the draws one device would, and
        no two replicas share them.
        """
        context = tf.distribute.get_replica_context()
        replicas = context.num_replicas_in_sync if context else 1
        drawn = sample(local_batch_size * replicas, *rest)
        if replicas == 1:
            return drawn
        start = context.replica_id_in_sync_group * local_batch_size
        return drawn[start:start + local_batch_size]

    def _run_phase(self, x, players):
        batch = tf.shape(x)[0]
        z = self._replica_rows(self.sample_latent, batch)

        def noise(shape, distribution):
            return self._replica_rows(lambda n, rest: self.sample_noise((n, *rest), distribution),
                                      shape[0], tuple(shape[1:]))

        # Optimizers sum gradients over replicas; each replica's losses are means over its share
        # of the global batch, so dividing by the replica count makes the sum the global mean.
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        with tf.GradientTape(persistent=True) as tape:
            forward = ForwardPass(self.networks, x, z, training=True,
                                  joint_discriminator=self.objective.joint_discriminator,
                                  noise=noise)
            losses, logs = self.objective.losses(forward, players)
            # scale_loss: the loss scale of mixed float16 (LossScaleOptimizer), else identity.
            totals = {p: self.player_optimizers[p].scale_loss(losses[p] / replicas)
                      for p in players}
        for player in players:
            variables = self.player_variables(player)
            gradients = tape.gradient(totals[player], variables)
            self._check_gradients(player, gradients, variables)
            gradients = [tf.zeros_like(v) if g is None else g      # only allowed ones are None
                         for g, v in zip(gradients, variables)]
            if self.weight_decay:   # d/dW of weight_decay/2 * ||W||^2, on multiplicative weights
                # Scaled like the loss, as the optimizer unscales the whole gradient.
                decay = self.player_optimizers[player].scale_loss(self.weight_decay / replicas)
                gradients = [g + decay * v if is_multiplicative(v) else g
                             for g, v in zip(gradients, variables)]
            self.player_optimizers[player].apply_gradients(zip(gradients, variables))
        del tape
        for name, value in self.objective.state_updates(logs).items():
            self.objective_state[name].assign(value)
        return losses, logs

    def _check_gradients(self, player, gradients, variables):
        """At trace time: every variable of the player's networks must get a gradient from its
        loss, except those the objective declares (`Objective.without_gradient`). A missing one
        means a network never reaches the loss: a mis-wired term, which zeros would hide."""
        allowed = self.objective.without_gradient.get(player, ())
        names = [variable_name(self.networks[role], role, v)     # player_variables' order
                 for role in self.objective.players[player]
                 for v in self.networks[role].trainable_variables]
        missing = [name for g, name in zip(gradients, names)
                   if g is None and not any(part in name for part in allowed)]
        if missing:
            raise MissingGradientError(
                f"Objective {self.objective.name!r}: the loss of player {player!r} does not "
                f"reach {len(missing)} of its variables, e.g. {missing[:5]}; check which terms "
                f"add to its loss, or declare them in Objective(without_gradient=...)")

    def train_step(self, data):
        x = data[0] if isinstance(data, (tuple, list)) else data
        # A schedule with fresh batches gets `batches_per_step` batches in one (experiment.py).
        count = self.objective.batches_per_step
        if count > 1 and x.shape[0] is not None and x.shape[0] % count:
            raise ValueError(f"Objective {self.objective.name!r} reads {count} batches per step "
                             f"(one per discriminator step): a step's {x.shape[0]} images do "
                             f"not split into {count} (feed batch_size x {count} per step)")
        batches = ops.split(x, count) if count > 1 else [x]
        all_losses, all_logs = {}, {}
        for phase in self.objective.schedule:
            for repeat in range(phase.repeats):
                batch = batches[repeat] if phase.fresh_batches else batches[-1]
                losses, logs = self._run_phase(batch, phase.players)
            all_losses.update(losses)
            all_logs.update(logs)
        for player, loss in all_losses.items():
            self.trackers[f"loss_{player}"].update_state(loss)
        for name, value in all_logs.items():
            self.trackers[name].update_state(value)
        return {name: tracker.result() for name, tracker in self.trackers.items()}

    def checkpoint_items(self):
        """Everything a resumed run needs: weights (BN statistics included), optimizer slots and
        step counts, and the latent RNG state."""
        items = {role: net for role, net in self.networks.items()}
        items.update({f"optimizer_{p}": opt for p, opt in self.player_optimizers.items()})
        items["latent_seed_state"] = self.latent_seed.state
        items.update({f"objective_{name}": v for name, v in self.objective_state.items()})
        return items
