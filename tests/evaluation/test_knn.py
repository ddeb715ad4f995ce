import numpy as np
import pytest

from tfencgan.data import array_batches
from tfencgan.evaluation import evaluate_representations, random_batches, reconstruction_errors
from tfencgan.evaluation.features import reestimated_batch_norm
from tfencgan.evaluation.knn import nearest_neighbor_accuracy
from tfencgan.networks import build_network


def brute_force(ref, ref_y, query, query_y, metric):
    correct = 0
    for q, label in zip(query, query_y):
        if metric == "cosine":
            d = 1 - ref @ q / (np.linalg.norm(ref, axis=1) * np.linalg.norm(q))
        else:
            d = np.linalg.norm(ref - q, axis=1)
        correct += ref_y[np.argmin(d)] == label
    return correct / len(query)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_matches_brute_force(metric):
    rng = np.random.default_rng(0)
    ref, query = rng.normal(size=(300, 8)), rng.normal(size=(97, 8))
    ref_y, query_y = rng.integers(0, 3, 300), rng.integers(0, 3, 97)
    expected = brute_force(ref, ref_y, query, query_y, metric)
    got = nearest_neighbor_accuracy(ref, ref_y, query, query_y, metric, chunk_size=10,
                                    reference_chunk_size=7)
    assert got == pytest.approx(expected)


def test_perfect_on_the_reference_set_itself():
    rng = np.random.default_rng(1)
    ref, labels = rng.normal(size=(50, 4)), rng.integers(0, 5, 50)
    assert nearest_neighbor_accuracy(ref, labels, ref, labels) == 1.0
    with pytest.raises(ValueError, match="valid metrics"):
        nearest_neighbor_accuracy(ref, labels, ref, labels, "manhattan")


def test_batch_norm_reestimation_is_the_mean_of_batch_statistics_and_is_undone():
    net = build_network("mlp", "encoder", (6,), 2, options={"hidden_units": 4})
    norm = [l for l in net._flatten_layers() if "norm" in l.name][0]
    rng = np.random.default_rng(0)
    batches = [rng.normal(size=(8, 6)).astype(np.float32) for _ in range(3)]
    before = norm.moving_mean.numpy().copy()
    captured = []

    def run(batch):
        net(batch, training=True)

    with reestimated_batch_norm(net, run, iter(batches)):
        inside = norm.moving_mean.numpy().copy()
        # The BN input of each batch, computed by hand: hidden2(leaky_relu(hidden1(x))).
        for b in batches:
            h = net.hidden1(b).numpy()
            h = np.where(h > 0, h, 0.2 * h)
            captured.append(net.hidden2(h).numpy().mean(axis=0))
    np.testing.assert_allclose(inside, np.mean(captured, axis=0), rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(norm.moving_mean.numpy(), before)
    assert norm.momentum == pytest.approx(0.99)


def test_evaluate_representations_names_and_ranges(tiny_config):
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (64, 6)).astype(np.float32)
    y = rng.integers(0, 3, 64)
    nets = {"encoder": build_network("mlp", "encoder", (6,), 2, options={"hidden_units": 4}),
            "generator": build_network("mlp", "generator", (6,), 2, options={"hidden_units": 4})}
    queries = {"test": (lambda: array_batches(x[:16], y[:16], 5), "train",
                        lambda: array_batches(x, y, 7))}
    sizes = {}
    metrics = evaluate_representations(nets, True, lambda n: random_batches(x, 16, n), queries,
                                       tiny_config.eval, sizes)
    assert sizes == {"queries": {"test": 16}, "references": {"test": 64}}
    assert set(metrics) == {"test/knn_accuracy/encoder_penultimate",
                            "test/knn_accuracy/encoder_output",
                            "test/linear_probe_accuracy/encoder_penultimate",
                            "test/linear_probe_accuracy/encoder_output",
                            "test/reconstruction_error",
                            "test/reconstruction_error_random_pairs"}
    assert metrics["test/knn_accuracy/encoder_output"] == 1.0   # queries are references here


def test_reconstruction_error_of_an_identity_autoencoder_is_zero():
    class Identity:
        def __call__(self, x, training=False):
            return {"output": x}
    x = np.random.default_rng(0).uniform(-1, 1, (10, 4)).astype(np.float32)
    error, random_pairs = reconstruction_errors(Identity(), Identity(), (x[:5], x[5:]))
    assert error == pytest.approx(0.0, abs=1e-6) and random_pairs > 0.2


def test_latent_reconstruction_errors():
    from tfencgan.evaluation import latent_reconstruction_errors
    rng = np.random.default_rng(0)
    z = rng.standard_normal((300, 4)).astype(np.float32)
    w = rng.standard_normal((4, 4)).astype(np.float32) + 3 * np.eye(4, dtype=np.float32)
    w_inverse = np.linalg.inv(w).astype(np.float32)
    error, random_pairs = latent_reconstruction_errors(lambda x: {"output": x @ w_inverse},
                                                       lambda c: {"output": c @ w},
                                                       z, 64)
    assert error == pytest.approx(0.0, abs=1e-4)
    assert random_pairs == pytest.approx(np.sqrt(2 * 4), rel=0.1)   # E||z - z'|| ~ sqrt(2d)
    constant, _ = latent_reconstruction_errors(lambda x: {"output": x[:, :4] * 0.0},
                                               lambda c: {"output": c}, z, 64)
    assert constant == pytest.approx(np.linalg.norm(z, axis=1).mean(), rel=1e-5)
