"""Issue 18 item 3, on the command line: a series outside the plan's folder is read only
with --allow-outside-series; without it, exit 2 and one line naming the plan, the field
and the path."""

from __future__ import annotations

from pathlib import Path

import pytest

from hvplanner.cli import main
from tests.faults.plans import SERIES, write_plan


def outside_plan(tmp_path: Path, series: str = "../shared/db.csv") -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "db.csv").write_text(SERIES)
    return write_plan(folder, series=series)


def commands(p: Path, tmp_path: Path) -> list[list[str]]:
    return [
        ["simulate", str(p), "--days", "1"],
        ["export", str(p), "--no-placement", "--json", str(tmp_path / "r.json")],
    ]


@pytest.mark.parametrize("which", [0, 1])
def test_outside_series_needs_the_flag(tmp_path, capsys, which):
    p = outside_plan(tmp_path)
    argv = commands(p, tmp_path)[which]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{p}: workloads[0].series: '../shared/db.csv' leads out of the plan's folder" in err
    assert "--allow-outside-series" in err
    assert main([*argv, "--allow-outside-series"]) == 0


def test_an_absolute_outside_path_is_read_with_the_flag(tmp_path, capsys):
    target = tmp_path / "shared" / "db.csv"
    p = outside_plan(tmp_path, series=str(target))
    assert main(["simulate", str(p), "--days", "1"]) == 2
    assert str(target) in capsys.readouterr().err
    assert main(["simulate", str(p), "--days", "1", "--allow-outside-series"]) == 0
    assert capsys.readouterr().out.startswith("faults: ")


def test_the_flag_still_refuses_a_pipe(tmp_path, capsys):
    import os

    folder = tmp_path / "plans"
    folder.mkdir()
    os.mkfifo(tmp_path / "feed.csv")
    p = write_plan(folder, series="../feed.csv")
    assert main(["simulate", str(p), "--days", "1", "--allow-outside-series"]) == 2
    err = capsys.readouterr().err
    assert "workloads[0].series" in err and "feed.csv: not a regular file" in err


@pytest.mark.parametrize("flag", [[], ["--allow-outside-series"]])
def test_a_screenshot_never_waits_on_the_question(tmp_path, flag):
    """Nobody is there to answer: without the flag the series is not read, with it it is,
    and either way the picture is taken (a question would wait forever)."""
    import os
    import subprocess
    import sys

    p = outside_plan(tmp_path)
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    argv = [sys.executable, "-m", "hvplanner", "gui", str(p), "--screenshot", str(shot)]
    argv += ["--view", "utilization", "--size", "800x600", "--fail", "h1@10:00", *flag]
    done = subprocess.run(argv, check=False, env=env, capture_output=True, text=True, timeout=120)
    if flag:  # read: the what-if has a simulation to fail a host in
        assert done.returncode == 0, done.stderr
        assert shot.stat().st_size > 0
    else:
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
        assert "--fail: No simulation: " in done.stderr
        assert "workloads[0].series: '../shared/db.csv' leads out" in done.stderr
