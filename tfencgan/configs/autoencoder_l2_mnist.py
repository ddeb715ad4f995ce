"""Permutation-invariant MNIST, objective 'autoencoder_l2' (BiGAN paper, Table 1)."""

from tfencgan.configs import mnist_base


def get_config():
    return mnist_base.get_config("autoencoder_l2")
