"""Reproduces Table 1 of the BiGAN paper: 1-NN accuracy on permutation-invariant MNIST.

Trains (or resumes) each objective with its packaged config in `<root>/<config>` and prints the
table beside the paper's figures. Rerunning continues where it stopped.

  python benchmarks/table1.py --root=runs/table1 [--epochs=100] [--only=bigan_mnist,gan_mnist]
"""

import argparse
import json
import os
import subprocess
import sys

PAPER = {"bigan_mnist": ("BiGAN", 97.39), "gan_mnist": ("D", 97.30),
         "latent_regressor_mnist": ("LR", 97.44),
         "joint_latent_regressor_mnist": ("JLR", 97.13),
         "autoencoder_l2_mnist": ("AE (l2)", 97.58), "autoencoder_l1_mnist": ("AE (l1)", 97.63)}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def feature_metric(name, split):
    space = "discriminator" if name == "gan_mnist" else "encoder"
    return f"{split}/knn_accuracy/{space}_penultimate"


def read(path, default):
    return json.load(open(path)) if os.path.exists(path) else default


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="runs/table1")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--only", default=",".join(PAPER))
    parser.add_argument("--report_only", action="store_true")
    args = parser.parse_args()
    names = args.only.split(",")
    if not args.report_only:
        for name in names:
            cmd = [sys.executable, "-m", "pipelines.train", f"--config={name}",
                   f"--workdir={os.path.join(args.root, name)}",
                   f"--config.train.epochs={args.epochs}", "--config.train.eval_every_epochs=25"]
            print(" ".join(cmd), flush=True)
            subprocess.run(cmd, cwd=ROOT, check=True)
    print_table(args.root, names)


def print_table(root, names):
    from tfencgan import data, evaluation
    # The evaluation protocol: test against all 60k training images, validation against 50k.
    references = {"test": "train_full", "validation": "train"}
    raw = {split: 100 * evaluation.raw_pixel_knn_accuracy(
        data.load_arrays("mnist", references[split]), data.load_arrays("mnist", split))
        for split in ("test", "validation")}
    print("| model | paper 1-NN % (400 epochs) | ours: test % | ours: validation % | "
          "E(x) output, validation % | reconstruction (random pairs) | epochs | train time |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| raw pixels | | {raw['test']:.2f} | {raw['validation']:.2f} | | | | |")
    for name in names:
        workdir = os.path.join(root, name)
        records = read(os.path.join(workdir, "metrics.json"), [])
        if not records:
            continue
        last, timing = records[-1], read(os.path.join(workdir, "timing.json"), {})
        m = last["metrics"]
        label, paper = PAPER[name]
        output = m.get("validation/knn_accuracy/encoder_output")
        recon = m.get("validation/reconstruction_error")
        recon_text = (f"{recon:.2f} ({m['validation/reconstruction_error_random_pairs']:.2f})"
                      if recon is not None else "")
        minutes = timing.get("train_seconds", float("nan")) / 60
        print(f"| {label} | {paper:.2f} | {100 * m[feature_metric(name, 'test')]:.2f} | "
              f"{100 * m[feature_metric(name, 'validation')]:.2f} | "
              f"{'' if output is None else f'{100 * output:.2f}'} | {recon_text} | "
              f"{last['epoch']} | {minutes:.0f} min |")


if __name__ == "__main__":
    main()
