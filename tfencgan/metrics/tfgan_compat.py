"""The one place tensorflow-gan is imported.

`import tensorflow_gan` fails on TF >= 2.16: its package `__init__` imports tf.estimator, which
is gone. Its evaluation code (Frechet distance, KID, classifier score, image grids) does not need
that, so this module registers `tensorflow_gan` and `tensorflow_gan.python` as bare packages (their
`__init__` files never run) and imports `tensorflow_gan.python.eval` beneath them. Use `tfgan_eval`
from here; never import tensorflow_gan elsewhere.
"""

import importlib
import importlib.util
import os
import sys
import types


def _bare_package(name, path):
    if name not in sys.modules:
        module = types.ModuleType(name)
        module.__path__ = [path]
        sys.modules[name] = module
    return sys.modules[name]


def _load_eval():
    spec = importlib.util.find_spec("tensorflow_gan")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("tensorflow-gan is not installed: pip install tensorflow-gan "
                          "(the metrics use its evaluation code)")
    root = list(spec.submodule_search_locations)[0]
    loaded = sys.modules.get("tensorflow_gan")
    if loaded is not None and getattr(loaded, "__file__", None):
        # The real package imported fine (an older TF): use it as it is.
        return importlib.import_module("tensorflow_gan.python.eval")
    _bare_package("tensorflow_gan", root)
    _bare_package("tensorflow_gan.python", os.path.join(root, "python"))
    return importlib.import_module("tensorflow_gan.python.eval")


tfgan_eval = _load_eval()
