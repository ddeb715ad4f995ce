"""BiGAN on ImageNet 64x64 (BiGAN paper sec. 4.3, appendix C): AlexNet-style encoder, DCGAN
G and D, z ~ U(-1, 1)^200, the 72 -> random 64 crop -> flip pipeline, batch 128, Adam 2e-4
decayed to 2e-6 from halfway, l2 decay 2.5e-5, 100 epochs.

Needs ImageNet prepared for TFDS (`imagenet2012`), or a folder of images with held-out ones:
  --config.data.options.path=DIR --config.data.options.holdout=N
1-NN (and the linear probe) of the validation images against the training images, on E's conv
features and E(x): evaluation streams both splits and keeps only their features, so its memory
is (number of images) x (feature size), not images. Unlabelled images (a flat folder) get the
reconstruction metrics only.
"""

from ml_collections import config_dict

from tfencgan.configs import mnist_base


def get_config():
    config = mnist_base.get_config("bigan", d_steps=1)
    config.latent_dim = 200
    config.networks = config_dict.ConfigDict({
        "generator": "bigan_imagenet", "encoder": "bigan_imagenet",
        "discriminator": "bigan_imagenet", "options": {"width": 1.0},
    })
    config.data = config_dict.ConfigDict({
        "name": "images", "split": "train", "limit": config_dict.placeholder(int),
        "batch_size": 128, "augment": True,
        # A folder instead of TFDS: --config.data.options.source=folder ...options.path=DIR
        "options": {"source": "imagenet", "size": 64, "resize_to": 72,
                    "path": config_dict.placeholder(str), "holdout": config_dict.placeholder(int),
                    "data_dir": config_dict.placeholder(str), "on_corrupt": "error"},
    })
    config.train.update({"epochs": 100, "eval_every_epochs": 10})
    config.eval.update({"splits": ("validation",), "references": {"validation": "train"},
                        "classifier": "", "bn_reestimate_batches": 100})
    return config
