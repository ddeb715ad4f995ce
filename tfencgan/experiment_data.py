"""The data an experiment reads: loader options, steps per epoch, and its training batches.

Shared by training (`tfencgan.experiment`) and evaluation (`tfencgan.experiment_metrics`): the
order of training batches is a function of (seed, epoch), so a resumed run reads what an
uninterrupted one would, and batch-norm statistics are re-estimated on seeded training batches.
"""

from tfencgan import data, evaluation
from tfencgan.validation import ConfigError


def data_options(config):
    """Options of the dataset loader (image sources: source, path, size, holdout, ...)."""
    return dict(config.data.get("options", {}))


def step_batch_size(config, objective):
    """Real images one training step reads: the batch, times the discriminator steps of a
    schedule whose D steps read fresh batches (Phase.fresh_batches)."""
    return config.data.batch_size * objective.batches_per_step


def steps_per_epoch(experiment):
    """Training steps (generator updates) per pass over the training data."""
    return (experiment.num_train_examples
            // step_batch_size(experiment.config, experiment.objective))


def batch_norm_batches(experiment):
    """count -> `count` training image batches (seeded), on which evaluation and export
    re-estimate batch-norm statistics."""
    config = experiment.config
    if experiment.train_data is not None:
        return lambda count: evaluation.random_batches(experiment.train_data[0],
                                                       config.data.batch_size, count)
    return lambda count: (x.numpy() for x in training_batches(experiment, 0, 1).take(count))


def training_batches(experiment, first_epoch, epochs):
    """Batches of epochs first_epoch..epochs, each epoch's order a function of (seed, epoch).

    In memory by default. With `config.data.augment` (image sources), streamed through the BiGAN
    paper's pipeline instead: shorter side `resize_to` (72 for 64), random crop, random flip.
    """
    config = experiment.config
    if not config.data.get("augment"):
        return data.training_dataset(experiment.train_data[0],
                                     step_batch_size(config, experiment.objective),
                                     config.train.seed, first_epoch, epochs)
    if config.data.name != "images" or config.data.get("limit"):
        raise ConfigError("config.data.augment: streams an image source (data.name 'images', "
                          "no data.limit)")
    return data.augmented_batches(config.data.split,
                                  step_batch_size(config, experiment.objective),
                                  config.train.seed, first_epoch, epochs, **data_options(config))
