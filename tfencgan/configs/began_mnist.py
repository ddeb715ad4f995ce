"""BEGAN on MNIST: an MLP autoencoder discriminator (pixel-wise l1), γ = 0.5, λ_k = 1e-3,
k_0 = 0, z ~ U(-1, 1)^64, Adam 1e-4 (the BEGAN paper's rate), the BiGAN paper's MNIST MLP as G."""

from tfencgan.configs import mnist_base


def get_config():
    config = mnist_base.get_config("began", gamma=0.5, lambda_k=1e-3, k_initial=0.0, eta=1)
    config.latent_dim = 64
    config.data.batch_size = 64
    config.networks.options.code_units = 64
    config.optimizer.update({"lr": 1e-4, "final_lr": None, "decay_start": 1.0,
                             "weight_decay": 0.0})
    config.train.epochs = 25
    config.train.eval_every_epochs = 5
    return config
