"""The search space and the keras-tuner HyperModel that turns its values into a trainer.

A search space is a list of (config field, candidate values): `optimizer.lr=1e-4,3e-4,1e-3`.
By default it is the empirical study's grid (sec. 4, appendix A.3.3) restricted to what the
config's objective takes: learning rate {1e-4, 3e-4, 1e-3}, gradient-penalty weight {1, 3, 10},
discriminator steps {1, 2}, and λ {0.3, 1, 3} for the encoder losses of the BiGAN variants (the
paper grids λ without listing the values).
"""

import ast
import copy
import functools
import inspect

import keras_tuner

STUDY_GRID = (
    ("optimizer.lr", (1e-4, 3e-4, 1e-3)),
    ("objective.params.penalty_weight", (1.0, 3.0, 10.0)),
    ("objective.params.d_steps", (1, 2)),
    ("objective.params.lam", (0.3, 1.0, 3.0)),
)


def parse_value(text):
    """'3e-4' -> 3e-4, '2' -> 2, 'true' -> True, 'euclidean' -> 'euclidean'."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return text.strip()


def parse_space(specs):
    """['optimizer.lr=1e-4,3e-4', ...] -> [('optimizer.lr', (1e-4, 3e-4)), ...]."""
    space = []
    for spec in specs:
        field, sep, values = spec.partition("=")
        if not sep or not field.strip() or not values.strip():
            raise ValueError(f"Search space entry {spec!r} is not FIELD=VALUE[,VALUE...]")
        parsed = tuple(parse_value(v) for v in values.split(","))
        if any(isinstance(v, float) for v in parsed) and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in parsed):
            parsed = tuple(float(v) for v in parsed)   # keras-tuner wants one type per choice
        space.append((field.strip(), parsed))
    return space


def objective_parameters(config):
    from tfencgan.objectives import REGISTRY
    return set(inspect.signature(REGISTRY[config.objective.name]).parameters)


def default_space(config):
    """The study's grid, keeping the objective parameters the config's objective accepts."""
    accepted = objective_parameters(config)
    return [(field, values) for field, values in STUDY_GRID
            if not field.startswith("objective.params.")
            or field.rsplit(".", 1)[1] in accepted]


def set_field(config, field, value):
    """Sets a dotted config field (ConfigDict.update_from_flattened_dict); objective parameters
    may be new, other fields must exist."""
    parent, _, leaf = field.rpartition(".")
    try:
        node = functools.reduce(lambda n, key: n[key], parent.split("."), config) \
            if parent else config
    except (KeyError, AttributeError) as error:
        raise ValueError(f"Unknown config field {field!r}: no {parent!r}") from error
    if leaf not in node and parent != "objective.params":
        raise ValueError(f"Unknown config field {field!r}")
    if isinstance(value, float) and isinstance(node.get(leaf), int) and value.is_integer():
        value = int(value)
    with node.unlocked():     # a locked config (configs.load) still takes new objective params
        config.update_from_flattened_dict({field: value})


class TrainerHyperModel(keras_tuner.HyperModel):
    """Builds the trainer of `base_config` with the searched values set in the config.

    `config_for(hp)` is what a trial trains (tfencgan.experiment.train); `build(hp)` gives the
    compiled trainer itself, e.g. to inspect what a set of values does.
    """

    def __init__(self, base_config, space, **kwargs):
        super().__init__(**kwargs)
        self.base_config, self.space = base_config, list(space)
        check = copy.deepcopy(base_config)
        accepted = objective_parameters(base_config)
        for field, values in self.space:
            if field.startswith("objective.params.") and field.rsplit(".", 1)[1] not in accepted:
                raise ValueError(f"Objective {base_config.objective.name!r} takes no "
                                 f"{field.rsplit('.', 1)[1]!r}; it takes {sorted(accepted)}")
            set_field(check, field, values[0])   # unknown fields fail before any trial

    def declare_hyperparameters(self, hp):
        for field, values in self.space:
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool)
                          for v in values)
            hp.Choice(field, list(values), ordered=numeric)

    def config_for(self, hp):
        config = copy.deepcopy(self.base_config)
        for field, _ in self.space:
            set_field(config, field, hp.get(field))
        return config

    def build(self, hp):
        from tfencgan import experiment
        self.declare_hyperparameters(hp)
        built = experiment.build(self.config_for(hp))
        experiment.compile_trainer(built)
        return built.trainer
