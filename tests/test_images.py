import numpy as np
import pytest
import tensorflow as tf

from tfencgan import images


def test_flat_square_vectors_become_uint8_images():
    batch = np.stack([np.full(784, -1.0), np.full(784, 1.0)]).astype(np.float32)
    out = images.to_images(batch, (784,))
    assert out.shape == (2, 28, 28, 1) and out.dtype == np.uint8
    assert out[0].max() == 0 and out[1].min() == 255
    with pytest.raises(ValueError, match="square"):
        images.to_images(np.zeros((1, 10)), (10,))


def test_grid_is_row_major_and_padded():
    tiles = np.arange(5, dtype=np.uint8).reshape(5, 1, 1, 1) * np.ones((5, 2, 3, 1), np.uint8)
    g = images.grid(tiles, columns=2)
    assert g.shape == (3 * 2, 2 * 3, 1)
    assert g[0, 0, 0] == 0 and g[0, 3, 0] == 1 and g[2, 0, 0] == 2 and g[4, 3, 0] == 0


def test_interleave_puts_each_reconstruction_beside_its_original(tmp_path):
    x, r = np.zeros((3, 2, 2, 1), np.uint8), np.ones((3, 2, 2, 1), np.uint8)
    pairs = images.interleave(x, r)
    assert [int(p.max()) for p in pairs] == [0, 1, 0, 1, 0, 1]
    path = str(tmp_path / "sub" / "grid.png")
    images.save_png(path, images.grid(pairs, 2))
    decoded = tf.io.decode_png(tf.io.read_file(path)).numpy()
    assert decoded.shape == (6, 4, 1)


def test_interpolation_latents_run_from_start_to_end():
    start, end = np.zeros((2, 3), np.float32), np.ones((2, 3), np.float32) * 4
    path = images.interpolation_latents(start, end, 5)
    assert path.shape == (10, 3)
    np.testing.assert_allclose(path[:5, 0], [0, 1, 2, 3, 4])
    np.testing.assert_allclose(path[5], start[1])
