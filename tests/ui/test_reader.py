"""The reader: tables that never split words, search marks on whole words, hover previews, new-tab
clicks."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt, QUrl
from PySide6.QtGui import QHelpEvent, QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from desktop.ui import theme
from desktop.ui.reader import Reader

pytestmark = pytest.mark.gui

TABLE = (
    "<table border='1'><tr><th>Comparison</th><th>Requirement</th><th>Population</th>"
    "<th>Result</th></tr><tr><td>OPTIMISMM pomalidomide bortezomib dexamethasone</td>"
    "<td>lenalidomide-refractory requirement unspecified</td><td>thromboprophylaxis</td>"
    "<td>progression-free survival improvement</td></tr></table>"
)


@pytest.fixture
def reader(qtbot):
    widget = Reader(lambda name: None, citation_preview=lambda url: f"Kulig P. {url.path()}")
    widget.set_style(theme.LIGHT, 11)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _line_breaks_inside_words(reader: Reader) -> list[str]:
    """Every place where a laid-out line ends between two letters of one word."""
    bad = []
    block = reader.document().begin()
    while block.isValid():
        layout, text = block.layout(), block.text()
        for i in range(layout.lineCount() - 1):
            end = layout.lineAt(i).textStart() + layout.lineAt(i).textLength()
            if 0 < end < len(text) and re.match(r"\w\w", text[end - 1 : end + 1]):
                bad.append(text)
        block = block.next()
    return bad


@pytest.mark.parametrize("font_pt", [11, 28])
def test_narrow_tables_never_split_a_word(reader, font_pt):
    reader.set_style(theme.LIGHT, font_pt)
    reader.resize(425, 600)  # the reading column at 1024×700
    reader.show_html(TABLE)
    reader.document().setTextWidth(reader.viewport().width())
    assert _line_breaks_inside_words(reader) == []


def test_search_marks_whole_words_only_and_clears(reader):
    reader.show_html("<p>LenRef summarises LEN data; len and lenalidomide.</p>")
    reader.highlight_terms(["len"])
    marked = [s.cursor.selectedText() for s in reader.extraSelections()]
    assert marked == ["LEN", "len"]
    reader.highlight_terms([])
    assert reader.extraSelections() == []


def test_find_in_page_replaces_the_search_marks(reader):
    reader.show_html("<p>CRBN and cereblon, CRBN again.</p>")
    reader.highlight_terms(["cereblon"])
    assert reader.find_all("CRBN") == 2
    assert [s.cursor.selectedText() for s in reader.extraSelections()] == ["CRBN", "CRBN"]


def test_hovering_a_citation_previews_the_reference(reader, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_: shown.append(text))
    reader.show_html('<p>Text <a href="cite:kulig2023?loc=Table%202">[1]</a> more.</p>')
    pos = reader.viewport().mapTo(reader, _point_of(reader, "[1]"))
    QApplication.sendEvent(reader, QHelpEvent(QEvent.Type.ToolTip, pos, reader.mapToGlobal(pos)))
    assert shown and "Kulig P. kulig2023" in shown[0]


def test_middle_click_and_ctrl_click_on_a_link_ask_for_a_new_tab(reader, qtbot):
    reader.show_html('<p>See <a href="page:crbn-loss">cereblon loss</a>.</p>')
    point = QPointF(_point_of(reader, "cereblon loss"))
    for button, mods in (
        (Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier),
        (Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier),
    ):
        event = QMouseEvent(
            QEvent.Type.MouseButtonRelease, point, point, button, Qt.MouseButton.NoButton, mods
        )
        with qtbot.waitSignal(reader.linkInNewTab, timeout=1000) as blocker:
            QApplication.sendEvent(reader.viewport(), event)
        assert blocker.args[0] == QUrl("page:crbn-loss")


def _point_of(reader: Reader, text: str):
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.document().toPlainText().index(text) + 1)
    return reader.cursorRect(cursor).center()


DIAGRAM = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200" width="400" height="200">
<rect x="0" y="0" width="400" height="200" fill="#ffffff"/>
<a href="page:crbn-loss"><title>Cereblon loss</title>
<rect x="20" y="40" width="150" height="60" fill="#ff0000"/></a>
<rect x="230" y="40" width="150" height="60" fill="#0000ff"/>
</svg>"""


def _first_pixel(reader: Reader, color: str):
    image = reader.viewport().grab().toImage()
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            if image.pixelColor(x, y).name() == color:
                return x + 6, y + 6
    raise AssertionError(f"no {color} pixel on screen")


def _has_pixel(reader: Reader, color: str) -> bool:
    try:
        _first_pixel(reader, color)
    except AssertionError:
        return False
    return True


def test_a_click_on_a_diagram_box_opens_its_page(qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    reader = Reader(lambda name: DIAGRAM if name == "images/d.svg" else None)
    reader.set_style(theme.LIGHT, 11)
    qtbot.addWidget(reader)
    reader.resize(700, 500)
    reader.show()
    qtbot.waitExposed(reader)
    reader.show_html('<p>Intro.</p><p><img src="images/d.svg"></p><p>After.</p>')
    qtbot.waitUntil(lambda: _has_pixel(reader, "#ff0000"), timeout=2000)
    red = QPoint(*_first_pixel(reader, "#ff0000"))
    with qtbot.waitSignal(reader.linkActivated, timeout=1000) as blocker:
        QTest.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=red)
    assert blocker.args[0] == QUrl("page:crbn-loss")
    blue = QPoint(*_first_pixel(reader, "#0000ff"))  # a box without a link
    with qtbot.assertNotEmitted(reader.linkActivated):
        QTest.mouseClick(reader.viewport(), Qt.MouseButton.LeftButton, pos=blue)
