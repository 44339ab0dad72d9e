"""The explorer's answer list: trials grouped by how they match the patient.

Each trial row starts with its conflict or class-switch chip, then the trial, the data cut and its
headline figures; excluded trials say why. Contract: ``trialChosen(trial id)`` on a click or Enter.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ..core.evidence import CONFLICT_LABELS, MATCH_ORDER, Profile, TrialMatch, efficacy_line
from .richtext import plain_rich
from .theme import LIGHT, Colors

HEADERS = ("Caution", "Trial", "Regimen", "Data cut and figures")
ID_ROLE = Qt.ItemDataRole.UserRole + 1


def chip_text(m: TrialMatch) -> str:
    """'conflict: an anti-CD38 antibody' / 'class switch: …' / '' — what the first column says."""
    if m.conflicts:
        return "conflict: " + ", ".join(CONFLICT_LABELS.get(c, c) for c in m.conflicts)
    switches = [n for n in m.notes if n.startswith("class switch")]
    if switches:
        return "; ".join(switches)
    return m.notes[0] if m.notes else ""


class TrialList(QTreeWidget):
    trialChosen = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Trials for this patient")
        self.setColumnCount(len(HEADERS))
        self.setHeaderLabels(list(HEADERS))
        self.setRootIsDecorated(False)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setStretchLastSection(True)
        for col, mode in enumerate(
            (QHeaderView.ResizeMode.Interactive,) * 3 + (QHeaderView.ResizeMode.Stretch,)
        ):
            header.setSectionResizeMode(col, mode)
        self.setColumnWidth(0, 170)
        self.setColumnWidth(1, 120)
        self.setColumnWidth(2, 230)
        self.colors: Colors = LIGHT
        self.matches: list[TrialMatch] = []
        self.profile = Profile()
        self.itemClicked.connect(self._chosen)
        self.itemActivated.connect(self._chosen)

    def set_colors(self, c: Colors) -> None:
        self.colors = c
        self.set_matches(self.matches)

    def set_matches(self, matches: list[TrialMatch], profile: Profile | None = None) -> None:
        self.matches = matches
        self.profile = profile or self.profile
        self.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        for match in MATCH_ORDER:
            group = [m for m in matches if m.match == match]
            if not group:
                continue
            head = QTreeWidgetItem(self, [f"{self.profile.heading(match)} ({len(group)})"])
            head.setFirstColumnSpanned(True)
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for m in group:
                self._add(m)

    def _add(self, m: TrialMatch) -> None:
        t = m.trial
        cut = t.default_analysis
        figures = "" if cut is None else f"{cut.caption()}: {efficacy_line(t, cut)}"
        if m.match in ("excluded", "unknown") and m.reasons:
            figures = "Why: " + "; ".join(m.reasons) + (f"\n{figures}" if figures else "")
        regimen = str(t.data.get("experimental") or "")
        if t.data.get("control"):
            regimen += f"\nvs {t.data['control']}"
        item = QTreeWidgetItem(self, [chip_text(m), t.name, regimen, figures])
        item.setData(0, ID_ROLE, t.id)
        item.setToolTip(
            1, plain_rich(f"{t.name}: {t.data.get('population', '')}\nClick to open the trial card")
        )
        for col in range(len(HEADERS)):
            item.setTextAlignment(col, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        if m.conflicts:
            item.setForeground(
                0, QBrush(QColor("#c0392b" if self.colors.name == "light" else "#ff8a80"))
            )
        elif item.text(0):
            item.setForeground(0, QBrush(QColor(self.colors.cite)))
        if m.conflicts or m.match == "excluded":
            for col in (1, 2, 3):
                item.setForeground(col, QBrush(QColor(self.colors.muted)))

    def trial_ids(self) -> list[str]:
        """The listed trials, in display order (group headings left out)."""
        out = []
        for i in range(self.topLevelItemCount()):
            tid = self.topLevelItem(i).data(0, ID_ROLE)
            if tid:
                out.append(str(tid))
        return out

    def _chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        tid = item.data(0, ID_ROLE)
        if tid:
            self.trialChosen.emit(str(tid))
