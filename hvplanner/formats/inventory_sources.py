"""Which reader an inventory needs, from its first bytes: a workbook is a zip, Proxmox's
resources are JSON, libvirt's domains are XML, `virsh domstats` starts with "Domain:";
anything else is read as CSV. The file name's extension is never trusted."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from hvplanner.formats.inventory import MAX_INVENTORY_BYTES, InventoryError, Table, csv_table

_PEEK = 512


def sniff(head: bytes) -> str:
    """'xlsx', 'json', 'xml', 'domstats' or 'csv' for the first bytes of a file."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"[", b"{")):
        return "json"
    if text.startswith(b"<"):
        return "xml"
    if text.startswith(b"Domain:"):
        return "domstats"
    return "csv"


def _open_regular(path: Path, where: str) -> IO[bytes]:
    # Checked before opening: opening a FIFO for reading would block until a writer comes.
    try:
        if not stat.S_ISREG(path.stat().st_mode) and not path.is_dir():
            raise InventoryError(f"{where}: not a regular file (a device or a pipe cannot be read)")
    except OSError:
        pass  # reported by the open below, with its reason
    try:
        f = path.open("rb")
    except FileNotFoundError as exc:
        raise InventoryError(f"{where}: no such file") from exc
    except IsADirectoryError as exc:
        raise InventoryError(f"{where}: is a folder, not an inventory") from exc
    except OSError as exc:
        raise InventoryError(f"{where}: cannot read ({exc.strerror})") from exc
    st = os.fstat(f.fileno())
    if not stat.S_ISREG(st.st_mode):
        f.close()
        raise InventoryError(f"{where}: not a regular file (a device or a pipe cannot be read)")
    if st.st_size > MAX_INVENTORY_BYTES:
        f.close()
        raise InventoryError(
            f"{where}: {st.st_size} bytes is larger than an inventory can be "
            f"({MAX_INVENTORY_BYTES // 1024 // 1024} MB)"
        )
    return f


@contextmanager
def open_table(path: Path | None, raw: bytes | None, where: str) -> Iterator[Table]:
    """The Table of a file (streamed when it is a CSV) or of bytes already read."""
    if path is not None and path.is_dir():
        from hvplanner.formats.inventory_libvirt import folder_table

        yield folder_table(path, where)
        return
    stream = _open_regular(path, where) if path is not None else io.BytesIO(raw or b"")
    try:
        head = stream.read(_PEEK)
        stream.seek(0)
        kind = sniff(head)
        if kind == "csv":
            yield csv_table(stream, where)
            return
        data = stream.read(MAX_INVENTORY_BYTES + 1)
        if len(data) > MAX_INVENTORY_BYTES:
            raise InventoryError(f"{where}: larger than an inventory can be")
        if kind == "xlsx":
            from hvplanner.formats.inventory_xlsx import workbook_table

            yield workbook_table(data, where)
        elif kind == "json":
            from hvplanner.formats.inventory_proxmox import proxmox_table

            yield proxmox_table(data, where)
        elif kind == "xml":
            from hvplanner.formats.inventory_libvirt import domain_xml_table

            yield domain_xml_table([(where, data)], where)
        else:
            from hvplanner.formats.inventory_libvirt import domstats_table

            yield domstats_table(data, where)
    finally:
        stream.close()
