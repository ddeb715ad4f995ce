"""Runs `experiment.train` in a fresh process, as one task of a distributed test.

  python tests/distribute/train_task.py WORKDIR STRATEGY CPU_DEVICES CONFIG_JSON

CONFIG_JSON overrides fields of the packaged bigan_mnist config ({"data.limit": 64, ...}).
Logical CPU devices must be set before TensorFlow starts, hence a process per run.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main(workdir, strategy, cpu_devices, overrides):
    from absl import logging
    from tfencgan import configs, distributed, experiment
    logging.set_verbosity(logging.INFO)   # the tests read the replica count from the log
    if int(cpu_devices) > 1:
        distributed.split_cpu(int(cpu_devices))
    config = configs.load("bigan_mnist")
    for field, value in json.loads(overrides).items():
        *parents, leaf = field.split(".")
        node = config
        for parent in parents:
            node = node[parent]
        node[leaf] = tuple(value) if isinstance(value, list) else value
    config.strategy = strategy
    experiment.train(config, workdir)


if __name__ == "__main__":
    main(*sys.argv[1:])
