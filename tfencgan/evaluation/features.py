"""Feature extraction, with batch-norm statistics re-estimated for the current weights.

The BiGAN authors re-estimate batch-norm statistics over 1,000 training iterations before taking
features (`--deploy_iters`), because running averages collected while the weights moved lag behind
the final weights. `reestimated_batch_norm` does the same on a network and puts the trained moving
averages back afterwards, so evaluation never changes what training resumes from.
"""

import contextlib

import keras
import numpy as np
import tensorflow as tf


def batch_norm_layers(network):
    # Keras 3 has no public way to list a model's layers recursively (`Model.layers` is one
    # level deep and plain Layers have none); `_flatten_layers` is what `Model.layers` uses.
    return [layer for layer in network._flatten_layers()
            if isinstance(layer, keras.layers.BatchNormalization)]


@contextlib.contextmanager
def reestimated_batch_norm(network, run_training_mode, batches):
    """Inside the block, every BatchNormalization of `network` holds the average of the batch
    statistics over `batches` (with the current weights); on exit the old statistics return.

    `run_training_mode(batch)` must run `network` with training=True. It runs compiled, with
    every layer's momentum at 0, so that each call leaves its batch's statistics in the moving
    ones; their plain mean over the batches is summed here (in float64) and assigned at the end.
    (Eager calls with a momentum of 1 - 1/i per batch give the same mean, several times slower:
    this runs for every image grid and every evaluation.) No batches: the statistics are kept.
    """
    layers = batch_norm_layers(network)
    saved = [(layer, layer.momentum, [v.numpy() for v in (layer.moving_mean,
                                                           layer.moving_variance)])
             for layer in layers]
    try:
        # A network without batch norm has nothing to re-estimate: no forward passes.
        if layers:
            for layer in layers:
                layer.momentum = 0.0
            forward = tf.function(run_training_mode, reduce_retracing=True)
            sums, count = [[0.0, 0.0] for _ in layers], 0
            for batch in batches:
                forward(batch)
                count += 1
                for total, layer in zip(sums, layers):
                    total[0] += layer.moving_mean.numpy().astype(np.float64)
                    total[1] += layer.moving_variance.numpy().astype(np.float64)
            if count:
                for (mean, variance), layer in zip(sums, layers):
                    layer.moving_mean.assign((mean / count).astype(np.float32))
                    layer.moving_variance.assign((variance / count).astype(np.float32))
        yield network
    finally:
        for layer, momentum, (mean, variance) in saved:
            layer.momentum = momentum
            layer.moving_mean.assign(mean)
            layer.moving_variance.assign(variance)


def extract(feature_fn, images, batch_size):
    """Concatenates `feature_fn(batch)` over `images` in order, as one NumPy array."""
    fn = tf.function(feature_fn)
    outputs = [fn(tf.constant(images[i:i + batch_size])).numpy()
               for i in range(0, len(images), batch_size)]
    return np.concatenate(outputs, axis=0)


def extract_outputs(feature_fn, batches):
    """Runs `feature_fn(images) -> {name: tensor}` over an iterable of (images, labels) batches;
    returns ({name: array over all examples}, labels). Only features are kept, never images."""
    fn = tf.function(feature_fn)
    outputs, labels = {}, []
    for x, y in batches:
        for name, value in fn(tf.constant(x)).items():
            outputs.setdefault(name, []).append(value.numpy())
        labels.append(np.asarray(y))
    if not labels:
        raise ValueError("No examples to take features from (the split is empty)")
    return {name: np.concatenate(parts) for name, parts in outputs.items()}, np.concatenate(labels)
