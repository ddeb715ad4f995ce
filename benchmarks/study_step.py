"""Milliseconds per training step of each empirical-study model, batch 64, the paper's networks.

For each objective (bigan_gp, the 8 GAN/BiGAN + encoder-loss models, the VAE, wgan_gp) builds the
SN-DCGAN networks of appendix A.3.2 at full width for 32x32 images (CIFAR-10, d_Z 64) and times
`Trainer.train_step` on random data. A "step" is one full iteration of the objective's schedule
(with d_steps = 1; wgan_gp runs its 5 critic steps). XLA is off by default: compiling these
double-backpropagating steps takes minutes per model on this CPU; --xla times them compiled.

  python benchmarks/study_step.py [--steps 5] [--resolution 32] [--xla] [--only bigan_gp ...]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfencgan import networks, optimization  # noqa: E402
from tfencgan.configs import study_base  # noqa: E402
from tfencgan.objectives import build_objective  # noqa: E402
from tfencgan.trainer import Trainer  # noqa: E402

MODELS = ("bigan_gp", "gan_x_ae", "gan_z_ae", "gan_x_adversarial", "gan_z_adversarial",
          "bigan_x_ae", "bigan_z_ae", "bigan_x_adversarial", "bigan_z_adversarial", "vae",
          "wgan_gp")


def seconds_per_step(name, resolution, latent_dim, batch, steps, xla, width):
    objective = build_objective(name)
    keras.utils.set_random_seed(0)
    nets = networks.build_networks(
        {"generator": "sndcgan", "encoder": "sndcgan", "discriminator": "sndcgan"},
        objective.networks, (resolution, resolution, 3), latent_dim,
        objective.joint_discriminator, {"width": width}, objective.network_options)
    trainer = Trainer(nets, objective, latent_dim)
    config = study_base.get_config("cifar10", name).optimizer
    trainer.compile(optimization.build_optimizers(objective.players, config, 10 ** 6))
    step = tf.function(trainer.train_step, jit_compile=xla)
    x = tf.random.uniform((batch, resolution, resolution, 3), -1, 1)
    started = time.perf_counter()
    float(step(x)[f"loss_{next(iter(objective.players))}"])
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(steps):
        logs = step(x)
    float(logs[f"loss_{next(iter(objective.players))}"])
    parameters = sum(int(np.prod(v.shape)) for n in nets.values() for v in n.trainable_variables)
    return (time.perf_counter() - started) / steps, first, parameters


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--resolution", type=int, default=32)
    parser.add_argument("--latent_dim", type=int, default=64)
    parser.add_argument("--width", type=float, default=1.0)
    parser.add_argument("--xla", action="store_true")
    parser.add_argument("--only", nargs="*", default=MODELS)
    args = parser.parse_args()
    print(f"SN-DCGAN width {args.width}, {args.resolution}x{args.resolution}, d_Z "
          f"{args.latent_dim}, batch {args.batch}, XLA {'on' if args.xla else 'off'}, "
          f"{os.cpu_count()} CPU cores, TF {tf.__version__}")
    print("| model | ms/step | first step (trace/compile) s | parameters |")
    print("|---|---|---|---|")
    for name in args.only:
        seconds, first, parameters = seconds_per_step(name, args.resolution, args.latent_dim,
                                                      args.batch, args.steps, args.xla,
                                                      args.width)
        print(f"| {name} | {seconds * 1e3:.0f} | {first:.1f} | {parameters / 1e6:.2f} M |",
              flush=True)


if __name__ == "__main__":
    main()
