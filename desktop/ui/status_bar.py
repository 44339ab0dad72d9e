"""The status bar: content version and "offline", a What's new button, and a warning when user data
cannot be saved this session."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QStatusBar, QWidget

from .richtext import plain_rich


class StatusBar(QStatusBar):
    """Signal: ``whatsNewRequested()`` when the What's new button is clicked."""

    whatsNewRequested = Signal()  # noqa: N815 - Qt naming

    def __init__(
        self,
        version_text: str,
        has_whats_new: bool,
        degraded: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.version_label = QLabel(version_text, self)
        self.version_label.setAccessibleName("Content version")
        # Elided rather than widening the window on a small screen.
        self.version_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.version_label.setMinimumWidth(120)
        self.version_label.setToolTip(plain_rich(version_text))
        self.addPermanentWidget(self.version_label, 1)
        if has_whats_new:
            news = QPushButton("What's new", self)
            news.setObjectName("whatsNewButton")
            news.setFlat(True)
            news.setToolTip("What changed in this content version, page by page")
            news.clicked.connect(self.whatsNewRequested.emit)
            self.addPermanentWidget(news)
        if degraded:
            # The file is kept as it is; the user must know that changes now are not saved.
            warn = QLabel("Bookmarks and history are not saved this session", self)
            warn.setObjectName("userDataWarning")
            warn.setTextFormat(Qt.TextFormat.PlainText)
            warn.setToolTip(plain_rich(degraded))
            warn.setAccessibleName(degraded)
            self.addWidget(warn)

    def say(self, text: str, ms: int = 5000) -> None:
        self.showMessage(text, ms)
