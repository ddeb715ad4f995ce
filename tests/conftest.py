import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402

from tfencgan import configs  # noqa: E402
from tfencgan.networks import build_network  # noqa: E402

# One small instance of each network family, with its input shape, for tests over every family.
SMALL_NETWORK_SHAPES = {"mlp": (784,), "sndcgan": (32, 32, 1), "began": (28, 28, 1),
                        "dcgan": (28, 28, 1), "bigan_imagenet": (64, 64, 3)}
SMALL_NETWORK_OPTIONS = {"sndcgan": {"width": 0.125}, "began": {"filters": 4, "autoencoder": True},
                         "dcgan": {"filters": 8}, "bigan_imagenet": {"width": 0.125},
                         "mlp": {"hidden_units": 16}}


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: training checks that take tens of seconds")


@pytest.fixture
def small_network():
    """`small_network(family, role, joint=False)` -> (a network with a latent size of 8, the
    family's input shape)."""
    def build(family, role, joint=False):
        shape = SMALL_NETWORK_SHAPES[family]
        return build_network(family, role, shape, 8, joint, SMALL_NETWORK_OPTIONS[family]), shape
    return build


@pytest.fixture
def tiny_config():
    """bigan_mnist shrunk to seconds: 512 images, batch 64, small nets, 2 epochs."""
    config = configs.load("bigan_mnist")
    config.data.limit = 512
    config.data.batch_size = 64
    config.networks.options.hidden_units = 32
    config.train.epochs = 2
    config.train.eval_every_epochs = 0
    config.train.verbose = 0
    config.eval.bn_reestimate_batches = 2
    config.eval.splits = ("test",)
    config.eval.num_samples = 500
    return config
