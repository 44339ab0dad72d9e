"""Light and dark themes for the window chrome (QPalette + a small style sheet) and the page content.

QTextBrowser understands a subset of CSS; the content style sheet sticks to it (colours, fonts,
margins, table borders). Diagrams carry their own light background so they read in both themes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class Colors:
    name: str
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    accent: str
    accent_text: str
    link: str
    border: str
    highlight: str
    cite: str
    gloss: str
    find_bg: str
    find_current: str
    badge: dict[str, str]


LIGHT = Colors(
    name="light",
    window="#f3f4f6",
    base="#ffffff",
    alt_base="#f6f7f9",
    text="#1c1f24",
    muted="#5b6470",
    accent="#1f5f99",
    accent_text="#ffffff",
    link="#1f5f99",
    border="#d5d9df",
    highlight="#fff1a8",
    cite="#8a4b08",
    gloss="#1c1f24",
    find_bg="#b9dcff",  # find-in-page is blue, search marks yellow: never alike
    find_current="#5aa9f0",
    badge={
        "background": "#6b7280",
        "action": "#2f7d4f",
        "resistance": "#b03a2e",
        "strategies": "#1f5f99",
        "future": "#7a4fa0",
    },
)

DARK = Colors(
    name="dark",
    window="#1b1e23",
    base="#22262c",
    alt_base="#2a2f36",
    text="#e6e8eb",
    muted="#a3abb6",
    accent="#6fb0ec",
    accent_text="#0e1116",
    link="#7dbbf2",
    border="#3b424c",
    highlight="#5a4d12",
    cite="#f0b36a",
    gloss="#e6e8eb",
    find_bg="#1f4f7a",
    find_current="#2f86c9",
    badge={
        "background": "#8b93a1",
        "action": "#5fbf85",
        "resistance": "#ef7b6e",
        "strategies": "#6fb0ec",
        "future": "#b793d6",
    },
)


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    try:
        return hints.colorScheme() == Qt.ColorScheme.Dark
    except AttributeError:  # Qt < 6.5
        return QGuiApplication.palette().window().color().lightness() < 128


def resolve(mode: str) -> Colors:
    """``mode`` is light, dark or system."""
    if mode == "dark" or (mode == "system" and system_prefers_dark()):
        return DARK
    return LIGHT


def apply_chrome(app: QApplication, c: Colors) -> None:
    app.setStyle("Fusion")
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor(c.window))
    pal.setColor(QPalette.ColorRole.WindowText, QColor(c.text))
    pal.setColor(QPalette.ColorRole.Base, QColor(c.base))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor(c.alt_base))
    pal.setColor(QPalette.ColorRole.Text, QColor(c.text))
    pal.setColor(QPalette.ColorRole.Button, QColor(c.alt_base))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor(c.text))
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor(c.base))
    pal.setColor(QPalette.ColorRole.ToolTipText, QColor(c.text))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor(c.muted))
    pal.setColor(QPalette.ColorRole.Highlight, QColor(c.accent))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor(c.accent_text))
    pal.setColor(QPalette.ColorRole.Link, QColor(c.link))
    pal.setColor(QPalette.ColorRole.BrightText, QColor("#ff5555"))
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(c.muted))
    app.setPalette(pal)
    app.setStyleSheet(
        f"""
        QToolTip {{ color: {c.text}; background: {c.base}; border: 1px solid {c.border}; padding: 4px; }}
        QLineEdit#searchBox {{ padding: 6px 10px; border: 1px solid {c.border}; border-radius: 6px;
                               background: {c.base}; font-size: 11pt; }}
        QLineEdit#searchBox:focus {{ border: 1px solid {c.accent}; }}
        QLabel#pageHeaderTitle {{ font-size: 17pt; font-weight: 600; }}
        QLabel#muted {{ color: {c.muted}; }}
        QTreeWidget, QListWidget, QTableView {{ border: 1px solid {c.border}; }}
        QToolBar {{ border: none; spacing: 4px; padding: 4px; }}
        QStatusBar {{ color: {c.muted}; }}
        QFrame#findBar {{ border-top: 1px solid {c.border}; }}
        {focus_and_checks_css(c)}
        """
    )


ASSETS = Path(__file__).resolve().parent / "assets"


def focus_and_checks_css(c: Colors) -> str:
    """A focus ring that can be seen from a metre away, and check boxes visible in both themes.

    Fusion's own focus frame is a 1 px line in the highlight colour and, in the dark palette, an
    unticked box is a dark square on a dark panel.
    """
    tick = (ASSETS / f"check-{c.name}.svg").as_posix()
    ring = f"border: 2px solid {c.accent}; border-radius: 4px;"
    return f"""
        QPushButton {{ background: {c.alt_base}; color: {c.text}; border: 1px solid {c.border};
                       border-radius: 4px; padding: 4px 10px; }}
        QPushButton:hover {{ border-color: {c.accent}; }}
        QPushButton:pressed {{ background: {c.border}; }}
        QPushButton:flat {{ background: transparent; border: 1px solid transparent; }}
        QPushButton:focus, QPushButton:flat:focus {{ {ring} padding: 3px 9px; }}
        QToolButton:focus, QComboBox:focus, QLineEdit:focus, QCheckBox:focus {{ {ring} }}
        QTreeView:focus, QListView:focus, QTableView:focus, QTextBrowser:focus {{ {ring} }}
        QCheckBox::indicator {{ width: 14px; height: 14px; border: 2px solid {c.muted};
                               border-radius: 3px; background: {c.base}; }}
        QCheckBox::indicator:hover {{ border-color: {c.accent}; }}
        QCheckBox::indicator:checked {{ background: {c.accent}; border-color: {c.accent};
                                       image: url("{tick}"); }}
        QCheckBox::indicator:disabled {{ border-color: {c.border}; }}
    """


def content_css(c: Colors, font_pt: float) -> str:
    """Style sheet for page HTML inside QTextBrowser (and for print/PDF with the light theme)."""
    return f"""
    body {{ color: {c.text}; font-size: {font_pt:.1f}pt; }}
    h1 {{ font-size: {font_pt * 1.7:.1f}pt; font-weight: 600; margin-top: 4px; margin-bottom: 4px; }}
    h2 {{ font-size: {font_pt * 1.35:.1f}pt; font-weight: 600; margin-top: 18px; margin-bottom: 6px;
          color: {c.text}; }}
    h3 {{ font-size: {font_pt * 1.12:.1f}pt; font-weight: 600; margin-top: 12px; margin-bottom: 4px; }}
    p, li {{ margin-top: 3px; margin-bottom: 7px; }}
    a {{ color: {c.link}; text-decoration: none; }}
    a.external {{ color: {c.link}; text-decoration: underline; }}
    sup.cite {{ font-size: {font_pt * 0.95:.1f}pt; }}  /* Qt draws superscripts at 2/3 size */
    sup.cite a {{ color: {c.cite}; font-weight: 600; text-decoration: none; }}
    span.gloss {{ text-decoration: underline; }}
    table {{ border-color: {c.border}; border-style: solid; margin-top: 6px; margin-bottom: 10px; }}
    th {{ background-color: {c.alt_base}; font-weight: 600; text-align: left; }}
    td, th {{ border-color: {c.border}; padding: 5px; }}
    span.caption {{ color: {c.muted}; font-style: italic; }}
    span.evidence {{ color: {c.muted}; }}
    .bottomline {{ background-color: {c.alt_base}; }}
    .meta {{ color: {c.muted}; }}
    .crumbs {{ color: {c.muted}; }}
    ol.refs li {{ margin-bottom: 4px; }}
    span.hlterm {{ background-color: {c.highlight}; }}
    """
