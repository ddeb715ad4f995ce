"""A 128x1024 by 1024x1024 bfloat16 matmul with and without XLA, in one process.

Shows whether XLA's CPU backend reaches the oneDNN bf16 (AMX / AVX512_BF16) kernels that
TensorFlow's own MatMul uses; run once per XLA_FLAGS setting, e.g.

  python benchmarks/xla_bf16_matmul.py
  XLA_FLAGS=--xla_cpu_use_onednn=true python benchmarks/xla_bf16_matmul.py
  XLA_FLAGS=--xla_cpu_experimental_onednn_custom_call=true python benchmarks/xla_bf16_matmul.py
  XLA_FLAGS=--xla_cpu_use_thunk_runtime=false python benchmarks/xla_bf16_matmul.py
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402


def gflops(function, a, b, repeats=200):
    function(a, b).numpy()                      # trace / compile
    started = time.perf_counter()
    for _ in range(repeats):
        result = function(a, b)
    result.numpy()
    return 2 * a.shape[0] * a.shape[1] * b.shape[1] / ((time.perf_counter() - started)
                                                      / repeats) / 1e9


def main():
    a = tf.random.normal((128, 1024), dtype=tf.bfloat16)
    b = tf.random.normal((1024, 1024), dtype=tf.bfloat16)
    xla = gflops(tf.function(tf.matmul, jit_compile=True), a, b)
    plain = gflops(tf.function(tf.matmul), a, b)
    print(f"XLA_FLAGS={os.environ.get('XLA_FLAGS', '')!r}: bf16 128x1024x1024 matmul "
          f"{xla:.0f} GFLOP/s with XLA, {plain:.0f} GFLOP/s without")


if __name__ == "__main__":
    main()
