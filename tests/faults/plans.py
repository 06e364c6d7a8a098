"""A small valid plan with a measured workload, shared by the fault tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

PLAN: dict[str, Any] = {
    "schema_version": 1,
    "name": "faults",
    "hypervisor": "hyper-v@2008r2",
    "host_models": [
        {
            "id": "m",
            "sockets": 1,
            "cores_per_socket": 8,
            "ghz": 2.0,
            "ram_gb": 64,
            "nics": [{"count": 1, "gbps": 1}],
        }
    ],
    "hosts": [{"id": "h1", "model": "m"}, {"id": "h2", "model": "m"}],
    "vms": [
        {"id": "web", "count": 6, "vcpu": 1, "ram_gb": 4, "nic_mbps": 100, "host": "h1"},
        {"id": "db", "count": 2, "vcpu": 2, "ram_gb": 16, "host": "h2", "profile": "db-trace"},
    ],
    "workloads": [{"name": "db-trace", "kind": "measured", "series": "db.csv"}],
}

SERIES = "minute,cpu,ram,nic\n0,0.25,0.5,0\n720,1,0.5,0\n"


def plan_data(series: str = "db.csv") -> dict[str, Any]:
    data = copy.deepcopy(PLAN)
    data["workloads"][0]["series"] = series
    return data


def write_plan(folder: Path, series: str = "db.csv", name: str = "p.hvplan.json") -> Path:
    (folder / "db.csv").write_text(SERIES)
    p = folder / name
    p.write_text(json.dumps(plan_data(series)))
    return p
