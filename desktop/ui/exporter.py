"""Print, print preview and PDF export, for the page on screen and the evidence summary.

Export PDF uses QPdfWriter: constructing a QPrinter asks the print system (CUPS on 127.0.0.1:631) for
printers, and LenRef opens no socket unless the user chose Print… or Print preview…. The save dialog
starts in the folder used last, or in the user's Documents folder (never the program's own folder).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..core.filenames import safe_filename
from ..core.userdata import UserData, UserDataError
from .richtext import plain_rich

LAST_DIR_KEY = "last_export_dir"

Painter = Callable[[QPagedPaintDevice], None]  # lays the output out on a printer or PDF writer


class Exporter(QObject):
    """Signal: ``message(text)`` for the status bar after a file was written."""

    message = Signal(str)

    def __init__(self, user: UserData, window: QWidget) -> None:
        super().__init__(window)
        self.user, self.window = user, window

    def start_dir(self) -> str:
        last = self.user.get(LAST_DIR_KEY)
        if isinstance(last, str) and Path(last).is_dir():
            return last
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return docs if docs and Path(docs).is_dir() else str(Path.home())

    def ask_pdf_path(self, caption: str, title: str) -> str | None:
        """The file the user chose (suggested from ``title``, safe on every OS), or None."""
        suggested = str(Path(self.start_dir()) / (safe_filename(title) + ".pdf"))
        path, _ = QFileDialog.getSaveFileName(self.window, caption, suggested, "PDF (*.pdf)")
        if not path:
            return None
        # Remembering the folder is a convenience: a full disk must not stop the export.
        with contextlib.suppress(UserDataError):
            self.user.set(LAST_DIR_KEY, str(Path(path).parent))
        return path

    def write_pdf(self, path: str, title: str, creator: str, document: QTextDocument) -> str | None:
        """``document`` as an A4 portrait PDF at ``path``; a warning and None when it fails."""
        writer = QPdfWriter(path)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Portrait)
        writer.setResolution(300)
        writer.setTitle(title)
        writer.setCreator(creator)
        document.print_(writer)
        del writer  # finishes the file
        if not Path(path).is_file() or Path(path).stat().st_size == 0:
            QMessageBox.warning(
                self.window,
                "Export failed",
                plain_rich(f"Could not write {path}. Check the folder and free space."),
            )
            return None
        self.message.emit(f"Saved {path}")
        return path

    def print_with_dialog(self, paint: Painter) -> bool:
        """The system print dialog; ``paint(printer)`` when the user accepts. True if printed."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # only when the user asks

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self.window)
        if dialog.exec() != QPrintDialog.DialogCode.Accepted:
            return False
        paint(printer)
        return True

    def preview(self, paint: Painter, title: str) -> None:
        """Qt's print preview (zoom, pages, print from there) of what ``paint`` lays out."""
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        dialog = QPrintPreviewDialog(printer, self.window)
        dialog.setObjectName("printPreview")
        dialog.setWindowTitle(f"Print preview — {title}")
        dialog.paintRequested.connect(paint)
        self._preview = dialog  # tests close it; the dialog lives until it is closed
        dialog.exec()
