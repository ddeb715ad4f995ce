"""Every variable of every network family reaches tf.train.Checkpoint and is restored by it.

Keras 3 keeps layers held in lists outside tf.train.Checkpoint's dependency graph; before
networks.layers fixed it, an SN-DCGAN encoder saved one of its fifteen layers.
"""

import numpy as np
import pytest
import tensorflow as tf

from tfencgan.networks import FAMILIES, build_network

@pytest.mark.parametrize("family,role", [(f, r) for f in FAMILIES for r in FAMILIES[f]
                                         if r != "inversion_discriminator"])
def test_every_variable_is_checkpointed_and_restored(family, role, tmp_path, small_network):
    joint = role == "discriminator" and family != "began"    # BEGAN's D is an autoencoder
    network, _ = small_network(family, role, joint)
    path = tf.train.Checkpoint(net=network).save(str(tmp_path / "ckpt"))
    saved = [name for name, _ in tf.train.list_variables(path) if name.startswith("net/")]
    assert len(saved) == len(network.variables), (family, role)
    before = [v.numpy().copy() for v in network.variables]
    for v in network.variables:
        v.assign(tf.zeros_like(v) + 0.5)
    tf.train.Checkpoint(net=network).restore(path).assert_existing_objects_matched()
    for value, v in zip(before, network.variables):
        np.testing.assert_array_equal(v.numpy(), value, err_msg=v.path)


def test_an_option_no_builder_of_the_family_takes_is_an_error():
    from tfencgan.networks import build_networks, family_options
    with pytest.raises(ValueError, match=r"family 'sndcgan' has no option\(s\) \['widht'\]; its "
                                         r"options: .*'width'"):
        build_network("sndcgan", "encoder", (32, 32, 1), 8, options={"widht": 0.5})
    assert "unit_interval_inputs" in family_options("mlp")
    # An option of one role of the family reaches that role only: the MLP generator takes no
    # unit_interval_inputs, the encoder does.
    nets = build_networks({"generator": "mlp", "encoder": "mlp", "discriminator": "mlp"},
                          ("generator", "encoder"), (784,), 8, False,
                          {"hidden_units": 16, "unit_interval_inputs": True})
    assert nets["encoder"].unit_interval_inputs and not nets["generator"].unit_interval_inputs


@pytest.mark.parametrize("family", ["mlp", "sndcgan"])
def test_the_inversion_discriminator_scores_pairs(family, small_network):
    network, _ = small_network(family, "inversion_discriminator")
    assert network.takes_latent and network.name == "inversion_discriminator"
