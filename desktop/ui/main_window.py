"""The main window: search box on top, sidebar (contents / results / bookmarks / history), reader,
page outline, trial explorer and mechanism map, with menus and shortcuts modelled on a browser.

All data comes from desktop.core.library.Library (the façade) and desktop.core.userdata.UserData.
"""

from __future__ import annotations

import contextlib
import html
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.filenames import safe_filename
from ..core.library import Library
from ..core.model import PARTS, SearchHit, SearchResult
from ..core.userdata import UserData, UserDataError
from . import theme
from .dialogs import (
    SourceCard,
    _rich_dialog,
    about_html,
    confirm_external,
    intended_use_dialog,
    shortcuts_dialog,
)
from .print_document import PrintDocument
from .reader import Reader, page_document_html
from .richtext import plain_rich
from .search_panel import HitDelegate, ResultsModel, SearchController

log = logging.getLogger("lenref")
DEFAULT_FONT_PT = 11.0
WHATS_NEW = "whats-new"
NOTICE_KEY = "intended_use_ack"


@dataclass(frozen=True)
class Location:
    page: str
    anchor: str = ""


def _key_sequences(keys: list) -> list[QKeySequence]:
    """Every binding of ``keys`` once: on Linux StandardKey.Back *is* Alt+Left, and an action that
    lists the same key twice makes Qt report an ambiguous shortcut and ignore the key."""
    seen: dict[str, QKeySequence] = {}
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            bindings = QKeySequence.keyBindings(key)
        else:
            bindings = [QKeySequence(key)]
        for seq in bindings:
            seen.setdefault(seq.toString(), seq)
    return list(seen.values())


class MainWindow(QMainWindow):
    """The LenRef window. ``pageShown(page_id, anchor)`` fires after every navigation."""

    pageShown = Signal(str, str)  # noqa: N815
    searchShown = Signal(object)  # noqa: N815 - the SearchResult painted in the results list

    def __init__(self, library: Library, userdata: UserData, show_notice: bool = True) -> None:
        super().__init__()
        self.lib = library
        self.user = userdata
        self._titles = {info.id: info.title for info in library.pages()}
        self.setWindowTitle("LenRef — lenalidomide resistance in multiple myeloma")
        self.setObjectName("mainWindow")
        self.back_stack: list[Location] = []
        self.forward_stack: list[Location] = []
        self.current: Location | None = None
        # Reading size follows the system font (so OS text scaling applies) unless the user chose one.
        app_pt = QApplication.font().pointSizeF()
        self.default_pt = max(DEFAULT_FONT_PT, app_pt + 1.0) if app_pt > 0 else DEFAULT_FONT_PT
        saved = self.user.get("font_pt")
        self.font_pt = (
            float(saved) if isinstance(saved, int | float) and saved > 0 else self.default_pt
        )
        self.theme_mode = self.user.get("theme", "system")
        if self.theme_mode not in ("light", "dark", "system"):
            self.theme_mode = "system"
        self.colors = theme.resolve(self.theme_mode)
        self._last_result: SearchResult | None = None
        self._find_index = 0

        self._build_widgets()
        self._build_actions()
        self.apply_theme(self.theme_mode, save=False)
        self._fill_contents()
        self.refresh_bookmarks()
        self.refresh_history()
        self._restore_state()
        self._status_default()
        if self.user.recovered:
            QTimer.singleShot(
                0,
                lambda: QMessageBox.warning(
                    self, "LenRef user data", plain_rich(self.user.recovered or "")
                ),
            )
        if show_notice and not self.user.get(NOTICE_KEY):
            QTimer.singleShot(0, self.show_intended_use_first_run)
        first = self.user.get("last_page")
        if not (isinstance(first, str) and self.lib.page_info(first)):
            pages = self.lib.pages()
            first = pages[0].id if pages else None
        if first:
            self.open_page(first, record=False)

    # -- construction ---------------------------------------------------------------------
    def _build_widgets(self) -> None:
        central = QWidget(self)
        outer = QVBoxLayout(central)
        outer.setContentsMargins(8, 6, 8, 4)
        outer.setSpacing(6)

        top = QHBoxLayout()
        self.search_box = QLineEdit(central)
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText(
            "Search LenRef  (Ctrl+K)   e.g. cereblon, DPd, IKZF1, len-refractory"
        )
        self.search_box.setAccessibleName("Search")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)
        self.scope = QComboBox(central)
        self.scope.setAccessibleName("Search scope")
        self.scope.addItem("All parts", None)
        for part, title in self.lib.parts():
            self.scope.addItem(title, part)
        top.addWidget(self.search_box, 1)
        top.addWidget(self.scope)
        outer.addLayout(top)

        self.search_info = QLabel("", central)
        self.search_info.setObjectName("muted")
        self.search_info.setAccessibleName("Search information")
        self.search_info.setTextFormat(Qt.TextFormat.RichText)
        self.search_info.linkActivated.connect(self._on_info_link)
        self.search_info.hide()
        outer.addWidget(self.search_info)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setObjectName("mainSplitter")
        # Sidebar: contents / bookmarks / history tabs, replaced by results while searching.
        self.sidebar = QStackedWidget(self.splitter)
        self.tabs = QTabWidget(self.sidebar)
        self.tabs.setAccessibleName("Sidebar")
        self.tree = QTreeWidget(self.tabs)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Contents")
        self.tree.itemActivated.connect(self._on_tree_item)
        self.tree.itemClicked.connect(self._on_tree_item)
        self.tabs.addTab(self.tree, "Contents")
        self.bookmark_list = QListWidget(self.tabs)
        self.bookmark_list.setAccessibleName("Bookmarks")
        self.bookmark_list.itemActivated.connect(self._on_location_item)
        self.bookmark_list.itemClicked.connect(self._on_location_item)
        self.bookmark_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.bookmark_list.customContextMenuRequested.connect(self._bookmark_menu)
        bm_panel = QWidget(self.tabs)
        bm_layout = QVBoxLayout(bm_panel)
        bm_layout.setContentsMargins(0, 0, 0, 0)
        bm_layout.addWidget(self.bookmark_list)
        bm_buttons = QHBoxLayout()
        for text, slot in (
            ("Rename", self.rename_bookmark),
            ("Delete", self.delete_bookmark),
            ("Export…", self.export_bookmarks),
            ("Import…", self.import_bookmarks),
        ):
            b = QPushButton(text, bm_panel)
            b.setAccessibleName(
                f"{text.rstrip('…')} bookmark"
                if text in ("Rename", "Delete")
                else f"{text.rstrip('…')} bookmarks"
            )
            b.clicked.connect(slot)
            bm_buttons.addWidget(b)
        bm_layout.addLayout(bm_buttons)
        self.tabs.addTab(bm_panel, "Bookmarks")
        hist_panel = QWidget(self.tabs)
        hist_layout = QVBoxLayout(hist_panel)
        hist_layout.setContentsMargins(0, 0, 0, 0)
        self.history_list = QListWidget(hist_panel)
        self.history_list.setAccessibleName("History")
        self.history_list.itemActivated.connect(self._on_location_item)
        self.history_list.itemClicked.connect(self._on_location_item)
        hist_layout.addWidget(self.history_list)
        clear = QPushButton("Clear history", hist_panel)
        clear.setAccessibleName("Clear history")
        clear.clicked.connect(self.clear_history)
        hist_layout.addWidget(clear)
        self.tabs.addTab(hist_panel, "History")
        self.sidebar.addWidget(self.tabs)

        self.results_view = QListView(self.sidebar)
        self.results_view.setObjectName("searchResults")
        self.results_view.setAccessibleName("Search results")
        self.results_model = ResultsModel(self)
        self.results_delegate = HitDelegate(self.results_view)
        self.results_view.setModel(self.results_model)
        self.results_view.setItemDelegate(self.results_delegate)
        self.results_view.setUniformItemSizes(False)
        self.results_view.setWordWrap(True)
        self.results_view.activated.connect(self._open_result_index)
        self.results_view.clicked.connect(self._open_result_index)
        self.results_view.installEventFilter(self)
        self.sidebar.addWidget(self.results_view)

        # Centre: reader with find bar; stacked with the evidence views.
        self.center = QStackedWidget(self.splitter)
        reader_panel = QWidget(self.center)
        rp = QVBoxLayout(reader_panel)
        rp.setContentsMargins(0, 0, 0, 0)
        rp.setSpacing(0)
        self.reader = Reader(self.lib.image, reader_panel)
        self.reader.linkActivated.connect(self.on_link)
        self.reader.sectionChanged.connect(self._on_section_changed)
        self.reader.backRequested = self.go_back  # type: ignore[method-assign]
        self.reader.forwardRequested = self.go_forward  # type: ignore[method-assign]
        rp.addWidget(self.reader, 1)
        self.find_bar = QFrame(reader_panel)
        self.find_bar.setObjectName("findBar")
        fb = QHBoxLayout(self.find_bar)
        fb.setContentsMargins(6, 4, 6, 4)
        self.find_box = QLineEdit(self.find_bar)
        self.find_box.setPlaceholderText("Find in page")
        self.find_box.setAccessibleName("Find in page")
        self.find_box.textChanged.connect(lambda _: self.find(0))
        self.find_box.returnPressed.connect(self.find_next)
        self.find_box.installEventFilter(self)
        self.find_count = QLabel("", self.find_bar)
        self.find_count.setAccessibleName("Match count")
        prev_b = QPushButton("Previous", self.find_bar)
        prev_b.setAccessibleName("Previous match")
        prev_b.clicked.connect(self.find_previous)
        next_b = QPushButton("Next", self.find_bar)
        next_b.setAccessibleName("Next match")
        next_b.clicked.connect(self.find_next)
        close_b = QPushButton("Close", self.find_bar)
        close_b.setAccessibleName("Close find bar")
        close_b.clicked.connect(self.close_find)
        for w in (self.find_box, self.find_count, prev_b, next_b, close_b):
            fb.addWidget(w)
        self.find_bar.hide()
        rp.addWidget(self.find_bar)
        self.center.addWidget(reader_panel)
        self.reader_panel = reader_panel

        # Right: outline of the current page.
        self.outline = QListWidget(self.splitter)
        self.outline.setAccessibleName("Page outline")
        self.outline.itemClicked.connect(self._on_outline_item)
        self.outline.itemActivated.connect(self._on_outline_item)

        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.center)
        self.splitter.addWidget(self.outline)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setSizes([300, 820, 220])
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.search = SearchController(
            lambda text, part: self.lib.search(text, part=part, limit=30), self
        )
        self.search.results.connect(self._show_results)
        self.search.cleared.connect(self._search_cleared)
        self.search.error.connect(
            lambda m: self.statusBar().showMessage(f"Search failed: {m}", 5000)
        )
        self.search_box.textChanged.connect(self.search.query_changed)
        self.search_box.textChanged.connect(self._on_search_text)
        self.search_box.returnPressed.connect(self._open_first_result)
        self.scope.currentIndexChanged.connect(
            lambda _: self.search.set_part(self.scope.currentData())
        )

        self.evidence_views: dict[str, QWidget] = {}
        self.resize(1320, 860)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:  # never start wider or taller than the screen's free area
            free = screen.availableGeometry()
            # resize() sets the client area; the window manager adds a title bar and borders,
            # which at 1280×800 pushed the status bar below the screen's edge.
            title = self.style().pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight)
            border = 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth)
            self.resize(min(1320, free.width() - border), min(860, free.height() - title - border))

    def _build_actions(self) -> None:
        tb = QToolBar("Navigation", self)
        tb.setObjectName("navToolbar")
        tb.setMovable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)

        def act(text: str, slot, keys=None, tip: str = "", menu: QMenu | None = None) -> QAction:
            a = QAction(text, self)
            if keys:
                a.setShortcuts(_key_sequences(keys if isinstance(keys, list) else [keys]))
            a.triggered.connect(slot)
            a.setToolTip(tip or text)
            self.addAction(a)
            if menu is not None:
                menu.addAction(a)
            return a

        mb = self.menuBar()
        file_m = mb.addMenu("&File")
        self.act_print = act("Print…", self.print_page, QKeySequence.StandardKey.Print, menu=file_m)
        self.act_pdf = act("Export page to PDF…", lambda: self.export_pdf(), "Ctrl+E", menu=file_m)
        self.act_cite = act(
            "Copy citation of this page", self.copy_citation, "Ctrl+Shift+C", menu=file_m
        )
        file_m.addSeparator()
        act("Quit", self.close, QKeySequence.StandardKey.Quit, menu=file_m)

        go_m = mb.addMenu("&Go")
        self.act_back = act(
            "Back", self.go_back, [QKeySequence.StandardKey.Back, "Alt+Left"], menu=go_m
        )
        self.act_forward = act(
            "Forward", self.go_forward, [QKeySequence.StandardKey.Forward, "Alt+Right"], menu=go_m
        )
        act("Search", self.focus_search, ["Ctrl+K", "Ctrl+L"], menu=go_m)
        act("Find in page", self.open_find, QKeySequence.StandardKey.Find, menu=go_m)
        act("Find next", self.find_next, "F3", menu=go_m)
        act("Find previous", self.find_previous, "Shift+F3", menu=go_m)
        go_m.addSeparator()
        act("Reader", self.show_reader, "Ctrl+Shift+R", menu=go_m)
        act("Trial explorer", self.show_trials, "Ctrl+Shift+T", menu=go_m)
        act("Mechanism ↔ strategy map", self.show_map, "Ctrl+Shift+M", menu=go_m)

        bm_m = mb.addMenu("&Bookmarks")
        act("Bookmark this page", self.bookmark_current, "Ctrl+D", menu=bm_m)
        act("Show bookmarks", lambda: self._show_tab(1), "Ctrl+B", menu=bm_m)
        act("Show history", lambda: self._show_tab(2), "Ctrl+H", menu=bm_m)
        bm_m.addSeparator()
        act("Export bookmarks…", self.export_bookmarks, menu=bm_m)
        act("Import bookmarks…", self.import_bookmarks, menu=bm_m)
        act("Clear history", self.clear_history, menu=bm_m)

        view_m = mb.addMenu("&View")
        act(
            "Larger text",
            lambda: self.set_font(self.font_pt + 1),
            [QKeySequence.StandardKey.ZoomIn, "Ctrl+="],
            menu=view_m,
        )
        act(
            "Smaller text",
            lambda: self.set_font(self.font_pt - 1),
            QKeySequence.StandardKey.ZoomOut,
            menu=view_m,
        )
        act("Default text size", lambda: self.set_font(self.default_pt), "Ctrl+0", menu=view_m)
        view_m.addSeparator()
        theme_m = view_m.addMenu("Theme")
        group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for mode, label in (("light", "Light"), ("dark", "Dark"), ("system", "Follow system")):
            a = QAction(label, self, checkable=True)
            a.setChecked(mode == self.theme_mode)
            a.triggered.connect(lambda _=False, m=mode: self.apply_theme(m))
            group.addAction(a)
            theme_m.addAction(a)
            self.theme_actions[mode] = a

        help_m = mb.addMenu("&Help")
        act("Keyboard shortcuts", lambda: shortcuts_dialog(self).exec(), "F1", menu=help_m)
        act("Intended use", lambda: intended_use_dialog(self).exec(), menu=help_m)
        act("What's new", self.show_whats_new, menu=help_m)
        act("About LenRef", self.show_about, menu=help_m)

        for a in (self.act_back, self.act_forward):
            tb.addAction(a)
        tb.addSeparator()
        for text, slot in (
            ("Reader", self.show_reader),
            ("Trials", self.show_trials),
            ("Map", self.show_map),
        ):
            a = QAction(text, self)
            a.triggered.connect(slot)
            tb.addAction(a)
        tb.addSeparator()
        star = QAction("☆ Bookmark", self)
        star.triggered.connect(self.bookmark_current)
        tb.addAction(star)
        self.star_action = star
        tb.addAction(self.act_pdf)
        tb.addAction(self.act_cite)
        # "/" focuses search unless the user is typing in a text field.
        slash = QShortcut(QKeySequence("/"), self)
        slash.setContext(Qt.ShortcutContext.WindowShortcut)
        slash.activated.connect(self.focus_search)
        self._update_nav()

    # -- contents tree --------------------------------------------------------------------
    def _fill_contents(self) -> None:
        self.tree.clear()
        self._tree_items: dict[str, QTreeWidgetItem] = {}
        for part, title in self.lib.parts():
            parent = QTreeWidgetItem([title])
            parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            font = parent.font(0)
            font.setBold(True)
            parent.setFont(0, font)
            self.tree.addTopLevelItem(parent)
            for info in self.lib.pages(part):
                item = QTreeWidgetItem([info.title])
                item.setData(0, Qt.ItemDataRole.UserRole, info.id)
                item.setToolTip(0, plain_rich(info.summary))
                parent.addChild(item)
                self._tree_items[info.id] = item
            parent.setExpanded(True)

    def _on_tree_item(self, item: QTreeWidgetItem, _col: int = 0) -> None:
        page_id = item.data(0, Qt.ItemDataRole.UserRole)
        if page_id:
            self.open_page(page_id)

    # -- navigation -----------------------------------------------------------------------
    def open_page(
        self, page_id: str, anchor: str = "", record: bool = True, terms: list[str] | None = None
    ) -> bool:
        """Show a page at ``anchor``; returns False (with a status message) for unknown pages."""
        try:
            page = self.lib.page(page_id)
        except KeyError:
            self.statusBar().showMessage(
                f"There is no page '{page_id}' in this version of LenRef.", 6000
            )
            return False
        if record and self.current is not None:
            here = Location(self.current.page, self.reader.current_section())
            if here != Location(page_id, anchor):
                self.back_stack.append(here)
                self.forward_stack.clear()
        self._display(page, anchor, terms)
        return True

    def _page_html(self, page, colors: theme.Colors) -> str:
        return page_document_html(page, colors, self.lib.content_version, titles=self._titles)

    def _display(self, page, anchor: str, terms: list[str] | None) -> None:
        self.show_reader()
        self.current = Location(page.id, anchor)
        self._current_page = page
        self.reader.show_html(self._page_html(page, self.colors))
        self.outline.clear()
        top = QListWidgetItem(page.title)
        top.setData(Qt.ItemDataRole.UserRole, "")
        self.outline.addItem(top)
        for a, heading in page.sections:
            item = QListWidgetItem(heading)
            item.setData(Qt.ItemDataRole.UserRole, a)
            self.outline.addItem(item)
        refs = QListWidgetItem("References")
        refs.setData(Qt.ItemDataRole.UserRole, "references")
        if page.references:
            self.outline.addItem(refs)
        self.reader.highlight_terms(terms or [])
        # Scroll after layout so the anchor position is known.
        QTimer.singleShot(0, lambda: self.reader.go_to_anchor(anchor))
        self.reader.go_to_anchor(anchor)
        item = self._tree_items.get(page.id)
        if item:
            self.tree.setCurrentItem(item)
        self._select_outline(anchor)
        self.setWindowTitle(f"{page.title} — LenRef")
        try:
            self.user.add_visit(page.id, anchor, page.title)
            self.user.set("last_page", page.id)
        except UserDataError as exc:
            self.statusBar().showMessage(str(exc), 8000)
        self.refresh_history()
        self._update_nav()
        if self.find_bar.isVisible() and self.find_box.text():
            self.find(0)
        self.pageShown.emit(page.id, anchor)

    def _on_section_changed(self, anchor: str) -> None:
        self._select_outline(anchor)

    def _select_outline(self, anchor: str) -> None:
        for i in range(self.outline.count()):
            item = self.outline.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == anchor:
                self.outline.blockSignals(True)
                self.outline.setCurrentItem(item)
                self.outline.blockSignals(False)
                return

    def _on_outline_item(self, item: QListWidgetItem) -> None:
        anchor = item.data(Qt.ItemDataRole.UserRole) or ""
        self.reader.go_to_anchor(anchor)

    def go_back(self) -> None:
        if not self.back_stack or self.current is None:
            return
        target = self.back_stack.pop()
        self.forward_stack.append(Location(self.current.page, self.reader.current_section()))
        self._goto(target)

    def go_forward(self) -> None:
        if not self.forward_stack or self.current is None:
            return
        target = self.forward_stack.pop()
        self.back_stack.append(Location(self.current.page, self.reader.current_section()))
        self._goto(target)

    def _goto(self, loc: Location) -> None:
        try:
            self._display(self.lib.page(loc.page), loc.anchor, None)
        except KeyError:
            self.statusBar().showMessage(f"Page '{loc.page}' is no longer in LenRef.", 6000)

    def _update_nav(self) -> None:
        self.act_back.setEnabled(bool(self.back_stack))
        self.act_forward.setEnabled(bool(self.forward_stack))
        if self.current is not None and hasattr(self, "star_action"):
            marked = self.user.is_bookmarked(
                self.current.page, self.reader.current_section() or ""
            ) or self.user.is_bookmarked(self.current.page, "")
            self.star_action.setText("★ Bookmarked" if marked else "☆ Bookmark")

    def on_link(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == "page":
            target = url.path() or url.toString()[5:].split("#")[0]
            self.open_page(target, url.fragment())
        elif scheme == "cite":
            key = url.path()
            locator = unquote(parse_qs(url.query()).get("loc", [""])[0])
            self.show_source(key, locator)
        elif scheme in ("http", "https"):
            self.open_external(url)
        elif not scheme and url.fragment():
            self.reader.go_to_anchor(url.fragment())
        else:
            self.statusBar().showMessage(f"Links of type '{scheme}' are not opened.", 5000)

    def open_external(self, url: QUrl) -> None:
        """External links open in the system browser only after the user confirms the address."""
        if url.scheme() not in ("http", "https"):
            return
        if confirm_external(self, url):
            QDesktopServices.openUrl(url)

    def show_source(self, key: str, locator: str = "") -> SourceCard | None:
        ref = self.lib.reference(key)
        if ref is None:
            self.statusBar().showMessage(f"Unknown source '{key}'.", 5000)
            return None
        card = SourceCard(ref, locator, self.open_external, self)
        card.setModal(False)
        card.show()
        self._source_card = card
        return card

    # -- search ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()
        if not self.search_box.text():
            self._show_recent()

    def _on_search_text(self, text: str) -> None:
        if text.strip():
            self.sidebar.setCurrentWidget(self.results_view)

    def _search_cleared(self) -> None:
        self._last_result = None
        self.search_info.hide()
        if self.search_box.hasFocus():
            self._show_recent()
        else:
            self.sidebar.setCurrentWidget(self.tabs)

    def _show_recent(self) -> None:
        recent = self.user.recent_searches()
        if recent:
            self.results_model.set_recent(recent)
            self.sidebar.setCurrentWidget(self.results_view)
            self.search_info.setText("Recent searches")
            self.search_info.show()

    def _show_results(self, result: SearchResult) -> None:
        self._last_result = result
        self.results_model.set_hits(list(result.hits))
        self.sidebar.setCurrentWidget(self.results_view)
        if result.hits:
            self.results_view.setCurrentIndex(self.results_model.index(0, 0))
        info = []
        if result.did_you_mean:
            link = f'<a href="dym">{html.escape(result.did_you_mean)}</a>'
            if result.corrected:
                info.append(f"No results for “{html.escape(result.query)}”; showing {link}")
            else:
                info.append(f"Did you mean {link}?")
        if result.also_searched:
            info.append("Also searched: " + html.escape("; ".join(result.also_searched)))
        if not result.hits:
            info.append(
                f"No results for “{html.escape(result.query)}”. Try fewer or shorter words."
            )
        else:
            n = len(result.hits)
            shown = result.did_you_mean if result.corrected else result.query
            info.append(f"{n} result{'s' if n != 1 else ''} for “{html.escape(shown or '')}”")
        self.search_info.setText(" · ".join(info))
        self.search_info.show()
        self.searchShown.emit(result)

    def _on_info_link(self, link: str) -> None:
        if link == "dym" and self._last_result and self._last_result.did_you_mean:
            self.search_box.setText(self._last_result.did_you_mean)

    def _open_result_index(self, index: QModelIndex) -> None:
        value = index.data(ResultsModel.HitRole)
        if isinstance(value, SearchHit):
            terms = list(self._last_result.terms) if self._last_result else []
            with contextlib.suppress(UserDataError):  # a full disk must not block reading
                self.user.add_search(self.search_box.text())
            self.open_page(value.page, value.anchor, terms=terms)
            self.reader.setFocus()
        elif isinstance(value, str):
            self.search_box.setText(value)

    def _open_first_result(self) -> None:
        index = self.results_view.currentIndex()
        if not index.isValid() and self.results_model.rowCount() and self._last_result is not None:
            index = self.results_model.index(0, 0)
        if (
            index.isValid()
            and self._last_result is not None
            and self._last_result.query == self.search_box.text()
        ):
            self._open_result_index(index)
        elif self.search_box.text().strip():
            # Enter before the results arrived: search synchronously so Enter is never lost.
            result = self.lib.search(
                self.search_box.text(), part=self.scope.currentData(), limit=30
            )
            self._show_results(result)
            if result.hits:
                self._open_result_index(self.results_model.index(0, 0))

    def leave_search(self) -> None:
        self.search_box.blockSignals(True)
        self.search_box.clear()
        self.search_box.blockSignals(False)
        self.search.query_changed("")
        self.sidebar.setCurrentWidget(self.tabs)
        self.search_info.hide()
        self.reader.setFocus()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            if obj is self.search_box:
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                    rows = self.results_model.rowCount()
                    if rows:
                        cur = self.results_view.currentIndex().row()
                        cur = (
                            (cur + (1 if key == Qt.Key.Key_Down else -1)) % rows if cur >= 0 else 0
                        )
                        self.results_view.setCurrentIndex(self.results_model.index(cur, 0))
                    return True
                if key == Qt.Key.Key_Escape:
                    self.leave_search()
                    return True
            elif obj is self.results_view and key == Qt.Key.Key_Escape:
                self.leave_search()
                return True
            elif obj is self.find_box and key == Qt.Key.Key_Escape:
                self.close_find()
                return True
        elif (
            event.type() == QEvent.Type.FocusIn
            and obj is self.search_box
            and not self.search_box.text()
        ):
            QTimer.singleShot(0, self._show_recent)
        return super().eventFilter(obj, event)

    # -- find in page ---------------------------------------------------------------------
    def open_find(self) -> None:
        self.show_reader()
        self.find_bar.show()
        self.find_box.setFocus()
        self.find_box.selectAll()
        if self.find_box.text():
            self.find(self._find_index)

    def find(self, index: int) -> int:
        self._find_index = index
        count = self.reader.find_all(self.find_box.text(), index)
        if not self.find_box.text():
            self.find_count.setText("")
        elif count:
            self.find_count.setText(f"{(index % count) + 1} of {count}")
        else:
            self.find_count.setText("No matches")
        return count

    def find_next(self) -> None:
        self.find(self._find_index + 1)

    def find_previous(self) -> None:
        self.find(self._find_index - 1)

    def close_find(self) -> None:
        self.find_bar.hide()
        self.reader.find_all("")
        self.reader.setFocus()

    # -- bookmarks and history --------------------------------------------------------------
    def bookmark_current(self) -> None:
        if self.current is None:
            return
        anchor = self.reader.current_section()
        info = self.lib.page_info(self.current.page)
        title = info.title if info else self.current.page
        if anchor:
            heading = dict(self._current_page.sections).get(anchor)
            if heading:
                title = f"{title} › {heading}"
        try:
            self.user.add_bookmark(self.current.page, anchor, title)
        except UserDataError as exc:
            QMessageBox.warning(self, "Bookmark not saved", plain_rich(exc))
            return
        self.refresh_bookmarks()
        self._update_nav()
        self.statusBar().showMessage(f"Bookmarked: {title}", 4000)

    def refresh_bookmarks(self) -> None:
        self.bookmark_list.clear()
        for b in self.user.bookmarks():
            item = QListWidgetItem(b.title)
            item.setData(Qt.ItemDataRole.UserRole, (b.page, b.anchor, b.id))
            if not self.lib.page_info(b.page):
                item.setToolTip("This page is not in the current content")
            self.bookmark_list.addItem(item)

    def refresh_history(self) -> None:
        self.history_list.clear()
        for v in self.user.history(100):
            item = QListWidgetItem(f"{v.title}  ·  {v.visited.replace('T', ' ')[:16]}")
            item.setData(Qt.ItemDataRole.UserRole, (v.page, v.anchor, v.id))
            self.history_list.addItem(item)

    def _on_location_item(self, item: QListWidgetItem) -> None:
        page, anchor, _ = item.data(Qt.ItemDataRole.UserRole)
        self.open_page(page, anchor)

    def _selected_bookmark(self) -> tuple[int, str] | None:
        item = self.bookmark_list.currentItem()
        if item is None:
            return None
        return item.data(Qt.ItemDataRole.UserRole)[2], item.text()

    def _bookmark_menu(self, pos) -> None:
        menu = QMenu(self)
        menu.addAction("Rename…", self.rename_bookmark)
        menu.addAction("Delete", self.delete_bookmark)
        menu.exec(self.bookmark_list.mapToGlobal(pos))

    def rename_bookmark(self, new_title: str | None = None) -> None:
        sel = self._selected_bookmark()
        if sel is None:
            return
        if not isinstance(new_title, str):
            new_title, ok = QInputDialog.getText(self, "Rename bookmark", "Name:", text=sel[1])
            if not ok:
                return
        if new_title.strip():
            self.user.rename_bookmark(sel[0], new_title.strip())
            self.refresh_bookmarks()

    def delete_bookmark(self) -> None:
        sel = self._selected_bookmark()
        if sel is not None:
            self.user.delete_bookmark(sel[0])
            self.refresh_bookmarks()
            self._update_nav()

    def export_bookmarks(self, path: str | None = None) -> None:
        if not isinstance(path, str):
            path, _ = QFileDialog.getSaveFileName(
                self, "Export bookmarks", "lenref-bookmarks.json", "JSON (*.json)"
            )
        if path:
            try:
                n = self.user.export_bookmarks(Path(path))
                self.statusBar().showMessage(f"Exported {n} bookmarks to {path}", 5000)
            except UserDataError as exc:
                QMessageBox.warning(self, "Export failed", plain_rich(exc))

    def import_bookmarks(self, path: str | None = None) -> None:
        if not isinstance(path, str):
            path, _ = QFileDialog.getOpenFileName(self, "Import bookmarks", "", "JSON (*.json)")
        if path:
            try:
                n = self.user.import_bookmarks(Path(path))
                self.refresh_bookmarks()
                self.statusBar().showMessage(f"Imported {n} bookmarks", 5000)
            except UserDataError as exc:
                QMessageBox.warning(self, "Import failed", plain_rich(exc))

    def clear_history(self) -> None:
        self.user.clear_history()
        self.user.clear_searches()
        self.refresh_history()

    def _show_tab(self, index: int) -> None:
        self.leave_search()
        self.tabs.setCurrentIndex(index)

    # -- reading settings -----------------------------------------------------------------
    def set_font(self, pt: float) -> None:
        self.font_pt = max(7.0, min(28.0, pt))
        self.user.set("font_pt", self.font_pt)
        self._rerender()

    def apply_theme(self, mode: str, save: bool = True) -> None:
        self.theme_mode = mode
        self.colors = theme.resolve(mode)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply_chrome(app, self.colors)
        self.results_delegate.colors = self.colors
        if hasattr(self, "theme_actions") and mode in self.theme_actions:
            self.theme_actions[mode].setChecked(True)
        if save:
            self.user.set("theme", mode)
        for view in self.evidence_views.values():
            if hasattr(view, "set_colors"):
                view.set_colors(self.colors)  # type: ignore[attr-defined]
        self._rerender()

    def _rerender(self) -> None:
        self.reader.set_style(self.colors, self.font_pt)
        if self.current is not None:
            anchor = self.reader.current_section()
            self.reader.show_html(self._page_html(self._current_page, self.colors))
            self.reader.go_to_anchor(anchor)
        self.results_view.viewport().update()

    # -- print, PDF, citation -------------------------------------------------------------
    def _print_document(self) -> PrintDocument:
        from .theme import LIGHT, content_css

        # Images print from the same renderer as the screen, and only from the library.
        doc = PrintDocument(self.reader.library_image)
        doc.setDefaultStyleSheet(content_css(LIGHT, 10.5))
        doc.setDefaultFont(self.reader.document().defaultFont())
        footer = (
            f'<p class="meta">Printed from LenRef {html.escape(self.lib.meta.get("app_version", ""))}, '
            f"content {html.escape(self.lib.content_version)}. Citation: "
            f"{html.escape(self.lib.page_citation(self._current_page.id))}</p>"
        )
        doc.setHtml(self._page_html(self._current_page, LIGHT) + footer)
        return doc

    def export_pdf(self, path: str | None = None) -> str | None:
        if self.current is None:
            return None
        if not isinstance(path, str):
            suggested = safe_filename(f"LenRef - {self._current_page.title}") + ".pdf"
            path, _ = QFileDialog.getSaveFileName(
                self, "Export page to PDF", suggested, "PDF (*.pdf)"
            )
            if not path:
                return None
        from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

        # QPdfWriter, not QPrinter: constructing a QPrinter asks the print system (CUPS on
        # 127.0.0.1:631) for printers, and LenRef opens no socket unless the user chose Print….
        writer = QPdfWriter(path)
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageOrientation(QPageLayout.Orientation.Portrait)
        writer.setResolution(300)
        writer.setTitle(self._current_page.title)
        writer.setCreator(f"LenRef {self.lib.meta.get('app_version', '')}")
        self._print_document().print_(writer)
        del writer  # finishes the file
        if not Path(path).exists() or Path(path).stat().st_size == 0:
            QMessageBox.warning(
                self,
                "Export failed",
                plain_rich(f"Could not write {path}. Check the folder and free space."),
            )
            return None
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return path

    def print_page(self) -> None:
        if self.current is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self)
        if dlg.exec() == QPrintDialog.DialogCode.Accepted:
            self._print_document().print_(printer)

    def copy_citation(self) -> str:
        if self.current is None:
            return ""
        text = self.lib.page_citation(self.current.page)
        QGuiApplication.clipboard().setText(text)
        self.statusBar().showMessage("Citation copied: " + text, 6000)
        return text

    # -- evidence views (trial explorer, map) -----------------------------------------------
    def _evidence_view(self, name: str) -> QWidget:
        view = self.evidence_views.get(name)
        if view is None:
            from .explorer import TrialExplorer
            from .mechanism_map import MechanismMap

            if name == "trials":
                view = TrialExplorer(self.lib, self.colors, self)
            else:
                view = MechanismMap(self.lib, self.colors, self)
            view.openPage.connect(lambda pid, anchor="": self.open_page(pid, anchor))  # type: ignore[attr-defined]
            view.openSource.connect(lambda key: self.show_source(key))  # type: ignore[attr-defined]
            self.center.addWidget(view)
            self.evidence_views[name] = view
        return view

    def show_reader(self) -> None:
        self.center.setCurrentWidget(self.reader_panel)
        self.outline.show()

    def show_trials(self) -> QWidget:
        view = self._evidence_view("trials")
        self.center.setCurrentWidget(view)
        self.outline.hide()
        return view

    def show_map(self) -> QWidget:
        view = self._evidence_view("map")
        self.center.setCurrentWidget(view)
        self.outline.hide()
        return view

    # -- notices --------------------------------------------------------------------------
    def show_intended_use_first_run(self) -> None:
        dlg = intended_use_dialog(self)
        self._notice = dlg
        dlg.accepted.connect(lambda: self.user.set(NOTICE_KEY, True))
        dlg.open()

    def show_about(self) -> None:
        built = self.lib.meta.get("built_at", "")
        body = about_html(
            self.lib.content_version, built, len(self.lib.pages()), len(self.lib.references())
        )
        _rich_dialog(self, "About LenRef", body, on_link=self._open_dialog_link).exec()

    def _open_dialog_link(self, url: QUrl) -> None:
        if url.scheme() == "page":
            self.open_page(url.path(), url.fragment())

    def show_whats_new(self) -> None:
        """The content change log page (content/pages/background/whats-new.md)."""
        self.open_page(WHATS_NEW)

    def _status_default(self) -> None:
        self.status_label = QLabel(
            f"LenRef {self.lib.meta.get('app_version', '')} · content {self.lib.content_version} · "
            f"{len(self.lib.pages())} pages · offline",
            self,
        )
        self.status_label.setAccessibleName("Content version")
        self.statusBar().addPermanentWidget(self.status_label)
        if self.lib.page_info(WHATS_NEW):
            news = QPushButton("What's new", self)
            news.setObjectName("whatsNewButton")
            news.setFlat(True)
            news.setToolTip("What changed in this content version, page by page")
            news.clicked.connect(self.show_whats_new)
            self.statusBar().addPermanentWidget(news)
        if self.user.degraded:
            # The file is kept as it is; the user must know that changes now are not saved.
            warn = QLabel("Bookmarks and history are not saved this session", self)
            warn.setObjectName("userDataWarning")
            warn.setTextFormat(Qt.TextFormat.PlainText)
            warn.setToolTip(plain_rich(self.user.degraded))
            warn.setAccessibleName(self.user.degraded)
            self.statusBar().addWidget(warn)

    # -- window state ---------------------------------------------------------------------
    def _restore_state(self) -> None:
        geo = self.user.get("geometry")
        if isinstance(geo, str):
            self.restoreGeometry(QByteArray.fromBase64(geo.encode()))
        split = self.user.get("splitter")
        if isinstance(split, str):
            self.splitter.restoreState(QByteArray.fromBase64(split.encode()))

    def save_state(self) -> None:
        try:
            self.user.set("geometry", bytes(self.saveGeometry().toBase64()).decode())
            self.user.set("splitter", bytes(self.splitter.saveState().toBase64()).decode())
        except UserDataError as exc:
            log.warning("could not save window state: %s", exc)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not getattr(self, "_closed", False):
            self._closed = True
            self.save_state()
            self.search.shutdown()
        super().closeEvent(event)


__all__ = ["MainWindow", "PARTS"]
