"""Guest OS families, apart from the pydantic models so that the command line can offer
them (`hvplanner size --os`) without loading pydantic."""

from __future__ import annotations

from typing import Literal

GuestOs = Literal["windows-server", "windows-client", "windows-7", "linux", "other"]
"""The guest family a VM runs: it decides guest licensing (Windows Server is licensed on the
host's physical cores whichever hypervisor runs it). "windows-7" is a windows-client named by
its release because one published limit depends on it: Hyper-V 2008 R2 SP1 supports 12 VPs
per LP instead of 8 when every guest runs Windows 7."""
WINDOWS_CLIENTS: frozenset[str] = frozenset({"windows-client", "windows-7"})
