from __future__ import annotations

import os
import sys
from collections.abc import Iterator
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


pytest_plugins = ["tests.watchdog"]


@pytest.fixture(autouse=True)
def _no_stray_qt_threads() -> Iterator[None]:
    """No QThread left running and no QObject living off the GUI thread after a test."""
    yield
    from tests.qt_guard import leftovers

    running, stray = leftovers()
    if running and "hvplanner.ui.background" in sys.modules:
        from hvplanner.ui.background import end_workers

        end_workers()  # the next test starts clean whatever this one left
    assert not running, f"QThreads still running after the test: {running}"
    assert not stray, f"QObjects living off the GUI thread after the test: {stray}"
