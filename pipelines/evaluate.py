"""Evaluates a checkpoint of a work directory and appends the metrics to its metrics.json.

  python -m pipelines.evaluate --workdir=/tmp/bigan [--checkpoint=/tmp/bigan/checkpoints/ckpt-5]
"""

import json

from absl import flags

import pipelines

_WORKDIR = flags.DEFINE_string("workdir", None, "Work directory of a training run.", required=True)
_CHECKPOINT = flags.DEFINE_string("checkpoint", None, "Checkpoint prefix; default: the latest.")


def main(argv):
    del argv
    from tfencgan import experiment
    print(json.dumps(experiment.evaluate(_WORKDIR.value, _CHECKPOINT.value), indent=2))


def console_main():
    pipelines.run(main)


if __name__ == "__main__":
    console_main()
