"""Issue 18 item 8: saving writes through links, refuses non-regular targets, cleans the
temporary files of a killed save and flushes the folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from hvplanner.cli import main
from hvplanner.formats.atomic import SaveTargetError, write_atomic
from hvplanner.formats.planfile import load_plan, save_plan
from tests.faults.plans import write_plan


def test_saving_through_a_link_writes_its_target(tmp_path):
    real = tmp_path / "synced" / "p.hvplan.json"
    real.parent.mkdir()
    p = write_plan(tmp_path)
    real.write_text("old")
    link = tmp_path / "link.hvplan.json"
    link.symlink_to(real)
    save_plan(load_plan(p), link)
    assert link.is_symlink()
    assert load_plan(real).name == "faults"


def test_export_through_a_link_keeps_the_link(tmp_path, capsys):
    p = write_plan(tmp_path)
    real = tmp_path / "out.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(["export", str(p), "--csv", str(link)]) == 0, capsys.readouterr().err
    assert link.is_symlink() and real.read_text().startswith(("id", "name", "\ufeff"))


@pytest.mark.parametrize("device", ["/dev/null"])
def test_a_device_is_not_replaced(tmp_path, device, capsys):
    before = os.stat(device)
    with pytest.raises(SaveTargetError, match="not a regular file"):
        write_atomic(device, "x")
    p = write_plan(tmp_path)
    assert main(["export", str(p), "--json", device]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and device in err and "not a regular file" in err
    after = os.stat(device)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_a_fifo_is_not_replaced(tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    with pytest.raises(SaveTargetError):
        write_atomic(fifo, "x")
    assert fifo.exists() and not fifo.is_file()


def test_the_folder_is_flushed_after_the_rename(tmp_path, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append(os.fstat(fd).st_mode)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    write_atomic(tmp_path / "a.json", "{}")
    import stat

    assert any(stat.S_ISDIR(m) for m in synced)


KILLED_SAVE = textwrap.dedent(
    """
    import os, sys, time
    from hvplanner.formats import atomic
    real = os.fsync
    def slow(fd):
        print("saving", flush=True)
        time.sleep(30)
    atomic.os.fsync = slow
    atomic.write_atomic(sys.argv[1], "x" * 100000)
    """
)


def test_temporary_file_of_a_killed_save_is_cleaned_by_the_next_save(tmp_path):
    target = tmp_path / "p.hvplan.json"
    target.write_text("first")
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_SAVE, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "saving"
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    left = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
    assert left, "the killed save should have left its temporary file"
    assert target.read_text() == "first"
    write_atomic(target, "second")
    assert target.read_text() == "second"
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []


def test_a_save_in_progress_elsewhere_is_left_alone(tmp_path):
    target = tmp_path / "p.hvplan.json"
    busy = tmp_path / f".p.hvplan.json.{os.getppid()}-abc.tmp"
    busy.write_text("partial")
    write_atomic(target, "x")
    assert busy.exists()
