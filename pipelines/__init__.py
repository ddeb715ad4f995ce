"""Command-line binaries: each parses flags and calls one library function."""

import os
import sys

from tfencgan import configs


def resolve_config_flag(argv, default_name):
    """Lets `--config` name a packaged config (`bigan_mnist`, `configs/bigan_mnist.py`) as well
    as a path, and defaults it to `default_name`: ml_collections itself only takes paths."""
    argv = list(argv)
    for i, arg in enumerate(argv):
        if arg.startswith("--config="):
            argv[i] = "--config=" + configs.resolve(arg[len("--config="):])
            return argv
        if arg == "--config" and i + 1 < len(argv):
            argv[i + 1] = configs.resolve(argv[i + 1])
            return argv
    return argv[:1] + ["--config=" + configs.resolve(default_name)] + argv[1:]


def verbose_requested(argv):
    """--verbosity / -v above 0 (absl's flag) brings TensorFlow's own log lines back."""
    for i, arg in enumerate(argv):
        value = None
        if arg.startswith(("--verbosity=", "-v=")):
            value = arg.split("=", 1)[1]
        elif arg in ("--verbosity", "-v") and i + 1 < len(argv):
            value = argv[i + 1]
        if value is not None:
            try:
                return int(value) > 0
            except ValueError:
                return False
    return False


def import_tensorflow_quietly():
    """Imports TensorFlow with file descriptor 2 sent to a temporary file: TF 2.21's C++ start-up
    lines (oneDNN, CUDA stubs) are printed before its logging reads TF_CPP_MIN_LOG_LEVEL, so no
    setting hides them. If the import fails, what it printed is shown."""
    import tempfile
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            import tensorflow  # noqa: F401
            import keras  # noqa: F401
        except BaseException:
            os.dup2(saved, 2)
            sink.seek(0)
            sys.stderr.write(sink.read().decode(errors="replace"))
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def quiet_tensorflow_logs():
    """Keeps TensorFlow's own Python INFO lines (per checkpoint shard, ...) and its deprecation
    warnings from inside tensorflow-gan out of the progress output; tfencgan's absl log lines
    stay."""
    import logging
    logging.getLogger("tensorflow").setLevel(logging.WARNING)

    def not_tensorflow_noise(record):
        from_tensorflow = f"{os.sep}tensorflow{os.sep}" in record.pathname
        deprecation = record.pathname.endswith(f"{os.sep}deprecation.py")
        return not deprecation and (record.levelno > logging.INFO or not from_tensorflow)

    logging.getLogger("tensorflow").addFilter(not_tensorflow_noise)
    logging.getLogger("absl").addFilter(not_tensorflow_noise)


def fail(message):
    """A user error: one line on stderr, exit status 2 (tracebacks are for bugs)."""
    prog = os.path.basename(sys.argv[0]) if sys.argv else "tfencgan"
    print(f"{prog}: error: {message}", file=sys.stderr)
    sys.exit(2)


def one_line(error):
    """An exception's message on one line (ml_collections wraps its own in quotes and \\n)."""
    text = str(error.args[0]) if getattr(error, "args", None) else str(error)
    if isinstance(error, tf_errors()):
        text = error.message   # without the graph's context
        text = text.split("\n\t [[")[0].split("\n\n")[0]
    text = text.replace("\\n", " ").replace("\\'", "").strip("'\"")
    return " ".join(text.split())


def tf_errors():
    import tensorflow as tf
    return (tf.errors.InvalidArgumentError,)


def user_errors():
    """Exceptions that report a user's mistake (config, data, paths, checkpoints), not a bug."""
    from tfencgan.callbacks import CheckpointWriteError, NonFiniteLossError
    from tfencgan.checkpoints import DamagedCheckpointError
    from tfencgan.data.files import ImageDataError
    from tfencgan.metric_directions import UnknownMetricError
    from tfencgan.validation import ConfigError
    from tfencgan.workdir import WorkdirInUseError
    from tuning import SearchError
    return (ConfigError, ImageDataError, DamagedCheckpointError, SearchError, UnknownMetricError,
            WorkdirInUseError, NonFiniteLossError, CheckpointWriteError, FileNotFoundError,
            FileExistsError, NotADirectoryError, PermissionError)


def _is_data_error(error):
    """Undecodable images surface from tf.data as InvalidArgumentError with tfencgan's text."""
    return isinstance(error, tf_errors()) and any(
        marker in error.message for marker in ("Cannot decode", "nothing is left"))


def _parse_flags(argv):
    from absl import flags
    try:
        return flags.FLAGS(argv)
    except flags.Error as error:
        fail(one_line(error))
    except (AttributeError, KeyError) as error:
        # ml_collections applies --config.a.b=value overrides while parsing.
        fail(f"bad config override: unknown field {one_line(error)}")
    except (TypeError, ValueError) as error:
        fail(f"bad config override: {one_line(error)}")


def print_help(main):
    """The binary's docstring and its own flags. absl's --help lists the flags of the module it
    thinks is main, which for an installed console script is the wrapper, so it lists none."""
    from absl import flags
    module = sys.modules[main.__module__]
    defining = sys.argv[0] if main.__module__ == "__main__" else main.__module__
    print((module.__doc__ or "").strip())
    print(f"\nflags:\n{flags.FLAGS.module_help(defining)}")
    print("\n(--helpfull lists every flag, TensorFlow's and absl's included)")


def run(main, default_config=None):
    from absl import app
    if any(arg in ("--help", "-h", "-?", "--helpshort") for arg in sys.argv[1:]):
        print_help(main)
        sys.exit(0)
    if not verbose_requested(sys.argv):
        import_tensorflow_quietly()
        quiet_tensorflow_logs()
    try:
        argv = sys.argv if default_config is None else resolve_config_flag(sys.argv,
                                                                           default_config)
    except FileNotFoundError as error:
        fail(one_line(error))

    def guarded_main(args):
        try:
            return main(args)
        except user_errors() as error:
            fail(one_line(error))
        except tf_errors() as error:
            if not _is_data_error(error):
                raise
            fail(one_line(error))

    app.run(guarded_main, argv=argv, flags_parser=_parse_flags)
