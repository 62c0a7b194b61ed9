"""Limber's icon ships in the installed package, and the bundles' .ico and .icns hold it."""

from __future__ import annotations

import importlib.util
import re
import struct
import xml.etree.ElementTree as ET
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from app import APP_ID
from app.main import ICON_SIZES


def _load_make_icons() -> ModuleType:
    """tools/make_icons.py, the script that renders the icons (tools/ is no package)."""
    spec = importlib.util.spec_from_file_location(
        "make_icons", Path(__file__).resolve().parents[1] / "tools" / "make_icons.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_icons = _load_make_icons()

HICOLOR = files("app.resources") / "icons" / "hicolor"
ICON = HICOLOR / "scalable" / "apps" / f"{APP_ID}.svg"
SYMBOLIC = HICOLOR / "symbolic" / "apps" / f"{APP_ID}-symbolic.svg"
ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging" / "icons"

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Every entry of limber.icns: macOS's type code and the PNG's size in pixels.
ICNS_SIZES = {
    b"ic11": 32,
    b"ic12": 64,
    b"ic07": 128,
    b"ic13": 256,
    b"ic08": 256,
    b"ic14": 512,
    b"ic09": 512,
    b"ic10": 1024,
}
SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def rgba(image: QImage) -> np.ndarray:
    """The image's pixels as a height x width x 4 array of straight (not premultiplied) RGBA."""
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    return rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4).copy()


def decode_png(data: bytes) -> QImage:
    """Decodes PNG bytes with Qt, failing the test if they are anything else."""
    assert data.startswith(PNG_SIGNATURE)
    image = QImage.fromData(data, "PNG")
    assert not image.isNull()
    return image


def render(svg: Traversable, size: int) -> QImage:
    """Renders an SVG into a transparent square of `size` pixels, as make_icons does."""
    renderer = QSvgRenderer(svg.read_bytes())
    assert renderer.isValid()
    return make_icons.render(renderer, size)


def opaque_share(image: QImage) -> float:
    """The fraction of the image's pixels that are fully opaque."""
    return float((rgba(image)[..., 3] == 255).mean())


def colours(svg: Traversable) -> set[str]:
    """Every paint an SVG names, in attributes or style, other than none."""
    paints: set[str] = set()
    for element in ET.fromstring(svg.read_bytes()).iter():
        declarations = dict(element.attrib)
        for declaration in element.get("style", "").split(";"):
            name, _, value = declaration.partition(":")
            declarations[name.strip()] = value.strip()
        paints.update(
            value.lower()
            for name, value in declarations.items()
            if name in {"fill", "stroke", "color", "stop-color", "flood-color"}
        )
    return paints - {"none", ""}


@pytest.mark.parametrize("size", ICON_SIZES)
def test_each_hicolor_png_is_the_icon_at_its_size(qapp: QApplication, size: int) -> None:
    png = HICOLOR / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    image = decode_png(png.read_bytes())
    assert (image.width(), image.height()) == (size, size)
    # The stopwatch's round case fills about half the square; the corners stay clear.
    assert opaque_share(image) > 0.3
    assert rgba(image)[0, 0, 3] == 0
    # Made from today's SVG: a fresh render differs by antialiasing at most.
    difference = np.abs(rgba(image).astype(int) - rgba(render(ICON, size)).astype(int))
    assert difference.mean() < 2


@pytest.mark.parametrize(("svg", "view_box"), [(ICON, "0 0 128 128"), (SYMBOLIC, "0 0 16 16")])
def test_the_svgs_are_plain_drawings_that_render(
    qapp: QApplication, svg: Traversable, view_box: str
) -> None:
    root = ET.fromstring(svg.read_bytes())
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == view_box
    # Shapes only: no bitmaps, and no text that would depend on the fonts at hand.
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags.isdisjoint({"image", "text", "foreignObject"})
    assert opaque_share(render(svg, 64)) > 0.1


def test_the_icon_uses_a_small_palette() -> None:
    paints = colours(ICON)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", paint) for paint in paints)
    assert 3 <= len(paints) <= 6


def test_the_symbolic_icon_is_one_flat_grey(qapp: QApplication) -> None:
    # The greys GNOME's symbolic icons are drawn in; the desktop recolours them.
    (paint,) = colours(SYMBOLIC)
    assert paint in {"#2e3436", "#bebebe"}
    pixels = rgba(render(SYMBOLIC, 64))
    drawn = pixels[pixels[..., 3] == 255][:, :3]
    assert len(drawn) > 0
    assert (drawn == tuple(bytes.fromhex(paint[1:]))).all()


def test_the_ico_holds_a_png_of_each_size(qapp: QApplication) -> None:
    data = (PACKAGING / "limber.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, len(ICO_SIZES))
    sizes = []
    for index in range(count):
        width, height, palette, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        # A width or height of 0 means 256.
        size = width or 256
        assert (height or 256, palette, planes, bits) == (size, 0, 1, 32)
        assert offset + length <= len(data)
        image = decode_png(data[offset : offset + length])
        assert (image.width(), image.height()) == (size, size)
        sizes.append(size)
    assert sorted(sizes) == list(ICO_SIZES)


def test_the_icns_holds_a_png_of_each_size(qapp: QApplication) -> None:
    data = (PACKAGING / "limber.icns").read_bytes()
    magic, total = struct.unpack_from(">4sI", data)
    assert (magic, total) == (b"icns", len(data))
    found: dict[bytes, int] = {}
    offset = 8
    while offset < len(data):
        kind, length = struct.unpack_from(">4sI", data, offset)
        assert 8 < length <= len(data) - offset
        image = decode_png(data[offset + 8 : offset + length])
        assert image.width() == image.height()
        found[kind] = image.width()
        offset += length
    assert found == ICNS_SIZES
