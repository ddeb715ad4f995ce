"""Whether a metric is better high ("max"), low ("min"), or is a reference value that ranks
nothing (None), read from the `DIRECTIONS` declared beside the code that computes each metric
(tfencgan.evaluation, tfencgan.metrics.generation and .spectrum). The best-checkpoint keeper and the tuner both
ask here, so they cannot disagree, and a metric nobody declared is an error naming it rather
than a silent guess.

Metric names are `<split>/<family>[/<feature space>]` (`test/knn_accuracy/encoder_penultimate`,
`prior/latent_reconstruction_error`); the family decides the direction.
"""


class UnknownMetricError(ValueError):
    """A metric name whose family no evaluation code declares."""


def declared():
    """{metric family: "max" | "min" | None} over every module that computes metrics."""
    from tfencgan import evaluation
    from tfencgan.metrics import generation, spectrum
    return {**evaluation.DIRECTIONS, **generation.DIRECTIONS, **spectrum.DIRECTIONS}


def family(metric):
    parts = metric.split("/")
    return parts[1] if len(parts) > 1 else parts[0]


def direction(metric):
    """"max", "min" or None (not ranked) for `metric`; UnknownMetricError if undeclared."""
    directions = declared()
    name = family(metric)
    if name not in directions:
        raise UnknownMetricError(
            f"Unknown metric {metric!r} (family {name!r}); metric families: "
            f"{sorted(directions)}, named <split>/<family>[/<features>], e.g. "
            f"test/knn_accuracy/encoder_penultimate")
    return directions[name]


def ranking_direction(metric):
    """The direction of a metric something is ranked by: an error if it ranks nothing."""
    result = direction(metric)
    if result is None:
        raise UnknownMetricError(f"{metric!r} is a reference value, not a metric to rank by; "
                                 f"rank by "
                                 f"{sorted(k for k, v in declared().items() if v)}")
    return result
