"""ALI (Dumoulin et al.) on permutation-invariant MNIST: bigan_mnist's networks and schedule, the
encoder a Gaussian q(z|x) (the MLP's last layer gives mean and log-variance), z ~ N(0, I)^50.
The worked example of adding an objective (BUILD_NOTES.md, issue 17)."""

from tfencgan.configs import mnist_base


def get_config():
    return mnist_base.get_config("ali", d_steps=1)
