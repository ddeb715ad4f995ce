"""Spectral normalisation as Miyato et al. (2018) define it: the layer computes with W / σ(W).

σ(W) is the largest singular value of the kernel reshaped to a (fan-in, outputs) matrix,
estimated by power iteration: u (a non-trainable variable, checkpointed with the network) is
refined by one iteration per training call, v = normalise(W u), u = normalise(Wᵀ v), and
σ = vᵀ W u. As in the paper's algorithm 1, compare_gan and TF-GAN, u and v are constants for
the gradient but σ is not: ∂σ/∂W = v uᵀ, so the gradient of a loss L(W / σ) is
(G − ⟨G, W/σ⟩ v uᵀ) / σ with G = ∂L/∂(W/σ). Keras' `SpectralNormalization` instead rescales the
kernel in place, so its gradient ignores ∂σ/∂W: not the reparameterisation the study uses.

Outside training u is not updated; σ comes from the stored u (what a resumed or exported network
computes with).
"""

import keras
from keras import ops

from tfencgan.networks.layers import normal_init


def _normalise(vector):
    return vector / (ops.sqrt(ops.sum(ops.square(vector))) + 1e-12)


class SpectralNormalized(keras.layers.Layer):
    """Base of the spectrally normalised layers: owns `kernel`, `bias` and the power-iteration
    vector `u`; subclasses say the kernel's shape and how it is applied."""

    def __init__(self, units, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.units, self.use_bias = units, use_bias

    def kernel_shape(self, input_shape):
        raise NotImplementedError

    def apply_kernel(self, inputs, kernel):
        raise NotImplementedError

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=self.kernel_shape(input_shape),
                                      initializer=normal_init(), name="kernel")
        self.bias = (self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
                     if self.use_bias else None)
        self.u = self.add_weight(shape=(self.units,), initializer="random_normal",
                                 trainable=False, name="power_iteration_u")

    def sigma(self, training=False):
        """σ(W) with u, v held constant for the gradient; one power iteration when training."""
        matrix = ops.reshape(ops.cast(self.kernel, "float32"), (-1, self.units))
        u = ops.stop_gradient(ops.cast(self.u, "float32"))
        v = ops.stop_gradient(_normalise(ops.matmul(matrix, u)))
        if training:
            u = ops.stop_gradient(_normalise(ops.matmul(ops.transpose(matrix), v)))
            v = ops.stop_gradient(_normalise(ops.matmul(matrix, u)))
            self.u.assign(u)
        return ops.sum(v * ops.matmul(matrix, u))

    def normalized_kernel(self, training=False):
        """W / σ(W), the kernel the layer computes with."""
        return ops.cast(self.kernel, "float32") / self.sigma(training)

    def call(self, inputs, training=False):
        kernel = ops.cast(self.normalized_kernel(training), self.compute_dtype)
        outputs = self.apply_kernel(inputs, kernel)
        return outputs + self.bias if self.use_bias else outputs

    def get_config(self):
        return {**super().get_config(), "units": self.units, "use_bias": self.use_bias}


@keras.saving.register_keras_serializable(package="tfencgan")
class SpectralDense(SpectralNormalized):
    """Dense layer x · W/σ(W) + b."""

    def kernel_shape(self, input_shape):
        return (input_shape[-1], self.units)

    def apply_kernel(self, inputs, kernel):
        return ops.matmul(inputs, kernel)


@keras.saving.register_keras_serializable(package="tfencgan")
class SpectralConv2D(SpectralNormalized):
    """2-D convolution with W/σ(W) ("same" padding), W of shape (k, k, c_in, units)."""

    def __init__(self, units, kernel_size, strides=1, use_bias=True, **kwargs):
        super().__init__(units, use_bias, **kwargs)
        self.kernel_size, self.strides = kernel_size, strides

    def kernel_shape(self, input_shape):
        return (self.kernel_size, self.kernel_size, input_shape[-1], self.units)

    def apply_kernel(self, inputs, kernel):
        return ops.conv(inputs, kernel, strides=self.strides, padding="same")

    def get_config(self):
        return {**super().get_config(), "kernel_size": self.kernel_size, "strides": self.strides}
