"""BiGAN step time under MirroredStrategy with two replicas against one device, same global batch.

The CPU is split into two logical devices (tfencgan.distributed.split_cpu); both replicas share
the same cores, so on this machine the figure measures the strategy's overhead (splitting the
batch, all-reducing gradients and BN statistics), not a speed-up. On two GPUs the same command
measures scaling. Steps run through Keras `fit`, as in training; XLA is off in every row but the
last, because it cannot compile steps over CPU-mirrored variables.

  python benchmarks/distributed.py [--steps 100] [--batch 128]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tfencgan import distributed  # noqa: E402

distributed.split_cpu(2)

import tensorflow as tf  # noqa: E402

from tfencgan import configs, experiment  # noqa: E402


def seconds_per_step(strategy, batch, steps, jit=False, warmup=10):
    config = configs.load("bigan_mnist")
    config.data.limit, config.data.batch_size = batch * 4, batch
    config.train.jit_compile = jit
    config.strategy = strategy
    exp = experiment.build(config)
    experiment.compile_trainer(exp)
    dataset = tf.data.Dataset.from_tensors(exp.train_data[0][:batch]).repeat()
    exp.trainer.fit(dataset, epochs=1, steps_per_epoch=warmup, verbose=0)
    start = time.perf_counter()
    exp.trainer.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
    return (time.perf_counter() - start) / steps, exp.strategy.num_replicas_in_sync


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    one, _ = seconds_per_step("default", args.batch, args.steps)
    two, replicas = seconds_per_step("mirrored", args.batch, args.steps)
    one_jit, _ = seconds_per_step("default", args.batch, args.steps, jit=True)
    print(f"BiGAN MNIST, global batch {args.batch}, {os.cpu_count()} CPU cores, "
          f"TF {tf.__version__}, Keras fit")
    print(f"  one device, XLA off:          {one * 1e3:6.1f} ms/step")
    print(f"  mirrored, {replicas} replicas, XLA off: {two * 1e3:6.1f} ms/step "
          f"({two / one:.2f}x one device)")
    print(f"  one device, XLA on:           {one_jit * 1e3:6.1f} ms/step "
          f"(mirrored = {two / one_jit:.2f}x)")


if __name__ == "__main__":
    main()
