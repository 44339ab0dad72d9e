"""Dialogs: intended-use notice, About, keyboard shortcuts, source card, external-link confirmation."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ..core.model import EVIDENCE_TYPE_LABELS, Reference
from ..core.version import app_version
from .richtext import plain_rich

INTENDED_USE = """
<h2>Intended use</h2>
<p><b>LenRef</b> is an offline reference that summarises published evidence on lenalidomide
resistance in multiple myeloma: how lenalidomide works, the mechanisms by which myeloma escapes it,
and the treatment strategies studied in lenalidomide-refractory disease.</p>
<p>It is meant for haematologists, oncology pharmacists and trainees as a quick way to find and check
the evidence. <b>It does not give treatment recommendations or dosing, and it does not replace
clinical judgement, current guidelines or the approved product information.</b> Trial figures are
reported as the cited publications state them; check the source before relying on a number.
Approval status differs between countries and changes over time.</p>
<p>Every page shows the date it was last reviewed. LenRef works without a network connection;
links to DOI or PubMed open in your web browser only when you click them.</p>
"""

ATTRIBUTION = """
<p>The structure of this content follows the review by Kulig P, Milczarek S, Bakinowska E,
Szalewska L, Baumert B, Machaliński B. <i>Lenalidomide in Multiple Myeloma: Review of Resistance
Mechanisms, Current Treatment Strategies and Future Perspectives.</i> Cancers (Basel).
2023;15(3):963. doi:10.3390/cancers15030963 (PMID 36765919), published under the Creative Commons
Attribution 4.0 licence (CC BY 4.0, creativecommons.org/licenses/by/4.0). LenRef's text is written
in its own words; primary studies are cited for their own findings.</p>
"""


def _rich_dialog(
    parent: QWidget | None,
    title: str,
    body: str,
    ok_text: str = "Close",
    on_link: Callable[[QUrl], None] | None = None,
) -> QDialog:
    """A dialog showing our own HTML ``body``; a clicked link closes it and goes to ``on_link``."""
    dlg = QDialog(parent)
    dlg.setWindowTitle(title)
    dlg.setAccessibleName(title)
    layout = QVBoxLayout(dlg)
    view = QTextBrowser(dlg)
    view.setOpenLinks(False)
    if on_link is not None:
        view.anchorClicked.connect(lambda url: (dlg.accept(), on_link(url)))
    view.setHtml(body)
    view.setAccessibleName(title)
    view.setMinimumSize(560, 380)
    layout.addWidget(view)
    buttons = QDialogButtonBox(dlg)
    ok = buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setAccessibleName(ok_text)
    buttons.accepted.connect(dlg.accept)
    layout.addWidget(buttons)
    return dlg


def intended_use_dialog(parent: QWidget | None) -> QDialog:
    dlg = _rich_dialog(parent, "LenRef — intended use", INTENDED_USE + ATTRIBUTION, "I understand")
    dlg.setObjectName("intendedUseDialog")
    return dlg


def about_html(content_version: str, built_at: str, pages: int, refs: int) -> str:
    return (
        f"<h2>LenRef {html.escape(app_version())}</h2>"
        f"<p>Content version {html.escape(content_version)} (built {html.escape(built_at)}): "
        f"{pages} pages, {refs} cited sources.</p>"
        + INTENDED_USE
        + "<h3>Sources and attribution</h3>"
        + ATTRIBUTION
        + '<p><a href="page:whats-new">What\'s new in this content version</a></p>'
        + "<p>Each page lists its sources with DOI and PubMed identifiers; click a citation number "
        "to see its source card.</p>"
        "<p>Built with Qt for Python (PySide6), SQLite (sqlite-utils), Python-Markdown and Whoosh.</p>"
    )


def shortcuts_dialog(parent: QWidget | None, shortcuts: list[tuple[str, str]]) -> QDialog:
    """A table of (keys, what they do), as built with the window's actions."""
    dlg = QDialog(parent)
    dlg.setWindowTitle("Keyboard shortcuts")
    layout = QVBoxLayout(dlg)
    table = QTableWidget(len(shortcuts), 2, dlg)
    table.setAccessibleName("Keyboard shortcuts")
    table.setHorizontalHeaderLabels(["Keys", "Action"])
    for row, (keys, action) in enumerate(shortcuts):
        table.setItem(row, 0, QTableWidgetItem(keys))
        table.setItem(row, 1, QTableWidgetItem(action))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setMinimumSize(520, 440)
    layout.addWidget(table)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dlg)
    buttons.rejected.connect(dlg.reject)
    layout.addWidget(buttons)
    return dlg


def source_card_html(ref: Reference, locator: str, number: int | None = None) -> str:
    rows = [
        ("Authors", ref.authors),
        ("Title", ref.title),
        (
            "Journal",
            f"{ref.journal} {ref.year}"
            + (f";{ref.volume}" if ref.volume else "")
            + (f"({ref.issue})" if ref.issue else "")
            + (f":{ref.pages}" if ref.pages else ""),
        ),
        ("Evidence", EVIDENCE_TYPE_LABELS.get(ref.evidence, ref.evidence)),
    ]
    if locator:
        rows.append(("Where in the source", locator))
    if ref.doi:
        rows.append(
            ("DOI", f'<a href="https://doi.org/{html.escape(ref.doi)}">{html.escape(ref.doi)}</a>')
        )
    if ref.pmid:
        rows.append(
            (
                "PMID",
                f'<a href="https://pubmed.ncbi.nlm.nih.gov/{html.escape(ref.pmid)}/">{html.escape(ref.pmid)}</a>',
            )
        )
    if ref.url and ref.url.startswith(("https://", "http://")):
        rows.append(("Web", f'<a href="{html.escape(ref.url)}">{html.escape(ref.url)}</a>'))
    body = "".join(
        f"<tr><td><b>{html.escape(k)}</b></td><td>{v if k in ('DOI', 'PMID', 'Web') else html.escape(v)}</td></tr>"
        for k, v in rows
    )
    head = f"Source [{number}]" if number else "Source"
    return f"<h3>{head}</h3><table cellpadding='4'>{body}</table>"


class SourceCard(QDialog):
    """A citation's source: authors, title, journal, identifiers, evidence type, locator."""

    def __init__(
        self, ref: Reference, locator: str, open_external, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sourceCard")
        self.setWindowTitle(f"Source — {ref.authors.split(',')[0]} {ref.year}")
        self.ref = ref
        layout = QVBoxLayout(self)
        view = QTextBrowser(self)
        view.setAccessibleName("Source details")
        view.setOpenLinks(False)
        view.setHtml(source_card_html(ref, locator))
        view.anchorClicked.connect(lambda url: open_external(url))
        view.setMinimumSize(520, 240)
        layout.addWidget(view)
        buttons = QDialogButtonBox(self)
        copy = QPushButton("Copy citation", self)
        copy.setAccessibleName("Copy citation")
        copy.clicked.connect(self.copy_citation)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.status = QLabel("", self)
        layout.addWidget(self.status)

    def copy_citation(self) -> None:
        QGuiApplication.clipboard().setText(self.ref.vancouver())
        self.status.setText("Citation copied.")


def confirm_external(parent: QWidget | None, url: QUrl) -> bool:
    """Show the address and ask before opening the system browser."""
    box = QMessageBox(parent)
    box.setObjectName("externalLinkDialog")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Open in your web browser?")
    box.setText("This link leaves LenRef and opens in your web browser:")
    box.setInformativeText(plain_rich(url.toString()))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Open)
    return box.exec() == QMessageBox.StandardButton.Open
