"""Does a training step compute the same thing with and without XLA, given the same z?

Builds the same experiment twice from one config, replaces the latent draw with one fixed
batch (XLA and TensorFlow's own kernels draw different random streams from the same seed), runs
`--steps` steps of `train_step` compiled with and without XLA on the same real batch, and
prints the logged losses of each and, per variable, the relative difference of the two updates.
Rounding-level differences (losses to ~1e-6; Adam's first updates, ~sign(g), within a few %) mean
the two paths agree; a semantic difference would show as O(1).

  python benchmarks/xla_vs_graph_step.py [--config bigan_mnist] [--steps 3] \
      [--precision float32|mixed_bfloat16]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfencgan import configs, experiment  # noqa: E402
from tfencgan.networks.layers import variable_name  # noqa: E402


def run_steps(config_name, jit, steps, precision, batch=128):
    config = configs.load(config_name)
    config.data.limit = 8 * batch
    config.train.jit_compile, config.train.precision = jit, precision
    built = experiment.build(config)
    experiment.compile_trainer(built)
    fixed_z = tf.constant(np.random.default_rng(0).uniform(
        -1, 1, (batch, config.latent_dim)).astype(np.float32))
    built.trainer.sample_latent = lambda n: fixed_z
    step = tf.function(built.trainer.train_step, jit_compile=jit)
    x = tf.constant(built.train_data[0][:batch])
    before = {variable_name(net, role, v): v.numpy().copy()
              for role, net in built.networks.items() for v in net.variables}
    for _ in range(steps):
        logs = step(x)
    after = {variable_name(net, role, v): v.numpy()
             for role, net in built.networks.items() for v in net.variables}
    return before, after, {k: float(v) for k, v in logs.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="bigan_mnist")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--precision", default="float32")
    args = parser.parse_args()
    xla_before, xla_after, xla_logs = run_steps(args.config, True, args.steps, args.precision)
    graph_before, graph_after, graph_logs = run_steps(args.config, False, args.steps,
                                                      args.precision)
    print(f"logs after {args.steps} steps")
    for name in xla_logs:
        print(f"  {name:28s} XLA {xla_logs[name]:.7f}  graph {graph_logs[name]:.7f}")
    print("variable | update norm (XLA) | relative difference of the updates")
    for name in xla_after:
        if not np.array_equal(xla_before[name], graph_before[name]):
            raise AssertionError(f"{name}: the two builds start from different values")
        xla_update = xla_after[name] - xla_before[name]
        graph_update = graph_after[name] - graph_before[name]
        relative = (np.linalg.norm(xla_update - graph_update)
                    / max(np.linalg.norm(xla_update), 1e-30))
        print(f"  {name:58s} {np.linalg.norm(xla_update):.3e}  {relative:.2e}")


if __name__ == "__main__":
    main()
