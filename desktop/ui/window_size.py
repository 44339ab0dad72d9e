"""The window's size and layout: the first size from the screen it opens on, and the geometry and
splitter positions saved between sessions (never restored larger than the screen)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QSplitter, QStyle, QWidget

from ..core.userdata import UserData, UserDataError

log = logging.getLogger("lenref")

PREFERRED = QSize(1320, 860)
MINIMUM = QSize(800, 560)


def first_size(window: QWidget, screen: QScreen | None) -> QSize:
    """PREFERRED, shrunk to the screen's free area (taskbar and dock excluded) minus the frame the
    window manager adds: ``resize`` sets the client area, and at 1280×800 a title bar pushed the
    status bar below the screen's edge."""
    if screen is None:
        return PREFERRED
    free = screen.availableGeometry()
    style = window.style()
    title = style.pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight)
    border = 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
    width = min(PREFERRED.width(), free.width() - border)
    height = min(PREFERRED.height(), free.height() - title - border)
    return QSize(
        max(min(MINIMUM.width(), free.width()), width),
        max(min(MINIMUM.height(), free.height()), height),
    )


def restore_layout(window: QWidget, splitter: QSplitter, user: UserData) -> None:
    """The geometry and splitter of the last session, shrunk to fit this screen."""
    geometry, split = user.get("geometry"), user.get("splitter")
    if isinstance(geometry, str):
        window.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        window.resize(window.size().boundedTo(first_size(window, window.screen())))
    if isinstance(split, str):
        splitter.restoreState(QByteArray.fromBase64(split.encode()))


def save_layout(window: QWidget, splitter: QSplitter, user: UserData) -> None:
    try:
        user.set("geometry", bytes(window.saveGeometry().toBase64()).decode())
        user.set("splitter", bytes(splitter.saveState().toBase64()).decode())
    except UserDataError as exc:
        log.warning("could not save the window layout: %s", exc)
