"""The user's own VM templates (Plan ▸ New VM Template…), kept in the settings across plans."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from hvplanner.model.plan import VM

KEY = "templates"


def load(settings: QSettings) -> list[VM]:
    """The saved templates; one that no longer validates (an older version's) is skipped."""
    raw = settings.value(KEY, [])
    if isinstance(raw, str):
        raw = [raw]
    found: list[VM] = []
    for text in raw or []:
        try:
            found.append(VM.model_validate_json(str(text)))
        except ValueError:
            continue
    return found


def add(settings: QSettings, template: VM) -> list[VM]:
    """Saves one more template; returns them all."""
    kept = [*load(settings), template]
    settings.setValue(KEY, [t.model_dump_json() for t in kept])
    return kept
