"""`hvplanner check`: text, JSON, bad arguments, and a snapshot that reads back the same."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pytest

from hvplanner.commands import check as cli
from hvplanner.model.hypervisor import FAMILIES
from hvplanner.readiness.run import run_check
from tests.conftest import HOST_FIXTURES

HOSTS = HOST_FIXTURES


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_parser(parser.add_subparsers())
    return parser.parse_args(["check", *argv])


def _fixture(name: str) -> Path:
    return HOSTS / name


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    root = _fixture("intel-xeon-e5345-dell-pe2950-vmx-no-ept")
    assert cli.run(_args("--json", "--root", str(root))) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"platform", "cpu", "is_vm", "hypervisor_detected", "checks", "verdicts"}
    assert set(data["cpu"]) == {"vendor", "model", "flags"}
    assert "vmx" in data["cpu"]["flags"]
    assert data["is_vm"] is False
    assert set(data["verdicts"]) == set(FAMILIES)
    assert {"status", "reasons"} <= set(data["verdicts"]["kvm"])
    first = data["checks"][0]
    assert {"id", "status", "evidence", "fix"} <= set(first)


def test_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(_args("--root", str(_fixture("amd-opteron-270-ibm-e326m-no-svm")))) == 0
    out = capsys.readouterr().out
    assert "✖" in out and "Verdicts" in out and "Processor" in out


def test_missing_root_is_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.run(_args("--root", str(tmp_path / "nope"))) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such folder" in err


def test_live_check_is_fast_and_does_not_raise(capsys: pytest.CaptureFixture[str]) -> None:
    start = time.perf_counter()
    assert cli.run(_args()) == 0
    assert time.perf_counter() - start < 1.0
    assert "Verdicts" in capsys.readouterr().out


def test_snapshot_reads_back_to_the_same_report(tmp_path: Path) -> None:
    args = _args("--json", "--save-snapshot", str(tmp_path / "snap"))
    assert cli.run(args) == 0
    live = run_check()
    again = run_check(root=tmp_path / "snap")
    assert again.cpu == live.cpu
    assert again.is_vm == live.is_vm
    assert {k: v.status for k, v in again.verdicts.items()} == {
        k: v.status for k, v in live.verdicts.items()
    }
    assert [(c.id, c.status) for c in again.checks] == [(c.id, c.status) for c in live.checks]


def test_fixture_snapshot_roundtrip(tmp_path: Path) -> None:
    root = _fixture("xen-dom0-rhel5-macbookpro")
    assert cli.run(_args("--root", str(root), "--save-snapshot", str(tmp_path))) == 0
    assert (tmp_path / "proc" / "xen" / "capabilities").read_text().strip() == "control_d"
    a, b = run_check(root=root), run_check(root=tmp_path)
    assert a.verdicts == b.verdicts


@pytest.mark.parametrize("flag", ["--root", "--save-snapshot"])
@pytest.mark.parametrize("value", ["", "  "])
def test_empty_folder_argument_is_exit_2_not_a_live_check(
    capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    assert cli.run(_args(flag, value)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert (
        err == f"hvplanner check: {flag}: empty; give a {'snapshot ' * (flag == '--root')}folder\n"
    )


def test_root_that_is_a_file_is_not_a_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "snap.txt"
    f.write_text("x")
    assert cli.run(_args("--root", str(f))) == 2
    assert capsys.readouterr().err == f"hvplanner check: --root {f}: not a folder\n"
