"""The best checkpoints per metric, as the empirical study keeps (best 3 by each metric).

After each evaluation, a checkpoint that ranks among the best `keep` values of a metric is
hard-linked into `checkpoints/best/<metric>/` (checkpoint files never change once written, so a
link costs no space and survives the CheckpointManager deleting the original); one that falls
out of every ranking is unlinked. `checkpoints/best/best.json` lists the rankings.
"""

import glob
import os
import re

from tfencgan import metric_directions
from tfencgan.workdir import read_json, write_json_atomic

def higher_is_better(metric):
    """True / False by the metric's declared direction (tfencgan.metric_directions); None for
    reference values (random pairs, kid_std), which rank nothing. Unknown metrics raise."""
    result = metric_directions.direction(metric)
    return None if result is None else result == "max"


def _folder(root, metric):
    return os.path.join(root, re.sub(r"[^A-Za-z0-9_.-]+", "_", metric))


def update_best(checkpoint_dir, checkpoint_path, step, metrics, keep=3):
    """Ranks `checkpoint_path` (evaluated at `step`) by every metric; returns the rankings."""
    root = os.path.join(checkpoint_dir, "best")
    os.makedirs(root, exist_ok=True)
    state_path = os.path.join(root, "best.json")
    rankings = read_json(state_path, default={})
    name = os.path.basename(checkpoint_path)
    for metric, value in metrics.items():
        direction = higher_is_better(metric)
        if direction is None or value is None or value != value:   # skip unranked and NaN
            continue
        entries = [e for e in rankings.get(metric, []) if e["step"] != step]
        entries.append({"step": step, "value": value, "checkpoint": name})
        entries.sort(key=lambda e: e["value"], reverse=direction)
        kept, dropped = entries[:keep], entries[keep:]
        folder = _folder(root, metric)
        os.makedirs(folder, exist_ok=True)
        if any(e["step"] == step for e in kept):
            for source in glob.glob(checkpoint_path + ".*"):
                target = os.path.join(folder, os.path.basename(source))
                if not os.path.exists(target):
                    os.link(source, target)
        for entry in dropped:
            for stale in glob.glob(os.path.join(folder, entry["checkpoint"] + ".*")):
                os.remove(stale)
        rankings[metric] = kept
    write_json_atomic(state_path, rankings)
    return rankings


def ranked_metrics(checkpoint_dir):
    """The metrics that have best checkpoints in `checkpoint_dir`."""
    return sorted(m for m, entries in read_json(os.path.join(checkpoint_dir, "best", "best.json"),
                                                default={}).items() if entries)


def best_checkpoint(checkpoint_dir, metric):
    """Path prefix of the best checkpoint by `metric`, or None if none was ranked yet; a metric
    that is unknown or ranks nothing is an error naming it."""
    metric_directions.ranking_direction(metric)
    rankings = read_json(os.path.join(checkpoint_dir, "best", "best.json"), default={})
    if not rankings.get(metric):
        return None
    return os.path.join(_folder(os.path.join(checkpoint_dir, "best"), metric),
                        rankings[metric][0]["checkpoint"])
