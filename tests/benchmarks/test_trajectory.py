"""benchmarks/trajectory.py prints a run's evaluations by epoch, as BUILD_NOTES' tables."""

import json
import os

import pytest


@pytest.fixture(scope="module")
def trajectory(benchmark_script):
    return benchmark_script("trajectory")


def _metrics(knn_validation, knn_test):
    return {"validation/knn_accuracy/encoder_penultimate": knn_validation,
            "test/knn_accuracy/encoder_penultimate": knn_test, "test/fid": 12.34}


def test_rows_by_epoch_with_missing_figures_and_d_probabilities(trajectory, tmp_path,
                                                                write_metrics):
    write_metrics(str(tmp_path), [{"epoch": 50, "metrics": _metrics(0.9712, 0.9668)},
                                  {"epoch": 100, "metrics": {"test/fid": 5.0}}])
    with open(os.path.join(tmp_path, "d_fake_prob.json"), "w") as f:
        json.dump({"epoch_mean_d_fake_prob": {"50": 0.2734, "99": 0.2}}, f)
    lines = trajectory.table(*trajectory.read_run(str(tmp_path)), label="run")
    assert lines[0] == "| epoch | 50 | 100 |"
    assert "| run: validation / test 1-NN % | 97.12 / 96.68 | – |" in lines
    assert "| run: FID (MNIST clf.) | 12.3 | 5.0 |" in lines
    assert "| run: D's mean probability on generated pairs (that epoch) | 0.273 | – |" in lines
    # Figures no evaluation holds get no row.
    assert not any("linear probe" in line for line in lines)


def test_chosen_epochs_without_d_probabilities(trajectory, tmp_path, write_metrics):
    write_metrics(str(tmp_path), [{"epoch": e, "metrics": _metrics(0.9, 0.8)} for e in (25, 50)])
    evaluations, probabilities = trajectory.read_run(str(tmp_path))
    assert probabilities == {}
    lines = trajectory.table(evaluations, probabilities, epochs=[50])
    assert lines[:3] == ["| epoch | 50 |", "|---|---|",
                         "| validation / test 1-NN % | 90.00 / 80.00 |"]
