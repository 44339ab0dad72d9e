"""The outline of the page on screen: its title, its sections and its references, one click each."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from ..core.model import Page


class Outline(QListWidget):
    """Signal: ``anchorRequested(anchor)`` ("" for the top of the page)."""

    anchorRequested = Signal(str)  # noqa: N815 - Qt naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outline")
        self.setAccessibleName("Page outline")
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.itemClicked.connect(self._emit)
        self.itemActivated.connect(self._emit)

    def show_page(self, page: Page) -> None:
        self.clear()
        self._add(page.title, "")
        for anchor, heading in page.sections:
            self._add(heading, anchor)
        if page.references:
            self._add("References", "references")

    def _add(self, text: str, anchor: str) -> None:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, anchor)
        item.setToolTip(text)  # Qt shows item tooltips as plain text unless they look like HTML
        self.addItem(item)

    def select(self, anchor: str) -> None:
        """Mark the section on screen without emitting anchorRequested."""
        for i in range(self.count()):
            item = self.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == anchor:
                self.blockSignals(True)
                self.setCurrentItem(item)
                self.blockSignals(False)
                return

    def _emit(self, item: QListWidgetItem) -> None:
        self.anchorRequested.emit(item.data(Qt.ItemDataRole.UserRole) or "")
