"""Network families behind one registry: `build_networks` makes the networks an objective needs.

Roles: generator, encoder, discriminator, and inversion_discriminator (the second, joint
discriminator of the empirical study's adversarial-X / -Z losses on top of a GAN). Options come
from the config (`networks.options`: sizes) and from the objective (`Objective.network_options`:
what the objective needs of a network, e.g. a Gaussian posterior or two discriminator heads).
"""

import numpy as np

from tfencgan.networks import began, bigan_imagenet, dcgan, mlp, sndcgan
from tfencgan.networks.layers import record_inputs

ROLES = ("generator", "encoder", "discriminator", "inversion_discriminator")


def _mlp_discriminator(data_shape, latent_dim, takes_latent, o, name="discriminator"):
    if o.get("autoencoder"):     # BEGAN
        return mlp.MLPAutoencoder(int(np.prod(data_shape)), o.get("hidden_units", 1024),
                                  o.get("code_units", 64), name=name)
    return mlp.MLPDiscriminator(latent_dim if takes_latent else None, o.get("hidden_units", 1024),
                                o.get("batch_norm_epsilon", 1e-8), o.get("heads", 1),
                                o.get("unit_interval_inputs", False), name=name)


def _mlp(output_dim, activation, o, name, unit_interval_inputs=False):
    return mlp.MLP(output_dim, activation, o.get("hidden_units", 1024),
                   o.get("batch_norm_epsilon", 1e-8), o.get("latent_projection", "squash"),
                   o.get("gaussian_posterior", False), o.get("learned_scale", False),
                   unit_interval_inputs, o.get("max_log_variance"), name=name)


def _sndcgan_discriminator(data_shape, latent_dim, takes_latent, o, name="discriminator"):
    sndcgan._check_image_shape(data_shape)
    if o.get("autoencoder"):
        raise ValueError("The sndcgan family has no autoencoder discriminator (BEGAN); use the "
                         "mlp family")
    return sndcgan.Discriminator(latent_dim if takes_latent else None, o.get("width", 1.0),
                                 o.get("heads", 1), name=name)


def _sndcgan_encoder(data_shape, latent_dim, takes_latent, o):
    sndcgan._check_image_shape(data_shape)
    return sndcgan.Encoder(latent_dim, o.get("width", 1.0), o.get("gaussian_posterior", False),
                           o.get("latent_projection", "linear"), name="encoder")


def _sndcgan_generator(data_shape, latent_dim, takes_latent, o):
    sndcgan._check_image_shape(data_shape)
    return sndcgan.Generator(data_shape[0], o.get("width", 1.0), o.get("learned_scale", False),
                             data_shape[-1], name="generator")


def _check_64(data_shape):
    if tuple(data_shape) != (64, 64, 3):
        raise ValueError(f"The bigan_imagenet networks take 64x64x3 images, got data shape "
                         f"{tuple(data_shape)}")


def _imagenet(builder):
    def build(shape, d, joint, o):
        _check_64(shape)
        unsupported = {k for k in ("heads", "gaussian_posterior", "learned_scale", "autoencoder")
                       if o.get(k) and not (k == "heads" and o[k] == 1)}
        if unsupported:
            raise ValueError(f"The bigan_imagenet networks do not support {sorted(unsupported)}")
        return builder(shape, d, joint, o)
    return build


def _began_discriminator(shape, d, joint, o):
    began.check_image_shape(shape)
    if not o.get("autoencoder") or joint:
        raise ValueError("The began family's discriminator is an autoencoder of x: use it with "
                         "the began objective")
    return began.Autoencoder(shape[0], shape[2], o.get("filters", 64), o.get("code_units", 64),
                             o.get("skip", False), o.get("output_activation", "linear"),
                             o.get("initializer", "glorot_uniform"), name="discriminator")


def _began_generator(shape, d, joint, o):
    began.check_image_shape(shape)
    return began.Decoder(shape[0], shape[2], o.get("filters", 64), o.get("skip", False),
                         o.get("output_activation", "linear"),
                         o.get("initializer", "glorot_uniform"), name="generator")


def _dcgan_generator(shape, d, joint, o):
    dcgan.check_image_shape(shape)
    return dcgan.Generator(shape[0], shape[2], o.get("filters", 64), name="generator")


def _dcgan_encoder(shape, d, joint, o):
    dcgan.check_image_shape(shape)
    if o.get("gaussian_posterior"):
        raise ValueError("The dcgan encoder has no Gaussian posterior; use the sndcgan family")
    return dcgan.Encoder(shape[0], d, o.get("filters", 64), o.get("latent_projection", "sphere"),
                         name="encoder")


# family name -> role -> builder(data_shape, latent_dim, takes_latent, options) -> keras.Model
FAMILIES = {
    "mlp": {
        "generator": lambda shape, d, joint, o: _mlp(int(np.prod(shape)), "relu", o,
                                                     "generator"),
        "encoder": lambda shape, d, joint, o: _mlp(d, "leaky_relu", o, "encoder",
                                                   o.get("unit_interval_inputs", False)),
        "discriminator": _mlp_discriminator,
        "inversion_discriminator": lambda shape, d, joint, o: _mlp_discriminator(
            shape, d, True, o, name="inversion_discriminator"),
    },
    "sndcgan": {
        "generator": _sndcgan_generator,
        "encoder": _sndcgan_encoder,
        "discriminator": _sndcgan_discriminator,
        "inversion_discriminator": lambda shape, d, joint, o: _sndcgan_discriminator(
            shape, d, True, o, name="inversion_discriminator"),
    },
    # BEGAN's convolutional autoencoder discriminator and decoder-shaped generator.
    "began": {"generator": _began_generator, "discriminator": _began_discriminator},
    # DCGAN-shaped generator and encoder for small images (AGE's networks).
    "dcgan": {"generator": _dcgan_generator, "encoder": _dcgan_encoder},
    "bigan_imagenet": {
        "generator": _imagenet(lambda shape, d, joint, o: bigan_imagenet.DCGANGenerator(
            o.get("width", 1.0), name="generator")),
        "encoder": _imagenet(lambda shape, d, joint, o: bigan_imagenet.AlexNetEncoder(
            d, o.get("width", 1.0), name="encoder")),
        "discriminator": _imagenet(lambda shape, d, joint, o: bigan_imagenet.DCGANDiscriminator(
            d if joint else None, o.get("width", 1.0), name="discriminator")),
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
        inputs = [z]
    elif role == "encoder":
        inputs = [x]
    else:
        inputs = [x, z] if network.takes_latent else [x]
    record_inputs(network, inputs)
    return network


def build_networks(families, roles, data_shape, latent_dim, discriminator_takes_latent,
                   options=None, role_options=None):
    """Builds the networks for `roles`, each from `families[role]` (the inversion
    discriminator from the discriminator's family unless named), with the config's `options`
    updated by the objective's `role_options[role]`."""
    role_options = role_options or {}
    networks = {}
    for role in roles:
        family = families.get(role) or families["discriminator"]
        merged = {**(options or {}), **role_options.get(role, {})}
        networks[role] = build_network(family, role, data_shape, latent_dim,
                                       role == "discriminator" and discriminator_takes_latent,
                                       merged)
    return networks
