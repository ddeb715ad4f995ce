"""The empirical study on CIFAR-10 32x32, d_Z 64.

  --config=study_cifar10                 BiGAN with the gradient penalty
  --config=study_cifar10:bigan_x_ae      any objective by name (ml_collections' config argument)
"""

from tfencgan.configs import study_base


def get_config(objective="bigan_gp"):
    return study_base.get_config("cifar10", objective or "bigan_gp")
