"""Trials as tfencgan training runs, under any keras-tuner oracle.

Each trial trains `TrainerHyperModel.config_for(values)` with `tfencgan.experiment.train` in
`<project>/trial_<id>/run`: its own checkpoints, metrics.json and TensorBoard logs. The search
state lives in the keras-tuner project directory, so rerunning a killed search skips finished
trials and resumes the interrupted one from its last checkpoint. A trial whose losses turn NaN
is recorded as failed with the reason, and the search goes on.
"""

import os
import shutil

import keras_tuner

from tfencgan.callbacks import NonFiniteLossError
from tuning import ALGORITHMS



def direction_of(metric):
    """'max' or 'min', as declared beside the metric's code (tfencgan.metric_directions);
    an unknown metric, or one that ranks nothing, is an error naming it."""
    from tfencgan import metric_directions
    return metric_directions.ranking_direction(metric)


class ExperimentTuner(keras_tuner.Tuner):
    """A keras-tuner Tuner whose trials are `experiment.train` runs of the hypermodel's config."""

    def __init__(self, trainer_hypermodel, oracle, **kwargs):
        # The space is declared in the oracle; keras-tuner need not build models to find it.
        super().__init__(oracle=oracle, hypermodel=None, **kwargs)
        self.trainer_hypermodel = trainer_hypermodel

    def run_dir(self, trial_id):
        return os.path.join(self.get_trial_dir(trial_id), "run")

    def run_trial(self, trial, *args, **kwargs):
        from tfencgan import experiment
        hp = trial.hyperparameters
        config = self.trainer_hypermodel.config_for(hp)
        workdir = self.run_dir(trial.trial_id)
        if "tuner/epochs" in hp.values:            # Hyperband: a budget of epochs per round,
            config.train.epochs = hp.get("tuner/epochs")
            parent = hp.values.get("tuner/trial_id")   # continuing a trial of an earlier round
            if parent and not os.path.exists(workdir):
                shutil.copytree(self.run_dir(parent), workdir)
        try:
            metrics = experiment.train(config, workdir)
        except NonFiniteLossError as error:
            raise keras_tuner.errors.FailedTrialError(f"diverged: {error}") from error
        name = self.oracle.objective.name
        if name not in metrics:
            raise keras_tuner.errors.FatalError(
                f"The evaluation reports no metric {name!r}; it reports {sorted(metrics)}")
        return {key: float(value) for key, value in metrics.items()}


class ResumableGridSearchOracle(keras_tuner.oracles.GridSearchOracle):
    """keras-tuner's grid oracle keeps the order of its grid points only in memory, so a search
    reloaded after a kill fails with a KeyError on the interrupted trial's id. This one saves
    that order with the rest of the oracle's state. No public API exposes that order, so this
    reads keras-tuner 1.4's private fields (setup.py keeps keras-tuner below 1.5)."""

    def get_state(self):
        state = super().get_state()
        order = self._ordered_ids
        state["grid_order"] = {"memory": list(order._memory),
                               "next_index": {str(k): v for k, v in order._next_index.items()
                                              if k is not None},
                               "last_index": order._last_index}
        state["grid_populate_next"] = list(self._populate_next)
        return state

    def set_state(self, state):
        super().set_state(state)
        saved = state.get("grid_order")
        if saved:
            order = self._ordered_ids
            order._memory = list(saved["memory"])
            order._data_to_index = {data: i for i, data in enumerate(order._memory)}
            order._next_index.clear()
            order._next_index.update({int(k): v for k, v in saved["next_index"].items()})
            order._last_index = saved["last_index"]
            self._populate_next = list(state.get("grid_populate_next", []))


def make_oracle(algorithm, hypermodel, metric, direction, max_trials, seed, max_epochs=None):
    if algorithm not in ALGORITHMS:
        raise ValueError(f"Unknown search algorithm {algorithm!r}; valid: {list(ALGORITHMS)}")
    hp = keras_tuner.HyperParameters()
    hypermodel.declare_hyperparameters(hp)
    common = dict(objective=keras_tuner.Objective(metric, direction), hyperparameters=hp,
                  tune_new_entries=False, seed=seed, max_consecutive_failed_trials=max_trials)
    if algorithm == "grid":
        return ResumableGridSearchOracle(max_trials=max_trials, **common)
    if algorithm == "random":
        return keras_tuner.oracles.RandomSearchOracle(max_trials=max_trials, **common)
    if algorithm == "bayesian":
        return keras_tuner.oracles.BayesianOptimizationOracle(max_trials=max_trials, **common)
    return keras_tuner.oracles.HyperbandOracle(max_epochs=max_epochs or
                                               hypermodel.base_config.train.epochs,
                                               factor=3, **common)
