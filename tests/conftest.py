from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt tests run without a display, also when pytest is started directly rather than by make.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "resources" / "samples"
# Captures of real machines for the readiness checker; their README gives sources and licences.
HOST_FIXTURES = REPO / "tests" / "fixtures" / "hosts"


@pytest.fixture
def seed_sample() -> Path:
    return SAMPLES / "seed-200-win7-hyperv2008r2.hvplan.json"
