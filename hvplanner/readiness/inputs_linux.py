"""Raw inputs of the Linux checks: file texts, listings, device nodes, live answers.

Everything the checks need is gathered here first, so the checks are pure
functions of this object and a recorded snapshot gives the same answers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FileState = Literal["ok", "absent", "unreadable", "not-captured"]


class _Raw(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileRead(_Raw):
    state: FileState
    text: str = ""
    error: str = ""


class NodeInfo(_Raw):
    """A device node as stat() saw it; group is the name from /etc/group when known."""

    is_char: bool
    mode: int
    uid: int
    gid: int
    group: str | None = None
    # os.access(R_OK | W_OK) for the probing user; sees ACLs that mode bits do not show
    access_rw: bool | None = None


class UserInfo(_Raw):
    uid: int
    name: str | None
    # groups of this process: a group added since login is in /etc/group but not here
    gids: list[int]


class KvmOpen(_Raw):
    opened: bool
    api_version: int | None = None
    error: str = ""


class MsrRead(_Raw):
    address: int
    value: int | None = None
    error: str = ""


class LinuxInputs(_Raw):
    root: str | None = None
    machine: str | None = None
    files: dict[str, FileRead] = Field(default_factory=dict)
    # True present, False looked for and absent, None not captured
    exists: dict[str, bool | None] = Field(default_factory=dict)
    listings: dict[str, list[str] | None] = Field(default_factory=dict)
    # None: not captured; absent nodes are recorded in `exists`
    nodes: dict[str, NodeInfo | None] = Field(default_factory=dict)
    user: UserInfo | None = None
    kvm_open: KvmOpen | None = None
    msr: MsrRead | None = None
    dmesg: FileRead = FileRead(state="not-captured")
    disk_free_gb: float | None = None
    disk_path: str | None = None
    container_env: str | None = None

    def file(self, path: str) -> FileRead:
        return self.files.get(path, FileRead(state="not-captured"))

    def text(self, path: str) -> str | None:
        f = self.file(path)
        return f.text if f.state == "ok" else None

    def present(self, path: str) -> bool | None:
        return self.exists.get(path)
