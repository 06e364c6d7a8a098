"""`hvplanner gui`: screenshots, load errors before any window, and no display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"


def run(*args: str, display: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "hvplanner", "gui", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check is Linux-only")
def test_no_display_without_screenshot_is_one_line_and_exit_2() -> None:
    res = run()
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "no display" in res.stderr


@pytest.mark.parametrize("sample", ["p2v-128-old-servers.hvplan.json"])
def test_screenshot_without_display_uses_offscreen(tmp_path: Path, sample: str) -> None:
    out = tmp_path / "shot.png"
    res = run(str(SAMPLES / sample), "--screenshot", str(out), "--size", "800x600")
    assert res.returncode == 0, res.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_plan_exits_2_with_the_load_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.hvplan.json"
    bad.write_text('{"schema_version": 1, "vms": [{"id": "x"}]}')
    out = tmp_path / "shot.png"
    res = run(str(bad), "--screenshot", str(out))
    assert res.returncode == 2
    assert "vms[0]" in res.stderr
    assert not out.exists()


def test_samples_load() -> None:
    from hvplanner.catalog import load_catalog
    from hvplanner.formats.planfile import load_plan

    for path in SAMPLES.glob("*.hvplan.json"):
        plan = load_plan(path)
        load_catalog().get(plan.hypervisor)
    p2v = load_plan(SAMPLES / "p2v-128-old-servers.hvplan.json")
    assert p2v.vm_count == 128 and len(p2v.hosts) == 8
    assert all(v.cpu_mhz == 1000 and v.vcpu == 1 for v in p2v.vms)
