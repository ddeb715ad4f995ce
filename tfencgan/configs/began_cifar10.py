"""BEGAN on CIFAR-10 32x32 RGB (three scales 32, 16, 8): the settings of began_mnist (Keras'
Glorot-uniform weights among them), but the paper's γ = 0.5 (natural images have no MNIST-like
spread of ink) and no pulling-away term (BEGAN as published; the term has been measured on
MNIST only), on the CIFAR-10 JPEGs of shared/data (tfencgan/configs/cifar10_jpeg_base.py says
how to point at them).

Glorot, not N(0, 0.02): with N(0, 0.02) the ELU stacks start nearly silent and D's autoencoder
learns slowly (L(x) 0.217 after 30 epochs against 0.148), and G's samples, which follow what D
reconstructs, stayed grey-green blobs; with Glorot they have colour and a light/dark layout
after the same 4,200 steps (BUILD_NOTES.md, issue 15).
"""

from tfencgan.configs import began_mnist, cifar10_jpeg_base


def get_config():
    config = cifar10_jpeg_base.apply(began_mnist.get_config())
    config.objective.params.update({"gamma": 0.5, "pulling_away": 0.0})
    config.train.update({"epochs": 30, "eval_every_epochs": 10})
    config.eval.update({"bn_reestimate_batches": 0, "linear_probe": False})
    return config
