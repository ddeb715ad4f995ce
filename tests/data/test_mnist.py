import numpy as np
import pytest

from tfencgan.data import evaluation_dataset, load_arrays, training_dataset


def test_packaged_mnist_splits():
    x, y = load_arrays("mnist", "train")
    assert x.shape == (50000, 784) and x.dtype == np.float32
    assert x.min() == -1.0 and x.max() == 1.0
    assert list(y[:5]) == [5, 0, 4, 1, 9]
    assert load_arrays("mnist", "validation")[0].shape == (10000, 784)
    assert load_arrays("mnist", "test")[0].shape == (10000, 784)
    assert load_arrays("mnist", "train", limit=10)[0].shape == (10, 784)


def test_bad_names_list_valid_ones():
    with pytest.raises(ValueError, match="valid datasets"):
        load_arrays("mnistt", "train")
    with pytest.raises(ValueError, match="valid splits"):
        load_arrays("mnist", "dev")


def test_bad_npz_layout(tmp_path):
    from tfencgan.data.mnist import load_mnist
    path = tmp_path / "bad.npz"
    np.savez(path, x_train=np.zeros((3, 28, 27), np.uint8), y_train=np.zeros(3, np.uint8))
    with pytest.raises(ValueError, match="expected \\(N, 28, 28\\)"):
        load_mnist("train", path=str(path))
    np.savez(path, images=np.zeros((3, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="no array 'x_train'"):
        load_mnist("train", path=str(path))


def epochs_of(dataset, steps):
    batches = [b.numpy() for b in dataset]
    return [np.concatenate(batches[i:i + steps]) for i in range(0, len(batches), steps)]


def test_order_is_a_function_of_seed_and_epoch():
    images = np.arange(20, dtype=np.float32)[:, None]
    full = epochs_of(training_dataset(images, 4, seed=7, first_epoch=0, last_epoch=3), 5)
    resumed = epochs_of(training_dataset(images, 4, seed=7, first_epoch=2, last_epoch=3), 5)
    other_seed = epochs_of(training_dataset(images, 4, seed=8, first_epoch=0, last_epoch=1), 5)
    assert len(full) == 3
    assert all(sorted(e[:, 0]) == list(range(20)) for e in full), "each epoch a permutation"
    assert not np.array_equal(full[0], full[1]), "epochs are shuffled differently"
    np.testing.assert_array_equal(full[2], resumed[0])
    assert not np.array_equal(full[0], other_seed[0])


def test_partial_batches_dropped_in_training_kept_in_evaluation():
    images = np.zeros((10, 2), np.float32)
    assert [b.shape[0] for b in training_dataset(images, 4, 0, 0, 1)] == [4, 4]
    assert [b[0].shape[0] for b in evaluation_dataset(images, 4, np.zeros(10))] == [4, 4, 2]
    with pytest.raises(ValueError, match="exceeds"):
        training_dataset(images, 11, 0, 0, 1)


def test_mnist_options_are_checked_and_padding_keeps_the_digit():
    import pytest
    from tfencgan import data
    with pytest.raises(data.ImageDataError, match=r"no option\(s\) \['pad'\]; valid: .*pad_to"):
        data.load_arrays("mnist", "test", 4, flatten=False, pad=32)
    padded, labels = data.load_arrays("mnist", "test", 4, flatten=False, pad_to=32)
    plain, _ = data.load_arrays("mnist", "test", 4, flatten=False)
    assert padded.shape == (4, 32, 32, 1) and len(labels) == 4
    np.testing.assert_array_equal(padded[:, 2:30, 2:30], plain)
    assert (padded[:, :2] == -1).all() and (padded[:, :, 30:] == -1).all()


def test_the_mnist_classifier_crops_padded_digits_back():
    from tfencgan import data
    from tfencgan.metrics import classifiers
    classifier = classifiers.build_classifier("mnist")
    padded, _ = data.load_arrays("mnist", "test", 8, flatten=False, pad_to=32)
    plain, _ = data.load_arrays("mnist", "test", 8, flatten=False)
    np.testing.assert_allclose(classifier.prepare(padded).numpy(),
                               classifier.prepare(plain).numpy(), atol=1e-6)
