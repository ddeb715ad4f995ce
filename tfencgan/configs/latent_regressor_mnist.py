"""Permutation-invariant MNIST, objective 'latent_regressor' (BiGAN paper, Table 1)."""

from tfencgan.configs import mnist_base


def get_config():
    return mnist_base.get_config("latent_regressor", d_steps=1)
