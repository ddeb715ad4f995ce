"""Evaluates a checkpoint of a work directory, appends the metrics to its metrics.json and
(re)writes the checkpoint's sample, interpolation and reconstruction grids.

  python -m pipelines.evaluate --workdir=/tmp/bigan [--checkpoint=/tmp/bigan/checkpoints/ckpt-5] \
      [--knn_metric=cosine] [--bn_reestimate_batches=1000] [--splits=test,validation] \
      [--classifier=inception_v3:/path/weights.h5] [--num_samples=50000]
"""

import json

from absl import flags

import pipelines

_WORKDIR = flags.DEFINE_string("workdir", None, "Work directory of a training run.", required=True)
_CHECKPOINT = flags.DEFINE_string("checkpoint", None, "Checkpoint prefix, or best:<metric>; "
                                  "default: the latest.")
_KNN_METRIC = flags.DEFINE_enum("knn_metric", None, ["euclidean", "cosine"],
                                "Override the 1-NN distance of the run's config.")
_BN_BATCHES = flags.DEFINE_integer("bn_reestimate_batches", None,
                                   "Override the batches used to re-estimate BN statistics.")
_CLASSIFIER = flags.DEFINE_string(
    "classifier", None, "FID-family classifier: mnist, savedmodel:/dir, inception_v3[:/file.h5].")
_NUM_SAMPLES = flags.DEFINE_integer("num_samples", None, "Samples for the FID family.")
_SPLITS = flags.DEFINE_list("splits", None, "Override the query splits, e.g. test,validation.")


def main(argv):
    del argv
    from tfencgan import experiment
    overrides = {"knn_metric": _KNN_METRIC.value, "bn_reestimate_batches": _BN_BATCHES.value,
                 "splits": tuple(_SPLITS.value) if _SPLITS.value else None,
                 "classifier": _CLASSIFIER.value, "num_samples": _NUM_SAMPLES.value}
    overrides = {k: v for k, v in overrides.items() if v is not None}
    print(json.dumps(experiment.evaluate(_WORKDIR.value, _CHECKPOINT.value, overrides), indent=2))


def console_main():
    pipelines.run(main)


if __name__ == "__main__":
    console_main()
