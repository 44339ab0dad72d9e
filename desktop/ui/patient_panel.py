"""The patient panel of the trial explorer: what the patient is refractory to, and prior lines.

Contract: ``profileChanged(Profile)`` after every change; ``profile()`` reads the current one.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QSpinBox, QVBoxLayout, QWidget

from ..core.evidence import ITEMS, Profile

LABELS = {
    "lenalidomide": "Lenalidomide",
    "pomalidomide": "Pomalidomide",
    "bortezomib": "Bortezomib",
    "carfilzomib": "Carfilzomib",
    "pi": "Any proteasome inhibitor",
    "anti-cd38": "An anti-CD38 antibody",
    "triple-class": "Triple-class",
    "bcma": "Previous BCMA-directed therapy",
}


class PatientPanel(QWidget):
    profileChanged = Signal(object)  # noqa: N815 - Qt signal naming; carries a Profile

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("patientPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        head = QLabel("<b>Your patient</b><br>refractory to:", self)
        layout.addWidget(head)
        self.boxes: dict[str, QCheckBox] = {}
        for key in ITEMS:
            box = QCheckBox(LABELS[key], self)
            box.setAccessibleName(f"Patient: {LABELS[key]}")
            box.toggled.connect(self._changed)
            layout.addWidget(box)
            self.boxes[key] = box
        layout.addWidget(QLabel("Prior lines of therapy:", self))
        self.lines = QSpinBox(self)
        self.lines.setAccessibleName("Prior lines of therapy")
        self.lines.setRange(0, 15)
        self.lines.setSpecialValueText("not set")
        self.lines.setValue(0)
        self.lines.valueChanged.connect(self._changed)
        layout.addWidget(self.lines)
        hint = QLabel(
            "Trials are judged against their published eligibility rules and the shares of "
            "patients they enrolled. A summary of evidence, not a recommendation.",
            self,
        )
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        layout.addWidget(hint)
        layout.addStretch(1)

    def profile(self) -> Profile:
        chosen = frozenset(k for k, box in self.boxes.items() if box.isChecked())
        # 0 shows "not set": a patient at the explorer has had at least one line.
        lines = self.lines.value() or None
        return Profile(chosen, lines)

    def set_profile(self, profile: Profile) -> None:
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(key in profile.refractory)
            box.blockSignals(False)
        self.lines.blockSignals(True)
        self.lines.setValue(profile.prior_lines or 0)
        self.lines.blockSignals(False)
        self._changed()

    def _changed(self, *_args: object) -> None:
        self.profileChanged.emit(self.profile())
