"""Files of a work directory: the resolved config, metrics.json, checkpoint paths."""

import contextlib
import json
import os
import platform
import time

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.json"
LOCK_FILE = "training.lock"


def library_versions():
    import keras
    import numpy
    import tensorflow

    import tfencgan
    return {"tfencgan": tfencgan.__version__, "tensorflow": tensorflow.__version__,
            "keras": keras.__version__, "numpy": numpy.__version__,
            "python": platform.python_version()}


def check_writable(workdir):
    """Raises a one-line error if `workdir` cannot be a work directory (a file, or a folder
    this user cannot write), before any data is loaded."""
    existing = workdir
    while existing and not os.path.exists(existing):
        existing = os.path.dirname(existing)
    existing = existing or "."
    if os.path.exists(workdir) and not os.path.isdir(workdir):
        raise NotADirectoryError(f"--workdir {workdir} is a file, not a folder")
    if not os.path.isdir(existing):
        raise NotADirectoryError(f"--workdir {workdir}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise PermissionError(f"--workdir {workdir}: {existing} is not writable")


class WorkdirInUseError(RuntimeError):
    """Another live process is training in the work directory."""


def _process_start(pid):
    """What tells process `pid` apart from a later process given the same number: its start
    time in clock ticks since boot (Linux /proc); None where /proc cannot say."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])   # field 22, starttime
    except (OSError, ValueError, IndexError):
        return None


def _holder_alive(holder):
    """Whether the process a lock file names still runs. Another machine's processes cannot be
    checked, and an unreadable lock names none: both count as alive, so nothing is overwritten
    on a guess."""
    pid = holder.get("pid")
    if holder.get("host") != platform.node() or not isinstance(pid, int):
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # alive, another user's
        return True
    start = _process_start(pid)
    return start is None or holder.get("start") in (None, start)


@contextlib.contextmanager
def exclusive(workdir):
    """Holds `workdir` for this process while it trains there. A second training of the same
    work directory (a resume started while the first still runs) would write the same
    checkpoints, metrics and TensorBoard steps as the first, interleaved: it fails instead, with
    the holder named. A lock left by a process that has ended (killed, crashed) is taken over."""
    path = os.path.join(workdir, LOCK_FILE)
    _acquire(path, workdir)
    try:
        yield
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def _acquire(path, workdir):
    """Creates the lock file `path` naming this process, or fails naming the live holder."""
    for _ in range(2):
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                holder = read_json(path, default={})
            except ValueError:
                holder = {}
            if _holder_alive(holder):
                raise WorkdirInUseError(
                    f"{workdir} is being trained by process {holder.get('pid', '?')} on "
                    f"{holder.get('host', '?')} (since {holder.get('since', '?')}): wait for it "
                    f"or stop it, or use another --workdir. If no such run is going on, delete "
                    f"{path}") from None
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)              # its process has ended
            continue
        with os.fdopen(descriptor, "w") as f:
            json.dump({"pid": os.getpid(), "host": platform.node(),
                       "start": _process_start(os.getpid()),
                       "since": time.strftime("%Y-%m-%d %H:%M:%S %Z")}, f)
        return
    raise WorkdirInUseError(f"{workdir}: another process took {path} at the same time")


def write_json_atomic(path, value):
    """Writes JSON through a temporary file and a rename, so readers never see half a file."""
    tmp = f"{path}.tmp"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_json(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path) as f:
        return json.load(f)


# Fields that may change between a run and its resumption: they do not change what was trained.
RESUMABLE_CHANGES = ("strategy", "train.epochs", "train.jit_compile", "optimizer.fused_adam",
                     "train.verbose", "train.eval_every_epochs",
                     "train.images_every_epochs", "train.grid_bn_batches",
                     "train.checkpoints_to_keep", "eval.")


# Fields added to the configs after runs were made, with the value those runs had in effect: a
# saved config without the field resumes under a config holding that value (only configs that
# have the field: penalty_inputs exists for the study's BiGAN objectives alone).
ADDED_FIELDS = {"train.precision": "float32", "objective.params.penalty_inputs": "pair",
                "networks.options.latent_scale": 1.0, "train.float32_networks": [],
                "networks.options.generator_batch_norm": False,
                "objective.params.pulling_away": 0.0,
                "objective.params.pulling_away_relative": False}


def _flatten(tree, prefix=""):
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = list(value) if isinstance(value, tuple) else value
    return flat


def saved_run(workdir):
    """What `save_config` wrote in `workdir` ({"config": ..., "versions": ...}); None if nothing."""
    return read_json(os.path.join(workdir, CONFIG_FILE))


def config_changes(saved, config):
    """Fields whose values differ from the config of `saved` (a `saved_run` record), except those
    that a resumed run may change (more epochs, evaluation settings); [] when `saved` is None."""
    if saved is None:
        return []
    old, new = _flatten(saved["config"]), _flatten(json.loads(config.to_json()))
    old = {**{key: value for key, value in ADDED_FIELDS.items() if key in new}, **old}
    return sorted(key for key in set(old) | set(new)
                  if old.get(key) != new.get(key) and not key.startswith(RESUMABLE_CHANGES))


def save_config(workdir, config):
    write_json_atomic(os.path.join(workdir, CONFIG_FILE),
                      {"config": config.to_dict(), "versions": library_versions()})


def load_config(workdir):
    """The ConfigDict a work directory was trained with."""
    from ml_collections import config_dict
    saved = saved_run(workdir)
    if saved is None:
        raise FileNotFoundError(f"{os.path.join(workdir, CONFIG_FILE)} not found: is {workdir!r} "
                                f"a training work directory?")
    return config_dict.ConfigDict(saved["config"])


def last_metrics(workdir):
    """The metrics of the last evaluation recorded in `workdir` ({} before the first)."""
    records = read_json(os.path.join(workdir, METRICS_FILE), default=[])
    return records[-1]["metrics"] if records else {}


def append_metrics(workdir, record):
    path = os.path.join(workdir, METRICS_FILE)
    records = read_json(path, default=[])
    records.append(record)
    write_json_atomic(path, records)
