"""The whole window driven like a user, with real key events: navigation, tabs, bookmarks, state."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui

ALT, CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier


def page_of(window) -> str | None:
    page = window.current_page
    return page.id if page else None


def test_window_opens_and_shows_a_page(window):
    assert page_of(window) == "intro"
    assert "Multiple myeloma in brief" in window.reader.toPlainText()
    assert window.sidebar.tree.topLevelItemCount() == 4  # three parts and the trial cards
    assert window.windowTitle() == "Multiple myeloma in brief — LenRef"


def test_alt_left_and_alt_right_keys_go_back_and_forward(window, qtbot):
    """Back was bound twice once (StandardKey.Back is Alt+Left on Linux) and Qt dropped the key."""
    window.open_page("crbn-loss")
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_Left, ALT)
    qtbot.waitUntil(lambda: page_of(window) == "intro", timeout=2000)
    QTest.keyClick(window, Qt.Key.Key_Right, ALT)
    qtbot.waitUntil(lambda: page_of(window) == "crbn-loss", timeout=2000)


def test_ctrl_t_opens_a_tab_and_ctrl_pgup_returns_with_its_own_history(window, qtbot):
    window.open_page("crbn-loss")
    QTest.keyClick(window, Qt.Key.Key_T, CTRL)
    assert window.tabs.count() == 2 and page_of(window) == "crbn-loss"
    window.links.on_link(QUrl("page:pvd-page"))
    assert window.windowTitle().startswith(window.current_page.title)
    QTest.keyClick(window, Qt.Key.Key_PageUp, CTRL)
    assert window.tabs.currentIndex() == 0 and page_of(window) == "crbn-loss"
    QTest.keyClick(window, Qt.Key.Key_Left, ALT)  # the first tab's own history
    assert page_of(window) == "intro"
    QTest.keyClick(window, Qt.Key.Key_PageDown, CTRL)
    assert page_of(window) == "pvd-page"
    QTest.keyClick(window, Qt.Key.Key_W, CTRL)
    assert window.tabs.count() == 1 and page_of(window) == "intro"
    QTest.keyClick(window, Qt.Key.Key_W, CTRL)  # the last tab stays
    assert window.tabs.count() == 1


def test_ctrl_click_on_a_link_opens_it_in_a_new_tab(window, qtbot):
    window.open_page("intro")
    window.tabs.linkInNewTab.emit(QUrl("page:crbn-loss#what-happens"))
    assert window.tabs.count() == 2 and page_of(window) == "crbn-loss"


def test_tabs_are_restored_at_start(qtbot, fixture_library, tmp_path):
    from desktop.core.userdata import UserData
    from desktop.ui.main_window import MainWindow

    user = UserData(tmp_path / "u")
    win = MainWindow(fixture_library, user, show_notice=False)
    qtbot.addWidget(win)
    win.open_page("crbn-loss")
    win.open_page("pvd-page", new_tab=True)
    win.close()
    win2 = MainWindow(fixture_library, user, show_notice=False)
    qtbot.addWidget(win2)
    pages = [t.page.id for t in win2.tabs.readers()]
    assert pages == ["crbn-loss", "pvd-page"] and win2.tabs.currentIndex() == 1
    win2.close()
    user.close()


def test_bookmarks_persist_across_restart(qtbot, fixture_library, tmp_path):
    from desktop.core.userdata import UserData
    from desktop.ui.main_window import MainWindow

    user = UserData(tmp_path / "u")
    win = MainWindow(fixture_library, user, show_notice=False)
    qtbot.addWidget(win)
    with qtbot.waitExposed(win):
        win.show()
    win.open_page("crbn-loss")
    QTest.keyClick(win, Qt.Key.Key_D, CTRL)
    assert win.actions_["star"].text() == "★ Bookmarked"
    win.close()
    user.close()
    user2 = UserData(tmp_path / "u")
    win2 = MainWindow(fixture_library, user2, show_notice=False)
    qtbot.addWidget(win2)
    assert win2.sidebar.bookmark_list.count() == 1
    assert win2.sidebar.bookmark_list.item(0).text().startswith("Loss of cereblon expression")
    win2.close()
    user2.close()


def test_unknown_page_is_a_status_message(window):
    assert window.open_page("no-such-page") is False
    assert "no page 'no-such-page'" in window.status.currentMessage()


def test_external_links_need_confirmation(window, monkeypatch):
    opened = []
    from desktop.ui import link_router as lr

    monkeypatch.setattr(lr, "confirm_external", lambda parent, url: False)
    monkeypatch.setattr(lr.QDesktopServices, "openUrl", lambda url: opened.append(url))
    window.links.on_link(QUrl("https://doi.org/10.3390/cancers15030963"))
    assert opened == []
    monkeypatch.setattr(lr, "confirm_external", lambda parent, url: True)
    window.links.on_link(QUrl("https://doi.org/10.3390/cancers15030963"))
    assert [u.toString() for u in opened] == ["https://doi.org/10.3390/cancers15030963"]


def test_citation_opens_source_card(window):
    card = window.links.show_source("kulig2023", "Table 2")
    assert card is not None and card.isVisible()
    card.copy_citation()
    from PySide6.QtGui import QGuiApplication

    assert "Kulig P" in QGuiApplication.clipboard().text()
    card.close()


def test_find_in_page_counts_matches_with_real_keys(window):
    window.open_page("crbn-loss")
    QTest.keyClick(window, Qt.Key.Key_F, CTRL)
    QTest.keyClicks(window.find_bar.box, "CRBN")
    assert window.find_bar.count.text().endswith("of 2")
    QTest.keyClick(window, Qt.Key.Key_F3)
    assert window.find_bar.count.text().startswith("2 of")
    QTest.keyClick(window.find_bar.box, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()


def test_switching_theme_changes_page_colours(window):
    window.reading.set_theme("light")
    light = window.reader.document().defaultStyleSheet()
    window.reading.set_theme("dark")
    dark = window.reader.document().defaultStyleSheet()
    assert light != dark and "#e6e8eb" in dark


def test_font_size_is_remembered_and_applies_to_every_tab(window, user):
    window.open_page("pvd-page", new_tab=True)
    QTest.keyClick(window, Qt.Key.Key_Equal, CTRL)
    size = window.reading.font_pt
    assert user.get("font_pt") == size
    for tab in window.tabs.readers():
        assert tab.document().defaultFont().pointSizeF() == size


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
    text = window.output.copy_citation()
    assert "Loss of cereblon expression" in text and "content" in text


def test_slash_types_into_text_fields_and_focuses_search_elsewhere(window, qtbot):
    window.search.box.setFocus()
    qtbot.keyClicks(window.search.box, "IL-6/STAT3")
    assert window.search.box.text() == "IL-6/STAT3"
    window.search.leave()
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Slash)
    assert window.search.box.hasFocus()


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


def test_the_title_names_the_view_on_screen(window):
    window.show_trials()
    assert window.windowTitle() == "Trial explorer — LenRef"
    window.show_reader()
    assert window.windowTitle() == "Multiple myeloma in brief — LenRef"
