"""Objectives behind one registry: `build_objective(name, **params)`.

An objective is data (players, terms, schedule), not a trainer subclass, so a new one is a new
builder here and nothing else.
"""

import functools
import inspect

from tfencgan.objectives import age, ali, began, bigan_paper, empirical_study
from tfencgan.objectives.base import ForwardPass, Objective, Phase, Term

REGISTRY = {
    "gan": bigan_paper.gan,
    "bigan": bigan_paper.bigan,
    "ali": ali.ali,
    "latent_regressor": bigan_paper.latent_regressor,
    "joint_latent_regressor": bigan_paper.joint_latent_regressor,
    "autoencoder_l1": functools.partial(bigan_paper.autoencoder, "l1"),
    "autoencoder_l2": functools.partial(bigan_paper.autoencoder, "l2"),
    # The empirical study (Rubenstein et al.): its GAN / BiGAN with the gradient penalty, each
    # alone and + every encoder loss (bound positionally, so it is no settable parameter);
    # its VAE; and WGAN-GP.
    **{f"{name}_gp": functools.partial(builder, None)
       for name, builder in (("gan", empirical_study.gan), ("bigan", empirical_study.bigan))},
    **{f"{name}_{loss}": functools.partial(builder, loss)
       for name, builder in (("gan", empirical_study.gan), ("bigan", empirical_study.bigan))
       for loss in empirical_study.ENCODER_LOSSES},
    "vae": empirical_study.vae,
    "wgan_gp": empirical_study.wgan_gp,
    "age": age.age,
    "began": began.began,
}


def default_parameters(name):
    """{parameter: default} of a registered objective's builder: every parameter it accepts."""
    if name not in REGISTRY:
        raise ValueError(f"Unknown objective {name!r}; valid objectives: {sorted(REGISTRY)}")
    return {key: parameter.default
            for key, parameter in inspect.signature(REGISTRY[name]).parameters.items()}


def build_objective(name, **params):
    """Builds a registered objective; unknown names and parameters list the valid ones."""
    if name not in REGISTRY:
        raise ValueError(f"Unknown objective {name!r}; valid objectives: {sorted(REGISTRY)}")
    builder = REGISTRY[name]
    accepted = inspect.signature(builder).parameters
    unknown = set(params) - set(accepted)
    if unknown:
        raise ValueError(f"Objective {name!r} has no parameters {sorted(unknown)}; "
                         f"it takes: {sorted(accepted) or 'none'}")
    return builder(**params)


__all__ = ["REGISTRY", "build_objective", "default_parameters", "ForwardPass", "Objective", "Phase", "Term"]
