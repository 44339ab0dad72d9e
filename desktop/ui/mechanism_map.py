"""The mechanism ↔ strategy map: for each resistance mechanism, the strategies that may overcome it.

Each cell says two things: how strong the strategy's evidence is in lenalidomide-refractory disease
overall (its colour), and whether any evidence addresses that mechanism specifically (its text).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.library import Library
from ..core.model import EVIDENCE_LEVELS
from .richtext import plain_rich
from .theme import Colors


def _short(title: str) -> str:
    """A column/row label: the title before any parenthesis or colon."""
    return title.split(" (")[0].split(":")[0].strip()


class MechanismMap(QWidget):
    """Mechanisms (rows) × strategies (columns), cells coloured by evidence level."""

    openPage = Signal(str, str)  # noqa: N815
    openSource = Signal(str)  # noqa: N815

    LEVEL_COLORS = {"preclinical": "#f3c969", "early-clinical": "#7fb7e6", "randomised": "#4e9a68"}

    def __init__(self, lib: Library, colors: Colors, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("mechanismMap")
        self.lib = lib
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        legend = " ".join(
            f'<span style="background-color:{self.LEVEL_COLORS[lvl]}; color:#111">&nbsp;{lvl}&nbsp;</span>'
            for lvl in EVIDENCE_LEVELS
        )
        head = QLabel(
            "<b>Mechanism ↔ strategy map</b> — strategies that may overcome each resistance mechanism. "
            f"Colour: the strategy's evidence in lenalidomide-refractory disease overall ({legend}). "
            "Text: whether any evidence addresses that mechanism itself (“mechanism: none” means "
            "no study selected or analysed patients or cells by it). Click a cell, a row or a column.",
            self,
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        cells = lib.counter_map()
        mechanisms = [p for p in lib.pages("resistance") if any(c[0] == p.id for c in cells)]
        strategies = [p for p in lib.pages("strategies") if any(c[1] == p.id for c in cells)]
        self.mechanisms, self.strategies = mechanisms, strategies
        self.table = QTableWidget(len(mechanisms), len(strategies), self)
        self.table.setAccessibleName("Mechanism and strategy matrix")
        self.table.setHorizontalHeaderLabels([_short(s.title) for s in strategies])
        self.table.setVerticalHeaderLabels([_short(m.title) for m in mechanisms])
        for j, strat in enumerate(strategies):
            self.table.horizontalHeaderItem(j).setToolTip(plain_rich(strat.title))
        for i, mech in enumerate(mechanisms):
            self.table.verticalHeaderItem(i).setToolTip(plain_rich(mech.title))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lookup = {(m, s): (ev, sp) for m, s, ev, sp in cells}
        for i, m in enumerate(mechanisms):
            for j, s in enumerate(strategies):
                ev, sp = lookup.get((m.id, s.id), (None, None))
                item = QTableWidgetItem(f"{ev}\nmechanism: {sp}" if ev else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if ev:
                    item.setBackground(QColor(self.LEVEL_COLORS.get(ev, "#ccc")))
                    item.setForeground(QColor("#111"))
                    item.setToolTip(
                        plain_rich(
                            f"{m.title} → {s.title}: {ev} evidence in lenalidomide-refractory "
                            f"disease overall; evidence specific to this mechanism: {sp}"
                        )
                    )
                self.table.setItem(i, j, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(118)
        self.table.horizontalHeader().setMinimumHeight(52)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        )
        self.table.cellClicked.connect(self._cell_clicked)
        self.table.verticalHeader().sectionClicked.connect(
            lambda r: self.openPage.emit(self.mechanisms[r].id, "")
        )
        self.table.horizontalHeader().sectionClicked.connect(
            lambda c: self.openPage.emit(self.strategies[c].id, "")
        )
        layout.addWidget(self.table, 1)

    def set_colors(self, c: Colors) -> None:  # cells keep their evidence colours in both themes
        self.update()

    def cell_pages(self, row: int, col: int) -> tuple[str, str]:
        return self.mechanisms[row].id, self.strategies[col].id

    def _cell_clicked(self, row: int, col: int) -> None:
        mech, strat = self.cell_pages(row, col)
        menu = QMenu(self)
        menu.addAction(
            f"Open mechanism: {self.mechanisms[row].title}",
            lambda: self.openPage.emit(mech, "ways-to-overcome-it"),
        )
        menu.addAction(
            f"Open strategy: {self.strategies[col].title}", lambda: self.openPage.emit(strat, "")
        )
        menu.popup(
            self.table.viewport().mapToGlobal(
                self.table.visualRect(self.table.model().index(row, col)).center()
            )
        )
