"""ms/step of one study_mnist model as it trains (its config, data pipeline and train function).

  taskset -c 1 python benchmarks/study_mnist_step.py bigan_gp --width 0.125 [--xla] \
      [--precision mixed_bfloat16]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tfencgan import configs, experiment, experiment_data  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("objective")
    parser.add_argument("--width", type=float, default=0.125)
    parser.add_argument("--xla", action="store_true")
    parser.add_argument("--precision", default="float32")
    parser.add_argument("--steps", type=int, default=15)
    args = parser.parse_args()
    config = configs.load(f"study_mnist:{args.objective}")
    config.networks.options.width = args.width
    config.train.jit_compile, config.train.precision = args.xla, args.precision
    config.data.limit = 2048
    built = experiment.build(config)
    experiment.compile_trainer(built)
    batches = iter(experiment_data.training_batches(built, 0, 50))
    built.trainer.make_train_function()
    started = time.perf_counter()
    built.trainer.train_function(iter([next(batches)]))
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(args.steps):
        built.trainer.train_function(iter([next(batches)]))
    print(f"{args.objective} width {args.width} XLA {args.xla} {args.precision}: first step "
          f"{first:.1f} s, {1000 * (time.perf_counter() - started) / args.steps:.0f} ms/step")


if __name__ == "__main__":
    main()
