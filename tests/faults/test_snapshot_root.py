"""Issue 18 item 4: `check --root` reads a snapshot folder, never past it, bounded, and
echoes only printable, short text."""

from __future__ import annotations

import json
import os

from hvplanner.readiness import probe_linux
from tests.faults.test_bounded_reads import run_bounded

CPUINFO = "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vmx ept lm\n\n"


def snapshot(tmp_path):
    root = tmp_path / "snap"
    (root / "proc").mkdir(parents=True)
    (root / "proc" / "cpuinfo").write_text(CPUINFO)
    (root / "sys" / "class" / "dmi" / "id").mkdir(parents=True)
    return root


def test_a_fifo_in_the_snapshot_does_not_hang(tmp_path, capsys):
    root = snapshot(tmp_path)
    os.mkfifo(root / "proc" / "cmdline")
    os.mkfifo(root / "hvplanner-snapshot.json")
    code = run_bounded(["check", "--root", str(root)])
    assert code == 2
    assert "hvplanner-snapshot.json: not a regular file" in capsys.readouterr().err


def test_a_fifo_file_is_reported_unreadable(tmp_path, capsys):
    root = snapshot(tmp_path)
    os.mkfifo(root / "proc" / "cmdline")
    assert run_bounded(["check", "--root", str(root), "--json"]) == 0
    capsys.readouterr()
    got = probe_linux.probe_root(root).files["/proc/cmdline"]
    assert got.state == "unreadable" and "regular" in got.error


def test_a_huge_record_is_refused_without_reading_it_whole(tmp_path, monkeypatch, capsys):
    root = snapshot(tmp_path)
    monkeypatch.setattr(probe_linux, "MAX_RECORD_BYTES", 1000)
    (root / "hvplanner-snapshot.json").write_text("{" + " " * 5000 + "}")
    assert run_bounded(["check", "--root", str(root)]) == 2
    assert "larger than a snapshot record can be" in capsys.readouterr().err


def test_links_out_of_the_root_are_not_followed(tmp_path, capsys):
    root = snapshot(tmp_path)
    secret = tmp_path / "secret"
    secret.write_text("OUTSIDE-SECRET\n")
    (root / "sys" / "class" / "dmi" / "id" / "sys_vendor").symlink_to(secret)
    (root / "proc" / "cmdline").symlink_to(secret)
    assert run_bounded(["check", "--root", str(root), "--json"]) == 0
    out = capsys.readouterr().out
    assert "OUTSIDE-SECRET" not in out
    assert probe_linux.probe_root(root).files["/proc/cmdline"].error == (
        "a link out of the snapshot folder"
    )


def test_a_record_linked_out_of_the_root_is_refused(tmp_path, capsys):
    root = snapshot(tmp_path)
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"machine": "OUTSIDE"}))
    (root / "hvplanner-snapshot.json").symlink_to(secret)
    assert run_bounded(["check", "--root", str(root)]) == 2
    assert "a link out of the snapshot folder" in capsys.readouterr().err


def test_escape_sequences_and_nuls_are_not_echoed(tmp_path, capsys):
    root = snapshot(tmp_path)
    dmi = root / "sys" / "class" / "dmi" / "id"
    (dmi / "sys_vendor").write_text("\x1b]0;owned\x07\x1b[2JQEMU\n")
    (dmi / "product_name").write_bytes(b"\x00" * 1_000_000)
    (root / "proc" / "cmdline").write_bytes(b"\x00" * 1_000_000)
    for args in (["check", "--root", str(root)], ["check", "--root", str(root), "--json"]):
        assert run_bounded(args) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out and "\x00" not in out
        assert "\\u0000" not in out and "\\u001b" not in out
        assert len(out) < 200_000, len(out)
