"""Optimizers of the BiGAN paper, appendix C: Adam(2e-4, beta1 0.5), decayed to 2e-6 from halfway."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfencgan")
class ConstantThenExponentialDecay(keras.optimizers.schedules.LearningRateSchedule):
    """`initial` until `decay_start_step`, then exponential decay reaching `final` at `total_steps`.

    "The step size is decayed exponentially to 2e-6 starting halfway through training" (app. C).
    """

    def __init__(self, initial, final, decay_start_step, total_steps):
        if not 0 <= decay_start_step <= total_steps:
            raise ValueError(f"decay_start_step {decay_start_step} must lie in [0, {total_steps}]")
        self.initial, self.final = float(initial), float(final)
        self.decay_start_step, self.total_steps = int(decay_start_step), int(total_steps)

    def __call__(self, step):
        step = ops.cast(step, "float32")
        decay_steps = max(self.total_steps - self.decay_start_step, 1)
        progress = ops.clip((step - self.decay_start_step) / decay_steps, 0.0, 1.0)
        return self.initial * ops.power(self.final / self.initial, progress)

    def get_config(self):
        return {"initial": self.initial, "final": self.final,
                "decay_start_step": self.decay_start_step, "total_steps": self.total_steps}


def build_optimizers(players, optimizer_config, total_steps):
    """One Adam per player, each with its own copy of the learning-rate schedule."""
    c = optimizer_config
    optimizers = {}
    for player in players:
        if c.final_lr is None or c.final_lr == c.lr:
            lr = c.lr
        else:
            lr = ConstantThenExponentialDecay(c.lr, c.final_lr,
                                              int(round(c.decay_start * total_steps)), total_steps)
        optimizers[player] = keras.optimizers.Adam(lr, beta_1=c.beta_1, beta_2=c.beta_2,
                                                   name=f"adam_{player}")
    return optimizers
