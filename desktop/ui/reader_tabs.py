"""Reader tabs: each tab is a Reader with its own back/forward history, as in a browser.

The part owns page loading (through the library façade), the per-tab ``NavigationHistory`` and the
tab titles. Everything it decides is announced by signals; the window wires them to the sidebar,
outline, find bar and status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from ..core.library import Library
from ..core.model import Page
from ..core.navigation import Location, NavigationHistory
from .reader import Reader
from .theme import Colors

MAX_TABS = 30
TAB_TITLE_CHARS = 28


class ReaderTab(Reader):
    """One tab: a Reader plus the page it shows and its history."""

    def __init__(self, library: Library, citation_preview, parent: QWidget | None = None) -> None:
        super().__init__(library.image, parent, citation_preview=citation_preview)
        self.history = NavigationHistory()
        self.page: Page | None = None

    def here(self) -> Location | None:
        if self.page is None:
            return None
        return Location(self.page.id, self.current_section())


class ReaderTabs(QTabWidget):
    """Signals:
    ``pageShown(page_id, anchor)`` after the current tab shows a page;
    ``currentPageChanged()`` when another tab becomes current (or its page changes);
    ``linkActivated(QUrl)`` / ``linkInNewTab(QUrl)`` for links clicked in any tab;
    ``sectionChanged(anchor)`` when the current tab scrolls to another section;
    ``navigationChanged()`` when Back/Forward availability may have changed;
    ``missingPage(page_id)`` when a page asked for does not exist;
    ``tabLimitReached(MAX_TABS)`` when a new tab is refused.
    ``html_for(page, colors)`` builds the HTML a page is shown with.
    """

    pageShown = Signal(str, str)  # noqa: N815 - Qt naming
    currentPageChanged = Signal()  # noqa: N815
    linkActivated = Signal(QUrl)  # noqa: N815
    linkInNewTab = Signal(QUrl)  # noqa: N815
    sectionChanged = Signal(str)  # noqa: N815
    navigationChanged = Signal()  # noqa: N815
    missingPage = Signal(str)  # noqa: N815
    tabLimitReached = Signal(int)  # noqa: N815 - MAX_TABS, when a new tab was refused

    def __init__(
        self,
        library: Library,
        html_for: Callable[[Page, Colors], str],
        citation_preview: Callable[[QUrl], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readerTabs")
        self.lib = library
        self._html_for = html_for
        self._citation_preview = citation_preview
        self._colors: Colors | None = None
        self._font_pt = 12.0
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(True)
        self.setTabBarAutoHide(True)  # one tab: no tab bar, the reading column keeps its height
        self.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabCloseRequested.connect(self.close_tab)
        self.currentChanged.connect(lambda _: self._on_current_changed())
        self.add_tab()

    # -- tabs -----------------------------------------------------------------------------
    @property
    def reader(self) -> ReaderTab:
        return self.currentWidget()  # type: ignore[return-value]

    def readers(self) -> list[ReaderTab]:
        return [self.widget(i) for i in range(self.count())]  # type: ignore[misc]

    def add_tab(self) -> ReaderTab | None:
        """A new empty tab, made current; None when MAX_TABS are open."""
        if self.count() >= MAX_TABS:
            self.tabLimitReached.emit(MAX_TABS)
            return None
        tab = ReaderTab(self.lib, self._citation_preview, self)
        if self._colors is not None:
            tab.set_style(self._colors, self._font_pt)
        tab.linkActivated.connect(self.linkActivated.emit)
        tab.linkInNewTab.connect(self.linkInNewTab.emit)
        tab.backRequested.connect(self.back)
        tab.forwardRequested.connect(self.forward)
        tab.sectionChanged.connect(lambda anchor, t=tab: self._on_section(t, anchor))
        self.setCurrentIndex(self.addTab(tab, "New tab"))
        return tab

    def close_tab(self, index: int | None = None) -> None:
        """Close a tab (the current one by default); the last tab stays open."""
        index = self.currentIndex() if index is None else index
        if self.count() <= 1 or not 0 <= index < self.count():
            return
        tab = self.widget(index)
        self.removeTab(index)
        tab.deleteLater()

    def step_tab(self, step: int) -> None:
        if self.count() > 1:
            self.setCurrentIndex((self.currentIndex() + step) % self.count())

    def next_tab(self) -> None:
        self.step_tab(1)

    def previous_tab(self) -> None:
        self.step_tab(-1)

    # -- pages ----------------------------------------------------------------------------
    def open_page(
        self,
        page_id: str,
        anchor: str = "",
        terms: list[str] | None = None,
        new_tab: bool = False,
        record: bool = True,
    ) -> bool:
        """Show ``page_id`` at ``anchor`` in the current tab (or a new one); False if it is unknown."""
        try:
            page = self.lib.page(page_id)
        except KeyError:
            self.missingPage.emit(page_id)
            return False
        tab = self.add_tab() if new_tab else self.reader
        if tab is None:
            return False
        target = Location(page.id, anchor)
        if record:
            tab.history.visit(target, tab.here())
        else:
            tab.history.current = target
        self._display(tab, page, anchor, terms)
        return True

    def back(self) -> None:
        tab = self.reader
        self._go(tab, tab.history.back(tab.here()))

    def forward(self) -> None:
        tab = self.reader
        self._go(tab, tab.history.forward(tab.here()))

    def _go(self, tab: ReaderTab, target: Location | None) -> None:
        if target is None:
            return
        try:
            self._display(tab, self.lib.page(target.page), target.anchor, None)
        except KeyError:
            tab.history.forget_page(target.page)
            self.missingPage.emit(target.page)
            self.navigationChanged.emit()

    def _display(self, tab: ReaderTab, page: Page, anchor: str, terms: list[str] | None) -> None:
        tab.page = page
        if self._colors is not None:
            tab.show_html(self._html_for(page, self._colors))
        tab.highlight_terms(terms or [])  # marks only right after a search; cleared otherwise
        tab.go_to_anchor(anchor)
        QTimer.singleShot(0, lambda: tab.go_to_anchor(anchor))  # again once laid out
        index = self.indexOf(tab)
        short = (
            page.title
            if len(page.title) <= TAB_TITLE_CHARS
            else page.title[: TAB_TITLE_CHARS - 1] + "…"
        )
        self.setTabText(index, short)
        self.setTabToolTip(index, page.title)
        self.navigationChanged.emit()
        if tab is self.reader:
            self.currentPageChanged.emit()
            self.pageShown.emit(page.id, anchor)

    def _on_section(self, tab: ReaderTab, anchor: str) -> None:
        if tab is self.reader:
            self.sectionChanged.emit(anchor)

    def _on_current_changed(self) -> None:
        self.navigationChanged.emit()
        self.currentPageChanged.emit()

    # -- style and state ------------------------------------------------------------------
    def set_style(self, colors: Colors, font_pt: float) -> None:
        """Restyle every tab and redraw its page at the section it is on."""
        self._colors, self._font_pt = colors, font_pt
        for tab in self.readers():
            tab.set_style(colors, font_pt)
            if tab.page is not None:
                anchor = tab.current_section()
                tab.show_html(self._html_for(tab.page, colors))
                tab.go_to_anchor(anchor)

    def state(self) -> dict[str, Any]:
        """The open tabs (page and section) and the current one, for the next start."""
        tabs = [tab.here() for tab in self.readers()]
        return {
            "tabs": [loc.to_json() for loc in tabs if loc is not None],
            "current": self.currentIndex(),
        }

    def restore(self, state: Any, fallback: str | None = None) -> bool:
        """Reopen saved tabs; pages that no longer exist are skipped. When nothing opens, show
        ``fallback`` (if given) and return False."""
        saved = state.get("tabs") if isinstance(state, dict) else None
        opened = 0
        for value in saved[:MAX_TABS] if isinstance(saved, list) else []:
            loc = Location.from_json(value)
            if loc is not None and self.lib.page_info(loc.page):
                self.open_page(loc.page, loc.anchor, new_tab=opened > 0, record=False)
                opened += 1
        current = state.get("current") if opened else None
        if isinstance(current, int) and 0 <= current < self.count():
            self.setCurrentIndex(current)
        if not opened and fallback:
            self.open_page(fallback, record=False)
        return opened > 0
