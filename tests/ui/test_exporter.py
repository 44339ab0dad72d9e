"""Export and print: the save dialog starts in Documents and remembers; preview lays out the view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.ui.exporter import LAST_DIR_KEY, Exporter

pytestmark = pytest.mark.gui


@pytest.fixture
def exporter(qtbot, user, tmp_path, monkeypatch):
    docs = tmp_path / "Documents"
    docs.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", staticmethod(lambda kind: str(docs)))
    window = QWidget()
    qtbot.addWidget(window)
    return Exporter(user, window), docs


def test_the_save_dialog_starts_in_documents_then_in_the_last_folder(
    exporter, monkeypatch, tmp_path
):
    ex, docs = exporter
    asked = []
    chosen = tmp_path / "elsewhere" / "x.pdf"
    chosen.parent.mkdir()

    def dialog(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(chosen), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    assert ex.ask_pdf_path("Export", "LenRef - CRBN: loss") == str(chosen)
    assert asked[0] == str(docs / "LenRef - CRBN - loss.pdf")  # ":" is not allowed on Windows
    assert ex.user.get(LAST_DIR_KEY) == str(chosen.parent)
    ex.ask_pdf_path("Export", "Page")
    assert asked[1].startswith(str(chosen.parent))


def test_a_cancelled_dialog_exports_nothing(exporter, monkeypatch):
    ex, _ = exporter
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    assert ex.ask_pdf_path("Export", "Page") is None


def test_a_remembered_folder_that_is_gone_falls_back_to_documents(exporter, tmp_path):
    ex, docs = exporter
    ex.user.set(LAST_DIR_KEY, str(tmp_path / "removed"))
    assert ex.start_dir() == str(docs)


def test_print_preview_lays_out_what_it_is_given(exporter, window, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    out = tmp_path / "preview.pdf"

    def fake_exec(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        dialog.paintRequested.emit(printer)
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", fake_exec)
    window.open_page("crbn-loss")
    window.output.preview_current()
    assert out.read_bytes().startswith(b"%PDF")
    out.unlink()
    window.show_trials()
    window.output.preview_current()  # the explorer's one-page summary
    assert out.read_bytes().startswith(b"%PDF")
