"""What does a joint discriminator D(x, z) look at? Its mean P(real) on the four pairings of
real / generated images with encoded / prior codes, from one checkpoint of a work directory.

  (x, E(x))      the real pairs D is trained to call real
  (G(z), z)      the generated pairs it is trained to call fake
  (x, z)         real images with prior codes
  (G(z), E(x))   generated images with encoded codes

A D that decides on the image ranks the rows by their image (x above G(z)); a D that decides on
the code alone ranks them by the code (E(x) above z, whatever the image), and then gives G no
signal about images: the failure of a BiGAN whose samples stay blobs. Also prints the mean norm
of E(x) against prior draws (the marginal of the code a D can tell apart without any image).

  python benchmarks/joint_d_probe.py --workdir=runs/study_mnist/bigan_gp/seed0 [--count 512]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from tfencgan import experiment  # noqa: E402


def probe(workdir, count=512, seed=1, checkpoint=None):
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
    return {"checkpoint": path, "epoch": epoch,
            "(x, E(x))": real_probability(x, encoded),
            "(G(z), z)": real_probability(generated, z),
            "(x, z)": real_probability(x, z),
            "(G(z), E(x))": real_probability(generated, encoded),
            "norm E(x)": float(tf.reduce_mean(tf.norm(encoded, axis=1))),
            "norm z": float(tf.reduce_mean(tf.norm(z, axis=1)))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--checkpoint", default=None)
    parser.add_argument("--count", type=int, default=512)
    args = parser.parse_args()
    result = probe(args.workdir, args.count, checkpoint=args.checkpoint)
    print(f"{args.workdir} epoch {result.pop('epoch')} ({result.pop('checkpoint')})")
    for name, value in result.items():
        label = "P(real) on " + name if name.startswith("(") else name
        print(f"  {label:24s} {value:.3f}")


if __name__ == "__main__":
    main()
