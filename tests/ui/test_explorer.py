"""The trial explorer and the mechanism map, driven as a user would: keys, clicks, real PDF."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui


@pytest.fixture
def explorer(window):
    return window.show_trials()


def listed(explorer):
    return explorer.list.trial_ids()


def test_patient_panel_regroups_the_answer_with_conflict_chips_first(explorer, qtbot):
    box = explorer.patient.boxes["anti-cd38"]
    explorer.patient.boxes["lenalidomide"].setChecked(True)
    box.setFocus()
    with qtbot.waitSignal(explorer.filtered, timeout=2000):
        QTest.keyClick(box, Qt.Key.Key_Space)  # a real key press ticks the box
    assert box.isChecked()
    assert listed(explorer) == ["example-2", "example-3", "example-1"]
    groups = [
        explorer.list.topLevelItem(i).text(0) for i in range(explorer.list.topLevelItemCount())
    ]
    assert groups[0].startswith("Trials that enrolled patients like yours")
    row = next(
        explorer.list.topLevelItem(i)
        for i in range(explorer.list.topLevelItemCount())
        if explorer.list.topLevelItem(i).text(1) == "EXAMPLE-3"
    )
    assert row.text(0) == "conflict: an anti-CD38 antibody"
    assert "refractory to lenalidomide, an anti-CD38 antibody" in explorer.context.text()


def test_forest_plot_lines_carry_their_analysis_and_a_click_opens_the_card(explorer, window, qtbot):
    explorer.patient.boxes["lenalidomide"].setChecked(True)
    rows = explorer.forest.rows
    assert [(r.name, r.caption) for r in rows][0] == (
        "EXAMPLE-1",
        "primary analysis, median follow-up 15.9 months, n=300",
    )
    explorer.forest.resize(900, explorer.forest.minimumHeight())
    explorer.forest.repaint()
    rect, _ = explorer.forest._hits[0]
    with qtbot.waitSignal(window.pageShown, timeout=2000) as blocker:
        QTest.mouseClick(explorer.forest, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert blocker.args[0] == "trial-example-1"
    assert "Results by analysis" in window.reader.toPlainText()


def test_enter_on_a_list_row_opens_the_trial_card(explorer, window, qtbot):
    explorer.list.setFocus()
    first = explorer.list.topLevelItem(1)  # row 0 is the group heading
    explorer.list.setCurrentItem(first)
    with qtbot.waitSignal(window.pageShown, timeout=2000) as blocker:
        QTest.keyClick(explorer.list, Qt.Key.Key_Return)
    assert blocker.args[0].startswith("trial-")


def test_export_pdf_is_one_a4_landscape_page_with_profile_and_references(explorer, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    explorer.patient.boxes["lenalidomide"].setChecked(True)
    path = explorer.export_pdf(str(tmp_path / "trials.pdf"))
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    text = " ".join(reader.pages[0].extract_text().split())
    assert "refractory to lenalidomide" in text and "EXAMPLE-1" in text and "References" in text
    assert "primary analysis" in text


def test_export_to_a_missing_folder_reports_instead_of_crashing(explorer, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    assert explorer.export_pdf(str(tmp_path / "no" / "such" / "x.pdf")) is None
    assert shown and "could not be written" in shown[0]


def test_copy_as_text_names_every_cut(explorer):
    text = explorer.copy_text()
    assert (
        "EXAMPLE-3" in text and "References" in text and "final overall-survival analysis" in text
    )


def test_mechanism_map_cells_and_clicks(window, qtbot):
    view = window.show_map()
    assert view.table.rowCount() == 1 and view.table.columnCount() == 1
    # Two things per cell: the evidence overall, and whether any of it is about this mechanism.
    assert view.table.item(0, 0).text() == "randomised\nmechanism: none"
    assert view.cell_pages(0, 0) == ("crbn-loss", "pvd-page")
    with qtbot.waitSignal(window.pageShown, timeout=2000) as blocker:
        view.table.verticalHeader().sectionClicked.emit(0)
    assert blocker.args[0] == "crbn-loss"
