"""The empirical study on CelebA 64x64, d_Z 128.

  --config=study_celeb_a                 BiGAN with the gradient penalty
  --config=study_celeb_a:bigan_x_ae      any objective by name (ml_collections' config argument)
"""

from tfencgan.configs import study_base


def get_config(objective="bigan_gp"):
    return study_base.get_config("celeb_a", objective or "bigan_gp")
