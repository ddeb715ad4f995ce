"""Network families behind one registry: `build_networks` makes the G, E, D an objective needs."""

import numpy as np

from tfencgan.networks import mlp

ROLES = ("generator", "encoder", "discriminator")

# family name -> role -> builder(data_shape, latent_dim, takes_latent, options) -> keras.Model
FAMILIES = {
    "mlp": {
        "generator": lambda data_shape, latent_dim, takes_latent, o: mlp.MLP(
            int(np.prod(data_shape)), "relu", o.get("hidden_units", 1024),
            o.get("batch_norm_epsilon", 1e-8), name="generator"),
        "encoder": lambda data_shape, latent_dim, takes_latent, o: mlp.MLP(
            latent_dim, "leaky_relu", o.get("hidden_units", 1024),
            o.get("batch_norm_epsilon", 1e-8), name="encoder"),
        "discriminator": lambda data_shape, latent_dim, takes_latent, o: mlp.MLPDiscriminator(
            latent_dim if takes_latent else None, o.get("hidden_units", 1024),
            o.get("batch_norm_epsilon", 1e-8), name="discriminator"),
    },
}


def build_network(family, role, data_shape, latent_dim, takes_latent=False, options=None):
    """Builds one network and creates its variables by calling it once on zeros."""
    if family not in FAMILIES:
        raise ValueError(f"Unknown network family {family!r} for the {role}; "
                         f"valid families: {sorted(FAMILIES)}")
    if role not in FAMILIES[family]:
        raise ValueError(f"Network family {family!r} has no {role}; it has: "
                         f"{sorted(FAMILIES[family])}")
    network = FAMILIES[family][role](tuple(data_shape), latent_dim, takes_latent, options or {})
    x = np.zeros((2,) + tuple(data_shape), np.float32)
    z = np.zeros((2, latent_dim), np.float32)
    if role == "generator":
        network.forward(z)
    elif role == "encoder":
        network.forward(x)
    else:
        network.forward(x, z if takes_latent else None)
    # `forward` bypasses Keras' __call__, which is what marks a model built.
    network.built = True
    return network


def build_networks(families, roles, data_shape, latent_dim, discriminator_takes_latent,
                   options=None):
    """Builds the networks for `roles`, each from `families[role]`."""
    return {role: build_network(families[role], role, data_shape, latent_dim,
                                role == "discriminator" and discriminator_takes_latent, options)
            for role in roles}
