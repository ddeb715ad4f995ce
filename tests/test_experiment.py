"""Training runs end to end: resume, NaN guard, checkpoint safety, bad configs."""

import errno
import inspect
import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfencgan import callbacks as cb
from tfencgan import checkpoints, data, experiment, experiment_data, experiment_metrics
from tfencgan.objectives import REGISTRY
from tfencgan.validation import ConfigError


def final_state(workdir):
    """All checkpointed values of the latest checkpoint, by name."""
    path = tf.train.latest_checkpoint(os.path.join(workdir, "checkpoints"))
    reader = tf.train.load_checkpoint(path)
    return {name: reader.get_tensor(name) for name, _ in tf.train.list_variables(path)
            if not name.startswith("_CHECKPOINTABLE_OBJECT_GRAPH")}


class Interrupt(keras.callbacks.Callback):
    """Raises mid-epoch, as a kill would, after `epoch` epochs were checkpointed."""

    def __init__(self, epoch, batch):
        super().__init__()
        self.epoch, self.batch, self.current = epoch, batch, 0

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.current == self.epoch and batch == self.batch:
            raise KeyboardInterrupt("simulated kill")


def test_stop_and_resume_equals_uninterrupted(tiny_config, tmp_path):
    tiny_config.train.epochs = 3
    experiment.train(tiny_config, str(tmp_path / "straight"))
    with pytest.raises(KeyboardInterrupt):
        experiment.train(tiny_config, str(tmp_path / "resumed"), [Interrupt(epoch=1, batch=3)])
    assert os.path.basename(tf.train.latest_checkpoint(str(tmp_path / "resumed/checkpoints"))) \
        == "ckpt-1"
    experiment.train(tiny_config, str(tmp_path / "resumed"))
    straight, resumed = final_state(tmp_path / "straight"), final_state(tmp_path / "resumed")
    assert straight.keys() == resumed.keys()
    names = list(straight)
    assert any("optimizer" in n for n in names) and any("latent_seed" in n for n in names)
    assert any("moving_mean" in n for n in names)
    for name in names:
        np.testing.assert_array_equal(straight[name], resumed[name], err_msg=name)
    metrics = [json.load(open(tmp_path / d / "metrics.json"))[-1]["metrics"]
               for d in ("straight", "resumed")]
    assert metrics[0] == metrics[1]


def test_a_checkpoint_saved_before_the_player_rename_resumes_as_the_same_run(tiny_config,
                                                                              tmp_path,
                                                                              monkeypatch):
    """BiGAN's G-and-E player was named "generator" until 2026-12-01, so its optimizer was
    saved as optimizer_generator. Such a work directory resumes, optimizer state included,
    exactly as an uninterrupted run; without the renaming table it would not restore."""
    tiny_config.train.epochs = 2
    experiment.train(tiny_config, str(tmp_path / "straight"))
    with pytest.raises(KeyboardInterrupt):
        experiment.train(tiny_config, str(tmp_path / "old"), [Interrupt(epoch=1, batch=3)])
    # Rewrite the old run's checkpoint in the layout it had before the rename.
    built = experiment.build(tiny_config)
    experiment.compile_trainer(built)
    epoch = tf.Variable(0, dtype=tf.int64)
    path = tf.train.latest_checkpoint(str(tmp_path / "old/checkpoints"))
    items = experiment.checkpoint_items(built, epoch)
    tf.train.Checkpoint(**items).restore(path).assert_existing_objects_matched()
    items["optimizer_generator"] = items.pop("optimizer_generator_encoder")
    old_layout = tf.train.Checkpoint(**items)
    old_layout.save_counter.assign(1)          # as CheckpointManager.save writes it
    old_layout.write(path)
    saved = {name.split("/")[0] for name, _ in tf.train.list_variables(path)}
    assert "optimizer_generator" in saved and "optimizer_generator_encoder" not in saved
    with monkeypatch.context() as patch:
        patch.setattr(experiment, "RENAMED_CHECKPOINT_KEYS", {})
        with pytest.raises(AssertionError, match="not bound to checkpointed values"):
            experiment.train(tiny_config, str(tmp_path / "old"))
    experiment.train(tiny_config, str(tmp_path / "old"))
    straight, resumed = final_state(tmp_path / "straight"), final_state(tmp_path / "old")
    assert straight.keys() == resumed.keys()            # the new save writes the new key
    assert any(name.startswith("optimizer_generator_encoder/") for name in straight)
    for name in straight:
        np.testing.assert_array_equal(straight[name], resumed[name], err_msg=name)


def test_rerun_of_a_finished_run_trains_nothing(tiny_config, tmp_path):
    tiny_config.train.epochs = 1
    first = experiment.train(tiny_config, str(tmp_path))
    again = experiment.train(tiny_config, str(tmp_path))
    assert first == again
    assert len(json.load(open(tmp_path / "metrics.json"))) == 1


def test_work_directory_contents(tiny_config, tmp_path):
    experiment.train(tiny_config, str(tmp_path))
    saved = json.load(open(tmp_path / "config.json"))
    assert saved["config"]["objective"]["name"] == "bigan"
    assert "tensorflow" in saved["versions"]
    assert sorted(os.listdir(tmp_path / "samples")) == ["step_000008.png", "step_000016.png"]
    assert len(os.listdir(tmp_path / "reconstructions")) == 2
    assert len(os.listdir(tmp_path / "interpolations")) == 2
    assert os.listdir(tmp_path / "tensorboard")
    record = json.load(open(tmp_path / "metrics.json"))[-1]
    assert record["epoch"] == 2 and record["step"] == 16
    assert record["provenance"]["checkpoint"].endswith("ckpt-2")
    assert record["provenance"]["references"] == {"test": "train_full"}
    assert record["provenance"]["num_references"] == {"test": 512}
    assert 0.0 <= record["metrics"]["test/knn_accuracy/encoder_penultimate"] <= 1.0
    assert 0.0 <= record["metrics"]["test/linear_probe_accuracy/encoder_penultimate"] <= 1.0
    assert {"test/fid", "test/fid_reconstruction", "test/inception_l2", "test/inception_score",
            "test/kid"} <= set(record["metrics"])
    assert record["provenance"]["classifier"]["name"] == "mnist_domain_classifier"
    assert len(record["provenance"]["classifier"]["sha256"]) == 64
    from tensorboard.backend.event_processing import event_accumulator
    events = event_accumulator.EventAccumulator(str(tmp_path / "tensorboard"),
                                                size_guidance={"tensors": 0})
    events.Reload()
    tags = set(events.Tags()["tensors"])
    assert {"config", "learning_rate/discriminator", "learning_rate/generator_encoder",
            "eval/test/fid", "eval/test/knn_accuracy/encoder_penultimate"} <= tags
    assert [e.step for e in events.Tensors("eval/test/fid")] == [16]
    assert "_hparams_/session_start_info" in events.PluginTagToContent("hparams")


class PoisonWeights(keras.callbacks.Callback):
    """Makes D's weights NaN during epoch 2, as a diverging run would."""

    def __init__(self, networks):
        super().__init__()
        self.networks, self.epoch = networks, 0

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.epoch == 1 and batch == 2:
            kernel = self.networks["discriminator"].trainable_variables[0]
            kernel.assign(tf.fill(kernel.shape, float("nan")))


def test_nan_loss_stops_with_clear_error_and_keeps_last_good_checkpoint(tiny_config, tmp_path,
                                                                        monkeypatch):
    built = {}
    real_build = experiment.build

    def spy_build(config):
        built["experiment"] = real_build(config)
        return built["experiment"]

    monkeypatch.setattr(experiment, "build", spy_build)
    poison = PoisonWeights({})
    original_train = experiment.Trainer.fit

    def fit_with_poison(self, *args, callbacks=(), **kwargs):
        poison.networks = self.networks
        return original_train(self, *args, callbacks=list(callbacks) + [poison], **kwargs)

    monkeypatch.setattr(experiment.Trainer, "fit", fit_with_poison)
    with pytest.raises(cb.NonFiniteLossError, match=r"epoch 2, batch 4.*ckpt-1"):
        experiment.train(tiny_config, str(tmp_path))
    state = final_state(tmp_path)
    assert os.path.basename(tf.train.latest_checkpoint(str(tmp_path / "checkpoints"))) == "ckpt-1"
    assert all(np.all(np.isfinite(v)) for v in state.values() if v.dtype.kind == "f")


def test_half_written_checkpoint_is_ignored(tiny_config, tmp_path):
    tiny_config.train.epochs = 1
    experiment.train(tiny_config, str(tmp_path))
    # A kill while writing checkpoint 2 leaves its files but not the index update.
    for suffix in (".index", ".data-00000-of-00001"):
        with open(tmp_path / "checkpoints" / f"ckpt-2{suffix}", "wb") as f:
            f.write(b"\x00garbage")
    tiny_config.train.epochs = 2
    experiment.train(tiny_config, str(tmp_path))
    assert os.path.basename(tf.train.latest_checkpoint(str(tmp_path / "checkpoints"))) == "ckpt-2"
    assert final_state(tmp_path)   # the rewritten checkpoint 2 reads back


def test_full_disk_during_checkpoint_is_a_clear_error(tiny_config, tmp_path, monkeypatch):
    tiny_config.train.epochs = 1
    experiment.train(tiny_config, str(tmp_path))
    tiny_config.train.epochs = 2

    def no_space(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tf.train.CheckpointManager, "save", no_space)
    with pytest.raises(cb.CheckpointWriteError, match=r"No space left.*ckpt-1\) is intact"):
        experiment.train(tiny_config, str(tmp_path))
    assert tf.train.latest_checkpoint(str(tmp_path / "checkpoints")).endswith("ckpt-1")


@pytest.mark.parametrize("field,value,message", [
    ("objective.name", "bigann", r"config.objective.name: unknown objective 'bigann'; valid "
                                 r"objectives: \['age', 'ali', 'autoencoder_l1'"),
    ("networks.encoder", "resnet", r"config.networks.encoder: unknown network family 'resnet'; "
                                   r"valid families: \['began', 'bigan_imagenet', 'dcgan', 'mlp', "
                                   r"'sndcgan'\]"),
    ("optimizer.lr", -0.1, r"config.optimizer.lr: must be a positive number, got -0.1"),
    ("optimizer.lr", float("inf"), r"config.optimizer.lr: must be a positive number, got inf"),
    ("data.batch_size", 1024, r"config.data.batch_size: 1024 exceeds the 512 training"),
    ("data.batch_size", 0, r"config.data.batch_size: must be a positive integer, got 0"),
    ("train.epochs", 0, r"config.train.epochs: must be a positive integer"),
    ("optimizer.beta_1", 1.5, r"config.optimizer.beta_1: must lie in \[0, 1\)"),
    ("data.name", "imagenet", r"config.data.name: unknown dataset 'imagenet'"),
    ("eval.splits", ("test", "dev"), r"config.eval.references: names no 1-NN reference split "
                                     r"for the query split 'dev'"),
    ("train.float32_networks", ("critic",), r"config.train.float32_networks: objective "
                                            r"'bigan' has no network 'critic'"),
])
def test_bad_config_fails_before_training_naming_the_field(tiny_config, tmp_path, field, value,
                                                           message):
    section, key = field.split(".")
    tiny_config[section][key] = value
    with pytest.raises(ConfigError, match=message):
        experiment.train(tiny_config, str(tmp_path / "run"))
    assert not os.path.exists(tmp_path / "run")


def test_unknown_objective_parameter(tiny_config, tmp_path):
    with tiny_config.objective.params.unlocked():   # configs.load locks; a JSON config may not
        tiny_config.objective.params.lambda_x = 1.0
    with pytest.raises(ConfigError, match="config.objective.params: .*lambda_x"):
        experiment.train(tiny_config, str(tmp_path))


def test_loaded_configs_are_locked_and_list_every_objective_parameter():
    from tfencgan import configs
    config = configs.load("gan_mnist")
    with pytest.raises(AttributeError, match="epochs"):
        config.train.epoch = 3                      # a typo fails, as on the command line
    study = configs.load("study_cifar10:gan_gp")
    assert dict(study.objective.params) == {"penalty_weight": 1.0, "d_steps": 1}
    study.objective.params.penalty_weight = 10.0    # settable though the file does not list it


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_objective_trains_and_stays_finite(tiny_config, tmp_path, name):
    tiny_config.objective.name = name
    takes_d_steps = "d_steps" in inspect.signature(REGISTRY[name]).parameters
    tiny_config.objective.params = {"d_steps": 1} if takes_d_steps else {}
    tiny_config.train.epochs = 1
    metrics = experiment.train(tiny_config, str(tmp_path))
    history = json.load(open(tmp_path / "metrics.json"))
    assert metrics and all(np.isfinite(v) for v in metrics.values())
    encoderless = name in ("gan", "gan_gp", "wgan_gp", "began")
    expected = "discriminator_penultimate" if encoderless else "encoder_penultimate"
    assert f"test/knn_accuracy/{expected}" in history[-1]["metrics"]


def test_evaluate_a_work_directory(tiny_config, tmp_path):
    tiny_config.train.epochs = 1
    trained = experiment.train(tiny_config, str(tmp_path))
    grids = {name: (tmp_path / name / "step_000008.png").read_bytes()    # 512 / 64 steps
             for name in ("samples", "reconstructions")}
    for name in grids:
        (tmp_path / name / "step_000008.png").unlink()
    again = experiment.evaluate(str(tmp_path))
    assert again == pytest.approx(trained)
    for name, png in grids.items():     # rewritten: the evaluated statistics, as in training
        assert (tmp_path / name / "step_000008.png").read_bytes() == png
    assert trained["prior/latent_reconstruction_error"] > 0    # ||z - E(G(z))||, G and E exist
    metric = "test/knn_accuracy/encoder_penultimate"
    best = json.load(open(tmp_path / "checkpoints" / "best" / "best.json"))
    assert best[metric][0]["checkpoint"] == "ckpt-1"
    again_best = experiment.evaluate(str(tmp_path), checkpoint=f"best:{metric}")
    assert again_best[metric] == trained[metric]
    with pytest.raises(FileNotFoundError, match="No best checkpoint ranked by 'validation/"
                                                "knn_accuracy/encoder_penultimate'.*metrics "
                                                "with best checkpoints: .*'test/knn_accuracy/"
                                                "encoder_penultimate'"):
        experiment.evaluate(str(tmp_path),
                            checkpoint="best:validation/knn_accuracy/encoder_penultimate")
    from tfencgan.metric_directions import UnknownMetricError
    with pytest.raises(UnknownMetricError, match="Unknown metric 'nope'"):
        experiment.evaluate(str(tmp_path), checkpoint="best:nope")
    cosine = experiment.evaluate(str(tmp_path), eval_overrides={"knn_metric": "cosine"})
    assert set(cosine) == set(trained)
    assert json.load(open(tmp_path / "metrics.json"))[-1]["provenance"]["knn_metric"] == "cosine"
    with pytest.raises(ValueError, match="config.eval has no field 'k'"):
        experiment.evaluate(str(tmp_path), eval_overrides={"k": 5})
    with pytest.raises(FileNotFoundError, match="config.json not found"):
        experiment.evaluate(str(tmp_path / "nothing"))


def test_resuming_with_a_different_config_is_refused(tiny_config, tmp_path):
    tiny_config.train.epochs = 1
    experiment.train(tiny_config, str(tmp_path))
    tiny_config.train.epochs = 2          # more epochs: allowed, resumes
    tiny_config.eval.knn_metric = "cosine"
    experiment.train(tiny_config, str(tmp_path))
    tiny_config.optimizer.lr = 1e-3
    with pytest.raises(ConfigError, match=r"different config \(fields \['optimizer.lr'\]\)"):
        experiment.train(tiny_config, str(tmp_path))


def test_evaluation_splits_are_checked_against_the_source_before_training(tmp_path):
    """A folder without a held-out split must never be evaluated on its own training images,
    and a split the source lacks fails before any training (the README's folder recipe)."""
    from tfencgan import configs
    from tfencgan.validation import ConfigError
    folder = tmp_path / "images"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(12):
        tf.io.write_file(str(folder / f"{i}.png"),
                         tf.io.encode_png(rng.integers(0, 255, (32, 32, 3), np.uint8)))
    config = configs.load("study_cifar10:gan_gp")
    config.data.options.source, config.data.options.path = "folder", str(folder)
    workdir = str(tmp_path / "run")
    with pytest.raises(ConfigError, match=r"has no split 'test'.*holdout=N"):
        experiment.train(config, workdir)
    config.data.options.holdout = 4
    with pytest.raises(ConfigError, match=r"Unknown split 'test'.*\['train', 'validation', "
                                          r"'all'\]"):
        experiment.train(config, workdir)
    assert not os.path.exists(workdir)     # nothing written for a config that cannot run


def checkpoint_bytes(workdir, number):
    folder = os.path.join(workdir, "checkpoints")
    return {name: open(os.path.join(folder, name), "rb").read()
            for name in os.listdir(folder) if name.startswith(f"ckpt-{number}.")}


@pytest.mark.parametrize("damage", ["garbled", "deleted"])
def test_a_damaged_state_file_resumes_from_the_newest_checkpoint_and_overwrites_nothing(
        tiny_config, tmp_path, damage, caplog):
    tiny_config.train.epochs = 2
    experiment.train(tiny_config, str(tmp_path))
    state = tmp_path / "checkpoints" / "checkpoint"
    if damage == "garbled":
        state.write_bytes(b"\xff\xfe not a text proto {{{")
    else:
        state.unlink()
    kept = {n: checkpoint_bytes(tmp_path, n) for n in (1, 2)}
    tiny_config.train.epochs = 3
    with caplog.at_level("WARNING"):
        experiment.train(tiny_config, str(tmp_path))
    assert "resuming from" in caplog.text and "ckpt-2" in caplog.text
    assert [r["epoch"] for r in json.load(open(tmp_path / "metrics.json"))] == [2, 3]
    assert checkpoint_bytes(tmp_path, 2) == kept[2]   # resumed from 2, not retrained over it
    assert os.path.basename(tf.train.latest_checkpoint(str(tmp_path / "checkpoints"))) == "ckpt-3"


@pytest.mark.parametrize("how", ["truncated", "empty", "bad_index"])
def test_a_truncated_latest_checkpoint_falls_back_to_the_newest_intact_one(
        tiny_config, tmp_path, how, caplog):
    tiny_config.train.epochs = 2
    experiment.train(tiny_config, str(tmp_path))
    folder = tmp_path / "checkpoints"
    shard, index = folder / "ckpt-2.data-00000-of-00001", folder / "ckpt-2.index"
    if how == "truncated":
        shard.write_bytes(shard.read_bytes()[:len(shard.read_bytes()) // 2])
    elif how == "empty":
        shard.write_bytes(b"")
    else:
        index.write_bytes(b"\x00" * 40)
    (folder / "ckpt-3_temp").mkdir()                       # a killed write's leftover
    with caplog.at_level("WARNING"):
        _, path, epoch = experiment.restore_for_evaluation(str(tmp_path))
    assert (os.path.basename(path), epoch) == ("ckpt-1", 1)
    assert "ckpt-2" in caplog.text and "damaged" in caplog.text
    assert not (folder / "ckpt-3_temp").exists()
    with pytest.raises(checkpoints.DamagedCheckpointError, match="ckpt-2 is damaged"):
        experiment.restore_for_evaluation(str(tmp_path), str(folder / "ckpt-2"))
    experiment.train(tiny_config, str(tmp_path))           # retrains epoch 2 from epoch 1
    assert checkpoints.damage(str(folder / "ckpt-2")) is None


def test_no_readable_checkpoint_refuses_to_start_over(tiny_config, tmp_path):
    tiny_config.train.epochs = 1
    experiment.train(tiny_config, str(tmp_path))
    (tmp_path / "checkpoints" / "ckpt-1.data-00000-of-00001").write_bytes(b"")
    with pytest.raises(checkpoints.DamagedCheckpointError, match="none of them reads"):
        experiment.train(tiny_config, str(tmp_path))


def test_an_evaluation_interrupted_by_a_kill_is_redone_on_resume(tiny_config, tmp_path):
    tiny_config.train.epochs, tiny_config.train.eval_every_epochs = 3, 1

    class KillDuringEvaluation(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:   # after checkpoint 2 was written, before its evaluation
                raise KeyboardInterrupt("simulated kill")

    with pytest.raises(KeyboardInterrupt):
        experiment.train(tiny_config, str(tmp_path), [KillDuringEvaluation()])
    assert [r["epoch"] for r in json.load(open(tmp_path / "metrics.json"))] == [1]
    experiment.train(tiny_config, str(tmp_path))
    assert [r["epoch"] for r in json.load(open(tmp_path / "metrics.json"))] == [1, 2, 3]


def test_an_unusable_workdir_fails_before_any_data_is_loaded(tiny_config, tmp_path, monkeypatch):
    from tfencgan import data
    monkeypatch.setattr(data, "load_arrays", lambda *a, **k: pytest.fail("data was loaded"))
    (tmp_path / "a_file").write_text("")
    with pytest.raises(NotADirectoryError, match="is a file"):
        experiment.train(tiny_config, str(tmp_path / "a_file"))
    with pytest.raises(NotADirectoryError, match="is a file"):
        experiment.train(tiny_config, str(tmp_path / "a_file" / "run"))


def test_a_player_whose_loss_misses_one_of_its_networks_fails_at_trace_time(tiny_config):
    """A mis-wired objective: BiGAN's generator-encoder player also owns a network that no
    term uses. Zeros used to hide this; now the first step names the player and the
    variables."""
    from tfencgan.networks import layers, mlp
    from tfencgan.trainer import MissingGradientError
    built = experiment.build(tiny_config)
    unused = mlp.MLPDiscriminator(None, 8, name="unused")
    layers.record_inputs(unused, [built.train_data[0][:2]])
    built.trainer.networks["inversion_discriminator"] = unused
    built.trainer.objective.players["generator_encoder"] += ("inversion_discriminator",)
    experiment.compile_trainer(built)
    x = tf.constant(built.train_data[0][:64])
    with pytest.raises(MissingGradientError, match=r"player 'generator_encoder' does not reach "
                                                   r"3 of its variables, e.g. "
                                                   r"\['inversion_discriminator/hidden1/kernel'"):
        built.trainer.train_step(x)
    built.trainer.objective.without_gradient["generator_encoder"] = (
        "inversion_discriminator/",)
    built.trainer.train_step(x)                                 # declared: allowed


def test_a_run_saved_before_a_field_existed_resumes_at_its_default(tmp_path):
    """Work directories written before `train.precision` existed resume when the field holds
    the value those runs had (float32); another value is a change."""
    from tfencgan import configs, workdir

    def saved_without(name, field):
        """Config `name`, saved in tmp_path as a run from before dotted `field` existed; and
        whether the config has that field."""
        config = configs.load(name)
        saved = json.loads(config.to_json())
        *parents, leaf = field.split(".")
        section = saved
        for key in parents:
            section = section[key]
        had = section.pop(leaf, None) is not None
        (tmp_path / workdir.CONFIG_FILE).write_text(json.dumps({"config": saved}))
        return config, had

    def changes(config):
        return workdir.config_changes(workdir.saved_run(str(tmp_path)), config)

    config, had = saved_without("bigan_mnist", "train.precision")
    assert had and changes(config) == []
    config.train.precision = "mixed_bfloat16"
    assert changes(config) == ["train.precision"]
    # A field only some configs have (the study's BiGAN penalty_inputs) is added only to them.
    for name, field_exists in (("study_mnist:bigan_gp", True), ("study_mnist:gan_z_ae", False)):
        config, had = saved_without(name, "objective.params.penalty_inputs")
        assert had == field_exists
        assert changes(config) == []
        if field_exists:
            config.objective.params.penalty_inputs = "image"
            assert changes(config) == ["objective.params.penalty_inputs"]
    # BEGAN runs saved before the generator's batch-norm option resume without it.
    config, had = saved_without("began_mnist", "networks.options.generator_batch_norm")
    assert had and changes(config) == []
    config.networks.options.generator_batch_norm = True
    assert changes(config) == ["networks.options.generator_batch_norm"]
    # ... and before the pulling-away term: as BEGAN without it (weight 0), not as today's MNIST
    # config, which uses it.
    config, had = saved_without("began_cifar10", "objective.params.pulling_away")
    assert had and changes(config) == []
    config, had = saved_without("began_mnist", "objective.params.pulling_away")
    assert had and changes(config) == ["objective.params.pulling_away"]


def test_grid_images_spread_over_the_split_and_do_not_depend_on_the_seed(tiny_config):
    """Image folders list their images class by class, so the first 32 images of a split
    would show one class in every reconstruction grid."""
    images, _ = data.load_arrays(tiny_config.data.name, tiny_config.data.split,
                                 tiny_config.data.limit)
    grids = []
    for seed in (0, 1):
        tiny_config.train.seed = seed
        grids.append(experiment.build(tiny_config).grid_images)
    np.testing.assert_array_equal(grids[0], grids[1])
    flat = images.reshape(len(images), -1)
    rows = [int(np.flatnonzero((flat == g.reshape(-1)).all(axis=1))[0]) for g in grids[0]]
    assert len(set(rows)) == 32 and rows == sorted(rows)
    assert max(rows) >= len(images) // 2            # not the first 32, nor the first half


def test_grids_show_the_networks_with_the_statistics_evaluation_uses(tiny_config, tmp_path):
    """With the moving batch-norm statistics, AGE's CIFAR-10 reconstruction grid was noise
    while the evaluated reconstructions (re-estimated statistics) were close."""
    from tfencgan import images
    from tfencgan.evaluation.features import batch_norm_layers, reestimated_batch_norm
    built = experiment.build(tiny_config)
    config, nets = built.config, built.networks
    generator, encoder = nets["generator"], nets["encoder"]
    for layer in batch_norm_layers(generator) + batch_norm_layers(encoder):
        layer.moving_mean.assign(layer.moving_mean + 3.0)      # stale, as early in training
    moving = [v.numpy() for n in (generator, encoder) for v in n.non_trainable_variables]
    fixed_z = cb.fixed_latents((64, config.latent_dim), 0, built.objective.latent_prior)
    grids = cb.ImageGrids(nets, built.data_shape, fixed_z, built.grid_images, str(tmp_path),
                          tf.summary.create_file_writer(str(tmp_path / "tb")), 1, 1,
                          lambda: experiment_metrics.batch_norm_stages(built))
    grids.write(1)

    def png(name):
        return tf.io.decode_png(tf.io.read_file(str(tmp_path / name / "step_000001.png")))

    seed = experiment_metrics.evaluation_seed(config, "generated_samples")
    prior = [built.objective.sample_latent(config.eval.batch_size, config.latent_dim, seed)
             for _ in range(config.eval.bn_reestimate_batches)]
    with reestimated_batch_norm(generator, lambda z: generator(z, training=True), prior):
        samples = generator(fixed_z)["output"]
    train_batches = experiment_data.batch_norm_batches(built)
    count = config.eval.bn_reestimate_batches
    with reestimated_batch_norm(encoder, lambda x: encoder(x, training=True),
                                train_batches(count)):
        codes = [encoder(x)["output"] for x in train_batches(count)]
        with reestimated_batch_norm(generator, lambda z: generator(z, training=True), codes):
            recon = generator(encoder(built.grid_images)["output"])["output"]
    stale = generator(fixed_z)["output"]
    np.testing.assert_array_equal(png("samples"),
                                  images.grid(images.to_images(samples, built.data_shape), 8))
    assert not np.array_equal(png("samples"),
                              images.grid(images.to_images(stale, built.data_shape), 8))
    pairs = images.interleave(images.to_images(built.grid_images, built.data_shape),
                              images.to_images(recon, built.data_shape))
    np.testing.assert_array_equal(png("reconstructions"), images.grid(pairs, 8))
    for before, variable in zip(moving, [v for n in (generator, encoder)
                                         for v in n.non_trainable_variables]):
        np.testing.assert_array_equal(before, variable.numpy())   # restored after the grids


@pytest.mark.parametrize("grid_batches,eval_batches,expected", [(10, 100, 10), (10, 2, 2),
                                                                (10, 0, 0), (None, 7, 7)])
def test_grids_re_estimate_on_their_own_count_never_more_than_evaluation(
        tiny_config, monkeypatch, grid_batches, eval_batches, expected):
    """Grids every epoch on evaluation's 100 batches took 4-6 s of a 20-s epoch; None: a run
    saved before train.grid_bn_batches existed."""
    tiny_config.eval.bn_reestimate_batches = eval_batches
    built = experiment.build(tiny_config)
    with built.config.unlocked():
        if grid_batches is None:
            del built.config.train["grid_bn_batches"]
        else:
            built.config.train.grid_bn_batches = grid_batches
    counts = []
    monkeypatch.setattr(experiment, "batch_norm_stages",
                        lambda exp, count=None: counts.append(count) or iter(()))
    experiment.image_grids(built, "unused", None, 1).batch_norm_stages()
    assert counts == [expected]


def test_resuming_a_finished_run_with_more_epochs_warns_that_the_rate_jumps(tiny_config,
                                                                             tmp_path, caplog):
    tiny_config.train.epochs = 1
    experiment.train(tiny_config, str(tmp_path))
    tiny_config.train.epochs = 2
    with caplog.at_level("WARNING"):
        experiment.train(tiny_config, str(tmp_path))
    warnings = [r.getMessage() for r in caplog.records if "learning-rate" in r.getMessage()]
    assert len(warnings) == 1 and "train.epochs 2 (the run had 1)" in warnings[0]
