"""The bundle's system libraries get their packages' licences, read from the package records."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging" / "pyinstaller"))
import system_notices

LIBZ = next(
    (
        p
        for p in map(Path, ("/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib64/libz.so.1"))
        if p.exists()
    ),
    None,
)


def test_only_top_level_system_libraries_are_listed():
    binaries = [
        ("libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", "BINARY"),
        ("libpython3.11.so.1.0", "/opt/python/lib/libpython3.11.so.1.0", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/v/site-packages/PySide6/Qt/lib/x.so", "BINARY"),
        ("libshiboken6.abi3.so.6.11", "/v/lib/site-packages/shiboken6/libshiboken6.so", "BINARY"),
    ]
    assert [d for d, _ in system_notices.system_libraries(binaries)] == ["libz.so.1"]


@pytest.mark.skipif(LIBZ is None or shutil.which("dpkg") is None, reason="needs dpkg and zlib")
def test_a_debian_library_gets_its_package_and_copyright(tmp_path):
    assert LIBZ is not None
    listed = system_notices.write_system_notices([("libz.so.1", str(LIBZ), "BINARY")], tmp_path)
    assert listed == 1
    readme = (tmp_path / system_notices.README).read_text()
    assert "| `libz.so.1` | zlib1g " in readme
    assert "`zlib1g.copyright`" in readme
    assert "Jean-loup Gailly" in (tmp_path / "zlib1g.copyright").read_text()


def test_a_library_without_a_package_record_is_still_listed(tmp_path):
    lib = tmp_path / "libmine.so.1"
    lib.write_bytes(b"\x7fELF")
    system_notices.write_system_notices([("libmine.so.1", str(lib), "BINARY")], tmp_path / "n")
    assert (
        f"| `libmine.so.1` | {lib} (no package record) | - |"
        in (tmp_path / "n" / system_notices.README).read_text()
    )
