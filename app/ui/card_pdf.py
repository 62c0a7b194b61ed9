"""The routine card as a PDF, laid out by Qt's text engine."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_card_pdf(html: str, path: Path) -> None:
    """Prints the card's HTML to an A4 PDF at `path` (written whole or not at all).

    Raises:
        OSError: the file cannot be written.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
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
        document = QTextDocument()
        document.setHtml(html)
        document.print_(writer)
        del writer  # finishes the file
        if Path(temp).stat().st_size == 0:
            raise OSError(f"cannot write {path}")
        Path(temp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temp).unlink()
        raise
