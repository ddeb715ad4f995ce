import os

import pytest

from tfencgan.best_checkpoints import best_checkpoint, higher_is_better, update_best
from tfencgan.metric_directions import UnknownMetricError


def fake_checkpoint(directory, number):
    prefix = os.path.join(directory, f"ckpt-{number}")
    for suffix in (".index", ".data-00000-of-00001"):
        with open(prefix + suffix, "w") as f:
            f.write(str(number))
    return prefix


def test_keeps_the_best_three_per_metric_by_its_direction(tmp_path):
    accuracy = [0.90, 0.95, 0.93, 0.97, 0.91]
    fid = [30.0, 10.0, 20.0, 40.0, 5.0]
    for step, (acc, f) in enumerate(zip(accuracy, fid), start=1):
        path = fake_checkpoint(tmp_path, step)
        rankings = update_best(str(tmp_path), path, step,
                               {"test/knn_accuracy/e": acc, "test/fid": f,
                                "test/reconstruction_error_random_pairs": 1.0})
        if step > 1:   # the manager deletes old checkpoints; links must survive
            for suffix in (".index", ".data-00000-of-00001"):
                os.remove(fake_checkpoint(tmp_path, step - 1) + suffix)
    assert [e["step"] for e in rankings["test/knn_accuracy/e"]] == [4, 2, 3]
    assert [e["step"] for e in rankings["test/fid"]] == [5, 2, 3]
    assert "test/reconstruction_error_random_pairs" not in rankings
    best = best_checkpoint(str(tmp_path), "test/fid")
    assert open(best + ".index").read() == "5"
    kept = sorted(os.listdir(tmp_path / "best" / "test_knn_accuracy_e"))
    assert kept == sorted(f"ckpt-{n}{s}" for n in (2, 3, 4)
                          for s in (".index", ".data-00000-of-00001"))
    assert best_checkpoint(str(tmp_path), "validation/fid") is None     # known, not ranked yet
    with pytest.raises(UnknownMetricError, match="Unknown metric 'test/precision'"):
        best_checkpoint(str(tmp_path), "test/precision")


def test_directions():
    assert higher_is_better("validation/knn_accuracy/encoder_output") is True
    assert higher_is_better("test/inception_score") is True
    assert higher_is_better("test/fid_reconstruction") is False
    assert higher_is_better("test/kid_std") is None
    assert higher_is_better("prior/latent_reconstruction_error_random_pairs") is None
    with pytest.raises(UnknownMetricError, match="'test/precision'.*metric families"):
        higher_is_better("test/precision")       # was minimised by one table, skipped by the other


def test_the_tuner_and_the_best_checkpoints_read_the_same_directions():
    from tfencgan import evaluation, metric_directions
    from tfencgan.metrics import generation, spectrum
    from tuning.tuner import direction_of
    declared = metric_directions.declared()
    for module in (evaluation, generation, spectrum):
        assert module.DIRECTIONS.items() <= declared.items()
    for family, direction in declared.items():
        metric = f"test/{family}/encoder_output"
        if direction is None:
            assert higher_is_better(metric) is None
            with pytest.raises(UnknownMetricError, match="reference value"):
                direction_of(metric)
        else:
            assert direction_of(metric) == direction
            assert higher_is_better(metric) == (direction == "max")
    with pytest.raises(UnknownMetricError):
        direction_of("test/precision")
    assert metric_directions.family("prior/latent_reconstruction_error") == \
        "latent_reconstruction_error"
