"""AGE (eq. 2-8 of its paper) and BEGAN (the slides' eq. 5-6, with k_t projected onto [0, 1])."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfencgan import configs, experiment
from tfencgan.objectives import ForwardPass, began, build_objective, losses
from tfencgan.networks import build_network

RNG = np.random.default_rng(0)
X = RNG.uniform(-1, 1, (5, 4)).astype(np.float32)
Z = RNG.normal(size=(5, 3)).astype(np.float32)
W_G = RNG.normal(size=(3, 4)).astype(np.float32) * 0.5
W_E = RNG.normal(size=(4, 3)).astype(np.float32) * 0.5


class Linear(keras.Model):
    def __init__(self, w):
        super().__init__()
        self.w = self.add_weight(shape=w.shape, initializer=keras.initializers.Constant(w))

    def call(self, a, training=False):
        out = tf.matmul(a, self.w)
        return {"logits": out, "output": out, "features": out}


def kl_by_hand(q):
    m, s = q.mean(axis=0), q.std(axis=0)          # s: standard deviation (ddof 0)
    return float(-q.shape[1] / 2 + np.sum((s ** 2 + m ** 2) / 2 - np.log(s)))


def test_gaussian_fit_kl_is_the_closed_form():
    codes = np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 1.0], [2.0, -1.0]], np.float32)
    m, var = codes.mean(axis=0), codes.var(axis=0)
    closed_form = float(np.sum(0.5 * (var + m ** 2 - 1 - np.log(var))))
    assert float(losses.gaussian_fit_kl(tf.constant(codes))) == pytest.approx(closed_form,
                                                                              rel=1e-5)
    assert closed_form == pytest.approx(kl_by_hand(codes), rel=1e-5)


def test_kozachenko_leonenko_estimates_the_kl():
    rng = np.random.default_rng(1)
    standard = rng.standard_normal((3000, 2)).astype(np.float32)
    shifted = standard * 0.5 + 1.0
    exact = 2 * (0.5 * (0.25 + 1.0 - 1.0 - np.log(0.25)))      # per dimension, two dimensions
    assert float(losses.kozachenko_leonenko_kl(tf.constant(standard))) == pytest.approx(0, abs=0.1)
    assert float(losses.kozachenko_leonenko_kl(tf.constant(shifted))) == pytest.approx(exact,
                                                                                     abs=0.15)


def age_losses(**params):
    objective = build_objective("age", **params)
    forward = ForwardPass({"generator": Linear(W_G), "encoder": Linear(W_E)}, tf.constant(X),
                          tf.constant(Z), True, False)
    values, _ = objective.losses(forward, ("generator", "encoder"))
    return {p: float(v) for p, v in values.items()}


def test_age_player_losses_follow_eq_5_and_6():
    generated_codes = (Z @ W_G) @ W_E                           # e(g(z))
    real_codes = X @ W_E                                        # e(x)
    # Every term per dimension (the authors' code): squared errors averaged over the pixels
    # (4 here) and the latent dimensions (M = 3), and eq. 8's KL divided by M.
    latent = np.mean((Z - generated_codes) ** 2)
    data = np.mean((X - real_codes @ W_G) ** 2)
    m = Z.shape[1]
    got = age_losses(lam=7.0, mu=3.0)
    assert got["generator"] == pytest.approx(kl_by_hand(generated_codes) / m + 7.0 * latent,
                                             rel=1e-4)
    assert got["encoder"] == pytest.approx(
        (kl_by_hand(real_codes) - kl_by_hand(generated_codes)) / m + 3.0 * data, rel=1e-4)
    # L_Z (λ) trains only the generator, L_X (μ) only the encoder.
    assert age_losses(lam=7.0, mu=99.0)["generator"] == pytest.approx(got["generator"])
    assert age_losses(lam=99.0, mu=3.0)["encoder"] == pytest.approx(got["encoder"])
    schedule = build_objective("age").schedule
    assert [(p.players, p.repeats) for p in schedule] == [(("encoder",), 1),
                                                          (("generator",), 2)]


def test_age_latent_codes_lie_on_the_unit_sphere():
    objective = build_objective("age")
    z = objective.sample_latent(100, 10, keras.random.SeedGenerator(0))
    np.testing.assert_allclose(np.linalg.norm(z, axis=1), 1.0, rtol=1e-5)
    encoder = build_network("mlp", "encoder", (784,), 10,
                            options={"hidden_units": 16, **objective.network_options["encoder"]})
    codes = encoder(tf.random.uniform((7, 784), -1, 1))["output"]
    np.testing.assert_allclose(np.linalg.norm(codes, axis=1), 1.0, rtol=1e-5)


def test_began_k_stays_in_the_unit_interval():
    for real, generated in ((1e6, 0.0), (0.0, 1e6), (0.3, 0.1), (0.1, 0.3)):
        for k in (0.0, 0.5, 1.0):
            new = float(began.k_update(tf.constant(k), real, generated, 0.5, 1e-3))
            assert 0.0 <= new <= 1.0
    assert float(began.k_update(tf.constant(0.2), 0.4, 0.1, 0.5, 1e-3)) == pytest.approx(
        0.2 + 1e-3 * (0.5 * 0.4 - 0.1))
    assert float(began.k_update(tf.constant(0.0), 0.1, 0.3, 0.5, 1e-3)) == 0.0   # projected
    assert float(began.convergence_measure(0.4, 0.1, 0.5)) == pytest.approx(0.4 + abs(0.2 - 0.1))


def test_began_gamma_above_one_asks_for_generated_errors_above_real_ones():
    # γ 1.5: k still rises while L(G) exceeds L(x) but not 1.5 L(x).
    assert float(began.k_update(tf.constant(0.2), 0.3, 0.4, 1.5, 1e-3)) == pytest.approx(
        0.2 + 1e-3 * (1.5 * 0.3 - 0.4))
    assert build_objective("began", gamma=1.5).terms[0].gamma == 1.5
    with pytest.raises(ValueError, match="gamma must be >= 0"):
        build_objective("began", gamma=-0.1)


class Identityish(keras.Model):
    """An "autoencoder" D(v) = 0.5 v whose embedding h is v itself."""

    def call(self, v, z=None, training=False):
        return {"output": 0.5 * v, "logits": 0.5 * v, "features": v}


def test_began_losses():
    objective = build_objective("began", gamma=0.7)
    objective.bind_state({"k": tf.Variable(0.25)})
    forward = ForwardPass({"generator": Linear(W_G), "discriminator": Identityish()},
                          tf.constant(X), tf.constant(Z), True, False)
    values, logs = objective.losses(forward, ("discriminator", "generator"))
    real, generated = np.mean(np.abs(0.5 * X)), np.mean(np.abs(0.5 * (Z @ W_G)))
    assert float(values["discriminator"]) == pytest.approx(real - 0.25 * generated, rel=1e-5)
    assert float(values["generator"]) == pytest.approx(generated, rel=1e-5)
    assert float(logs["convergence"]) == pytest.approx(real + abs(0.7 * real - generated),
                                                       rel=1e-5)


def test_pulling_away_is_the_mean_squared_cosine_of_distinct_pairs():
    s = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], np.float32)
    # cosines: (0, 1/sqrt 2, 1/sqrt 2) over the pairs (0,1), (0,2), (1,2); each counted twice
    by_hand = 2 * (0.0 + 0.5 + 0.5) / (3 * 2)
    assert float(losses.pulling_away(tf.constant(s))) == pytest.approx(by_hand, rel=1e-5)
    same = np.tile([[3.0, -1.0]], (4, 1)).astype(np.float32)
    assert float(losses.pulling_away(tf.constant(same))) == pytest.approx(1.0, rel=1e-5)


def began_losses_without_and_with(x, **params):
    """(BEGAN's losses at γ 0.7, the losses and logs with `params` added), on x and Z."""
    networks = {"generator": Linear(W_G), "discriminator": Identityish()}
    values = []
    for objective in (build_objective("began", gamma=0.7),
                      build_objective("began", gamma=0.7, **params)):
        objective.bind_state({"k": tf.Variable(0.25)})
        forward = ForwardPass(networks, tf.constant(x), tf.constant(Z), True, False)
        values.append(objective.losses(forward, ("discriminator", "generator")))
    (plain_losses, _), (losses_with, logs) = values
    return plain_losses, losses_with, logs


def test_began_pulling_away_adds_to_the_generator_only():
    plain_losses, pulled_losses, logs = began_losses_without_and_with(X, pulling_away=0.1)
    by_hand = mean_squared_cosine(Z @ W_G)        # D's "embedding" of G(z) here: G(z) itself
    assert float(logs["pulling_away"]) == pytest.approx(by_hand, rel=1e-4)
    assert float(pulled_losses["generator"]) == pytest.approx(
        float(plain_losses["generator"]) + 0.1 * by_hand, rel=1e-5)
    assert float(pulled_losses["discriminator"]) == float(plain_losses["discriminator"])
    with pytest.raises(ValueError, match="pulling_away"):
        build_objective("began", pulling_away=-1.0)


def mean_squared_cosine(h):
    unit = h / np.linalg.norm(h, axis=1, keepdims=True)
    cosine = unit @ unit.T
    return (np.sum(cosine ** 2) - np.trace(cosine ** 2)) / (len(h) * (len(h) - 1))


@pytest.mark.parametrize("real_batch", ["varied", "all_alike"])
def test_relative_pulling_away_charges_only_the_excess_over_the_real_batch(real_batch):
    """max(0, f_PT(h(G(z))) - f_PT(h(x))): with these X and Z the generated batch is more alike
    than the real one; real images all alike (X's rows replaced by one row) exceed it."""
    x = X if real_batch == "varied" else np.tile(X[:1], (5, 1))
    plain_losses, relative_losses, logs = began_losses_without_and_with(
        x, pulling_away=0.1, pulling_away_relative=True)
    generated, real = mean_squared_cosine(Z @ W_G), mean_squared_cosine(x)
    assert float(logs["pulling_away"]) == pytest.approx(generated, rel=1e-4)
    assert float(logs["pulling_away_real"]) == pytest.approx(real, rel=1e-4)
    excess = max(0.0, generated - real)
    assert (excess > 0) == (real_batch == "varied")   # both branches of the hinge are checked
    assert float(relative_losses["generator"]) == pytest.approx(
        float(plain_losses["generator"]) + 0.1 * excess, rel=1e-5)
    assert float(relative_losses["discriminator"]) == float(plain_losses["discriminator"])


def began_config():
    config = configs.load("began_mnist")
    config.data.limit, config.data.batch_size = 512, 64
    config.networks.options.filters = 8
    config.train.epochs, config.train.verbose, config.train.eval_every_epochs = 2, 0, 0
    config.eval.splits, config.eval.classifier = ("validation",), ""
    config.eval.linear_probe, config.eval.bn_reestimate_batches = False, 1
    return config


def checkpointed_k(workdir):
    reader = tf.train.load_checkpoint(os.path.join(workdir, "checkpoints"))
    [key] = [k for k in reader.get_variable_to_shape_map() if k.startswith("objective_k")]
    return float(reader.get_tensor(key))


@pytest.mark.slow
def test_began_k_moves_off_zero_and_survives_resume(tmp_path):
    config = began_config()
    config.train.epochs = 1
    experiment.train(config, str(tmp_path / "resumed"))
    after_one = checkpointed_k(tmp_path / "resumed")
    assert 0.0 < after_one <= 1.0
    config.train.epochs = 2
    experiment.train(config, str(tmp_path / "resumed"))
    experiment.train(config, str(tmp_path / "straight"))
    assert checkpointed_k(tmp_path / "resumed") == checkpointed_k(tmp_path / "straight")
    assert checkpointed_k(tmp_path / "straight") > after_one
    logs = json.load(open(tmp_path / "straight" / "metrics.json"))
    assert logs[-1]["epoch"] == 2
