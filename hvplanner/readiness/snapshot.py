"""Writes what the probe read into a folder a user can send; `--root` reads it back.

Only what the checks use is kept: log files and /etc/group are cut down to the lines
that matter, so a snapshot does not carry a whole system log or every account name.
"""

from __future__ import annotations

from pathlib import Path

from hvplanner.readiness.checks_linux import BIOS_LOG
from hvplanner.readiness.inputs_linux import FileRead, LinuxInputs
from hvplanner.readiness.linux_parse import group_members
from hvplanner.readiness.probe_linux import SNAPSHOT_META
from hvplanner.readiness.probe_macos import MacInputs
from hvplanner.readiness.probe_windows import WindowsInputs

INPUTS_FILE = "hvplanner-inputs.json"


def _trimmed(path: str, text: str, inputs: LinuxInputs) -> str:
    if path.endswith(".log"):
        return "".join(ln + "\n" for ln in text.splitlines() if BIOS_LOG.search(ln))
    if path == "/etc/group":
        node = inputs.nodes.get("/dev/kvm")
        if node is None:
            return ""
        name, members = group_members(text, node.gid)
        return f"{name}:x:{node.gid}:{','.join(members)}\n" if name else ""
    return text


def save_linux(inputs: LinuxInputs, folder: Path) -> list[Path]:
    written: list[Path] = []
    files: dict[str, FileRead] = {}
    for path, got in inputs.files.items():
        files[path] = FileRead(state=got.state, error=got.error)
        if got.state != "ok":
            continue
        target = folder / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(_trimmed(path, got.text, inputs), encoding="utf-8")
        written.append(target)
    dmesg = inputs.dmesg
    if dmesg.state == "ok":
        dmesg = FileRead(state="ok", text=_trimmed("dmesg.log", dmesg.text, inputs))
    meta = inputs.model_copy(update={"files": files, "dmesg": dmesg, "root": None})
    target = folder / SNAPSHOT_META
    target.write_text(meta.model_dump_json(indent=2), encoding="utf-8")
    written.append(target)
    return written


def save_snapshot(inputs: LinuxInputs | WindowsInputs | MacInputs, folder: Path) -> list[Path]:
    """Linux inputs become a root folder; Windows and macOS inputs one JSON file."""
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(inputs, LinuxInputs):
        return save_linux(inputs, folder)
    target = folder / INPUTS_FILE
    target.write_text(inputs.model_dump_json(indent=2), encoding="utf-8")
    return [target]
