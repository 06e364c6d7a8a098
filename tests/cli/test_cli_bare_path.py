"""`hvplanner FILE.hvplan.json` opens the window on FILE, as file managers and people call it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import hvplanner.ui.app
from hvplanner.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
P2V = SAMPLES / "p2v-128-old-servers.hvplan.json"


@pytest.fixture
def opened(monkeypatch):
    """What the window would have been opened with (the door is the real one)."""
    calls = []

    def run_gui(args):
        calls.append(args)
        return 0

    monkeypatch.setattr(hvplanner.ui.app, "run_gui", run_gui)
    return calls


@pytest.mark.parametrize(
    "argv",
    [
        [str(P2V)],
        [str(P2V), "--view", "compare"],
        ["relative/new.hvplan.json"],  # not there yet: the window reports it, not argparse
    ],
)
def test_a_bare_path_opens_the_window_on_it(opened, argv):
    assert main(argv) == 0
    (args,) = opened
    assert args.command == "gui"
    assert args.plan == argv[0]
    if "--view" in argv:
        assert args.view == "compare"


def test_an_existing_file_without_json_suffix_opens_too(opened, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan").write_text(P2V.read_text())
    assert main(["plan"]) == 0
    assert opened[0].plan == "plan"


def test_a_subcommand_wins_over_a_file_of_the_same_name(opened, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schema").write_text("{}")
    assert main(["schema"]) == 0
    assert not opened
    assert '"title": "hvplanner plan"' in capsys.readouterr().out


def test_a_misspelt_subcommand_is_still_one_line_and_exit_2(opened, capsys):
    assert main(["sise", "--vms", "3"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'sise'" in err and err.count("\n") == 1
    assert not opened


def _hvplanner(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "hvplanner", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_real_window_loads_a_bare_path(tmp_path):
    shot = tmp_path / "shot.png"
    res = _hvplanner(str(P2V), "--screenshot", str(shot), "--size", "800x600")
    assert res.returncode == 0, res.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # And it is read as a plan: a bad one is refused with its field, before any window.
    bad = tmp_path / "bad.hvplan.json"
    bad.write_text('{"schema_version": 1, "vms": [{"id": "x"}]}')
    res = _hvplanner(str(bad), "--screenshot", str(tmp_path / "no.png"))
    assert res.returncode == 2
    assert "vms[0]" in res.stderr and "invalid choice" not in res.stderr
    assert not (tmp_path / "no.png").exists()
