"""Shared settings of the empirical study (Rubenstein et al.), sec. 4 and appendix A.3.

Batch 64, Adam with β1 0.5, β2 0.999 for every player (the hyper-parameters appendix B lists),
SN-DCGAN networks, latent prior N(0, I). The study's grid (A.3.3): learning rate
{1e-4, 3e-4, 1e-3}, gradient-penalty weight {1, 3, 10}, D steps {1, 2}, and λ for the BiGAN
variants; the defaults below are the grid values of the runs appendix B shows most often
(3e-4, 1, 1) and λ = 1. 500k steps in the paper; `train.epochs` here is per dataset.
"""

from ml_collections import config_dict

from tfencgan.configs import mnist_base

# dataset -> (image source options, latent size d_Z, epochs); A.3.1 for sizes.
DATASETS = {
    "cifar10": ({"source": "cifar10", "size": 32}, 64, 640),          # 50k images: ~500k steps
    "celeb_a": ({"source": "celeb_a", "size": 64}, 128, 160),
    "imagenet64": ({"source": "imagenet64", "size": 64}, 256, 25),
    # The packaged MNIST at 32x32x1 (padded with background), the study at CPU scale:
    # d_Z 32 (our choice: 10 classes of 28x28 strokes need far fewer than CIFAR's 64).
    "mnist": ({"flatten": False, "pad_to": 32}, 32, 4),
}
SPLITS = {"cifar10": ("train", "test"), "celeb_a": ("train", "validation"),
          "imagenet64": ("train", "validation"), "mnist": ("train", "test")}


def get_config(dataset, objective, latent_dim=None, **objective_params):
    source, default_latent, epochs = DATASETS[dataset]
    train_split, eval_split = SPLITS[dataset]
    config = mnist_base.get_config(objective, **objective_params)
    config.latent_dim = latent_dim or default_latent
    config.networks = config_dict.ConfigDict({
        "generator": "sndcgan", "encoder": "sndcgan", "discriminator": "sndcgan",
        # width: channel multiplier; latent_scale: the joint D's code scale (diagnostic,
        # networks/sndcgan.py). 1 = appendix A.3.2 for both.
        "options": {"width": 1.0, "latent_scale": 1.0},
    })
    if dataset == "mnist":
        config.data = config_dict.ConfigDict({
            "name": "mnist", "split": train_split, "limit": config_dict.placeholder(int),
            "batch_size": 64, "options": source})
    else:
        config.data = config_dict.ConfigDict({
            "name": "images", "split": train_split, "limit": config_dict.placeholder(int),
            "batch_size": 64,
            # Any tfencgan.data.sources source: e.g. source "folder" with path=... and
            # holdout=1000.
            "options": {**source, "path": config_dict.placeholder(str),
                        "holdout": config_dict.placeholder(int),
                        "data_dir": config_dict.placeholder(str), "on_corrupt": "error"},
        })
    config.optimizer.update({"lr": 3e-4, "final_lr": None, "decay_start": 1.0,
                             "beta_1": 0.5, "beta_2": 0.999, "weight_decay": 0.0})
    config.train.update({"epochs": epochs, "eval_every_epochs": max(1, epochs // 25)})
    config.eval.update({
        "splits": (eval_split,), "references": {eval_split: train_split},
        "linear_probe": True, "bn_reestimate_batches": 0,   # no batch norm in these networks
        # FID needs an Inception network here: savedmodel:/dir or inception_v3:/weights.h5
        # (said once at start-up while unset); MNIST has its packaged domain classifier.
        "classifier": "mnist" if dataset == "mnist" else "", "num_samples": 10000,
    })
    return config
