"""The metric math against NumPy/SciPy references and known values."""

import numpy as np
import pytest
import scipy.linalg

from tfencgan import metrics


def reference_fid(a, b):
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    root = scipy.linalg.sqrtm(cov_a @ cov_b).real
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a + cov_b - 2 * root))


def test_fid_matches_scipy_reference():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(600, 12))
    b = rng.normal(size=(500, 12)) @ rng.normal(size=(12, 12)) * 0.5 + 0.3
    assert metrics.frechet_distance(a, b) == pytest.approx(reference_fid(a, b), rel=1e-3)


def test_fid_of_a_set_with_itself_is_zero():
    a = np.random.default_rng(1).normal(size=(400, 8))
    assert abs(metrics.frechet_distance(a, a)) < 1e-6


def test_kid_is_near_zero_for_one_distribution_and_positive_otherwise():
    rng = np.random.default_rng(2)
    same = metrics.kernel_distance(rng.normal(size=(1000, 8)), rng.normal(size=(1000, 8)))[0]
    shifted = metrics.kernel_distance(rng.normal(size=(1000, 8)),
                                      rng.normal(size=(1000, 8)) + 1.0)[0]
    assert abs(same) < 0.02 and shifted > 0.5
    _, std = metrics.kernel_distance(rng.normal(size=(300, 4)), rng.normal(size=(300, 4)))
    assert np.isfinite(std) and std > 0


def reference_kid(a, b):
    """Unbiased MMD^2 with k(x, y) = (x.y / d + 1)^3 (Binkowski et al., eq. in sec. 3)."""
    kernel = lambda p, q: (p @ q.T / a.shape[1] + 1.0) ** 3
    kaa, kbb = kernel(a, a), kernel(b, b)
    m, n = len(a), len(b)
    within_a = (kaa.sum() - np.trace(kaa)) / (m * (m - 1))
    within_b = (kbb.sum() - np.trace(kbb)) / (n * (n - 1))
    return within_a + within_b - 2 * kernel(a, b).mean()


def test_kid_in_one_block_is_the_unbiased_mmd():
    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(200, 6)), rng.normal(size=(150, 6)) * 1.3 + 0.4
    mean, _ = metrics.kernel_distance(a, b, max_block_size=200)
    assert mean == pytest.approx(reference_kid(a, b), rel=1e-9)


def test_inception_score_bounds():
    identical = np.tile([[5.0, 1.0, -2.0, 0.0]], (50, 1))
    assert metrics.inception_score(identical) == pytest.approx(1.0, abs=1e-6)
    one_hot = np.eye(10)[np.arange(100) % 10] * 100.0     # confident, uniform over 10 classes
    assert metrics.inception_score(one_hot) == pytest.approx(10.0, rel=1e-4)


def test_inception_score_matches_its_definition():
    logits = np.random.default_rng(5).normal(size=(64, 10)) * 2.0
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    marginal = p.mean(0)
    expected = np.exp(np.mean(np.sum(p * (np.log(p) - np.log(marginal)), axis=1)))
    assert metrics.inception_score(logits) == pytest.approx(expected, rel=1e-6)


def test_inception_l2():
    a = np.random.default_rng(3).normal(size=(20, 5))
    assert metrics.inception_l2(a, a) == 0.0
    assert metrics.inception_l2(a, a + np.array([3.0, 4.0, 0, 0, 0])) == pytest.approx(5.0)
    with pytest.raises(ValueError, match="pairs each image"):
        metrics.inception_l2(a, a[:10])
