"""BEGAN's convolutional networks (Berthelot, Schumm, Metz, "BEGAN", sec. 3.5 and fig. 1).

The lecture slides (shared/papers/003_*) give BEGAN's objective, not its networks; these follow
the paper's figure 1:
- Encoder: a 3x3 convolution to n channels, then per scale two 3x3 convolutions, and between
  scales a 3x3 stride-2 convolution that "sub-samples" and raises the channels by n (n, 2n,
  3n, ...); every convolution is followed by an ELU. A fully connected map of the last scale to
  the embedding h of N_h units (`code_units`), with no non-linearity.
- Decoder: a fully connected map of h to base x base x n, then per scale two 3x3 convolutions
  with ELU, nearest-neighbour upsampling by 2 between scales, and a last 3x3 convolution to the
  image channels, with no non-linearity (the paper's figure; images here are in [-1, 1]).
- The generator has the decoder's architecture, with z in place of h; the discriminator is the
  autoencoder decoder(encoder(x)), whose pixel-wise l1 error the objective balances.
`skip` adds the later version's skip connections: the decoder's first map (base x base x n,
"h0") is upsampled to each scale and concatenated to that scale's input.
`batch_norm` (the generator only; not the paper's) normalises the decoder's first map and every
hidden convolution over the batch before its ELU, as the DCGAN-style generators with which Lucic
et al. ("Are GANs created equal?", 2018) trained BEGAN on MNIST: each hidden unit then has unit
variance across a batch of samples. It was tried against G's collapse onto one digit and does
not prevent it (BUILD_NOTES.md, issue 15); off by default.

Scales: the image side is halved while it stays even and at least 7, so 64 -> 8 (four scales),
32 -> 8 (three), MNIST's native 28 -> 7 (three). Weights start from Keras' Glorot-uniform (the
paper names none; these nets have no normalisation, and N(0, 0.02) leaves their ELU stacks
nearly silent at the start).

Calling a network returns the library's dict: the decoder {"features": its last feature map,
flattened, "logits": the image, "output": the image}; the autoencoder {"features": h, "logits",
"output": the reconstruction D(x)}.
"""

import keras
from keras import ops

from tfencgan.networks.layers import (PREDICTION_DTYPE, BatchNormalization, normal_init,
                                      serializable)


def scales(side):
    """Resolutions of the networks for images of `side`, largest first (e.g. 32 -> 32, 16, 8)."""
    sides = [side]
    while sides[-1] % 2 == 0 and sides[-1] // 2 >= 7:
        sides.append(sides[-1] // 2)
    return sides


def check_image_shape(data_shape):
    if len(data_shape) != 3 or data_shape[0] != data_shape[1] or len(scales(data_shape[0])) < 2:
        raise ValueError(f"BEGAN networks need square images whose side halves at least once "
                         f"to 7 or more (e.g. 28, 32, 64), got data shape {tuple(data_shape)}")


INITIALIZERS = ("glorot_uniform", "normal")


def _initializer(name):
    """Keras' Glorot-uniform, or "normal": N(0, 0.02) as DCGAN and tensorpack's BEGAN."""
    if name not in INITIALIZERS:
        raise ValueError(f"Unknown initializer {name!r}; valid: {list(INITIALIZERS)}")
    return normal_init() if name == "normal" else "glorot_uniform"


def _conv(channels, stride=1, name=None, initializer="glorot_uniform", dtype=None):
    return keras.layers.Conv2D(channels, 3, stride, padding="same",
                               kernel_initializer=_initializer(initializer), name=name,
                               dtype=dtype)


def _upsample(h, factor):
    return ops.repeat(ops.repeat(h, factor, axis=1), factor, axis=2)


@serializable
class Decoder(keras.Model):
    """h (or z) -> image of `side` x `side` x `channels`: BEGAN's generator and D's decoder."""

    def __init__(self, side, channels, filters=64, skip=False, output_activation="linear",
                 initializer="glorot_uniform", batch_norm=False, **kwargs):
        super().__init__(**kwargs)
        if output_activation not in ("linear", "tanh"):
            raise ValueError(f"Unknown output activation {output_activation!r}; valid: linear, "
                             f"tanh")
        self.sides = scales(side)[::-1]            # smallest first
        self.filters, self.skip = filters, skip
        self.output_activation = output_activation
        base = self.sides[0]
        self.project = keras.layers.Dense(base * base * filters, name="project",
                                          kernel_initializer=_initializer(initializer))
        self.convs = [(_conv(filters, name=f"conv{i}a", initializer=initializer),
                       _conv(filters, name=f"conv{i}b", initializer=initializer))
                      for i in range(len(self.sides))]
        self.out = _conv(channels, name="out", initializer=initializer, dtype=PREDICTION_DTYPE)
        # One normalisation per hidden map: the projection's, then two per scale.
        self.norms = ([BatchNormalization(momentum=0.9, epsilon=1e-5, name=f"norm{i}")
                       for i in range(1 + 2 * len(self.sides))] if batch_norm else [])

    def _activate(self, h, index, training):
        if self.norms:
            h = self.norms[index](h, training=training)
        return ops.elu(h)

    def call(self, h, training=False):
        base = self.sides[0]
        h0 = ops.reshape(self.project(h), (-1, base, base, self.filters))
        # Without normalisation h0 feeds the first convolution as the paper draws it (no
        # non-linearity); with it, the projection gets BN and ELU like every hidden layer.
        x = self._activate(h0, 0, training) if self.norms else h0
        for i, (first, second) in enumerate(self.convs):
            if i:
                x = _upsample(x, 2)
                if self.skip:
                    x = ops.concatenate([x, _upsample(h0, self.sides[i] // base)], axis=-1)
            x = self._activate(first(x), 1 + 2 * i, training)
            x = self._activate(second(x), 2 + 2 * i, training)
        logits = self.out(x)
        image = ops.tanh(logits) if self.output_activation == "tanh" else logits
        return {"features": ops.reshape(x, (ops.shape(x)[0], -1)), "logits": logits,
                "output": image}


@serializable
class Encoder(keras.Model):
    """image -> the embedding h of `code_units` (no non-linearity)."""

    def __init__(self, side, filters=64, code_units=64, initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        count = len(scales(side))
        init = initializer
        self.first = _conv(filters, name="in", initializer=init)
        self.convs = [(_conv(filters * (i + 1), name=f"conv{i}a", initializer=init),
                       _conv(filters * (i + 1), name=f"conv{i}b", initializer=init))
                      for i in range(count)]
        self.downsamples = [_conv(filters * (i + 2), stride=2, name=f"down{i}", initializer=init)
                            for i in range(count - 1)]
        self.code = keras.layers.Dense(code_units, name="code",
                                       kernel_initializer=_initializer(init))

    def call(self, x, training=False):
        h = ops.elu(self.first(x))
        for i, (first, second) in enumerate(self.convs):
            h = ops.elu(second(ops.elu(first(h))))
            if i < len(self.downsamples):
                h = ops.elu(self.downsamples[i](h))
        features = ops.reshape(h, (ops.shape(h)[0], -1))
        code = self.code(features)
        return {"features": code, "logits": code, "output": code}


@serializable
class Autoencoder(keras.Model):
    """BEGAN's discriminator D(x) = decoder(encoder(x)); `features` is the embedding h."""

    def __init__(self, side, channels, filters=64, code_units=64, skip=False,
                 output_activation="linear", initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        self.takes_latent = False
        self.encoder = Encoder(side, filters, code_units, initializer, name="encoder")
        self.decoder = Decoder(side, channels, filters, skip, output_activation, initializer,
                               name="decoder")

    def call(self, x, z=None, training=False):
        code = self.encoder(x, training=training)["output"]
        reconstruction = self.decoder(code, training=training)["output"]
        return {"features": code, "logits": reconstruction, "output": reconstruction}
