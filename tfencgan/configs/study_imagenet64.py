"""The empirical study on ImageNet 64x64, d_Z 256 (A.3.1; the paper's table 1 says 128: see study_imagenet64_z128).

  --config=study_imagenet64                 BiGAN with the gradient penalty
  --config=study_imagenet64:bigan_x_ae      any objective by name (ml_collections' config argument)
"""

from tfencgan.configs import study_base


def get_config(objective="bigan_gp"):
    return study_base.get_config("imagenet64", objective or "bigan_gp")
