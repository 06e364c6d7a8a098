"""Saves killed at random moments: the plan on disk is always a whole plan (the old one or
the new one), and the next save removes what the killed one left."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from hvplanner.formats.planfile import load_plan, save_plan
from tests.faults.plans import write_plan

pytestmark = pytest.mark.fuzz

SAVING = textwrap.dedent(
    """
    import sys
    from hvplanner.formats.planfile import load_plan
    from hvplanner.formats.planstream import save_plan_streamed
    plan = load_plan(sys.argv[1])
    big = plan.model_copy(update={"name": "saved"})
    print("ready", flush=True)
    while True:
        save_plan_streamed(big, sys.argv[2])
    """
)


@pytest.mark.parametrize("seed", range(4))
def test_a_killed_save_leaves_a_whole_plan_and_the_next_save_cleans_up(tmp_path, seed):
    rng = random.Random(seed)
    src = write_plan(tmp_path)
    target = tmp_path / "t.hvplan.json"
    save_plan(load_plan(src), target)
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVING, str(src), str(target)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(rng.uniform(0.0, 0.3))
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    assert load_plan(target).name in ("faults", "saved")  # whole, old or new
    save_plan(load_plan(src), target)
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []
