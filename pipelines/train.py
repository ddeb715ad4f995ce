"""Trains a model; rerunning the same command on the same work directory resumes.

  python -m pipelines.train --config=bigan_mnist [--workdir=runs/bigan_mnist]
      [--config.optimizer.lr=1e-4] [--print_config]

Without --workdir the run goes to runs/<config name> (runs/study_cifar10_vae for
--config=study_cifar10:vae).
"""

import os

from absl import flags
from ml_collections import config_flags

import pipelines

_CONFIG = config_flags.DEFINE_config_file("config", None, "Experiment config file or name.")
_WORKDIR = flags.DEFINE_string("workdir", None, "Work directory (resumes if present); default "
                               "runs/<config name>.")
_PRINT_CONFIG = flags.DEFINE_bool("print_config", False, "Print the resolved config, each field "
                                  "with its comment, and exit.")


def config_name():
    """'study_cifar10_vae' for --config=.../study_cifar10.py:vae."""
    path, _, argument = config_flags.get_config_filename(flags.FLAGS["config"]).partition(":")
    name = os.path.splitext(os.path.basename(path))[0]
    return f"{name}_{argument}" if argument else name


def main(argv):
    del argv
    if _PRINT_CONFIG.value:
        from tfencgan import configs
        print(configs.describe(_CONFIG.value,
                               config_flags.get_config_filename(flags.FLAGS["config"])))
        return
    from tfencgan import experiment
    experiment.train(_CONFIG.value, _WORKDIR.value or os.path.join("runs", config_name()))


def console_main():
    pipelines.run(main, default_config="bigan_mnist")


if __name__ == "__main__":
    console_main()
