"""Searches hyper-parameters of an experiment with keras-tuner; rerun to resume.

  python -m tuning.search --config=bigan_mnist --project_dir=runs/search \
      --metric=validation/knn_accuracy/encoder_penultimate --algorithm=grid \
      --search=optimizer.lr=1e-4,3e-4,1e-3 --search=objective.params.d_steps=1,2

Without --search, the empirical study's grid for the config's objective (tuning/hypermodel.py).
Writes <project_dir>/trials.csv and summary.json, and prints the table, the best 3 trials per
metric and the command that exports the best one.
"""

import csv
import json
import os
import traceback

from absl import flags
from absl import logging
from ml_collections import config_flags

from tfencgan.workdir import last_metrics
from tuning import ALGORITHMS, SearchError

_CONFIG = config_flags.DEFINE_config_file("config", None, "Experiment config file or name.")
_PROJECT_DIR = flags.DEFINE_string("project_dir", "runs/search", "Search directory (resumes).")
_METRIC = flags.DEFINE_string("metric", "validation/knn_accuracy/encoder_penultimate",
                              "Metric of the evaluation to optimise.")
_DIRECTION = flags.DEFINE_enum("direction", None, ["min", "max"],
                               "Default: max for accuracies and IS, min otherwise.")
_ALGORITHM = flags.DEFINE_enum("algorithm", "grid", list(ALGORITHMS), "Search algorithm.")
_SEARCH = flags.DEFINE_multi_string("search", [], "FIELD=VALUE,VALUE,...; repeatable.")
_MAX_TRIALS = flags.DEFINE_integer("max_trials", 50, "Most trials to run.")
_MAX_EPOCHS = flags.DEFINE_integer("max_epochs", None, "Hyperband's largest budget "
                                   "(default config.train.epochs).")
_SEED = flags.DEFINE_integer("seed", 0, "Seed of the search algorithm.")


def run_search(config, project_dir, metric, direction=None, algorithm="grid", search=(),
               max_trials=50, max_epochs=None, seed=0):
    """Runs (or resumes) the search; returns the summary (see `summarize`).

    A resumed search must have the same base config, space, metric and algorithm (recorded in
    `<project_dir>/search.json`): otherwise its trials would be ranked against trials of another
    search. Raises SearchError if it differs, or if no trial completed.
    """
    from tuning import hypermodel as hm, tuner as tn
    space = hm.parse_space(search) if search else hm.default_space(config)
    _check_same_search(project_dir, {
        "config": json.loads(config.to_json()), "space": [[f, list(v)] for f, v in space],
        "metric": metric, "algorithm": algorithm, "max_epochs": max_epochs, "seed": seed})
    hypermodel = hm.TrainerHyperModel(config, space)
    direction = direction or tn.direction_of(metric)
    oracle = tn.make_oracle(algorithm, hypermodel, metric, direction, max_trials, seed,
                            max_epochs)
    tuner = tn.ExperimentTuner(hypermodel, oracle, directory=os.path.dirname(
        os.path.abspath(project_dir)), project_name=os.path.basename(os.path.abspath(project_dir)),
        overwrite=False)
    retry_fixable_failures(tuner)
    tuner.search()
    summary = summarize(tuner, project_dir, [field for field, _ in space], metric, direction)
    if summary["trials"] and not any(t["status"] == "COMPLETED" for t in summary["trials"]):
        reasons = sorted({t["reason"] for t in summary["trials"] if t["reason"]})
        raise SearchError(f"No trial of {project_dir} completed ({len(summary['trials'])} "
                          f"failed); reasons: {reasons}")
    return summary


def retry_fixable_failures(tuner):
    """Reruns, once per rerun of the search, every trial that failed for a reason other than
    divergence (a full disk, a killed process, a missing file): keras-tuner records them as
    finished and would never run them again. Diverged trials (NaN losses) stay failed: their
    values are the reason."""
    import keras_tuner
    for trial in list(tuner.oracle.trials.values()):
        if trial.status not in ("FAILED", "INVALID") or "diverged:" in (trial.message or ""):
            continue
        logging.info("Retrying trial %s, which failed with: %s", trial.trial_id,
                     (trial.message or "").strip().splitlines()[-1:])
        try:
            metrics = tuner.run_trial(trial)
            tuner.oracle.update_trial(trial.trial_id, metrics)
            trial.status, trial.message = "COMPLETED", None
        except keras_tuner.errors.FatalError:
            raise
        except Exception:   # recorded, as keras-tuner records a failed trial
            trial.status, trial.message = "FAILED", traceback.format_exc()
        tuner.oracle.end_trial(trial)


def _check_same_search(project_dir, search):
    path = os.path.join(project_dir, "search.json")
    if os.path.exists(path):
        with open(path) as f:
            saved = json.load(f)
        changed = sorted(key for key in search if saved.get(key) != search[key])
        if changed:
            fields = sorted(k for k in set(saved["config"]) | set(search["config"])
                            if saved["config"].get(k) != search["config"].get(k))
            raise SearchError(f"{project_dir} holds a search with a different {changed} "
                              f"(config sections {fields}); use a new --project_dir, or rerun "
                              f"the same command to resume")
        return
    os.makedirs(project_dir, exist_ok=True)
    with open(path, "w") as f:
        json.dump(search, f, indent=2)


def summarize(tuner, project_dir, fields, metric, direction):
    """trials.csv and summary.json in `project_dir`: every trial's values, status, failure
    reason and final metrics; the best 3 per metric; the export command of the best trial."""
    from tfencgan import metric_directions
    rows = []
    def numeric(item):
        return int(item[0]) if item[0].isdigit() else item[0]

    for trial_id, trial in sorted(tuner.oracle.trials.items(), key=numeric):
        run_dir = tuner.run_dir(trial_id)
        reason = ""
        if trial.status != "COMPLETED" and trial.message:
            reason = [line for line in trial.message.strip().splitlines() if line][-1]
        rows.append({"trial": trial_id, "status": trial.status,
                     **{f: trial.hyperparameters.values.get(f) for f in fields},
                     "run_dir": run_dir, "reason": reason, "metrics": last_metrics(run_dir)})
    metric_names = sorted({m for row in rows for m in row["metrics"]})
    best = {}
    for name in metric_names:
        order = metric_directions.direction(name)
        if order is None:               # reference values (random pairs) rank nothing
            continue
        scored = [r for r in rows if r["status"] == "COMPLETED" and name in r["metrics"]]
        scored.sort(key=lambda r: r["metrics"][name], reverse=order == "max")
        best[name] = [{"trial": r["trial"], "value": r["metrics"][name]} for r in scored[:3]]
    os.makedirs(project_dir, exist_ok=True)
    with open(os.path.join(project_dir, "trials.csv"), "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["trial", "status", *fields, *metric_names, "reason", "run_dir"])
        for r in rows:
            writer.writerow([r["trial"], r["status"], *[r[f] for f in fields],
                             *[r["metrics"].get(m, "") for m in metric_names], r["reason"],
                             r["run_dir"]])
    winner = best.get(metric, [None])[0] if best.get(metric) else None
    export = None
    if winner:
        winner_dir = tuner.run_dir(winner["trial"])
        export = (f"python -m pipelines.export --workdir={winner_dir} "
                  f"--export_dir={os.path.join(project_dir, 'best_model')}")
    summary = {"metric": metric, "direction": direction, "fields": fields, "trials": rows,
               "best": best, "export_best": export}
    with open(os.path.join(project_dir, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    return summary


def format_summary(summary):
    fields, metric = summary["fields"], summary["metric"]
    lines = [" | ".join(["trial", "status", *fields, metric])]
    for r in summary["trials"]:
        value = r["metrics"].get(metric, "")
        value = f"{value:.4f}" if isinstance(value, float) else value
        lines.append(" | ".join([r["trial"], r["status"], *[str(r[f]) for f in fields],
                                 str(value) + (f"  ({r['reason']})" if r["reason"] else "")]))
    lines.append(f"best 3 by {metric} ({summary['direction']}): {summary['best'].get(metric)}")
    lines.append(f"export the best: {summary['export_best']}")
    return "\n".join(lines)


def main(argv):
    del argv
    summary = run_search(_CONFIG.value, _PROJECT_DIR.value, _METRIC.value, _DIRECTION.value,
                         _ALGORITHM.value, _SEARCH.value, _MAX_TRIALS.value, _MAX_EPOCHS.value,
                         _SEED.value)
    print(format_summary(summary))


def console_main():
    import pipelines
    pipelines.run(main, default_config="bigan_mnist")


if __name__ == "__main__":
    console_main()
