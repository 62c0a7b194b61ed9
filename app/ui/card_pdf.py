"""The routine card as a PDF, laid out by Qt's text engine."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument

# The scales tried, largest first, to fit a card on one page: type and spacing
# shrink together, down to 11 pt type set at 8.25 pt, still easy to read on paper.
SCALES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75)


class CardPages(NamedTuple):
    """How a card was printed: its number of pages, and the scale it was set at."""

    pages: int
    scale: float


def write_card_pdf(html: str, path: Path) -> CardPages:
    """Prints the card's HTML to an A4 PDF at `path` (written whole or not at all).

    The card is set on one page if it fits at one of `SCALES`, at the largest
    that fits; a card too long for one page even at the smallest is printed at
    full size over as many pages as it needs.

    Raises:
        OSError: the file cannot be written.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QMarginsF, QPointF, QRectF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
    from PySide6.QtWidgets import QApplication

    # A QApplication (not just a QGuiApplication): whoever comes next may want widgets.
    _app = QApplication.instance() or QApplication([])
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    Path(temp).chmod(0o644)  # mkstemp makes it private; a card is meant to be shared
    try:
        writer = QPdfWriter(temp)
        writer.setTitle(path.stem)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
                QPageLayout.Unit.Millimeter,
            )
        )
        body = QRectF(writer.pageLayout().paintRectPixels(writer.resolution())).size()
        document = QTextDocument()
        document.documentLayout().setPaintDevice(writer)  # points measured as printed
        document.setHtml(html)
        # A page 1/scale as large, drawn scaled down: type and spacing shrink together.
        scale = next((s for s in SCALES if _pages(document, body / s) == 1), SCALES[0])
        page = body / scale
        pages = _pages(document, page)
        painter = QPainter(writer)
        if not painter.isActive():
            raise OSError(f"cannot write {path}")
        try:
            painter.scale(scale, scale)
            for number in range(pages):
                if number:
                    writer.newPage()
                painter.save()
                painter.translate(0, -number * page.height())
                document.drawContents(painter, QRectF(QPointF(0, number * page.height()), page))
                painter.restore()
        finally:
            painter.end()
        del writer  # finishes the file
        if Path(temp).stat().st_size == 0:
            raise OSError(f"cannot write {path}")
        Path(temp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temp).unlink()
        raise
    return CardPages(pages, scale)


def _pages(document: QTextDocument, size: QSizeF) -> int:
    """The number of pages of `size` the document takes."""
    document.setPageSize(size)
    return document.pageCount()
