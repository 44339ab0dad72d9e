"""Find in page: the bar's contract (findRequested, closed) and its match count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui


@pytest.fixture
def bar(qtbot):
    from desktop.ui.find_bar import FindBar

    widget = FindBar()
    qtbot.addWidget(widget)
    widget.open()
    return widget


def test_typing_requests_the_first_match(bar, qtbot):
    with qtbot.waitSignal(bar.findRequested, timeout=1000) as blocker:
        QTest.keyClicks(bar.box, "x")
    assert blocker.args == ["x", 0]


def test_enter_and_next_previous_step_through_matches(bar, qtbot):
    bar.box.setText("CRBN")
    with qtbot.waitSignal(bar.findRequested, timeout=1000) as blocker:
        QTest.keyClick(bar.box, Qt.Key.Key_Return)
    assert blocker.args == ["CRBN", 1]
    bar.show_count(3)
    assert bar.count.text() == "2 of 3"
    with qtbot.waitSignal(bar.findRequested, timeout=1000) as blocker:
        bar.previous()
    assert blocker.args == ["CRBN", 0]


def test_no_matches_and_escape(bar, qtbot):
    bar.box.setText("zzz")
    bar.show_count(0)
    assert bar.count.text() == "No matches"
    with qtbot.waitSignal(bar.closed, timeout=1000):
        QTest.keyClick(bar.box, Qt.Key.Key_Escape)
    assert not bar.isVisible() and bar.needle == ""
