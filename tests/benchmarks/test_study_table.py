"""benchmarks/study.py's table: each study metric at its own best evaluation, the rest at the
last one, only for seeds that reached the requested epochs."""

import numpy as np
import pytest


@pytest.fixture(scope="module")
def study(benchmark_script):
    return benchmark_script("study")


def record(epoch, fid, fid_reconstruction, inception_l2, pixel):
    return {"epoch": epoch, "step": 100 * epoch, "metrics": {
        "test/fid": fid, "test/fid_reconstruction": fid_reconstruction,
        "test/inception_l2": inception_l2, "test/reconstruction_error": pixel}}


def test_each_metric_at_its_best_evaluation(study, tmp_path, write_metrics):
    run = tmp_path / "bigan_gp" / "seed0"
    write_metrics(run, [record(1, 50.0, 80.0, 9.0, 7.0), record(2, 60.0, 70.0, 8.0, 6.0),
                        record(3, 40.0, 90.0, 10.0, 5.0)])
    summary = study.seed_summary(str(run), 2)           # the third evaluation is beyond 2
    assert summary["test/fid"] == 50.0 and summary["test/fid@step"] == 100
    assert summary["test/fid_reconstruction"] == 70.0 and summary["test/inception_l2"] == 8.0
    assert summary["test/reconstruction_error"] == 6.0   # the last evaluation within 2 epochs
    assert study.seed_summary(str(run), 4) is None        # not there yet
    assert np.isnan(summary["test/knn_accuracy/encoder_output"])


def test_seeds_give_mean_and_sample_std(study):
    assert study.cell([1.0, 3.0]) == "2.00 ± 1.41"
    assert study.cell([0.5], 1, 100) == "50.0"
    assert study.cell([np.nan, np.nan]) == "–"          # gan_gp has no encoder metrics


def test_claim_3_ranks_only_models_that_have_the_metric(study, capsys):
    def seed(fid, reconstruction):
        return {"test/fid": fid, "test/inception_l2": reconstruction,
                "test/fid_reconstruction": reconstruction}
    rows = {"gan_gp": [seed(5.0, np.nan)], "gan_x_ae": [seed(10.0, 30.0)],
            "vae": [seed(20.0, 3.0)]}
    study.print_claims(rows)
    out = capsys.readouterr().out
    assert "FID: rank 2 of 3 (gan_gp, gan_x_ae, vae)" in out
    assert "reconstruction FID: rank 2 of 2 (vae, gan_x_ae)" in out


def test_claims_compare_every_seed_and_know_which_way_is_better(study):
    rows = {"a": [{"test/fid": 10.0, "test/knn_accuracy/encoder_output": 0.9},
                  {"test/fid": 20.0, "test/knn_accuracy/encoder_output": 0.8}],
            "b": [{"test/fid": 30.0, "test/knn_accuracy/encoder_output": 0.85},
                  {"test/fid": 25.0, "test/knn_accuracy/encoder_output": 0.7}]}
    assert study.versus(rows, "a", "b", "test/fid") == "better (10, 20 against 25, 30)"
    assert study.versus(rows, "b", "a", "test/fid").startswith("worse")
    # 1-NN: higher is better; 0.8 < 0.85, so the seeds overlap.
    assert study.versus(rows, "a", "b", "test/knn_accuracy/encoder_output").startswith("overlap")
    rows["b"][0]["test/knn_accuracy/encoder_output"] = 0.75
    assert study.versus(rows, "a", "b", "test/knn_accuracy/encoder_output") == \
        "better (0.8, 0.9 against 0.7, 0.75)"
