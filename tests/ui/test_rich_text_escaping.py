"""Strings from content or user data reach rich-text widgets escaped: shown as text, never as HTML.

Qt renders a tooltip, a message box or a label as HTML when the text "looks like" HTML, so an
``<img src="/tmp/x.png">`` in a glossary definition or a citation would be drawn (and loaded from disk).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from desktop.core.model import Reference
from desktop.ui.dialogs import source_card_html
from desktop.ui.richtext import plain_rich

EVIL = '<img src="/tmp/x.png"><a href="javascript:alert(1)">x</a>'


def test_plain_rich_escapes_markup_and_keeps_line_breaks():
    out = plain_rich(EVIL + "\nsecond line")
    assert "<img" not in out and "<a " not in out
    assert "&lt;img src=&quot;/tmp/x.png&quot;&gt;" in out
    assert out.startswith("<p>") and "<br>second line" in out


def test_source_card_shows_hostile_reference_fields_as_text():
    ref = Reference(
        key="k",
        authors=EVIL,
        title=EVIL,
        journal=EVIL,
        year=2020,
        evidence="rct",
        doi='10.1/x"><img src="/tmp/x.png">',
        url='https://example.org/"><img src=x>',
    )
    card = source_card_html(ref, locator=EVIL)
    assert "<img" not in card and 'href="javascript' not in card
    assert card.count("&lt;img") >= 4


def test_reader_tooltip_of_a_glossary_term_is_escaped(window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_: shown.append(text))
    reader = window.reader
    reader.show_html('<p><span title="&lt;img src=&quot;/tmp/x.png&quot;&gt;">CRBN</span> text</p>')
    cursor = QTextCursor(reader.document())
    cursor.setPosition(1)
    pos = reader.viewport().mapTo(reader, reader.cursorRect(cursor).center())
    event = QHelpEvent(QEvent.Type.ToolTip, pos, reader.mapToGlobal(pos))
    QApplication.sendEvent(reader, event)
    assert shown, "no tooltip was shown over the glossary term"
    assert "<img" not in shown[0] and "&lt;img" in shown[0]
