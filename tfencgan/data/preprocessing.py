"""Image preprocessing of the BiGAN paper, appendix C.2, with the sizes as parameters.

Training: resize so the shorter edge is `resize_to` (72), keeping the aspect ratio; a random
`crop_size` (64) square crop; a horizontal flip with probability 1/2; scale to [-1, 1].
Evaluation: the same resize, a centre crop, no flip. Random ops are stateless, seeded per image,
so crops and flips are a function of (seed, epoch, image index).
"""

import tensorflow as tf


def to_rgb(image):
    """uint8 HxWx{1,2,3,4} -> HxWx3: grey (and grey + alpha) is replicated, alpha dropped."""
    channels = tf.shape(image)[-1]
    image = tf.cond(channels <= 2, lambda: tf.image.grayscale_to_rgb(image[..., :1]),
                    lambda: image[..., :3])
    return tf.ensure_shape(image, [None, None, 3])


def resize_shorter_side(image, size):
    """Resizes so that min(height, width) == size, keeping the aspect ratio; returns uint8.

    Bilinear; antialiased only when shrinking by more than 2x, where plain bilinear would alias
    (JPEGs decoded with `min_side` are already within 2x, and antialiasing halves throughput).
    """
    shape = tf.shape(image)
    height, width = tf.cast(shape[0], tf.float32), tf.cast(shape[1], tf.float32)
    scale = tf.cast(size, tf.float32) / tf.minimum(height, width)
    new_size = tf.cast(tf.round(tf.stack([height * scale, width * scale])), tf.int32)
    new_size = tf.maximum(new_size, size)   # guards against rounding below `size`
    resized = tf.cond(scale < 0.5, lambda: tf.image.resize(image, new_size, antialias=True),
                      lambda: tf.image.resize(image, new_size))
    return tf.cast(tf.clip_by_value(tf.round(resized), 0, 255), tf.uint8)


def random_crop_and_flip(image, crop_size, seed):
    """A random crop_size x crop_size crop, flipped left-right with probability 1/2.

    `seed`: int32/int64 tensor of shape [2] (stateless).
    """
    channels = tf.shape(image)[-1]
    crop = tf.image.stateless_random_crop(image, tf.stack([crop_size, crop_size, channels]), seed)
    flip_seed = tf.random.experimental.stateless_fold_in(seed, 1)
    return tf.image.stateless_random_flip_left_right(crop, flip_seed)


def center_crop(image, crop_size):
    shape = tf.shape(image)
    top, left = (shape[0] - crop_size) // 2, (shape[1] - crop_size) // 2
    return image[top:top + crop_size, left:left + crop_size]


def to_unit_range(image):
    """uint8 [0, 255] -> float32 [-1, 1]."""
    return tf.cast(image, tf.float32) / 127.5 - 1.0
