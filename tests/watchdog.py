"""A watchdog that fires even when a deadlock holds the GIL.

pytest-timeout's thread needs the GIL to act, so a thread blocked in C while holding it
(a worker inside Qt's signal mutex, say) would stall the run until CI's own limit. This
arms `faulthandler.dump_traceback_later(..., exit=True)`, which runs in a C thread: after
`HVPLANNER_TEST_LIMIT` seconds in one test, or `HVPLANNER_SESSION_LIMIT` for the whole
session, it prints every thread's stack and ends the process with exit status 1.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import time
from collections.abc import Generator

import pytest

# Above pytest-timeout's 300 s, which reports a hang that leaves the GIL free more kindly.
TEST_LIMIT = float(os.environ.get("HVPLANNER_TEST_LIMIT", "420"))
SESSION_LIMIT = float(os.environ.get("HVPLANNER_SESSION_LIMIT", "2700"))
_deadline = time.monotonic() + SESSION_LIMIT
_out = {"fd": 2}


def _arm(seconds: float) -> None:
    faulthandler.dump_traceback_later(max(seconds, 1.0), exit=True, file=_out["fd"])


def pytest_configure(config: pytest.Config) -> None:
    # The stacks must reach the real stderr: pytest's capture has fd 2 in a temporary file
    # during a test, and that file is lost when the watchdog ends the process.
    capman = config.pluginmanager.getplugin("capturemanager")
    err = getattr(getattr(capman, "_global_capturing", None), "err", None)
    saved = getattr(err, "targetfd_save", None)
    _out["fd"] = os.dup(saved if isinstance(saved, int) else sys.__stderr__.fileno())


def pytest_sessionstart(session: pytest.Session) -> None:
    global _deadline  # noqa: PLW0603 - one deadline per process
    _deadline = time.monotonic() + SESSION_LIMIT
    _arm(SESSION_LIMIT)


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    left = _deadline - time.monotonic()
    _arm(min(TEST_LIMIT, left))
    yield
    _arm(_deadline - time.monotonic())


def pytest_sessionfinish(session: pytest.Session) -> None:
    faulthandler.cancel_dump_traceback_later()
