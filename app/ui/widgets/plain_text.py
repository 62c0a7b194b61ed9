"""Text from routine files and session rows, shown as the text it is, never as markup.

Routine files are shared between people: a name like `<img src="/dev/zero">` in a
label with Qt's default AutoText format is rich text, and Qt opens that file to
draw it. Every label, tooltip and message box of Limber's views is made here, so
that none can show such text as rich text (tests/ui/test_plain_text.py checks
both the widgets and that nothing else in app/ui makes a QLabel or a QMessageBox).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from app.ui.widgets.by_name import set_by_name

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox


class PlainLabel(QLabel):
    """A label whose text is always plain text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_by_name(self, "textFormat", "PlainText")  # Qt.TextFormat.PlainText
        self.setText(text)


class LinkLabel(QLabel):
    """A label of rich text made only by `link_html`: escaped text and one web link.

    Clicking the link opens it in the browser; the label itself never loads it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_by_name(self, "textFormat", "RichText")
        set_by_name(self, "textInteractionFlags", "TextBrowserInteraction")
        self.setOpenExternalLinks(True)


def link_html(before: str, link_text: str, url: str, after: str) -> str:
    """Rich text for a LinkLabel: the texts escaped, the link only to an http(s) address.

    Any other address (file:, a path, javascript:) is shown as text, not linked.
    """
    text = html.escape(link_text)
    if url.lower().startswith(("https://", "http://")):
        text = f'<a href="{html.escape(url, quote=True)}">{text}</a>'
    return f"{html.escape(before)}{text}{html.escape(after)}"


def plain_tooltip(text: str) -> str:
    """`text` as a tooltip that shows it as it is (Qt guesses a tooltip's format)."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""


def message_box(
    icon: QMessageBox.Icon, title: str, text: str, parent: QWidget | None = None
) -> QMessageBox:
    """A message box whose text is plain text, with an OK button; add others as needed."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box
