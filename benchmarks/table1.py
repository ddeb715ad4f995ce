"""Reproduces Table 1 of the BiGAN paper: 1-NN accuracy on permutation-invariant MNIST.

Trains (or resumes) each objective with its packaged config once per seed in
`<root>/<config>/seed<N>` and prints the table beside the paper's figures, each figure the mean ±
standard deviation over the seeds found. Rerunning continues where it stopped.

  python benchmarks/table1.py --root=runs/table1 [--epochs=100] [--seeds=0,1,2] \
      [--only=bigan_mnist,gan_mnist] [--override=FIELD=VALUE ...] [--report_only]

`--only=bigan_mnist_authors --epochs=400` trains the authors' networks on their schedule.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

from tfencgan.workdir import read_json

PAPER = {"bigan_mnist": ("BiGAN", 97.39), "gan_mnist": ("D", 97.30),
         "latent_regressor_mnist": ("LR", 97.44),
         "joint_latent_regressor_mnist": ("JLR", 97.13),
         "autoencoder_l2_mnist": ("AE (l2)", 97.58), "autoencoder_l1_mnist": ("AE (l1)", 97.63)}
# Configs that reproduce a paper row another way, run only when named in --only.
VARIANTS = {"bigan_mnist_authors": ("BiGAN, authors' nets", 97.39)}
ROWS = {**PAPER, **VARIANTS}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def feature_metric(name, split, kind="knn_accuracy"):
    space = "discriminator" if name == "gan_mnist" else "encoder"
    return f"{split}/{kind}/{space}_penultimate"


def workdir(root, name, seed):
    return os.path.join(root, name, f"seed{seed}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="runs/table1")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--only", default=",".join(PAPER))
    parser.add_argument("--report_only", action="store_true")
    parser.add_argument("--override", action="append", default=[],
                        help="extra --config.FIELD=VALUE for every run, e.g. "
                             "networks.options.unit_interval_inputs=True")
    args = parser.parse_args()
    names = args.only.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    if not args.report_only:
        for seed in seeds:          # seed-major: every row gets its first seed early
            for name in names:
                cmd = [sys.executable, "-m", "pipelines.train", f"--config={name}",
                       f"--workdir={workdir(args.root, name, seed)}",
                       f"--config.train.seed={seed}",
                       f"--config.train.epochs={args.epochs}",
                       "--config.train.eval_every_epochs=25",
                       *(f"--config.{override}" for override in args.override)]
                print(" ".join(cmd), flush=True)
                subprocess.run(cmd, cwd=ROOT, check=True)
    print_table(args.root, names, args.epochs)


def mean_std(values, scale=100.0):
    """'mean ± std (n)' of values * scale; std is the sample standard deviation over seeds."""
    values = scale * np.asarray(values, float)
    if len(values) == 1:
        return f"{values[0]:.2f} (1)"
    return f"{values.mean():.2f} ± {values.std(ddof=1):.2f} ({len(values)})"


def seed_dirs(root, name):
    """The run directory of every seed of `name` under `root`, in seed order."""
    rows = os.path.join(root, name)
    if not os.path.isdir(rows):
        return []
    return [os.path.join(rows, d) for d in sorted(os.listdir(rows)) if d.startswith("seed")]


def final_records(root, name, epochs):
    """The last metrics record of every seed of `name` that finished `epochs` epochs."""
    records = []
    for seed_dir in seed_dirs(root, name):
        found = [r for r in read_json(os.path.join(seed_dir, "metrics.json"), [])
                 if r["epoch"] == epochs]
        if found:
            timing = read_json(os.path.join(seed_dir, "timing.json"), {})
            records.append((found[-1]["metrics"], timing.get("train_seconds", float("nan"))))
    return records


def validation_selected(root, name, epochs):
    """Per seed that finished `epochs` epochs: (epoch, validation %, test %) of the evaluation
    with the best validation 1-NN among all of the run's evaluations up to `epochs` (the first
    on ties). Choosing on validation and scoring on test keeps the test figure unbiased."""
    validation, test = feature_metric(name, "validation"), feature_metric(name, "test")
    chosen = []
    for seed_dir in seed_dirs(root, name):
        records = [r for r in read_json(os.path.join(seed_dir, "metrics.json"), [])
                   if r["epoch"] <= epochs and validation in r["metrics"]]
        if not any(r["epoch"] == epochs for r in records):
            continue
        best = max(records, key=lambda r: (r["metrics"][validation], -r["epoch"]))
        chosen.append((best["epoch"], 100 * best["metrics"][validation],
                       100 * best["metrics"][test]))
    return chosen


def print_table(root, names, epochs):
    from tfencgan import data, evaluation
    # The evaluation protocol: test against all 60k training images, validation against 50k.
    references = {"test": "train_full", "validation": "train"}
    arrays = {split: (data.load_arrays("mnist", references[split]),
                      data.load_arrays("mnist", split)) for split in references}
    raw = {split: 100 * evaluation.raw_pixel_knn_accuracy(*arrays[split]) for split in arrays}
    probe = {split: 100 * evaluation.linear_probe_accuracy(
        arrays[split][0][0], arrays[split][0][1], arrays[split][1][0], arrays[split][1][1])
        for split in arrays}
    print(f"Means ± sample std over seeds (number of seeds in brackets), {epochs} epochs.")
    print("| model | paper 1-NN % (400 epochs) | 1-NN test % | 1-NN validation % | "
          "linear probe test % | E(x) output 1-NN, validation % | reconstruction "
          "(random pairs) | train min / seed |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| raw pixels | | {raw['test']:.2f} | {raw['validation']:.2f} | "
          f"{probe['test']:.2f} | | | |")
    for name in names:
        records = final_records(root, name, epochs)
        if not records:
            continue
        metrics = [m for m, _ in records]
        label, paper = ROWS[name]

        def column(key, scale=100.0):
            values = [m[key] for m in metrics if key in m]
            return mean_std(values, scale) if values else ""

        recon = column("validation/reconstruction_error", 1.0)
        if recon:
            recon = f"{recon} [{column('validation/reconstruction_error_random_pairs', 1.0)}]"
        minutes = np.mean([seconds for _, seconds in records]) / 60
        print(f"| {label} | {paper:.2f} | {column(feature_metric(name, 'test'))} | "
              f"{column(feature_metric(name, 'validation'))} | "
              f"{column(feature_metric(name, 'test', 'linear_probe_accuracy'))} | "
              f"{column('validation/knn_accuracy/encoder_output')} | {recon} | "
              f"{minutes:.0f} |")
    print("\nThe evaluation with the best validation 1-NN of each seed, scored on test "
          "(model selection on validation):")
    for name in names:
        chosen = validation_selected(root, name, epochs)
        if chosen:
            epochs_chosen = ", ".join(str(epoch) for epoch, _, _ in chosen)
            print(f"- {ROWS[name][0]}: test {mean_std([t for _, _, t in chosen], 1.0)}, "
                  f"validation {mean_std([v for _, v, _ in chosen], 1.0)} "
                  f"(epochs {epochs_chosen})")


if __name__ == "__main__":
    main()
