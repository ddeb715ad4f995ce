"""AGE on CIFAR-10 32x32 RGB: M = 128 (AGE sec. 3), DCGAN-shaped networks with three stride-2
stages (32 -> 4) and n = 64 filters, otherwise age_mnist's settings; data as
tfencgan/configs/cifar10_jpeg_base.py says.
"""

from tfencgan.configs import age_mnist, cifar10_jpeg_base


def get_config():
    config = cifar10_jpeg_base.apply(age_mnist.get_config())
    config.latent_dim = 128
    config.networks.options.filters = 64
    config.train.update({"epochs": 30, "eval_every_epochs": 10})
    config.eval.bn_reestimate_batches = 100
    return config
