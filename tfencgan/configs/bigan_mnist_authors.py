"""BiGAN on permutation-invariant MNIST as the authors' released code trains it (Table 1).

`bigan_mnist` follows the paper's appendix C.1 on a 100-epoch schedule (about 20 minutes here).
This config is the authors' `train_mnist.sh` instead: their networks (jeffdonahue/bigan
`net.py`, `gan.py`: BN on G's first layer, z added to G's second, z not at D's logit, D's logit
zero-initialised), pixels in [0, 1] for E and D, and their 400 epochs (200 at 2e-4, then 200
decaying exponentially to 2e-6). Seed 0 follows the authors' reported run (validation 1-NN
96.25 % at epoch 25 against their 96.28 %, 97.17 % at 200 against 97.14 %, 97.17 % at 400
against 97.35 %; E(x) 91.97 % against 92.10 %), where the paper's networks collapse in the decay
phase (95.18 % at 400); BUILD_NOTES.md, "The authors' networks". About 100 minutes of training
on two CPU cores.
"""

from tfencgan.configs import mnist_base


def get_config():
    config = mnist_base.get_config("bigan", d_steps=1)
    config.networks.options.update({
        "unit_interval_inputs": True,
        "generator_first_batch_norm": True, "generator_latent_skip": True,
        "discriminator_latent_at_output": False, "discriminator_zero_output_init": True,
    })
    config.train.epochs = 400           # decay_start 0.5: 200 constant, 200 decaying
    config.train.eval_every_epochs = 50
    return config
