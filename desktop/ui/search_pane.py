"""The search part: the search box with its scope, the information line and the results list.

Typing searches on a worker thread (``SearchController``); Enter opens the first hit, waiting for the
answer when it has not arrived yet (never searching on the GUI thread); Ctrl+Enter, a middle click or
Ctrl+click opens a hit in a new tab. When the box is empty and gets focus, recent searches drop down
under it (a QCompleter popup), so the sidebar's Contents stays where it is.
"""

from __future__ import annotations

import contextlib
import html

from PySide6.QtCore import QEvent, QModelIndex, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.library import Library
from ..core.model import SearchHit, SearchResult
from ..core.userdata import UserData, UserDataError
from .search_panel import HitDelegate, ResultsModel, SearchController
from .theme import Colors

RESULT_LIMIT = 30


class SearchPane(QWidget):
    """Signals:
    ``hitActivated(page, anchor, terms, new_tab)`` when the user opens a hit;
    ``resultsVisible(bool)`` when the results list should replace the sidebar (True) or leave it;
    ``searchShown(SearchResult)`` after results are painted; ``leftSearch()`` on Escape;
    ``failed(message)`` when a search raised.
    ``results_view`` is the list widget the window places in its sidebar area.
    """

    hitActivated = Signal(str, str, object, bool)  # noqa: N815 - Qt naming
    resultsVisible = Signal(bool)  # noqa: N815
    searchShown = Signal(object)  # noqa: N815
    leftSearch = Signal()  # noqa: N815
    failed = Signal(str)

    def __init__(self, library: Library, user: UserData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib, self.user = library, user
        self._last: SearchResult | None = None
        self._enter_pending = False  # Enter (or Ctrl+Enter: True/"tab") before the answer came
        self._enter_new_tab = False
        self._build()
        self.controller = SearchController(
            lambda text, part: self.lib.search(text, part=part, limit=RESULT_LIMIT), self
        )
        self.controller.results.connect(self._show_results)
        self.controller.cleared.connect(self._cleared)
        self.controller.error.connect(self.failed.emit)
        self.box.textChanged.connect(self._on_text)
        self.scope.currentIndexChanged.connect(
            lambda _: self.controller.set_part(self.scope.currentData())
        )

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        row = QHBoxLayout()
        self.box = QLineEdit(self)
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText("Search LenRef  (Ctrl+K)   e.g. cereblon, DPd, IKZF1")
        self.box.setAccessibleName("Search")
        self.box.setClearButtonEnabled(True)
        self.box.installEventFilter(self)
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Search scope")
        self.scope.addItem("All parts", None)
        for part, title in self.lib.parts():
            self.scope.addItem(title, part)
        row.addWidget(self.box, 1)
        row.addWidget(self.scope)
        layout.addLayout(row)
        self.info = QLabel("", self)
        self.info.setObjectName("muted")
        self.info.setAccessibleName("Search information")
        self.info.setTextFormat(Qt.TextFormat.RichText)
        # A long "Also searched: …" line wraps; it must never widen the window.
        self.info.setWordWrap(True)
        self.info.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.info.linkActivated.connect(self._on_info_link)
        self.info.hide()
        layout.addWidget(self.info)
        self._build_results()

    def _build_results(self) -> None:
        self.results_view = QListView()
        self.results_view.setObjectName("searchResults")
        self.results_view.setAccessibleName("Search results")
        self.model = ResultsModel(self)
        self.delegate = HitDelegate(self.results_view)
        self.results_view.setModel(self.model)
        self.results_view.setItemDelegate(self.delegate)
        self.results_view.setWordWrap(True)
        self.results_view.activated.connect(lambda index: self._open_index(index, False))
        self.results_view.installEventFilter(self)
        self.results_view.viewport().installEventFilter(self)
        self.recent = QCompleter(QStringListModel(self), self)
        self.recent.setWidget(self.box)  # not setCompleter: typing must not pop it up
        self.recent.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.recent.popup().setAccessibleName("Recent searches")
        self.recent.activated[str].connect(self.box.setText)

    # -- public ---------------------------------------------------------------------------
    @property
    def last_result(self) -> SearchResult | None:
        return self._last

    def set_colors(self, colors: Colors) -> None:
        self.delegate.colors = colors
        self.results_view.viewport().update()

    def focus(self) -> None:
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()
        if not self.box.text():
            self.show_recent()

    def show_recent(self) -> None:
        """Drop the recent searches down under the empty search box (nothing if there are none)."""
        try:
            recent = self.user.recent_searches()
        except UserDataError:
            return  # a convenience: an unreadable user file must not interrupt typing
        if not recent or self.box.text():
            return
        self.recent.model().setStringList(recent)  # type: ignore[attr-defined]
        self.recent.setCompletionPrefix("")
        self.recent.complete()

    def leave(self) -> None:
        """Empty the box and hand the sidebar back, without searching."""
        self.box.blockSignals(True)
        self.box.clear()
        self.box.blockSignals(False)
        self.controller.query_changed("")
        self.info.hide()
        self.recent.popup().hide()
        self._enter_pending = False
        self.resultsVisible.emit(False)
        self.leftSearch.emit()

    def shutdown(self) -> None:
        self.controller.shutdown()

    # -- typing and results ---------------------------------------------------------------
    def _on_text(self, text: str) -> None:
        self._enter_pending = False
        self.recent.popup().hide()
        self.controller.query_changed(text)
        if text.strip():
            self.resultsVisible.emit(True)

    def _cleared(self) -> None:
        self._last = None
        self.model.set_hits([])
        self.info.hide()
        self.resultsVisible.emit(False)

    def _show_results(self, result: SearchResult) -> None:
        self._last = result
        self.model.set_hits(list(result.hits))
        self.resultsVisible.emit(True)
        if result.hits:
            self.results_view.setCurrentIndex(self.model.index(0, 0))
        self.info.setText(info_line(result))
        self.info.show()
        self.searchShown.emit(result)
        if self._enter_pending and result.query == self.box.text():
            self._enter_pending = False
            if result.hits:
                self._open_index(self.model.index(0, 0), self._enter_new_tab)

    def _on_info_link(self, link: str) -> None:
        if link == "dym" and self._last and self._last.did_you_mean:
            self.box.setText(self._last.did_you_mean)

    def _open_index(self, index: QModelIndex, new_tab: bool) -> None:
        value = index.data(ResultsModel.HitRole)
        if not isinstance(value, SearchHit):
            return
        terms = list(self._last.terms) if self._last else []
        with contextlib.suppress(UserDataError):  # a full disk must not block reading
            self.user.add_search(self.box.text())
        self.hitActivated.emit(value.page, value.anchor, terms, new_tab)

    def open_first(self, new_tab: bool = False) -> None:
        """Enter: open the selected (or first) hit of the current text, or wait for its answer."""
        if not self.box.text().strip():
            return
        ready = self._last is not None and self._last.query == self.box.text()
        if ready and self.model.rowCount():
            index = self.results_view.currentIndex()
            self._open_index(index if index.isValid() else self.model.index(0, 0), new_tab)
        elif not ready:
            self._enter_pending, self._enter_new_tab = True, new_tab

    # -- keys and mouse -------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        if kind == QEvent.Type.KeyPress and obj in (self.box, self.results_view):
            return self._key(obj, event)
        if kind == QEvent.Type.MouseButtonRelease and obj is self.results_view.viewport():
            new_tab = event.button() == Qt.MouseButton.MiddleButton or bool(  # type: ignore[attr-defined]
                event.modifiers() & Qt.KeyboardModifier.ControlModifier  # type: ignore[attr-defined]
            )
            index = self.results_view.indexAt(event.position().toPoint())  # type: ignore[attr-defined]
            if index.isValid():
                self.results_view.setCurrentIndex(index)
                self._open_index(index, new_tab)
                return True
        if kind == QEvent.Type.FocusIn and obj is self.box and not self.box.text():
            QTimer.singleShot(0, self.show_recent)
        return super().eventFilter(obj, event)

    def _key(self, obj: QObject, event) -> bool:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_Escape:
            self.leave()
            return True
        if obj is self.box and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_first(new_tab=bool(mods & Qt.KeyboardModifier.ControlModifier))
            return True
        if obj is self.box and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            rows = self.model.rowCount()
            if rows:
                row = self.results_view.currentIndex().row()
                step = 1 if key == Qt.Key.Key_Down else -1
                row = (row + step) % rows if row >= 0 else 0
                self.results_view.setCurrentIndex(self.model.index(row, 0))
            return True
        return False


def info_line(result: SearchResult) -> str:
    """The rich-text line above the results: correction, expansions, count (all text escaped)."""
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
        info.append(f"No results for “{html.escape(result.query)}”. Try fewer or shorter words.")
    else:
        n = len(result.hits)
        shown = result.did_you_mean if result.corrected else result.query
        info.append(f"{n} result{'s' if n != 1 else ''} for “{html.escape(shown or '')}”")
    return " · ".join(info)
