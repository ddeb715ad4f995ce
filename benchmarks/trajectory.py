"""A BiGAN run's evaluations over training, as the per-epoch tables of BUILD_NOTES.md.

Reads a work directory's (or a committed run record's) metrics.json, and the epoch means of D's
probability on generated pairs from `d_fake_prob.json` beside it when there is one (made by
`benchmarks/epoch_scalars.py --json`), and prints one markdown row per figure, one column per
evaluated epoch:

  python benchmarks/trajectory.py benchmarks/results/table1_ablation_latent_out/bigan_mnist/seed0 \
      [--label ablation] [--epochs 50,100,150]
"""

import argparse
import os

from tfencgan.workdir import METRICS_FILE, read_json

# (row label, how to format one evaluation's metrics); a row whose metrics are missing is left
# out, so D-feature runs (gan_mnist) print what they have.
ROWS = (
    ("validation / test 1-NN %", lambda m: "%.2f / %.2f" % (
        100 * m["validation/knn_accuracy/encoder_penultimate"],
        100 * m["test/knn_accuracy/encoder_penultimate"])),
    ("E(x) 1-NN validation %", lambda m: "%.2f" % (
        100 * m["validation/knn_accuracy/encoder_output"])),
    ("linear probe test %", lambda m: "%.2f" % (
        100 * m["test/linear_probe_accuracy/encoder_penultimate"])),
    ("FID (MNIST clf.)", lambda m: "%.1f" % m["test/fid"]),
    ("‖x − G(E(x))‖ validation (random pairs)", lambda m: "%.2f (%.2f)" % (
        m["validation/reconstruction_error"], m["validation/reconstruction_error_random_pairs"])),
)


def read_run(path):
    """({epoch: metrics}, {epoch: D's mean probability on generated pairs} or {})."""
    records = read_json(os.path.join(path, METRICS_FILE))
    if records is None:
        raise FileNotFoundError(f"No {METRICS_FILE} in {path}")
    evaluations = {record["epoch"]: record["metrics"] for record in records}
    saved = read_json(os.path.join(path, "d_fake_prob.json"))
    probabilities = {} if saved is None else {
        int(epoch): value for epoch, value in saved["epoch_mean_d_fake_prob"].items()}
    return evaluations, probabilities


def table(evaluations, probabilities, epochs=None, label=""):
    """Markdown lines: a header of epochs, then one row per figure the evaluations hold."""
    epochs = sorted(evaluations) if epochs is None else epochs
    prefix = f"{label}: " if label else ""
    lines = ["| epoch | " + " | ".join(map(str, epochs)) + " |",
             "|---|" + "---|" * len(epochs)]
    for name, cell in ROWS:
        cells = []
        for epoch in epochs:
            try:
                cells.append(cell(evaluations[epoch]))
            except KeyError:
                cells.append("–")
        if any(value != "–" for value in cells):
            lines.append(f"| {prefix}{name} | " + " | ".join(cells) + " |")
    if probabilities:
        cells = [("%.3f" % probabilities[e]) if e in probabilities else "–" for e in epochs]
        lines.append(f"| {prefix}D's mean probability on generated pairs (that epoch) | "
                     + " | ".join(cells) + " |")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run", help="a work directory or run record holding metrics.json")
    parser.add_argument("--label", default="", help="prefix of every row's name")
    parser.add_argument("--epochs", help="comma-separated epochs (default: every evaluation)")
    args = parser.parse_args()
    epochs = [int(e) for e in args.epochs.split(",")] if args.epochs else None
    print("\n".join(table(*read_run(args.run), epochs=epochs, label=args.label)))


if __name__ == "__main__":
    main()
