"""The empirical study on ImageNet 64x64 with d_Z 128, the latent size of the paper's table 1
(appendix A.3.1 says 256: see study_imagenet64).

  --config=study_imagenet64_z128[:objective]
"""

from tfencgan.configs import study_base


def get_config(objective="bigan_gp"):
    return study_base.get_config("imagenet64", objective or "bigan_gp", latent_dim=128)
