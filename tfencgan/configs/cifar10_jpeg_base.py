"""CIFAR-10 at 32x32 for the models trained on this machine: the 10,000 test-set JPEGs of
shared/data as 9,000 training and 1,000 held-out images, or TFDS `cifar10` when it is prepared.

  tar xf ../shared/data/cifar10-test-jpeg.tar -C /tmp
  --config.data.options.path=/tmp/cifar10-test        (holdout 1,000 by default)
Without a path the source is TFDS `cifar10` (train / test splits; set holdout to None).
"""

from ml_collections import config_dict


def apply(config, batch_size=64):
    config.data = config_dict.ConfigDict({
        "name": "images", "split": "train", "limit": config_dict.placeholder(int),
        "batch_size": batch_size,
        "options": {"source": "cifar10", "size": 32, "path": config_dict.placeholder(str),
                    "holdout": config_dict.FieldReference(1000, field_type=int),
                    "data_dir": config_dict.placeholder(str), "on_corrupt": "error"},
    })
    # 1-NN and the linear probe of the 1,000 held-out images against the 9,000 training ones,
    # by CIFAR-10 class. FID needs an Inception network (--config.eval.classifier).
    config.eval.update({"splits": ("validation",), "references": {"validation": "train"},
                        "classifier": "", "num_samples": 1000})
    return config
