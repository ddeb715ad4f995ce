"""The BiGAN paper's ImageNet networks (sec. 4.3, appendix C.2), for 64x64 images, z of 200.

- Encoder: AlexNet through conv5 (conv1 96 11x11/4, max-pool 3/2, conv2 256 5x5 in 2 groups,
  max-pool 3/2, conv3 384 3x3, conv4 384 3x3 in 2 groups, conv5 256 3x3 in 2 groups, max-pool
  3/2), local response normalisation removed, each convolution followed by batch normalisation
  with learned scale and bias and a leaky ReLU (C.2). "Through the fifth and last convolution
  layer": no pool5; conv5's output, flattened, is `features` (used for nearest neighbours), and
  a linear map of it gives z, squashed into (-1, 1) as for z ~ U(-1, 1)^200.
- Generator: DCGAN (Radford et al.): z -> FC 4x4x1024, then four 5x5 stride-2 transposed
  convolutions to 512, 256, 128 channels and 3, each but the last followed by batch norm and
  ReLU; tanh output.
- Discriminator: DCGAN: four 5x5 stride-2 convolutions of 64, 128, 256, 512 channels with leaky
  ReLU (0.2), batch norm on all but the first, then FC(1). D(x, z) for BiGAN: "D(x, z) takes
  data x as its initial input, and at each linear layer thereafter, the latent representation z
  is transformed using a learned linear transformation to the hidden layer dimension and added
  to the non-linearity input" (sec. 4): from the second convolution on, a linear map of z to
  that layer's channels is added to the convolution's output at every position (before batch
  norm, as the authors' MLP adds it before BN), and a linear map of z to the logit.
Weights start from N(0, 0.02). `width` scales the channel counts (1: as above).
"""

import keras
from keras import ops

from tfencgan.networks import dcgan
from tfencgan.networks.layers import (PREDICTION_DTYPE, LatentInjection, normal_init,
                                      serializable, squash)


def _channels(channels, width, groups=1):
    return max(groups, int(round(channels * width / groups)) * groups)


def _bn(name):
    return keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-5, name=name)


@serializable
class AlexNetEncoder(keras.Model):
    # (filters, kernel, stride, groups, max-pool after)
    LAYERS = ((96, 11, 4, 1, True), (256, 5, 1, 2, True), (384, 3, 1, 1, False),
              (384, 3, 1, 2, False), (256, 3, 1, 2, False))

    def __init__(self, latent_dim, width=1.0, **kwargs):
        super().__init__(**kwargs)
        self.convs, self.norms, self.pools = [], [], []
        for i, (filters, kernel, stride, groups, pool) in enumerate(self.LAYERS, 1):
            self.convs.append(keras.layers.Conv2D(
                _channels(filters, width, groups), kernel, stride, padding="same", groups=groups,
                use_bias=False, kernel_initializer=normal_init(), name=f"conv{i}"))
            self.norms.append(_bn(f"norm{i}"))
            self.pools.append(keras.layers.MaxPooling2D(3, 2, padding="same", name=f"pool{i}")
                              if pool else None)
        self.out = keras.layers.Dense(latent_dim, kernel_initializer=normal_init(), name="out",
                                      dtype=PREDICTION_DTYPE)

    def call(self, x, training=False):
        h = x
        for conv, norm, pool in zip(self.convs, self.norms, self.pools):
            h = ops.leaky_relu(norm(conv(h), training=training), 0.2)
            if pool is not None:
                h = pool(h)
        features = ops.reshape(h, (ops.shape(h)[0], -1))
        logits = self.out(features)
        return {"features": features, "logits": logits, "output": squash(logits)}


def DCGANGenerator(width=1.0, **kwargs):   # noqa: N802 (a network, named like the others)
    """DCGAN's 64x64 generator: tfencgan.networks.dcgan.Generator with 5x5 kernels, from
    4x4x1024 through 512, 256, 128 channels to 3 (times `width`)."""
    return dcgan.Generator(64, 3, filters=_channels(128, width), kernel_size=5, **kwargs)


@serializable
class DCGANDiscriminator(keras.Model):
    def __init__(self, latent_dim=None, width=1.0, **kwargs):
        super().__init__(**kwargs)
        self.takes_latent = latent_dim is not None
        self.convs = [keras.layers.Conv2D(_channels(c, width), 5, 2, padding="same",
                                          use_bias=i == 1, kernel_initializer=normal_init(),
                                          name=f"conv{i}")
                      for i, c in enumerate((64, 128, 256, 512), 1)]
        self.norms = [None] + [_bn(f"norm{i}") for i in range(2, 5)]
        self.out = keras.layers.Dense(1, kernel_initializer=normal_init(), name="out",
                                      dtype=PREDICTION_DTYPE)
        if self.takes_latent:   # z into every layer after the first: convolutions 2-4 and out
            self.injections = [None] + [LatentInjection(_channels(c, width), name=f"inject{i}")
                                        for i, c in enumerate((128, 256, 512), 2)]
            self.inject_out = LatentInjection(1, name="inject_out", dtype=PREDICTION_DTYPE)

    def call(self, x, z=None, training=False):
        if self.takes_latent and z is None:
            raise ValueError("This discriminator scores pairs (x, z): pass z")
        h = x
        for i, (conv, norm) in enumerate(zip(self.convs, self.norms)):
            h = conv(h)
            if self.takes_latent and i:
                h = self.injections[i](h, z[:, None, None, :])   # broadcast over positions
            h = ops.leaky_relu(h if norm is None else norm(h, training=training), 0.2)
        features = ops.reshape(h, (ops.shape(h)[0], -1))
        logits = self.out(features)
        if self.takes_latent:
            logits = self.inject_out(logits, z)
        logits = ops.squeeze(logits, -1)
        return {"features": features, "logits": logits, "output": logits}
