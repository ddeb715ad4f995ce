"""keras-tuner searches over any experiment config: `tuning.search.run_search`, and the binary
`python -m tuning.search`. See tuning/hypermodel.py for the search space and tuning/tuner.py for
how trials run, resume and fail."""

# keras-tuner oracles a search can use (tuning.tuner.make_oracle); here so that the binary's
# flags know them without importing keras-tuner.
ALGORITHMS = ("grid", "random", "bayesian", "hyperband")


class SearchError(RuntimeError):
    """A search cannot resume as asked, or none of its trials completed."""
