"""The search pane driven through its signals, as a user types (model: novelWriter's GUI tests)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui


@pytest.fixture
def pane(qtbot, fixture_library, user):
    from desktop.ui.search_pane import SearchPane

    widget = SearchPane(fixture_library, user)
    qtbot.addWidget(widget)
    widget.results_view.show()
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def test_typing_shows_results_for_a_prefix(pane, qtbot):
    with qtbot.waitSignal(pane.searchShown, timeout=3000) as blocker:
        qtbot.keyClicks(pane.box, "cereb")
    result = blocker.args[0]
    assert result.query == "cereb" and result.hits
    assert pane.model.rowCount() == len(result.hits)


def test_results_replace_the_sidebar_only_while_there_is_text(pane, qtbot):
    with qtbot.waitSignal(pane.resultsVisible, timeout=3000) as shown:
        qtbot.keyClicks(pane.box, "c")
    assert shown.args == [True]
    with qtbot.waitSignal(pane.resultsVisible, timeout=3000) as hidden:
        QTest.keyClick(pane.box, Qt.Key.Key_Backspace)
    assert hidden.args == [False]


def test_abbreviation_expansion_is_shown_and_wraps(pane, qtbot):
    with qtbot.waitSignal(pane.searchShown, timeout=3000):
        pane.box.setText("PVd ")
    assert "Also searched" in pane.info.text() and pane.info.wordWrap()
    assert pane.model.hits[0].page == "pvd-page"


def test_fast_typing_never_shows_stale_results(pane, qtbot):
    shown = []
    pane.searchShown.connect(lambda r: shown.append(r.query))
    for prefix in ("c", "ce", "cer", "cere", "cereb", "cerebl", "cereblo"):
        pane.box.setText(prefix)
    qtbot.waitUntil(lambda: bool(shown) and shown[-1] == "cereblo", timeout=3000)
    with qtbot.assertNotEmitted(pane.searchShown, wait=300):
        pass
    assert shown == ["cereblo"]


def test_enter_opens_the_first_hit_at_its_section(pane, qtbot):
    with qtbot.waitSignal(pane.searchShown, timeout=3000):
        qtbot.keyClicks(pane.box, "fewer neosubstrates")
    with qtbot.waitSignal(pane.hitActivated, timeout=3000) as blocker:
        QTest.keyClick(pane.box, Qt.Key.Key_Return)
    page, anchor, terms, new_tab = blocker.args
    assert (page, anchor, new_tab) == ("crbn-loss", "what-happens", False)
    assert "neosubstrates" in terms


def test_ctrl_enter_asks_for_a_new_tab(pane, qtbot):
    with qtbot.waitSignal(pane.searchShown, timeout=3000):
        qtbot.keyClicks(pane.box, "cereblon")
    with qtbot.waitSignal(pane.hitActivated, timeout=3000) as blocker:
        QTest.keyClick(pane.box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[3] is True


def test_enter_before_the_results_waits_for_the_worker(pane, qtbot, fixture_library, monkeypatch):
    """Enter used to search synchronously on the GUI thread; now the first hit opens on arrival."""
    threads = []
    real = fixture_library.search

    def recording(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(fixture_library, "search", recording)
    with qtbot.waitSignal(pane.hitActivated, timeout=3000) as blocker:
        pane.box.setText("cereblon")
        QTest.keyClick(pane.box, Qt.Key.Key_Return)  # before the debounce has even fired
    assert blocker.args[0] and threads and not any(threads)


def test_escape_leaves_the_search(pane, qtbot):
    qtbot.keyClicks(pane.box, "cereb")
    with qtbot.waitSignal(pane.leftSearch, timeout=1000):
        QTest.keyClick(pane.box, Qt.Key.Key_Escape)
    assert pane.box.text() == "" and not pane.info.isVisible()


def test_recent_searches_drop_down_under_the_empty_box(pane, qtbot, user):
    user.add_search("ikzf1")
    user.add_search("daratumumab")
    pane.box.clearFocus()
    pane.focus()
    popup = pane.recent.popup()
    qtbot.waitUntil(popup.isVisible, timeout=2000)
    rows = [popup.model().index(i, 0).data() for i in range(popup.model().rowCount())]
    assert sorted(rows) == ["daratumumab", "ikzf1"]  # newest first; same second here
    with qtbot.waitSignal(pane.searchShown, timeout=3000) as blocker:
        pane.recent.activated[str].emit("ikzf1")
    assert blocker.args[0].query == "ikzf1"


def test_typing_a_word_form_finds_its_stem(pane, qtbot):
    with qtbot.waitSignal(pane.searchShown, timeout=3000) as blocker:
        pane.box.setText("degrading ")
    assert "crbn-loss" in [h.page for h in blocker.args[0].hits]


def test_a_middle_click_on_a_hit_asks_for_a_new_tab(pane, qtbot):
    with qtbot.waitSignal(pane.searchShown, timeout=3000):
        pane.box.setText("cereblon")
    view = pane.results_view
    view.resize(400, 400)
    rect = view.visualRect(pane.model.index(0, 0))
    with qtbot.waitSignal(pane.hitActivated, timeout=2000) as blocker:
        QTest.mouseClick(view.viewport(), Qt.MouseButton.MiddleButton, pos=rect.center())
    assert blocker.args[3] is True
