"""Trial explorer and mechanism map widgets: filters, sorting, plot clicks, PDF export."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

pytestmark = pytest.mark.gui


@pytest.fixture
def explorer(window):
    return window.show_trials()


def test_filter_changes_row_count(explorer, qtbot):
    assert explorer.proxy.rowCount() == 3
    with qtbot.waitSignal(explorer.filtered) as blocker:
        explorer.refractory_boxes["lenalidomide"].setChecked(True)
    assert blocker.args == [2]
    with qtbot.waitSignal(explorer.filtered) as blocker:
        explorer.refractory_boxes["anti-cd38"].setChecked(True)
    assert blocker.args == [1]
    assert "patient refractory to: LEN, anti-CD38" in explorer.context.text()


def test_sort_by_hazard_ratio(explorer):
    col = [
        c
        for c, (title, _) in enumerate(
            __import__("desktop.ui.explorer", fromlist=["COLUMNS"]).COLUMNS
        )
        if title.startswith("PFS HR")
    ][0]
    explorer.table.sortByColumn(col, Qt.SortOrder.AscendingOrder)
    names = [explorer.proxy.index(r, 0).data() for r in range(explorer.proxy.rowCount())]
    assert names[:2] == ["EXAMPLE-1", "EXAMPLE-3"]  # 0.61 before 0.63; no HR (single-arm) last


def test_forest_plot_rows_and_click_navigates(explorer, window, qtbot):
    rows = explorer.forest.rows
    assert [r[1].strip() for r in rows] == ["EXAMPLE-1", "EXAMPLE-3", "EXAMPLE-3: LEN-refractory"]
    assert rows[0][6] == "0.61 (0.49–0.77)"
    with qtbot.waitSignal(window.pageShown, timeout=2000) as blocker:
        explorer.forest.click_row(0)
    assert blocker.args[0] == "pvd-page"


def test_export_pdf_contains_trial_names(explorer, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    path = explorer.export_pdf(str(tmp_path / "trials.pdf"))
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)
    assert "EXAMPLE-1" in text and "EXAMPLE-2" in text and "all trials" in text


def test_copy_as_text(explorer):
    text = explorer.copy_text()
    assert "EXAMPLE-3" in text and "References" in text


def test_mechanism_map_cells_and_clicks(window, qtbot):
    view = window.show_map()
    assert view.table.rowCount() == 1 and view.table.columnCount() == 1
    assert view.table.item(0, 0).text() == "randomised"
    assert view.cell_pages(0, 0) == ("crbn-loss", "pvd-page")
    with qtbot.waitSignal(window.pageShown, timeout=2000) as blocker:
        view.table.verticalHeader().sectionClicked.emit(0)
    assert blocker.args[0] == "crbn-loss"
