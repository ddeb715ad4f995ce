"""Permutation-invariant MNIST, objective 'joint_latent_regressor' (BiGAN paper, Table 1)."""

from tfencgan.configs import mnist_base


def get_config():
    return mnist_base.get_config("joint_latent_regressor", d_steps=1, generator_weight=0.25)
