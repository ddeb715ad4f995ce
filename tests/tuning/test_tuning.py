"""keras-tuner searches: values reach the trainer, grids finish, NaN trials fail, kills resume."""

import json
import os
import signal
import subprocess
import sys
import time

import keras_tuner
import pytest

from tuning import hypermodel as hm
from tuning import SearchError
from tuning.search import run_search

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
METRIC = "validation/knn_accuracy/encoder_penultimate"
TINY = {"data.limit": 512, "data.batch_size": 64, "networks.options.hidden_units": 32,
        "train.epochs": 2, "train.eval_every_epochs": 0, "train.verbose": 0,
        "train.jit_compile": False, "train.images_every_epochs": 0,
        "eval.bn_reestimate_batches": 2, "eval.splits": ("validation",),
        "eval.references": {"validation": "train"}, "eval.classifier": "",
        "eval.linear_probe": False}


def tiny(name="bigan_mnist"):
    from tfencgan import configs
    config = configs.load(name)
    for field, value in TINY.items():
        hm.set_field(config, field, value)
    return config


def test_searched_values_reach_the_trainer():
    config = tiny()
    config.objective.name = "bigan_x_ae"           # has a penalty weight, D steps and λ
    space = hm.parse_space(["optimizer.lr=3e-4,1e-3", "objective.params.penalty_weight=1,3",
                            "objective.params.d_steps=1,2", "objective.params.lam=0.5,2"])
    hypermodel = hm.TrainerHyperModel(config, space)
    hp = keras_tuner.HyperParameters()
    hypermodel.declare_hyperparameters(hp)
    hp.values.update({"optimizer.lr": 1e-3, "objective.params.penalty_weight": 3,
                      "objective.params.d_steps": 2, "objective.params.lam": 0.5})
    trainer = hypermodel.build(hp)
    for optimizer in trainer.player_optimizers.values():
        assert float(optimizer.learning_rate) == pytest.approx(1e-3)
    adversarial, encoder_loss = trainer.objective.terms
    assert adversarial.penalty_weight == 3
    assert [(p.players, p.repeats) for p in trainer.objective.schedule][0] == (
        ("discriminator",), 2)
    assert encoder_loss.weights == {"encoder": 0.5}
    assert set(dict(hm.default_space(config))) == {
        "optimizer.lr", "objective.params.penalty_weight", "objective.params.d_steps",
        "objective.params.lam"}
    assert set(dict(hm.default_space(tiny()))) == {"optimizer.lr", "objective.params.d_steps"}


def test_bad_search_space_fails_before_any_trial():
    with pytest.raises(ValueError, match="takes no 'lam'"):
        hm.TrainerHyperModel(tiny(), hm.parse_space(["objective.params.lam=1,2"]))
    with pytest.raises(ValueError, match="Unknown config field 'optimizer.lrate'"):
        hm.TrainerHyperModel(tiny(), hm.parse_space(["optimizer.lrate=1,2"]))
    with pytest.raises(ValueError, match="FIELD=VALUE"):
        hm.parse_space(["optimizer.lr"])


@pytest.mark.slow
def test_grid_finishes_and_a_diverging_trial_is_marked_failed(tmp_path):
    project = str(tmp_path / "search")
    summary = run_search(tiny(), project, METRIC, algorithm="grid",
                         search=["optimizer.lr=1e-4,1e30,3e-4"])
    statuses = {r["optimizer.lr"]: r["status"] for r in summary["trials"]}
    assert statuses == {1e-4: "COMPLETED", 1e30: "FAILED", 3e-4: "COMPLETED"}
    failed = [r for r in summary["trials"] if r["status"] == "FAILED"][0]
    assert "Non-finite loss" in failed["reason"]
    assert len(summary["best"][METRIC]) == 2
    assert summary["export_best"].startswith("python -m pipelines.export --workdir=")
    with open(os.path.join(project, "trials.csv")) as f:
        assert len(f.read().strip().splitlines()) == 4
    for r in summary["trials"]:
        if r["status"] == "COMPLETED":
            assert os.path.exists(os.path.join(r["run_dir"], "checkpoints", "checkpoint"))
            assert os.path.isdir(os.path.join(r["run_dir"], "tensorboard"))
    # Resuming with another base config would rank trials of two searches together.
    changed = tiny()
    changed.train.epochs = 3
    with pytest.raises(SearchError, match=r"different \['config'\] \(config sections \['train'"):
        run_search(changed, project, METRIC, algorithm="grid",
                   search=["optimizer.lr=1e-4,1e30,3e-4"])


def test_a_search_whose_every_trial_failed_is_an_error(tmp_path):
    with pytest.raises(SearchError, match="No trial .* completed .*Non-finite loss"):
        run_search(tiny(), str(tmp_path / "search"), METRIC, algorithm="grid",
                   search=["optimizer.lr=1e30"])


def search_command(project):
    flags = [f"--config.{k}={v!r}" if isinstance(v, (tuple, dict)) else f"--config.{k}={v}"
             for k, v in TINY.items()]
    return [sys.executable, "-m", "tuning.search", "--config=bigan_mnist",
            f"--project_dir={project}", f"--metric={METRIC}",
            "--search=optimizer.lr=1e-4,2e-4,3e-4", *flags]


def completed_trials(project):
    """Trial directories whose trial.json says COMPLETED (keras-tuner pads ids: trial_00)."""
    done = []
    for name in sorted(os.listdir(project)) if os.path.isdir(project) else []:
        path = os.path.join(project, name, "trial.json")
        if name.startswith("trial_") and os.path.exists(path):
            try:
                with open(path) as f:
                    if json.load(f)["status"] == "COMPLETED":
                        done.append(name)
            except ValueError:    # being written
                pass
    return done


@pytest.mark.slow
def test_killed_search_resumes_without_repeating_finished_trials(tmp_path):
    project = str(tmp_path / "search")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=ROOT)
    process = subprocess.Popen(search_command(project), cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 240
    while not completed_trials(project) and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the search ended before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = completed_trials(project)
    assert 1 <= len(finished) < 3, finished
    first_metrics = os.path.join(project, finished[0], "run", "metrics.json")
    stamp = os.path.getmtime(first_metrics)

    result = subprocess.run(search_command(project), cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert os.path.getmtime(first_metrics) == stamp          # trial 0 was not run again
    with open(first_metrics) as f:
        assert len(json.load(f)) == 1
    with open(os.path.join(project, "summary.json")) as f:
        summary = json.load(f)
    assert [r["status"] for r in summary["trials"]] == ["COMPLETED"] * 3


def test_a_trial_that_failed_for_a_fixable_reason_is_retried_on_rerun(tmp_path, monkeypatch):
    from tfencgan import experiment
    project = str(tmp_path / "search")
    train = experiment.train

    def full_disk_for_one_trial(config, workdir, *args, **kwargs):
        if config.optimizer.lr == 3e-4:
            raise OSError(28, "No space left on device")
        return train(config, workdir, *args, **kwargs)

    monkeypatch.setattr(experiment, "train", full_disk_for_one_trial)
    summary = run_search(tiny(), project, METRIC, algorithm="grid",
                         search=["optimizer.lr=1e-4,1e30,3e-4"])
    statuses = {r["optimizer.lr"]: r["status"] for r in summary["trials"]}
    assert statuses[3e-4] in ("FAILED", "INVALID") and statuses[1e30] == "FAILED"
    monkeypatch.setattr(experiment, "train", train)        # the disk was freed
    first = os.path.join(summary["trials"][0]["run_dir"], "metrics.json")
    stamp = os.path.getmtime(first)
    summary = run_search(tiny(), project, METRIC, algorithm="grid",
                         search=["optimizer.lr=1e-4,1e30,3e-4"])
    statuses = {r["optimizer.lr"]: r["status"] for r in summary["trials"]}
    assert statuses == {1e-4: "COMPLETED", 1e30: "FAILED", 3e-4: "COMPLETED"}
    assert os.path.getmtime(first) == stamp                # finished trials are not rerun
    assert len(summary["best"][METRIC]) == 2
