"""Loads a SavedModel in a fresh process and runs its signatures on saved inputs.

  python tests/export/load_and_run.py EXPORT_DIR INPUTS.npz OUTPUTS.npz
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402


def main(export_dir, inputs_path, outputs_path):
    model = tf.saved_model.load(export_dir)
    inputs = np.load(inputs_path)
    signatures = model.signatures
    images, z = tf.constant(inputs["images"]), tf.constant(inputs["z"])
    outputs = {
        "generate": signatures["generate"](z=z)["images"],
        "encode": signatures["encode"](images=images)["z"],
        "reconstruct": signatures["reconstruct"](images=images)["reconstructions"],
        "encode_uint8": signatures["encode_uint8"](
            images=tf.constant(inputs["images_uint8"]))["z"],
        "serving_default": signatures["serving_default"](images=images)["reconstructions"],
    }
    description = json.loads(model.describe()["description"].numpy().decode())
    np.savez(outputs_path, **{k: v.numpy() for k, v in outputs.items()})
    print(json.dumps({"signatures": sorted(signatures.keys()), "description": description}))


if __name__ == "__main__":
    main(*sys.argv[1:])
