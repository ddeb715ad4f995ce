"""The binaries: config by name or path, overrides, clear errors, resume on rerun."""

import json
import os
import platform
import subprocess
import sys

import pytest

from pipelines import resolve_config_flag
from tfencgan import configs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHORT = ["--config.data.limit=256", "--config.data.batch_size=64", "--config.train.epochs=1",
         "--config.networks.options.hidden_units=16", "--config.eval.bn_reestimate_batches=1",
         "--config.eval.splits=('test',)", "--config.train.verbose=0",
         "--config.eval.num_samples=500"]


def run(module, *args):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_config_flag_accepts_names_and_paths():
    packaged = os.path.join(configs.CONFIG_DIR, "bigan_mnist.py")
    for given in ("bigan_mnist", "configs/bigan_mnist.py", packaged):
        assert resolve_config_flag(["prog", f"--config={given}"], "x")[1] == f"--config={packaged}"
    assert resolve_config_flag(["prog", "--config", "gan_mnist"], "x")[2].endswith("gan_mnist.py")
    assert resolve_config_flag(["prog", "--workdir=w"], "bigan_mnist") == [
        "prog", f"--config={packaged}", "--workdir=w"]
    with pytest.raises(FileNotFoundError, match="packaged configs: .*bigan_mnist"):
        resolve_config_flag(["prog", "--config=nope"], "x")


def test_every_packaged_config_loads_and_validates():
    from tfencgan.validation import validate_config
    names = configs.available()
    assert {"bigan_mnist", "gan_mnist", "latent_regressor_mnist", "joint_latent_regressor_mnist",
            "autoencoder_l1_mnist", "autoencoder_l2_mnist"} <= set(names)
    for name in names:
        validate_config(configs.load(name))
    # The study's configs take the objective as ml_collections' config argument.
    for objective in ("bigan_gp", "gan_z_adversarial", "bigan_x_ae", "vae", "wgan_gp"):
        config = configs.load(f"study_cifar10:{objective}")
        validate_config(config)
        assert config.objective.name == objective and config.latent_dim == 64
    assert configs.load("study_imagenet64").latent_dim == 256
    assert configs.load("study_imagenet64_z128").latent_dim == 128
    assert configs.load("study_celeb_a").data.options.size == 64


def test_train_then_evaluate_binaries(tmp_path):
    workdir = str(tmp_path / "run")
    result = run("pipelines.train", f"--workdir={workdir}", "--config=configs/gan_mnist.py",
                 "--config.optimizer.lr=1e-4", *SHORT)
    assert result.returncode == 0, result.stderr[-3000:]
    saved = json.load(open(os.path.join(workdir, "config.json")))["config"]
    assert saved["objective"]["name"] == "gan" and saved["optimizer"]["lr"] == 1e-4
    result = run("pipelines.evaluate", f"--workdir={workdir}", "--num_samples=300")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "test/knn_accuracy/discriminator_penultimate" in json.loads(result.stdout)
    assert "test/fid" in json.loads(result.stdout)
    records = json.load(open(os.path.join(workdir, "metrics.json")))
    assert len(records) == 2 and records[-1]["provenance"]["classifier"]["name"] == \
        "mnist_domain_classifier"
    result = run("pipelines.evaluate", f"--workdir={workdir}", "--classifier=resnet")
    assert result.returncode != 0 and "Unknown classifier 'resnet'" in result.stderr


def test_bad_value_fails_with_the_field_named(tmp_path):
    result = run("pipelines.train", f"--workdir={tmp_path}/run", "--config.optimizer.lr=-1",
                 *SHORT)
    assert result.returncode != 0
    assert "config.optimizer.lr: must be a positive number, got -1" in result.stderr
    assert not os.path.exists(tmp_path / "run")


@pytest.mark.parametrize("args,message", [
    (["--config.train.epoch=3"], 'unknown field epoch Did you mean "epochs"'),
    (["--config=nope"], "No config file 'nope'; give a path or one of the packaged configs"),
    (["--config.optimizer.lr=inf"], "config.optimizer.lr: must be a positive number, got inf"),
    (["--config.data.batch_size=100000"], "config.data.batch_size: 100000 exceeds the 256"),
])
def test_user_errors_are_one_line_with_exit_status_2(tmp_path, args, message):
    result = run("pipelines.train", f"--workdir={tmp_path}/run", *SHORT, *args)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and message in errors[0], result.stderr[-2000:]
    assert not os.path.exists(tmp_path / "run")


def test_help_lists_the_binary_s_own_flags_also_for_console_scripts():
    import shutil
    result = run("pipelines.export", "--help")
    assert result.returncode == 0
    for flag in ("--workdir", "--export_dir", "--checkpoint", "--batch_norm", "--version"):
        assert flag in result.stdout
    assert "best:test/knn_accuracy/encoder_penultimate" in result.stdout
    script = os.path.join(os.path.dirname(sys.executable), "tfencgan-train")
    script = script if os.path.exists(script) else shutil.which("tfencgan-train")
    if script:     # installed by `pip install -e .` (README, CI)
        installed = subprocess.run([script, "--help"], capture_output=True, text=True,
                                   timeout=120)
        assert installed.returncode == 0
        assert "--workdir" in installed.stdout and "--print_config" in installed.stdout


def test_configs_binary_lists_and_shows(tmp_path):
    listed = run("pipelines.configs", "list")
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert "study_cifar10[:objective]" in listed.stdout and "bigan_mnist" in listed.stdout
    shown = run("pipelines.configs", "show", "study_cifar10:gan_gp")
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert "objective.params.penalty_weight = 1.0" in shown.stdout
    assert "parameters and their defaults: penalty_weight=1.0, d_steps=1" in shown.stdout
    printed = run("pipelines.train", "--config=gan_mnist", "--print_config",
                  "--config.objective.params.d_steps=2")
    assert printed.returncode == 0 and "objective.params.d_steps = 2" in printed.stdout


def test_training_a_work_directory_another_run_holds_is_a_one_line_error(tmp_path):
    from tfencgan import workdir as wd
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        os.makedirs(tmp_path / "run")
        with open(tmp_path / "run" / wd.LOCK_FILE, "w") as f:
            json.dump({"pid": holder.pid, "host": platform.node(),
                       "start": wd._process_start(holder.pid), "since": "earlier"}, f)
        result = run("pipelines.train", f"--workdir={tmp_path}/run", *SHORT)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and f"is being trained by process {holder.pid}" in errors[0]
    assert sorted(os.listdir(tmp_path / "run")) == [wd.LOCK_FILE]
