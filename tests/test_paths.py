"""Where hvplanner finds its data: source tree, installed package, PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from hvplanner import paths

REPO = Path(__file__).resolve().parents[1]


def test_source_tree() -> None:
    assert paths.resources_dir() == REPO / "resources"
    assert paths.sample_plan().is_file()
    assert (paths.hypervisors_dir() / "sources.toml").is_file()
    assert paths.desktop_dir() == REPO / "packaging" / "linux"


def test_frozen_bundle_uses_meipass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "hvplanner" / "resources"
    (bundled / "desktop").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == bundled
    assert paths.desktop_dir() == bundled / "desktop"
    assert paths.app_icon() == bundled / "icons" / "hicolor" / "scalable" / "apps" / (
        f"{paths.APP_ID}.svg"
    )


def test_frozen_without_data_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == REPO / "resources"


def test_cache_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HVPLANNER_CACHE_DIR", str(tmp_path / "c"))
    assert paths.cache_dir() == tmp_path / "c"
    monkeypatch.setenv("HVPLANNER_CACHE_DIR", "")
    assert paths.cache_dir() is None
    monkeypatch.delenv("HVPLANNER_CACHE_DIR")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.cache_dir() == tmp_path / "xdg" / "hvplanner"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert paths.cache_dir() == tmp_path / ".cache" / "hvplanner"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert paths.cache_dir() == tmp_path / "Library" / "Caches" / "hvplanner"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert paths.cache_dir() == tmp_path / "local" / "hvplanner" / "cache"
