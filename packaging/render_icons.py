"""Render the application icon from its SVG into the PNG, ICO and ICNS files we commit.

Run it after editing the SVG: `python packaging/render_icons.py`. It needs `rsvg-convert`
(Debian/Ubuntu: `apt-get install librsvg2-bin`). The outputs are committed so that neither
a wheel build nor a bundle build needs the tool.

- resources/icons/hicolor/NxN/apps/APP_ID.png   the freedesktop icon theme sizes
- packaging/pyinstaller/hvplanner.ico           Windows: PNG-compressed entries, 16 to 256
- packaging/pyinstaller/hvplanner.icns          macOS: PNG entries, 16 to 1024 (512@2x)
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

APP_ID = "io.github.hvplanner.HvPlanner"
ROOT = Path(__file__).resolve().parents[1]
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
SVG = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types with PNG payloads and the pixel size each one holds.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic13", 256),
    (b"ic08", 256),
    (b"ic14", 512),
    (b"ic09", 512),
    (b"ic10", 1024),
)


def render(size: int, out: Path) -> bytes:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["rsvg-convert", "--width", str(size), "--height", str(size), "-o", str(out), str(SVG)],
        check=True,
    )
    return out.read_bytes()


def ico(pngs: dict[int, bytes]) -> bytes:
    sizes = [s for s in ICO_SIZES if s in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    if shutil.which("rsvg-convert") is None:
        print("render_icons: needs rsvg-convert (apt-get install librsvg2-bin)", file=sys.stderr)
        return 1
    pngs: dict[int, bytes] = {}
    for size in PNG_SIZES:
        pngs[size] = render(size, HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    with tempfile.TemporaryDirectory() as tmp:
        pngs[1024] = render(1024, Path(tmp) / "1024.png")
    out = ROOT / "packaging" / "pyinstaller"
    (out / "hvplanner.ico").write_bytes(ico(pngs))
    (out / "hvplanner.icns").write_bytes(icns(pngs))
    print(f"rendered {len(PNG_SIZES)} PNG sizes, hvplanner.ico and hvplanner.icns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
