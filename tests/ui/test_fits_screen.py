"""The window fits a small hospital screen: it never grows by itself and nothing needs more room."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui

SMALL = QSize(1024, 700)
LONG_QUERY = (
    "lenalidomide refractory daratumumab pomalidomide carfilzomib cereblon IKZF1 BCMA CAR-T "
    "selinexor MRD"
)


@pytest.mark.parametrize("view", ["show_reader", "show_trials", "show_map"])
def test_each_view_fits_1024x700_and_a_long_query_does_not_widen_it(window, qtbot, view):
    assert len(LONG_QUERY) == 100
    window.resize(SMALL)
    getattr(window, view)()
    QApplication.processEvents()  # the view's layout requests are handled before measuring
    assert window.minimumSizeHint().width() <= SMALL.width(), window.minimumSizeHint()
    assert window.minimumSizeHint().height() <= SMALL.height(), window.minimumSizeHint()
    window.search.box.setFocus()
    with qtbot.waitSignal(window.searchShown, timeout=5000):
        QTest.keyClicks(window.search.box, LONG_QUERY)
    qtbot.waitUntil(lambda: window.search.info.isVisible(), timeout=2000)
    assert window.size() == SMALL
    assert window.minimumSizeHint().width() <= SMALL.width()
    window.search.leave()
    assert window.size() == SMALL


def test_first_size_never_exceeds_the_free_screen_area(qapp):
    from PySide6.QtWidgets import QWidget

    from desktop.ui.window_size import first_size

    class Screen:
        def __init__(self, w, h):
            self._w, self._h = w, h

        def availableGeometry(self):  # noqa: N802 - Qt API
            from PySide6.QtCore import QRect

            return QRect(0, 0, self._w, self._h)

    widget = QWidget()
    for w, h in ((1280, 800), (1366, 768), (1024, 700), (3840, 2160)):
        size = first_size(widget, Screen(w, h))
        assert size.width() <= w and size.height() <= h
    assert first_size(widget, Screen(3840, 2160)) == QSize(1320, 860)
