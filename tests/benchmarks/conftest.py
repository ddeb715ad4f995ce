import importlib.util
import json
import os

import pytest

BENCHMARKS = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks")


@pytest.fixture(scope="session")
def benchmark_script():
    """`benchmark_script("study")` -> benchmarks/study.py loaded as a module (benchmarks/ is
    not a package)."""
    def load(name):
        spec = importlib.util.spec_from_file_location(f"benchmark_{name}",
                                                      os.path.join(BENCHMARKS, f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return load


@pytest.fixture
def write_metrics():
    """`write_metrics(run_dir, records)` writes a run's metrics.json as training does."""
    def write(path, records):
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "metrics.json"), "w") as f:
            json.dump(records, f)
    return write
