"""A short CPU version of the empirical study: BiGAN and the study's 9 other models, same steps.

Trains bigan_gp, the 8 GAN/BiGAN + {X-AE, Z-AE, adversarial-X, adversarial-Z} models and the VAE
on the CIFAR-10 test JPEGs of ../shared/data at 32x32 (9,000 to train, 1,000 held out), with the
SN-DCGAN networks narrowed by --width, for the same number of steps, then prints one table:
pixel reconstruction error ||x - G(E(x))|| on the held-out images (in [0, 1] pixel units, with
the random-pairs baseline), latent reconstruction error ||z - E(G(z))|| for 1,000 z ~ N(0, I)
(with the baseline ||z - z'|| of independent codes; both from the evaluation's metrics.json), and 1-NN accuracy of E(x) on the CIFAR labels.
No FID: no Inception weights can be had offline, and the project has no CIFAR classifier.
Each model's work directory resumes, so a killed run continues where it stopped.

  python benchmarks/study.py --root=/tmp/study [--epochs 2] [--width 0.125] [--only bigan_gp]
"""

import argparse
import json
import os
import tarfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tfencgan import configs, experiment, workdir as wd  # noqa: E402

MODELS = ("bigan_gp", "gan_x_ae", "gan_z_ae", "gan_x_adversarial", "gan_z_adversarial",
          "bigan_x_ae", "bigan_z_ae", "bigan_x_adversarial", "bigan_z_adversarial", "vae")
SHARED_TAR = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data",
                          "cifar10-test-jpeg.tar")


def cifar_folder(root):
    folder = os.path.join(root, "cifar10-test")
    if not os.path.isdir(folder):
        with tarfile.open(SHARED_TAR) as tar:
            tar.extractall(root)
    return folder


def study_config(objective, folder, epochs, width):
    config = configs.load(f"study_cifar10:{objective}")
    config.data.options = {"source": "folder", "path": folder, "size": 32, "holdout": 1000}
    config.eval.splits, config.eval.references = ("validation",), {"validation": "train"}
    config.networks.options.width = width
    config.train.epochs, config.train.eval_every_epochs, config.train.verbose = epochs, 0, 2
    return config


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="/tmp/tfencgan_study")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--width", type=float, default=0.125)
    parser.add_argument("--only", nargs="*", default=MODELS)
    args = parser.parse_args()
    os.makedirs(args.root, exist_ok=True)
    folder = cifar_folder(args.root)
    rows = []
    for objective in args.only:
        workdir = os.path.join(args.root, objective)
        started = time.time()
        metrics = experiment.train(study_config(objective, folder, args.epochs, args.width),
                                   workdir)
        latent = metrics["prior/latent_reconstruction_error"]
        latent_random = metrics["prior/latent_reconstruction_error_random_pairs"]
        timing = wd.read_json(os.path.join(workdir, "timing.json"), default={})
        rows.append({"model": objective, "steps": args.epochs * (9000 // 64),
                     "pixel_error": metrics["validation/reconstruction_error"],
                     "pixel_random": metrics["validation/reconstruction_error_random_pairs"],
                     "latent_error": latent, "latent_random": latent_random,
                     "knn": metrics["validation/knn_accuracy/encoder_output"],
                     "train_seconds": timing.get("train_seconds"),
                     "seconds_this_run": round(time.time() - started, 1)})
        wd.write_json_atomic(os.path.join(args.root, "study.json"), rows)
    print(f"| model | steps | pixel ||x-G(E(x))|| (random pairs) | latent ||z-E(G(z))|| "
          f"(random) | 1-NN E(x) | train s |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['steps']} | {r['pixel_error']:.2f} ({r['pixel_random']:.2f}) "
              f"| {r['latent_error']:.2f} ({r['latent_random']:.2f}) | {r['knn']:.3f} "
              f"| {r['train_seconds']} |")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
