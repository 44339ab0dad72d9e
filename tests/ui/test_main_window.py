"""The main window driven like a user: typing, Enter, links, back/forward, bookmarks, find, theme, PDF."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl

pytestmark = pytest.mark.gui


def test_window_opens_and_shows_a_page(window):
    assert window.current is not None
    assert "Multiple myeloma in brief" in window.reader.toPlainText()
    assert window.tree.topLevelItemCount() == 4  # three parts and the trial cards


def test_typing_shows_results_for_prefix(window, qtbot):
    with qtbot.waitSignal(window.searchShown, timeout=3000) as blocker:
        qtbot.keyClicks(window.search_box, "cereb")
    result = blocker.args[0]
    assert result.query == "cereb" and result.hits
    assert window.results_model.rowCount() == len(result.hits)


def test_abbreviation_expansion_is_shown(window, qtbot):
    with qtbot.waitSignal(window.searchShown, timeout=3000):
        window.search_box.setText("PVd ")
    assert "Also searched" in window.search_info.text()
    assert window.results_model.hits[0].page == "pvd-page"


def test_fast_typing_never_shows_stale_results(window, qtbot):
    shown = []
    window.searchShown.connect(lambda r: shown.append(r.query))
    for prefix in ("c", "ce", "cer", "cere", "cereb", "cerebl", "cereblo"):
        window.search_box.setText(prefix)
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] == "cereblo", timeout=3000)
    # Only the newest query may be painted: no older prefix arrives afterwards.
    with qtbot.assertNotEmitted(window.searchShown, wait=300):
        pass
    assert shown == ["cereblo"]


def test_enter_opens_page_at_section(window, qtbot):
    with qtbot.waitSignal(window.searchShown, timeout=3000):
        qtbot.keyClicks(window.search_box, "fewer neosubstrates")
    with qtbot.waitSignal(window.pageShown, timeout=3000) as blocker:
        qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert blocker.args == ["crbn-loss", "what-happens"]


def test_escape_leaves_search(window, qtbot):
    qtbot.keyClicks(window.search_box, "cereb")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Escape)
    assert window.search_box.text() == ""
    assert window.sidebar.currentWidget() is window.tabs


def test_link_navigation_and_back_forward(window, qtbot):
    window.open_page("intro")
    with qtbot.waitSignal(window.pageShown, timeout=2000) as blocker:
        window.on_link(QUrl("page:crbn-loss#how-often"))
    assert blocker.args == ["crbn-loss", "how-often"]
    window.go_back()
    assert window.current.page == "intro"
    window.go_forward()
    assert window.current.page == "crbn-loss"


def test_citation_opens_source_card(window):
    card = window.show_source("kulig2023", "Table 2")
    assert card is not None and card.isVisible()
    card.copy_citation()
    from PySide6.QtGui import QGuiApplication

    assert "Kulig P" in QGuiApplication.clipboard().text()
    card.close()


def test_external_links_need_confirmation(window, monkeypatch):
    opened = []
    from desktop.ui import main_window as mw

    monkeypatch.setattr(mw, "confirm_external", lambda parent, url: False)
    monkeypatch.setattr(mw.QDesktopServices, "openUrl", lambda url: opened.append(url))
    window.on_link(QUrl("https://doi.org/10.3390/cancers15030963"))
    assert opened == []
    monkeypatch.setattr(mw, "confirm_external", lambda parent, url: True)
    window.on_link(QUrl("https://doi.org/10.3390/cancers15030963"))
    assert [u.toString() for u in opened] == ["https://doi.org/10.3390/cancers15030963"]


def test_bookmarks_persist_across_restart(qtbot, fixture_library, tmp_path):
    from desktop.core.userdata import UserData
    from desktop.ui.main_window import MainWindow

    user = UserData(tmp_path / "u")
    win = MainWindow(fixture_library, user, show_notice=False)
    qtbot.addWidget(win)
    win.open_page("crbn-loss")
    win.bookmark_current()
    win.close()
    user.close()
    user2 = UserData(tmp_path / "u")
    win2 = MainWindow(fixture_library, user2, show_notice=False)
    qtbot.addWidget(win2)
    assert win2.bookmark_list.count() == 1
    assert win2.bookmark_list.item(0).text().startswith("Loss of cereblon expression")
    win2.close()
    user2.close()


def test_find_in_page_counts_matches(window):
    window.open_page("crbn-loss")
    window.open_find()
    window.find_box.setText("CRBN")
    assert window.find_count.text().endswith("of 2")
    window.find_next()
    assert window.find_count.text().startswith("2 of")


def test_switching_theme_changes_page_colours(window):
    window.apply_theme("light")
    light = window.reader.document().defaultStyleSheet()
    window.apply_theme("dark")
    dark = window.reader.document().defaultStyleSheet()
    assert light != dark and "#e6e8eb" in dark


def test_font_size_is_remembered(window, user):
    window.set_font(14)
    assert user.get("font_pt") == 14


def test_export_pdf_writes_a_pdf(window, tmp_path):
    window.open_page("pvd-page")
    path = window.export_pdf(str(tmp_path / "page.pdf"))
    data = (tmp_path / "page.pdf").read_bytes()
    assert path and data.startswith(b"%PDF") and len(data) > 1000


def test_first_run_notice_appears_once(qtbot, fixture_library, tmp_path):
    from desktop.core.userdata import UserData
    from desktop.ui.main_window import NOTICE_KEY, MainWindow

    user = UserData(tmp_path / "u")
    win = MainWindow(fixture_library, user)
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: getattr(win, "_notice", None) is not None, timeout=2000)
    win._notice.accept()
    assert user.get(NOTICE_KEY) is True
    win.close()
    win2 = MainWindow(fixture_library, user)
    qtbot.addWidget(win2)
    # The window schedules the notice with a zero timer; queued calls run in order, so once one
    # queued after the window's construction has run, the notice would have been opened.
    settled = []
    QTimer.singleShot(0, lambda: settled.append(True))
    qtbot.waitUntil(lambda: bool(settled), timeout=2000)
    assert getattr(win2, "_notice", None) is None
    win2.close()
    user.close()


def test_copy_citation_of_page(window):
    window.open_page("crbn-loss")
    text = window.copy_citation()
    assert "Loss of cereblon expression" in text and "content" in text


def test_slash_types_into_text_fields_and_focuses_search_elsewhere(window, qtbot):
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "IL-6/STAT3")
    assert window.search_box.text() == "IL-6/STAT3"
    window.leave_search()
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Slash)
    assert window.search_box.hasFocus()


def test_every_control_has_an_accessible_name(window):
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QHeaderView,
        QLineEdit,
        QWidget,
    )

    window.show_trials()
    window.show_map()
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView)
    unnamed = []
    for w in window.findChildren(QWidget):
        if not isinstance(w, kinds) or isinstance(w, QHeaderView) or not w.isVisibleTo(window):
            continue
        if w.objectName().startswith("qt_"):
            continue  # Qt's own internals (e.g. a table's corner button)
        if isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox):
            continue  # an editable combo box's own line edit
        if w.parent() is not None and type(w.parent()).__name__ in ("QDoubleSpinBox", "QSpinBox"):
            continue
        name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not name:
            unnamed.append(f"{type(w).__name__} {w.objectName()!r} in {type(w.parent()).__name__}")
    assert unnamed == []


def test_glossary_terms_carry_their_definition_as_tooltip(window):
    from PySide6.QtGui import QTextCursor

    window.open_page("intro")
    doc = window.reader.document()
    pos = doc.toPlainText().index("cereblon")
    cursor = QTextCursor(doc)
    cursor.setPosition(pos + 1)
    assert "Substrate receptor" in cursor.charFormat().toolTip()


def test_typing_a_word_form_finds_its_stem(window, qtbot):
    with qtbot.waitSignal(window.searchShown, timeout=3000) as blocker:
        window.search_box.setText("degrading ")
    assert "crbn-loss" in [h.page for h in blocker.args[0].hits]


def test_alt_left_and_alt_right_keys_go_back_and_forward(window, qtbot):
    """Real key events: Back was bound twice (StandardKey.Back is Alt+Left on Linux), which made
    Qt call the shortcut ambiguous and drop the key."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.open_page("intro")
    window.open_page("crbn-loss")
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.current.page == "intro", timeout=2000)
    QTest.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.current.page == "crbn-loss", timeout=2000)
    for action in (window.act_back, window.act_forward):
        keys = [s.toString() for s in action.shortcuts()]
        assert len(keys) == len(set(keys)), keys
