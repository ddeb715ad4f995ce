"""Network families behind one registry: `build_networks` makes the networks an objective needs.

Roles: generator, encoder, discriminator, and inversion_discriminator (the second, joint
discriminator of the empirical study's adversarial-X / -Z losses on top of a GAN). Options come
from the config (`networks.options`: sizes) and from the objective (`Objective.network_options`:
what the objective needs of a network, e.g. a Gaussian posterior or two discriminator heads).
"""

import contextlib
import functools
import inspect

import numpy as np

from tfencgan import precision
from tfencgan.networks import began, bigan_imagenet, dcgan, mlp, sndcgan
from tfencgan.networks.layers import record_inputs

ROLES = ("generator", "encoder", "discriminator", "inversion_discriminator")


def reconstruct(encoder, generator, x, training=False):
    """G(E(x)): the generator's output on the encoder's code for x (a Gaussian encoder's mean)."""
    return generator(encoder(x, training=training)["output"], training=training)["output"]


# Builders: builder(data_shape, latent_dim, takes_latent, *, <options>) -> keras.Model. Each
# names the options it takes as keyword arguments; build_network gives it those of the config's
# and the objective's options, and an option no builder of the family takes is an error.


def mlp_generator(shape, latent_dim, takes_latent, *, hidden_units=1024,
                  batch_norm_epsilon=1e-8, learned_scale=False,
                  generator_first_batch_norm=False, generator_latent_skip=False):
    return mlp.MLP(int(np.prod(shape)), "relu", hidden_units, batch_norm_epsilon,
                   learned_scale=learned_scale, first_batch_norm=generator_first_batch_norm,
                   input_skip=generator_latent_skip, name="generator")


def mlp_encoder(shape, latent_dim, takes_latent, *, hidden_units=1024, batch_norm_epsilon=1e-8,
                latent_projection="squash", gaussian_posterior=False,
                unit_interval_inputs=False, max_log_variance=None):
    return mlp.MLP(latent_dim, "leaky_relu", hidden_units, batch_norm_epsilon, latent_projection,
                   gaussian_posterior, False, unit_interval_inputs, max_log_variance,
                   name="encoder")


def mlp_discriminator(shape, latent_dim, takes_latent, *, hidden_units=1024,
                      batch_norm_epsilon=1e-8, heads=1, unit_interval_inputs=False,
                      autoencoder=False, code_units=64, discriminator_latent_at_output=True,
                      discriminator_zero_output_init=False, name="discriminator"):
    if autoencoder:     # BEGAN
        return mlp.MLPAutoencoder(int(np.prod(shape)), hidden_units, code_units, name=name)
    return mlp.MLPDiscriminator(latent_dim if takes_latent else None, hidden_units,
                                batch_norm_epsilon, heads, unit_interval_inputs,
                                latent_at_output=discriminator_latent_at_output,
                                zero_output_init=discriminator_zero_output_init, name=name)


def sndcgan_generator(shape, latent_dim, takes_latent, *, width=1.0, learned_scale=False):
    sndcgan.check_image_shape(shape)
    return sndcgan.Generator(shape[0], width, learned_scale, shape[-1], name="generator")


def sndcgan_encoder(shape, latent_dim, takes_latent, *, width=1.0, gaussian_posterior=False,
                    latent_projection="linear", max_log_variance=None):
    sndcgan.check_image_shape(shape)
    return sndcgan.Encoder(latent_dim, width, gaussian_posterior, latent_projection,
                           max_log_variance, name="encoder")


def sndcgan_discriminator(shape, latent_dim, takes_latent, *, width=1.0, heads=1,
                          autoencoder=False, latent_scale=1.0, name="discriminator"):
    sndcgan.check_image_shape(shape)
    if autoencoder:
        raise ValueError("The sndcgan family has no autoencoder discriminator (BEGAN); use the "
                         "began or mlp family")
    return sndcgan.Discriminator(latent_dim if takes_latent else None, width, heads,
                                 latent_scale, name=name)


def began_generator(shape, latent_dim, takes_latent, *, filters=64, skip=False,
                    output_activation="linear", initializer="glorot_uniform",
                    generator_batch_norm=False):
    began.check_image_shape(shape)
    return began.Decoder(shape[0], shape[2], filters, skip, output_activation, initializer,
                         generator_batch_norm, name="generator")


def began_discriminator(shape, latent_dim, takes_latent, *, autoencoder=False, filters=64,
                        code_units=64, skip=False, output_activation="linear",
                        initializer="glorot_uniform"):
    began.check_image_shape(shape)
    if not autoencoder or takes_latent:
        raise ValueError("The began family's discriminator is an autoencoder of x: use it with "
                         "the began objective")
    return began.Autoencoder(shape[0], shape[2], filters, code_units, skip, output_activation,
                             initializer, name="discriminator")


def dcgan_generator(shape, latent_dim, takes_latent, *, filters=64):
    dcgan.check_image_shape(shape)
    return dcgan.Generator(shape[0], shape[2], filters, name="generator")


def dcgan_encoder(shape, latent_dim, takes_latent, *, filters=64, latent_projection="sphere",
                  gaussian_posterior=False):
    dcgan.check_image_shape(shape)
    if gaussian_posterior:
        raise ValueError("The dcgan encoder has no Gaussian posterior; use the sndcgan family")
    return dcgan.Encoder(shape[0], latent_dim, filters, latent_projection, name="encoder")


def _check_64(shape):
    if tuple(shape) != (64, 64, 3):
        raise ValueError(f"The bigan_imagenet networks take 64x64x3 images, got data shape "
                         f"{tuple(shape)}")


def imagenet_generator(shape, latent_dim, takes_latent, *, width=1.0):
    _check_64(shape)
    return bigan_imagenet.DCGANGenerator(width, name="generator")


def imagenet_encoder(shape, latent_dim, takes_latent, *, width=1.0):
    _check_64(shape)
    return bigan_imagenet.AlexNetEncoder(latent_dim, width, name="encoder")


def imagenet_discriminator(shape, latent_dim, takes_latent, *, width=1.0, heads=1):
    _check_64(shape)
    if heads != 1:
        raise ValueError("The bigan_imagenet discriminator has one head")
    return bigan_imagenet.DCGANDiscriminator(latent_dim if takes_latent else None, width,
                                             name="discriminator")


# family name -> role -> builder
FAMILIES = {
    "mlp": {
        "generator": mlp_generator,
        "encoder": mlp_encoder,
        "discriminator": mlp_discriminator,
        "inversion_discriminator": functools.partial(mlp_discriminator,
                                                     name="inversion_discriminator"),
    },
    "sndcgan": {
        "generator": sndcgan_generator,
        "encoder": sndcgan_encoder,
        "discriminator": sndcgan_discriminator,
        "inversion_discriminator": functools.partial(sndcgan_discriminator,
                                                     name="inversion_discriminator"),
    },
    # BEGAN's convolutional autoencoder discriminator and decoder-shaped generator.
    "began": {"generator": began_generator, "discriminator": began_discriminator},
    # DCGAN-shaped generator and encoder for small images (AGE's networks).
    "dcgan": {"generator": dcgan_generator, "encoder": dcgan_encoder},
    "bigan_imagenet": {"generator": imagenet_generator, "encoder": imagenet_encoder,
                       "discriminator": imagenet_discriminator},
}


def builder_options(builder):
    """The options a builder takes (its keyword-only arguments)."""
    return [name for name, parameter in inspect.signature(builder).parameters.items()
            if parameter.kind == parameter.KEYWORD_ONLY and name != "name"]


def family_options(family):
    return sorted({o for builder in FAMILIES[family].values() for o in builder_options(builder)})


def _options_for(family, role, options):
    """The subset of `options` the role's builder takes; an option that no builder of the
    family takes (a typo, or an option of another family) is an error naming the valid ones."""
    unknown = sorted(set(options) - set(family_options(family)))
    if unknown:
        raise ValueError(f"Network family {family!r} has no option(s) {unknown}; its options: "
                         f"{family_options(family)}")
    accepted = builder_options(FAMILIES[family][role])
    return {k: v for k, v in options.items() if k in accepted}


def build_network(family, role, data_shape, latent_dim, takes_latent=False, options=None):
    """Builds one network and creates its variables by calling it once on zeros."""
    if family not in FAMILIES:
        raise ValueError(f"Unknown network family {family!r} for the {role}; "
                         f"valid families: {sorted(FAMILIES)}")
    if role not in FAMILIES[family]:
        raise ValueError(f"Network family {family!r} has no {role}; it has: "
                         f"{sorted(FAMILIES[family])}")
    builder = FAMILIES[family][role]
    takes_latent = takes_latent or role == "inversion_discriminator"   # it scores (x, z) pairs
    network = builder(tuple(data_shape), latent_dim, takes_latent,
                      **_options_for(family, role, dict(options or {})))
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
                   options=None, role_options=None, float32_roles=()):
    """Builds the networks for `roles`, each from `families[role]` (the inversion
    discriminator from the discriminator's family unless named), with the config's `options`
    updated by the objective's `role_options[role]`; those in `float32_roles` compute in
    float32 whatever the surrounding dtype policy (tfencgan.precision)."""
    role_options = role_options or {}
    networks = {}
    for role in roles:
        family = families.get(role) or families["discriminator"]
        merged = {**(options or {}), **role_options.get(role, {})}
        with precision.policy("float32") if role in float32_roles else contextlib.nullcontext():
            networks[role] = build_network(family, role, data_shape, latent_dim,
                                           role == "discriminator" and discriminator_takes_latent,
                                           merged)
    return networks
