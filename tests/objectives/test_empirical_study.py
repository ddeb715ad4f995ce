"""The empirical study's objectives (appendix A.2), WGAN-GP and the VAE, against hand-computed
values on linear networks, and the gradient penalty against its closed form."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfencgan.objectives import ForwardPass, build_objective, losses

X = np.array([[1.0, -1.0, 0.5], [0.0, 0.5, -0.5]], np.float32)    # 2 "images" of 3 pixels
Z = np.array([[0.5, -0.25], [-1.0, 1.0]], np.float32)             # 2 codes of 2 dims
W_G = np.array([[0.2, -0.1, 0.3], [0.4, 0.1, -0.2]], np.float32)   # z -> x
W_E = np.array([[0.1, 0.2], [-0.3, 0.1], [0.2, 0.2]], np.float32)  # x -> z
W_DX = np.array([[0.5, -0.2], [-0.5, 0.3], [1.0, 0.1]], np.float32)  # two heads
W_DZ = np.array([[1.0, 0.4], [2.0, -0.6]], np.float32)
NOISE = np.array([0.3, 0.8], np.float32)


class Linear(keras.Model):
    """call(a[, b]) = a @ w (+ b @ w_z); a discriminator reports head 0 as its logits."""

    def __init__(self, w, w_z=None, discriminator=False):
        super().__init__()
        self.w = self.add_weight(shape=w.shape, initializer=keras.initializers.Constant(w))
        self.w_z = None if w_z is None else self.add_weight(
            shape=w_z.shape, initializer=keras.initializers.Constant(w_z))
        self.discriminator = discriminator

    def call(self, a, b=None, training=False):
        logits = tf.matmul(a, self.w)
        if self.w_z is not None and b is not None:
            logits = logits + tf.matmul(b, self.w_z)
        if self.discriminator:
            return {"logits": logits[:, 0], "output": logits[:, 0], "head_logits": logits}
        return {"logits": logits, "output": logits, "features": logits}


def networks(joint, inversion=False):
    nets = {"generator": Linear(W_G), "encoder": Linear(W_E),
            "discriminator": Linear(W_DX, W_DZ if joint else None, discriminator=True)}
    if inversion:
        nets["inversion_discriminator"] = Linear(W_DX[:, 1:], W_DZ[:, 1:], discriminator=True)
    return nets


def player_losses(name, **params):
    objective = build_objective(name, **params)
    forward = ForwardPass(networks(objective.joint_discriminator,
                                   "inversion_discriminator" in objective.networks),
                          tf.constant(X), tf.constant(Z), True, objective.joint_discriminator,
                          noise=lambda shape, distribution: tf.constant(NOISE[:shape[0]]))
    values, logs = objective.losses(forward, tuple(objective.players))
    return {p: float(v) for p, v in values.items()}, logs


def softplus(a):
    return np.log1p(np.exp(a))


def bce(logits, label):       # mean cross-entropy against a constant label
    return float(np.mean(softplus(logits) - label * logits))


def linear_penalty(*weights):
    """GP of a linear critic: its gradient is the weight vector everywhere."""
    return (np.sqrt(sum(float(np.sum(w ** 2)) for w in weights)) - 1.0) ** 2


def test_gradient_penalty_of_a_linear_critic_is_its_closed_form():
    w, v = np.array([0.3, -1.2, 2.0], np.float32), np.array([0.5, 0.5], np.float32)
    x_real, x_fake = tf.constant(X), tf.constant(X[::-1].copy())
    z_real, z_fake = tf.constant(Z), tf.constant(-Z)
    x_only = losses.gradient_penalty(lambda x: tf.linalg.matvec(x, w), (x_real,), (x_fake,),
                                     tf.constant(NOISE))
    assert float(x_only) == pytest.approx(linear_penalty(w), rel=1e-5)
    joint = losses.gradient_penalty(lambda x, z: tf.linalg.matvec(x, w) + tf.linalg.matvec(z, v),
                                    (x_real, z_real), (x_fake, z_fake), tf.constant(NOISE))
    assert float(joint) == pytest.approx(linear_penalty(w, v), rel=1e-5)
    # A critic of gradient norm 1 has no penalty; a quadratic one depends on the interpolate.
    unit = losses.gradient_penalty(lambda x: x[:, 0], (x_real,), (x_fake,), tf.constant(NOISE))
    assert float(unit) == pytest.approx(0.0, abs=1e-6)
    eps = NOISE[:, None]
    x_hat = eps * X + (1 - eps) * X[::-1]
    expected = np.mean((2 * np.linalg.norm(x_hat, axis=1) - 1) ** 2)
    quadratic = losses.gradient_penalty(lambda x: tf.reduce_sum(x ** 2, axis=1), (x_real,),
                                        (x_fake,), tf.constant(NOISE))
    assert float(quadratic) == pytest.approx(expected, rel=1e-5)


def test_gan_gp_sums_the_cross_entropies_and_adds_the_penalty():
    real, fake = (X @ W_DX)[:, 0], ((Z @ W_G) @ W_DX)[:, 0]
    got, logs = player_losses("gan_gp", penalty_weight=3.0)
    penalty = linear_penalty(W_DX[:, 0])
    assert float(logs["gradient_penalty"]) == pytest.approx(penalty, rel=1e-5)
    assert got["discriminator"] == pytest.approx(bce(real, 1) + bce(fake, 0) + 3 * penalty,
                                                 rel=1e-5)
    # -log D(G(z)), plus the real side's term, which is constant in G (Λ of the BiGAN paper).
    assert got["generator"] == pytest.approx(bce(real, 0) + bce(fake, 1), rel=1e-5)


def bigan_logits():
    real = (X @ W_DX + (X @ W_E) @ W_DZ)[:, 0]               # D(x, E(x))
    fake = ((Z @ W_G) @ W_DX + Z @ W_DZ)[:, 0]               # D(G(z), z)
    return real, fake


def test_bigan_gp_players_as_in_a2():
    real, fake = bigan_logits()
    got, _ = player_losses("bigan_gp", penalty_weight=1.0)
    penalty = linear_penalty(W_DX[:, 0], W_DZ[:, 0])
    assert got["discriminator"] == pytest.approx(bce(real, 1) + bce(fake, 0) + penalty, rel=1e-5)
    assert got["generator"] == pytest.approx(bce(real, 0) + bce(fake, 1), rel=1e-5)
    assert got["encoder"] == pytest.approx(bce(real, 0) + bce(fake, 1), rel=1e-5)


def test_bigan_penalty_on_the_image_alone_leaves_the_code_out_of_the_norm():
    real, fake = bigan_logits()
    got, logs = player_losses("bigan_gp", penalty_weight=1.0, penalty_inputs="image")
    penalty = linear_penalty(W_DX[:, 0])                     # not W_DZ: ||dD/dx|| alone
    assert float(logs["gradient_penalty"]) == pytest.approx(penalty, rel=1e-5)
    assert got["discriminator"] == pytest.approx(bce(real, 1) + bce(fake, 0) + penalty, rel=1e-5)
    # BiGAN + adversarial-X: D2 (head 1) takes the same choice.
    _, logs = player_losses("bigan_x_adversarial", penalty_inputs="image")
    assert float(logs["d2_gradient_penalty_x"]) == pytest.approx(linear_penalty(W_DX[:, 1]),
                                                                 rel=1e-5)
    _, logs = player_losses("bigan_x_adversarial")
    assert float(logs["d2_gradient_penalty_x"]) == pytest.approx(
        linear_penalty(W_DX[:, 1], W_DZ[:, 1]), rel=1e-5)
    with pytest.raises(ValueError, match="Unknown penalty_inputs 'codes'"):
        build_objective("bigan_gp", penalty_inputs="codes")


def test_autoencoder_losses_on_generated_data():
    generated = Z @ W_G
    z_ae = np.mean(np.linalg.norm(Z - generated @ W_E, axis=1))                 # eq. 5
    x_ae = np.mean(np.linalg.norm(generated - (generated @ W_E) @ W_G, axis=1))  # eq. 6
    gan_real, gan_fake = (X @ W_DX)[:, 0], (generated @ W_DX)[:, 0]
    got, _ = player_losses("gan_z_ae")
    assert got["encoder"] == pytest.approx(z_ae, rel=1e-5)
    assert got["generator"] == pytest.approx(bce(gan_real, 0) + bce(gan_fake, 1), rel=1e-5)
    got, _ = player_losses("gan_x_ae")
    assert got["encoder"] == pytest.approx(x_ae, rel=1e-5)
    real, fake = bigan_logits()
    got, _ = player_losses("bigan_x_ae", lam=0.5)
    assert got["encoder"] == pytest.approx(bce(real, 0) + bce(fake, 1) + 0.5 * x_ae, rel=1e-5)
    assert got["generator"] == pytest.approx(bce(real, 0) + bce(fake, 1), rel=1e-5)


def inversion_logits(space, head_x, head_z):
    generated = Z @ W_G
    real = generated @ head_x + Z @ head_z                                   # D2(G(z), z)
    if space == "z":
        fake = generated @ head_x + (generated @ W_E) @ head_z               # D2(G(z), E(G(z)))
    else:
        fake = ((generated @ W_E) @ W_G) @ head_x + Z @ head_z               # D2(G(E(G(z))), z)
    return real, fake


@pytest.mark.parametrize("space", ["x", "z"])
def test_gan_adversarial_losses_use_a_separate_joint_discriminator(space):
    real2, fake2 = inversion_logits(space, W_DX[:, 1], W_DZ[:, 1])
    real1, fake1 = (X @ W_DX)[:, 0], ((Z @ W_G) @ W_DX)[:, 0]
    got, _ = player_losses(f"gan_{space}_adversarial", penalty_weight=2.0)
    d1 = bce(real1, 1) + bce(fake1, 0) + 2 * linear_penalty(W_DX[:, 0])
    d2 = bce(real2, 1) + bce(fake2, 0) + 2 * linear_penalty(W_DX[:, 1], W_DZ[:, 1])
    assert got["discriminators"] == pytest.approx(d1 + d2, rel=1e-5)     # D and D2: one player
    assert build_objective(f"gan_{space}_adversarial").players["discriminators"] == (
        "discriminator", "inversion_discriminator")
    assert got["encoder"] == pytest.approx(bce(fake2, 1), rel=1e-5)      # -log D2(fake pair)
    assert got["generator"] == pytest.approx(bce(real1, 0) + bce(fake1, 1), rel=1e-5)


@pytest.mark.parametrize("space", ["x", "z"])
def test_bigan_adversarial_losses_use_the_second_head(space):
    real2, fake2 = inversion_logits(space, W_DX[:, 1], W_DZ[:, 1])
    real, fake = bigan_logits()
    got, _ = player_losses(f"bigan_{space}_adversarial", lam=3.0, penalty_weight=1.0)
    d1 = bce(real, 1) + bce(fake, 0) + linear_penalty(W_DX[:, 0], W_DZ[:, 0])
    d2 = bce(real2, 1) + bce(fake2, 0) + linear_penalty(W_DX[:, 1], W_DZ[:, 1])
    assert got["discriminator"] == pytest.approx(d1 + d2, rel=1e-5)
    assert got["encoder"] == pytest.approx(bce(real, 0) + bce(fake, 1) + 3 * bce(fake2, 1),
                                           rel=1e-5)
    assert got["generator"] == pytest.approx(bce(real, 0) + bce(fake, 1), rel=1e-5)
    assert build_objective(f"bigan_{space}_adversarial").network_options == {
        "discriminator": {"heads": 2}}


@pytest.mark.parametrize("name", ["gan_x_ae", "gan_z_ae", "gan_x_adversarial",
                                  "gan_z_adversarial", "bigan_x_ae", "bigan_z_ae",
                                  "bigan_x_adversarial", "bigan_z_adversarial"])
def test_encoder_losses_reach_only_the_encoder(name):
    """G's loss is the same with and without the encoder loss; E's is not."""
    base = "gan_gp" if name.startswith("gan") else "bigan_gp"
    with_loss, _ = player_losses(name)
    without, _ = player_losses(base)
    assert with_loss["generator"] == pytest.approx(without["generator"], rel=1e-6)
    assert with_loss["encoder"] != pytest.approx(without.get("encoder", 0.0), rel=1e-3)
    objective = build_objective(name)
    for term in objective.terms[1:]:
        assert set(term.players) <= {"encoder", "discriminator", "discriminators"}


def test_wgan_gp():
    real, fake = (X @ W_DX)[:, 0], ((Z @ W_G) @ W_DX)[:, 0]
    got, _ = player_losses("wgan_gp")
    penalty = linear_penalty(W_DX[:, 0])
    assert got["discriminator"] == pytest.approx(fake.mean() - real.mean() + 10 * penalty,
                                                 rel=1e-5, abs=1e-6)
    assert got["generator"] == pytest.approx(real.mean() - fake.mean(), rel=1e-5)
    schedule = build_objective("wgan_gp").schedule
    assert [(p.players, p.repeats) for p in schedule] == [(("discriminator",), 5),
                                                          (("generator",), 1)]


def test_vae_loss_by_hand():
    x = np.array([[0.5, -0.5, 0.0, 1.0]], np.float32)
    decoded = np.array([[0.4, -0.3, 0.1, 0.7]], np.float32)
    mean, log_variance = np.array([[0.2, -0.1]], np.float32), np.array([[-0.5, 0.3]], np.float32)
    log_scale = np.float32(np.log(0.5))
    nll = np.sum((x - decoded) ** 2) / (2 * 0.25) + 4 * (np.log(0.5) + 0.5 * np.log(2 * np.pi))
    kl = 0.5 * np.sum(np.exp(log_variance) + mean ** 2 - 1 - log_variance)
    got = losses.vae_loss(tf.constant(x), tf.constant(decoded), tf.constant(log_scale),
                          tf.constant(mean), tf.constant(log_variance))
    assert float(got) == pytest.approx(nll + kl, rel=1e-5)
    objective = build_objective("vae")
    assert objective.latent_prior == "normal"
    assert objective.network_options == {"encoder": {"gaussian_posterior": True},
                                         "generator": {"learned_scale": True}}


def test_unknown_encoder_loss_and_parameters():
    from tfencgan.objectives import empirical_study
    with pytest.raises(ValueError, match="valid: .*x_ae"):
        empirical_study.gan("y_ae")
    with pytest.raises(ValueError, match="it takes: .*d_steps"):
        build_objective("gan_x_ae", lam=2.0)     # a GAN's encoder has no other loss to balance


@pytest.mark.parametrize("d_steps", [1, 2])
def test_study_d_steps_vary_only_the_number_of_discriminator_updates(d_steps):
    """compare_gan's schedule: d_steps D updates, each on its own real batch, then one G/E
    update on the last D step's batch; one D step alternates too (it is not simultaneous)."""
    from tfencgan.trainer import Trainer
    objective = build_objective("bigan_gp", d_steps=d_steps)
    assert [(p.players, p.repeats, p.fresh_batches) for p in objective.schedule] == [
        (("discriminator",), d_steps, True), (("generator", "encoder"), 1, False)]
    assert objective.batches_per_step == d_steps
    trainer = Trainer(networks(joint=True), objective, latent_dim=2)
    seen = []
    trainer._run_phase = lambda x, players: (seen.append((players, x.numpy()[:, 0].tolist())),
                                             ({p: 0.0 for p in players}, {}))[1]
    x = np.arange(2 * d_steps * 3, dtype=np.float32).reshape(2 * d_steps, 3)   # 2 per batch
    trainer.train_step(tf.constant(x))
    batches = [x[2 * i:2 * i + 2, 0].tolist() for i in range(d_steps)]
    assert seen == [(("discriminator",), b) for b in batches] + [
        (("generator", "encoder"), batches[-1])]


def test_the_bigan_paper_keeps_its_simultaneous_step():
    assert build_objective("bigan").batches_per_step == 1
    assert len(build_objective("bigan").schedule) == 1
    assert build_objective("bigan", d_steps=3).batches_per_step == 3


def test_an_epoch_of_a_fresh_batch_schedule_reads_the_data_once(tiny_config):
    from tfencgan import experiment, experiment_data
    tiny_config.objective.params.d_steps = 2
    built = experiment.build(tiny_config)
    assert experiment_data.step_batch_size(tiny_config, built.objective) == 128
    assert experiment_data.steps_per_epoch(built) == 512 // 128
    dataset = experiment_data.training_batches(built, 0, 1)
    assert next(iter(dataset)).shape[0] == 128
