"""The empirical study at CPU scale: all its models on MNIST, trained, resumed, evaluated, tabled.

Trains gan_gp, bigan_gp, the eight GAN/BiGAN + {X-AE, Z-AE, adversarial-X, adversarial-Z} models
and the VAE with the packaged `study_mnist:<objective>` configs (SN-DCGAN networks narrowed by
--width, MNIST padded to 32x32x1, Adam 3e-4 with β 0.5/0.999, penalty 1, λ 1, one D step), each
seed in `<root>/<objective>/seed<N>` through `python -m pipelines.train` (rerunning resumes),
evaluated every epoch: FID(PX, PG), FID(PX, PG(E(X))) and Inception-L2 on the packaged MNIST
classifier's activations against the 10,000 test digits, pixel error ||x - G(E(x))|| beside
random pairs, latent error ||z - E(G(z))|| beside independent codes, 1-NN of E(x) on the test
digits against the 60,000 training digits. Each of the three study metrics is reported at its own
best evaluation (the paper's best-3 checkpoints per metric are kept in checkpoints/best/), the
other columns at the last one; with several seeds, mean ± sample std. Also prints the floors: real
test digits against real training digits.

  python benchmarks/study.py --root=runs/study_mnist [--epochs 4] [--width 0.125] \
      [--seeds 0,1] [--only bigan_gp gan_z_ae] [--override objective.params.lam=3] [--report_only] \
      [--claims] [--floors]
"""

import argparse
import json
import os
import subprocess
import sys

import numpy as np

from tfencgan.workdir import read_json

# gan_gp has no encoder: its row has FID(PX, PG) only.
MODELS = ("gan_gp", "bigan_gp", "gan_x_ae", "gan_z_ae", "gan_x_adversarial", "gan_z_adversarial",
          "bigan_x_ae", "bigan_z_ae", "bigan_x_adversarial", "bigan_z_adversarial", "vae")
STUDY_METRICS = ("test/fid", "test/fid_reconstruction", "test/inception_l2")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def workdir(root, objective, seed):
    return os.path.join(root, objective, f"seed{seed}")


def train(root, objective, seed, epochs, width, overrides):
    if seed_summary(workdir(root, objective, seed), epochs):
        return      # evaluated at `epochs` already (perhaps trained further for a longer table)
    cmd = [sys.executable, "-m", "pipelines.train", f"--config=study_mnist:{objective}",
           f"--workdir={workdir(root, objective, seed)}", f"--config.train.seed={seed}",
           f"--config.train.epochs={epochs}", f"--config.networks.options.width={width}",
           *(f"--config.{override}" for override in overrides)]
    print(" ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def seed_summary(path, epochs):
    """One seed's figures, or None before it has finished `epochs` epochs."""
    records = read_json(os.path.join(path, "metrics.json"), [])
    if not records or records[-1]["epoch"] < epochs:
        return None
    records = [r for r in records if r["epoch"] <= epochs]
    last = records[-1]
    summary = {"step": last["step"],
               "seconds": read_json(os.path.join(path, "timing.json"), {}).get("train_seconds")}
    for metric in STUDY_METRICS:        # each at its own best evaluation
        best = min(records, key=lambda r: r["metrics"].get(metric, np.inf))
        summary[metric] = best["metrics"].get(metric, np.nan)
        summary[f"{metric}@step"] = best["step"]
    for metric in ("test/reconstruction_error", "test/reconstruction_error_random_pairs",
                   "prior/latent_reconstruction_error",
                   "prior/latent_reconstruction_error_random_pairs",
                   "test/knn_accuracy/encoder_output", "test/knn_accuracy/encoder_penultimate"):
        summary[metric] = last["metrics"].get(metric, np.nan)
    # Pixel error as a fraction of random pairs' (1 = no reconstruction at all): comparable
    # across models whose samples differ in ink (a grey-blob G has close random pairs).
    summary["test/reconstruction_ratio"] = (summary["test/reconstruction_error"]
                                            / summary["test/reconstruction_error_random_pairs"])
    return summary


def cell(values, digits=2, scale=1.0):
    values = scale * np.asarray(values, float)
    if np.isnan(values).all():
        return "–"              # a metric the model has no network for (gan_gp: no encoder)
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{values.mean():.{digits}f} ± {values.std(ddof=1):.{digits}f}"


def floors():
    """FID of real test digits against real training digits through the same classifier, and
    the Inception-L2 of unrelated real pairs: what a perfect model would score."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    from tfencgan import data, metrics
    from tfencgan.metrics import classifiers
    classifier = classifiers.build_classifier("mnist")
    test, _ = data.load_arrays("mnist", "test", flatten=False, pad_to=32)
    train_images, _ = data.load_arrays("mnist", "train", 10000, flatten=False, pad_to=32)
    a = classifier.outputs(test)["activations"]
    b = classifier.outputs(train_images)["activations"]
    return {"fid": float(metrics.frechet_distance(a, b)),
            "inception_l2_random_pairs": float(metrics.inception_l2(a, np.roll(a, 1, 0)))}


def print_table(root, names, epochs):
    print("| model | seeds | FID(PX, PG) | FID(PX, PG(E(X))) | Inception-L2 | pixel ‖x − G(E(x))‖ "
          "(random pairs) | latent ‖z − E(G(z))‖ (independent) | 1-NN E(x) % | steps | "
          "train min |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    rows = {}
    for name in names:
        base = os.path.join(root, name)
        seeds = sorted(d for d in os.listdir(base) if d.startswith("seed")) \
            if os.path.isdir(base) else []
        found = [s for s in (seed_summary(os.path.join(base, d), epochs) for d in seeds) if s]
        if not found:
            continue
        rows[name] = found

        def col(key, digits=2, scale=1.0):
            return cell([s[key] for s in found], digits, scale)
        minutes = np.mean([s["seconds"] or np.nan for s in found]) / 60
        print(f"| {name} | {len(found)} | {col('test/fid', 1)} | "
              f"{col('test/fid_reconstruction', 1)} | {col('test/inception_l2')} | "
              f"{col('test/reconstruction_error')} ({col('test/reconstruction_error_random_pairs')}) | "
              f"{col('prior/latent_reconstruction_error')} "
              f"({col('prior/latent_reconstruction_error_random_pairs')}) | "
              f"{col('test/knn_accuracy/encoder_output', 2, 100)} | {found[0]['step']} | "
              f"{minutes:.0f} |")
    return rows


# Lower is better for every column but 1-NN accuracy.
CLAIM_METRICS = {"test/fid": "FID", "test/fid_reconstruction": "reconstruction FID",
                 "test/inception_l2": "Inception-L2",
                 "test/reconstruction_ratio": "pixel error / random pairs'",
                 "prior/latent_reconstruction_error": "latent error",
                 "test/knn_accuracy/encoder_output": "1-NN E(x)"}
RECONSTRUCTION = ("test/fid_reconstruction", "test/inception_l2", "test/reconstruction_ratio")
AE_AGAINST_ADVERSARIAL = [(f"{gan}_{space}_ae", f"{gan}_{space}_adversarial")
                          for gan in ("gan", "bigan") for space in ("x", "z")]


def versus(rows, a, b, metric):
    """How model a's seeds compare with model b's on one metric: 'better' when every seed of a
    beats every seed of b, 'worse' when every seed loses, 'overlap' otherwise."""
    va, vb = sorted(s[metric] for s in rows[a]), sorted(s[metric] for s in rows[b])
    if metric == "test/knn_accuracy/encoder_output":          # higher is better
        a_wins, b_wins = va[0] > vb[-1], vb[0] > va[-1]
    else:
        a_wins, b_wins = va[-1] < vb[0], vb[-1] < va[0]
    verdict = "better" if a_wins else "worse" if b_wins else "overlap"

    def values(v):
        return ", ".join(f"{x:.4g}" for x in v)
    return f"{verdict} ({values(va)} against {values(vb)})"


def print_claims(rows):
    """The paper's four claims, each as per-seed comparisons of the models it names."""
    def compare(a, b, metrics):
        if a not in rows or b not in rows:
            return print(f"  {a} against {b}: not run")
        for metric in metrics:
            print(f"  {a} against {b}, {CLAIM_METRICS[metric]}: {versus(rows, a, b, metric)}")
    print("(1) BiGAN + X-AE improves BiGAN's reconstructions:")
    compare("bigan_x_ae", "bigan_gp", RECONSTRUCTION)
    print("(2) GAN + Z-AE dominates BiGAN under all metrics:")
    compare("gan_z_ae", "bigan_gp", CLAIM_METRICS)
    print("(3) GAN + X-AE: among the best FID and Inception-L2, the worst reconstruction FID "
          "(rank by the seeds' mean, 1 = best):")
    for metric in ("test/fid", "test/inception_l2", "test/fid_reconstruction"):
        means = {name: np.mean([s[metric] for s in found]) for name, found in rows.items()
                 if not np.isnan(found[0][metric])}
        order = sorted(means, key=means.get)
        if "gan_x_ae" in order:
            print(f"  {CLAIM_METRICS[metric]}: rank {order.index('gan_x_ae') + 1} of "
                  f"{len(order)} ({', '.join(order)})")
    print("(4) the adversarial encoder losses do no better than the autoencoder losses:")
    for ae, adversarial in AE_AGAINST_ADVERSARIAL:
        compare(ae, adversarial, RECONSTRUCTION)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default="runs/study_mnist")
    parser.add_argument("--epochs", type=int, default=4)       # BUILD_NOTES.md's table: 3,124 steps
    parser.add_argument("--width", type=float, default=0.125)
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--only", nargs="*", default=MODELS)
    parser.add_argument("--override", action="append", default=[],
                        help="extra --config.FIELD=VALUE for every run")
    parser.add_argument("--report_only", action="store_true")
    parser.add_argument("--floors", action="store_true", help="also print the real-data floors")
    parser.add_argument("--claims", action="store_true",
                        help="also print the paper's four claims as per-seed comparisons")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    if not args.report_only:
        for seed in seeds:               # seed-major: every model gets its first seed early
            for name in args.only:
                train(args.root, name, seed, args.epochs, args.width, args.override)
    rows = print_table(args.root, args.only, args.epochs)
    if args.claims:
        print_claims(rows)
    if args.floors:
        print("floors (real test vs real training digits):", json.dumps(floors()))
    summary = os.path.join(args.root, f"study_epochs{args.epochs}.json")
    with open(summary + ".tmp", "w") as f:
        json.dump(rows, f, indent=1)
    os.replace(summary + ".tmp", summary)


if __name__ == "__main__":
    main()
