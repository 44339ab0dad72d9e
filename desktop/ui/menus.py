"""The window's menus, toolbar and keyboard shortcuts, built from one table of actions.

Each action is registered once with every binding of its keys deduplicated: on Linux
``StandardKey.Back`` *is* Alt+Left, and an action listing the same key twice makes Qt report an
ambiguous shortcut and drop the key. The shortcuts dialog is generated from the same table, so it
always shows what the keys really do on this platform.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

SK = QKeySequence.StandardKey
Keys = list[SK | str]

# (menu, text, handler name, keys); "-" is a separator.
MENU_TABLE: list[tuple[str, str, str, Keys]] = [
    ("&File", "New tab", "new_tab", [SK.AddTab, "Ctrl+T"]),
    ("&File", "Close tab", "tabs.close_tab", ["Ctrl+W"]),
    ("&File", "-", "", []),
    ("&File", "Print…", "output.print_current", [SK.Print]),
    ("&File", "Print preview…", "output.preview_current", ["Ctrl+Shift+P"]),
    ("&File", "Export page to PDF…", "output.export_pdf", ["Ctrl+E"]),
    ("&File", "Copy citation of this page", "output.copy_citation", ["Ctrl+Shift+C"]),
    ("&File", "-", "", []),
    ("&File", "Quit", "close", [SK.Quit, "Ctrl+Q"]),
    ("&Go", "Back", "go_back", [SK.Back]),
    ("&Go", "Forward", "go_forward", [SK.Forward]),
    ("&Go", "Next tab", "tabs.next_tab", ["Ctrl+Tab", "Ctrl+PgDown"]),
    ("&Go", "Previous tab", "tabs.previous_tab", ["Ctrl+Shift+Tab", "Ctrl+PgUp"]),
    ("&Go", "Search", "search.focus", ["Ctrl+K", "Ctrl+L"]),
    ("&Go", "Find in page", "open_find", [SK.Find]),
    ("&Go", "Find next", "find_bar.next", ["F3"]),
    ("&Go", "Find previous", "find_bar.previous", ["Shift+F3"]),
    ("&Go", "-", "", []),
    ("&Go", "Reader", "show_reader", ["Ctrl+Shift+R"]),
    ("&Go", "Trial explorer", "show_trials", ["Ctrl+Shift+T"]),
    ("&Go", "Mechanism ↔ strategy map", "show_map", ["Ctrl+Shift+M"]),
    ("&Bookmarks", "Bookmark this page", "bookmark_current", ["Ctrl+D"]),
    ("&Bookmarks", "Show bookmarks", "show_bookmarks", ["Ctrl+B"]),
    ("&Bookmarks", "Show history", "show_history", ["Ctrl+H"]),
    ("&Bookmarks", "-", "", []),
    ("&Bookmarks", "Export bookmarks…", "sidebar.export_bookmarks", []),
    ("&Bookmarks", "Import bookmarks…", "sidebar.import_bookmarks", []),
    ("&Bookmarks", "Clear history", "sidebar.clear_history", []),
    ("&View", "Larger text", "reading.larger", [SK.ZoomIn, "Ctrl+="]),
    ("&View", "Smaller text", "reading.smaller", [SK.ZoomOut]),
    ("&View", "Default text size", "reading.reset_font", ["Ctrl+0"]),
    ("&Help", "Keyboard shortcuts", "show_shortcuts", ["F1"]),
    ("&Help", "Intended use", "show_intended_use", []),
    ("&Help", "What's new", "show_whats_new", []),
    ("&Help", "About LenRef", "show_about", []),
]
# Keys that are not menu actions, for the shortcuts dialog.
OTHER_KEYS = [
    ("/", "Focus the search box (when not typing)"),
    ("Up / Down, Enter", "Move through search results, open the selected result"),
    ("Ctrl+Enter, middle click, Ctrl+click", "Open a search result or link in a new tab"),
    ("Esc", "Leave the search results / close the find bar"),
    ("Mouse side buttons", "Back, forward"),
]
THEMES = (("light", "Light"), ("dark", "Dark"), ("system", "Follow system"))


def key_sequences(keys: Keys) -> list[QKeySequence]:
    """Every binding of ``keys`` once, in order."""
    seen: dict[str, QKeySequence] = {}
    for key in keys:
        bindings = QKeySequence.keyBindings(key) if isinstance(key, SK) else [QKeySequence(key)]
        for seq in bindings:
            if not seq.isEmpty():
                seen.setdefault(seq.toString(), seq)
    return list(seen.values())


@dataclass
class WindowActions:
    by_name: dict[str, QAction] = field(default_factory=dict)
    themes: dict[str, QAction] = field(default_factory=dict)
    shortcuts: list[tuple[str, str]] = field(default_factory=list)  # (keys, what) for the dialog

    def __getitem__(self, name: str) -> QAction:
        return self.by_name[name]


def build_menus(
    window: QMainWindow, handler: object, set_theme: Callable[[str], None], theme: str
) -> WindowActions:
    """Menus, toolbar and shortcuts; each action calls ``handler.name()`` (or ``handler.part.name()``)."""
    out = WindowActions()
    menus: dict[str, QMenu] = {}
    for menu_title, text, name, keys in MENU_TABLE:
        menu = menus.get(menu_title) or menus.setdefault(
            menu_title, window.menuBar().addMenu(menu_title)
        )
        if text == "-":
            menu.addSeparator()
            continue
        action = QAction(text, window)
        sequences = key_sequences(keys)
        action.setShortcuts(sequences)
        action.triggered.connect(lambda _=False, n=name: _resolve(handler, n)())
        window.addAction(action)
        menu.addAction(action)
        out.by_name[name] = action
        if sequences:
            native = QKeySequence.SequenceFormat.NativeText
            out.shortcuts.append((", ".join(s.toString(native) for s in sequences), text))
        if name == "reading.reset_font":
            _theme_menu(window, menu, out, set_theme, theme)
    out.shortcuts += OTHER_KEYS
    _toolbar(window, out)
    slash = QShortcut(QKeySequence("/"), window)  # not while typing in a text field
    slash.setContext(Qt.ShortcutContext.WindowShortcut)
    slash.activated.connect(lambda: _resolve(handler, "search.focus")())
    return out


def _resolve(handler: object, name: str) -> Callable[[], object]:
    """``handler.name`` or ``handler.part.method`` for a dotted name, looked up when triggered."""
    target = handler
    for attr in name.split("."):
        target = getattr(target, attr)
    return target  # type: ignore[return-value]


def _theme_menu(window, menu: QMenu, out: WindowActions, set_theme, current: str) -> None:
    menu.addSeparator()
    sub = menu.addMenu("Theme")
    group = QActionGroup(window)
    for mode, label in THEMES:
        action = QAction(label, window, checkable=True)
        action.setChecked(mode == current)
        action.triggered.connect(lambda _=False, m=mode: set_theme(m))
        group.addAction(action)
        sub.addAction(action)
        out.themes[mode] = action


def _toolbar(window: QMainWindow, out: WindowActions) -> None:
    bar = QToolBar("Navigation", window)
    bar.setObjectName("navToolbar")
    bar.setMovable(False)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    bar.addAction(out["go_back"])
    bar.addAction(out["go_forward"])
    bar.addSeparator()
    for name, short in (("show_reader", "Reader"), ("show_trials", "Trials"), ("show_map", "Map")):
        action = QAction(short, window)
        action.setToolTip(out[name].text())
        action.triggered.connect(out[name].trigger)
        bar.addAction(action)
    bar.addSeparator()
    star = QAction("☆ Bookmark", window)
    star.setToolTip("Bookmark this page (Ctrl+D)")
    star.triggered.connect(out["bookmark_current"].trigger)
    bar.addAction(star)
    out.by_name["star"] = star
    bar.addAction(out["output.export_pdf"])
    bar.addAction(out["output.copy_citation"])
