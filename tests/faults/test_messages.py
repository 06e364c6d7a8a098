"""Issue 18 items 2 and 11: export never writes over its input; messages stay one short
line that names the file."""

from __future__ import annotations

import json

import pytest

from hvplanner.cli import main
from tests.faults.plans import plan_data, write_plan


@pytest.mark.parametrize("flag", ["--csv", "--json", "--pdf"])
def test_export_refuses_to_write_over_its_plan(tmp_path, flag, capsys):
    p = write_plan(tmp_path)
    before = p.read_bytes()
    assert main(["export", str(p), flag, str(p)]) == 2
    err = capsys.readouterr().err
    assert err == f"hvplanner: {flag}: {p} is the plan being exported\n"
    assert p.read_bytes() == before


def test_export_refuses_its_plan_through_another_name(tmp_path, capsys):
    p = write_plan(tmp_path)
    link = tmp_path / "other.json"
    link.symlink_to(p)
    before = p.read_bytes()
    assert main(["export", str(p), "--json", str(tmp_path / "r.json"), "--csv", str(link)]) == 2
    assert "is the plan being exported" in capsys.readouterr().err
    assert p.read_bytes() == before and not (tmp_path / "r.json").exists()


def test_export_refuses_one_file_for_two_outputs(tmp_path, capsys):
    p = write_plan(tmp_path)
    out = str(tmp_path / "r.out")
    assert main(["export", str(p), "--json", out, "--csv", out]) == 2
    assert "--csv: " in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--csv", "--json", "--pdf"])
def test_export_to_an_empty_name_says_so(tmp_path, flag, capsys):
    p = write_plan(tmp_path)
    assert main(["export", str(p), flag, ""]) == 2
    assert capsys.readouterr().err == f"hvplanner: {flag}: an empty file name\n"


def test_many_missing_hosts_give_a_short_message(tmp_path, capsys):
    data = plan_data()
    data["workloads"] = []
    data["vms"] = [
        {"id": f"vm{i}", "vcpu": 1, "ram_gb": 1, "host": f"gone{i}"} for i in range(5000)
    ]
    p = tmp_path / "many.hvplan.json"
    p.write_text(json.dumps(data))
    assert main(["place", str(p)]) == 2
    err = capsys.readouterr().err
    assert len(err) < 2000 and err.count("\n") == 1
    assert str(p) in err and "vms[0].host" in err and "4,990 more" in err


def test_a_long_hypervisor_id_is_not_echoed_whole(tmp_path, capsys):
    data = plan_data()
    data["hypervisor"] = "x" * 5000
    p = tmp_path / "long.hvplan.json"
    p.write_text(json.dumps(data))
    assert main(["place", str(p)]) == 2
    err = capsys.readouterr().err
    assert len(err) < 1500 and err.count("\n") == 1 and "5,000 characters" in err


def test_a_long_hypervisor_option_is_not_echoed_whole(capsys):
    assert main(["compare", "x" * 5000]) == 2
    err = capsys.readouterr().err
    assert len(err) < 1500 and "5,000 characters" in err


def test_an_id_with_terminal_escapes_is_not_echoed_raw(tmp_path, capsys):
    data = plan_data()
    data["vms"][0]["host"] = "\x1b]0;owned\x07\x1b[2J"
    p = tmp_path / "esc.hvplan.json"
    p.write_text(json.dumps(data))
    assert main(["place", str(p)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and str(p) in err
