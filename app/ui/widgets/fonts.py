"""Sizing a widget's text in pixels: the player's text follows the view's size."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget


def set_pixel_font(widget: QWidget, pixels: int, *, bold: bool = False) -> None:
    """Gives `widget` its font at `pixels` high, bold or not."""
    font = QFont(widget.font())
    font.setPixelSize(pixels)
    font.setBold(bold)
    widget.setFont(font)
