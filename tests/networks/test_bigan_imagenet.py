"""The BiGAN paper's ImageNet networks (appendix C.2) and a short augmented training run."""

import os
import tarfile

import numpy as np
import pytest
import tensorflow as tf

from tfencgan import configs, experiment, experiment_data
from tfencgan.networks import bigan_imagenet, build_network

SHARED_TAR = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data",
                          "imagenet-sample-160.tar")


def test_alexnet_encoder_layers():
    encoder = build_network("bigan_imagenet", "encoder", (64, 64, 3), 200)
    convs = [(c.filters, c.kernel_size[0], c.strides[0], c.groups) for c in encoder.convs]
    assert convs == [(96, 11, 4, 1), (256, 5, 1, 2), (384, 3, 1, 1), (384, 3, 1, 2),
                     (256, 3, 1, 2)]
    assert all(norm.scale and norm.center for norm in encoder.norms)   # learned scale and bias
    outputs = encoder(tf.random.uniform((3, 64, 64, 3), -1, 1))
    codes = outputs["output"]
    assert codes.shape == (3, 200) and float(tf.reduce_max(tf.abs(codes))) < 1.0
    # "Through conv5": no pool5, so the features are conv5's 4x4x256 map.
    assert outputs["features"].shape == (3, 4 * 4 * 256)


def test_dcgan_generator_and_joint_discriminator():
    generator = build_network("bigan_imagenet", "generator", (64, 64, 3), 200)
    assert [d.kernel_size for d in generator.deconvs] == [(5, 5)] * 4
    assert [d.filters for d in generator.deconvs] == [512, 256, 128, 3]
    images = generator(tf.random.uniform((2, 200), -1, 1))["output"]
    assert images.shape == (2, 64, 64, 3)
    discriminator = build_network("bigan_imagenet", "discriminator", (64, 64, 3), 200, True,
                                  {"width": 0.25})
    z1, z2 = tf.random.uniform((2, 200), -1, 1, seed=1), tf.random.uniform((2, 200), -1, 1, seed=2)
    assert float(tf.reduce_max(tf.abs(discriminator(images, z1)["output"]
                                     - discriminator(images, z2)["output"]))) > 0
    # Sec. 4: z enters every layer after the first (convolutions 2-4 and the logit), each
    # through its own linear map to that layer's width, and each map gets a gradient.
    assert discriminator.injections[0] is None
    assert [i.units for i in discriminator.injections[1:]] == [32, 64, 128]
    assert discriminator.inject_out.units == 1
    with tf.GradientTape() as tape:
        score = tf.reduce_sum(discriminator(images, z1, training=True)["logits"])
    kernels = [i.projection.kernel for i in discriminator.injections[1:]]
    kernels.append(discriminator.inject_out.projection.kernel)
    assert all(g is not None and float(tf.reduce_max(tf.abs(g))) > 0
               for g in tape.gradient(score, kernels))
    with pytest.raises(ValueError, match="64x64x3"):
        build_network("bigan_imagenet", "encoder", (32, 32, 3), 200)
    assert bigan_imagenet.DCGANDiscriminator(None).takes_latent is False


@pytest.mark.slow
def test_short_augmented_run_on_the_imagenet_sample(tmp_path):
    if not os.path.exists(SHARED_TAR):
        pytest.skip(f"{SHARED_TAR} not found: ../shared/data is absent")
    with tarfile.open(SHARED_TAR) as tar:
        tar.extractall(tmp_path, filter="data")
    config = configs.load("bigan_imagenet")
    config.data.options = {"source": "folder", "path": str(tmp_path / "imagenet-sample"),
                           "size": 64, "resize_to": 72, "holdout": 100}
    config.data.batch_size = 50
    config.networks.options.width = 1 / 16
    config.train.epochs, config.train.verbose, config.train.eval_every_epochs = 1, 0, 0
    config.train.jit_compile = False
    config.eval.bn_reestimate_batches = 2
    workdir = str(tmp_path / "run")
    metrics = experiment.train(config, workdir)
    # Streamed evaluation of the 100 held-out images; the sample is unlabelled (a flat
    # folder), so there is no 1-NN, only reconstruction; and the samples' period-two power
    # (after 18 steps the DCGAN generator's checkerboard: many times the images').
    assert metrics["validation/period_two_power_ratio"] > 2
    assert set(metrics) == {"validation/period_two_power_ratio",
                            "validation/reconstruction_error",
                            "validation/reconstruction_error_random_pairs",
                            "prior/latent_reconstruction_error",
                            "prior/latent_reconstruction_error_random_pairs"}
    restored, _, _ = experiment.restore_for_evaluation(workdir)
    assert restored.train_data is None and restored.num_train_examples == 900
    assert restored.grid_images.shape == (32, 64, 64, 3)
    for grid in ("samples", "reconstructions", "interpolations"):
        assert os.listdir(os.path.join(workdir, grid)) == ["step_000018.png"]
    batches = experiment_data.training_batches(restored, 0, 1)
    first = next(iter(batches))
    assert first.shape == (50, 64, 64, 3) and -1.0 <= float(np.min(first)) < 0 < float(
        np.max(first)) <= 1.0
