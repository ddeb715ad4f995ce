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
