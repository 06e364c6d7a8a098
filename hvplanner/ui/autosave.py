"""Autosave beside the user's files, in the platform's application-data folder.

The autosave file exists only while there are unsaved changes: a clean exit removes it,
so finding one at start-up means the last session ended without saving.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QStandardPaths

from hvplanner.errors import PlanLoadError
from hvplanner.formats.planfile import load_plan, save_plan, write_atomic
from hvplanner.model.plan import Plan

AUTOSAVE_INTERVAL_MS = 60_000


def default_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / "autosave"


class Autosave:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_folder()
        self.plan_path = self.folder / "autosave.hvplan.json"
        self.meta_path = self.folder / "autosave.meta.json"

    def write(self, plan: Plan, source: Path | None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        save_plan(plan, self.plan_path)
        write_atomic(self.meta_path, json.dumps({"source": str(source) if source else None}))

    def clear(self) -> None:
        self.plan_path.unlink(missing_ok=True)
        self.meta_path.unlink(missing_ok=True)

    def pending(self) -> tuple[Plan, Path | None] | None:
        """The plan left by a session that did not end cleanly, if it can still be read."""
        if not self.plan_path.is_file():
            return None
        try:
            plan = load_plan(self.plan_path)
        except PlanLoadError:
            self.clear()
            return None
        source: Path | None = None
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
            if isinstance(meta, dict) and isinstance(meta.get("source"), str):
                source = Path(meta["source"])
        except (OSError, ValueError):
            source = None
        return plan, source
