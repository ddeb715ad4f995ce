"""Checks a config before any training, with messages that name the offending field."""

import math

from tfencgan import networks, objectives
from tfencgan.data import LOADERS
from tfencgan.distributed import STRATEGIES
from tfencgan.precision import PRECISIONS


class ConfigError(ValueError):
    """A config value is wrong; the message names the field."""


def _check(condition, field, message):
    if not condition:
        raise ConfigError(f"config.{field}: {message}")


def _positive(config, field, integer=False):
    value = config
    for part in field.split("."):
        value = value[part]
    kind = int if integer else (int, float)
    _check(isinstance(value, kind) and not isinstance(value, bool) and 0 < value < math.inf,
           field, f"must be a positive {'integer' if integer else 'number'}, got {value!r}")


def validate_config(config):
    """Raises ConfigError naming the first wrong field; returns the built objective."""
    for field in ("objective", "networks", "data", "optimizer", "train", "eval", "latent_dim"):
        _check(field in config, field, "missing")
    name = config.objective.name
    _check(name in objectives.REGISTRY, "objective.name",
           f"unknown objective {name!r}; valid objectives: {sorted(objectives.REGISTRY)}")
    try:
        objective = objectives.build_objective(name, **dict(config.objective.get("params", {})))
    except ValueError as error:
        raise ConfigError(f"config.objective.params: {error}") from error
    for role in objective.networks:
        family = config.networks.get(role) or (config.networks.get("discriminator")
                                                 if role == "inversion_discriminator" else None)
        _check(family in networks.FAMILIES, f"networks.{role}",
               f"unknown network family {family!r}; valid families: {sorted(networks.FAMILIES)}")
    _check(config.data.name in LOADERS, "data.name",
           f"unknown dataset {config.data.name!r}; valid datasets: {sorted(LOADERS)}")
    _positive(config, "latent_dim", integer=True)
    _check(config.get("strategy", "default") in STRATEGIES, "strategy",
           f"unknown strategy {config.get('strategy')!r}; valid strategies: {list(STRATEGIES)}")
    _positive(config, "data.batch_size", integer=True)
    if config.data.get("limit") is not None:
        _positive(config, "data.limit", integer=True)
    _positive(config, "optimizer.lr")
    if config.optimizer.get("final_lr") is not None:
        _positive(config, "optimizer.final_lr")
    _check(0.0 <= config.optimizer.decay_start <= 1.0, "optimizer.decay_start",
           f"must lie in [0, 1], got {config.optimizer.decay_start!r}")
    for beta in ("beta_1", "beta_2"):
        value = config.optimizer[beta]
        _check(0.0 <= value < 1.0, f"optimizer.{beta}", f"must lie in [0, 1), got {value!r}")
    _check(config.optimizer.weight_decay >= 0, "optimizer.weight_decay",
           f"must be >= 0, got {config.optimizer.weight_decay!r}")
    _check(isinstance(config.optimizer.get("fused_adam", True), bool), "optimizer.fused_adam",
           f"must be True or False, got {config.optimizer.get('fused_adam')!r}")
    patience = config.optimizer.get("halve_lr_patience", 0)
    _check(isinstance(patience, int) and patience >= 0, "optimizer.halve_lr_patience",
           f"must be an integer >= 0 (0: off), got {patience!r}")
    _check(not patience or config.optimizer.get("final_lr") is None, "optimizer.halve_lr_patience",
           "halves constant learning rates: set optimizer.final_lr to None (no decay schedule)")
    if patience:
        monitor = config.optimizer.get("halve_lr_on", "convergence")
        _check(monitor in objective.log_names, "optimizer.halve_lr_on",
               f"the objective logs no {monitor!r}; it logs {list(objective.log_names)}")
    _positive(config, "train.epochs", integer=True)
    _check(config.train.get("precision", "float32") in PRECISIONS, "train.precision",
           f"unknown precision {config.train.get('precision')!r}; valid: {list(PRECISIONS)}")
    for role in config.train.get("float32_networks", ()):
        _check(role in objective.networks, "train.float32_networks",
               f"objective {config.objective.name!r} has no network {role!r}; its networks: "
               f"{list(objective.networks)}")
    _positive(config, "train.checkpoints_to_keep", integer=True)
    _positive(config, "eval.batch_size", integer=True)
    _check(config.train.get("grid_bn_batches", 0) >= 0, "train.grid_bn_batches",
           f"must be >= 0, got {config.train.get('grid_bn_batches')!r}")
    _check(config.eval.bn_reestimate_batches >= 0, "eval.bn_reestimate_batches",
           f"must be >= 0, got {config.eval.bn_reestimate_batches!r}")
    for split in config.eval.splits:
        _check(split in config.eval.get("references", {}), "eval.references",
               f"names no 1-NN reference split for the query split {split!r}")
    _check(config.eval.knn_metric in ("euclidean", "cosine"), "eval.knn_metric",
           f"must be 'euclidean' or 'cosine', got {config.eval.knn_metric!r}")
    return objective
