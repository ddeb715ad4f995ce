"""Command-line binaries: each parses flags and calls one library function."""

import sys

from tfencgan import configs


def resolve_config_flag(argv, default_name):
    """Lets `--config` name a packaged config (`bigan_mnist`, `configs/bigan_mnist.py`) as well
    as a path, and defaults it to `default_name`: ml_collections itself only takes paths."""
    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg.startswith("--config="):
            argv[i] = "--config=" + configs.resolve(arg[len("--config="):])
            return argv
        if arg == "--config" and i + 1 < len(argv):
            argv[i + 1] = configs.resolve(argv[i + 1])
            return argv
    return argv[:1] + ["--config=" + configs.resolve(default_name)] + argv[1:]


def run(main, default_config):
    from absl import app
    app.run(main, argv=resolve_config_flag(sys.argv, default_config))
