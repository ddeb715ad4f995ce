"""Files of a work directory: the resolved config, metrics.json, checkpoint paths."""

import json
import os
import platform

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.json"


def library_versions():
    import keras
    import numpy
    import tensorflow

    import tfencgan
    return {"tfencgan": tfencgan.__version__, "tensorflow": tensorflow.__version__,
            "keras": keras.__version__, "numpy": numpy.__version__,
            "python": platform.python_version()}


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


def save_config(workdir, config):
    write_json_atomic(os.path.join(workdir, CONFIG_FILE),
                      {"config": config.to_dict(), "versions": library_versions()})


def load_config(workdir):
    """The ConfigDict a work directory was trained with."""
    from ml_collections import config_dict
    path = os.path.join(workdir, CONFIG_FILE)
    saved = read_json(path)
    if saved is None:
        raise FileNotFoundError(f"{path} not found: is {workdir!r} a training work directory?")
    return config_dict.ConfigDict(saved["config"])


def append_metrics(workdir, record):
    path = os.path.join(workdir, METRICS_FILE)
    records = read_json(path, default=[])
    records.append(record)
    write_json_atomic(path, records)
