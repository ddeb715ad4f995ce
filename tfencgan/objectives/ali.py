"""ALI (Dumoulin et al., "Adversarially Learned Inference", ICLR 2017, sec. 2-3): BiGAN's game
with a *stochastic* encoder.

The discriminator scores joint pairs (x, z) as in BiGAN (its value function, eq. 1, is BiGAN's
eq. 3), but E is the Gaussian q(z|x) = N(μ(x), σ²(x)): D sees x paired with a sample
z = μ(x) + σ(x)·ε, ε ~ N(0, I), reparameterised so the generating side's gradient reaches μ and σ
(sec. 3, "we use the reparametrization trick"). The prior is N(0, I). The log-variance is
bounded above by 0 (σ ≤ 1, the prior's scale; `max_log_variance`): unbounded, our MLP encoder
inflated σ to ~2e4 on MNIST and the game stalled (BUILD_NOTES.md). Everything else (players,
losses, schedule) is BiGAN's, so ALI is BiGAN with two options: the encoder's Gaussian
posterior (`network_options`) and the prior. The sample is `ForwardPass.code`, the one place a
Gaussian posterior is sampled (the VAE uses it too); evaluation and export use the mean μ(x),
the encoder's `output`.
"""

from tfencgan.objectives import bigan_paper


def ali(d_steps=1):
    """ALI: BiGAN with the Gaussian encoder q(z|x) and z ~ N(0, I)."""
    return bigan_paper.bidirectional("ali", d_steps, latent_prior="normal",
                                     network_options={"encoder": {"gaussian_posterior": True,
                                                                  "max_log_variance": 0.0}})
