"""Experiment configs (ml_collections), one file per experiment; found by name or by path."""

import os
import re

CONFIG_DIR = os.path.dirname(os.path.abspath(__file__))


def available():
    return sorted(f[:-3] for f in os.listdir(CONFIG_DIR)
                  if f.endswith(".py") and not f.startswith("_") and not f.endswith("_base.py"))


def resolve(name_or_path):
    """Returns the path of a config file given as a path, `configs/<name>.py`, or a bare name.

    A trailing ':arg' (ml_collections' config-file argument) is kept.
    """
    path, sep, arg = name_or_path.partition(":")
    if not os.path.exists(path):
        name = os.path.basename(path)
        name = name[:-3] if name.endswith(".py") else name
        candidate = os.path.join(CONFIG_DIR, name + ".py")
        if not os.path.exists(candidate):
            raise FileNotFoundError(f"No config file {name_or_path!r}; give a path or one of the "
                                    f"packaged configs: {available()}")
        path = candidate
    return path + sep + arg


def load(name_or_path, locked=True):
    """Loads a config by name or path (with an optional ':argument' for its get_config) and
    returns its ConfigDict, locked: existing fields can be changed, a misspelt new one
    (`config.train.epoch = 3`) is an error, as on the command line."""
    import importlib.util
    path, _, argument = resolve(name_or_path).partition(":")
    spec = importlib.util.spec_from_file_location("tfencgan_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = module.get_config(argument) if argument else module.get_config()
    if locked:
        config.lock()
    return config


def _source_files(path):
    """A config file and the packaged base files it imports (mnist_base, study_base, ...)."""
    files, pending = [], [path]
    while pending:
        current = pending.pop()
        if current in files or not os.path.exists(current):
            continue
        files.append(current)
        text = open(current).read()
        for base in re.findall(r"from tfencgan\.configs import (\w+)", text):
            pending.append(os.path.join(CONFIG_DIR, base + ".py"))
    return files


_SECTION = re.compile(r"config\.(\w+)\s*=\s*config_dict")
_ASSIGNED = re.compile(r"config\.([\w.]+)\s*=")
_KEY = re.compile(r"""["'](\w+)["']\s*:""")


def field_comments(name_or_path):
    """{(section, leaf name): the comment written beside it} in a config file and its bases;
    on a line with several keys the comment belongs to the last one."""
    comments = {}
    for file in _source_files(resolve(name_or_path).partition(":")[0]):
        section = None
        for line in open(file):
            code, _, comment = line.partition("#")
            started = _SECTION.search(code)
            if started:
                section = started.group(1)
            if not comment.strip():
                continue
            keys = _KEY.findall(code)
            assigned = _ASSIGNED.search(code)
            if keys and section:
                key = (section, keys[-1])
            elif assigned:
                parts = assigned.group(1).split(".")
                key = (parts[0], parts[-1])
            else:
                continue
            comments.setdefault(key, comment.strip())
    return comments


def flatten(config, prefix=""):
    """[(dotted field, value)] of a ConfigDict, depth first in its own order."""
    rows = []
    for key, value in config.items():
        if hasattr(value, "items") and not isinstance(value, dict):
            rows.extend(flatten(value, f"{prefix}{key}."))
        elif isinstance(value, dict):
            rows.extend(flatten(type("D", (), {"items": value.items})(), f"{prefix}{key}."))
        else:
            rows.append((f"{prefix}{key}", value))
    return rows


def describe(config, name_or_path=None):
    """The resolved config, one `field = value  # comment` line per field (comments from the
    config file `name_or_path` and its bases; without it, from the packaged base configs)."""
    comments = field_comments(name_or_path or "mnist_base")
    lines = []
    for field, value in flatten(config):
        parts = field.split(".")
        comment = comments.get((parts[0], parts[-1]))
        lines.append(f"{field} = {value!r}" + (f"  # {comment}" if comment else ""))
    return "\n".join(lines)
