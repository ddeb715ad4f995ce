"""tfencgan: generative models with encoders (GANs that also learn E(x) -> z) in TF2 / Keras 3."""

__version__ = "0.1.0"
