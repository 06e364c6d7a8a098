from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "resources" / "samples"


@pytest.fixture
def seed_sample() -> Path:
    return SAMPLES / "seed-200-win7-hyperv2008r2.hvplan.json"
