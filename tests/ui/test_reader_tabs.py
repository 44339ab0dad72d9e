"""Reader tabs: each tab has its own page and back/forward history; tabs are saved and restored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl

from desktop.ui import theme

pytestmark = pytest.mark.gui


@pytest.fixture
def tabs(qtbot, fixture_library):
    from desktop.ui.reader import page_document_html
    from desktop.ui.reader_tabs import ReaderTabs

    widget = ReaderTabs(
        fixture_library,
        lambda page, colors: page_document_html(page, colors, "test"),
        lambda url: f"preview of {url.path()}",
    )
    widget.set_style(theme.LIGHT, 11)
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    return widget


def current(tabs) -> str | None:
    return tabs.reader.page.id if tabs.reader.page else None


def test_open_page_emits_page_shown(tabs, qtbot):
    with qtbot.waitSignal(tabs.pageShown, timeout=1000) as blocker:
        assert tabs.open_page("crbn-loss", "how-often")
    assert blocker.args == ["crbn-loss", "how-often"]
    assert tabs.tabText(0).startswith("Loss of cereblon")


def test_unknown_page_is_reported_and_nothing_changes(tabs, qtbot):
    tabs.open_page("intro")
    with qtbot.waitSignal(tabs.missingPage, timeout=1000) as blocker:
        assert not tabs.open_page("nope")
    assert blocker.args == ["nope"] and current(tabs) == "intro"


def test_each_tab_has_its_own_history(tabs):
    tabs.open_page("intro")
    tabs.open_page("crbn-loss")
    tabs.open_page("pvd-page", new_tab=True)
    assert tabs.count() == 2 and not tabs.reader.history.can_go_back
    tabs.back()
    assert current(tabs) == "pvd-page"  # nothing to go back to in the new tab
    tabs.step_tab(-1)
    tabs.back()
    assert current(tabs) == "intro"
    tabs.forward()
    assert current(tabs) == "crbn-loss"


def test_mouse_side_buttons_go_back(tabs, qtbot):
    tabs.open_page("intro")
    tabs.open_page("crbn-loss")
    tabs.reader.backRequested.emit()
    assert current(tabs) == "intro"


def test_links_in_any_tab_reach_the_owner(tabs, qtbot):
    tabs.open_page("intro")
    with qtbot.waitSignal(tabs.linkInNewTab, timeout=1000) as blocker:
        tabs.reader.linkInNewTab.emit(QUrl("page:crbn-loss"))
    assert blocker.args[0].toString() == "page:crbn-loss"


def test_the_last_tab_cannot_be_closed(tabs):
    tabs.open_page("intro")
    tabs.close_tab()
    assert tabs.count() == 1 and current(tabs) == "intro"


def test_state_round_trip_skips_pages_that_are_gone(tabs, qtbot, fixture_library):
    from desktop.ui.reader_tabs import ReaderTabs

    tabs.open_page("intro")
    tabs.open_page("crbn-loss", "how-often", new_tab=True)
    state = tabs.state()
    assert state["tabs"][1] == {"page": "crbn-loss", "anchor": "how-often"}
    state["tabs"].insert(1, {"page": "removed-page", "anchor": ""})
    again = ReaderTabs(fixture_library, tabs._html_for, tabs._citation_preview)
    again.set_style(theme.LIGHT, 11)
    qtbot.addWidget(again)
    assert again.restore(state)
    assert [t.page.id for t in again.readers()] == ["intro", "crbn-loss"]
    for bad in (None, [], {"tabs": "x"}, {"tabs": [1, {"page": 2}]}):
        assert not again.restore(bad)


def test_tabs_are_bounded_and_the_refusal_is_said(tabs, qtbot):
    from desktop.ui.reader_tabs import MAX_TABS

    tabs.open_page("intro")
    for _ in range(MAX_TABS - 1):
        assert tabs.open_page("intro", new_tab=True)
    with qtbot.waitSignal(tabs.tabLimitReached, timeout=1000):
        assert not tabs.open_page("crbn-loss", new_tab=True)
    assert tabs.count() == MAX_TABS
