"""Search as you type: a worker thread that always answers the newest query, and the results list.

The worker holds at most one pending request; a newer query replaces it before it starts, and every
answer carries the sequence number of its query so the panel drops anything stale. Searching never
happens on the GUI thread.
"""

from __future__ import annotations

import html
import threading

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QRectF,
    QSize,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QPalette, QTextDocument
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..core.model import PART_TITLES, SearchHit, SearchResult
from .theme import Colors

# 0: the request waits only for the event loop to come round, so text set several times in one pass
# (a paste, a script) is searched once. A longer debounce only added latency: the worker already
# answers the newest request and drops the rest, and a search takes 2–18 ms (bench_search.py).
DEBOUNCE_MS = 0


class SearchWorker(QThread):
    """Runs ``search_fn(text, part)`` for the newest request only."""

    finished_search = Signal(int, object)  # (sequence, SearchResult)
    failed_search = Signal(int, str)

    def __init__(self, search_fn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._search_fn = search_fn
        self._cond = threading.Condition()
        self._pending: tuple[int, str, str | None] | None = None
        self._stop = False

    def request(self, seq: int, text: str, part: str | None) -> None:
        with self._cond:
            self._pending = (seq, text, part)  # replaces any request not yet started
            self._cond.notify()

    def stop(self) -> None:
        """Ask the loop to end and wait for it: a search in progress always finishes (inputs are
        bounded), and returning while it still runs would let Qt abort on destruction."""
        with self._cond:
            self._stop = True
            self._cond.notify()
        if self.isRunning():
            self.wait()

    def run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                seq, text, part = self._pending  # type: ignore[misc]
                self._pending = None
            try:
                result = self._search_fn(text, part)
            except Exception as exc:  # reported to the panel, never fatal
                self.failed_search.emit(seq, str(exc))
            else:
                self.finished_search.emit(seq, result)


class SearchController(QObject):
    """Debounces typing, numbers queries and drops stale answers.

    Signals: ``results(SearchResult)`` for the newest query only; ``cleared()`` when the box is empty.
    """

    results = Signal(object)
    cleared = Signal()
    error = Signal(str)

    def __init__(self, search_fn, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._seq = 0
        self._latest_text = ""
        self._part: str | None = None
        self._worker = SearchWorker(search_fn, self)
        self._worker.finished_search.connect(self._on_done)
        self._worker.failed_search.connect(self._on_failed)
        self._worker.start()
        # Qt aborts the process if a running QThread is destroyed; whoever destroys this controller
        # (its parent window, a failed constructor, application exit) stops the worker first. The
        # closure holds the worker, not self, because self is already being torn down.
        worker = self._worker
        self.destroyed.connect(lambda *_: worker.stop())
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._fire)

    def set_part(self, part: str | None) -> None:
        self._part = part
        if self._latest_text.strip():
            self._fire()

    def query_changed(self, text: str) -> None:
        self._latest_text = text
        self._seq += 1  # anything in flight is now stale
        if not text.strip():
            self._timer.stop()
            self.cleared.emit()
            return
        self._timer.start()

    def _fire(self) -> None:
        self._seq += 1
        self._worker.request(self._seq, self._latest_text, self._part)

    def _on_done(self, seq: int, result: SearchResult) -> None:
        if seq == self._seq:
            self.results.emit(result)

    def _on_failed(self, seq: int, message: str) -> None:
        if seq == self._seq:
            self.error.emit(message)

    def shutdown(self) -> None:
        self._timer.stop()
        self._worker.stop()


class ResultsModel(QAbstractListModel):
    """The hits of the newest search (recent searches drop down from the box instead)."""

    HitRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return hit.title + (f" › {hit.heading}" if hit.anchor else "")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{hit.title}, {hit.heading}, {PART_TITLES.get(hit.part, hit.part)}"
        if role == self.HitRole:
            return hit
        return None


def snippet_html(hit: SearchHit, highlight_style: str) -> str:
    """The hit's snippet as rich text: every piece escaped, highlights in bold with the style."""
    return "".join(
        f'<b style="{highlight_style}">{html.escape(text)}</b>' if span else html.escape(text)
        for text, span in hit.pieces()
    )


class HitDelegate(QStyledItemDelegate):
    """Paints a hit as: title › heading [part badge] / snippet with highlighted terms."""

    CACHE_SIZE = 256

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.colors: Colors | None = None
        # Laying out rich text is the costly part of a keystroke: the list asks for each row's size
        # and then paints it, so each (hit, width, selected, theme) is laid out once.
        self._docs: dict[tuple, QTextDocument] = {}

    def _doc(self, index: QModelIndex, width: int, selected: bool) -> QTextDocument:
        value = index.data(ResultsModel.HitRole)
        key = (value, width, selected, self.colors.name if self.colors else "")
        doc = self._docs.get(key)
        if doc is None:
            if len(self._docs) >= self.CACHE_SIZE:
                self._docs.clear()
            doc = self._docs[key] = self._layout(value, width, selected)
        return doc

    def _layout(self, value: object, width: int, selected: bool) -> QTextDocument:
        c = self.colors
        doc = QTextDocument()
        doc.setDocumentMargin(6)
        text_color = c.accent_text if (selected and c) else (c.text if c else "#000")
        muted = c.accent_text if (selected and c) else (c.muted if c else "#666")
        hl = c.highlight if c else "#ff0"
        if not isinstance(value, SearchHit):
            return doc
        badge = c.badge.get(value.part, "#777") if c else "#777"
        where = html.escape(value.title)
        if value.anchor:
            where += f' <span style="color:{muted}">› {html.escape(value.heading)}</span>'
        part = html.escape(PART_TITLES.get(value.part, value.part))
        snippet = snippet_html(value, f"background-color:{hl}; color:{c.text if c else '#000'}")
        doc.setHtml(
            f'<div style="color:{text_color}"><b>{where}</b><br>'
            f'<span style="color:{badge if not selected else muted}; font-size:small">'
            f"<b>{part}</b></span>"
            f'<span style="color:{muted}; font-size:small"> · {snippet}</span></div>'
        )
        doc.setTextWidth(width)
        return doc

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._doc(index, opt.rect.width(), selected)
        painter.save()
        painter.translate(opt.rect.topLeft())
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.Text))
        clip = QRectF(0, 0, opt.rect.width(), opt.rect.height())
        painter.setClipRect(clip)
        ctx.clip = clip
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        width = option.rect.width() if option.rect.width() > 50 else 300
        doc = self._doc(index, width, False)
        return QSize(width, int(doc.size().height()) + 2)
