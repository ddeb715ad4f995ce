"""Permutation-invariant MNIST, objective 'bigan' (BiGAN paper, Table 1)."""

from tfencgan.configs import mnist_base


def get_config():
    return mnist_base.get_config("bigan", d_steps=1)
