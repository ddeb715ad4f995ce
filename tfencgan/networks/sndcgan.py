"""SN-DCGAN networks of the empirical study (Rubenstein et al.), appendix A.3.2.

Shared by every model of the study; only the resolution d_R and the latent size d_Z vary.
- Encoder: the discriminator's seven convolutions (3x3/1 64, 4x4/2 128, 3x3/1 128, 4x4/2 256,
  3x3/1 256, 4x4/2 512, 3x3/1 512), each followed by layer normalisation and LeakyReLU(0.1),
  then FC(d_Z) (FC(2 d_Z), mean and log-variance, for the VAE's Gaussian posterior).
- Generator: FC(512 d_R/8 d_R/8) -> LN -> ReLU -> reshape, transposed convolutions 4x4/2 to 256,
  128, 64 channels each with LN and ReLU, then a 3x3/1 transposed convolution to 3 channels.
  The paper ends in (tanh + 1)/2 for pixels in [0, 1]; this library's pixels are in [-1, 1], so
  it ends in tanh (the same map, rescaled).
- Discriminator: the same seven convolutions, spectrally normalised (W / σ(W), Miyato et al.'s
  reparameterisation: `networks.spectral`), LeakyReLU(0.1), no normalisation, then FC(1) (a
  plain FC, as the appendix lists it). Given `latent_dim`, z enters every convolution as a
  spectrally normalised 1x1 convolution of z (a 1x1xd_Z tensor), added as a per-channel bias,
  broadcast over height and width. `heads` > 1 gives that many final FC layers on one shared
  body: two discriminators that "shared all parameters except the final layer" (A.3.2).

`width` scales every channel count (1: the paper's; the CPU study uses less). Convolutions keep
their biases (the paper does not say otherwise); weights start from N(0, 0.02) as in DCGAN.

Calling any network gives `{"features", "logits", "output"}` like the MLPs; features are
the flattened last convolutional block.
"""

import keras
from keras import ops

from tfencgan.networks.layers import (PREDICTION_DTYPE, encoder_outputs, layer_norm, normal_init,
                                      serializable, unit_norm)
from tfencgan.networks.spectral import SpectralConv2D, SpectralDense

# (kernel, stride, channels) of the seven convolutions shared by encoder and discriminator.
CONVOLUTIONS = ((3, 1, 64), (4, 2, 128), (3, 1, 128), (4, 2, 256), (3, 1, 256), (4, 2, 512),
                (3, 1, 512))


def _conv(kernel, stride, channels, name):
    return keras.layers.Conv2D(channels, kernel, stride, padding="same",
                               kernel_initializer=normal_init(), name=name)


def _channels(channels, width):
    return max(1, int(round(channels * width)))


def check_image_shape(data_shape):
    if len(data_shape) != 3 or data_shape[0] != data_shape[1] or data_shape[0] % 8:
        raise ValueError(f"SN-DCGAN networks need square images whose side is a multiple of 8, "
                         f"got data shape {tuple(data_shape)}")


@serializable
class Encoder(keras.Model):
    """x -> z (or, with `gaussian_posterior`, the mean and log-variance of q(z|x))."""

    def __init__(self, latent_dim, width=1.0, gaussian_posterior=False, projection="linear",
                 max_log_variance=None, **kwargs):
        super().__init__(**kwargs)
        if projection not in ("linear", "sphere"):
            raise ValueError(f"Unknown latent projection {projection!r}; valid: linear, sphere")
        self.latent_dim, self.gaussian_posterior = latent_dim, gaussian_posterior
        self.max_log_variance = max_log_variance    # ALI's bound (layers.encoder_outputs)
        self.projection = projection
        self.convs = [_conv(k, s, _channels(c, width), f"conv{i}")
                      for i, (k, s, c) in enumerate(CONVOLUTIONS, 1)]
        self.norms = [layer_norm(name=f"norm{i}") for i in range(1, len(CONVOLUTIONS) + 1)]
        outputs = 2 * latent_dim if gaussian_posterior else latent_dim
        self.out = keras.layers.Dense(outputs, kernel_initializer=normal_init(), name="out",
                                      dtype=PREDICTION_DTYPE)

    def call(self, x, training=False):
        h = x
        for conv, norm in zip(self.convs, self.norms):
            h = ops.leaky_relu(norm(conv(h)), 0.1)
        features = ops.reshape(h, (ops.shape(h)[0], -1))
        project = unit_norm if self.projection == "sphere" else (lambda logits: logits)
        return encoder_outputs(features, self.out(features), project, self.gaussian_posterior,
                               self.max_log_variance)


@serializable
class Generator(keras.Model):
    """z -> images in [-1, 1] of side `resolution`.

    `learned_scale`: adds log σ, the learned standard deviation of the VAE's Gaussian decoder.
    """

    def __init__(self, resolution, width=1.0, learned_scale=False, channels=3, **kwargs):
        super().__init__(**kwargs)
        self.base = resolution // 8
        self.base_channels = _channels(512, width)
        self.project = keras.layers.Dense(self.base * self.base * self.base_channels,
                                          kernel_initializer=normal_init(), name="project")
        self.project_norm = layer_norm(name="project_norm")
        self.deconvs = [keras.layers.Conv2DTranspose(_channels(c, width), 4, 2, padding="same",
                                                     kernel_initializer=normal_init(),
                                                     name=f"deconv{i}")
                        for i, c in enumerate((256, 128, 64), 1)]
        self.norms = [layer_norm(name=f"norm{i}") for i in range(1, 4)]
        self.out = keras.layers.Conv2DTranspose(channels, 3, 1, padding="same",
                                                kernel_initializer=normal_init(), name="out",
                                                dtype=PREDICTION_DTYPE)
        self.log_scale = (self.add_weight(shape=(), initializer="zeros", name="log_scale")
                          if learned_scale else None)

    def call(self, z, training=False):
        h = ops.relu(self.project_norm(self.project(z)))
        h = ops.reshape(h, (-1, self.base, self.base, self.base_channels))
        for deconv, norm in zip(self.deconvs, self.norms):
            h = ops.relu(norm(deconv(h)))
        logits = self.out(h)
        return {"features": ops.reshape(h, (ops.shape(h)[0], -1)), "logits": logits,
                "output": ops.tanh(logits)}


class LatentBias(keras.layers.Layer):
    """A spectrally normalised 1x1 convolution of z, added to a feature map as a per-channel
    bias broadcast over height and width (A.3.2's Conv_SN(Z, n features)). On a 1x1xd_Z tensor
    that convolution is a spectrally normalised dense map of z."""

    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels
        self.conv = SpectralDense(channels, name="conv")

    def call(self, hidden, z, training=False):
        bias = self.conv(z, training=training)
        return hidden + ops.reshape(bias, (-1, 1, 1, self.channels))

    def get_config(self):
        return {**super().get_config(), "channels": self.channels}


@serializable
class Discriminator(keras.Model):
    """D(x), or D(x, z) with `latent_dim`; logits of `heads` final layers on one shared body.

    `logits` / `output` are head 0's ([batch]); `head_logits` holds every head ([batch, heads]).
    `latent_scale` multiplies z before every injection (1: A.3.2). The injections and the
    convolutions are spectrally normalised, so D cannot scale the code back up against the image
    (only the final FC is not, and it amplifies both alike): a diagnostic option that caps how
    much D's output can depend on the code alone (benchmarks/joint_d_probe.py), not the paper's.
    """

    def __init__(self, latent_dim=None, width=1.0, heads=1, latent_scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.takes_latent = latent_dim is not None
        self.latent_scale = latent_scale
        self.convs = [SpectralConv2D(_channels(c, width), k, s, name=f"conv{i}")
                      for i, (k, s, c) in enumerate(CONVOLUTIONS, 1)]
        if self.takes_latent:
            self.latent_biases = [LatentBias(_channels(c, width), name=f"latent{i}")
                                  for i, (_, _, c) in enumerate(CONVOLUTIONS, 1)]
        self.out = keras.layers.Dense(heads, kernel_initializer=normal_init(), name="out",
                                      dtype=PREDICTION_DTYPE)

    def call(self, x, z=None, training=False):
        if self.takes_latent and z is None:
            raise ValueError("This discriminator scores pairs (x, z): pass z")
        h = x
        if self.takes_latent and self.latent_scale != 1.0:
            z = z * self.latent_scale
        for i, conv in enumerate(self.convs):
            h = conv(h, training=training)
            if self.takes_latent:
                h = self.latent_biases[i](h, z, training=training)
            h = ops.leaky_relu(h, 0.1)
        features = ops.reshape(h, (ops.shape(h)[0], -1))
        head_logits = self.out(features)
        return {"features": features, "logits": head_logits[:, 0], "output": head_logits[:, 0],
                "head_logits": head_logits}
