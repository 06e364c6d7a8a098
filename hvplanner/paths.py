"""Where bundled data lives: inside the installed package, or beside it in a source tree."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resources_dir() -> Path:
    # A wheel carries the folder as hvplanner/resources; a source checkout (and an
    # editable install) keeps it at the top of the tree, as DESIGN.md lays it out.
    packaged = Path(str(resources.files("hvplanner"))) / "resources"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "resources"


def hypervisors_dir() -> Path:
    return resources_dir() / "hypervisors"


def samples_dir() -> Path:
    return resources_dir() / "samples"


def sample_plan() -> Path:
    return samples_dir() / "seed-200-win7-hyperv2008r2.hvplan.json"
