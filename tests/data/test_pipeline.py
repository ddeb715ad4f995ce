"""Image pipelines on ../shared/data and on bad files written here."""

import os
import tarfile

import numpy as np
import pytest
import tensorflow as tf

from tfencgan.data.files import ImageDataError, decode_files, list_image_folder
from tfencgan.data.pipeline import ImageSettings, evaluation_batches, prepared, training_batches
from tfencgan.data.sources import from_arrays, load_source

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
IMAGENET_TAR = os.path.join(SHARED, "imagenet-sample-160.tar")


@pytest.fixture(scope="module")
def imagenet_folder(tmp_path_factory):
    if not os.path.exists(IMAGENET_TAR):
        pytest.skip(f"{IMAGENET_TAR} not found: ../shared/data is absent")
    root = tmp_path_factory.mktemp("imagenet")
    with tarfile.open(IMAGENET_TAR) as tar:
        tar.extractall(root, filter="data")
    return str(root / "imagenet-sample")


@pytest.fixture(scope="module")
def grayscale_paths(imagenet_folder):
    paths, _, _ = list_image_folder(imagenet_folder)
    return [p for p in paths
            if tf.io.decode_jpeg(tf.io.read_file(p)).shape[-1] == 1]


def batches_of(paths, settings, seed=0, epochs=(0, 1), batch_size=None):
    source = decode_files(paths, [0] * len(paths))
    batch_size = batch_size or len(paths)
    ready = prepared(source, settings)
    return [x.numpy() for x, _ in training_batches(ready, settings, batch_size, seed, *epochs)]


def test_the_23_grayscale_jpegs_come_out_64x64_rgb(grayscale_paths):
    assert len(grayscale_paths) == 23
    (batch,) = batches_of(grayscale_paths, ImageSettings())
    assert batch.shape == (23, 64, 64, 3) and batch.dtype == np.float32
    np.testing.assert_array_equal(batch[..., 0], batch[..., 1])
    assert batch.min() >= -1.0 and batch.max() <= 1.0 and batch.min() < -0.5 < 0.5 < batch.max()


def test_crops_vary_by_epoch_and_repeat_by_seed(imagenet_folder):
    paths = list_image_folder(imagenet_folder)[0][:16]
    settings = ImageSettings(shuffle_buffer=1)   # keep order: compare image by image
    run_a = batches_of(paths, settings, seed=5, epochs=(0, 2))
    run_b = batches_of(paths, settings, seed=5, epochs=(0, 2))
    other = batches_of(paths, settings, seed=6, epochs=(0, 1))
    np.testing.assert_array_equal(run_a[0], run_b[0])
    np.testing.assert_array_equal(run_a[1], run_b[1])
    assert not np.array_equal(run_a[0], run_a[1]), "epochs draw new crops"
    assert not np.array_equal(run_a[0], other[0]), "seeds draw different crops"
    resumed = batches_of(paths, settings, seed=5, epochs=(1, 2))
    np.testing.assert_array_equal(run_a[1], resumed[0])


def test_flip_rate_is_one_half():
    # A 64x64 image with a bright left half: the crop is the whole image, so each output is
    # the image or its mirror.
    image = np.zeros((64, 64, 3), np.uint8)
    image[:, :32] = 255
    n = 2000
    source = from_arrays(np.repeat(image[None], n, axis=0), None, "test")
    settings = ImageSettings(crop_size=64, resize_to=None)
    ready = prepared(source.dataset, settings)
    (batch,) = [x.numpy() for x, _ in training_batches(ready, settings, n, 0, 0, 1)]
    flipped = (batch[:, 0, 0, 0] < 0).mean()
    assert abs(flipped - 0.5) < 0.05, flipped   # 0.5 +- 4.5 standard deviations


def test_evaluation_is_a_deterministic_centre_crop(imagenet_folder):
    path = list_image_folder(imagenet_folder)[0][:1]
    settings = ImageSettings()
    source = decode_files(path, [0])
    ready = prepared(source, settings)
    (x, _), = list(evaluation_batches(ready, settings, 1))
    resized = tf.image.resize(tf.io.decode_jpeg(tf.io.read_file(path[0])), [72, 96],
                              antialias=True)   # 160x213 -> shorter side 72
    centre = tf.cast(tf.clip_by_value(tf.round(resized), 0, 255), tf.uint8)[4:68, 16:80]
    np.testing.assert_allclose(x[0].numpy(), centre.numpy() / 127.5 - 1.0, atol=1e-6)
    (again, _), = list(evaluation_batches(ready, settings, 1))
    np.testing.assert_array_equal(x.numpy(), again.numpy())


@pytest.fixture
def folder_with_bad_files(tmp_path, imagenet_folder):
    good = list_image_folder(imagenet_folder)[0][:4]
    for i, path in enumerate(good):
        (tmp_path / f"good{i}.jpg").write_bytes(open(path, "rb").read())
    raw = open(good[0], "rb").read()
    (tmp_path / "truncated.jpg").write_bytes(raw[:len(raw) // 3])
    (tmp_path / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 20)
    (tmp_path / "zz_notes.png").write_text("not an image")
    return tmp_path


def iterate(source):
    return [image.shape for image, _ in source.dataset]


@pytest.mark.parametrize("bad", ["truncated.jpg", "corrupt.jpg", "zz_notes.png"])
def test_bad_files_raise_naming_the_file(tmp_path, imagenet_folder, bad, folder_with_bad_files):
    folder = tmp_path / "one_bad"
    folder.mkdir()
    for name in ("good0.jpg", "good1.jpg", bad):
        (folder / name).write_bytes((folder_with_bad_files / name).read_bytes())
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"Cannot decode.*image.*{bad}"):
        iterate(load_source("folder", path=str(folder)))


def test_error_mode_names_every_bad_file_at_once(folder_with_bad_files):
    with pytest.raises(tf.errors.InvalidArgumentError) as error:
        iterate(load_source("folder", path=str(folder_with_bad_files)))
    message = str(error.value)
    assert "Cannot decode" in message and "3" in message
    for name in ("truncated.jpg", "corrupt.jpg", "zz_notes.png"):
        assert name in message


def test_a_folder_where_everything_is_skipped_says_nothing_is_left(tmp_path,
                                                                   folder_with_bad_files):
    folder = tmp_path / "all_bad"
    folder.mkdir()
    for name in ("truncated.jpg", "corrupt.jpg"):
        (folder / name).write_bytes((folder_with_bad_files / name).read_bytes())
    with pytest.raises(tf.errors.InvalidArgumentError, match="nothing is left"):
        iterate(load_source("folder", path=str(folder), on_corrupt="skip"))


def test_grey_with_alpha_pngs_are_images(tmp_path):
    grey_alpha = np.random.default_rng(0).integers(0, 255, (20, 30, 2), np.uint8)
    tf.io.write_file(str(tmp_path / "la.png"), tf.io.encode_png(grey_alpha))
    (image, _), = list(load_source("folder", path=str(tmp_path)).dataset)
    assert image.shape == (20, 30, 3)
    np.testing.assert_array_equal(image[..., 1], grey_alpha[..., 0])


def test_skip_mode_skips_and_reports_each_bad_file(folder_with_bad_files, capfd):
    source = load_source("folder", path=str(folder_with_bad_files), on_corrupt="skip")
    shapes = iterate(source)
    assert len(shapes) == 4 and all(s[-1] == 3 for s in shapes)
    err = capfd.readouterr().err
    for name in ("truncated.jpg", "corrupt.jpg", "zz_notes.png"):
        assert name in err
    assert "skipped so far: 3" in err


def test_empty_folder_and_folder_of_non_images_fail_clearly(tmp_path):
    with pytest.raises(ImageDataError, match="No image files .* in"):
        load_source("folder", path=str(tmp_path))
    (tmp_path / "readme.txt").write_text("x")
    with pytest.raises(ImageDataError, match=r"1 other files ignored"):
        load_source("folder", path=str(tmp_path))
    with pytest.raises(ImageDataError, match="not found"):
        load_source("folder", path=str(tmp_path / "missing"))


def test_class_subfolders_give_labels(tmp_path, imagenet_folder):
    good = list_image_folder(imagenet_folder)[0][:3]
    for cls, path in zip(("cat", "dog", "dog"), good):
        (tmp_path / cls).mkdir(exist_ok=True)
        (tmp_path / cls / os.path.basename(path)).write_bytes(open(path, "rb").read())
    source = load_source("folder", path=str(tmp_path))
    assert sorted(int(y) for _, y in source.dataset) == [0, 1, 1]


def test_npz_errors_name_the_field(tmp_path):
    path = tmp_path / "data.npz"
    np.savez(path, x_train=np.zeros((4, 8, 8, 2), np.uint8))
    with pytest.raises(ImageDataError, match=r"x_train\]: images have shape \(4, 8, 8, 2\)"):
        load_source("npz", path=str(path))
    np.savez(path, x_train=np.zeros((4, 8, 8), np.float32))
    with pytest.raises(ImageDataError, match="dtype float32; expected uint8"):
        load_source("npz", path=str(path))
    with pytest.raises(ImageDataError, match="no array 'pixels' .*data.image_key"):
        load_source("npz", path=str(path), image_key="pixels")
    np.savez(path, x_train=np.zeros((4, 8, 8), np.uint8), y_train=np.arange(4))
    source = load_source("npz", path=str(path))
    assert source.size == 4 and [s for s, in [(i.shape,) for i, _ in source.dataset]][0] == (8, 8, 3)


def write_tfrecord(path, encoded_images, key="image/encoded"):
    with tf.io.TFRecordWriter(str(path)) as writer:
        for i, data in enumerate(encoded_images):
            feature = {key: tf.train.Feature(bytes_list=tf.train.BytesList(value=[data])),
                       "image/class/label": tf.train.Feature(int64_list=tf.train.Int64List(
                           value=[i]))}
            writer.write(tf.train.Example(features=tf.train.Features(
                feature=feature)).SerializeToString())


def test_tfrecords(tmp_path, imagenet_folder):
    good = [open(p, "rb").read() for p in list_image_folder(imagenet_folder)[0][:2]]
    write_tfrecord(tmp_path / "ok.tfrecord", good)
    source = load_source("tfrecord", path=str(tmp_path / "ok.tfrecord"))
    assert source.size == 2 and [int(y) for _, y in source.dataset] == [0, 1]
    write_tfrecord(tmp_path / "bad.tfrecord", [good[0], b"garbage"])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"bad.tfrecord#1"):
        iterate(load_source("tfrecord", path=str(tmp_path / "bad.tfrecord")))
    write_tfrecord(tmp_path / "key.tfrecord", good, key="jpeg")
    with pytest.raises(ImageDataError, match=r"no feature 'image/encoded' .*\['image/class/label"):
        load_source("tfrecord", path=str(tmp_path / "key.tfrecord"))
    with pytest.raises(ImageDataError, match="No TFRecord files match"):
        load_source("tfrecord", path=str(tmp_path / "*.nothing"))


def test_missing_tfds_dataset_says_how_to_prepare_it(tmp_path):
    with pytest.raises(ImageDataError, match=r"not prepared .*tfds build cifar10"):
        load_source("cifar10", data_dir=str(tmp_path))
    with pytest.raises(ImageDataError, match="TFDS has no dataset 'no_such_set'"):
        load_source("tfds", tfds_name="no_such_set", data_dir=str(tmp_path))
    with pytest.raises(ValueError, match="valid sources: .*folder"):
        load_source("flickr")


def test_shards_partition_the_images():
    images = np.arange(10, dtype=np.uint8).reshape(10, 1, 1, 1) * np.ones((10, 2, 2, 1), np.uint8)
    source = from_arrays(images, np.arange(10), "test")
    settings = ImageSettings(crop_size=2, resize_to=None, cache=None)
    seen = [sorted(int(y) for _, (_, y) in prepared(source.dataset, settings, (2, k)))
            for k in range(2)]
    assert seen == [[0, 2, 4, 6, 8], [1, 3, 5, 7, 9]]


def test_mnist_source_is_rgb_28x28():
    source = load_source("mnist", split="test")
    image, label = next(iter(source.dataset))
    assert source.size == 10000 and image.shape == (28, 28, 3) and int(label) == 7


def test_image_batches_from_a_folder_and_from_arrays(imagenet_folder, tmp_path):
    from tfencgan.data import image_batches
    train = image_batches("folder", path=imagenet_folder, training=True, batch_size=100,
                          seed=1, first_epoch=0, last_epoch=2)
    shapes = [tuple(x.shape) for x, _ in train]
    assert shapes == [(100, 64, 64, 3)] * 20
    evaluation = image_batches("folder", path=imagenet_folder, training=False, batch_size=300)
    assert [x.shape[0] for x, _ in evaluation] == [300, 300, 300, 100]
    np.savez(tmp_path / "d.npz", x_train=np.zeros((10, 36, 40, 3), np.uint8))
    (x, _), = list(image_batches("npz", path=str(tmp_path / "d.npz"), training=True,
                                 batch_size=10, crop_size=32, resize_to=36))
    assert x.shape == (10, 32, 32, 3)


def small_folder(tmp_path, imagenet_folder, count):
    paths = list_image_folder(imagenet_folder)[0][:count]
    for path in paths:
        (tmp_path / os.path.basename(path)).write_bytes(open(path, "rb").read())
    return str(tmp_path)


def test_a_folder_has_no_held_out_split_unless_asked(tmp_path, imagenet_folder):
    folder = small_folder(tmp_path, imagenet_folder, 5)
    with pytest.raises(ImageDataError, match=r"no split 'validation'.*holdout=N"):
        load_source("folder", path=folder, split="validation")
    with pytest.raises(ImageDataError, match=r"no split 'test'"):
        load_source("cifar10", path=folder, split="test")
    assert load_source("folder", path=folder, split="train").size == 5


def test_holdout_splits_partition_by_name_and_are_stable_when_a_file_is_added(
        tmp_path, imagenet_folder):
    folder = small_folder(tmp_path, imagenet_folder, 40)

    def files(split):
        source = load_source("folder", path=folder, split=split, holdout=8)
        images = {tuple(image.numpy().ravel()[:64]) for image, _ in source.dataset}
        assert len(images) == source.size
        return images

    train, held, everything = files("train"), files("validation"), files("all")
    assert len(held) == 8 and len(train) == 32 and not train & held
    assert train | held == everything
    extra = list_image_folder(imagenet_folder)[0][100]
    (tmp_path / os.path.basename(extra)).write_bytes(open(extra, "rb").read())
    held_after = files("validation")
    assert len(held_after) == 8 and len(held & held_after) >= 7   # at most one image moved
    with pytest.raises(ImageDataError, match="valid: \\['train', 'validation', 'all'\\]"):
        load_source("folder", path=folder, split="test", holdout=8)


def test_holdout_of_an_array_source_and_unknown_options(tmp_path):
    source = load_source("mnist", split="train", holdout=100)
    held = load_source("mnist", split="validation", holdout=100)
    assert (source.size, held.size) == (49900, 100)
    with pytest.raises(ImageDataError, match=r"has no option\(s\) \['on_corupt'\]"):
        load_source("folder", path=str(tmp_path), on_corupt="skip")
    with pytest.raises(ImageDataError, match="needs its path"):
        load_source("folder")


def test_spread_chooses_images_across_a_folder_listed_class_by_class(tmp_path, imagenet_folder):
    paths = list_image_folder(imagenet_folder)[0][:40]
    for i, path in enumerate(paths):          # four classes of ten, listed class by class
        (tmp_path / f"class{i // 10}").mkdir(exist_ok=True)
        (tmp_path / f"class{i // 10}" / os.path.basename(path)).write_bytes(
            open(path, "rb").read())
    folder = str(tmp_path)

    def images(source):
        return {tuple(image.numpy().ravel()[:64]): int(label) for image, label in source.dataset}

    spread = load_source("folder", path=folder, spread=8)
    chosen = images(spread)
    assert spread.size == len(chosen) == 8 and len(set(chosen.values())) >= 3
    assert images(load_source("folder", path=folder, spread=8)) == chosen   # the same each time
    # Within a holdout split: only that split's images.
    train = images(load_source("folder", path=folder, split="train", holdout=8))
    spread_train = images(load_source("folder", path=folder, split="train", holdout=8, spread=8))
    assert len(spread_train) == 8 and set(spread_train) <= set(train)
    # TFRecords choose by record name; sources that cannot choose keep their first images.
    write_tfrecord(tmp_path / "five.tfrecord",
                   [open(p, "rb").read() for p in paths[:5]])
    records = load_source("tfrecord", path=str(tmp_path / "five.tfrecord"), spread=2)
    assert records.size == 2 and len(list(records.dataset)) == 2
    first = load_source("mnist", split="test", spread=5)
    assert first.size == 5 and [int(y) for _, y in first.dataset] == [
        int(y) for _, y in load_source("mnist", split="test").dataset.take(5)]
