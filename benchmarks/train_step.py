"""Milliseconds per BiGAN training step on permutation-invariant MNIST, and achieved GFLOP/s.

Prints, from one run: the fp32 and bf16 matmul peaks of this machine (1024^3), then the BiGAN
step (batch 128, MLPs of app. C.1) in float32 and in mixed bfloat16 (config.train.precision),
each with XLA on and off and with each Adam (`optimizer.fused_adam`: tfencgan's fused kernel per
variable, or Keras' element-wise ops), as ms/step, GFLOP/s, a fraction of the fp32 peak, and as
a ratio to the fp32 XLA step with the fused Adam (the default configuration); last, bf16 with
each of E, D and G kept in float32 in turn (`train.float32_networks`).

FLOPs are counted from the layer shapes as the minimum one simultaneous BiGAN step needs
(2 FLOPs per multiply-add): the forward pass of E(x), G(z), D(x, E(x)) and D(G(z), z); for the
discriminator player, weight gradients of every D layer on both passes plus input gradients of
D's second and output layers; for the generator player (G and E), input gradients back through D
to G(z) and E(x), then weight gradients of every G and E layer and input gradients of their second
and output layers. Element-wise work (BN, activations, Adam) is not counted.

  python benchmarks/train_step.py [--steps 100] [--batch 128]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

from tfencgan import configs, experiment  # noqa: E402


def matmul_peak_gflops(n=1024, repeats=50, dtype=tf.float32):
    a = tf.cast(tf.random.normal((n, n)), dtype)
    matmul = tf.function(lambda a: tf.matmul(a, a))
    matmul(a).numpy()
    start = time.perf_counter()
    for _ in range(repeats):
        result = matmul(a)
    result.numpy()
    return 2 * n ** 3 * repeats / (time.perf_counter() - start) / 1e9


def step_matmul_shapes(networks, batch):
    """The (m, k, n) of every matmul of one BiGAN step, as the module docstring counts them.

    Per layer with a (k, n) kernel: the forward product (batch, k) @ (k, n), its weight gradient
    (k, batch) @ (batch, n) and its input gradient (batch, n) @ (n, k).
    """
    g, e, d = networks["generator"], networks["encoder"], networks["discriminator"]

    def kernel(network, layer):
        module = getattr(network, layer)
        return tuple(getattr(module, "projection", module).kernel.shape)

    def forward(k, n):
        return (batch, k, n)

    def weight_grad(k, n):
        return (k, batch, n)

    def input_grad(k, n):
        return (batch, n, k)

    gen_layers = ("hidden1", "hidden2", "out")
    d_layers = ("hidden1", "hidden2", "out", "inject2", "inject_out")
    shapes = []
    for network, layers, passes in ((e, gen_layers, 1), (g, gen_layers, 1), (d, d_layers, 2)):
        shapes += [forward(*kernel(network, layer)) for layer in layers] * passes
    # D's player: weight gradients on both passes, input gradients of its upper layers.
    shapes += [weight_grad(*kernel(d, layer)) for layer in d_layers] * 2
    shapes += [input_grad(*kernel(d, layer)) for layer in ("hidden2", "out")] * 2
    # G and E's player: back through D to G(z) and to E(x), then through G and E.
    shapes += [input_grad(*kernel(d, layer)) for layer in
               ("hidden1", "hidden2", "out", "hidden2", "out", "inject2", "inject_out")]
    for network in (g, e):
        shapes += [weight_grad(*kernel(network, layer)) for layer in gen_layers]
        shapes += [input_grad(*kernel(network, layer)) for layer in ("hidden2", "out")]
    return shapes


def bigan_step_flops(networks, batch):
    return 2 * sum(m * k * n for m, k, n in step_matmul_shapes(networks, batch))


def matmul_floor_seconds(shapes, dtype, steps, warmup=10):
    """Seconds per call of one tf.function (XLA off) running just these matmuls in `dtype`.

    A floor under any step built from TensorFlow's own kernels: the step has these products
    and more (casts, batch norm, activations, Adam).
    """
    operands = [(tf.cast(tf.random.normal((m, k)), dtype), tf.cast(tf.random.normal((k, n)), dtype))
                for m, k, n in shapes]
    products = tf.function(lambda: [tf.matmul(a, b) for a, b in operands])
    for _ in range(warmup):
        products()
    start = time.perf_counter()
    for _ in range(steps):
        outputs = products()
    outputs[-1].numpy()
    return (time.perf_counter() - start) / steps


def time_step(jit, batch, steps, precision="float32", fused_adam=True, warmup=10,
              float32_networks=()):
    config = configs.load("bigan_mnist")
    config.optimizer.fused_adam = fused_adam
    config.train.precision = precision
    config.train.float32_networks = float32_networks
    config.data.limit = batch * 4
    config.data.batch_size = batch
    config.train.jit_compile = jit
    exp = experiment.build(config)
    experiment.compile_trainer(exp)
    step = tf.function(exp.trainer.train_step, jit_compile=jit)
    x = tf.constant(exp.train_data[0][:batch])
    for _ in range(warmup):
        logs = step(x)
    float(logs["loss_generator_encoder"])
    start = time.perf_counter()
    for _ in range(steps):
        logs = step(x)
    float(logs["loss_generator_encoder"])
    return (time.perf_counter() - start) / steps, exp.networks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    peak = matmul_peak_gflops()
    print(f"fp32 matmul 1024^3 peak: {peak:.1f} GFLOP/s  ({os.cpu_count()} CPU cores, "
          f"TF {tf.__version__})")
    print(f"bf16 matmul 1024^3: {matmul_peak_gflops(dtype=tf.bfloat16):.1f} GFLOP/s")
    results = {}
    for precision in ("float32", "mixed_bfloat16"):
        for jit in (True, False):
            for fused_adam in (True, False):
                seconds, networks = time_step(jit, args.batch, args.steps, precision, fused_adam)
                flops = bigan_step_flops(networks, args.batch)
                results[precision, jit, fused_adam] = seconds
                reference = results["float32", True, True]
                print(f"BiGAN step, batch {args.batch}, {precision}, XLA {'on ' if jit else 'off'}"
                      f", {'fused' if fused_adam else 'Keras'} Adam: {seconds * 1e3:.1f} ms/step, "
                      f"{flops / 1e9:.2f} GFLOP/step, {flops / seconds / 1e9:.1f} GFLOP/s = "
                      f"{flops / seconds / 1e9 / peak:.0%} of the fp32 peak; "
                      f"{seconds / reference:.2f}x the fp32 XLA step", flush=True)
    print(f"XLA speed-up, float32, fused Adam: "
          f"{results['float32', False, True] / reference:.2f}x")
    for precision in ("float32", "mixed_bfloat16"):
        print(f"fused Adam speed-up, {precision}, XLA off: "
              f"{results[precision, False, False] / results[precision, False, True]:.2f}x")
    # One network in float32 inside a bf16 run (train.float32_networks): what keeping the
    # evaluated features' network (E), or a player whose bf16 play may cost accuracy, out of
    # bf16 costs.
    for network in ("encoder", "discriminator", "generator"):
        seconds, _ = time_step(False, args.batch, args.steps, "mixed_bfloat16", True,
                               float32_networks=(network,))
        print(f"BiGAN step, mixed_bfloat16 with the {network} in float32, XLA off, fused Adam: "
              f"{seconds * 1e3:.1f} ms/step; {seconds / reference:.2f}x the fp32 XLA step, "
              f"{seconds / results['mixed_bfloat16', False, True]:.2f}x the all-bf16 step",
              flush=True)
    # What the step's matmuls alone take at TensorFlow's kernel speeds: no bf16 step built
    # from these kernels can be faster than its bf16 floor.
    shapes = step_matmul_shapes(networks, args.batch)
    flops = bigan_step_flops(networks, args.batch)
    for dtype in (tf.float32, tf.bfloat16):
        seconds = matmul_floor_seconds(shapes, dtype, args.steps)
        print(f"the step's {len(shapes)} matmuls alone, {dtype.name}, XLA off: "
              f"{seconds * 1e3:.1f} ms ({flops / seconds / 1e9:.0f} GFLOP/s); "
              f"{seconds / reference:.2f}x the fp32 XLA step", flush=True)
    best_bf16 = min(seconds for key, seconds in results.items() if key[0] == "mixed_bfloat16")
    print(f"best bf16 step / fp32 XLA step: {best_bf16 / reference:.2f}")
    peak_after = matmul_peak_gflops()
    print(f"fp32 matmul peak again after the steps: {peak_after:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
