"""The forest plot of PFS hazard ratios: one line per trial's data cut (and LEN-refractory subgroup).

``paint_forest`` draws typed ``ForestRow`` values onto any painter, so the widget and the one-page
PDF show the same picture. Each line is labelled with its analysis, follow-up and n; lines whose
experimental arm conflicts with the patient's refractoriness are drawn grey.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QToolTip, QWidget

from ..core.evidence import ForestRow, Profile, log_scale
from ..core.trialfmt import compact_hr
from .theme import LIGHT, Colors

ROW_H = 30  # two text lines: trial name, then its analysis caption
HEAD_H = 26
FOOT_H = 40


def plot_height(rows: list[ForestRow]) -> int:
    groups = len({r.match for r in rows})
    return HEAD_H + FOOT_H + ROW_H * max(1, len(rows)) + 16 * groups


def _layout(rows: list[ForestRow], profile: Profile) -> list[tuple[float, ForestRow | str]]:
    """(y of the line's centre or heading top, row or heading text), from the plot's top."""
    out: list[tuple[float, ForestRow | str]] = []
    y = float(HEAD_H)
    current = None
    for row in rows:
        if row.match != current:
            current = row.match
            out.append((y, profile.heading(current)))
            y += 16
        out.append((y + ROW_H / 2, row))
        y += ROW_H
    return out


def paint_forest(
    p: QPainter,
    rect: QRectF,
    rows: list[ForestRow],
    c: Colors,
    family: str,
    profile: Profile | None = None,
) -> list[tuple[QRectF, int]]:
    """Draw the plot into ``rect``; returns each row's clickable area and index."""
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(rect, QColor(c.base))
    p.setPen(QColor(c.text))
    small, bold = QFont(family, 8), QFont(family, 9, QFont.Weight.DemiBold)
    if not rows:
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "No PFS hazard ratios for these trials")
        p.restore()
        return []
    values = [
        float(v) for r in rows for v in (r.hr.value, r.hr.ci_low, r.hr.ci_high) if v is not None
    ]
    lo, hi, ticks = log_scale(values)
    label_w = min(300.0, rect.width() * 0.42)
    left, right = rect.left() + label_w + 10, rect.right() - 120
    top = rect.top()

    def x_of(v: float) -> float:
        return left + (math.log(v) - math.log(lo)) / (math.log(hi) - math.log(lo)) * (right - left)

    p.setFont(bold)
    p.drawText(
        QRectF(left, top + 2, right - left, 20),
        Qt.AlignmentFlag.AlignCenter,
        "PFS hazard ratio (log scale)",
    )
    p.drawText(QRectF(right + 8, top + 2, 115, 20), Qt.AlignmentFlag.AlignLeft, "HR (CI)")
    layout = _layout(rows, profile or Profile())
    bottom = top + plot_height(rows) - FOOT_H
    p.setPen(QPen(QColor(c.muted), 1, Qt.PenStyle.DashLine))
    p.drawLine(QPointF(x_of(1.0), top + HEAD_H - 4), QPointF(x_of(1.0), bottom))
    p.setFont(small)
    p.setPen(QColor(c.muted))
    for t in ticks:
        x = x_of(t)
        p.drawLine(QPointF(x, bottom), QPointF(x, bottom + 4))
        p.drawText(QRectF(x - 20, bottom + 4, 40, 14), Qt.AlignmentFlag.AlignCenter, f"{t:g}")
    p.drawText(
        QRectF(left, bottom + 20, (right - left) / 2, 14),
        Qt.AlignmentFlag.AlignLeft,
        "← favours experimental",
    )
    p.drawText(
        QRectF(left + (right - left) / 2, bottom + 20, (right - left) / 2, 14),
        Qt.AlignmentFlag.AlignRight,
        "favours control →",
    )
    hits: list[tuple[QRectF, int]] = []
    index = 0
    for y_rel, item in layout:
        y = top + y_rel
        if isinstance(item, str):
            p.setFont(bold)
            p.setPen(QColor(c.text))
            p.drawText(
                QRectF(rect.left() + 4, y, rect.width(), 16), Qt.AlignmentFlag.AlignLeft, item
            )
            continue
        _paint_row(p, item, rect.left(), y, label_w, right, x_of, (lo, hi), c, family)
        hits.append((QRectF(rect.left(), y - ROW_H / 2, rect.width(), ROW_H), index))
        index += 1
    p.restore()
    return hits


def _paint_row(
    p, row: ForestRow, x0, y, label_w, right, x_of, bounds, c: Colors, family: str
) -> None:
    lo, hi = bounds
    grey = row.conflict
    color = QColor(c.muted if grey else (c.cite if row.subgroup else c.accent))
    indent = 14 if row.subgroup else 4
    p.setFont(QFont(family, 9, QFont.Weight.DemiBold if not row.subgroup else QFont.Weight.Normal))
    p.setPen(QColor(c.muted if grey else c.text))
    name = row.name + ("  (conflict)" if grey else "")
    p.drawText(
        QRectF(x0 + indent, y - 14, label_w - indent, 14),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        name,
    )
    p.setFont(QFont(family, 7))
    p.setPen(QColor(c.muted))
    p.drawText(
        QRectF(x0 + indent, y, label_w - indent, 13),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        row.caption,
    )
    hr = row.hr
    if hr.has_ci:
        p.setPen(QPen(color, 2))
        p.drawLine(
            QPointF(x_of(max(float(hr.ci_low), lo)), y),
            QPointF(x_of(min(float(hr.ci_high), hi)), y),
        )
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    x, size = x_of(min(max(float(hr.value), lo), hi)), 5.0
    if row.subgroup:
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(x, y - size),
                    QPointF(x + size, y),
                    QPointF(x, y + size),
                    QPointF(x - size, y),
                ]
            )
        )
    else:
        p.drawRect(QRectF(x - size, y - size, 2 * size, 2 * size))
    p.setFont(QFont(family, 8))
    p.setPen(QColor(c.muted if grey else c.text))
    p.drawText(
        QRectF(right + 8, y - 9, 118, 18),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        compact_hr(hr),
    )


class ForestPlot(QWidget):
    """The plot as a widget; a single click on a line emits ``rowClicked(trial id)``."""

    rowClicked = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Forest plot of progression-free survival hazard ratios")
        self.setMouseTracking(True)
        self.colors: Colors = LIGHT
        self.rows: list[ForestRow] = []
        self.profile = Profile()
        self._hits: list[tuple[QRectF, int]] = []
        self.setMinimumHeight(120)

    def set_rows(self, rows: list[ForestRow], profile: Profile | None = None) -> None:
        self.rows = rows
        self.profile = profile or Profile()
        self.setMinimumHeight(plot_height(rows))
        self.update()

    def set_colors(self, c: Colors) -> None:
        self.colors = c
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        self._hits = paint_forest(
            p, QRectF(self.rect()), self.rows, self.colors, self.font().family(), self.profile
        )
        p.end()

    def _row_at(self, pos: QPointF) -> int | None:
        return next((i for rect, i in self._hits if rect.contains(pos)), None)

    def mouseMoveEvent(self, e) -> None:  # noqa: N802 - Qt API
        i = self._row_at(e.position())
        if i is None:
            QToolTip.hideText()
            return
        row = self.rows[i]
        QToolTip.showText(
            e.globalPosition().toPoint(),
            f"{row.name}: HR {compact_hr(row.hr)}\n{row.caption}\nClick to open the trial card",
            self,
        )

    def mousePressEvent(self, e) -> None:  # noqa: N802 - Qt API
        i = self._row_at(e.position())
        if i is not None:
            self.rowClicked.emit(self.rows[i].trial_id)
