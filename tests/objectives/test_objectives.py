"""Objectives: which side D sees as real, what each player's loss is, and where gradients go."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfencgan import networks as nets_lib
from tfencgan.objectives import REGISTRY, ForwardPass, build_objective, losses
from tfencgan.trainer import Trainer

X = np.array([[1.0, -1.0, 0.5], [0.0, 0.5, -0.5]], np.float32)    # 2 images of 3 pixels
Z = np.array([[0.5, -0.25], [-1.0, 1.0]], np.float32)             # 2 codes of 2 dims
W_G = np.array([[0.2, -0.1, 0.3], [0.4, 0.1, -0.2]], np.float32)   # z -> x
W_E = np.array([[0.1, 0.2], [-0.3, 0.1], [0.2, 0.2]], np.float32)  # x -> z
W_DX = np.array([[0.5], [-0.5], [1.0]], np.float32)
W_DZ = np.array([[1.0], [2.0]], np.float32)


class Linear(keras.Model):
    """call(a[, b]) = {"logits": a @ w (+ b @ w_z), "output": same}: hand-computable."""

    def __init__(self, w, w_z=None, squeeze=False):
        super().__init__()
        self.w = self.add_weight(shape=w.shape, initializer=keras.initializers.Constant(w))
        self.w_z = None if w_z is None else self.add_weight(
            shape=w_z.shape, initializer=keras.initializers.Constant(w_z))
        self.squeeze = squeeze

    def call(self, a, b=None, training=False):
        logits = a @ self.w
        if self.w_z is not None and b is not None:
            logits = logits + b @ self.w_z
        if self.squeeze:
            logits = logits[:, 0]
        return {"logits": logits, "output": logits, "features": logits}


def linear_networks(joint):
    return {"generator": Linear(W_G), "encoder": Linear(W_E),
            "discriminator": Linear(W_DX, W_DZ if joint else None, squeeze=True)}


def bce(logits, label):
    p = 1.0 / (1.0 + np.exp(-logits))
    return -np.mean(label * np.log(p) + (1 - label) * np.log(1 - p))


def player_losses(name, **params):
    objective = build_objective(name, **params)
    forward = ForwardPass(linear_networks(objective.joint_discriminator), X, Z, training=True,
                          joint_discriminator=objective.joint_discriminator)
    values, _ = objective.losses(forward, tuple(objective.players))
    return {p: float(v) for p, v in values.items()}


def test_bigan_scores_pairs_x_ex_against_gz_z():
    real = (X @ W_DX)[:, 0] + ((X @ W_E) @ W_DZ)[:, 0]       # D(x, E(x))
    fake = ((Z @ W_G) @ W_DX)[:, 0] + (Z @ W_DZ)[:, 0]       # D(G(z), z)
    got = player_losses("bigan")
    assert got["discriminator"] == pytest.approx(0.5 * (bce(real, 1) + bce(fake, 0)), rel=1e-5)
    # G and E are one player, named apart from the roles it owns.
    assert build_objective("bigan").players["generator_encoder"] == ("generator", "encoder")
    assert got["generator_encoder"] == pytest.approx(0.5 * (bce(real, 0) + bce(fake, 1)),
                                                     rel=1e-5)


def test_gan_discriminator_sees_x_only():
    real, fake = (X @ W_DX)[:, 0], ((Z @ W_G) @ W_DX)[:, 0]
    got = player_losses("gan")
    assert got["discriminator"] == pytest.approx(0.5 * (bce(real, 1) + bce(fake, 0)), rel=1e-5)
    assert got["generator"] == pytest.approx(0.5 * (bce(real, 0) + bce(fake, 1)), rel=1e-5)


def latent_regression_by_hand():
    logits = (Z @ W_G) @ W_E                                  # E(G(z)) logits
    t, p = (Z + 1) / 2, 1 / (1 + np.exp(-logits))
    return float(np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p))))


def test_latent_regressor_trains_only_the_encoder_on_it():
    fake = ((Z @ W_G) @ W_DX)[:, 0]
    real = (X @ W_DX)[:, 0]
    got = player_losses("latent_regressor")
    assert got["encoder"] == pytest.approx(latent_regression_by_hand(), rel=1e-5)
    assert got["generator"] == pytest.approx(0.5 * (bce(real, 0) + bce(fake, 1)), rel=1e-5)


def test_joint_latent_regressor_adds_a_quarter_to_the_generator():
    lr = player_losses("latent_regressor")
    jlr = player_losses("joint_latent_regressor")
    assert jlr["encoder"] == pytest.approx(latent_regression_by_hand(), rel=1e-5)
    assert jlr["generator"] == pytest.approx(lr["generator"] + 0.25 * latent_regression_by_hand(),
                                             rel=1e-5)


@pytest.mark.parametrize("norm", ["l1", "l2"])
def test_autoencoders(norm):
    difference = X - (X @ W_E) @ W_G
    expected = np.mean(np.abs(difference)) if norm == "l1" else np.mean(difference ** 2)
    assert player_losses(f"autoencoder_{norm}")["autoencoder"] == pytest.approx(expected, rel=1e-5)


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="valid objectives: .*bigan"):
        build_objective("bigann")
    with pytest.raises(ValueError, match="it takes: .*d_steps"):
        build_objective("bigan", lambda_=1.0)
    with pytest.raises(ValueError, match="d_steps must be >= 1"):
        build_objective("gan", d_steps=0)


def test_d_steps_make_an_alternating_schedule():
    schedule = build_objective("bigan", d_steps=3).schedule
    assert [(p.players, p.repeats) for p in schedule] == [(("discriminator",), 3),
                                                          (("generator_encoder",), 1)]
    assert [(p.players, p.repeats) for p in build_objective("bigan").schedule] == [
        (("discriminator", "generator_encoder"), 1)]


# --- gradients reach only the variables of the player that owns them -------------------------

MLP_OBJECTIVES = {"gan", "bigan", "latent_regressor", "joint_latent_regressor",
                  "autoencoder_l1", "autoencoder_l2", "age", "began"}


def small_trainer(name, **params):
    """The BiGAN paper's objectives, AGE and BEGAN on tiny MLPs over 6 pixels; the empirical
    study's on tiny SN-DCGAN networks over 8x8x3 images."""
    objective = build_objective(name, **params)
    keras.utils.set_random_seed(0)
    if name in MLP_OBJECTIVES:
        family, shape, options = "mlp", (6,), {"hidden_units": 5}
    else:
        family, shape, options = "sndcgan", (8, 8, 3), {"width": 1 / 32}
    networks = nets_lib.build_networks(
        {"generator": family, "encoder": family, "discriminator": family}, objective.networks,
        shape, 3, objective.joint_discriminator, options, objective.network_options)
    trainer = Trainer(networks, objective, latent_dim=3, seed=0)
    trainer.compile({p: keras.optimizers.SGD(1.0) for p in objective.players})
    return trainer, shape


# Every objective at its defaults, and the optional terms that add to one player's loss.
OPTIONAL_TERMS = [("began", {"pulling_away": 0.1}),
                  ("began", {"pulling_away": 0.1, "pulling_away_relative": True})]


@pytest.mark.parametrize("name,params", [(name, {}) for name in sorted(REGISTRY)] + OPTIONAL_TERMS)
def test_each_player_moves_only_its_variables_by_its_own_gradient(name, params):
    """One step with SGD(lr=1) must change each variable by exactly minus the gradient of its
    owner's loss, computed here independently with the same z (and penalty noise)."""
    trainer, shape = small_trainer(name, **params)
    objective = trainer.objective
    if len(objective.schedule) > 1:   # k D steps, then the others: one phase at a time
        objective.schedule = [type(objective.schedule[0])(tuple(objective.players), 1)]
    x = tf.constant(np.random.default_rng(0).uniform(-1, 1, (4, *shape)), tf.float32)
    z = tf.constant(np.random.default_rng(1).uniform(-1, 1, (4, 3)), tf.float32)
    def noise(shape, distribution="uniform"):     # the same draws for the trainer and here
        rng = np.random.default_rng(2 if distribution == "uniform" else 3)
        draws = rng.uniform(0, 1, shape) if distribution == "uniform" else rng.normal(size=shape)
        return tf.constant(draws, tf.float32)
    trainer.sample_latent = lambda batch_size: z
    trainer.sample_noise = noise
    owner = {id(v): p for p in objective.players for v in trainer.player_variables(p)}
    all_vars = [v for net in trainer.networks.values() for v in net.trainable_variables]
    assert set(owner) == {id(v) for v in all_vars}, "every trainable variable has one owner"

    # Snapshot the BN statistics too: the expected gradients' forward pass must not be counted.
    state = [v.numpy() for net in trainer.networks.values() for v in net.variables]
    with tf.GradientTape(persistent=True) as tape:
        forward = ForwardPass(trainer.networks, x, z, True, objective.joint_discriminator,
                              noise=noise)
        player_loss, _ = objective.losses(forward, tuple(objective.players))
    expected = {id(v): tape.gradient(player_loss[owner[id(v)]], v) for v in all_vars}
    # Spectral normalisation rescales its kernels during the forward pass, before the update:
    # the values to subtract the gradient from are those after a forward pass.
    before = {id(v): v.numpy() for v in all_vars}
    for v, value in zip([v for n in trainer.networks.values() for v in n.variables], state):
        v.assign(value)

    trainer.train_step(x)
    for v in all_vars:
        grad = expected[id(v)]
        grad = np.zeros(v.shape) if grad is None else grad.numpy()
        np.testing.assert_allclose(v.numpy(), before[id(v)] - grad, atol=1e-6,
                                   err_msg=f"{name}: {v.path} owned by {owner[id(v)]}")


def test_latent_regression_never_reaches_the_generator():
    """LR's G gradient equals the pure adversarial G gradient; JLR's does not."""
    for name, differs in (("latent_regressor", False), ("joint_latent_regressor", True)):
        trainer, _ = small_trainer(name)
        x = tf.random.uniform((4, 6), -1, 1, seed=1)
        z = tf.random.uniform((4, 3), -1, 1, seed=2)
        g_vars = trainer.player_variables("generator")
        with tf.GradientTape(persistent=True) as tape:
            forward = ForwardPass(trainer.networks, x, z, True, False)
            player_loss, _ = trainer.objective.losses(forward, ("generator",))
            adversarial = losses.generator_inverse_loss(forward.real["logits"],
                                                        forward.fake["logits"])
        full = tape.gradient(player_loss["generator"], g_vars)
        adv = tape.gradient(adversarial, g_vars)
        gap = max(float(tf.reduce_max(tf.abs(a - b))) for a, b in zip(full, adv))
        assert (gap > 1e-6) == differs, (name, gap)


W_V = np.array([[0.3, -0.2], [0.1, 0.4], [-0.2, 0.1]], np.float32)   # x -> log-variance
EPSILON = np.array([[0.7, -1.2], [0.3, 0.9]], np.float32)


class GaussianLinear(keras.Model):
    """A Gaussian encoder q(z|x) = N(x W_E, exp(x W_V)): mean and log-variance by hand."""

    def __init__(self):
        super().__init__()
        self.w = self.add_weight(shape=W_E.shape, initializer=keras.initializers.Constant(W_E))
        self.v = self.add_weight(shape=W_V.shape, initializer=keras.initializers.Constant(W_V))

    def call(self, x, training=False):
        mean, log_variance = x @ self.w, x @ self.v
        return {"mean": mean, "log_variance": log_variance, "output": mean, "logits": mean,
                "features": mean}


def test_ali_discriminator_sees_a_reparameterised_sample_of_q():
    """ALI (Dumoulin et al., sec. 2-3): D(x, μ(x) + σ(x) ε) against D(G(z), z)."""
    objective = build_objective("ali")
    assert objective.latent_prior == "normal"
    assert objective.network_options["encoder"] == {"gaussian_posterior": True,
                                                    "max_log_variance": 0.0}
    bounded = nets_lib.layers.encoder_outputs(None, tf.constant([[1.0, -50.0, 50.0, 0.0]]),
                                              tf.identity, True, 0.0)["log_variance"].numpy()
    # log-variances 50 and 0 (the second half of the logits) -> 0 - softplus(0 - v)
    np.testing.assert_allclose(bounded, [[0.0, -np.log(2.0)]], atol=1e-6)
    networks = {**linear_networks(True), "encoder": GaussianLinear()}
    drawn = []

    def noise(shape, distribution):
        drawn.append(distribution)
        return tf.constant(EPSILON)
    forward = ForwardPass(networks, X, Z, training=True, joint_discriminator=True, noise=noise)
    values, _ = objective.losses(forward, ("discriminator", "generator_encoder"))
    sample = X @ W_E + np.exp(0.5 * (X @ W_V)) * EPSILON
    real = (X @ W_DX)[:, 0] + (sample @ W_DZ)[:, 0]
    fake = ((Z @ W_G) @ W_DX)[:, 0] + (Z @ W_DZ)[:, 0]
    assert float(values["discriminator"]) == pytest.approx(0.5 * (bce(real, 1) + bce(fake, 0)),
                                                           rel=1e-5)
    assert float(values["generator_encoder"]) == pytest.approx(
        0.5 * (bce(real, 0) + bce(fake, 1)), rel=1e-5)
    assert drawn == ["normal"]          # one draw per forward pass, shared by every term
    # The generating side's gradient reaches both the mean and the log-variance weights.
    with tf.GradientTape() as tape:     # tensors, not arrays: numpy's @ would detach the weights
        forward = ForwardPass(networks, tf.constant(X), tf.constant(Z), training=True,
                              joint_discriminator=True, noise=noise)
        loss = objective.losses(forward, ("generator_encoder",))[0]["generator_encoder"]
    gradients = tape.gradient(loss, [networks["encoder"].w, networks["encoder"].v])
    assert all(g is not None and float(tf.reduce_max(tf.abs(g))) > 0 for g in gradients)


def test_a_player_named_after_a_role_owns_exactly_that_role():
    """A player's name never says less than what it updates: BiGAN's G-and-E player is
    "generator_encoder", and an objective calling it "generator" is refused."""
    from tfencgan.objectives.base import Objective, Phase
    with pytest.raises(ValueError, match=r"player 'generator' is named after a role but owns "
                                         r"\['generator', 'encoder'\].*'generator_encoder'"):
        Objective("mis_named", {"generator": ("generator", "encoder")}, [],
                  [Phase(("generator",))])
    for name in REGISTRY:
        for player, roles in build_objective(name).players.items():
            assert player not in nets_lib.ROLES or roles == (player,), (name, player, roles)
