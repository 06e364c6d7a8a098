"""Loads and cross-checks the catalog: one TOML file per product version plus sources.toml."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from hvplanner.catalog import cache
from hvplanner.errors import CatalogError, UnknownHypervisorError, quoted
from hvplanner.model.hypervisor import FAMILIES, HypervisorProfile, Source
from hvplanner.paths import hypervisors_dir

if TYPE_CHECKING:
    from hvplanner.model.licensing_file import Licensing

SOURCES_FILE = "sources.toml"
LICENSING_FILE = "licensing.toml"


@dataclass(frozen=True)
class Catalog:
    profiles: dict[str, HypervisorProfile]
    sources: dict[str, Source]
    licensing_table: dict[str, object] | None = None
    """licensing.toml as parsed; None: not shipped."""

    @functools.cached_property
    def licensing(self) -> Licensing | None:
        """Windows Server guest licensing and published list prices; None: not shipped.

        Validated when first asked for: only cost figures read it, so commands that size
        or place never build its four models (`model.licensing_file`).
        """
        return _licensing(self.licensing_table, self.sources)

    def __iter__(self) -> Iterator[HypervisorProfile]:
        return iter(self.ordered())

    def ordered(self) -> list[HypervisorProfile]:
        return sorted(
            self.profiles.values(),
            key=lambda p: (FAMILIES.index(p.family), p.released, p.version),
        )

    def get(self, key: str) -> HypervisorProfile:
        """`id@version`, or a bare `id` for the newest version of that product."""
        if key in self.profiles:
            return self.profiles[key]
        if "@" not in key:
            versions = [p for p in self.profiles.values() if p.id == key]
            if versions:
                return max(versions, key=lambda p: (p.released, p.version))
        known = ", ".join(sorted(self.profiles))
        raise UnknownHypervisorError(f"unknown hypervisor {quoted(key)}; the catalog has: {known}")

    def newest(self) -> list[HypervisorProfile]:
        """The newest version of each product, in comparison order."""
        best: dict[str, HypervisorProfile] = {}
        for p in self.ordered():
            best[p.id] = p
        return list(best.values())

    def source(self, key: str) -> Source:
        return self.sources[key]


def _parse(name: str, data: bytes) -> dict[str, object]:
    # tomllib is imported here: with the cache warm, loading the catalog never needs it.
    import tomllib

    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{name}: {exc}") from exc


def _read_tables(folder: Path) -> cache.Tables:
    """Every *.toml of `folder`, parsed: from the cache when the files are the same bytes."""
    files: dict[str, bytes] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            files[path.name] = path.read_bytes()
        except OSError as exc:
            raise CatalogError(f"{path.name}: {exc}") from exc
    key = cache.digest(files)
    tables = cache.read(key)
    if tables is None or tables.keys() != files.keys():
        tables = {name: _parse(name, data) for name, data in files.items()}
        cache.write(key, tables)
    return tables


def _format(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return f"{where}: {first['msg']}"


def load_catalog_from(folder: Path) -> Catalog:
    tables = _read_tables(folder)
    if SOURCES_FILE not in tables:
        raise CatalogError(f"{SOURCES_FILE}: not found in {folder}")
    raw_sources = tables[SOURCES_FILE].get("sources", {})
    if not isinstance(raw_sources, dict):
        raise CatalogError(f"{SOURCES_FILE}: [sources] must be a table")
    sources: dict[str, Source] = {}
    for key, data in raw_sources.items():
        try:
            sources[key] = Source.model_validate(data)
        except ValidationError as exc:
            raise CatalogError(f"{SOURCES_FILE}: sources.{key}.{_format(exc)}") from exc
    profiles: dict[str, HypervisorProfile] = {}
    for name, table in tables.items():
        if name in (SOURCES_FILE, LICENSING_FILE):
            continue
        try:
            profile = HypervisorProfile.model_validate(table)
        except ValidationError as exc:
            raise CatalogError(f"{name}: {_format(exc)}") from exc
        if name != f"{profile.key}.toml":
            raise CatalogError(f"{name}: file must be named {profile.key}.toml")
        missing = sorted(profile.source_keys() - sources.keys())
        if missing:
            raise CatalogError(f"{name}: unknown source keys {', '.join(missing)}")
        profiles[profile.key] = profile
    if not profiles:
        raise CatalogError(f"no hypervisor files in {folder}")
    return Catalog(profiles=profiles, sources=sources, licensing_table=tables.get(LICENSING_FILE))


def _licensing(table: dict[str, object] | None, sources: dict[str, Source]) -> Licensing | None:
    from hvplanner.model.licensing_file import Licensing

    if table is None:
        return None
    try:
        licensing = Licensing.model_validate(table)
    except ValidationError as exc:
        raise CatalogError(f"{LICENSING_FILE}: {_format(exc)}") from exc
    missing = sorted(licensing.source_keys() - sources.keys())
    if missing:
        raise CatalogError(f"{LICENSING_FILE}: unknown source keys {', '.join(missing)}")
    return licensing


@functools.cache
def load_catalog() -> Catalog:
    return load_catalog_from(hypervisors_dir())
