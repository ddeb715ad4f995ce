"""Permutation-invariant MNIST MLPs of the BiGAN paper (sec. 4.2, appendix C.1).

Each of D, G and E has two hidden layers of 1024 units: the first followed by a non-linearity, the
second by parameter-free batch normalisation and a non-linearity, then a linear prediction layer.
Leaky ReLU (0.2) in D and E, ReLU in G. Details the paper leaves open follow the authors' code
(shared/papers/README.md): no biases, N(0, 0.02) weights, BN epsilon 1e-8, z added to the
pre-activation of every linear layer of D after the first, outputs squashed by 2*sigmoid - 1.

Where the authors' released code (jeffdonahue/bigan `net.py`, `gan.py`) departs from the paper's
appendix C.1, an option gives its version (all off by default, the paper's text):
- `first_batch_norm` (G): batch norm after G's first hidden layer too (`deconvnet_mnist_mlp`);
- `input_skip` (G): z's own linear map added to G's second pre-activation, before BN, as D does;
- `latent_at_output=False` (D): z enters D's second hidden layer only, not the logit (the
  authors' logit is a plain linear map of D's features, `BinaryClassifier`);
- `zero_output_init` (D): D's logit layer starts at zero (`LinearPredictor(stddev=0)`).

Calling a network, `network(..., training=...)`, returns a dict of named tensors: `features` (the
penultimate layer, used for 1-NN evaluation), `logits` (the last linear layer) and `output`.
"""

import keras
from keras import ops

from tfencgan.networks.layers import (PREDICTION_DTYPE, LatentInjection, batch_norm,
                                      encoder_outputs, linear, serializable, squash, unit_norm)


ACTIVATIONS = {"relu": ops.relu, "leaky_relu": lambda h: ops.leaky_relu(h, 0.2)}
# How the prediction layer's logits become the output: into (-1, 1) (pixels, z ~ U(-1, 1)), or
# onto the unit sphere (AGE's latent space).
PROJECTIONS = {"squash": squash, "sphere": unit_norm, "linear": lambda logits: logits}


def to_unit_interval(x):
    """[-1, 1] pixels -> [0, 1], the range the BiGAN authors' MNIST networks see. The linear
    layers have no bias, so the range is not a detail: on [-1, 1] every first-layer unit gets an
    implicit bias -sum(W), tied to its weights and decayed with them."""
    return (x + 1.0) * 0.5


@serializable
class MLP(keras.Model):
    """Two hidden layers, BN on the second, a linear prediction layer squashed into (-1, 1).

    G is `MLP(784, "relu")` (pixels in [-1, 1]); E is `MLP(50, "leaky_relu")` (z matching
    U(-1, 1)^50).
    """

    def __init__(self, output_dim, activation, hidden_units=1024, batch_norm_epsilon=1e-8,
                 projection="squash", gaussian_posterior=False, learned_scale=False,
                 unit_interval_inputs=False, max_log_variance=None, first_batch_norm=False,
                 input_skip=False, **kwargs):
        super().__init__(**kwargs)
        self.unit_interval_inputs = unit_interval_inputs
        self.max_log_variance = max_log_variance
        if activation not in ACTIVATIONS:
            raise ValueError(f"Unknown activation {activation!r}; valid: {sorted(ACTIVATIONS)}")
        if projection not in PROJECTIONS:
            raise ValueError(f"Unknown output projection {projection!r}; valid: "
                             f"{sorted(PROJECTIONS)}")
        self.activation = ACTIVATIONS[activation]
        self.projection = PROJECTIONS[projection]
        self.hidden1 = linear(hidden_units, name="hidden1")
        self.norm1 = batch_norm(batch_norm_epsilon, name="norm1") if first_batch_norm else None
        self.hidden2 = linear(hidden_units, name="hidden2")
        self.inject2 = LatentInjection(hidden_units, name="inject2") if input_skip else None
        self.norm2 = batch_norm(batch_norm_epsilon, name="norm2")
        # A VAE encoder predicts a Gaussian posterior: mean and log-variance, unsquashed.
        self.gaussian_posterior = gaussian_posterior
        if gaussian_posterior:
            self.projection = PROJECTIONS["linear"]
        self.out = linear(2 * output_dim if gaussian_posterior else output_dim, name="out",
                          dtype=PREDICTION_DTYPE)
        # A VAE decoder's learned log σ.
        self.log_scale = (self.add_weight(shape=(), initializer="zeros", name="log_scale")
                          if learned_scale else None)

    def call(self, inputs, training=False):
        h = self.hidden1(to_unit_interval(inputs) if self.unit_interval_inputs else inputs)
        if self.norm1 is not None:
            h = self.norm1(h, training=training)
        h = self.hidden2(self.activation(h))
        if self.inject2 is not None:
            h = self.inject2(h, inputs)
        features = self.activation(self.norm2(h, training=training))
        return encoder_outputs(features, self.out(features), self.projection,
                               self.gaussian_posterior, self.max_log_variance)


@serializable
class MLPDiscriminator(keras.Model):
    """D(x) for a GAN, or D(x, z) for a BiGAN when `latent_dim` is given; outputs a logit.

    In the joint case the first linear layer sees x only; the second and (`latent_at_output`)
    the output layer each add their own linear map of z to the pre-activation, before batch
    normalisation.
    """

    def __init__(self, latent_dim=None, hidden_units=1024, batch_norm_epsilon=1e-8, heads=1,
                 unit_interval_inputs=False, max_log_variance=None, latent_at_output=True,
                 zero_output_init=False, **kwargs):
        super().__init__(**kwargs)
        self.unit_interval_inputs = unit_interval_inputs
        self.max_log_variance = max_log_variance
        self.takes_latent = latent_dim is not None
        self.hidden1 = linear(hidden_units, name="hidden1")
        self.hidden2 = linear(hidden_units, name="hidden2")
        self.norm2 = batch_norm(batch_norm_epsilon, name="norm2")
        # `heads` > 1: that many output layers on one shared body (the empirical study's two
        # discriminators of BiGAN + adversarial-X / -Z).
        self.out = linear(heads, name="out", dtype=PREDICTION_DTYPE,
                          initializer="zeros" if zero_output_init else None)
        self.inject2 = self.inject_out = None
        if self.takes_latent:
            self.inject2 = LatentInjection(hidden_units, name="inject2")
            if latent_at_output:
                self.inject_out = LatentInjection(heads, name="inject_out",
                                                  dtype=PREDICTION_DTYPE)

    def call(self, x, z=None, training=False):
        if self.takes_latent and z is None:
            raise ValueError("This discriminator scores pairs (x, z): pass z")
        if self.unit_interval_inputs:
            x = to_unit_interval(x)
        h = ops.leaky_relu(self.hidden1(x), 0.2)
        h = self.hidden2(h)
        if self.takes_latent:
            h = self.inject2(h, z)
        features = ops.leaky_relu(self.norm2(h, training=training), 0.2)
        head_logits = self.out(features)
        if self.inject_out is not None:
            head_logits = self.inject_out(head_logits, z)
        logits = head_logits[:, 0]
        return {"features": features, "logits": logits, "output": logits,
                "head_logits": head_logits}


@serializable
class MLPAutoencoder(keras.Model):
    """BEGAN's discriminator for flat data: an autoencoder x -> code -> D(x) in (-1, 1).

    Encoder and decoder each have one hidden layer (leaky ReLU 0.2 / ReLU) around a linear code of
    `code_units`; `features` is the code.
    """

    def __init__(self, output_dim, hidden_units=1024, code_units=64, **kwargs):
        super().__init__(**kwargs)
        self.takes_latent = False
        self.encode_hidden = linear(hidden_units, use_bias=True, name="encode_hidden")
        self.code = linear(code_units, use_bias=True, name="code")
        self.decode_hidden = linear(hidden_units, use_bias=True, name="decode_hidden")
        self.out = linear(output_dim, use_bias=True, name="out", dtype=PREDICTION_DTYPE)

    def call(self, x, z=None, training=False):
        code = self.code(ops.leaky_relu(self.encode_hidden(x), 0.2))
        logits = self.out(ops.relu(self.decode_hidden(code)))
        return {"features": code, "logits": logits, "output": squash(logits)}
