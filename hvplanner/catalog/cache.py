"""The catalog's TOML files as parsed tables, kept as JSON in the user's cache folder.

Parsing the TOML files is most of loading the catalog (tomllib is pure Python); the same
tables read back from JSON take a fraction of that. An entry is named by a digest of the
files' names and bytes, so an edited, added or removed file misses it and the files are
parsed afresh: the TOML stays the only source. What is read back is validated exactly as
a fresh parse is. Any trouble with the cache (no home, a read-only folder, a damaged
entry) means parsing the files, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

from hvplanner.paths import cache_dir

FORMAT = 1
"""Raised when what an entry holds changes, so older entries are not read."""
KEEP = 8
"""Entries kept: a few installs or checkouts side by side do not evict one another."""

Tables = dict[str, dict[str, object]]
"""File name → the file's top-level table."""


def digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256(f"hvplanner catalog cache {FORMAT}\n".encode())
    for name in sorted(files):
        data = files[name]
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()[:32]


def _entry(folder: Path, key: str) -> Path:
    return folder / f"catalog-{key}.json"


def read(key: str) -> Tables | None:
    """The tables stored under `key`, or None (no cache, no entry, a damaged one)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with _entry(folder, key).open("rb") as fh:
            tables = json.load(fh)
    except (OSError, ValueError):
        return None
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        return None
    return tables


def write(key: str, tables: Tables) -> None:
    """Store `tables` under `key`, atomically (a reader sees all of an entry or none)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        text = json.dumps(tables, ensure_ascii=False)
    except (TypeError, ValueError):  # a TOML date or time: JSON has no such type
        return
    tmp = folder / f".catalog-{key}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, _entry(folder, key))
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return
    _prune(folder)


def _prune(folder: Path) -> None:
    def age(p: Path) -> float:
        try:
            return -p.stat().st_mtime
        except OSError:
            return 0.0

    for old in sorted(folder.glob("catalog-*.json"), key=age)[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
