"""AGE (Ulyanov et al.) on MNIST: M = 10 latent dimensions on the unit sphere, λ = 1000, μ = 10,
two generator updates per encoder update, Adam 2e-4 (AGE sec. 3), the BiGAN paper's MNIST MLPs
for e and g (flat images; the encoder's output projected onto the sphere)."""

from tfencgan.configs import mnist_base


def get_config():
    config = mnist_base.get_config("age", lam=1000.0, mu=10.0, generator_steps=2)
    config.latent_dim = 10
    config.data.batch_size = 64
    config.optimizer.update({"lr": 2e-4, "final_lr": None, "decay_start": 1.0,
                             "weight_decay": 0.0})
    config.train.epochs = 25
    config.train.eval_every_epochs = 5
    return config
