"""The sidebar: Contents (parts and pages), Bookmarks (rename, delete, export, import) and History."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.library import Library
from ..core.userdata import UserData, UserDataError
from .richtext import plain_rich

CONTENTS, BOOKMARKS, HISTORY = range(3)


class Sidebar(QTabWidget):
    """Signals: ``openRequested(page, anchor)``; ``bookmarksChanged()`` after a rename, delete or
    import; ``message(text)`` for the status bar."""

    openRequested = Signal(str, str)  # noqa: N815 - Qt naming
    bookmarksChanged = Signal()  # noqa: N815
    message = Signal(str)

    def __init__(self, library: Library, user: UserData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lib, self.user = library, user
        self.setAccessibleName("Sidebar")
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Contents")
        self.tree.itemActivated.connect(self._on_tree_item)
        self.tree.itemClicked.connect(self._on_tree_item)
        self.addTab(self.tree, "Contents")
        self.bookmark_list = self._location_list("Bookmarks")
        self.bookmark_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.bookmark_list.customContextMenuRequested.connect(self._bookmark_menu)
        self.addTab(
            self._panel(
                self.bookmark_list,
                [
                    ("Rename", "Rename bookmark", self.rename_bookmark),
                    ("Delete", "Delete bookmark", self.delete_bookmark),
                    ("Export…", "Export bookmarks", self.export_bookmarks),
                    ("Import…", "Import bookmarks", self.import_bookmarks),
                ],
            ),
            "Bookmarks",
        )
        self.history_list = self._location_list("History")
        self.addTab(
            self._panel(
                self.history_list, [("Clear history", "Clear history", self.clear_history)]
            ),
            "History",
        )
        self._tree_items: dict[str, QTreeWidgetItem] = {}
        self.fill_contents()
        self.refresh_bookmarks()
        self.refresh_history()

    def _location_list(self, name: str) -> QListWidget:
        view = QListWidget(self)
        view.setAccessibleName(name)
        view.setWordWrap(True)
        view.itemActivated.connect(self._on_location_item)
        view.itemClicked.connect(self._on_location_item)
        return view

    def _panel(self, view: QListWidget, buttons: list) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)
        row = QHBoxLayout()
        for text, name, slot in buttons:
            button = QPushButton(text, panel)
            button.setAccessibleName(name)
            button.clicked.connect(lambda _=False, s=slot: s())
            row.addWidget(button)
        layout.addLayout(row)
        return panel

    # -- contents -------------------------------------------------------------------------
    def fill_contents(self) -> None:
        self.tree.clear()
        self._tree_items = {}
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
                # The title is elided in a narrow sidebar: the tooltip gives it whole, then the summary.
                item.setToolTip(0, plain_rich(f"{info.title}\n{info.summary}"))
                parent.addChild(item)
                self._tree_items[info.id] = item
            parent.setExpanded(True)

    def select_page(self, page_id: str) -> None:
        item = self._tree_items.get(page_id)
        if item is not None:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.blockSignals(False)

    def _on_tree_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        page_id = item.data(0, Qt.ItemDataRole.UserRole)
        if page_id:
            self.openRequested.emit(page_id, "")

    def _on_location_item(self, item: QListWidgetItem) -> None:
        page, anchor, _ = item.data(Qt.ItemDataRole.UserRole)
        self.openRequested.emit(page, anchor)

    # -- bookmarks and history ------------------------------------------------------------
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
        selected = self._selected_bookmark()
        if selected is None:
            return
        if new_title is None:
            new_title, ok = QInputDialog.getText(self, "Rename bookmark", "Name:", text=selected[1])
            if not ok:
                return
        if new_title.strip():
            self._guarded(
                "Bookmark not renamed", self.user.rename_bookmark, selected[0], new_title.strip()
            )
            self._bookmarks_changed()

    def delete_bookmark(self) -> None:
        selected = self._selected_bookmark()
        if selected is not None:
            self._guarded("Bookmark not deleted", self.user.delete_bookmark, selected[0])
            self._bookmarks_changed()

    def export_bookmarks(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export bookmarks", "lenref-bookmarks.json", "JSON (*.json)"
            )
        if path:
            n = self._guarded("Export failed", self.user.export_bookmarks, Path(path))
            if n is not None:
                self.message.emit(f"Exported {n} bookmarks to {path}")

    def import_bookmarks(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import bookmarks", "", "JSON (*.json)")
        if path:
            n = self._guarded("Import failed", self.user.import_bookmarks, Path(path))
            if n is not None:
                self._bookmarks_changed()
                self.message.emit(f"Imported {n} bookmarks")

    def clear_history(self) -> None:
        self._guarded("History not cleared", self.user.clear_history)
        self._guarded("History not cleared", self.user.clear_searches)
        self.refresh_history()

    def _bookmarks_changed(self) -> None:
        self.refresh_bookmarks()
        self.bookmarksChanged.emit()

    def _guarded(self, title: str, action, *args):
        """``action(*args)``, or None after a warning: a full disk or a locked file is not a crash."""
        try:
            return action(*args)
        except UserDataError as exc:
            QMessageBox.warning(self, title, plain_rich(exc))
            return None
