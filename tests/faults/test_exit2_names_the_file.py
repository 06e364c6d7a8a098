"""Issue 18 item 11: every command that reads a file, given each kind of bad file, exits 2
with exactly one line on stderr that names the file (no traceback, nothing on stdout that
claims success)."""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from hvplanner.cli import main
from tests.faults.plans import plan_data, write_plan

# --- bad plan files -----------------------------------------------------------------------


def _json(data: object) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        p = folder / "bad.hvplan.json"
        p.write_text(json.dumps(data))
        return p

    return make


def _bytes(raw: bytes, name: str = "bad.hvplan.json") -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        p = folder / name
        p.write_bytes(raw)
        return p

    return make


def _missing(folder: Path) -> Path:
    return folder / "missing.hvplan.json"


def _folder(folder: Path) -> Path:
    p = folder / "folder.hvplan.json"
    p.mkdir()
    return p


def _fifo(folder: Path) -> Path:
    p = folder / "pipe.hvplan.json"
    os.mkfifo(p)
    return p


def _edited(change: Callable[[dict], None]) -> Callable[[Path], Path]:
    data = plan_data()
    change(data)
    return _json(data)


def _series(text: str | None, name: str = "db.csv") -> Callable[[Path], Path]:
    """A valid plan whose series file is bad; the message names the plan and the series."""

    def make(folder: Path) -> Path:
        p = write_plan(folder, series=name, name="bad.hvplan.json")
        target = folder / name
        if text is None:
            target.unlink(missing_ok=True)
        else:
            target.write_text(text)
        return p

    return make


def _set(path: str, value: object) -> Callable[[dict], None]:
    def change(data: dict) -> None:
        node = data
        keys = path.split(".")
        for k in keys[:-1]:
            node = node[int(k)] if k.isdigit() else node[k]
        last = keys[-1]
        if last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return change


def _drop(key: str) -> Callable[[dict], None]:
    return lambda data: data.pop(key)


PLANS: dict[str, Callable[[Path], Path]] = {
    "missing": _missing,
    "folder": _folder,
    "fifo": _fifo,
    "empty": _bytes(b""),
    "not-json": _bytes(b"this is not JSON {"),
    "not-utf8": _bytes(b'{"name": "\xff\xfe"}'),
    "json-list": _json([1, 2, 3]),
    "json-string": _json("plan"),
    "truncated": _bytes(json.dumps(plan_data()).encode()[:-20]),
    "nul": _bytes(b"\x00" * 64),
    "schema-newer": _edited(_set("schema_version", 99)),
    "schema-text": _edited(_set("schema_version", "one")),
    "no-schema": _edited(_drop("schema_version")),
    "vcpu-text": _edited(_set("vms.0.vcpu", "many")),
    "vcpu-negative": _edited(_set("vms.0.vcpu", -1)),
    "count-huge": _edited(_set("vms.0.count", 10**12)),
    "ram-nan": _bytes(json.dumps(plan_data()).replace('"ram_gb": 4', '"ram_gb": NaN').encode()),
    "unknown-field": _edited(_set("vms.0.colour", "red")),
    "unknown-hypervisor": _edited(_set("hypervisor", "nope@1")),
    "host-unknown-model": _edited(_set("hosts.0.model", "gone")),
    "vm-unknown-host": _edited(_set("vms.0.host", "gone")),
    "duplicate-vm": _edited(lambda d: d["vms"].append(dict(d["vms"][0]))),
    "vms-not-list": _edited(_set("vms", {"a": 1})),
    "deep": _bytes(b"[" * 100_000 + b"]" * 100_000),
    "series-missing": _series(None),
    "series-bad-line": _series("minute,cpu,ram,nic\n0,0.5,0.5,0\n60,lots,0.5,0\n"),
    "series-no-columns": _series("a,b\n1,2\n"),
    "series-empty": _series(""),
    "series-out-of-order": _series("minute,cpu,ram,nic\n0,0.5,0.5,0\n5,0.5,0.5,0\n5,0.5,0.5,0\n"),
}
SERIES_KINDS = {k for k in PLANS if k.startswith("series-")}


def plan_commands(p: Path, out: Path) -> dict[str, list[str]]:
    return {
        "size": ["size", str(p)],
        "place": ["place", str(p), "--time-limit", "2"],
        "cost": ["cost", str(p)],
        "simulate": ["simulate", str(p), "--days", "1", "--step", "1h"],
        "export-json": ["export", str(p), "--no-placement", "--json", str(out / "r.json")],
        "export-csv": ["export", str(p), "--csv", str(out / "r.csv")],
        "compare": ["compare", "--plan", str(p)],
        "gui": ["gui", str(p), "--screenshot", str(out / "shot.png")],
    }


# Commands that never read a plan's series: a bad series is not their business.
READS_SERIES = {"simulate", "export-json"}
# The inventory CSV and the comparison over every hypervisor do not use the plan's own.
OWN_HYPERVISOR_UNUSED = {"export-csv", "compare"}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    got = capsys.readouterr()
    return code, got.out, got.err


def assert_names(code: int, err: str, name: str, argv: list[str]) -> None:
    where = " ".join(argv)
    assert code == 2, f"{where}: exit {code}: {err!r}"
    assert err.count("\n") == 1 and err.endswith("\n"), f"{where}: {err!r}"
    assert "Traceback" not in err, f"{where}: {err!r}"
    assert name in err, f"{where}: the message does not name {name}: {err!r}"


PLAN_CASES = [
    (kind, command)
    for kind in PLANS
    for command in plan_commands(Path("p"), Path("o"))
    if (kind not in SERIES_KINDS or command in READS_SERIES)
    and (kind != "unknown-hypervisor" or command not in OWN_HYPERVISOR_UNUSED)
]


def _no_series(data: dict) -> dict:
    data["workloads"] = []
    for vm in data["vms"]:
        vm.pop("profile", None)
    return data


def _too_big(data: dict) -> None:
    _no_series(data)
    data["vms"][0].update(ram_gb=1000, host=None)


def _pinned_overload(data: dict) -> None:
    _no_series(data)
    data["vms"][0].update(count=40, vcpu=8, pinned=True)


def _unknown_price(data: dict) -> None:
    _no_series(data)
    data["prices"] = [
        {
            "product": "no-such-licence",
            "price": 1,
            "per_units": 1,
            "period": "year",
            "currency": "EUR",
            "source": "a quote",
        }
    ]


# Plans that load but that an engine refuses: its message names the field, the command
# the file.
ENGINE: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "vm-fits-no-model": (_edited(_too_big), ["place"]),
    "pinned-overload": (_edited(_pinned_overload), ["place"]),
    "unknown-price-product": (_edited(_unknown_price), ["cost"]),
}


@pytest.mark.parametrize(("kind", "command"), [(k, c) for k, (_, cs) in ENGINE.items() for c in cs])
def test_a_plan_an_engine_refuses_is_named(tmp_path, capsys, kind, command):
    p = ENGINE[kind][0](tmp_path)
    argv = plan_commands(p, tmp_path)[command]
    code, _, err = run(argv, capsys)
    assert_names(code, err, p.name, argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["size", "--vms", "2", "--ram-gb", "4", "--hypervisor", "nope@1"],
        ["cost", "{p}", "--hypervisor", "nope@1"],
        ["import", "{csv}", "--hypervisor", "nope@1"],
    ],
)
def test_an_unknown_hypervisor_option_is_named(tmp_path, capsys, argv):
    p = write_plan(tmp_path)
    csv = tmp_path / "vms.csv"
    csv.write_text(CSV_HEAD + "web,2,4096,poweredOn\n")
    argv = [a.format(p=p, csv=csv) for a in argv]
    code, _, err = run(argv, capsys)
    assert_names(code, err, "--hypervisor: unknown hypervisor 'nope@1'", argv)


@pytest.mark.parametrize(("kind", "command"), PLAN_CASES)
def test_a_bad_plan_file_is_named(tmp_path, capsys, kind, command):
    p = PLANS[kind](tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    argv = plan_commands(p, out)[command]
    code, _, err = run(argv, capsys)
    assert_names(code, err, p.name, argv)
    if kind in SERIES_KINDS:
        assert "db.csv" in err and "workloads[0].series" in err


# --- bad inventories ----------------------------------------------------------------------

CSV_HEAD = "VM,CPUs,Memory,Powerstate\n"


def _xlsx_without_sheet(folder: Path) -> Path:
    p = folder / "bad.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    p.write_bytes(buf.getvalue())
    return p


INVENTORIES: dict[str, Callable[[Path], Path]] = {
    "missing": lambda f: f / "missing.csv",
    "folder": lambda f: (f / "folder.csv").mkdir() or f / "folder.csv",
    "fifo": lambda f: os.mkfifo(f / "pipe.csv") or f / "pipe.csv",
    "empty": _bytes(b"", "bad.csv"),
    "header-only": _bytes(CSV_HEAD.encode(), "bad.csv"),
    "no-known-columns": _bytes(b"alpha,beta\n1,2\n", "bad.csv"),
    "cpus-text": _bytes((CSV_HEAD + "web,many,4096,poweredOn\n").encode(), "bad.csv"),
    "memory-negative": _bytes((CSV_HEAD + "web,2,-5,poweredOn\n").encode(), "bad.csv"),
    "binary": _bytes(b"\x00\x01\x02\xff" * 100, "bad.csv"),
    "not-utf8": _bytes((CSV_HEAD + "w\xe9b,2,4096,poweredOn\n").encode("utf-16"), "bad.csv"),
    "xlsx-garbage": _bytes(b"PK\x03\x04 not really a zip", "bad.xlsx"),
    "xlsx-no-sheet": _xlsx_without_sheet,
    "json-garbage": _bytes(b"{ not json", "bad.json"),
    "json-wrong-shape": _bytes(b'{"hello": [1, 2]}', "bad.json"),
    "xml-garbage": _bytes(b"<domain><name>x</nam", "bad.xml"),
    "xml-not-domain": _bytes(b"<root><a/></root>", "bad.xml"),
    "sep-hint": _bytes(b"sep=|\nVM|CPUs|Memory\nweb|x|4096\n", "bad.csv"),
}


@pytest.mark.parametrize("kind", list(INVENTORIES))
def test_a_bad_inventory_is_named(tmp_path, capsys, kind):
    src = INVENTORIES[kind](tmp_path)
    argv = ["import", str(src), "-o", str(tmp_path / "out.hvplan.json")]
    code, _, err = run(argv, capsys)
    assert_names(code, err, src.name, argv)
    assert not (tmp_path / "out.hvplan.json").exists()


PDH = (
    '"(PDH-CSV 4.0) (Coordinated Universal Time)(0)","\\\\WEB\\Memory\\% Committed Bytes In Use",'
    '"\\\\WEB\\Processor(_Total)\\% Processor Time"\n'
)
LOGS = {
    "bad-sample": PDH + '"12/01/2026 00:00:00.000","38.25","5.0"\n"yesterday","1","2"\n',
    "no-samples": PDH,
    "time-backwards": PDH
    + '"12/01/2026 00:15:00.000","38.25","5.0"\n"12/01/2026 00:00:00.000","38.25","5.0"\n',
}


@pytest.mark.parametrize("kind", ["missing", "a-file", "fifo", *LOGS])
def test_a_bad_series_folder_for_import_is_named(tmp_path, capsys, kind):
    src = tmp_path / "vms.csv"
    src.write_text(CSV_HEAD + "web,2,4096,poweredOn\n")
    logs = tmp_path / "logs"
    named = "web.csv"
    if kind == "a-file":
        logs.write_text("a file, not a folder")
        named = logs.name
    elif kind == "missing":
        named = logs.name
    else:
        logs.mkdir()
        if kind == "fifo":
            os.mkfifo(logs / "web.csv")
        else:
            (logs / "web.csv").write_text(LOGS[kind])
    argv = ["import", str(src), "-o", str(tmp_path / "out.hvplan.json"), "--series", str(logs)]
    code, _, err = run(argv, capsys)
    assert_names(code, err, named, argv)


# --- bad snapshot folders -----------------------------------------------------------------


def _snapshot(kind: str, folder: Path) -> tuple[Path, str]:
    root = folder / "snap"
    if kind == "missing":
        return root, root.name
    if kind == "a-file":
        root.write_text("not a folder")
        return root, root.name
    root.mkdir()
    meta = root / "hvplanner-snapshot.json"
    if kind == "meta-fifo":
        os.mkfifo(meta)
    elif kind == "meta-link-out":
        (folder / "elsewhere.json").write_text("{}")
        meta.symlink_to(folder / "elsewhere.json")
    elif kind == "meta-folder":
        meta.mkdir()
    return root, meta.name


@pytest.mark.parametrize("kind", ["missing", "a-file", "meta-fifo", "meta-link-out"])
def test_a_bad_snapshot_is_named(tmp_path, capsys, kind):
    root, name = _snapshot(kind, tmp_path)
    argv = ["check", "--root", str(root), "--json"]
    code, _, err = run(argv, capsys)
    assert_names(code, err, name, argv)


# --- output files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["place", "{p}", "-o", ""],
        ["import", "{csv}", "-o", ""],
        ["export", "{p}", "--json", ""],
        ["export", "{p}", "--pdf", ""],
        ["export", "{p}", "--csv", ""],
    ],
)
def test_an_empty_output_name_says_so(tmp_path, capsys, argv):
    p = write_plan(tmp_path)
    csv = tmp_path / "vms.csv"
    csv.write_text(CSV_HEAD + "web,2,4096,poweredOn\n")
    argv = [a.format(p=p, csv=csv) for a in argv]
    code, _, err = run(argv, capsys)
    assert code == 2 and err.count("\n") == 1
    assert "an empty file name" in err and ": :" not in err


@pytest.mark.parametrize("flag", ["-o", "--json", "--csv"])
def test_an_output_in_a_missing_folder_is_named(tmp_path, capsys, flag):
    p = write_plan(tmp_path)
    target = tmp_path / "nowhere" / "out.file"
    argv = ["place", str(p), "-o", str(target)] if flag == "-o" else ["export", str(p)]
    if flag != "-o":
        argv += [flag, str(target), "--no-placement"]
    code, _, err = run(argv, capsys)
    assert_names(code, err, "nowhere/out.file", argv)


@pytest.mark.parametrize("where", ["a-file", "under-a-file"])
def test_a_bad_snapshot_target_is_named(tmp_path, capsys, where):
    f = tmp_path / "taken"
    f.write_text("a file")
    target = f if where == "a-file" else f / "sub"
    argv = ["check", "--save-snapshot", str(target)]
    code, _, err = run(argv, capsys)
    assert_names(code, err, str(target), argv)
