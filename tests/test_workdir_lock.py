"""One training per work directory: a second one fails naming the first; stale locks are taken."""

import json
import os
import platform
import subprocess
import sys

import pytest

from tfencgan import experiment
from tfencgan import workdir as wd


def write_lock(workdir, **holder):
    with open(os.path.join(workdir, wd.LOCK_FILE), "w") as f:
        json.dump(holder, f)


@pytest.fixture
def live_process():
    """A process that runs for the test's length."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def ended_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_second_holder_fails_naming_the_first_and_the_lock_goes_with_the_first(tmp_path):
    with wd.exclusive(str(tmp_path)):
        assert os.path.exists(tmp_path / wd.LOCK_FILE)
        with pytest.raises(wd.WorkdirInUseError, match=f"process {os.getpid()} on"):
            with wd.exclusive(str(tmp_path)):
                pass
        assert os.path.exists(tmp_path / wd.LOCK_FILE)     # the failed attempt left it
    assert not os.path.exists(tmp_path / wd.LOCK_FILE)


def test_the_lock_is_released_when_training_raises(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with wd.exclusive(str(tmp_path)):
            raise KeyboardInterrupt("killed")
    with wd.exclusive(str(tmp_path)):
        pass


def test_a_lock_of_a_process_that_has_ended_is_taken_over(tmp_path):
    write_lock(tmp_path, pid=ended_pid(), host=platform.node(), start=None)
    with wd.exclusive(str(tmp_path)):
        holder = json.load(open(tmp_path / wd.LOCK_FILE))
        assert holder["pid"] == os.getpid()


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs Linux /proc")
def test_a_reused_process_number_does_not_hold_the_lock(tmp_path, live_process):
    # The number is alive, but it names a process started at another time than the holder.
    start = wd._process_start(live_process.pid)
    write_lock(tmp_path, pid=live_process.pid, host=platform.node(), start=start + 1)
    with wd.exclusive(str(tmp_path)):
        pass
    write_lock(tmp_path, pid=live_process.pid, host=platform.node(), start=start)
    with pytest.raises(wd.WorkdirInUseError):
        with wd.exclusive(str(tmp_path)):
            pass


@pytest.mark.parametrize("holder", [{"pid": 1, "host": "another-machine"}, None,
                                    {"host": platform.node()}],
                         ids=["another machine", "unreadable", "no process named"])
def test_a_lock_that_cannot_be_checked_is_left_alone(tmp_path, holder):
    path = tmp_path / wd.LOCK_FILE
    if holder is None:
        path.write_text('{"pid": 12')               # cut off mid-write
    else:
        write_lock(tmp_path, **holder)
    before = path.read_text()
    with pytest.raises(wd.WorkdirInUseError, match="delete"):
        with wd.exclusive(str(tmp_path)):
            pass
    assert path.read_text() == before


def test_training_a_work_directory_that_another_run_holds_fails_and_touches_nothing(
        tiny_config, tmp_path, live_process):
    tiny_config.train.epochs = 1
    experiment.train(tiny_config, str(tmp_path))
    assert not os.path.exists(tmp_path / wd.LOCK_FILE)          # released at the end
    before = {name: os.path.getmtime(tmp_path / name)
              for name in ("config.json", "metrics.json", "checkpoints/checkpoint")}
    write_lock(tmp_path, pid=live_process.pid, host=platform.node(),
               start=wd._process_start(live_process.pid), since="earlier")
    tiny_config.train.epochs = 2
    with pytest.raises(wd.WorkdirInUseError, match=f"process {live_process.pid}"):
        experiment.train(tiny_config, str(tmp_path))
    assert {name: os.path.getmtime(tmp_path / name) for name in before} == before
    live_process.kill()
    live_process.wait()
    assert experiment.train(tiny_config, str(tmp_path))          # resumes once it has ended
    assert json.load(open(tmp_path / "metrics.json"))[-1]["epoch"] == 2
