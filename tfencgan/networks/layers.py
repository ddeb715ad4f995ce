"""Small building blocks shared by the network families."""

import functools
import inspect

import keras
import numpy as np
from keras import ops
import tensorflow as tf


def normal_init(stddev=0.02):
    """N(0, 0.02): the DCGAN / BiGAN initialisation of every weight."""
    return keras.initializers.RandomNormal(stddev=stddev)


# The dtype of every network's prediction layer (the last linear map or convolution, and a joint
# discriminator's last latent injection), whatever the training precision: under a mixed policy
# the layers before it compute in bfloat16 / float16, this one in float32, as Keras'
# mixed-precision guide advises for outputs. With a bf16 prediction layer the BiGAN MLPs' logits
# and pixels are rounded to 8 bits of mantissa, and D won outright in 3 of 4 bf16 seeds against
# 0 of 7 fp32 runs (BUILD_NOTES.md, "Mixed precision"). Under the float32 policy it changes
# nothing; the variables are float32 either way, so checkpoints are unchanged.
PREDICTION_DTYPE = "float32"


def linear(units, use_bias=False, name=None, dtype=None, initializer=None):
    """Dense layer as in the BiGAN MNIST code: N(0, 0.02) weights unless `initializer` says
    otherwise, bias optional (off there)."""
    return keras.layers.Dense(units, use_bias=use_bias,
                              kernel_initializer=initializer or normal_init(),
                              name=name, dtype=dtype)


class BatchNormalization(keras.layers.BatchNormalization):
    """Batch normalisation whose training statistics are those of the global batch.

    With more than one replica in sync (tf.distribute), mean and variance are all-reduced across
    replicas, so N replicas train exactly as one device on the same global batch
    (tests/test_distribute.py). On one device it keeps Keras' two-pass moments: Keras'
    `synchronized=True` would switch to E[x^2] - E[x]^2 even there.
    """

    # `_moments` is Keras' private hook for the statistics; no public option all-reduces them
    # across replicas without also changing the single-device formula.
    def _moments(self, inputs, mask):
        context = tf.distribute.get_replica_context()
        if mask is None and context is not None and context.num_replicas_in_sync > 1:
            return ops.moments(inputs, axes=self._reduction_axes, synchronized=True)
        return super()._moments(inputs, mask)


def batch_norm(epsilon, parameter_free=True, name=None):
    """Batch normalisation; parameter-free (no scale, no offset) as in the BiGAN paper, app. C.1."""
    return BatchNormalization(epsilon=epsilon, center=not parameter_free,
                              scale=not parameter_free, name=name)


def squash(logits):
    """2*sigmoid(logits) - 1: maps logits into (-1, 1), the BiGAN code's output for U(-1, 1)."""
    return 2.0 * ops.sigmoid(logits) - 1.0


def unit_norm(z):
    """Projects codes onto the unit sphere (AGE's latent space)."""
    return z / ops.sqrt(ops.sum(ops.square(z), axis=-1, keepdims=True) + 1e-12)


def encoder_outputs(features, logits, project, gaussian_posterior=False, max_log_variance=None):
    """An encoder's dict: features, logits, and output = project(logits); or, for a Gaussian
    posterior (the VAE, ALI), logits split into mean and log-variance, with output = mean.
    `max_log_variance` bounds the log-variance smoothly from above (m - softplus(m - v)): ALI's
    encoder otherwise escapes the game by inflating σ (BUILD_NOTES.md, issue 17)."""
    result = {"features": features, "logits": logits, "output": project(logits)}
    if gaussian_posterior:
        mean, log_variance = ops.split(logits, 2, axis=-1)
        if max_log_variance is not None:
            log_variance = max_log_variance - ops.softplus(max_log_variance - log_variance)
        result.update(output=mean, mean=mean, log_variance=log_variance)
    return result


class LatentInjection(keras.layers.Layer):
    """Adds a learned linear map of z to a pre-activation (BiGAN paper sec. 4: "at each linear
    layer thereafter, the latent representation z is transformed using a learned linear
    transformation to the hidden layer dimension and added to the non-linearity input")."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        # The projection computes in the injection's own dtype (float32 for a prediction layer's).
        self.projection = linear(units, name="projection", dtype=kwargs.get("dtype"))

    def call(self, hidden, z):
        return hidden + self.projection(z)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def layer_norm(name=None, epsilon=1e-5):
    """Layer normalisation (Ba et al.) over all of an example's features, with a learned scale
    and offset per channel (the last axis), as the SN-DCGAN generator and encoder use it: Keras'
    group normalisation with one group is exactly that (checked against a hand-written layer
    norm to 1e-6)."""
    return keras.layers.GroupNormalization(groups=1, epsilon=epsilon, name=name)


def serializable(cls):
    """Registers a network class with Keras and gives it `get_config` from the arguments its
    constructor was called with (Keras' automatic config gives up on these classes), and a build
    config of the input shapes it was first built with (networks build by being called, on x,
    or on (x, z) for a joint discriminator), so `network.save("e.keras")` and
    `keras.saving.load_model("e.keras")` round-trip, weights and batch-norm statistics included.
    Its `call` returns the network's dict of outputs in float32 whatever the layers compute in
    (mixed precision, see tfencgan.precision), so losses, metrics and exports never see bfloat16
    or float16.
    """
    init = cls.__init__
    call = cls.call

    @functools.wraps(call)
    def float32_call(self, *args, **kwargs):
        from tfencgan.precision import float32_outputs
        return float32_outputs(call(self, *args, **kwargs))
    signature = inspect.signature(init)

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        arguments.pop("self")
        arguments.update(arguments.pop("kwargs", {}))
        init(self, *args, **kwargs)
        self._constructor_arguments = arguments
        self.input_shapes = None

    def get_config(self):
        return {**self._constructor_arguments, "name": self.name}

    def get_build_config(self):
        return {"input_shapes": self.input_shapes}

    def build_from_config(self, config):
        shapes = config.get("input_shapes")
        if shapes:
            record_inputs(self, [np.zeros(shape, np.float32) for shape in shapes])

    # Keras reads the constructor's argument spec in Layer.__new__: show it the real one.
    __init__.__signature__ = signature
    cls._trackable_children = _checkpoint_layer_lists(cls._trackable_children)
    cls.__init__ = __init__
    cls.call = float32_call
    cls.get_config = get_config
    cls.get_build_config = get_build_config
    cls.build_from_config = build_from_config
    return keras.saving.register_keras_serializable(package="tfencgan")(cls)


def _checkpoint_layer_lists(trackable_children):
    """Makes tf.train.Checkpoint see the layers a network keeps in lists (`self.convs = [...]`).

    Keras 3.15 tracks such lists in its own TrackedList, which it converts into checkpoint
    dependencies only for SavedModel export, not for tf.train.Checkpoint: a network's listed
    layers were silently left out of every checkpoint (an SN-DCGAN encoder saved 1 of its 15
    layers), so a resumed run restarted them from their initial weights. No public API adds
    them, so this extends the private `_trackable_children` hook: each layer of a listed
    attribute (nested lists flattened) becomes the child "<attribute>_<index>". Networks without lists (the MLPs) keep
    their checkpoint layout unchanged. tests/networks/test_checkpointing.py checks every family.
    """
    @functools.wraps(trackable_children)
    def children(self, save_type="checkpoint", **kwargs):
        found = trackable_children(self, save_type, **kwargs)
        if save_type == "checkpoint":
            for attribute in self._tracked:
                value = getattr(self, attribute, None)
                if isinstance(value, (list, tuple)):
                    for index, layer in enumerate(tf.nest.flatten(list(value))):
                        if isinstance(layer, keras.layers.Layer):
                            found.setdefault(f"{attribute}_{index}", layer)
        return found
    return children


def variable_name(network, role, variable):
    """"<role>/<path inside the network>" of one of `network`'s variables: unique across the
    networks of a model (Keras' paths start with the network's own name, which depends on how
    it was built, not on the role it plays)."""
    prefix = f"{network.name}/"
    path = variable.path
    return f"{role}/{path[len(prefix):] if path.startswith(prefix) else path}"


def record_inputs(network, inputs):
    """Builds `network` by calling it on `inputs` (x; z; or x and z for a joint
    discriminator) and remembers their shapes for saving."""
    network.input_shapes = [list(x.shape) for x in inputs]
    network(*inputs)
