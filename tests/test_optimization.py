import keras
import pytest

from tfencgan.optimization import ConstantThenExponentialDecay


def test_constant_then_exponential_decay_to_final():
    schedule = ConstantThenExponentialDecay(2e-4, 2e-6, decay_start_step=100, total_steps=200)
    assert float(schedule(0)) == pytest.approx(2e-4)
    assert float(schedule(100)) == pytest.approx(2e-4)
    assert float(schedule(150)) == pytest.approx(2e-5, rel=1e-4)   # geometric midpoint
    assert float(schedule(200)) == pytest.approx(2e-6, rel=1e-4)
    assert float(schedule(500)) == pytest.approx(2e-6, rel=1e-4)
    clone = ConstantThenExponentialDecay.from_config(schedule.get_config())
    assert float(clone(175)) == pytest.approx(float(schedule(175)))
    with pytest.raises(ValueError):
        ConstantThenExponentialDecay(1.0, 0.1, 300, 200)
    assert keras.saving.get_registered_object("tfencgan>ConstantThenExponentialDecay")


def _adam_trajectory(optimizer_class, jit_compile, steps=4, **options):
    """Weights and slots after `steps` updates of a fresh optimizer on fixed gradients."""
    import numpy as np
    import tensorflow as tf
    rng = np.random.default_rng(0)
    variables = [keras.Variable(rng.normal(size=shape).astype("float32"))
                 for shape in ((7, 5), (5,), (3, 4, 2))]
    gradients = [[tf.constant(rng.normal(size=v.shape).astype("float32")) for v in variables]
                 for _ in range(steps)]
    optimizer = optimizer_class(**options)
    optimizer.build(variables)
    apply = tf.function(lambda grads: optimizer.apply_gradients(zip(grads, variables)),
                        jit_compile=jit_compile)
    for grads in gradients:
        apply(grads)
    return [v.numpy() for v in variables + optimizer.variables if v.dtype == "float32"]


@pytest.mark.parametrize("jit_compile", [False, True])
def test_fused_adam_matches_keras_adam(jit_compile):
    """Same weights and slots as keras' Adam after several steps, with a schedule, β1 0.5 and a
    large ε (so that ε's placement matters), compiled by XLA or not."""
    import numpy as np
    from tfencgan.optimization import FusedAdam
    options = dict(learning_rate=ConstantThenExponentialDecay(0.1, 0.01, 2, 4), beta_1=0.5,
                   beta_2=0.9, epsilon=0.3)
    fused = _adam_trajectory(FusedAdam, jit_compile, **options)
    reference = _adam_trajectory(keras.optimizers.Adam, jit_compile, **options)
    assert len(fused) == len(reference) > 3              # weights, momenta and velocities
    for a, b in zip(fused, reference):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    initial = _adam_trajectory(FusedAdam, jit_compile, steps=0, **options)
    assert not np.allclose(fused[0], initial[0])         # it did update
    assert keras.saving.get_registered_object("tfencgan>FusedAdam") is FusedAdam


def test_a_discriminator_updated_k_times_a_step_follows_the_schedule_at_the_step_s_pace(
        tiny_config):
    """Schedules count each optimizer's own updates: with 3 D steps per training step, D's
    schedule must span three times the updates, or it would decay 3x too early."""
    from tfencgan import experiment
    tiny_config.objective.params.d_steps = 3
    built = experiment.build(tiny_config)
    assert built.objective.updates_per_step() == {"discriminator": 3, "generator_encoder": 1}
    experiment.compile_trainer(built)
    optimizers = built.trainer.player_optimizers
    total = tiny_config.train.epochs * experiment.steps_per_epoch(built)
    for step in (0, total // 2, 3 * total // 4, total):
        optimizers["discriminator"].iterations.assign(3 * step)
        optimizers["generator_encoder"].iterations.assign(step)
        assert float(optimizers["discriminator"].learning_rate) == pytest.approx(
            float(optimizers["generator_encoder"].learning_rate), rel=1e-6)
    assert float(optimizers["generator_encoder"].learning_rate) == pytest.approx(
        tiny_config.optimizer.final_lr, rel=1e-5)


def test_resuming_with_more_epochs_warns_where_the_stretched_schedule_moves_the_rate(
        tiny_config, caplog):
    from tfencgan import experiment
    config = tiny_config.optimizer          # 2e-4, decayed to 2e-6 from halfway
    with caplog.at_level("WARNING"):
        # Table 1's fork: 100 -> 400 epochs at epoch 50, where both schedules are still flat.
        assert experiment.warn_if_schedule_moves(config, 100, 400, 50, 390) == pytest.approx(
            (2e-4, 2e-4))
        assert not caplog.records
        # A finished 50-epoch run resumed to 100: from its final rate back to the first.
        before, now = experiment.warn_if_schedule_moves(config, 50, 100, 50, 70)
    assert before == pytest.approx(2e-6) and now == pytest.approx(2e-4)
    assert len(caplog.records) == 1
    assert "--config.train.epochs=50" in caplog.records[0].getMessage()
