"""The player's face, drawn to be read from the floor three metres away.

One painted widget rather than a form of labels: every part has its place and
its share of the height whatever it shows, its text is fitted to that place
(never the other way round: the face cannot make the window grow), and a change
repaints only the parts that changed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.domain.routine import Side
from app.domain.screen import BEATS, EMPTY, Screen
from app.ui.widgets.side_badge import SIDE_COLOURS

# The word and the arrow's direction tell the sides apart without their colours.
BAND_COLOURS = {side: QColor(colour) for side, colour in SIDE_COLOURS.items()}

# Each part's share of the face's height. The side band is at least an eighth.
BAND_SHARE = 1 / 8
TITLE_SHARE = 0.12
CAPTION_SHARE = 0.06
STATUS_SHARE = 0.08
INSTRUCTION_SHARE = 0.1
NEXT_SHARE = 0.07
BAR_SHARE = 0.022
MARGIN_SHARE = 0.018

# Below this a text is too small to read from the floor, and counts as clipped.
SMALLEST_PX = 11
LINE_PX = 15  # a line of text at the smallest size
RING_FROM_PX = 90  # a number area smaller than this shows the number without its ring
# The big number's least share of the height: below it the instruction is left out.
LEAST_NUMBER_SHARE = 0.3
# Narrower than this, what comes next and the instruction may take more lines.
WIDE_ENOUGH = 520
# The opacity of a paused face under its "Paused" sign, and the sign's share of
# the big number's height.
DIMMED = 0.22
PAUSED_FILL = 0.5


# The ring: an arc per twelfth of a rep, with gaps between, in degrees.
ARC_SPAN = 360 / BEATS
ARC_GAP = 6


def lit_arcs(beat: float) -> int:
    """How many arcs are lit at `beat`: the part of the rep running is lit too."""
    return min(int(beat * BEATS) + 1, BEATS)


@dataclass(frozen=True)
class Drawn:
    """A text as last painted: where, at what size, and whether it had to be cut."""

    text: str
    pixel_size: int
    rect: QRect
    cut: bool


class FloorFace(QWidget):
    """Paints a `Screen`: side band, title, the big number (with the rep's beat as a
    ring on paced reps), caption, status, instruction, what comes next, progress.

    Attributes:
        shown: The screen shown.
        drawn: Each text part as last painted, by part name (for tests and checks).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shown: Screen = EMPTY
        self.drawn: dict[str, Drawn] = {}
        self._rects: dict[str, QRect] = {}
        self._fits: dict[tuple[str, int, int, bool, int, float], tuple[int, bool]] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._lay_out()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(240, 120)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(900, 560)

    def show_screen(self, screen: Screen) -> None:
        """Shows `screen`, repainting only the parts that changed."""
        before, self.shown = self.shown, screen
        if before.state != screen.state or before.waiting != screen.waiting:
            self.update()
            return
        if (
            before.beat is not None
            and screen.beat is not None
            and before.beat != screen.beat
            and (before.big, before.caption, before.sets)
            == (screen.big, screen.caption, screen.sets)
        ):
            # The next part of the rep: only the arcs that light up or go dark.
            low, high = sorted((lit_arcs(before.beat), lit_arcs(screen.beat)))
            for index in range(low, high):
                self.update(self._arcs[index])
            before = replace(before, beat=screen.beat)
        changed = {
            "band": before.side != screen.side,
            "title": before.title != screen.title,
            "number": (before.big, before.beat, before.caption, before.sets)
            != (screen.big, screen.beat, screen.caption, screen.sets),
            "status": before.status != screen.status,
            "instruction": before.instruction != screen.instruction,
            "next": (before.next, before.elapsed) != (screen.next, screen.elapsed),
            "bar": before.progress != screen.progress,
        }
        for part, differs in changed.items():
            if differs:
                self.update(self._rects[part])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._lay_out()

    def _lay_out(self) -> None:
        """Gives each part its place, by share of the height."""
        width, height = self.width(), self.height()
        margin = max(4, round(min(width, height) * MARGIN_SHARE))
        inner = width - 2 * margin

        def share(part: float, lines: int = 1) -> int:
            # Never less than the lines of the smallest readable text: a small
            # face gives the room from the big number, which stays the largest.
            return max(lines * LINE_PX, round(height * part))

        band = QRect(0, 0, width, max(24, round(height * BAND_SHARE)))
        title = QRect(margin, band.bottom() + 1 + margin, inner, share(TITLE_SHARE, 2))
        bar_height = max(6, round(height * BAR_SHARE))
        bar = QRect(margin, height - margin - bar_height, inner, bar_height)
        next_height = share(NEXT_SHARE, 1 if width >= WIDE_ENOUGH else 2)
        following = QRect(margin, bar.top() - margin // 2 - next_height, inner, next_height)
        instruction_height = share(INSTRUCTION_SHARE, 2 if width >= WIDE_ENOUGH else 3)
        instruction = QRect(margin, following.top() - instruction_height, inner, instruction_height)
        caption_height = max(8, round(height * CAPTION_SHARE))
        number_room = instruction.top() - title.bottom() - share(STATUS_SHARE) - caption_height
        if number_room < height * LEAST_NUMBER_SHARE:
            # A short face keeps room for the big number: the instruction goes.
            instruction = QRect(margin, following.top(), inner, 0)
        status = QRect(margin, instruction.top() - share(STATUS_SHARE), inner, 0)
        status.setHeight(share(STATUS_SHARE))
        number = QRect(margin, title.bottom() + 1, inner, max(0, status.top() - title.bottom() - 1))
        self._number_parts(number)
        self._rects = {
            "band": band,
            "title": title,
            "number": number,
            "status": status,
            "instruction": instruction,
            "next": following,
            "bar": bar,
        }
        self._fits.clear()

    def _number_parts(self, rect: QRect) -> None:
        """Places the caption, the ring, its twelve arcs and the number inside it."""
        # The caption sits at the foot of the number's place, never outside it.
        caption_height = min(max(8, round(self.height() * CAPTION_SHARE)), rect.height() // 3)
        self._area = QRect(rect.left(), rect.top(), rect.width(), rect.height() - caption_height)
        self._caption = QRect(rect.left(), self._area.bottom() + 1, rect.width(), caption_height)
        side = min(self._area.width(), self._area.height())
        self._ring = QRectF(0, 0, side, side)
        self._ring.moveCenter(QRectF(self._area).center())
        self._thickness = max(3.0, side * 0.06)
        half = self._thickness / 2
        self._ring.adjust(half, half, -half, -half)
        inset = side * 0.15
        self._inside = self._ring.adjusted(inset, inset, -inset, -inset).toRect()
        self._arcs = [self._arc_rect(index) for index in range(BEATS)]

    def _arc_rect(self, index: int) -> QRect:
        """What one arc of the ring covers: a beat repaints only the arcs it changes."""
        centre, radius = self._ring.center(), self._ring.width() / 2
        start = math.radians(90 - index * ARC_SPAN - ARC_GAP / 2)
        end = math.radians(90 - (index + 1) * ARC_SPAN + ARC_GAP / 2)
        points = [
            QPointF(centre.x() + radius * math.cos(angle), centre.y() - radius * math.sin(angle))
            for angle in (start + (end - start) * step / 4 for step in range(5))
        ]
        bounds = QPolygonF(points).boundingRect()
        pad = self._thickness / 2 + 2
        return bounds.adjusted(-pad, -pad, pad, pad).toAlignedRect()

    # Painting -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        screen = self.shown
        dirty = event.rect()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        palette = self.palette()
        painter.fillRect(dirty, palette.color(QPalette.ColorRole.Window))
        if screen.paused:
            painter.setOpacity(DIMMED)
        rects = self._rects
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        if dirty.intersects(rects["band"]):
            self._paint_band(painter, rects["band"], screen.side)
        painter.setPen(text_colour)
        if dirty.intersects(rects["title"]):
            self._text(painter, "title", screen.title, rects["title"], bold=True, lines=2)
        if screen.paused:  # the sign takes the number's place
            self.drawn.pop("number", None)
            self.drawn.pop("caption", None)
        elif dirty.intersects(rects["number"]):
            self._paint_number(painter, dirty, screen, palette)
        if not rects["instruction"].height():
            self.drawn.pop("instruction", None)  # left out of a short face
        elif dirty.intersects(rects["instruction"]):
            lines = 2 if self.width() >= WIDE_ENOUGH else 3
            self._text(
                painter, "instruction", screen.instruction, rects["instruction"], lines=lines
            )
        if dirty.intersects(rects["next"]):
            self._paint_next(painter, rects["next"], screen)
        if dirty.intersects(rects["bar"]):
            self._paint_bar(painter, rects["bar"], screen.progress, palette)
        painter.setOpacity(1.0)
        if not screen.paused:
            self.drawn.pop("paused", None)
        if screen.paused:
            painter.setPen(text_colour)
            self._text(painter, "paused", "Paused", rects["number"], bold=True, fill=PAUSED_FILL)
        if dirty.intersects(rects["status"]):
            waiting = palette.color(QPalette.ColorRole.Highlight)
            painter.setPen(waiting if screen.waiting else text_colour)
            status = screen.status
            if screen.paused:  # the sign says "Paused": the line says what to press
                status = status.removeprefix("Paused. ")
            self._text(painter, "status", status, rects["status"], bold=True)
        painter.end()

    def _paint_band(self, painter: QPainter, rect: QRect, side: Side | None) -> None:
        """The side as a band across the top: its colour, its word, and an arrow
        pointing to it; an empty band (the same size) for a step without a side."""
        if side is None:
            self.drawn.pop("band", None)
            return
        painter.fillRect(rect, BAND_COLOURS[side])
        painter.setPen(QColor("white"))
        painter.setBrush(QColor("white"))
        height = rect.height()
        arrow_width = round(height * 0.9)
        pad = round(height * 0.3)
        word = QRect(rect)
        word.adjust(pad + arrow_width + pad, 0, -(pad + arrow_width + pad), 0)
        self._text(painter, "band", f"{side.value.upper()} SIDE", word, bold=True, fill=0.72)
        # The arrow at the band's end on that side, pointing out of the screen there.
        middle = rect.center().y() + 0.5
        half = height * 0.32
        if side is Side.LEFT:
            tip, base = rect.left() + pad, rect.left() + pad + arrow_width
        else:
            tip, base = rect.right() - pad, rect.right() - pad - arrow_width
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(tip, middle),
                    QPointF(base, middle - half),
                    QPointF(base, middle + half),
                ]
            )
        )

    def _paint_number(
        self, painter: QPainter, dirty: QRect, screen: Screen, palette: QPalette
    ) -> None:
        """The big number with its caption, in the ring of the rep's beat on paced
        reps; what `dirty` does not touch is left as it is."""
        if dirty.intersects(self._caption):
            caption = " · ".join(part for part in (screen.caption, screen.sets.lower()) if part)
            self._text(painter, "caption", caption, self._caption)
        if not screen.big:
            self.drawn.pop("number", None)
            return
        # The width of "88" or "8:88": a countdown keeps its size as it counts.
        template = "".join("8" if c.isdigit() else c for c in screen.big)
        area = self._area
        if screen.beat is None or min(area.width(), area.height()) < RING_FROM_PX:
            if dirty.intersects(area):
                self._text(painter, "number", screen.big, area, bold=True, template=template)
            return
        self._paint_ring(painter, dirty, screen.beat, palette)
        if dirty.intersects(self._inside):
            self._text(
                painter, "number", screen.big, self._inside, bold=True, template=template, fill=0.9
            )

    def _paint_ring(self, painter: QPainter, dirty: QRect, beat: float, palette: QPalette) -> None:
        """The rep's beat: twelve arcs, lit up to the part of the rep now running."""
        lit = lit_arcs(beat)
        for index in range(BEATS):
            if not dirty.intersects(self._arcs[index]):
                continue
            colour = palette.color(
                QPalette.ColorRole.Highlight if index < lit else QPalette.ColorRole.Mid
            )
            pen = QPen(colour, self._thickness)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            # Clockwise from twelve o'clock; Qt counts sixteenths of a degree.
            start = 90 - index * ARC_SPAN - ARC_GAP / 2
            painter.drawArc(self._ring, round(start * 16), round(-(ARC_SPAN - ARC_GAP) * 16))
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))

    def _paint_next(self, painter: QPainter, rect: QRect, screen: Screen) -> None:
        elapsed_width = round(rect.width() * 0.24) if screen.elapsed else 0
        following = QRect(rect.left(), rect.top(), rect.width() - elapsed_width, rect.height())
        lines = 1 if self.width() >= WIDE_ENOUGH else 2
        self._text(
            painter, "next", screen.next, following, align=Qt.AlignmentFlag.AlignLeft, lines=lines
        )
        if not elapsed_width:
            self.drawn.pop("elapsed", None)
        else:
            elapsed = QRect(following.right() + 1, rect.top(), elapsed_width, rect.height())
            self._text(
                painter, "elapsed", screen.elapsed, elapsed, align=Qt.AlignmentFlag.AlignRight
            )

    @staticmethod
    def _paint_bar(painter: QPainter, rect: QRect, progress: float, palette: QPalette) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        radius = rect.height() / 2
        painter.setBrush(palette.color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(rect, radius, radius)
        if progress > 0:
            done = QRectF(rect)
            done.setWidth(max(rect.height(), rect.width() * progress))
            painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRoundedRect(done, radius, radius)

    def _text(
        self,
        painter: QPainter,
        part: str,
        text: str,
        rect: QRect,
        *,
        bold: bool = False,
        lines: int = 1,
        fill: float = 0.8,
        template: str = "",
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignHCenter,
    ) -> None:
        """Draws `text` as plain text, as large as fits `rect` (a share `fill` of
        its height per line, on at most `lines` lines); cut with an ellipsis only
        where even the smallest readable size does not fit."""
        if not text:
            self.drawn.pop(part, None)
            return
        pixels, cut = self._fit(template or text, rect, bold=bold, lines=lines, fill=fill)
        font = QFont(self.font())
        font.setPixelSize(pixels)
        font.setBold(bold)
        painter.setFont(font)
        flags = align | Qt.AlignmentFlag.AlignVCenter
        shown = text
        if lines > 1 and not cut:
            flags |= Qt.TextFlag.TextWordWrap
        elif cut or lines == 1:
            shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, int(flags), shown)
        self.drawn[part] = Drawn(text, pixels, QRect(rect), cut or shown != text)

    def _fit(
        self, text: str, rect: QRect, *, bold: bool, lines: int, fill: float
    ) -> tuple[int, bool]:
        """The largest pixel size at which `text` fits `rect`, and whether even the
        smallest readable size is too big (cached until the face is resized)."""
        key = (text, rect.width(), rect.height(), bold, lines, fill)
        if key in self._fits:
            return self._fits[key]
        font = QFont(self.font())
        font.setBold(bold)
        # As large as one line fills the height; the wrapped text must fit it too.
        largest = max(SMALLEST_PX, int(rect.height() * fill))

        def fits(pixels: int) -> bool:
            font.setPixelSize(pixels)
            metrics = QFontMetricsF(font)
            if lines == 1:
                return metrics.horizontalAdvance(text) <= rect.width()
            wrapped = metrics.boundingRect(
                QRectF(0, 0, rect.width(), 1_000_000), int(Qt.TextFlag.TextWordWrap), text
            )
            return wrapped.height() <= rect.height() and wrapped.width() <= rect.width()

        low, high = SMALLEST_PX, largest
        if not fits(low):
            self._fits[key] = (SMALLEST_PX, True)
            return self._fits[key]
        while low < high:  # the largest size that fits
            middle = (low + high + 1) // 2
            if fits(middle):
                low = middle
            else:
                high = middle - 1
        self._fits[key] = (low, False)
        return self._fits[key]
