"""The permutation-invariant MNIST MLPs follow appendix C.1 and the authors' code."""

import re

import keras
import numpy as np
import pytest

from tfencgan.networks import FAMILIES, build_network


def weights_by_path(network):
    return {v.path: v for v in network.variables}


@pytest.mark.parametrize("role,takes_latent", [("generator", False), ("encoder", False),
                                               ("discriminator", False),
                                               ("discriminator", True)])
def test_no_biases_and_parameter_free_batch_norm(role, takes_latent):
    net = build_network("mlp", role, (784,), 50, takes_latent)
    trainable = net.trainable_variables
    assert all(len(v.shape) == 2 for v in trainable), [v.path for v in trainable]
    norms = [l for l in net._flatten_layers() if isinstance(l, keras.layers.BatchNormalization)]
    assert len(norms) == 1 and not norms[0].center and not norms[0].scale
    assert norms[0].epsilon == pytest.approx(1e-8)
    first_kernel = trainable[0].numpy()
    assert abs(first_kernel.std() - 0.02) < 0.002      # N(0, 0.02) initialisation


def test_shapes_and_output_ranges():
    x = np.random.default_rng(0).uniform(-1, 1, (5, 784)).astype(np.float32)
    z = np.random.default_rng(1).uniform(-1, 1, (5, 50)).astype(np.float32)
    g = build_network("mlp", "generator", (784,), 50)
    e = build_network("mlp", "encoder", (784,), 50)
    d = build_network("mlp", "discriminator", (784,), 50, takes_latent=True)
    gx, ez = g(z), e(x)
    assert gx["output"].shape == (5, 784) and ez["output"].shape == (5, 50)
    assert ez["features"].shape == (5, 1024)
    assert np.all(np.abs(gx["output"]) < 1) and np.all(np.abs(ez["output"]) < 1)
    assert d(x, z)["logits"].shape == (5,)
    # Hidden sizes as in the paper: 784 -> 1024 -> 1024 -> 50.
    assert [tuple(v.shape) for v in e.trainable_variables] == [(784, 1024), (1024, 1024),
                                                               (1024, 50)]


def test_latent_enters_every_linear_layer_after_the_first():
    d = build_network("mlp", "discriminator", (784,), 50, takes_latent=True)
    paths = sorted(v.path for v in d.trainable_variables)
    injected = [p for p in paths if "inject" in p]
    assert len(injected) == 2     # second hidden layer and output layer
    x = np.zeros((3, 784), np.float32)
    z1 = np.random.default_rng(0).uniform(-1, 1, (3, 50)).astype(np.float32)
    z2 = np.random.default_rng(1).uniform(-1, 1, (3, 50)).astype(np.float32)
    assert not np.allclose(d(x, z1)["output"], d(x, z2)["output"]), \
        "changing only z must change D(x, z)"
    with pytest.raises(ValueError, match="pass z"):
        d(x)


def test_unknown_family_lists_valid_ones():
    listed = re.escape(f"valid families: {sorted(FAMILIES)}")
    assert {"began", "bigan_imagenet", "dcgan", "mlp", "sndcgan"} <= set(FAMILIES)
    with pytest.raises(ValueError, match=listed):
        build_network("resnet", "encoder", (784,), 50)
    assert set(FAMILIES["mlp"]) == {"generator", "encoder", "discriminator",
                                    "inversion_discriminator"}


def test_unit_interval_inputs_feed_pixels_in_0_1_to_e_and_d():
    import numpy as np
    from tfencgan.networks import build_network
    x = np.random.default_rng(0).uniform(-1, 1, (4, 6)).astype(np.float32)
    z = np.random.default_rng(1).uniform(-1, 1, (4, 2)).astype(np.float32)
    for role, args in (("encoder", ()), ("discriminator", (z,))):
        plain = build_network("mlp", role, (6,), 2, role == "discriminator",
                              {"hidden_units": 4})
        unit = build_network("mlp", role, (6,), 2, role == "discriminator",
                             {"hidden_units": 4, "unit_interval_inputs": True})
        unit.set_weights(plain.get_weights())
        np.testing.assert_allclose(unit(x, *args)["output"],
                                   plain((x + 1) / 2, *args)["output"], rtol=1e-5)


def _batch_norm(h, epsilon=1e-8):
    return (h - h.mean(0)) / np.sqrt(h.var(0) + epsilon)


def test_authors_code_generator_normalises_both_layers_and_adds_z_to_the_second():
    """The BiGAN authors' `deconvnet_mnist_mlp`: relu(BN(z W1)), then relu(BN(h W2 + z Wz))."""
    from tfencgan.networks import build_network
    z = np.random.default_rng(0).uniform(-1, 1, (6, 3)).astype(np.float32)
    generator = build_network("mlp", "generator", (5,), 3, False,
                              {"hidden_units": 4, "generator_first_batch_norm": True,
                               "generator_latent_skip": True})
    outputs = generator(z, training=True)
    w1 = generator.hidden1.kernel.numpy()
    w2 = generator.hidden2.kernel.numpy()
    wz = generator.inject2.projection.kernel.numpy()
    w_out = generator.out.kernel.numpy()
    h = np.maximum(_batch_norm(z @ w1), 0)
    features = np.maximum(_batch_norm(h @ w2 + z @ wz), 0)
    np.testing.assert_allclose(outputs["features"], features, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(outputs["output"], 2 / (1 + np.exp(-features @ w_out)) - 1,
                               rtol=1e-4, atol=1e-5)
    plain = build_network("mlp", "generator", (5,), 3, False, {"hidden_units": 4})
    plain(z)
    assert plain.norm1 is None and plain.inject2 is None


def test_authors_code_discriminator_logit_is_a_zero_initialised_map_of_features_only():
    """The authors' `BinaryClassifier`: z reaches D's second layer only; the logit layer
    starts at zero."""
    from tfencgan.networks import build_network
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (6, 5)).astype(np.float32)
    z = rng.uniform(-1, 1, (6, 3)).astype(np.float32)
    options = {"hidden_units": 4, "discriminator_latent_at_output": False,
               "discriminator_zero_output_init": True}
    discriminator = build_network("mlp", "discriminator", (5,), 3, True, options)
    outputs = discriminator(x, z, training=True)
    assert discriminator.inject_out is None
    np.testing.assert_array_equal(outputs["logits"], np.zeros(6, np.float32))
    w_out = rng.normal(size=(4, 1)).astype(np.float32)
    discriminator.out.kernel.assign(w_out)
    outputs = discriminator(x, z, training=True)
    np.testing.assert_allclose(outputs["logits"], (outputs["features"].numpy() @ w_out)[:, 0],
                               rtol=1e-5, atol=1e-6)
    default = build_network("mlp", "discriminator", (5,), 3, True, {"hidden_units": 4})
    default(x, z)
    assert default.inject_out is not None
    assert np.abs(default.out.kernel.numpy()).max() > 0
