"""The sidebar: contents, bookmarks and history, driven through their widgets and signals."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.gui


@pytest.fixture
def sidebar(qtbot, fixture_library, user):
    from desktop.ui.sidebar import Sidebar

    widget = Sidebar(fixture_library, user)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_clicking_a_page_in_contents_asks_to_open_it(sidebar, qtbot):
    item = sidebar._tree_items["crbn-loss"]
    with qtbot.waitSignal(sidebar.openRequested, timeout=1000) as blocker:
        sidebar.tree.itemClicked.emit(item, 0)
    assert blocker.args == ["crbn-loss", ""]


def test_part_headings_open_nothing(sidebar, qtbot):
    with qtbot.assertNotEmitted(sidebar.openRequested):
        sidebar.tree.itemClicked.emit(sidebar.tree.topLevelItem(0), 0)


def test_bookmarks_rename_delete_and_signal(sidebar, qtbot, user):
    user.add_bookmark("crbn-loss", "how-often", "CRBN › how often")
    sidebar.refresh_bookmarks()
    sidebar.bookmark_list.setCurrentRow(0)
    with qtbot.waitSignal(sidebar.bookmarksChanged, timeout=1000):
        sidebar.rename_bookmark("Cereblon frequency")
    assert sidebar.bookmark_list.item(0).text() == "Cereblon frequency"
    with qtbot.waitSignal(sidebar.openRequested, timeout=1000) as blocker:
        sidebar.bookmark_list.itemClicked.emit(sidebar.bookmark_list.item(0))
    assert blocker.args == ["crbn-loss", "how-often"]
    sidebar.bookmark_list.setCurrentRow(0)
    with qtbot.waitSignal(sidebar.bookmarksChanged, timeout=1000):
        sidebar.delete_bookmark()
    assert sidebar.bookmark_list.count() == 0


def test_bookmarks_export_and_import(sidebar, qtbot, user, tmp_path):
    user.add_bookmark("intro", "", "Intro")
    path = tmp_path / "b.json"
    with qtbot.waitSignal(sidebar.message, timeout=1000) as blocker:
        sidebar.export_bookmarks(str(path))
    assert "Exported 1" in blocker.args[0] and json.loads(path.read_text("utf-8"))
    user.delete_bookmark(user.bookmarks()[0].id)
    with qtbot.waitSignal(sidebar.bookmarksChanged, timeout=1000):
        sidebar.import_bookmarks(str(path))
    assert sidebar.bookmark_list.count() == 1


def test_history_lists_visits_and_clears(sidebar, user):
    user.add_visit("intro", "", "Multiple myeloma in brief")
    sidebar.refresh_history()
    assert sidebar.history_list.item(0).text().startswith("Multiple myeloma in brief")
    sidebar.clear_history()
    assert sidebar.history_list.count() == 0


def test_contents_tooltips_give_the_whole_title_and_the_summary(sidebar, fixture_library):
    info = fixture_library.page_info("crbn-loss")
    tip = sidebar._tree_items["crbn-loss"].toolTip(0)
    assert info.title in tip and info.summary.split()[0] in tip
