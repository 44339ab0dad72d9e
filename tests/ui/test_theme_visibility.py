"""What a user must be able to see in both themes: unticked check boxes and the focus ring."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import theme

pytestmark = pytest.mark.gui


def _contrast(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def _colors(widget: QWidget, rect=None) -> set[str]:
    image = widget.grab(rect).toImage() if rect is not None else widget.grab().toImage()
    return {
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    }


def _indicator(box: QCheckBox):
    """The tick box alone, without its label (whose text always contrasts)."""
    option = QStyleOptionButton()
    box.initStyleOption(option)
    return box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)


@pytest.fixture(params=[theme.LIGHT, theme.DARK], ids=["light", "dark"])
def themed(request, qtbot):
    app = QApplication.instance()
    theme.apply_chrome(app, request.param)
    panel = QWidget()
    layout = QVBoxLayout(panel)
    box = QCheckBox("Lenalidomide", panel)
    button = QPushButton("Export", panel)
    layout.addWidget(box)
    layout.addWidget(button)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    yield request.param, box, button
    theme.apply_chrome(app, theme.LIGHT)


def test_an_unticked_box_stands_out_from_its_panel(themed):
    colors, box, _ = themed
    window = QColor(colors.window)
    best = max(_contrast(QColor(c), window) for c in _colors(box, _indicator(box)))
    assert best >= 150, f"the box's strongest colour differs from the panel by only {best}"


def test_the_focus_ring_is_drawn_in_the_accent_colour(themed, qtbot):
    colors, _, button = themed
    assert colors.accent not in _colors(button)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus, timeout=1000)
    assert colors.accent in _colors(button)


def test_find_in_page_and_search_marks_never_look_alike():
    for c in (theme.LIGHT, theme.DARK):
        assert _contrast(QColor(c.find_bg), QColor(c.highlight)) >= 150
        assert _contrast(QColor(c.find_current), QColor(c.find_bg)) >= 100
