"""Reading settings: text size and theme, remembered in the user's settings.

Signal: ``changed()`` after either changes; ``colors`` and ``font_pt`` are then current.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from ..core.userdata import UserData, UserDataError
from . import theme

DEFAULT_FONT_PT = 11.0
MIN_PT, MAX_PT = 7.0, 28.0
MODES = ("light", "dark", "system")


class ReadingSettings(QObject):
    changed = Signal()

    def __init__(self, user: UserData, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.user = user
        # The reading size follows the system font (so OS text scaling applies) unless the user chose.
        app_pt = QApplication.font().pointSizeF()
        self.default_pt = max(DEFAULT_FONT_PT, app_pt + 1.0) if app_pt > 0 else DEFAULT_FONT_PT
        saved = user.get("font_pt")
        self.font_pt = (
            float(saved) if isinstance(saved, int | float) and saved > 0 else self.default_pt
        )
        mode = user.get("theme", "system")
        self.theme_mode = mode if mode in MODES else "system"
        self.colors = theme.resolve(self.theme_mode)

    def set_font(self, pt: float) -> None:
        self.font_pt = max(MIN_PT, min(MAX_PT, pt))
        self._save("font_pt", self.font_pt)
        self.changed.emit()

    def larger(self) -> None:
        self.set_font(self.font_pt + 1)

    def smaller(self) -> None:
        self.set_font(self.font_pt - 1)

    def reset_font(self) -> None:
        self.set_font(self.default_pt)

    def set_theme(self, mode: str, save: bool = True) -> None:
        """Apply ``mode`` to the whole application's chrome; the page colours follow ``changed``."""
        self.theme_mode = mode if mode in MODES else "system"
        self.colors = theme.resolve(self.theme_mode)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_chrome(app, self.colors)
        if save:
            self._save("theme", self.theme_mode)
        self.changed.emit()

    def _save(self, key: str, value: object) -> None:
        # The setting applies for this session even when it cannot be saved (full disk).
        with contextlib.suppress(UserDataError):
            self.user.set(key, value)
