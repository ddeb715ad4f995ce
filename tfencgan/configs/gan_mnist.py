"""Permutation-invariant MNIST, objective 'gan' (BiGAN paper, Table 1)."""

from tfencgan.configs import mnist_base


def get_config():
    return mnist_base.get_config("gan", d_steps=1)
