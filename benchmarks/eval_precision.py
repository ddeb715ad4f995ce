"""Does the precision the networks compute in at evaluation change a run's figures?

Restores the latest checkpoint of a work directory once per precision (weights are float32
under every policy), computes the run's metrics with each, and prints the feature and
reconstruction metrics side by side. Nothing is written to the run's metrics.json.

  python benchmarks/eval_precision.py --workdir=runs/table1/bigan_mnist/seed0 \
      [--precisions=float32,mixed_bfloat16]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from tfencgan import experiment, experiment_metrics  # noqa: E402

SHOWN = ("knn_accuracy", "linear_probe_accuracy", "reconstruction_error", "fid")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--precisions", default="float32,mixed_bfloat16")
    args = parser.parse_args()
    precisions = args.precisions.split(",")
    results = {}
    for precision in precisions:
        built, path, _ = experiment.restore_for_evaluation(args.workdir, precision=precision)
        results[precision], _ = experiment_metrics.compute_metrics(built)
    print(f"{path}: metrics computed in each precision")
    print("| metric | " + " | ".join(precisions) + " |")
    print("|---|" + "---|" * len(precisions))
    for key in sorted(results[precisions[0]]):
        if any(name in key for name in SHOWN):
            print(f"| {key} | " + " | ".join(f"{float(results[p][key]):.4f}"
                                             for p in precisions) + " |")


if __name__ == "__main__":
    main()
