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


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The catalog cache lives in the run's temporary folder (also for the commands the
    tests start), not in the home of whoever runs them."""
    before = os.environ.get("HVPLANNER_CACHE_DIR")
    os.environ["HVPLANNER_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        del os.environ["HVPLANNER_CACHE_DIR"]
    else:
        os.environ["HVPLANNER_CACHE_DIR"] = before


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
