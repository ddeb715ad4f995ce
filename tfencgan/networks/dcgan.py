"""DCGAN-shaped generator and encoder for small images (28x28, 32x32, 64x64): AGE's networks.

AGE (shared/papers/002_*, sec. 3, "Network architectures"): "the generator and the encoder
networks have a similar structure to the generator and the discriminator in DCGAN", the
discriminator's last layer widened to M outputs and its sigmoid replaced by a projection onto
the unit sphere. Following Radford et al.:
- Generator: z -> FC to base x base x (n 2^(k-1)) with batch norm and ReLU, then k 4x4 (or
  `kernel_size`: the BiGAN paper's ImageNet G uses 5x5) stride-2 transposed convolutions halving
  the channels, each with batch norm and ReLU but the last,
  which goes to the image channels and ends in tanh.
- Encoder: k 4x4 stride-2 convolutions doubling the channels from n, leaky ReLU (0.2), batch
  norm on all but the first; then FC to M and the projection (`latent_projection`: "sphere" for
  AGE, "linear" for none). `features` is the flattened last convolution block.
The number of stride-2 stages k halves the side while it stays even and at least 4: 32 -> 4
(k = 3), 64 -> 4 (k = 4), MNIST's native 28 -> 7 (k = 2). Weights start from N(0, 0.02), biases
are dropped where batch norm follows, as in DCGAN.
"""

import keras
from keras import ops

from tfencgan.networks.layers import (PREDICTION_DTYPE, encoder_outputs, normal_init,
                                      serializable, unit_norm)


def stages(side):
    """Number of stride-2 stages for images of `side`."""
    count = 0
    while side % 2 == 0 and side // 2 >= 4:
        side, count = side // 2, count + 1
    return count


def check_image_shape(data_shape):
    if len(data_shape) != 3 or data_shape[0] != data_shape[1] or stages(data_shape[0]) < 2:
        raise ValueError(f"DCGAN networks need square images whose side halves twice or more "
                         f"to 4 or above (e.g. 28, 32, 64), got data shape {tuple(data_shape)}")


def _bn(name):
    return keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-5, name=name)


@serializable
class Generator(keras.Model):
    """z -> images in [-1, 1] of `side` x `side` x `channels`."""

    def __init__(self, side, channels, filters=64, kernel_size=4, **kwargs):
        super().__init__(**kwargs)
        count = stages(side)
        self.base = side // 2 ** count
        self.base_channels = filters * 2 ** (count - 1)
        self.project = keras.layers.Dense(self.base * self.base * self.base_channels,
                                          use_bias=False, kernel_initializer=normal_init(),
                                          name="project")
        self.project_norm = _bn("project_norm")
        widths = [filters * 2 ** (count - 2 - i) for i in range(count - 1)] + [channels]
        self.deconvs = [keras.layers.Conv2DTranspose(c, kernel_size, 2, padding="same",
                                                     use_bias=i == count - 1,
                                                     kernel_initializer=normal_init(),
                                                     name=f"deconv{i + 1}",
                                                     dtype=PREDICTION_DTYPE if i == count - 1
                                                     else None)
                        for i, c in enumerate(widths)]
        self.norms = [_bn(f"norm{i}") for i in range(1, count)]

    def call(self, z, training=False):
        h = ops.relu(self.project_norm(self.project(z), training=training))
        h = ops.reshape(h, (-1, self.base, self.base, self.base_channels))
        for deconv, norm in zip(self.deconvs[:-1], self.norms):
            h = ops.relu(norm(deconv(h), training=training))
        logits = self.deconvs[-1](h)
        return {"features": ops.reshape(h, (ops.shape(h)[0], -1)), "logits": logits,
                "output": ops.tanh(logits)}


@serializable
class Encoder(keras.Model):
    """images -> z of `latent_dim`, projected onto the sphere (AGE) or left linear."""

    def __init__(self, side, latent_dim, filters=64, latent_projection="sphere", **kwargs):
        super().__init__(**kwargs)
        if latent_projection not in ("sphere", "linear"):
            raise ValueError(f"Unknown latent projection {latent_projection!r}; valid: sphere, "
                             f"linear")
        self.latent_projection = latent_projection
        count = stages(side)
        self.convs = [keras.layers.Conv2D(filters * 2 ** i, 4, 2, padding="same",
                                          use_bias=i == 0, kernel_initializer=normal_init(),
                                          name=f"conv{i + 1}") for i in range(count)]
        self.norms = [None] + [_bn(f"norm{i}") for i in range(2, count + 1)]
        self.out = keras.layers.Dense(latent_dim, kernel_initializer=normal_init(), name="out",
                                      dtype=PREDICTION_DTYPE)

    def call(self, x, training=False):
        h = x
        for conv, norm in zip(self.convs, self.norms):
            h = conv(h)
            h = ops.leaky_relu(h if norm is None else norm(h, training=training), 0.2)
        features = ops.reshape(h, (ops.shape(h)[0], -1))
        project = unit_norm if self.latent_projection == "sphere" else (lambda logits: logits)
        return encoder_outputs(features, self.out(features), project)
