"""Issue 18 item 3: every file read for a plan is a bounded read of a regular file, and a
plan's series paths stay inside its folder."""

from __future__ import annotations

import os
import threading

import pytest

from hvplanner.cli import main
from hvplanner.errors import InputError
from hvplanner.formats.files import read_limited
from hvplanner.formats.measured import load_measured_csv, load_plan_series
from hvplanner.formats.planfile import load_plan
from tests.faults.plans import write_plan


def run_bounded(argv: list[str], seconds: float = 20) -> int:
    """main(argv) in a thread; a hang fails the test instead of blocking the run."""
    result: list[int] = []
    t = threading.Thread(target=lambda: result.append(main(argv)), daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"hvplanner {' '.join(argv)} did not finish in {seconds} s"
    return result[0]


def test_read_limited_does_not_trust_st_size_of_a_device():
    with pytest.raises(InputError, match="not a regular file"):
        read_limited("/dev/zero", 1024, "a plan file", InputError)


def test_read_limited_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "p.hvplan.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_limited(fifo, 1024, "a plan file", InputError)


def test_read_limited_reads_at_most_the_limit(tmp_path):
    f = tmp_path / "big.csv"
    f.write_bytes(b"x" * 2048)
    with pytest.raises(InputError, match=r"big.csv: larger than a CSV file can be"):
        read_limited(f, 1024, "a CSV file", InputError)
    assert read_limited(f, 2048, "a CSV file", InputError) == b"x" * 2048


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/stdin"])
def test_measured_series_refuses_devices(tmp_path, device):
    link = tmp_path / "db.csv"
    link.symlink_to(device)
    with pytest.raises(InputError, match=r"not a regular file|cannot read|leads out"):
        load_measured_csv(link)


def test_measured_series_fifo_does_not_hang_simulate(tmp_path, capsys):
    p = write_plan(tmp_path, series="feed.csv")
    os.mkfifo(tmp_path / "feed.csv")
    assert run_bounded(["simulate", str(p), "--days", "1"]) == 2
    err = capsys.readouterr().err
    assert "p.hvplan.json: workloads[0].series: " in err and "feed.csv: not a regular file" in err


def test_measured_series_over_the_limit_is_refused(tmp_path, monkeypatch):
    from hvplanner.formats import measured

    monkeypatch.setattr(measured, "MAX_SERIES_BYTES", 64)
    p = write_plan(tmp_path)
    (tmp_path / "db.csv").write_text(
        "minute,cpu,ram,nic\n" + "".join(f"{i},0.5,0.5,0\n" for i in range(100))
    )
    with pytest.raises(InputError, match="larger than a series can be"):
        load_plan_series(load_plan(p), p)


@pytest.mark.parametrize("series", ["/etc/passwd", "../secret.csv", "sub/../../secret.csv"])
def test_series_outside_the_plan_folder_is_refused_without_quoting_it(tmp_path, series, capsys):
    folder = tmp_path / "plans"
    folder.mkdir()
    (tmp_path / "secret.csv").write_text("TOP-SECRET-LINE\n")
    p = write_plan(folder, series=series)
    assert run_bounded(["simulate", str(p), "--days", "1"]) == 2
    err = capsys.readouterr().err
    assert "workloads[0].series" in err and err.count("\n") == 1
    assert "TOP-SECRET" not in err and "root:" not in err


def test_series_through_a_link_out_of_the_folder_is_refused(tmp_path, capsys):
    folder = tmp_path / "plans"
    folder.mkdir()
    (tmp_path / "secret.csv").write_text("TOP-SECRET-LINE\n")
    p = write_plan(folder, series="db2.csv")
    (folder / "db2.csv").symlink_to(tmp_path / "secret.csv")
    assert run_bounded(["simulate", str(p), "--days", "1"]) == 2
    err = capsys.readouterr().err
    assert "leads out of the plan's folder" in err and "TOP-SECRET" not in err


def test_series_in_a_subfolder_is_read(tmp_path):
    (tmp_path / "series").mkdir()
    p = write_plan(tmp_path, series="series/db.csv")
    (tmp_path / "series" / "db.csv").write_text((tmp_path / "db.csv").read_text())
    assert set(load_plan_series(load_plan(p), p)) == {"db-trace"}


def test_plan_file_that_is_a_fifo_does_not_hang(tmp_path, capsys):
    fifo = tmp_path / "p.hvplan.json"
    os.mkfifo(fifo)
    assert run_bounded(["place", str(fifo)]) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_an_unchanged_series_is_not_read_again(tmp_path, monkeypatch):
    from hvplanner.formats import measured

    p = write_plan(tmp_path)
    plan = load_plan(p)
    first = load_plan_series(plan, p)["db-trace"]
    reads: list[object] = []
    monkeypatch.setattr(measured, "_load", reads.append)
    assert load_plan_series(plan, p)["db-trace"] is first and reads == []
    (tmp_path / "db.csv").write_text("minute,cpu,ram,nic\n0,0.5,0.5,0\n60,1,0.5,0\n")
    monkeypatch.undo()
    assert list(load_plan_series(plan, p)["db-trace"].minutes) == [0, 60]


def test_the_window_does_not_block_on_a_pipe_given_as_a_plan(tmp_path):
    from hvplanner.ui.files import looks_like_inventory

    fifo = tmp_path / "p.hvplan.json"
    os.mkfifo(fifo)
    done: list[bool] = []
    t = threading.Thread(target=lambda: done.append(looks_like_inventory(fifo)), daemon=True)
    t.start()
    t.join(10)
    assert done == [False]
