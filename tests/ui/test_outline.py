"""The outline lists a page's sections and asks to scroll to the one clicked."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_sections_and_references_are_listed_and_clickable(qtbot, fixture_library):
    from desktop.ui.outline import Outline

    outline = Outline()
    qtbot.addWidget(outline)
    page = fixture_library.page("crbn-loss")
    outline.show_page(page)
    texts = [outline.item(i).text() for i in range(outline.count())]
    assert texts[0] == page.title and texts[-1] == "References"
    assert [h for _, h in page.sections] == texts[1:-1]
    with qtbot.waitSignal(outline.anchorRequested, timeout=1000) as blocker:
        outline.itemClicked.emit(outline.item(1))
    assert blocker.args == [page.sections[0][0]]
    with qtbot.assertNotEmitted(outline.anchorRequested):
        outline.select(page.sections[0][0])
    assert outline.currentRow() == 1
