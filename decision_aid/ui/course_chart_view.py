"""The course chart painted with QPainter from its pure model (docs/design.md section 13).

Not QtCharts: it ships in PySide6-Addons, outside the wheels this product uses, and a line,
two reference lines and a few markers are a few dozen lines of painting. Every element has
a shape or a line style of its own and its words beside it, so nothing rests on colour; the
colours are the palette's, so the chart reads in a dark palette as in a light one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from decision_aid.course_chart import PAIN_TOP, ChartModel, Frame

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintDevice, QPaintEvent

    from decision_aid.course_chart import LineStyle

_STYLES: Final = {
    "solid": Qt.PenStyle.SolidLine,
    "dashed": Qt.PenStyle.DashLine,
    "dotted": Qt.PenStyle.DotLine,
}
_MARK: Final = 5.0  # a marker's half size, in device-independent pixels


def paint_chart(painter: QPainter, model: ChartModel, frame: Frame, palette: QPalette) -> None:
    """Paints ``model`` into ``frame``; the painter's device sets the pixel ratio, so lines
    and text keep their size at 200% as at 100%."""
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = palette.color(QPalette.ColorRole.WindowText)
    light = palette.color(QPalette.ColorRole.Mid)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    x_max = model.x_max

    def pen(colour: QColor, width: float = 1.0, style: LineStyle = "solid") -> QPen:
        line = QPen(colour)
        line.setWidthF(width)
        line.setStyle(_STYLES[style])
        return line

    left, right = frame.x(0, x_max), frame.x(x_max, x_max)
    foot, head = frame.y(0), frame.y(PAIN_TOP)
    # The scales: pain 0-10 up the left, infusions given along the foot.
    painter.setPen(pen(text))
    painter.drawLine(QPointF(left, foot), QPointF(right, foot))
    painter.drawLine(QPointF(left, foot), QPointF(left, head))
    metrics = painter.fontMetrics()
    for pain in range(0, PAIN_TOP + 1, 2):
        y = frame.y(pain)
        painter.drawLine(QPointF(left - 4, y), QPointF(left, y))
        painter.drawText(QRectF(0, y - 8, left - 6, 16), Qt.AlignmentFlag.AlignRight, str(pain))
    for given in range(x_max + 1):
        x = frame.x(given, x_max)
        painter.drawLine(QPointF(x, foot), QPointF(x, foot + 4))
        painter.drawText(QRectF(x - 12, foot + 4, 24, 14), Qt.AlignmentFlag.AlignCenter, str(given))
    painter.drawText(
        QRectF(left, foot + 16, right - left, 14),
        Qt.AlignmentFlag.AlignCenter,
        "infusions given",
    )
    # Reference lines: the baseline solid, each target dashed, labelled at the right.
    for line in (model.baseline, *model.targets):
        if line is None:
            continue
        y = frame.y(line.y)
        painter.setPen(pen(text, 1.5 if line.style == "solid" else 1.2, line.style))
        painter.drawLine(QPointF(left, y), QPointF(right, y))
        painter.setPen(pen(text))
        painter.drawText(QPointF(right + 6, y + metrics.ascent() / 2 - 1), line.label)
    # The judgement point's words on the first line, the course end's on the second: both
    # stay readable when the course ended at the judgement point.
    for line_number, vertical in enumerate((model.judgement, model.end)):
        if vertical is None:
            continue
        x = frame.x(vertical.x, x_max)
        painter.setPen(pen(text, 1.5, vertical.style))
        painter.drawLine(QPointF(x, foot), QPointF(x, head))
        painter.setPen(pen(text))
        baseline = head + (line_number + 1) * (metrics.height() + 2)
        painter.drawText(QPointF(x + 4, baseline), vertical.label)
    # Pain on the day of an infusion, light: the effect during it is not the response.
    painter.setPen(pen(light, 4.0))
    for bar in model.bars:
        x = frame.x(bar.x, x_max)
        painter.drawLine(QPointF(x, frame.y(bar.before)), QPointF(x, frame.y(bar.after)))
    # The visits' pain, joined in visit order.
    painter.setPen(pen(highlight, 2.0))
    for first, second in model.segments:
        painter.drawLine(
            QPointF(frame.x(first.x, x_max), frame.y(first.y)),
            QPointF(frame.x(second.x, x_max), frame.y(second.y)),
        )
    for point in model.points:
        centre = QPointF(frame.x(point.x, x_max), frame.y(point.y))
        if point.y is None:
            painter.setPen(pen(text, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, _MARK + 2, _MARK + 2)
            painter.drawText(
                QRectF(centre.x() - 8, centre.y() - 8, 16, 16), Qt.AlignmentFlag.AlignCenter, "?"
            )
        elif point.stop:
            # A visit at which a stop finding fired is a triangle, not a circle: told apart
            # by its shape.
            size = _MARK * 1.6
            triangle = QPolygonF(
                [
                    QPointF(centre.x(), centre.y() - size),
                    QPointF(centre.x() - size, centre.y() + size * 0.8),
                    QPointF(centre.x() + size, centre.y() + size * 0.8),
                ]
            )
            path = QPainterPath()
            path.addPolygon(triangle)
            painter.setPen(pen(text, 1.5))
            painter.setBrush(QBrush(text))
            painter.drawPath(path)
        else:
            painter.setPen(pen(text))
            painter.setBrush(QBrush(highlight))
            painter.drawEllipse(centre, _MARK, _MARK)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    # A key in the right margin, under the lines' words: each mark said in words.
    painter.setPen(pen(text))
    key = ("● pain, past 7 days", "▲ stop finding", "? pain not recorded", "| before to after")
    step = metrics.height()
    for number, words in enumerate(reversed(key)):
        painter.drawText(QPointF(right + 6, foot - number * step), words)


def paint_into(device: QPaintDevice, model: ChartModel, palette: QPalette) -> None:
    """Paints the chart into any paint device (an image for the bench, a printer)."""
    ratio = device.devicePixelRatioF()
    painter = QPainter(device)
    try:
        frame = Frame(device.width() / ratio, device.height() / ratio)
        paint_chart(painter, model, frame, palette)
    finally:
        painter.end()


class CourseChart(QWidget):
    """The chart below the visits' table; its accessible description is the record's
    summary, the sentence the note prints."""

    def __init__(self) -> None:
        super().__init__()
        self.model: ChartModel | None = None
        self.setAccessibleName("Course chart: pain over the past 7 days by infusions given")
        self.setMinimumHeight(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(260)

    def show_model(self, model: ChartModel | None, summary: str) -> None:
        self.model = model
        self.setAccessibleDescription(summary)
        self.setToolTip(summary)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt's name
        if self.model is None:
            return
        painter = QPainter(self)
        try:
            paint_chart(painter, self.model, Frame(self.width(), self.height()), self.palette())
        finally:
            painter.end()
