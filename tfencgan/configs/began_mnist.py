"""BEGAN on MNIST at its native 28x28 (no padding): the BEGAN paper's convolutional autoencoder
discriminator and decoder-shaped generator (tfencgan.networks.began; three scales 28, 14, 7),
pixel-wise l1, λ_k = 1e-3, k_0 = 0, z ~ U(-1, 1)^64 = N_h, Adam with β1 0.5 at 2e-4 (the
paper's 1e-4 doubled, below).

γ = 1.5 here, not the objective's default 0.5 nor the paper's range [0, 1]: the pixel-wise l1
error of an image grows with its ink, and MNIST's digits differ in ink several-fold, so the
cheapest images to reconstruct are thin "1"s. At γ 0.7 the generator settled on ones, at 0.5 on
small blobs, and even at γ 1 (fakes as hard to reconstruct as the average digit) it drifted to
ones within 10 epochs. At γ 1.5 D must reconstruct fakes half as badly again as real digits:
the generator then draws every class (FID 484 -> 143 in eight epochs, with N(0, 0.02)
weights). Without the learning-rate halving below, a blow-up of D in epoch 6 then let k_t decay
and the ones came back by epoch 12; with it, the samples stay varied digits through epoch 12
(FID 134, IS 5.6; BUILD_NOTES.md, issue 15).

n = 16 filters (the paper uses 64 or 128 at 64x64; 16 keeps an epoch of 50k images near two
minutes on two CPU cores, see BUILD_NOTES.md). Adam β2 = 0.9, as in tensorpack's BEGAN. The
paper's learning-rate halving when M_global stalls is on: both learning rates halve after each
epoch without a new minimum of M_global (halve_lr_patience 1; 0 turns it off).

Two choices beyond the paper, both measured on MNIST (BUILD_NOTES.md, issue 15):
- Keras' Glorot-uniform weights. With N(0, 0.02) (tensorpack's) D's ELU stacks start nearly
  silent, its reconstructions stay blurry, and so do G's samples (best FID 128 in 10 epochs).
  With Glorot D is a sharp autoencoder within two epochs, but on its own that lets G settle
  on one mode ("1"s): BEGAN's G minimises each sample's energy and nothing pays it to cover the
  data.
- EBGAN's pulling-away term on D's embeddings of the generated batch, weight 0.3 in G's loss
  (`objective.params.pulling_away`; 0 is BEGAN as published). It is what pays G to cover the
  data: with it and Glorot the samples are varied digits and the FID falls to 83-88 in 10
  epochs over two seeds (weight 0.1 barely helped; at 0.5 k_t fell to 0 and the samples
  were strokes, at 1.0 noise).
- Adam at 2e-4 for both players, twice the paper's 1e-4: with the two choices above, FID
  70.4 ± 5.4 after the config's 10 epochs (two seeds) against 85.7 ± 3.9 at 1e-4, and 30-50
  points ahead at epochs 2-4; k_t 0.04-0.14.
"""

from ml_collections import config_dict

from tfencgan.configs import mnist_base


def get_config():
    config = mnist_base.get_config("began", gamma=1.5, lambda_k=1e-3, k_initial=0.0, eta=1,
                                   pulling_away=0.3)
    config.latent_dim = 64
    config.networks = config_dict.ConfigDict({
        "generator": "began", "discriminator": "began",
        "options": {"filters": 16, "code_units": 64, "skip": False,
                    "output_activation": "linear", "initializer": "glorot_uniform",
                    "generator_batch_norm": False},
    })
    config.data.batch_size = 64
    config.data.options = {"flatten": False}          # 28x28x1 images
    config.optimizer.update({"lr": 2e-4, "final_lr": None, "decay_start": 1.0,
                             "beta_1": 0.5, "beta_2": 0.9, "weight_decay": 0.0,
                             "halve_lr_patience": 1, "halve_lr_on": "convergence"})
    # XLA compiles these 3x3 ELU convolutions into a step about twice as slow as TensorFlow's
    # own kernels on this CPU (benchmarks in BUILD_NOTES.md, issue 14).
    config.train.jit_compile = False
    config.train.epochs = 10
    config.train.eval_every_epochs = 5
    # BEGAN has no encoder: 1-NN on D's embedding h (the "D" features of Table 1), no BN.
    config.eval.update({"bn_reestimate_batches": 0, "linear_probe": False})
    return config
