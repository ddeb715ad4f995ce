"""Milliseconds per training step of each empirical-study model, batch 64, the paper's networks.

For each objective (bigan_gp, the 8 GAN/BiGAN + encoder-loss models, the VAE, wgan_gp) builds the
SN-DCGAN networks of appendix A.3.2 at full width for 32x32 images (CIFAR-10, d_Z 64) and times
`Trainer.train_step` on random data, in each `--precisions` (float32 and mixed bfloat16 by
default). A "step" is one full iteration of the objective's schedule (with d_steps = 1; wgan_gp
runs its 5 critic steps). XLA is off by default: compiling these double-backpropagating steps
takes minutes per model on this CPU; --xla times them compiled (the first-step column is then
the compile time).

FLOPs per step, two ways. Analytic (the fraction of peak): every convolution, transposed
convolution and dense layer that one eager step calls is counted from its shapes (2 · outputs ·
fan-in; transposed: 2 · inputs · k² · C_out), forward passes only. Every counted pass runs, and
the backward passes (input gradients, weight gradients where a player needs them, the gradient
penalty's double backward) come on top, so the count is a strict lower bound and the fraction of
peak (of the same-run matmul peak of the precision) a conservative one. (A flat 3x for training
over-counts: G's forward in the discriminator's phase needs no backward at all.) And
TensorFlow's profiler count of the traced step graph (`float_operation`), which includes ops the
runtime later prunes (it exceeds what the measured step time allows at this machine's peak): an
upper bound.

  python benchmarks/study_step.py [--steps 5] [--width 1] [--xla] [--only bigan_gp ...]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfencgan import networks, optimization, precision  # noqa: E402
from tfencgan.configs import study_base  # noqa: E402
from tfencgan.objectives import build_objective  # noqa: E402
from tfencgan.trainer import Trainer  # noqa: E402
from train_step import matmul_peak_gflops  # noqa: E402  (benchmarks/, the script's folder)

MODELS = ("bigan_gp", "gan_x_ae", "gan_z_ae", "gan_x_adversarial", "gan_z_adversarial",
          "bigan_x_ae", "bigan_z_ae", "bigan_x_adversarial", "bigan_z_adversarial", "vae",
          "wgan_gp")


def graph_flops(step, x):
    """Float operations of one traced step, from TensorFlow's profiler (None if it fails)."""
    from tensorflow.python.profiler import model_analyzer, option_builder
    options = option_builder.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    try:
        return model_analyzer.profile(step.get_concrete_function(x).graph,
                                      options=options).total_float_ops
    except Exception:     # the profiler is a TF1 tool; a failure costs a column, not the run
        return None


def _layer_flops(layer, inputs, outputs):
    from tfencgan.networks.spectral import SpectralConv2D, SpectralDense
    kernel = layer.kernel.shape
    if isinstance(layer, keras.layers.Conv2DTranspose):
        return 2 * int(np.prod(inputs.shape)) * kernel[0] * kernel[1] * kernel[2]
    if isinstance(layer, (keras.layers.Conv2D, SpectralConv2D)):
        return 2 * int(np.prod(outputs.shape)) * kernel[0] * kernel[1] * kernel[2]
    if isinstance(layer, (keras.layers.Dense, SpectralDense)):
        return 2 * int(np.prod(outputs.shape)) * kernel[0]
    return 0


def analytic_flops(trainer, x):
    """The forward FLOPs of every conv / dense call in one eager training step."""
    from tfencgan.networks.spectral import SpectralConv2D, SpectralDense
    classes = (keras.layers.Conv2D, keras.layers.Conv2DTranspose, keras.layers.Dense,
               SpectralConv2D, SpectralDense)
    total, originals = [0], {}
    for cls in classes:
        originals[cls] = cls.call

        def counted(self, inputs, *args, _call=originals[cls], **kwargs):
            outputs = _call(self, inputs, *args, **kwargs)
            if type(self) in originals and originals[type(self)] is _call:
                total[0] += _layer_flops(self, inputs, outputs)
            return outputs
        cls.call = counted
    try:
        trainer.train_step(x)
    finally:
        for cls, call in originals.items():
            cls.call = call
    return total[0]


def seconds_per_step(name, resolution, latent_dim, batch, steps, xla, width,
                     precision_name="float32", family="sndcgan"):
    objective = build_objective(name)
    keras.utils.set_random_seed(0)
    with precision.policy(precision_name):
        nets = networks.build_networks(
            {"generator": family, "encoder": family, "discriminator": family},
            objective.networks, (resolution, resolution, 3), latent_dim,
            objective.joint_discriminator, {"width": width}, objective.network_options)
    trainer = Trainer(nets, objective, latent_dim)
    config = study_base.get_config("cifar10", name).optimizer
    trainer.compile(optimization.build_optimizers(dict.fromkeys(objective.players, 10 ** 6),
                                                  config, precision_name))
    step = tf.function(trainer.train_step, jit_compile=xla)
    x = tf.random.uniform((batch, resolution, resolution, 3), -1, 1)
    started = time.perf_counter()
    float(step(x)[f"loss_{next(iter(objective.players))}"])
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(steps):
        logs = step(x)
    float(logs[f"loss_{next(iter(objective.players))}"])
    seconds = (time.perf_counter() - started) / steps
    parameters = sum(int(np.prod(v.shape)) for n in nets.values() for v in n.trainable_variables)
    return seconds, first, parameters, graph_flops(step, x), analytic_flops(trainer, x)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--resolution", type=int, default=32)
    parser.add_argument("--latent_dim", type=int, default=64)
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--xla", action="store_true")
    parser.add_argument("--only", nargs="*", default=MODELS)
    parser.add_argument("--precisions", nargs="*", default=("float32", "mixed_bfloat16"))
    parser.add_argument("--family", default="sndcgan",
                        help="network family; bigan_imagenet (with --resolution 64 --only bigan "
                             "--latent_dim 200) times the BiGAN paper's ImageNet step")
    args = parser.parse_args()
    peaks = {"float32": matmul_peak_gflops(dtype=tf.float32),
             "mixed_bfloat16": matmul_peak_gflops(dtype=tf.bfloat16),
             "mixed_float16": matmul_peak_gflops(dtype=tf.float16)}
    print(f"{args.family} width {args.width}, {args.resolution}x{args.resolution}, d_Z "
          f"{args.latent_dim}, batch {args.batch}, XLA {'on' if args.xla else 'off'}, "
          f"{os.cpu_count()} CPU cores, TF {tf.__version__}; matmul 1024^3 peaks: "
          + ", ".join(f"{k} {v:.0f} GFLOP/s" for k, v in peaks.items()))
    print("| model | precision | ms/step | vs float32 | first step (trace/compile) s | "
          "analytic GFLOP/step (lower bound) | fraction of peak (at least) | "
          "graph GFLOP/step (upper bound) | parameters |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in args.only:
        baseline = None
        for precision_name in args.precisions:
            seconds, first, parameters, flops, analytic = seconds_per_step(
                name, args.resolution, args.latent_dim, args.batch, args.steps, args.xla,
                args.width, precision_name, args.family)
            baseline = baseline or seconds
            rate = f"{flops / 1e9:.1f}" if flops else "n/a"
            fraction = analytic / seconds / 1e9 / peaks[precision_name]
            print(f"| {name} | {precision_name} | {seconds * 1e3:.0f} | "
                  f"{baseline / seconds:.2f}x | {first:.1f} | {analytic / 1e9:.1f} | "
                  f"{100 * fraction:.0f} % | {rate} | {parameters / 1e6:.2f} M |", flush=True)


if __name__ == "__main__":
    main()
