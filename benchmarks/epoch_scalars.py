"""Epoch means of a logged training scalar, read back from a work directory's TensorBoard events.

Training writes each logged value at every epoch's end as `epoch/<name>`
(callbacks.ScalarSummaries). This prints them by epoch, the last value written for an epoch
winning (a resumed run rewrites the epoch it was interrupted in), and can save them as JSON
beside a run record, as
`benchmarks/results/table1_authors_400/bigan_mnist/seed*/d_fake_prob.json` were made:

  python benchmarks/epoch_scalars.py runs/table1_authors_400/bigan_mnist/seed1 \
      [--name d_fake_prob] [--every 25] [--json OUT.json]
"""

import argparse
import glob
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402


def epoch_values(workdir, name):
    """{epoch (1-based): value} of `epoch/<name>` over every event file of the work directory,
    in the order the files were written."""
    files = sorted(glob.glob(os.path.join(workdir, "tensorboard", "events.out.tfevents.*")),
                   key=os.path.getmtime)
    if not files:
        raise FileNotFoundError(f"No TensorBoard events under {workdir}/tensorboard")
    values = {}
    for path in files:
        for record in tf.data.TFRecordDataset(path):
            event = tf.compat.v1.Event.FromString(record.numpy())
            for value in event.summary.value:
                if value.tag == f"epoch/{name}":   # tf.summary (v2) writes a tensor
                    values[int(event.step)] = (float(tf.make_ndarray(value.tensor))
                                               if value.HasField("tensor") else value.simple_value)
    if not values:
        raise ValueError(f"No scalar epoch/{name} in {workdir}/tensorboard")
    steps = sorted(values)
    # Steps are epoch ends: the smallest step is one epoch's worth when the run starts at 0.
    per_epoch = steps[0] if len(steps) == 1 else min(b - a for a, b in zip(steps, steps[1:]))
    return {step // per_epoch: round(values[step], 4) for step in steps}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workdir")
    parser.add_argument("--name", default="d_fake_prob", help="logged scalar (without epoch/)")
    parser.add_argument("--every", type=int, default=25, help="print every N-th epoch")
    parser.add_argument("--json", help="also write {epoch_mean_<name>: {epoch: value}} here")
    args = parser.parse_args()
    values = epoch_values(args.workdir, args.name)
    for epoch, value in values.items():
        if epoch % args.every == 0 or epoch == 1:
            print(f"epoch {epoch}: {args.name} {value:.4f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({f"epoch_mean_{args.name}": {str(e): v for e, v in values.items()}}, f,
                      indent=1)


if __name__ == "__main__":
    main()
