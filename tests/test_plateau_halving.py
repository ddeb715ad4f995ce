"""BEGAN's learning-rate halving when M_global stalls (tfencgan.optimization.PlateauHalving)."""

import keras
import pytest
import tensorflow as tf

from tfencgan import optimization


def adam(rate):
    optimizer = keras.optimizers.Adam(rate)
    optimizer.build([keras.Variable([1.0])])
    return optimizer


def test_halves_after_patience_epochs_without_a_new_minimum(tmp_path):
    plateau = optimization.PlateauHalving("convergence", patience=2)
    optimizers = [adam(1e-4), adam(2e-4)]
    halved = [plateau.end_epoch({"convergence": value}, optimizers)
              for value in (1.0, 0.9, 0.95, 0.91, 0.8, 0.85)]
    assert halved == [False, False, False, True, False, False]
    assert [float(o.learning_rate.numpy()) for o in optimizers] == pytest.approx([5e-5, 1e-4])
    # The state travels with the checkpoint: a resumed run halves where this one would.
    path = tf.train.Checkpoint(**plateau.checkpoint_items()).save(str(tmp_path / "ckpt"))
    resumed = optimization.PlateauHalving("convergence", patience=2)
    tf.train.Checkpoint(**resumed.checkpoint_items()).restore(path)
    assert float(resumed.best.numpy()) == pytest.approx(0.8)
    assert int(resumed.waited.numpy()) == 1
    assert resumed.end_epoch({"convergence": 0.81}, optimizers)


def test_refuses_a_schedule_and_an_unlogged_scalar():
    plateau = optimization.PlateauHalving("convergence", patience=1)
    scheduled = adam(optimization.ConstantThenExponentialDecay(1e-3, 1e-5, 10, 100))
    plateau.end_epoch({"convergence": 1.0}, [scheduled])
    with pytest.raises(ValueError, match="constant learning rates"):
        plateau.end_epoch({"convergence": 1.0}, [scheduled])
    with pytest.raises(KeyError, match="convergence"):
        plateau.end_epoch({"k": 0.1}, [adam(1e-3)])
