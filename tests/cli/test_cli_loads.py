"""A command loads what it uses and no more: `hvplanner size` no Qt, no NumPy, no placement,
simulation, comparison or report engine, no licensing.toml models, no other command's
modules and, once the catalog cache is warm, no TOML parser; `hvplanner place` no Qt,
simulation, report or licensing.toml models."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SAMPLES

SAMPLE = str(SAMPLES / "p2v-128-old-servers.hvplan.json")

# No command needs the window, the completion script or the version text (it looks for
# the licence files), nor the modules of the other commands.
NOT_FOR_ANY = ("PySide6", "pyqtgraph", "hvplanner.commands.completion", "hvplanner.about")
OTHER_COMMANDS = ("compare", "schema", "gui", "simulate", "check", "importing", "export", "cost")
NOT_FOR_SIZE = (
    *NOT_FOR_ANY,
    *(f"hvplanner.commands.{c}" for c in (*OTHER_COMMANDS, "place")),
    "numpy",
    "highspy",
    "tomllib",
    "hvplanner.engine.placement",
    "hvplanner.engine.simulation",
    "hvplanner.engine.compare",
    "hvplanner.engine.cost",
    "hvplanner.engine.report",
    "hvplanner.model.report",
    "hvplanner.model.placement",
    "hvplanner.model.simulation",
    "hvplanner.model.cost",
    "hvplanner.model.licensing_file",
)
NOT_FOR_PLACE = (
    *NOT_FOR_ANY,
    *(f"hvplanner.commands.{c}" for c in (*OTHER_COMMANDS, "size")),
    "tomllib",
    "hvplanner.model.licensing_file",
    "hvplanner.engine.simulation",
    "hvplanner.engine.compare",
    "hvplanner.engine.report",
    "hvplanner.model.report",
    "hvplanner.model.simulation",
)

RUN = """
import json, sys
from hvplanner.cli import main
status = main(json.loads(sys.argv[1]))
models = []
todo = [sys.modules["pydantic"].BaseModel] if "pydantic" in sys.modules else []
while todo:
    cls = todo.pop()
    models.append(cls.__name__)
    todo += cls.__subclasses__()
sys.stderr.write("\\nMODELS " + json.dumps(sorted(set(models))))
sys.stderr.write("\\nMODULES " + json.dumps(sorted(sys.modules)))
sys.exit(status)
"""
# The models of licensing.toml: only cost figures read them.
LICENSING_FILE_MODELS = {"Licensing", "ListPrice", "Edition", "WindowsServerRule"}


def _run(argv: list[str], cache: Path) -> str:
    env = {**os.environ, "HVPLANNER_CACHE_DIR": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(argv)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def _loaded(argv: list[str], cache: Path) -> set[str]:
    return set(json.loads(_run(argv, cache).rsplit("MODULES ", 1)[1]))


def _built(argv: list[str], cache: Path) -> set[str]:
    """The names of the pydantic models the command built."""
    models = _run(argv, cache).rsplit("MODELS ", 1)[1].split("\n", 1)[0]
    return set(json.loads(models))


def _banned(loaded: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded if any(m == b or m.startswith(b + ".") for b in banned))


@pytest.mark.parametrize(
    "argv",
    [
        ["size", SAMPLE],
        ["size", SAMPLE, "--all", "--json"],
        ["size", "--vms", "20", "--ram-gb", "2", "--hypervisor", "kvm", "--explain"],
    ],
    ids=["plan", "all-json", "vms"],
)
def test_size_loads_only_what_it_uses(argv: list[str], tmp_path: Path) -> None:
    _loaded(argv, tmp_path)  # the first run fills the catalog cache
    assert _banned(_loaded(argv, tmp_path), NOT_FOR_SIZE) == []


def test_place_loads_only_what_it_uses(tmp_path: Path) -> None:
    argv = ["place", SAMPLE, "--json", "--time-limit", "1"]
    _loaded(argv, tmp_path)
    assert _banned(_loaded(argv, tmp_path), NOT_FOR_PLACE) == []


@pytest.mark.parametrize(
    "argv",
    [["size", SAMPLE], ["place", SAMPLE, "--time-limit", "1"]],
    ids=["size", "place"],
)
def test_sizing_and_placing_build_no_licensing_file_model(argv: list[str], tmp_path: Path) -> None:
    built = _built(argv, tmp_path)
    assert "HypervisorProfile" in built  # the listing sees the catalog's models
    assert built & LICENSING_FILE_MODELS == set()


def test_cost_builds_the_licensing_file_models(tmp_path: Path) -> None:
    assert _built(["cost", SAMPLE], tmp_path) >= LICENSING_FILE_MODELS
