"""Find in page: a bar under the reader with the needle, a match count and previous/next/close."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget


class FindBar(QFrame):
    """Signals: ``findRequested(needle, index)`` whenever the needle or the current match changes;
    ``closed()`` when the user leaves (Escape or Close). The owner answers with ``show_count``."""

    findRequested = Signal(str, int)  # noqa: N815 - Qt naming
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._index = 0
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.box = QLineEdit(self)
        self.box.setPlaceholderText("Find in page")
        self.box.setAccessibleName("Find in page")
        self.box.textChanged.connect(lambda _: self._request(0))
        self.box.returnPressed.connect(self.next)
        self.box.installEventFilter(self)
        self.count = QLabel("", self)
        self.count.setAccessibleName("Match count")
        layout.addWidget(self.box, 1)
        layout.addWidget(self.count)
        for text, name, slot in (
            ("Previous", "Previous match", self.previous),
            ("Next", "Next match", self.next),
            ("Close", "Close find bar", self.close_bar),
        ):
            button = QPushButton(text, self)
            button.setAccessibleName(name)
            button.clicked.connect(slot)
            layout.addWidget(button)
        self.hide()

    @property
    def needle(self) -> str:
        return self.box.text() if self.isVisible() else ""

    def open(self) -> None:
        self.show()
        self.box.setFocus()
        self.box.selectAll()
        if self.box.text():
            self._request(self._index)

    def refresh(self) -> None:
        """Ask again for the current needle (a new page is on screen)."""
        if self.isVisible() and self.box.text():
            self._request(0)

    def next(self) -> None:
        self._request(self._index + 1)

    def previous(self) -> None:
        self._request(self._index - 1)

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def show_count(self, count: int) -> None:
        if not self.box.text():
            self.count.setText("")
        elif count:
            self.count.setText(f"{(self._index % count) + 1} of {count}")
        else:
            self.count.setText("No matches")

    def _request(self, index: int) -> None:
        self._index = index
        self.findRequested.emit(self.box.text(), index)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:  # type: ignore[attr-defined]
            self.close_bar()
            return True
        return super().eventFilter(obj, event)
