"""BEGAN on CIFAR-10 32x32 RGB (three scales 32, 16, 8): the settings of began_mnist, but the
paper's γ = 0.5 (natural images have no MNIST-like spread of ink), on the CIFAR-10 JPEGs of
shared/data (tfencgan/configs/cifar10_jpeg_base.py says how to point at them).
"""

from tfencgan.configs import began_mnist, cifar10_jpeg_base


def get_config():
    config = cifar10_jpeg_base.apply(began_mnist.get_config())
    config.objective.params.gamma = 0.5
    config.train.update({"epochs": 30, "eval_every_epochs": 10})
    config.eval.update({"bn_reestimate_batches": 0, "linear_probe": False})
    return config
