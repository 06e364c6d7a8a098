"""Writing the output fails: a closed pipe is no error, a full disk is one line, exit 1."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hvplanner.cli import main


class _Failing:
    def __init__(self, code: int) -> None:
        self.code = code

    def write(self, text: str) -> int:
        raise OSError(self.code, os.strerror(self.code))

    def flush(self) -> None:
        pass


def test_closed_pipe_is_quiet_success(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _Failing(errno.EPIPE))
    assert main(["compare"]) == 0
    assert capsys.readouterr().err == ""


def test_full_disk_is_one_line_and_exit_1(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _Failing(errno.ENOSPC))
    assert main(["compare"]) == 1
    assert capsys.readouterr().err == "hvplanner: cannot write output: No space left on device\n"


def test_version_to_a_closed_pipe_or_full_disk(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _Failing(errno.EPIPE))
    assert main(["--version"]) == 0
    monkeypatch.setattr(sys, "stdout", _Failing(errno.ENOSPC))
    assert main(["--version"]) == 1
    assert capsys.readouterr().err == "hvplanner: cannot write output: No space left on device\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize("command", ["compare", "schema"])
def test_dev_full_end_to_end(command):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "hvplanner", command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == "hvplanner: cannot write output: No space left on device\n"


def test_reader_gone_end_to_end():
    with subprocess.Popen(
        [sys.executable, "-m", "hvplanner", "schema"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # before the command writes: its first write meets a closed pipe
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 0
    assert err == ""
