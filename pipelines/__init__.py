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


def quiet_tensorflow_logs():
    """Keeps TensorFlow's own Python INFO lines (per checkpoint shard, ...) out of the progress
    output; tfencgan's absl log lines stay."""
    import logging
    import os
    logging.getLogger("tensorflow").setLevel(logging.WARNING)

    def not_tensorflow_info(record):
        from_tensorflow = f"{os.sep}tensorflow{os.sep}" in record.pathname
        return record.levelno > logging.INFO or not from_tensorflow

    logging.getLogger("absl").addFilter(not_tensorflow_info)


def run(main, default_config=None):
    from absl import app
    quiet_tensorflow_logs()
    argv = sys.argv if default_config is None else resolve_config_flag(sys.argv, default_config)
    app.run(main, argv=argv)
