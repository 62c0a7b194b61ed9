"""The history charts, drawn with pyqtgraph (imported only when History is first shown)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from app.domain.history_stats import Heatmap, TighterWeek
from app.ui.widgets.plain_text import PlainLabel

GOAL_COLOUR = "#c2410c"
BAR_COLOUR = "#1f5fbf"
# The answers to "which side felt tighter?", stacked in this order from the axis
# up: a blue and an orange that colour-blind eyes tell apart, and a light grey
# for "same"; dark, middle and light, so that they read in grey too.
TIGHTER_SERIES = (
    ("left", "Left tighter", "#1d4f91"),
    ("right", "Right tighter", "#f28e2b"),
    ("same", "Same", "#c9ced6"),
)


@dataclass(frozen=True)
class ChartData:
    """Everything the charts show, computed by app.domain.history_stats."""

    per_week: list[tuple[date, int]]
    goal: int
    minutes: list[tuple[date, float]]
    heat: Heatmap
    tighter: list[TighterWeek]
    # The scales, from every session rather than the filtered ones: charts keep
    # their axes while filters change, which reads better and redraws quicker.
    week_top: float = 10.0
    minutes_top: float = 50.0
    tighter_top: float = 10.0


class HistoryCharts(QWidget):
    """Sessions per week against the goal, a year's heat map, minutes per week and
    which side felt tighter each week; `show_data` redraws them in place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        pg.setConfigOptions(antialias=False)  # bars and cells: sharp edges, quicker paints
        background = self.palette().color(QPalette.ColorRole.Base)
        foreground = self.palette().color(QPalette.ColorRole.Text)
        self.per_week = self._plot("Warm-ups per week", "sessions", background, foreground)
        self.week_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=BAR_COLOUR)
        self.per_week.addItem(self.week_bars)
        self.goal_line = pg.InfiniteLine(
            angle=0, pen=pg.mkPen(GOAL_COLOUR, width=2, style=pg.QtCore.Qt.PenStyle.DashLine)
        )
        self.per_week.addItem(self.goal_line)
        self.minutes = self._plot("Minutes per week", "minutes", background, foreground)
        self.minute_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=BAR_COLOUR)
        self.minutes.addItem(self.minute_bars)
        self.heat = self._plot("The last year, a cell a day", "", background, foreground)
        self.heat.invertY(True)
        self.heat.getAxis("left").setTicks(
            [[(i + 0.5, d) for i, d in enumerate(("Mon", "", "Wed", "", "Fri", "", "Sun"))]]
        )
        self.heat_image = pg.ImageItem()
        self.heat_image.setLookupTable(heat_colours(background))
        self.heat.addItem(self.heat_image)
        self.tighter = self._plot(
            "Which side felt tighter, answers per week", "answers", background, foreground
        )
        self.tighter_bars = {
            key: pg.BarGraphItem(x=[], height=[], width=0.7, brush=colour, pen=None)
            for key, _label, colour in TIGHTER_SERIES
        }
        for bars in self.tighter_bars.values():
            self.tighter.addItem(bars)
        self.tighter_empty = pg.TextItem(
            "No answers to “which side felt tighter?” here yet",
            color=foreground,
            anchor=(0.5, 0.5),
        )
        self.tighter.addItem(self.tighter_empty)
        self._ticks: dict[int, list[tuple[float, str]]] = {}
        self._tops: dict[int, object] = {}  # the ranges set, by plot
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.per_week, 0, 0)
        layout.addWidget(self.heat, 0, 1)
        layout.addWidget(self.minutes, 1, 0)
        layout.addWidget(with_legend(self.tighter, background, foreground), 1, 1)

    def _plot(self, title: str, unit: str, background: QColor, foreground: QColor) -> pg.PlotWidget:
        plot = pg.PlotWidget(background=background)
        plot.setTitle(title, color=foreground)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setMinimumHeight(150)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setTextPen(foreground)
            plot.getAxis(axis).setPen(foreground)
            plot.getAxis(axis).enableAutoSIPrefix(False)  # no "(x0.001)" in a unit
        # Room for the tick labels set once: left to itself, pyqtgraph widens an
        # axis after its first paint, which re-lays out and repaints every chart.
        metrics = QFontMetrics(plot.font())
        plot.getAxis("left").setStyle(
            autoExpandTextSpace=False, tickTextWidth=metrics.horizontalAdvance("0000")
        )
        plot.getAxis("bottom").setStyle(autoExpandTextSpace=False, tickTextHeight=metrics.height())
        if unit:
            plot.setLabel("left", unit, color=foreground)
        return plot

    def show_data(self, data: ChartData) -> None:
        """Redraws every chart from `data`."""
        weeks = len(data.per_week)
        self.week_bars.setOpts(x=np.arange(weeks), height=[c for _, c in data.per_week])
        self.goal_line.setValue(data.goal)
        self._y_range(self.per_week, max(data.week_top, nice_top(data.goal + 1)))
        self.per_week.setXRange(-0.6, weeks - 0.4, padding=0)
        self._date_ticks(self.per_week, [d for d, _ in data.per_week])
        self.minute_bars.setOpts(
            x=np.arange(len(data.minutes)), height=[m for _, m in data.minutes]
        )
        self.minutes.setXRange(-0.6, len(data.minutes) - 0.4, padding=0)
        self._y_range(self.minutes, data.minutes_top)
        self._date_ticks(self.minutes, [d for d, _ in data.minutes])
        grid = heat_levels(data.heat)
        self.heat_image.setImage(grid, levels=(0, 255))
        self.heat.setXRange(0, grid.shape[0], padding=0)
        self.heat.setYRange(0, 7, padding=0)
        mondays = [data.heat.first_day + timedelta(weeks=n) for n in range(grid.shape[0])]
        self._set_ticks(
            self.heat,
            [(i, monday.strftime("%b")) for i, monday in enumerate(mondays) if monday.day <= 7],
        )
        self._show_tighter(data)

    def _show_tighter(self, data: ChartData) -> None:
        """Stacks each week's answers: left at the bottom, right on it, same on top."""
        weeks = data.tighter
        below = np.zeros(len(weeks))
        for key, _label, _colour in TIGHTER_SERIES:
            counts = np.array([getattr(week, key) for week in weeks], dtype=float)
            shown = counts > 0  # a bar of no height would still draw its edge
            self.tighter_bars[key].setOpts(
                x=np.flatnonzero(shown), y0=below[shown], height=counts[shown]
            )
            below += counts
        self.tighter_empty.setVisible(not below.any())
        self.tighter_empty.setPos((len(weeks) - 1) / 2, data.tighter_top / 2)
        self.tighter.setXRange(-0.6, len(weeks) - 0.4, padding=0)
        self._y_range(self.tighter, data.tighter_top)
        self._date_ticks(self.tighter, [week.week for week in weeks])

    def _date_ticks(self, plot: pg.PlotWidget, days: list[date]) -> None:
        step = max(1, len(days) // 6)
        self._set_ticks(
            plot, [(i, d.strftime("%d %b")) for i, d in enumerate(days) if i % step == 0]
        )

    def _y_range(self, plot: pg.PlotWidget, top: float) -> None:
        """Sets the y range only when it changes: a new range redraws the axis."""
        if self._tops.get(id(plot)) != top:
            self._tops[id(plot)] = top
            plot.setYRange(0, top, padding=0)

    def _set_ticks(self, plot: pg.PlotWidget, ticks: list[tuple[float, str]]) -> None:
        """Sets an axis's ticks only when they change: new ticks redraw the axis."""
        if self._ticks.get(id(plot)) != ticks:
            self._ticks[id(plot)] = ticks
            plot.getAxis("bottom").setTicks([ticks])


def nice_top(value: float) -> float:
    """The next of 5, 10, 20, 50, 100... at or above `value`: the axis of a chart
    keeps its scale while filters change the numbers a little."""
    top = 5.0
    while top < value:
        top *= 2 if str(int(top))[0] in "15" else 2.5
    return top


# Minutes in a day at which a cell is as dark as it gets.
HEAT_FULL_MINUTES = 20.0


def heat_levels(heat: Heatmap) -> np.ndarray:
    """Cells as lookup-table indexes: 0 a day to come, 1 no warm-up, 2-255 minutes."""
    grid = np.zeros((len(heat.minutes), 7), dtype=float)
    for week, column in enumerate(heat.minutes):
        for weekday, minutes in enumerate(column):
            if minutes is None:
                continue
            grid[week, weekday] = (
                1
                if minutes <= 0
                else (2 + 253 * min(minutes, HEAT_FULL_MINUTES) / HEAT_FULL_MINUTES)
            )
    return grid


def heat_colours(background: QColor) -> np.ndarray:
    """A lookup table: the background for days to come, a quiet grey for a day
    without a warm-up, then green that stands out more the more minutes: deeper
    on a light background, brighter on a dark one."""
    table = np.zeros((256, 4), dtype=np.ubyte)
    table[0] = (background.red(), background.green(), background.blue(), 255)
    dark = background.lightness() < 128
    table[1] = (62, 66, 70, 255) if dark else (225, 228, 232, 255)
    low, high = ((30, 80, 45), (90, 225, 120)) if dark else ((190, 230, 190), (20, 110, 40))
    for i in range(2, 256):
        t = (i - 2) / 253
        table[i] = (*(round(a + (b - a) * t) for a, b in zip(low, high, strict=True)), 255)
    return table


def with_legend(plot: pg.PlotWidget, background: QColor, foreground: QColor) -> QWidget:
    """The tighter-side chart with its legend under it: a swatch and a word per
    series, in plain text (pyqtgraph's own legend is rich text)."""
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(plot, 1)
    legend = QWidget()
    legend.setAutoFillBackground(True)
    palette = legend.palette()
    palette.setColor(QPalette.ColorRole.Window, background)
    palette.setColor(QPalette.ColorRole.WindowText, foreground)
    legend.setPalette(palette)
    row = QHBoxLayout(legend)
    row.setContentsMargins(8, 2, 8, 4)
    row.addStretch(1)
    side = legend.fontMetrics().height() * 3 // 4
    for _key, label, colour in TIGHTER_SERIES:
        swatch = PlainLabel()
        swatch.setPixmap(swatch_pixmap(QColor(colour), foreground, side))
        row.addWidget(swatch)
        row.addWidget(PlainLabel(label))
        row.addSpacing(side)
    row.addStretch(1)
    column.addWidget(legend)
    return box


def swatch_pixmap(colour: QColor, edge: QColor, side: int) -> QPixmap:
    """A square of a series' colour, edged so that a light one shows on a light page."""
    pixmap = QPixmap(side, side)
    pixmap.fill(colour)
    painter = QPainter(pixmap)
    painter.setPen(edge)
    painter.drawRect(0, 0, side - 1, side - 1)
    painter.end()
    return pixmap
