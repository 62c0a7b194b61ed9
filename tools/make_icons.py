"""Renders Limber's icon into every format a desktop asks for.

Run:  python3 tools/make_icons.py

The source is resources/icons/hicolor/scalable/apps/<app id>.svg, drawn by hand.
This script writes the same picture as:

- a PNG per size in the hicolor theme beside it, for desktops and docks that
  want bitmaps, and for the window icon;
- packaging/icons/limber.ico for Windows: one PNG entry per size, which
  Windows Vista and later read;
- packaging/icons/limber.icns for macOS: PNG entries from ic11 (16 pt @2x) to
  ic10 (512 pt @2x).

Qt's SVG renderer draws the bitmaps, so this needs nothing but PySide6, which
Limber needs anyway. The two containers are a handful of struct calls. A given
Qt version always writes the same bytes, so running this again with an
unchanged SVG changes no file.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
# app.APP_ID: a script run by its path cannot import `app`. tests/test_icons.py
# looks the files up by app.APP_ID, so it fails if the two ever differ.
APP_ID = "io.github.limber_timer.Limber"
HICOLOR = ROOT / "resources" / "icons" / "hicolor"
SOURCE = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
PACKAGING = ROOT / "packaging" / "icons"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Each ICNS entry's type and pixel size. There is no entry for 16 or 32 px at 1x:
# Finder draws PNGs in icp4/icp5 garbled, so macOS scales these down instead.
ICNS_TYPES = (
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic13", 256),
    (b"ic08", 256),
    (b"ic14", 512),
    (b"ic09", 512),
    (b"ic10", 1024),
)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """Draws the SVG into a transparent square image of `size` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    """Encodes `image` as PNG."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """Packs PNGs, keyed by pixel size, into a Windows .ico file.

    Args:
        pngs: The PNG of each square size, 1 to 256 pixels.

    Returns:
        An ICONDIR header, one 16-byte ICONDIRENTRY per image, then the PNGs.
    """
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries = []
    for size in sizes:
        side = size % 256  # the format writes 256 as 0
        # width, height, palette size, reserved, colour planes, bits per pixel, length, offset
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(pngs[size]), offset))
        offset += len(pngs[size])
    return header + b"".join(entries) + b"".join(pngs[size] for size in sizes)


def icns(entries: list[tuple[bytes, bytes]]) -> bytes:
    """Packs (type, PNG) pairs into a macOS .icns file.

    Every length in the format is big-endian and counts its own 8-byte header.
    """
    body = b"".join(kind + struct.pack(">I", 8 + len(data)) + data for kind, data in entries)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> None:
    """Writes the hicolor PNGs, limber.ico and limber.icns from the SVG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _application = QGuiApplication([])  # QPainter draws only while one exists
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"Qt cannot read {SOURCE}")
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: png_bytes(render(renderer, size)) for size in sizes}

    for size in PNG_SIZES:
        folder = HICOLOR / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{APP_ID}.png").write_bytes(pngs[size])
    PACKAGING.mkdir(parents=True, exist_ok=True)
    (PACKAGING / "limber.ico").write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    (PACKAGING / "limber.icns").write_bytes(icns([(kind, pngs[size]) for kind, size in ICNS_TYPES]))


if __name__ == "__main__":
    main()
