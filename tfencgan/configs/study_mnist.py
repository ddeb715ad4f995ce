"""The empirical study at CPU scale on the packaged MNIST, padded to 32x32x1, d_Z 32.

The study's SN-DCGAN networks unchanged but for the single channel (and `width`, which the CPU
study narrows); the study's optimiser (Adam 3e-4, β 0.5/0.999), gradient penalty 1, one D step,
λ 1. FID(PX, PG), FID(PX, PG(E(X))) and Inception-L2 on the packaged MNIST classifier's
activations (the 32x32 images are cropped back to its 28x28 input), against the test split.

  --config=study_mnist                 BiGAN with the gradient penalty
  --config=study_mnist:gan_x_ae        any objective by name
  benchmarks/study.py                  all ten models, resumable, with the table
"""

from tfencgan.configs import study_base


def get_config(objective="bigan_gp"):
    config = study_base.get_config("mnist", objective or "bigan_gp")
    # The linear probe (L-BFGS on 60k features) would cost more than a short run's evaluation;
    # the table reports 1-NN of E(x).
    config.eval.linear_probe = False
    # Test digits against all 60k training digits, as in Table 1 (raw pixels: 96.91 %).
    config.eval.references = {"test": "train_full"}
    config.train.eval_every_epochs = 1
    return config
