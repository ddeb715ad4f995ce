import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402

from tfencgan import configs  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: training checks that take tens of seconds")


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
