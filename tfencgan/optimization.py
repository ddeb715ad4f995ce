"""Optimizers of the BiGAN paper, appendix C: Adam(2e-4, beta1 0.5), decayed to 2e-6 from halfway."""

import math

import keras
from keras import ops
import tensorflow as tf

from tfencgan import precision as precision_lib


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


@keras.saving.register_keras_serializable(package="tfencgan")
class FusedAdam(keras.optimizers.Adam):
    """Keras' Adam, each variable's update one fused kernel (TensorFlow's ResourceApplyAdam).

    Same update as `keras.optimizers.Adam` (m, v, and w -= lr sqrt(1 - b2^t) / (1 - b1^t) *
    m / (sqrt(v) + eps), to float rounding) and the same slot variables, so checkpoints of
    either load into the other. Why: without XLA, Keras' update is six element-wise TensorFlow
    ops per variable, each a pass over memory; on the BiGAN MNIST MLPs (5.7M weights) that was
    about a third of a bf16 step (benchmarks/train_step.py, BUILD_NOTES.md issue 14). Under
    XLA the kernel compiles like the ops it replaces. AMSGrad and non-float32 variables take
    Keras' path.
    """

    def update_step(self, gradient, variable, learning_rate):
        if self.amsgrad or variable.dtype != "float32":
            return super().update_step(gradient, variable, learning_rate)
        index = self._get_variable_index(variable)
        step = ops.cast(self.iterations + 1, "float32")
        beta_1, beta_2 = ops.cast(self.beta_1, "float32"), ops.cast(self.beta_2, "float32")
        tf.raw_ops.ResourceApplyAdam(
            var=_resource(variable), m=_resource(self._momentums[index]),
            v=_resource(self._velocities[index]),
            beta1_power=ops.power(beta_1, step), beta2_power=ops.power(beta_2, step),
            lr=ops.cast(learning_rate, "float32"), beta1=beta_1, beta2=beta_2,
            epsilon=ops.cast(self.epsilon, "float32"), grad=ops.cast(gradient, "float32"))


def _resource(variable):
    """The resource handle of a Keras (or tf) variable, for TensorFlow's fused training ops."""
    return (variable.value if isinstance(variable, keras.Variable) else variable).handle


def learning_rate(optimizer_config, total_steps):
    """The configured learning rate: a constant, or the paper's schedule over `total_steps`."""
    c = optimizer_config
    if c.final_lr is None or c.final_lr == c.lr:
        return c.lr
    return ConstantThenExponentialDecay(c.lr, c.final_lr, int(round(c.decay_start * total_steps)),
                                        total_steps)


def learning_rate_at(optimizer_config, total_steps, step):
    """The rate `learning_rate(optimizer_config, total_steps)` gives at `step`, as a float."""
    rate = learning_rate(optimizer_config, total_steps)
    return float(rate(step)) if callable(rate) else float(rate)


def build_optimizers(player_updates, optimizer_config, precision="float32"):
    """One Adam per player, each with its own copy of the learning-rate schedule (loss-scaled
    under mixed float16, see tfencgan.precision). `player_updates`: player -> the number of
    updates it makes over the whole run. A schedule counts the optimizer's own updates, so a
    discriminator updated k times per step needs k times the steps to reach the same point."""
    c = optimizer_config
    adam = FusedAdam if c.get("fused_adam", True) else keras.optimizers.Adam
    return {player: precision_lib.wrap_optimizer(
                adam(learning_rate(c, updates), beta_1=c.beta_1, beta_2=c.beta_2,
                     name=f"adam_{player}"),
                precision)
            for player, updates in player_updates.items()}


class PlateauHalving:
    """Halves every player's learning rate when the epoch mean of a logged scalar stalls: the
    BEGAN paper's "decay the learning rate by a factor of 2 when the convergence measure stalls"
    (M_global, logged as `convergence`). Stalled: no new minimum for `patience` epochs in a row.

    Its state (best value, epochs waited) is a pair of variables, checkpointed with the run so a
    resumed run halves at the same epochs; the learning rates themselves are the optimizers'
    variables, checkpointed with them. Needs constant learning rates (no schedule to halve).
    """

    def __init__(self, monitor, patience, factor=0.5):
        if patience < 1 or not 0.0 < factor < 1.0:
            raise ValueError(f"PlateauHalving needs patience >= 1 and a factor in (0, 1), got "
                             f"{patience}, {factor}")
        self.monitor, self.patience, self.factor = monitor, int(patience), float(factor)
        self.best = tf.Variable(math.inf, trainable=False, name="plateau_best")
        self.waited = tf.Variable(0, trainable=False, name="plateau_waited")

    def checkpoint_items(self):
        return {"plateau_best": self.best, "plateau_waited": self.waited}

    def end_epoch(self, logs, optimizers):
        """Updates the state from an epoch's logs; returns True when it halved the rates."""
        if self.monitor not in logs:
            raise KeyError(f"Learning-rate halving watches {self.monitor!r}, which the objective "
                           f"does not log; it logs {sorted(logs)}")
        value = float(logs[self.monitor])
        if value < float(self.best.numpy()):
            self.best.assign(value)
            self.waited.assign(0)
            return False
        self.waited.assign_add(1)
        if int(self.waited.numpy()) < self.patience:
            return False
        for optimizer in optimizers:
            if not isinstance(optimizer.learning_rate, keras.Variable):
                raise ValueError("Learning-rate halving needs constant learning rates, not a "
                                 "schedule (set config.optimizer.final_lr to None)")
            optimizer.learning_rate.assign(optimizer.learning_rate * self.factor)
        self.waited.assign(0)
        return True
