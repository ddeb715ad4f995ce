"""Shared settings of the BiGAN paper's permutation-invariant MNIST experiments (sec. 4.2, app. C)."""

from ml_collections import config_dict

from tfencgan import objectives


def get_config(objective, **objective_params):
    config = config_dict.ConfigDict()
    # Every parameter the objective's builder accepts, at its default unless given, so that any
    # of them can be set from the command line (--config.objective.params.NAME=VALUE).
    params = {**objectives.default_parameters(objective), **objective_params}
    config.objective = config_dict.ConfigDict({"name": objective, "params": params})
    config.latent_dim = 50                      # size of z (the BiGAN paper: U(-1, 1)^50)
    # tf.distribute: "default" (one device), "mirrored" (local GPUs / logical CPUs) or
    # "multi_worker" (TF_CONFIG); data.batch_size is the global batch. See tfencgan.distributed.
    config.strategy = "default"
    config.networks = config_dict.ConfigDict({
        "generator": "mlp", "encoder": "mlp", "discriminator": "mlp",
        "options": {"hidden_units": 1024, "batch_norm_epsilon": 1e-8,
                    # True: E and D see pixels in [0, 1], as in the BiGAN authors' code (with
                    # no biases the range matters); False: [-1, 1]. BUILD_NOTES.md, Table 1.
                    "unit_interval_inputs": False,
                    # The authors' released-code variants of the networks (listed in
                    # tfencgan.networks.mlp; all on in bigan_mnist_authors). Off: on this
                    # 100-epoch schedule they learn slower (BUILD_NOTES.md, "The authors'
                    # networks").
                    "generator_first_batch_norm": False, "generator_latent_skip": False,
                    "discriminator_latent_at_output": True,
                    "discriminator_zero_output_init": False},
    })
    config.data = config_dict.ConfigDict({
        "name": "mnist",
        "split": "train",                       # MNIST: the first 50k; the last 10k: "validation"
        "limit": config_dict.placeholder(int),  # keep only the first N examples (short runs)
        "batch_size": 128,
    })
    config.optimizer = config_dict.ConfigDict({
        "lr": 2e-4, "final_lr": 2e-6, "decay_start": 0.5,   # fraction of training
        "beta_1": 0.5, "beta_2": 0.999, "weight_decay": 2.5e-5,
        # One fused kernel per variable update (optimization.FusedAdam, same update as Keras'
        # Adam); False: Keras' Adam. Without XLA the update itself is ~5x faster (BiGAN MLPs:
        # 7.6 against 36.5 ms per step for the three players' updates; BUILD_NOTES.md, issue 14).
        "fused_adam": True,
    })
    config.train = config_dict.ConfigDict({
        "epochs": 100,                # the BiGAN paper trains MNIST 400; see BUILD_NOTES.md
        "seed": 0,
        "jit_compile": True,          # XLA: ~20% faster per step on CPU (benchmarks/train_step.py)
        # float32, mixed_bfloat16 (CPUs with AVX512_BF16 / AMX, GPUs, TPUs) or mixed_float16
        # (GPUs; loss-scaled): see tfencgan.precision and BUILD_NOTES.md for measured speeds.
        "precision": "float32",
        # Networks (roles) that compute in float32 under a mixed precision, e.g. ("encoder",):
        # bf16 cost the BiGAN MLP's encoder 0.3 points of test 1-NN (BUILD_NOTES.md, issue 14).
        "float32_networks": (),
        "checkpoints_to_keep": 3,
        "images_every_epochs": 1,
        # Batches the image grids re-estimate batch-norm statistics on (at most
        # eval.bn_reestimate_batches): as good a picture as evaluation's 100, in a tenth of the
        # time (100 took 4-6 s of every 20-s BiGAN MNIST epoch).
        "grid_bn_batches": 10,
        "eval_every_epochs": 25,      # 0: evaluate only at the end
        "verbose": 2,                 # Keras fit verbosity: 1 progress bar, 2 one line per epoch
    })
    config.eval = config_dict.ConfigDict({
        # 1-NN queries: the test set (Table 1), classified against all 60k training images (the
        # standard MNIST protocol; raw pixels score 96.91%), and the held-out validation split,
        # against the 50k training images (the BiGAN authors' code; raw pixels 97.12%).
        "splits": ("test", "validation"),
        "references": {"test": "train_full", "validation": "train"},
        "knn_metric": "euclidean",    # or "cosine"
        "linear_probe": True,         # softmax regression on the same features
        "bn_reestimate_batches": 100, # re-estimate BN statistics before taking features
        "batch_size": 500,
        # FID(PX, PG), FID(PX, PG(E(X))), Inception-L2, IS, KID through this classifier ("" off):
        # the packaged MNIST classifier needs no download.
        "classifier": "mnist",
        "num_samples": 10000,
        "best_to_keep": 3,            # checkpoints kept per metric in checkpoints/best/
    })
    return config
