"""The window's first size, derived from the screen it opens on."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QStyle, QWidget

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
