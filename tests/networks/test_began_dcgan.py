"""BEGAN's convolutional autoencoder and generator (BEGAN fig. 1) and the DCGAN-shaped networks
of AGE, at MNIST's 28x28x1 and CIFAR-10's 32x32x3."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfencgan.networks import began, build_network, dcgan


def test_began_scales_halve_to_seven_or_more():
    assert began.scales(28) == [28, 14, 7]
    assert began.scales(32) == [32, 16, 8]
    assert began.scales(64) == [64, 32, 16, 8]
    with pytest.raises(ValueError, match="BEGAN networks"):
        build_network("began", "generator", (13, 13, 1), 8)


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3)])
def test_began_autoencoder_follows_figure_1(shape):
    d = build_network("began", "discriminator", shape, 16,
                      options={"autoencoder": True, "filters": 4, "code_units": 16})
    encoder, decoder = d.encoder, d.decoder
    # Channels grow by n per scale; two 3x3 convolutions per scale; stride-2 sub-sampling.
    assert [c.filters for pair in encoder.convs for c in pair] == [4, 4, 8, 8, 12, 12]
    assert [c.filters for c in encoder.downsamples] == [8, 12]
    assert all(c.strides == (2, 2) for c in encoder.downsamples)
    assert all(c.kernel_size == (3, 3) for pair in decoder.convs for c in pair)
    base = shape[0] // 4
    assert decoder.project.units == base * base * 4
    x = tf.random.uniform((2,) + shape, -1, 1)
    out = d(x)
    assert out["output"].shape == (2,) + shape and out["features"].shape == (2, 16)
    generator = build_network("began", "generator", shape, 16, options={"filters": 4})
    assert generator(tf.random.uniform((3, 16), -1, 1))["output"].shape == (3,) + shape


def test_began_skip_connections_concatenate_the_upsampled_first_map():
    plain = began.Decoder(32, 3, 4, skip=False)
    skipped = began.Decoder(32, 3, 4, skip=True)
    z = tf.random.uniform((2, 8), -1, 1)
    plain(z), skipped(z)
    # Scales after the first see n more channels (h0 upsampled and concatenated).
    assert [int(p[0].kernel.shape[2]) for p in plain.convs] == [4, 4, 4]
    assert [int(p[0].kernel.shape[2]) for p in skipped.convs] == [4, 8, 8]


def test_began_generator_batch_norm_follows_its_projection_and_convolutions():
    generator = build_network("began", "generator", (28, 28, 1), 8,
                              options={"filters": 4, "generator_batch_norm": True})
    z = tf.random.uniform((16, 8), -1, 1)
    generator(z, training=True)
    # The projection and the two convolutions of each of the three scales.
    assert len(generator.norms) == 7
    # BN follows the projection: scaling its kernel and bias changes nothing in training.
    before = generator(z, training=True)["output"]
    for weight in generator.project.weights:
        weight.assign(weight * 10.0)
    # (to 1e-3: BN's epsilon weighs less once the variance is 100 times larger)
    np.testing.assert_allclose(generator(z, training=True)["output"], before, atol=1e-3)
    # Outputs for one z depend on the rest of the batch in training, not in inference.
    pair = tf.concat([z[:1], -z[:1]], 0)
    alone = generator(z[:1], training=False)["output"]
    np.testing.assert_allclose(generator(pair, training=False)["output"][:1], alone, atol=1e-5)
    assert not np.allclose(generator(pair, training=True)["output"][:1],
                           generator(z[:2], training=True)["output"][:1], atol=1e-4)
    plain = build_network("began", "generator", (28, 28, 1), 8, options={"filters": 4})
    assert not plain.norms
    # The option is the generator's: D's decoder stays as the paper draws it.
    d = build_network("began", "discriminator", (28, 28, 1), 8,
                      options={"autoencoder": True, "filters": 4, "generator_batch_norm": True})
    assert not d.decoder.norms


def test_began_discriminator_must_be_an_autoencoder():
    with pytest.raises(ValueError, match="autoencoder"):
        build_network("began", "discriminator", (28, 28, 1), 8)


def test_began_networks_round_trip_through_keras_files(tmp_path):
    d = build_network("began", "discriminator", (28, 28, 1), 8,
                      options={"autoencoder": True, "filters": 4, "code_units": 8})
    d.save(tmp_path / "d.keras")
    loaded = keras.saving.load_model(tmp_path / "d.keras")
    x = tf.random.uniform((2, 28, 28, 1), -1, 1)
    np.testing.assert_allclose(loaded(x)["output"], d(x)["output"], atol=1e-6)


def test_dcgan_stages_and_shapes():
    assert [dcgan.stages(s) for s in (28, 32, 64)] == [2, 3, 4]
    generator = build_network("dcgan", "generator", (32, 32, 3), 128, options={"filters": 8})
    assert [c.filters for c in generator.deconvs] == [16, 8, 3]
    assert generator.base == 4 and generator.base_channels == 32
    images = generator(tf.random.normal((2, 128)))["output"]
    assert images.shape == (2, 32, 32, 3) and float(tf.reduce_max(tf.abs(images))) <= 1.0
    encoder = build_network("dcgan", "encoder", (28, 28, 1), 10, options={"filters": 8})
    assert [c.filters for c in encoder.convs] == [8, 16]
    assert encoder.norms[0] is None                      # no batch norm on the first layer
    codes = encoder(tf.random.uniform((5, 28, 28, 1), -1, 1))["output"]
    np.testing.assert_allclose(np.linalg.norm(codes, axis=1), 1.0, rtol=1e-5)   # the sphere
    with pytest.raises(ValueError, match="DCGAN networks"):
        build_network("dcgan", "generator", (12, 12, 1), 10)
