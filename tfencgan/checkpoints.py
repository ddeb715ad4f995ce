"""Finding the checkpoint to resume from when the checkpoint folder has been damaged.

`tf.train.CheckpointManager` trusts its small `checkpoint` state file. When that file is garbled
or deleted, the manager sees no checkpoint, a run restarts from epoch 1 and overwrites the
ckpt-N files; when the newest ckpt-N is truncated (a kill or a full disk during a copy), restore
fails with "Read less bytes than requested". `recover` reads the files themselves instead: the
newest checkpoint whose index and data read completely wins, the bad ones are named in a
warning, the state file is rewritten to list the intact ones, and the `ckpt-N_temp` folders that
killed writes leave behind are removed.
"""

import glob
import os
import re
import shutil

from absl import logging
import tensorflow as tf

class DamagedCheckpointError(RuntimeError):
    """Checkpoint files exist but cannot be read; the message names them."""


_NUMBERED = re.compile(r"^ckpt-(\d+)\.index$")


def checkpoint_number(prefix):
    return int(prefix.rsplit("-", 1)[1])


def damage(prefix):
    """None if the checkpoint at `prefix` reads completely, else why it does not."""
    try:
        reader = tf.train.load_checkpoint(prefix)
        for key in reader.get_variable_to_shape_map():
            reader.get_tensor(key)
    except (tf.errors.OpError, ValueError, IndexError, OSError) as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
    return None


def _on_disk(directory):
    prefixes = [os.path.join(directory, f"ckpt-{m.group(1)}")
                for m in (_NUMBERED.match(name) for name in os.listdir(directory)) if m]
    data = {os.path.join(directory, name.split(".data-")[0])
            for name in os.listdir(directory) if ".data-" in name}
    # A prefix with data files but no index is a damaged checkpoint too.
    return sorted(set(prefixes) | data, key=checkpoint_number)


def recover(directory):
    """The newest intact checkpoint prefix in `directory` (None if there is none), with the state
    file repaired where it disagreed with the files. Raises if checkpoint files exist but none
    reads: training must not start again over them."""
    if not os.path.isdir(directory):
        return None
    for leftover in glob.glob(os.path.join(directory, "ckpt-*_temp*")):
        logging.warning("Removing %s, left by a checkpoint write that was killed", leftover)
        shutil.rmtree(leftover, ignore_errors=True)
    prefixes = _on_disk(directory)
    if not prefixes:
        return None
    try:
        state = tf.train.get_checkpoint_state(directory)
        listed = state.model_checkpoint_path if state else None
    except (tf.errors.OpError, ValueError, UnicodeDecodeError):   # garbled text proto
        state, listed = None, None
    intact, bad = [], []
    for prefix in reversed(prefixes):          # newest first; stop at the first intact one
        reason = damage(prefix)
        if reason is None:
            intact = [p for p in prefixes if checkpoint_number(p) <= checkpoint_number(prefix)]
            break
        bad.append(f"{prefix} ({reason})")
    if bad:
        logging.warning("Skipping damaged checkpoint(s): %s", "; ".join(bad))
    if not intact:
        raise DamagedCheckpointError(f"{directory} holds checkpoint files but none of them "
                                     f"reads ({'; '.join(bad)}); refusing to start over them. "
                                     f"Move the folder away to train from scratch.")
    latest = intact[-1]
    if listed is None or os.path.abspath(os.path.join(directory, os.path.basename(listed))) \
            != os.path.abspath(latest):
        logging.warning("Checkpoint state file %s %s; resuming from %s, the newest intact "
                        "checkpoint", os.path.join(directory, "checkpoint"),
                        "is missing or unreadable" if listed is None
                        else f"names {listed}", latest)
        # No TF2 public API writes the state file; the v1 one is the public way.
        tf.compat.v1.train.update_checkpoint_state(directory, latest,
                                                   all_model_checkpoint_paths=intact)
    return latest
