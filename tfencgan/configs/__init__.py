"""Experiment configs (ml_collections), one file per experiment; found by name or by path."""

import os

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


def load(name_or_path):
    """Loads a config by name or path (with an optional ':argument' for its get_config) and
    returns its ConfigDict."""
    import importlib.util
    path, _, argument = resolve(name_or_path).partition(":")
    spec = importlib.util.spec_from_file_location("tfencgan_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.get_config(argument) if argument else module.get_config()
