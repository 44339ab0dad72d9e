"""The LenRef window: wires its parts and owns nothing else.

Parts (each a class in its own module, whose contract is its signals): ``SearchPane`` (box, scope,
results), ``Sidebar`` (contents, bookmarks, history), ``ReaderTabs`` (readers with per-tab history),
``Outline``, ``FindBar``, ``Exporter`` (print, preview, PDF), ``StatusBar``, the evidence views, and
the menus built by ``menus.build_menus``. Actions in the menus call the methods of the same name here.
"""

from __future__ import annotations

import html
import logging
from urllib.parse import parse_qs, unquote

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.library import Library
from ..core.model import PARTS, Page
from ..core.userdata import UserData, UserDataError
from . import theme
from .dialogs import SourceCard, about_html, confirm_external, intended_use_dialog, shortcuts_dialog
from .dialogs import _rich_dialog as rich_dialog
from .explorer import TrialExplorer
from .exporter import Exporter
from .find_bar import FindBar
from .mechanism_map import MechanismMap
from .menus import build_menus
from .outline import Outline
from .print_document import PrintDocument
from .reader import page_document_html
from .reader_tabs import ReaderTabs
from .richtext import plain_rich
from .search_pane import SearchPane
from .sidebar import BOOKMARKS, HISTORY, Sidebar
from .status_bar import StatusBar
from .window_size import first_size

log = logging.getLogger("lenref")

DEFAULT_FONT_PT = 11.0
WHATS_NEW = "whats-new"
NOTICE_KEY = "intended_use_ack"


class MainWindow(QMainWindow):
    """Signals: ``pageShown(page_id, anchor)`` after every navigation in the current tab;
    ``searchShown(SearchResult)`` after results are painted."""

    pageShown = Signal(str, str)  # noqa: N815 - Qt naming
    searchShown = Signal(object)  # noqa: N815

    def __init__(self, library: Library, userdata: UserData, show_notice: bool = True) -> None:
        super().__init__()
        self.lib, self.user = library, userdata
        self.setObjectName("mainWindow")
        self._titles = {info.id: info.title for info in library.pages()}
        self.font_pt, self.default_pt = self._font_setting()
        mode = self.user.get("theme", "system")
        self.theme_mode = mode if mode in ("light", "dark", "system") else "system"
        self.colors = theme.resolve(self.theme_mode)
        self.evidence_views: dict[str, QWidget] = {}
        self._build_parts()
        self.actions_ = build_menus(self, self, self.apply_theme, self.theme_mode)
        self._wire()
        self.apply_theme(self.theme_mode, save=False)
        self._restore_state()
        self._notices(show_notice)

    # -- construction ---------------------------------------------------------------------
    def _font_setting(self) -> tuple[float, float]:
        # Reading size follows the system font (so OS text scaling applies) unless the user chose.
        app_pt = QApplication.font().pointSizeF()
        default = max(DEFAULT_FONT_PT, app_pt + 1.0) if app_pt > 0 else DEFAULT_FONT_PT
        saved = self.user.get("font_pt")
        return (float(saved) if isinstance(saved, int | float) and saved > 0 else default), default

    def _build_parts(self) -> None:
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 6, 8, 4)
        self.search = SearchPane(self.lib, self.user, central)
        outer.addWidget(self.search)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setObjectName("mainSplitter")
        self.left = QStackedWidget(self.splitter)
        self.sidebar = Sidebar(self.lib, self.user, self.left)
        self.left.addWidget(self.sidebar)
        self.left.addWidget(self.search.results_view)
        self.center = QStackedWidget(self.splitter)
        self.reader_panel = QWidget(self.center)
        panel = QVBoxLayout(self.reader_panel)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.setSpacing(0)
        self.tabs = ReaderTabs(self.lib, self._page_html, self._citation_preview, self.reader_panel)
        self.find_bar = FindBar(self.reader_panel)
        panel.addWidget(self.tabs, 1)
        panel.addWidget(self.find_bar)
        self.center.addWidget(self.reader_panel)
        self.outline = Outline(self.splitter)
        for i, stretch in enumerate((0, 1, 0)):
            self.splitter.setStretchFactor(i, stretch)
        self.splitter.setSizes([300, 820, 220])
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.exporter = Exporter(self.user, self)
        version = (
            f"LenRef {self.lib.meta.get('app_version', '')} · content {self.lib.content_version}"
            f" · {len(self._titles)} pages · offline"
        )
        has_news = self.lib.page_info(WHATS_NEW) is not None
        self.status = StatusBar(version, has_news, self.user.degraded, self)
        self.setStatusBar(self.status)
        self.resize(first_size(self, QGuiApplication.primaryScreen()))

    def _wire(self) -> None:
        s, t = self.search, self.tabs
        s.hitActivated.connect(self._open_hit)
        s.resultsVisible.connect(
            lambda on: self.left.setCurrentWidget(s.results_view if on else self.sidebar)
        )
        s.searchShown.connect(self.searchShown.emit)
        s.leftSearch.connect(lambda: self.reader.setFocus())
        s.failed.connect(lambda m: self.status.say(f"Search failed: {m}"))
        self.sidebar.openRequested.connect(self.open_page)
        self.sidebar.bookmarksChanged.connect(self._update_nav)
        self.sidebar.message.connect(self.status.say)
        t.pageShown.connect(self._on_page_shown)
        t.currentPageChanged.connect(self._on_current_page)
        t.linkActivated.connect(self.on_link)
        t.linkInNewTab.connect(lambda url: self.on_link(url, new_tab=True))
        t.sectionChanged.connect(self.outline.select)
        t.navigationChanged.connect(self._update_nav)
        t.missingPage.connect(
            lambda p: self.status.say(f"There is no page '{p}' in this version of LenRef.", 6000)
        )
        self.outline.anchorRequested.connect(lambda a: self.reader.go_to_anchor(a))
        self.find_bar.findRequested.connect(
            lambda text, i: self.find_bar.show_count(self.reader.find_all(text, i))
        )
        self.find_bar.closed.connect(self._find_closed)
        self.exporter.message.connect(self.status.say)
        self.status.whatsNewRequested.connect(self.show_whats_new)

    def _notices(self, show_notice: bool) -> None:
        if self.user.recovered:
            message = plain_rich(self.user.recovered)
            QTimer.singleShot(0, lambda: QMessageBox.warning(self, "LenRef user data", message))
        if show_notice and not self.user.get(NOTICE_KEY):
            QTimer.singleShot(0, self.show_intended_use)

    # -- the current tab ------------------------------------------------------------------
    @property
    def reader(self):
        return self.tabs.reader

    @property
    def current_page(self) -> Page | None:
        return self.tabs.reader.page

    def _page_html(self, page: Page, colors: theme.Colors) -> str:
        return page_document_html(page, colors, self.lib.content_version, titles=self._titles)

    def open_page(self, page_id: str, anchor: str = "", new_tab: bool = False) -> bool:
        """Show a page at ``anchor`` (in a new tab if asked); False, with a message, if unknown."""
        self.show_reader()
        return self.tabs.open_page(page_id, anchor, new_tab=new_tab)

    def _open_hit(self, page: str, anchor: str, terms: list[str], new_tab: bool) -> None:
        self.show_reader()
        if self.tabs.open_page(page, anchor, terms=terms, new_tab=new_tab):
            self.reader.setFocus()

    def _on_page_shown(self, page_id: str, anchor: str) -> None:
        page = self.current_page
        try:
            self.user.add_visit(page_id, anchor, page.title if page else page_id)
            self.user.set("last_page", page_id)
        except UserDataError as exc:
            self.status.say(str(exc), 8000)
        self.sidebar.refresh_history()
        self.outline.select(anchor)
        self.find_bar.refresh()
        self.pageShown.emit(page_id, anchor)

    def _on_current_page(self) -> None:
        page = self.current_page
        if page is not None:
            self.outline.show_page(page)
            self.outline.select(self.reader.current_section())
            self.sidebar.select_page(page.id)
        self.setWindowTitle(f"{page.title} — LenRef" if page else "LenRef")
        self._update_nav()

    def _update_nav(self) -> None:
        history = self.reader.history
        self.actions_["go_back"].setEnabled(history.can_go_back)
        self.actions_["go_forward"].setEnabled(history.can_go_forward)
        page = self.current_page
        marked = page is not None and (
            self.user.is_bookmarked(page.id, self.reader.current_section() or "")
            or self.user.is_bookmarked(page.id, "")
        )
        self.actions_["star"].setText("★ Bookmarked" if marked else "☆ Bookmark")

    def on_link(self, url: QUrl, new_tab: bool = False) -> None:
        scheme = url.scheme()
        if scheme == "page":
            target = url.path() or url.toString()[5:].split("#")[0]
            self.open_page(target, url.fragment(), new_tab=new_tab)
        elif scheme == "cite":
            locator = unquote(parse_qs(url.query()).get("loc", [""])[0])
            self.show_source(url.path(), locator)
        elif scheme in ("http", "https"):
            self.open_external(url)
        elif not scheme and url.fragment():
            self.reader.go_to_anchor(url.fragment())
        else:
            self.status.say(f"Links of type '{scheme}' are not opened.")

    def _citation_preview(self, url: QUrl) -> str:
        """Hover text for a citation: authors, title, journal and year (plain text)."""
        ref = self.lib.reference(url.path())
        if ref is None:
            return ""
        names = [a.strip() for a in ref.authors.split(",") if a.strip()]
        authors = ", ".join(names[:3]) + (", et al." if len(names) > 3 else "")
        locator = unquote(parse_qs(url.query()).get("loc", [""])[0])
        where = f"\n{locator}" if locator else ""
        return f"{authors}. {ref.title}. {ref.journal} {ref.year}.{where}\nClick for the source"

    def open_external(self, url: QUrl) -> None:
        """External links open in the system browser only after the user confirms the address."""
        if url.scheme() in ("http", "https") and confirm_external(self, url):
            QDesktopServices.openUrl(url)

    def show_source(self, key: str, locator: str = "") -> SourceCard | None:
        ref = self.lib.reference(key)
        if ref is None:
            self.status.say(f"Unknown source '{key}'.")
            return None
        self._source_card = SourceCard(ref, locator, self.open_external, self)
        self._source_card.setModal(False)
        self._source_card.show()
        return self._source_card

    # -- menu actions (names as in menus.MENU_TABLE) --------------------------------------
    def new_tab(self) -> None:
        page = self.current_page
        self.open_page(page.id if page else self.lib.pages()[0].id, new_tab=True)

    def close_tab(self) -> None:
        self.tabs.close_tab()

    def next_tab(self) -> None:
        self.tabs.step_tab(1)

    def previous_tab(self) -> None:
        self.tabs.step_tab(-1)

    def go_back(self) -> None:
        self.show_reader()
        self.tabs.back()

    def go_forward(self) -> None:
        self.show_reader()
        self.tabs.forward()

    def focus_search(self) -> None:
        self.search.focus()

    def open_find(self) -> None:
        self.show_reader()
        self.find_bar.open()

    def find_next(self) -> None:
        self.find_bar.next()

    def find_previous(self) -> None:
        self.find_bar.previous()

    def _find_closed(self) -> None:
        self.reader.find_all("")
        self.reader.setFocus()

    def bookmark_current(self) -> None:
        page = self.current_page
        if page is None:
            return
        anchor = self.reader.current_section()
        heading = dict(page.sections).get(anchor) if anchor else None
        title = f"{page.title} › {heading}" if heading else page.title
        try:
            self.user.add_bookmark(page.id, anchor, title)
        except UserDataError as exc:
            QMessageBox.warning(self, "Bookmark not saved", plain_rich(exc))
            return
        self.sidebar.refresh_bookmarks()
        self._update_nav()
        self.status.say(f"Bookmarked: {title}", 4000)

    def show_bookmarks(self) -> None:
        self.search.leave()
        self.sidebar.setCurrentIndex(BOOKMARKS)

    def show_history(self) -> None:
        self.search.leave()
        self.sidebar.setCurrentIndex(HISTORY)

    def export_bookmarks(self) -> None:
        self.sidebar.export_bookmarks()

    def import_bookmarks(self) -> None:
        self.sidebar.import_bookmarks()

    def clear_history(self) -> None:
        self.sidebar.clear_history()

    def larger_text(self) -> None:
        self.set_font(self.font_pt + 1)

    def smaller_text(self) -> None:
        self.set_font(self.font_pt - 1)

    def default_text(self) -> None:
        self.set_font(self.default_pt)

    def set_font(self, pt: float) -> None:
        self.font_pt = max(7.0, min(28.0, pt))
        self.user.set("font_pt", self.font_pt)
        self.tabs.set_style(self.colors, self.font_pt)

    def apply_theme(self, mode: str, save: bool = True) -> None:
        self.theme_mode, self.colors = mode, theme.resolve(mode)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_chrome(app, self.colors)
        if mode in self.actions_.themes:
            self.actions_.themes[mode].setChecked(True)
        if save:
            self.user.set("theme", mode)
        for view in self.evidence_views.values():
            view.set_colors(self.colors)  # type: ignore[attr-defined]
        self.search.set_colors(self.colors)
        self.tabs.set_style(self.colors, self.font_pt)

    # -- print and export -----------------------------------------------------------------
    def print_document(self) -> PrintDocument | None:
        """The current page laid out for paper: light colours, images from the library only."""
        page = self.current_page
        if page is None:
            return None
        doc = PrintDocument(self.reader.library_image)
        doc.setDefaultStyleSheet(theme.content_css(theme.LIGHT, 10.5))
        doc.setDefaultFont(self.reader.document().defaultFont())
        footer = (
            f'<p class="meta">Printed from LenRef {html.escape(self.lib.meta.get("app_version", ""))}, '
            f"content {html.escape(self.lib.content_version)}. Citation: "
            f"{html.escape(self.lib.page_citation(page.id))}</p>"
        )
        doc.setHtml(self._page_html(page, theme.LIGHT) + footer)
        return doc

    def _current_painter(self):
        """What Print…/Print preview… lay out: the evidence summary or the page on screen."""
        view = self.center.currentWidget()
        if isinstance(view, TrialExplorer):
            return view.paint_summary, "LenRef evidence summary"
        doc = self.print_document()
        if doc is None:
            return None
        return doc.print_, f"LenRef - {self.current_page.title}"  # type: ignore[union-attr]

    def print_current(self) -> None:
        target = self._current_painter()
        if target is not None:
            self.exporter.print_with_dialog(target[0])

    def preview_current(self) -> None:
        target = self._current_painter()
        if target is not None:
            self.exporter.preview(target[0], target[1])

    def export_pdf(self, path: str | None = None) -> str | None:
        page, doc = self.current_page, self.print_document()
        if page is None or doc is None:
            return None
        path = path or self.exporter.ask_pdf_path("Export page to PDF", f"LenRef - {page.title}")
        if not path:
            return None
        creator = f"LenRef {self.lib.meta.get('app_version', '')}"
        return self.exporter.write_pdf(path, page.title, creator, doc)

    def copy_citation(self) -> str:
        page = self.current_page
        if page is None:
            return ""
        text = self.lib.page_citation(page.id)
        QGuiApplication.clipboard().setText(text)
        self.status.say("Citation copied: " + text, 6000)
        return text

    # -- views ----------------------------------------------------------------------------
    def _evidence_view(self, name: str) -> QWidget:
        view = self.evidence_views.get(name)
        if view is None:
            kind = TrialExplorer if name == "trials" else MechanismMap
            view = kind(self.lib, self.colors, self)
            view.openPage.connect(lambda pid, anchor="": self.open_page(pid, anchor))
            view.openSource.connect(lambda key: self.show_source(key))
            if isinstance(view, TrialExplorer):
                view.exportRequested.connect(self._export_summary)
                view.previewRequested.connect(self.preview_current)
            self.center.addWidget(view)
            self.evidence_views[name] = view
        return view

    def _export_summary(self) -> None:
        path = self.exporter.ask_pdf_path("Export evidence summary", "LenRef evidence summary")
        if path and self.evidence_views["trials"].export_pdf(path):  # type: ignore[attr-defined]
            self.status.say(f"Saved {path}")

    def show_reader(self) -> None:
        self.center.setCurrentWidget(self.reader_panel)
        self.outline.show()

    def show_trials(self) -> QWidget:
        return self._show_view("trials")

    def show_map(self) -> QWidget:
        return self._show_view("map")

    def _show_view(self, name: str) -> QWidget:
        view = self._evidence_view(name)
        self.center.setCurrentWidget(view)
        self.outline.hide()
        return view

    # -- dialogs --------------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        shortcuts_dialog(self, self.actions_.shortcuts).exec()

    def show_intended_use(self) -> None:
        self._notice = intended_use_dialog(self)
        self._notice.accepted.connect(lambda: self.user.set(NOTICE_KEY, True))
        self._notice.open()

    def show_about(self) -> None:
        built = self.lib.meta.get("built_at", "")
        body = about_html(
            self.lib.content_version, built, len(self._titles), len(self.lib.references())
        )
        rich_dialog(self, "About LenRef", body, on_link=self._open_dialog_link).exec()

    def _open_dialog_link(self, url: QUrl) -> None:
        if url.scheme() == "page":
            self.open_page(url.path(), url.fragment())

    def show_whats_new(self) -> None:
        """The content change log page (content/pages/background/whats-new.md)."""
        self.open_page(WHATS_NEW)

    # -- window state ---------------------------------------------------------------------
    def _restore_state(self) -> None:
        geo, split = self.user.get("geometry"), self.user.get("splitter")
        if isinstance(geo, str):
            self.restoreGeometry(QByteArray.fromBase64(geo.encode()))
        if isinstance(split, str):
            self.splitter.restoreState(QByteArray.fromBase64(split.encode()))
        if self.tabs.restore(self.user.get("tabs")):
            return
        first = self.user.get("last_page")
        if not (isinstance(first, str) and self.lib.page_info(first)):
            pages = self.lib.pages()
            first = pages[0].id if pages else None
        if first:
            self.tabs.open_page(first, record=False)

    def save_state(self) -> None:
        try:
            self.user.set("geometry", bytes(self.saveGeometry().toBase64()).decode())
            self.user.set("splitter", bytes(self.splitter.saveState().toBase64()).decode())
            self.user.set("tabs", self.tabs.state())
        except UserDataError as exc:
            log.warning("could not save window state: %s", exc)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not getattr(self, "_closed", False):
            self._closed = True
            self.save_state()
            self.search.shutdown()
        super().closeEvent(event)


__all__ = ["MainWindow", "PARTS"]
