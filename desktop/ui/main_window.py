"""The LenRef window: builds its parts and wires their signals; it decides nothing else.

Parts (each a class in its own module, whose contract is its signals): ``SearchPane`` (box, scope,
results), ``Sidebar`` (contents, bookmarks, history), ``ReaderTabs`` (readers with per-tab history),
``Outline``, ``FindBar``, ``LinkRouter``, ``EvidenceViews``, ``Exporter`` (print, preview, PDF),
``ReadingSettings``, ``StatusBar``, and the menus of ``menus.MENU_TABLE``, whose actions call the
methods of the same name here (or on a part: "tabs.close_tab").
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
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
from .dialogs import _rich_dialog as rich_dialog
from .dialogs import about_html, intended_use_dialog, shortcuts_dialog
from .evidence_views import EvidenceViews
from .exporter import Exporter
from .find_bar import FindBar
from .link_router import LinkRouter
from .menus import build_menus
from .outline import Outline
from .page_output import PageOutput
from .reader import page_document_html
from .reader_tabs import ReaderTabs
from .reading_settings import ReadingSettings
from .richtext import plain_rich
from .search_pane import SearchPane
from .sidebar import BOOKMARKS, HISTORY, Sidebar
from .status_bar import StatusBar
from .window_size import first_size, restore_layout, save_layout

WHATS_NEW = "whats-new"
NOTICE_KEY = "intended_use_ack"
VIEW_TITLES = {"trials": "Trial explorer", "map": "Mechanism ↔ strategy map"}


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
        self.reading = ReadingSettings(userdata, self)
        self._build_parts()
        self.actions_ = build_menus(self, self, self.reading.set_theme, self.reading.theme_mode)
        self._wire()
        self.reading.set_theme(self.reading.theme_mode, save=False)
        self._restore_state()
        if self.user.recovered:
            message = plain_rich(self.user.recovered)
            QTimer.singleShot(0, lambda: QMessageBox.warning(self, "LenRef user data", message))
        if show_notice and not self.user.get(NOTICE_KEY):
            QTimer.singleShot(0, self.show_intended_use)

    def _build_parts(self) -> None:
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 6, 8, 4)
        self.search = SearchPane(self.lib, self.user, central)
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
        self.links = LinkRouter(self.lib, self)
        self.tabs = ReaderTabs(self.lib, self._page_html, self.links.citation_preview)
        self.find_bar = FindBar(self.reader_panel)
        panel.addWidget(self.tabs, 1)
        panel.addWidget(self.find_bar)
        self.center.addWidget(self.reader_panel)
        self.evidence = EvidenceViews(self.lib, self.center, self.reading.colors)
        self.outline = Outline(self.splitter)
        for i, stretch in enumerate((0, 1, 0)):
            self.splitter.setStretchFactor(i, stretch)
        self.splitter.setSizes([300, 820, 220])
        outer.addWidget(self.search)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._build_output()
        self.resize(first_size(self, QGuiApplication.primaryScreen()))

    def _build_output(self) -> None:
        """Export and print, and the status bar they report to."""
        self.exporter = Exporter(self.user, self)
        self.output = PageOutput(
            self.lib, self.tabs, self.center, self.evidence, self.exporter, self._page_html
        )
        version = (
            f"LenRef {self.lib.meta.get('app_version', '')} · content {self.lib.content_version}"
        )
        self.status = StatusBar(
            f"{version} · {len(self._titles)} pages · offline",
            self.lib.page_info(WHATS_NEW) is not None,
            self.user.degraded,
            self,
        )
        self.setStatusBar(self.status)

    def _wire(self) -> None:
        s, t, say = self.search, self.tabs, self.status.say
        s.hitActivated.connect(self._open_hit)
        s.resultsVisible.connect(lambda on: self.left.setCurrentIndex(1 if on else 0))
        s.searchShown.connect(self.searchShown.emit)
        s.leftSearch.connect(lambda: self.reader.setFocus())
        s.failed.connect(lambda m: say(f"Search failed: {m}"))
        self.sidebar.openRequested.connect(self.open_page)
        self.sidebar.bookmarksChanged.connect(self._update_nav)
        self.sidebar.message.connect(say)
        t.pageShown.connect(self._on_page_shown)
        t.currentPageChanged.connect(self._on_current_page)
        t.linkActivated.connect(self.links.on_link)
        t.linkInNewTab.connect(lambda url: self.links.on_link(url, new_tab=True))
        t.sectionChanged.connect(self.outline.select)
        t.navigationChanged.connect(self._update_nav)
        t.missingPage.connect(lambda p: say(f"There is no page '{p}' in this version of LenRef."))
        t.tabLimitReached.connect(
            lambda n: say(f"{n} tabs are open, the most LenRef keeps: close one (Ctrl+W).")
        )
        self.links.openPage.connect(self.open_page)
        self.links.anchorRequested.connect(lambda a: self.reader.go_to_anchor(a))
        self.links.message.connect(say)
        self.outline.anchorRequested.connect(lambda a: self.reader.go_to_anchor(a))
        self.find_bar.findRequested.connect(
            lambda text, i: self.find_bar.show_count(self.reader.find_all(text, i))
        )
        self.find_bar.closed.connect(self._find_closed)
        self.evidence.openPage.connect(self.open_page)
        self.evidence.openSource.connect(self.links.show_source)
        self.evidence.exportRequested.connect(self.output.export_summary)
        self.evidence.previewRequested.connect(self.output.preview_current)
        self.exporter.message.connect(say)
        self.output.message.connect(say)
        self.reading.changed.connect(self._restyle)
        self.status.whatsNewRequested.connect(self.show_whats_new)

    # -- the current tab ------------------------------------------------------------------
    @property
    def reader(self):
        return self.tabs.reader

    @property
    def current_page(self) -> Page | None:
        return self.tabs.reader.page

    def _page_html(self, page: Page, colors: theme.Colors) -> str:
        return page_document_html(page, colors, self.lib.content_version)

    def open_page(self, page_id: str, anchor: str = "", new_tab: bool = False) -> bool:
        """Show a page at ``anchor`` (in a new tab if asked); False, with a message, if unknown."""
        self.show_reader()
        return self.tabs.open_page(page_id, anchor, new_tab=new_tab)

    def _open_hit(self, page: str, anchor: str, terms: list[str], new_tab: bool) -> None:
        self.show_reader()
        if self.tabs.open_page(page, anchor, terms=terms, new_tab=new_tab):
            self.reader.setFocus()

    def _on_page_shown(self, page_id: str, anchor: str) -> None:
        try:
            self.user.add_visit(page_id, anchor, self._titles.get(page_id, page_id))
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
        self.actions_["go_back"].setEnabled(self.reader.history.can_go_back)
        self.actions_["go_forward"].setEnabled(self.reader.history.can_go_forward)
        page = self.current_page
        marked = page is not None and any(
            self.user.is_bookmarked(page.id, a) for a in {self.reader.current_section(), ""}
        )
        self.actions_["star"].setText("★ Bookmarked" if marked else "☆ Bookmark")

    def _restyle(self) -> None:
        self.evidence.set_colors(self.reading.colors)
        self.search.set_colors(self.reading.colors)
        self.tabs.set_style(self.reading.colors, self.reading.font_pt)
        mode = self.reading.theme_mode
        if mode in self.actions_.themes:
            self.actions_.themes[mode].setChecked(True)

    # -- menu actions (names as in menus.MENU_TABLE) --------------------------------------
    def new_tab(self) -> None:
        page = self.current_page
        self.open_page(page.id if page else self.lib.pages()[0].id, new_tab=True)

    def go_back(self) -> None:
        self.show_reader()
        self.tabs.back()

    def go_forward(self) -> None:
        self.show_reader()
        self.tabs.forward()

    def open_find(self) -> None:
        self.show_reader()
        self.find_bar.open()

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

    # -- views and dialogs ----------------------------------------------------------------
    def show_reader(self) -> None:
        if self.center.currentWidget() is not self.reader_panel:
            self.center.setCurrentWidget(self.reader_panel)
            self.outline.show()
            self._on_current_page()  # the title names the page again

    def show_trials(self) -> QWidget:
        return self._show_view("trials")

    def show_map(self) -> QWidget:
        return self._show_view("map")

    def _show_view(self, name: str) -> QWidget:
        view = self.evidence.view(name)
        self.center.setCurrentWidget(view)
        self.outline.hide()
        self.setWindowTitle(f"{VIEW_TITLES[name]} — LenRef")
        return view

    def show_shortcuts(self) -> None:
        shortcuts_dialog(self, self.actions_.shortcuts).exec()

    def show_intended_use(self) -> None:
        self._notice = intended_use_dialog(self)
        self._notice.accepted.connect(lambda: self.user.set(NOTICE_KEY, True))
        self._notice.open()

    def show_about(self) -> None:
        body = about_html(
            self.lib.content_version,
            self.lib.meta.get("built_at", ""),
            len(self._titles),
            len(self.lib.references()),
        )
        link = lambda url: self.links.on_link(url) if url.scheme() == "page" else None  # noqa: E731
        rich_dialog(self, "About LenRef", body, on_link=link).exec()

    def show_whats_new(self) -> None:
        """The content change log page (content/pages/background/whats-new.md)."""
        self.open_page(WHATS_NEW)

    # -- window state ---------------------------------------------------------------------
    def _restore_state(self) -> None:
        restore_layout(self, self.splitter, self.user)
        last = self.user.get("last_page")
        first = last if isinstance(last, str) and last in self._titles else None
        self.tabs.restore(self.user.get("tabs"), first or next(iter(self._titles), None))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not getattr(self, "_closed", False):
            self._closed = True
            save_layout(self, self.splitter, self.user)
            with contextlib.suppress(UserDataError):  # the tabs are a convenience
                self.user.set("tabs", self.tabs.state())
            self.search.shutdown()
        super().closeEvent(event)


__all__ = ["MainWindow", "PARTS"]
