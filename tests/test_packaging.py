"""setup.py declares every third-party package that tfencgan, pipelines and tuning import."""

import ast
import importlib.metadata
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ("tfencgan", "pipelines", "tuning")


def imported_top_level_modules():
    modules = set()
    for package in PACKAGES:
        for folder, _, files in os.walk(os.path.join(ROOT, package)):
            for name in files:
                if name.endswith(".py"):
                    tree = ast.parse(open(os.path.join(folder, name)).read())
                    for node in ast.walk(tree):
                        if isinstance(node, ast.Import):
                            modules.update(alias.name.split(".")[0] for alias in node.names)
                        elif isinstance(node, ast.ImportFrom) and node.level == 0:
                            modules.add(node.module.split(".")[0])
    return modules - set(sys.stdlib_module_names) - set(PACKAGES)


def normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_imported_third_party_module_is_declared():
    declared = {normalise(re.split(r"[<>=!~ ;\[]", requirement)[0])
                for requirement in importlib.metadata.requires("tfencgan")
                if "extra ==" not in requirement}
    distributions = importlib.metadata.packages_distributions()
    missing = {}
    for module in sorted(imported_top_level_modules()):
        providers = {normalise(d) for d in distributions.get(module, [module])}
        if not providers & declared:
            missing[module] = sorted(providers)
    assert not missing, f"imported but not in setup.py install_requires: {missing}"
    # Every declared requirement carries an upper bound.
    for requirement in importlib.metadata.requires("tfencgan"):
        if "extra ==" not in requirement and not requirement.startswith("importlib"):
            assert "<" in requirement, requirement
