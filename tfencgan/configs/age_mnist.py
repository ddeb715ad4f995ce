"""AGE (Ulyanov et al.) on MNIST at its native 28x28: DCGAN-shaped generator and encoder
(tfencgan.networks.dcgan, two stride-2 stages 28 -> 14 -> 7, n = 32 filters), the encoder's M = 10
outputs projected onto the unit sphere, λ = 1000, μ = 10 (each on squared norms, see
tfencgan/objectives/age.py), two generator updates per encoder update, Adam 2e-4 (AGE sec. 3).
"""

from ml_collections import config_dict

from tfencgan.configs import mnist_base


def get_config():
    config = mnist_base.get_config("age", lam=1000.0, mu=10.0, generator_steps=2)
    config.latent_dim = 10
    config.networks = config_dict.ConfigDict({
        "generator": "dcgan", "encoder": "dcgan", "options": {"filters": 32},
    })
    config.data.batch_size = 64
    config.data.options = {"flatten": False}          # 28x28x1 images
    config.optimizer.update({"lr": 2e-4, "final_lr": None, "decay_start": 1.0,
                             "weight_decay": 0.0})
    config.train.epochs = 10
    config.train.eval_every_epochs = 5
    return config
