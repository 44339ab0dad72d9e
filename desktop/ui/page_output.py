"""What leaves the screen: Print…, Print preview…, Export PDF and Copy citation, for whichever view is
current (the page in the current tab, or the trial explorer's evidence summary)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QStackedWidget

from ..core.library import Library
from ..core.model import Page
from . import theme
from .evidence_views import EvidenceViews
from .explorer import TrialExplorer
from .exporter import Exporter, Painter
from .print_document import PrintDocument, page_print_document
from .reader_tabs import ReaderTabs


class PageOutput(QObject):
    """Signal: ``message(text)`` for the status bar."""

    message = Signal(str)

    def __init__(
        self,
        library: Library,
        tabs: ReaderTabs,
        center: QStackedWidget,
        evidence: EvidenceViews,
        exporter: Exporter,
        page_html: Callable[[Page, theme.Colors], str],
    ) -> None:
        super().__init__(tabs)
        self.lib, self.tabs, self.center = library, tabs, center
        self.evidence, self.exporter, self._page_html = evidence, exporter, page_html

    def print_document(self) -> PrintDocument | None:
        """The current page for paper, with the versions and citation it was printed from."""
        reader = self.tabs.reader
        if reader.page is None:
            return None
        footer = (
            self.lib.meta.get("app_version", ""),
            self.lib.content_version,
            self.lib.page_citation(reader.page.id),
        )
        html_text = self._page_html(reader.page, theme.LIGHT)
        font = reader.document().defaultFont()
        return page_print_document(html_text, footer, reader.library_image, font)

    def _target(self) -> tuple[Painter | None, str]:
        """What Print…/Print preview… lay out: the evidence summary or the current page."""
        view = self.center.currentWidget()
        if isinstance(view, TrialExplorer):
            return view.paint_summary, "LenRef evidence summary"
        doc = self.print_document()
        page = self.tabs.reader.page
        return (doc.print_, f"LenRef - {page.title}") if doc and page else (None, "")

    def print_current(self) -> None:
        paint, _ = self._target()
        if paint is not None:
            self.exporter.print_with_dialog(paint)

    def preview_current(self) -> None:
        paint, title = self._target()
        if paint is not None:
            self.exporter.preview(paint, title)

    def export_pdf(self, path: str | None = None) -> str | None:
        """The current page as a PDF at ``path`` (asked for when None); the path, or None."""
        page, doc = self.tabs.reader.page, self.print_document()
        if page is None or doc is None:
            return None
        path = path or self.exporter.ask_pdf_path("Export page to PDF", f"LenRef - {page.title}")
        creator = f"LenRef {self.lib.meta.get('app_version', '')}"
        return self.exporter.write_pdf(path, page.title, creator, doc) if path else None

    def export_summary(self) -> None:
        path = self.exporter.ask_pdf_path("Export evidence summary", "LenRef evidence summary")
        explorer = self.evidence.explorer()
        if path and explorer is not None and explorer.export_pdf(path):
            self.message.emit(f"Saved {path}")

    def copy_citation(self) -> str:
        page = self.tabs.reader.page
        text = self.lib.page_citation(page.id) if page else ""
        if text:
            QGuiApplication.clipboard().setText(text)
            self.message.emit("Citation copied: " + text)
        return text
