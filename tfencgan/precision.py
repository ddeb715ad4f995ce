"""Training precision: float32, or mixed precision with bfloat16 or float16 compute.

`config.train.precision`:
- "float32" (default).
- "mixed_bfloat16": layers compute in bfloat16, variables stay float32 (Keras' mixed policy).
  On CPUs with AVX512_BF16 / AMX and on recent GPUs and TPUs, bf16 matmuls and convolutions run
  at about twice the fp32 rate; bf16 has fp32's exponent range, so no loss scaling.
- "mixed_float16": float16 compute, for GPUs; each player's optimizer is wrapped in Keras'
  `LossScaleOptimizer` (dynamic loss scaling: a step whose gradients are not finite is skipped
  and the scale halved).
Whatever the precision, what the library reads stays float32: calling any network returns
float32 outputs (`networks.layers.serializable`), so losses, the gradient penalty's norm, BEGAN's
k_t, metrics and SavedModel signatures are float32; batch normalisation computes its statistics
in float32 (Keras does so under a mixed policy); and every network's prediction layer computes
in float32 (`networks.layers.PREDICTION_DTYPE`: with bf16 outputs the BiGAN MLPs collapsed).

The policy is set only while networks are built (`policy`): layers keep the policy they were
made with, so nothing global outlives the build. `config.train.float32_networks` names networks
(roles) built under float32 inside a mixed run, e.g. the encoder whose features are evaluated.
"""

import contextlib

import keras

PRECISIONS = ("float32", "mixed_bfloat16", "mixed_float16")


def check(precision):
    if precision not in PRECISIONS:
        raise ValueError(f"Unknown precision {precision!r}; valid: {list(PRECISIONS)}")


@contextlib.contextmanager
def policy(precision):
    """Within the block, new layers get the dtype policy of `precision`."""
    check(precision)
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(precision)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def wrap_optimizer(optimizer, precision):
    """A player's optimizer for `precision`: loss-scaled for float16, unchanged otherwise."""
    check(precision)
    if precision == "mixed_float16":
        return keras.optimizers.LossScaleOptimizer(optimizer, name=f"loss_scaled_{optimizer.name}")
    return optimizer


def float32_outputs(outputs):
    """A network's output dict with every floating tensor cast to float32."""
    return {name: keras.ops.cast(value, "float32")
            if keras.backend.is_float_dtype(keras.backend.standardize_dtype(value.dtype))
            and keras.backend.standardize_dtype(value.dtype) != "float32" else value
            for name, value in outputs.items()}
