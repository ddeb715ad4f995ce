"""Why BEGAN's generator settles on "1"s on MNIST: its energy, the l1 error L(v) = |v - D(v)|,
grows with a digit's ink.

For a trained BEGAN work directory, prints per MNIST class (test digits): the mean ink (the
fraction of pixels above mid-grey), D's mean reconstruction error L(x), and, for generated
samples labelled by the packaged MNIST classifier, how many fall in each class and their L(G(z)).
Then the classifier's FID against the test digits of G(z) and of D(x), D's own reconstructions
of the test digits: at BEGAN's equilibrium G learns from what D reproduces, so D(x)'s FID says
how sharp D lets the samples become.

  python benchmarks/began_ink.py runs/began_mnist [--checkpoint PATH] [--samples 10000]
"""

import argparse

import keras
import numpy as np
import tensorflow as tf


def l1_errors(discriminator, images, batch_size=500):
    """(per-image mean |v - D(v)| (BEGAN's L with η = 1), the reconstructions D(v))."""
    errors, reconstructions = [], []
    for start in range(0, len(images), batch_size):
        batch = tf.constant(images[start:start + batch_size])
        reconstruction = discriminator(batch, training=False)["output"]
        errors.append(tf.reduce_mean(tf.abs(batch - reconstruction), axis=[1, 2, 3]).numpy())
        reconstructions.append(reconstruction.numpy())
    return np.concatenate(errors), np.concatenate(reconstructions)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir")
    parser.add_argument("--checkpoint", default=None)
    parser.add_argument("--samples", type=int, default=10000)
    args = parser.parse_args()

    from tfencgan import experiment as experiments
    from tfencgan import metrics
    from tfencgan.data import mnist
    from tfencgan.metrics import classifiers

    experiment, path, epoch = experiments.restore_for_evaluation(args.workdir, args.checkpoint)
    discriminator = experiment.networks["discriminator"]
    generator = experiment.networks["generator"]
    images, labels = mnist.load_mnist("test", flatten=False)
    real_errors, reconstructions = l1_errors(discriminator, images)
    ink = np.mean(images > 0.0, axis=(1, 2, 3))

    # The objective's own prior (BEGAN's U(-1, 1)), seeded.
    z = np.asarray(experiment.objective.sample_latent(
        args.samples, experiment.config.latent_dim, keras.random.SeedGenerator(0)))
    generated = np.concatenate([generator(z[i:i + 500], training=False)["output"].numpy()
                                for i in range(0, len(z), 500)])
    generated_errors, _ = l1_errors(discriminator, generated)
    classifier = classifiers.mnist_classifier()
    outputs = {name: classifier.outputs(v) for name, v in
               (("real", images), ("generated", generated), ("reconstructed", reconstructions))}
    generated_labels = np.argmax(outputs["generated"]["logits"], -1)

    print(f"{args.workdir}: {path} (epoch {epoch})")
    print("| class | test ink % | test L(x) | generated share % | generated L(G(z)) |")
    print("|---|---|---|---|---|")
    for digit in range(10):
        real, fake = labels == digit, generated_labels == digit
        fake_error = f"{generated_errors[fake].mean():.4f}" if fake.any() else "–"
        print(f"| {digit} | {100 * ink[real].mean():.1f} | {real_errors[real].mean():.4f} | "
              f"{100 * fake.mean():.1f} | {fake_error} |")
    print(f"| all | {100 * ink.mean():.1f} | {real_errors.mean():.4f} | 100 | "
          f"{generated_errors.mean():.4f} |")
    correlation = np.corrcoef(ink, real_errors)[0, 1]
    print(f"correlation of ink and L(x) over test digits: {correlation:.3f}")
    fid = {name: metrics.frechet_distance(outputs["real"]["activations"],
                                          outputs[name]["activations"])
           for name in ("generated", "reconstructed")}
    print(f"MNIST-classifier FID against the test digits: G(z) {fid['generated']:.1f}, "
          f"D(x) {fid['reconstructed']:.1f}")


if __name__ == "__main__":
    main()
