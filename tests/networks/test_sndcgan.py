"""SN-DCGAN networks of the empirical study (appendix A.3.2)."""

import numpy as np
import pytest
import tensorflow as tf

from tfencgan.networks import build_network, sndcgan, spectral


def build(role, resolution=32, latent_dim=8, takes_latent=False, **options):
    return build_network("sndcgan", role, (resolution, resolution, 3), latent_dim, takes_latent,
                         options)


def test_layers_are_those_of_the_appendix():
    encoder = build("encoder", latent_dim=64)
    shapes = [tuple(conv.kernel.shape) for conv in encoder.convs]
    expected, channels_in = [], 3
    for kernel, stride, channels in sndcgan.CONVOLUTIONS:
        expected.append((kernel, kernel, channels_in, channels))
        channels_in = channels
    assert shapes == expected
    assert [conv.strides for conv in encoder.convs] == [(s, s) for _, s, _ in sndcgan.CONVOLUTIONS]
    assert tuple(encoder.out.kernel.shape) == (4 * 4 * 512, 64)       # 32 / 8 = 4
    generator = build("generator", latent_dim=64)
    assert tuple(generator.project.kernel.shape) == (64, 4 * 4 * 512)
    assert [d.filters for d in generator.deconvs] + [generator.out.filters] == [256, 128, 64, 3]
    z = tf.random.normal((2, 64))
    images = generator(z)["output"]
    assert images.shape == (2, 32, 32, 3) and float(tf.reduce_max(tf.abs(images))) <= 1.0
    assert encoder(images)["output"].shape == (2, 64)


def test_spectral_normalisation_makes_the_norm_one():
    discriminator = build("discriminator", width=0.25)
    x = tf.random.normal((4, 32, 32, 3))
    raw = [layer.kernel.numpy().copy() for layer in discriminator.convs]
    # One power iteration per training call; random kernels can have close top singular
    # values, so give it 100 (training runs thousands, with u carried across steps).
    for _ in range(100):
        discriminator(x, training=True)
    for layer, before in zip(discriminator.convs, raw):
        kernel = layer.normalized_kernel().numpy()       # what the layer computes with
        sigma = np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]
        assert sigma == pytest.approx(1.0, abs=0.02), layer.name
        np.testing.assert_array_equal(layer.kernel.numpy(), before)   # not rescaled in place


def test_spectral_gradient_is_that_of_the_reparameterisation():
    """d L(W / σ(W)) / dW = (G - <G, W/σ> v uᵀ) / σ with u, v the power iteration's (constant)
    vectors and G = dL/d(W/σ): the gradient flows through σ, unlike an in-place rescaling."""
    layer = spectral.SpectralDense(3)
    x = tf.constant(np.random.default_rng(0).normal(size=(5, 4)), tf.float32)
    layer(x)
    for _ in range(50):                      # converge u to the top right-singular vector
        layer.sigma(training=True)
    target = tf.constant(np.random.default_rng(1).normal(size=(5, 3)), tf.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(layer(x) - target))
    gradient = tape.gradient(loss, layer.kernel).numpy()
    w = layer.kernel.numpy()
    u = layer.u.numpy()
    v = w @ u / np.linalg.norm(w @ u)
    sigma = v @ w @ u
    assert sigma == pytest.approx(np.linalg.svd(w, compute_uv=False)[0], rel=1e-5)
    w_bar = w / sigma
    g = 2 * x.numpy().T @ (x.numpy() @ w_bar + layer.bias.numpy() - target.numpy())
    expected = (g - np.sum(g * w_bar) * np.outer(v, u)) / sigma
    np.testing.assert_allclose(gradient, expected, rtol=1e-4, atol=1e-5)
    assert np.abs(gradient - g / sigma).max() > 1e-3     # ∂σ/∂W matters here


def test_power_iteration_state_is_checkpointed(tmp_path):
    discriminator = build("discriminator", width=0.25)
    x = tf.random.normal((2, 32, 32, 3))
    for _ in range(3):
        discriminator(x, training=True)
    names = [v.path for v in discriminator.non_trainable_variables]
    assert sum("power_iteration_u" in n for n in names) == len(sndcgan.CONVOLUTIONS)
    checkpoint = tf.train.Checkpoint(d=discriminator)
    path = checkpoint.save(str(tmp_path / "ckpt"))
    before = discriminator(x)["logits"].numpy()
    for _ in range(3):
        discriminator(x, training=True)          # moves u
    assert not np.allclose(discriminator.convs[0].u.numpy(), 0)
    checkpoint.restore(path)
    np.testing.assert_allclose(discriminator(x)["logits"].numpy(), before, rtol=1e-6)


def test_latent_enters_every_layer_of_a_joint_discriminator():
    discriminator = build("discriminator", takes_latent=True, width=0.25)
    assert len(discriminator.latent_biases) == len(sndcgan.CONVOLUTIONS)
    x = tf.random.normal((2, 32, 32, 3))
    z1, z2 = tf.random.normal((2, 8), seed=1), tf.random.normal((2, 8), seed=2)
    a, b = discriminator(x, z1)["output"], discriminator(x, z2)["output"]
    assert float(tf.reduce_max(tf.abs(a - b))) > 1e-4
    with pytest.raises(ValueError, match="pass z"):
        discriminator(x)
    # Only the first layer's bias: changing z changes every layer's pre-activation.
    h = discriminator.convs[0](x)
    bias1 = discriminator.latent_biases[0](h, z1) - h
    assert bias1.shape == h.shape and np.allclose(bias1[:, 0, 0], bias1[:, 5, 7], atol=1e-6)


def test_latent_scale_multiplies_the_code_before_every_injection():
    x = tf.random.normal((2, 32, 32, 3))
    z1, z2 = tf.random.normal((2, 8), seed=1), tf.random.normal((2, 8), seed=2)
    blind = build("discriminator", takes_latent=True, width=0.25, latent_scale=0.0)
    assert np.allclose(blind(x, z1)["logits"], blind(x, z2)["logits"])
    half = build("discriminator", takes_latent=True, width=0.25, latent_scale=0.5)
    full = build("discriminator", takes_latent=True, width=0.25)
    full.set_weights(half.get_weights())
    np.testing.assert_allclose(half(x, z1)["logits"], full(x, 0.5 * z1)["logits"], rtol=1e-5)


def test_two_heads_share_everything_but_the_last_layer():
    discriminator = build("discriminator", takes_latent=True, width=0.25, heads=2)
    out = discriminator(tf.random.normal((3, 32, 32, 3)), tf.random.normal((3, 8)))
    assert out["head_logits"].shape == (3, 2)
    np.testing.assert_allclose(out["logits"], out["head_logits"][:, 0])
    assert tuple(discriminator.out.kernel.shape)[-1] == 2


def test_gaussian_posterior_and_learned_scale():
    encoder = build("encoder", gaussian_posterior=True, width=0.25)
    out = encoder(tf.random.normal((2, 32, 32, 3)))
    assert out["mean"].shape == out["log_variance"].shape == (2, 8)
    np.testing.assert_allclose(out["output"], out["mean"])
    generator = build("generator", learned_scale=True, width=0.25)
    assert generator.log_scale in generator.trainable_variables


def test_image_shape_is_checked():
    with pytest.raises(ValueError, match="multiple of 8"):
        build_network("sndcgan", "encoder", (30, 30, 3), 8)
    with pytest.raises(ValueError, match="no autoencoder discriminator"):
        build_network("sndcgan", "discriminator", (32, 32, 3), 8, options={"autoencoder": True})
