"""Trains a model; rerunning the same command on the same work directory resumes.

  python -m pipelines.train --workdir=/tmp/bigan --config=configs/bigan_mnist.py \
      --config.optimizer.lr=1e-4
"""

from absl import flags
from ml_collections import config_flags

import pipelines

_CONFIG = config_flags.DEFINE_config_file("config", None, "Experiment config file or name.")
_WORKDIR = flags.DEFINE_string("workdir", "runs/bigan_mnist", "Work directory (resumes if present).")


def main(argv):
    del argv
    from tfencgan import experiment
    experiment.train(_CONFIG.value, _WORKDIR.value)


def console_main():
    pipelines.run(main, default_config="bigan_mnist")


if __name__ == "__main__":
    console_main()
