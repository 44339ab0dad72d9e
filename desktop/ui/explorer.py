"""The trial explorer: "which trials have evidence for my patient", as a list and a forest plot.

Wiring only: the patient panel's profile goes to core.evidence.match_trials (shared with
``lenref trials``); the answer list and the forest plot show the result; a click on either opens
the trial card (a generated page). Contract: ``openPage(page id, anchor)``, ``openSource(key)``,
``filtered(count of trials not excluded)``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..core.evidence import Profile, TrialMatch, forest_rows, match_trials, matches_text
from ..core.library import Library
from ..core.trialcard import card_id
from .evidence_pdf import paint_evidence_summary, write_evidence_pdf
from .forest_plot import ForestPlot
from .patient_panel import PatientPanel
from .richtext import plain_rich
from .theme import Colors
from .trial_list import TrialList


class TrialExplorer(QWidget):
    openPage = Signal(str, str)  # noqa: N815 - Qt signal naming
    openSource = Signal(str)  # noqa: N815
    exportRequested = Signal()  # noqa: N815 - the window asks where, then calls export_pdf
    previewRequested = Signal()  # noqa: N815
    filtered = Signal(int)

    def __init__(self, lib: Library, colors: Colors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trialExplorer")
        self.lib = lib
        self.trials = lib.trials()
        self.matches: list[TrialMatch] = []
        self.patient = PatientPanel(self)
        self.patient.profileChanged.connect(self.apply_profile)
        self.context = QLabel("", self)
        self.context.setObjectName("muted")
        self.context.setWordWrap(True)
        self.list = TrialList(self)
        self.list.trialChosen.connect(self.open_trial)
        self.forest = ForestPlot(self)
        self.forest.rowClicked.connect(self.open_trial)
        self._build(colors)
        self.apply_profile(self.patient.profile())

    def _build(self, colors: Colors) -> None:
        title = QLabel("<b>Trial explorer</b> — which trials have evidence for your patient", self)
        title.setWordWrap(True)
        plot_area = QScrollArea(self)
        plot_area.setWidgetResizable(True)
        plot_area.setWidget(self.forest)
        plot_area.setAccessibleName("Forest plot")
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.list)
        right.addWidget(plot_area)
        right.setSizes([360, 260])
        side = QScrollArea(self)
        side.setWidgetResizable(True)
        side.setWidget(self.patient)
        side.setMinimumWidth(150)
        body = QSplitter(Qt.Orientation.Horizontal, self)
        body.addWidget(side)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setSizes([230, 800])
        export = QPushButton("Export one-page PDF…", self)
        export.setAccessibleName("Export evidence PDF")
        export.clicked.connect(self.exportRequested.emit)
        preview = QPushButton("Print preview…", self)
        preview.setAccessibleName("Print preview of the evidence summary")
        preview.clicked.connect(self.previewRequested.emit)
        copy = QPushButton("Copy as text", self)
        copy.setAccessibleName("Copy trials as text")
        copy.clicked.connect(self.copy_text)
        buttons = QHBoxLayout()
        buttons.addWidget(export)
        buttons.addWidget(preview)
        buttons.addWidget(copy)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.context)
        layout.addWidget(body, 1)
        layout.addLayout(buttons)
        self.set_colors(colors)

    def set_colors(self, c: Colors) -> None:
        self.forest.set_colors(c)
        self.list.set_colors(c)

    def profile(self) -> Profile:
        return self.patient.profile()

    def apply_profile(self, profile: Profile) -> None:
        self.matches = match_trials(self.trials, profile)
        self.list.set_matches(self.matches, profile)
        self.forest.set_rows(
            forest_rows([m for m in self.matches if m.match != "excluded"]), profile
        )
        counts = {
            k: sum(m.match == k for m in self.matches) for k in ("enrolled", "eligible", "excluded")
        }
        if profile.empty:
            summary = f"{len(self.trials)} trials. Tick what your patient is refractory to."
        else:
            summary = (
                f"Patient {profile.describe()}: {counts['enrolled']} trial(s) enrolled such "
                f"patients, {counts['eligible']} admitted them, {counts['excluded']} excluded "
                f"them (of {len(self.trials)})."
            )
        self.context.setText(f"{summary} Click a trial or a plot line to open its trial card.")
        self.filtered.emit(len(self.matches) - counts["excluded"])

    def open_trial(self, trial_id: str) -> None:
        self.openPage.emit(card_id(trial_id), "")

    def export_text(self) -> str:
        return matches_text(self.matches, self.profile(), self.lib.citation)

    def copy_text(self) -> str:
        text = self.export_text() + f"\n\nLenRef content {self.lib.content_version}"
        QGuiApplication.clipboard().setText(text)
        return text

    def paint_summary(self, device) -> None:
        """Lay the one-page summary out on a printer or PDF writer (for Print… and the preview)."""
        paint_evidence_summary(device, self.matches, self.profile(), self.lib)

    def export_pdf(self, path: str | None = None) -> str | None:
        """Write the one-page summary; asks for a file when ``path`` is None."""
        if not isinstance(path, str):
            path, _ = QFileDialog.getSaveFileName(
                self, "Export evidence summary", "LenRef evidence summary.pdf", "PDF (*.pdf)"
            )
            if not path:
                return None
        try:
            return str(write_evidence_pdf(path, self.matches, self.profile(), self.lib))
        except OSError as exc:
            QMessageBox.warning(
                self,
                "Export failed",
                plain_rich(
                    f"The PDF could not be written to {path}: {exc.strerror or exc}. "
                    "Choose another folder or free some disk space."
                ),
            )
            return None
