"""What does a joint discriminator D(x, z) look at? Its mean P(real) on the four pairings of
real / generated images with encoded / prior codes, from one checkpoint of a work directory.

  (x, E(x))      the real pairs D is trained to call real
  (G(z), z)      the generated pairs it is trained to call fake
  (x, z)         real images with prior codes
  (G(z), E(x))   generated images with encoded codes

A D that decides on the image ranks the rows by their image (x above G(z)); a D that decides on
the code alone ranks them by the code (E(x) above z, whatever the image), and then gives G no
signal about images: the failure of a BiGAN whose samples stay blobs. Also prints the mean norm
of E(x) against prior draws (the marginal of the code a D can tell apart without any image), and
D's sensitivity to each input on real pairs: the mean change of its logit when the batch's images
(or codes) are rolled by one, and the mean gradient norms ||dD/dx|| and ||dD/dz||. With
`--initial_widths`, the same sensitivities of freshly initialised discriminators of the run's
family at those widths (power iterations settled by 20 training calls).

  python benchmarks/joint_d_probe.py --workdir=runs/study_mnist/bigan_gp/seed0 [--count 512] \
      [--initial_widths 0.125,0.25,1]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfencgan import experiment  # noqa: E402
from tfencgan.networks import build_network  # noqa: E402


def sensitivity(discriminator, x, z):
    """Mean |logit change| when images / codes are rolled by one within the batch, and the mean
    gradient norms of the logit with respect to x and z."""
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        logits = discriminator(x, z)["logits"]
        total = tf.reduce_sum(logits)
    grad_x, grad_z = tape.gradient(total, x), tape.gradient(total, z)

    def change(a, b):
        return float(tf.reduce_mean(tf.abs(logits - discriminator(a, b)["logits"])))
    return {"logit change, images rolled": change(tf.roll(x, 1, 0), z),
            "logit change, codes rolled": change(x, tf.roll(z, 1, 0)),
            "mean ||dD/dx||": float(tf.reduce_mean(tf.norm(tf.reshape(grad_x, (len(x), -1)),
                                                           axis=1))),
            "mean ||dD/dz||": float(tf.reduce_mean(tf.norm(grad_z, axis=1)))}


def probe(workdir, count=512, seed=1, checkpoint=None, initial_widths=()):
    built, path, epoch = experiment.restore_for_evaluation(workdir, checkpoint)
    if not built.objective.joint_discriminator:
        raise ValueError(f"{workdir}: {built.objective.name} has no joint discriminator D(x, z)")
    images = built.train_data[0] if built.train_data is not None else built.grid_images
    x = tf.convert_to_tensor(images[np.random.default_rng(seed).choice(
        len(images), min(count, len(images)), replace=False)], tf.float32)
    z = built.objective.sample_latent(len(x), built.config.latent_dim, seed)
    nets = built.networks
    encoded, generated = nets["encoder"](x)["output"], nets["generator"](z)["output"]

    def real_probability(images, codes):
        return float(tf.reduce_mean(tf.sigmoid(nets["discriminator"](images, codes)["logits"])))
    result = {"checkpoint": path, "epoch": epoch,
              "(x, E(x))": real_probability(x, encoded),
              "(G(z), z)": real_probability(generated, z),
              "(x, z)": real_probability(x, z),
              "(G(z), E(x))": real_probability(generated, encoded),
              "norm E(x)": float(tf.reduce_mean(tf.norm(encoded, axis=1))),
              "norm z": float(tf.reduce_mean(tf.norm(z, axis=1))),
              **sensitivity(nets["discriminator"], x, encoded)}
    for width in initial_widths:
        fresh = build_network(built.config.networks.discriminator, "discriminator", x.shape[1:],
                              built.config.latent_dim, True, {"width": width})
        for _ in range(20):
            fresh(x[:8], z[:8], training=True)
        for name, value in sensitivity(fresh, x, z).items():
            result[f"initial, width {width}: {name}"] = value
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--checkpoint", default=None)
    parser.add_argument("--count", type=int, default=512)
    parser.add_argument("--initial_widths", default="",
                        help="comma-separated widths of freshly initialised Ds to measure too")
    args = parser.parse_args()
    widths = [float(w) for w in args.initial_widths.split(",") if w]
    result = probe(args.workdir, args.count, checkpoint=args.checkpoint, initial_widths=widths)
    print(f"{args.workdir} epoch {result.pop('epoch')} ({result.pop('checkpoint')})")
    for name, value in result.items():
        label = "P(real) on " + name if name.startswith("(") else name
        print(f"  {label:44s} {value:.3f}")


if __name__ == "__main__":
    main()
