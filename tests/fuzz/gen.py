"""Malformed inputs from a seeded random source: plan files, inventories, snapshot folders.

Each generator takes a `random.Random`, so a failing case is replayed from its seed
(`python -m tests.fuzz --replay plan:SEED`), and hypothesis drives the same generators
through `st.randoms()` in the tests. The mutations are the ones that broke readers
before: wrong types, huge numbers and strings, markup and terminal escapes, NULs,
truncation, paths out of the folder, devices, pipes and links.
"""

from __future__ import annotations

import copy
import json
import os
import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "samples").glob("*.hvplan.json"))
SOURCES = ROOT / "tests" / "formats" / "data" / "sources"
INVENTORIES = sorted(
    p
    for p in SOURCES.iterdir()
    if p.is_file() and p.suffix in (".csv", ".xlsx", ".json", ".xml", ".txt")
)

NASTY_TEXT = [
    "",
    " ",
    "<h1 style='color:red'>BIG</h1>",
    "<b>bold</b>",
    "\x1b]0;title\x07\x1b[2J",
    "\x00\x00",
    "é🙂\u202e",
    "../../etc/passwd",
    "/dev/zero",
    "/dev/stdin",
    "x" * 5000,
    "sep=|",
    "=cmd|' /C calc'!A0",
    "null",
    "NaN",
    "1e999",
    "-0",
]
NASTY_NUMBERS: list[Any] = [
    0,
    -1,
    1,
    2**31,
    2**63,
    10**80,
    -(10**30),
    0.5,
    1e308,
    -1e-308,
    True,
    False,
    None,
    "1",
    "",
]
TOP_KEYS = [
    "schema_version",
    "name",
    "hypervisor",
    "policy",
    "host_models",
    "hosts",
    "vms",
    "workloads",
]


def json_value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth > 3 or pick < 0.35:
        return rng.choice(NASTY_NUMBERS)
    if pick < 0.7:
        return rng.choice(NASTY_TEXT)
    if pick < 0.85:
        return [json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice([*TOP_KEYS, "id", "count"]): json_value(rng, depth + 1) for _ in range(2)}


def _containers(node: Any, out: list[Any]) -> None:
    if isinstance(node, dict | list):
        out.append(node)
        for child in node.values() if isinstance(node, dict) else node:
            _containers(child, out)


def mutate_json(rng: random.Random, data: Any, rounds: int) -> Any:
    """Change a few places in a JSON document: delete, replace, duplicate, grow."""
    doc = copy.deepcopy(data)
    for _ in range(rounds):
        nodes: list[Any] = []
        _containers(doc, nodes)
        node = rng.choice(nodes)
        if isinstance(node, dict):
            if not node or rng.random() < 0.15:
                node[rng.choice([*TOP_KEYS, "series", "host", "profile", "extra"])] = json_value(
                    rng
                )
                continue
            key = rng.choice(list(node))
            action = rng.random()
            if action < 0.25:
                del node[key]
            elif action < 0.8:
                node[key] = json_value(rng)
            else:
                value = node[key]
                if isinstance(value, int | float) and not isinstance(value, bool):
                    node[key] = value * rng.choice([-1, 0, 10, 1000, 10**9])
                elif isinstance(value, str):
                    node[key] = value * rng.choice([0, 2, 300])
        elif node:
            i = rng.randrange(len(node))
            action = rng.random()
            if action < 0.3:
                del node[i]
            elif action < 0.6:
                node.append(copy.deepcopy(node[i]))  # a duplicate id
            else:
                node[i] = json_value(rng)
    return doc


def _grow(rng: random.Random, data: dict[str, Any]) -> None:
    """Many entries, or a huge count: the sizes that made messages and placement explode."""
    vms = data.get("vms")
    if isinstance(vms, list) and vms and isinstance(vms[0], dict):
        n = rng.choice([50, 500, 3000])
        base = vms[0]
        data["vms"] = [
            {
                **base,
                "id": f"{base.get('id', 'vm')}-{k}",
                "host": rng.choice(["gone", base.get("host")]),
            }
            for k in range(n)
        ]
        if rng.random() < 0.3:
            data["vms"][0]["count"] = rng.choice([10_000, 1_000_000, 10**7])


def plan_data(rng: random.Random) -> Any:
    seed = json.loads(rng.choice(SAMPLES).read_text(encoding="utf-8"))
    if rng.random() < 0.2:
        seed.setdefault("workloads", []).append(
            {
                "name": "trace",
                "kind": "measured",
                "series": rng.choice(["db.csv", *NASTY_TEXT[6:10], "fifo.csv"]),
            }
        )
        if seed.get("vms"):
            seed["vms"][0]["profile"] = "trace"
    if rng.random() < 0.1:
        _grow(rng, seed)
    return mutate_json(rng, seed, rng.randint(0, 4))


def plan_bytes(rng: random.Random) -> bytes:
    data = plan_data(rng)
    text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
    raw = text.encode("utf-8")
    pick = rng.random()
    if pick < 0.05:
        return raw[: rng.randrange(len(raw) + 1)]  # cut short
    if pick < 0.08:
        return b"[" * 100_000 + b"]" * 100_000  # nested too deep
    if pick < 0.10:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 200)))
    if pick < 0.12:
        return b"\xef\xbb\xbf" + raw
    return raw


def write_plan_case(rng: random.Random, folder: Path) -> Path:
    """A plan file and what it may name beside it: a series, a pipe, a link out."""
    (folder / "db.csv").write_text("minute,cpu,ram,nic\n0,0.25,0.5,0\n720,1,0.5,0\n")
    if rng.random() < 0.3:
        os.mkfifo(folder / "fifo.csv")
    p = folder / "p.hvplan.json"
    p.write_bytes(plan_bytes(rng))
    return p


# --- inventories -------------------------------------------------------------------------


def _mutate_lines(rng: random.Random, raw: bytes) -> bytes:
    lines = raw.split(b"\n")
    for _ in range(rng.randint(1, 6)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        pick = rng.random()
        if pick < 0.2:
            del lines[i]
        elif pick < 0.4:
            lines.insert(i, lines[i])  # a repeated row: the same VM name twice
        elif pick < 0.55:
            cells = lines[i].split(b",")
            j = rng.randrange(len(cells))
            cells[j] = rng.choice(NASTY_TEXT).encode("utf-8", "surrogatepass")
            lines[i] = b",".join(cells)
        elif pick < 0.65:
            lines.insert(0, rng.choice([b"sep=|", b"sep=;", b"sep=", b"#TYPE x"]))
        elif pick < 0.75:
            lines[i] = lines[i].replace(b",", rng.choice([b";", b"\t", b"|", b",,"]))
        elif pick < 0.85:
            lines.extend([lines[-1]] * rng.choice([10, 200, 2000]))
        else:
            lines[i] = lines[i][: rng.randrange(len(lines[i]) + 1)]
    return b"\n".join(lines)


def _mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    b = bytearray(raw)
    for _ in range(rng.randint(1, 8)):
        if not b:
            break
        i = rng.randrange(len(b))
        pick = rng.random()
        if pick < 0.4:
            b[i] = rng.randrange(256)
        elif pick < 0.7:
            del b[i : i + rng.randint(1, 64)]
        else:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(b)


def inventory_case(rng: random.Random) -> tuple[str, bytes]:
    """(file name, bytes) of a mutated inventory in one of the layouts the importer reads."""
    src = rng.choice(INVENTORIES)
    raw = src.read_bytes()
    if src.suffix == ".json":
        try:
            data = json.loads(raw)
            raw = json.dumps(mutate_json(rng, data, rng.randint(1, 5))).encode()
        except ValueError:
            raw = _mutate_bytes(rng, raw)
    elif src.suffix == ".xlsx":
        raw = _mutate_bytes(rng, raw) if rng.random() < 0.5 else raw[: rng.randrange(len(raw))]
    elif rng.random() < 0.75:
        raw = _mutate_lines(rng, raw)
    else:
        raw = _mutate_bytes(rng, raw)
    return src.name, raw


# --- readiness snapshots -----------------------------------------------------------------

SNAPSHOT_FILES = [
    "proc/cpuinfo",
    "proc/cmdline",
    "proc/meminfo",
    "sys/class/dmi/id/sys_vendor",
    "sys/class/dmi/id/product_name",
    "sys/devices/system/cpu/online",
    "sys/module/kvm_intel/parameters/nested",
    "etc/group",
    "var/log/kern.log",
]
CPUINFO = "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu vmx ept lm\n\n"


def snapshot_case(rng: random.Random, root: Path, outside: Path) -> None:
    """A snapshot folder as `check --save-snapshot` writes it, then damaged."""
    for rel in SNAPSHOT_FILES:
        if rng.random() < 0.3:
            continue
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        pick = rng.random()
        if pick < 0.1:
            os.mkfifo(p)
        elif pick < 0.2:
            p.symlink_to(outside)
        elif pick < 0.25:
            p.symlink_to(rng.choice(["/dev/zero", "/dev/urandom", "/proc/self/environ"]))
        elif pick < 0.35:
            p.write_bytes(b"\x00" * rng.choice([10, 100_000, 1_100_000]))
        elif pick < 0.55:
            p.write_text(
                rng.choice(NASTY_TEXT) * rng.randint(1, 3), encoding="utf-8", errors="surrogatepass"
            )
        else:
            p.write_text(CPUINFO if rel.endswith("cpuinfo") else "1\n")
    meta = root / "hvplanner-snapshot.json"
    pick = rng.random()
    if pick < 0.1:
        os.mkfifo(meta)
    elif pick < 0.2:
        meta.symlink_to(outside)
    elif pick < 0.3:
        meta.write_bytes(b"{" + b" " * rng.choice([10, 3_000_000]) + b"}")
    elif pick < 0.7:
        doc = {
            "files": {"/proc/cmdline": {"state": "ok", "text": rng.choice(NASTY_TEXT)}},
            "machine": "x86_64",
        }
        meta.write_text(json.dumps(mutate_json(rng, doc, rng.randint(0, 3))))
