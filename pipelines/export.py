"""Exports a trained model as a SavedModel with encode / generate / reconstruct signatures.

  python -m pipelines.export --workdir=/tmp/bigan --export_dir=/tmp/bigan_model \
      [--checkpoint=best:test/knn_accuracy/encoder_penultimate] [--overwrite]

See tfencgan/export.py for the signatures; `saved_model_cli show --dir=... --all` lists them.
"""

from absl import flags

import pipelines

_WORKDIR = flags.DEFINE_string("workdir", None, "Work directory of a training run.", required=True)
_EXPORT_DIR = flags.DEFINE_string("export_dir", None, "Where to write the SavedModel.",
                                  required=True)
_CHECKPOINT = flags.DEFINE_string("checkpoint", None, "Checkpoint prefix, or best:<metric>; "
                                  "default: the latest.")
_OVERWRITE = flags.DEFINE_bool("overwrite", False, "Replace an existing export_dir.")
_VERSION = flags.DEFINE_integer("version", None, "Write the model to export_dir/<version>, the "
                                 "layout TF Serving loads (--model_base_path=export_dir).")
_BATCH_NORM = flags.DEFINE_enum("batch_norm", "reestimated", ["reestimated", "moving"],
                                "Batch-norm statistics: re-estimated as evaluation does, or the "
                                "checkpoint's moving averages.")


def main(argv):
    del argv
    from tfencgan import export
    names = export.export(_WORKDIR.value, _EXPORT_DIR.value, _CHECKPOINT.value, _OVERWRITE.value,
                          _BATCH_NORM.value, _VERSION.value)
    where = _EXPORT_DIR.value if _VERSION.value is None else f"{_EXPORT_DIR.value}/{_VERSION.value}"
    print(f"Exported {where} with signatures: {', '.join(names)}")


def console_main():
    pipelines.run(main)


if __name__ == "__main__":
    console_main()
