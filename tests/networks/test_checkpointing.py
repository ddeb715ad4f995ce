"""Every variable of every network family reaches tf.train.Checkpoint and is restored by it.

Keras 3 keeps layers held in lists outside tf.train.Checkpoint's dependency graph; before
networks.layers fixed it, an SN-DCGAN encoder saved one of its fifteen layers.
"""

import numpy as np
import pytest
import tensorflow as tf

from tfencgan.networks import FAMILIES, build_network

SHAPES = {"mlp": (784,), "sndcgan": (32, 32, 1), "began": (28, 28, 1), "dcgan": (28, 28, 1),
          "bigan_imagenet": (64, 64, 3)}
SMALL = {"sndcgan": {"width": 0.125}, "began": {"filters": 4, "autoencoder": True}, "dcgan": {"filters": 8},
         "bigan_imagenet": {"width": 0.125}, "mlp": {"hidden_units": 16}}


@pytest.mark.parametrize("family,role", [(f, r) for f in FAMILIES for r in FAMILIES[f]
                                         if r != "inversion_discriminator"])
def test_every_variable_is_checkpointed_and_restored(family, role, tmp_path):
    joint = role == "discriminator" and family != "began"    # BEGAN's D is an autoencoder
    network = build_network(family, role, SHAPES[family], 8, joint, SMALL[family])
    path = tf.train.Checkpoint(net=network).save(str(tmp_path / "ckpt"))
    saved = [name for name, _ in tf.train.list_variables(path) if name.startswith("net/")]
    assert len(saved) == len(network.variables), (family, role)
    before = [v.numpy().copy() for v in network.variables]
    for v in network.variables:
        v.assign(tf.zeros_like(v) + 0.5)
    tf.train.Checkpoint(net=network).restore(path).assert_existing_objects_matched()
    for value, v in zip(before, network.variables):
        np.testing.assert_array_equal(v.numpy(), value, err_msg=v.path)
