"""benchmarks/table1.py's model selection: each seed's evaluation with the best validation
1-NN, scored on test; seeds that did not reach the requested epochs are left out."""

import pytest


@pytest.fixture(scope="module")
def table1(benchmark_script):
    return benchmark_script("table1")


def record(epoch, validation, test):
    return {"epoch": epoch, "metrics": {
        "validation/knn_accuracy/encoder_penultimate": validation,
        "test/knn_accuracy/encoder_penultimate": test}}


def test_best_validation_evaluation_scored_on_test(table1, tmp_path, write_metrics):
    write_metrics(tmp_path / "bigan_mnist" / "seed0", [
        record(50, 0.970, 0.960), record(100, 0.973, 0.965), record(150, 0.971, 0.969)])
    # The best validation (0.974) comes after the requested 150 epochs: not eligible; the tie
    # at 0.972 goes to the earlier evaluation.
    write_metrics(tmp_path / "bigan_mnist" / "seed1", [
        record(50, 0.972, 0.961), record(100, 0.972, 0.966), record(150, 0.970, 0.968),
        record(200, 0.974, 0.970)])
    write_metrics(tmp_path / "bigan_mnist" / "seed2", [record(50, 0.990, 0.990)])   # unfinished
    chosen = table1.validation_selected(str(tmp_path), "bigan_mnist", 150)
    assert [epoch for epoch, _, _ in chosen] == [100, 50]
    assert [test for _, _, test in chosen] == pytest.approx([96.5, 96.1])
    assert [validation for _, validation, _ in chosen] == pytest.approx([97.3, 97.2])


def test_the_discriminator_row_selects_on_its_own_features(table1, tmp_path, write_metrics):
    write_metrics(tmp_path / "gan_mnist" / "seed0", [
        {"epoch": 10, "metrics": {"validation/knn_accuracy/discriminator_penultimate": 0.95,
                                  "test/knn_accuracy/discriminator_penultimate": 0.94}}])
    assert table1.validation_selected(str(tmp_path), "gan_mnist", 10) == [
        (10, pytest.approx(95.0), pytest.approx(94.0))]
