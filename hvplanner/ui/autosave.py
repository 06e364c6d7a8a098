"""Autosave beside the user's files, in the platform's application-data folder.

Each window has its own autosave, named by a per-window id, and from its first autosave
on holds a lock file (QLockFile) on it while it is open. The autosave exists only while
there are unsaved changes: a clean close removes it and releases the lock. So an autosave
whose lock no running instance holds (the lock is missing, or names a process that is
gone) was left by a window that did not close normally, and only those are offered for
recovery; another window's work in progress is never offered, nor deleted.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths

from hvplanner.errors import PlanLoadError
from hvplanner.formats.planfile import PLAN_SUFFIX, load_plan, save_plan, write_atomic
from hvplanner.model.plan import Plan

AUTOSAVE_INTERVAL_MS = 60_000
PREFIX = "autosave"


def default_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "autosave"


@dataclass(frozen=True)
class AutosaveFiles:
    """The files of one autosave: the plan, where it came from, and the lock."""

    plan: Path
    meta: Path
    lock: Path

    @classmethod
    def named(cls, folder: Path, stem: str) -> AutosaveFiles:
        return cls(
            folder / f"{stem}{PLAN_SUFFIX}", folder / f"{stem}.meta.json", folder / f"{stem}.lock"
        )

    def remove(self) -> None:
        self.plan.unlink(missing_ok=True)
        self.meta.unlink(missing_ok=True)


@dataclass(frozen=True)
class Orphan:
    """An autosave no running window holds: the plan, its file, and where it lies."""

    plan: Plan
    source: Path | None
    files: AutosaveFiles


class Autosave:
    def __init__(self, folder: Path | None = None, window_id: str | None = None) -> None:
        self.folder = folder or default_folder()
        self.window_id = window_id or uuid.uuid4().hex[:12]
        self._files = AutosaveFiles.named(self.folder, f"{PREFIX}-{self.window_id}")
        self.plan_path = self._files.plan
        self.meta_path = self._files.meta
        self._lock: QLockFile | None = None
        # Orphans' locks, held while they are offered; by the orphan's plan file.
        self._claimed: dict[Path, QLockFile] = {}

    def hold(self) -> None:
        """Takes this window's lock, from its first autosave on (a window with nothing unsaved
        leaves no files)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        lock = QLockFile(str(self._files.lock))
        lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        if lock.tryLock(0):
            self._lock = lock

    def release(self) -> None:
        """Gives up the lock (on close, after `clear`)."""
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        for lock in self._claimed.values():
            lock.unlock()
        self._claimed = {}

    def write(self, plan: Plan, source: Path | None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._lock is None:
            self.hold()
        save_plan(plan, self.plan_path)
        write_atomic(self.meta_path, json.dumps({"source": str(source) if source else None}))

    def clear(self) -> None:
        self._files.remove()

    def orphans(self) -> list[Orphan]:
        """Autosaves that no running window holds, newest first; unreadable ones are removed.

        Each one found is claimed (its lock taken) so that no other window offers it too.
        The window does the reading part, `read_claimed`, off its thread.
        """
        return self.settle(read_claimed(self.claim()))

    def claim(self) -> list[AutosaveFiles]:
        """The autosaves no running window holds, each claimed (its lock taken): locks are
        Qt objects, so this part stays on the GUI thread."""
        if not self.folder.is_dir():
            return []
        claimed: list[AutosaveFiles] = []
        for path in self.folder.glob(f"{PREFIX}*{PLAN_SUFFIX}"):
            stem = path.name.removesuffix(PLAN_SUFFIX)
            if stem == f"{PREFIX}-{self.window_id}":
                continue
            files = AutosaveFiles.named(self.folder, stem)
            lock = QLockFile(str(files.lock))
            lock.setStaleLockTime(0)
            if not lock.tryLock(0):
                continue  # another window, open now, holds it
            self._claimed[files.plan] = lock
            claimed.append(files)
        return claimed

    def settle(self, read: list[ReadAutosave]) -> list[Orphan]:
        """The readable ones, newest first; the unreadable ones are removed and let go."""
        found: list[tuple[float, Orphan]] = []
        for r in read:
            if r.plan is None:
                r.files.remove()
                lock = self._claimed.pop(r.files.plan, None)
                if lock is not None:
                    lock.unlock()
                continue
            found.append((r.mtime, Orphan(r.plan, r.source, r.files)))
        return [o for _, o in sorted(found, key=lambda f: -f[0])]

    def drop(self, orphan: Orphan) -> None:
        """Deletes an orphan (recovered into this window, or declined)."""
        orphan.files.remove()
        orphan.files.lock.unlink(missing_ok=True)

    def pending(self) -> tuple[Plan, Path | None] | None:
        """The newest plan left by a window that did not close normally, if any."""
        found = self.orphans()
        return (found[0].plan, found[0].source) if found else None


@dataclass(frozen=True)
class ReadAutosave:
    """One claimed autosave as read: its plan (None when unreadable), age and source."""

    files: AutosaveFiles
    plan: Plan | None
    mtime: float
    source: Path | None


def read_claimed(claimed: list[AutosaveFiles]) -> list[ReadAutosave]:
    """Reads claimed autosaves: plain Python, safe in a worker (a plan may be large)."""
    read: list[ReadAutosave] = []
    for files in claimed:
        try:
            plan: Plan | None = load_plan(files.plan)
            mtime = files.plan.stat().st_mtime
        except (PlanLoadError, OSError):
            plan, mtime = None, 0.0
        read.append(ReadAutosave(files, plan, mtime, _source(files.meta) if plan else None))
    return read


def _source(meta: Path) -> Path | None:
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("source"), str):
        return Path(data["source"])
    return None
