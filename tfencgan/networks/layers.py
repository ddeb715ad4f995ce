"""Small building blocks shared by the network families."""

import keras
from keras import ops
import tensorflow as tf


def normal_init(stddev=0.02):
    """N(0, 0.02): the DCGAN / BiGAN initialisation of every weight."""
    return keras.initializers.RandomNormal(stddev=stddev)


def linear(units, use_bias=False, name=None):
    """Dense layer as in the BiGAN MNIST code: N(0, 0.02) weights, bias optional (off there)."""
    return keras.layers.Dense(units, use_bias=use_bias, kernel_initializer=normal_init(),
                              name=name)


class BatchNormalization(keras.layers.BatchNormalization):
    """Batch normalisation whose training statistics are those of the global batch.

    With more than one replica in sync (tf.distribute), mean and variance are all-reduced across
    replicas, so N replicas train exactly as one device on the same global batch
    (tests/test_distribute.py). On one device it keeps Keras' two-pass moments: Keras'
    `synchronized=True` would switch to E[x^2] - E[x]^2 even there.
    """

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


def encoder_outputs(features, logits, project, gaussian_posterior=False):
    """An encoder's dict: features, logits, and output = project(logits); or, for a Gaussian
    posterior (the VAE), logits split into mean and log-variance, with output = mean."""
    result = {"features": features, "logits": logits, "output": project(logits)}
    if gaussian_posterior:
        mean, log_variance = ops.split(logits, 2, axis=-1)
        result.update(output=mean, mean=mean, log_variance=log_variance)
    return result


class LatentInjection(keras.layers.Layer):
    """Adds a learned linear map of z to a pre-activation (BiGAN paper sec. 4: "at each linear
    layer thereafter, the latent representation z is transformed using a learned linear
    transformation to the hidden layer dimension and added to the non-linearity input")."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.projection = linear(units, name="projection")

    def call(self, hidden, z):
        return hidden + self.projection(z)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


class LayerNorm(keras.layers.Layer):
    """Layer normalisation (Ba et al.) over all of an example's features, with a learned scale
    and offset per channel (the last axis), as the SN-DCGAN generator and encoder use it."""

    def __init__(self, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.epsilon = epsilon

    def build(self, input_shape):
        channels = input_shape[-1]
        self.scale = self.add_weight(shape=(channels,), initializer="ones", name="scale")
        self.offset = self.add_weight(shape=(channels,), initializer="zeros", name="offset")

    def call(self, inputs):
        axes = list(range(1, len(inputs.shape)))
        mean, variance = ops.moments(inputs, axes=axes, keepdims=True)
        normalized = (inputs - mean) * ops.rsqrt(variance + self.epsilon)
        return normalized * self.scale + self.offset

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}
