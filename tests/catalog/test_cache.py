"""The parsed catalog kept in the user's cache: read back when the TOML files are the same
bytes, parsed afresh when one changed, and never a reason to fail."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from hvplanner.catalog import cache, loader
from hvplanner.errors import CatalogError
from hvplanner.paths import hypervisors_dir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "hypervisors"
    shutil.copytree(hypervisors_dir(), copy)
    return copy


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("HVPLANNER_CACHE_DIR", str(where))
    return where


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the loader parses as TOML."""
    seen: list[str] = []
    parse = loader._parse

    def counted(name: str, data: bytes) -> dict[str, object]:
        seen.append(name)
        return parse(name, data)

    monkeypatch.setattr(loader, "_parse", counted)
    return seen


def test_second_load_reads_the_cache(folder: Path, cache_dir: Path, parses: list[str]) -> None:
    first = loader.load_catalog_from(folder)
    assert len(parses) == len(list(folder.glob("*.toml")))
    assert len(list(cache_dir.glob("catalog-*.json"))) == 1
    parses.clear()
    second = loader.load_catalog_from(folder)
    assert parses == []
    assert second == first


def test_an_edited_file_is_parsed_afresh(folder: Path, cache_dir: Path, parses: list[str]) -> None:
    loader.load_catalog_from(folder)
    kvm = folder / "kvm@rhel9.toml"
    kvm.write_text(kvm.read_text(encoding="utf-8").replace("released = 2022", "released = 2023"))
    parses.clear()
    assert loader.load_catalog_from(folder).get("kvm@rhel9").released == 2023
    assert len(parses) == len(list(folder.glob("*.toml")))


def test_an_edit_that_breaks_a_file_is_reported(folder: Path, cache_dir: Path) -> None:
    loader.load_catalog_from(folder)
    kvm = folder / "kvm@rhel9.toml"
    kvm.write_text(kvm.read_text(encoding="utf-8").replace('family = "kvm"', "family = kvm"))
    with pytest.raises(CatalogError, match=r"kvm@rhel9\.toml: "):
        loader.load_catalog_from(folder)


def test_removed_and_added_files_miss_the_cache(folder: Path, cache_dir: Path) -> None:
    loader.load_catalog_from(folder)
    (folder / "virtualbox@7.toml").unlink()
    assert "virtualbox@7" not in loader.load_catalog_from(folder).profiles
    (folder / "stray.toml").write_text('id = "stray"\n', encoding="utf-8")
    with pytest.raises(CatalogError, match=r"stray\.toml: "):
        loader.load_catalog_from(folder)


def test_a_damaged_entry_is_parsed_over(folder: Path, cache_dir: Path, parses: list[str]) -> None:
    first = loader.load_catalog_from(folder)
    for entry in cache_dir.glob("catalog-*.json"):
        entry.write_bytes(entry.read_bytes()[:1000])
    parses.clear()
    assert loader.load_catalog_from(folder) == first
    assert parses
    parses.clear()
    loader.load_catalog_from(folder)
    assert parses == []  # the damaged entry was written anew


def test_no_cache_folder_still_loads(
    folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HVPLANNER_CACHE_DIR", "")
    assert loader.load_catalog_from(folder).profiles
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("HVPLANNER_CACHE_DIR", str(blocked / "cache"))
    assert loader.load_catalog_from(folder).profiles


def test_tables_json_cannot_hold_are_not_cached(cache_dir: Path) -> None:
    cache.write("k", {"a.toml": {"read": dt.date(2026, 12, 7)}})
    assert cache.read("k") is None
    assert not list(cache_dir.glob("catalog-*.json"))


def test_old_entries_are_pruned(cache_dir: Path) -> None:
    for i in range(cache.KEEP + 3):
        cache.write(f"k{i}", {"a.toml": {"i": i}})
    assert len(list(cache_dir.glob("catalog-*.json"))) == cache.KEEP
