"""Write the one-page evidence summary (A4 landscape) for the explorer and ``lenref trials --pdf``.

The page is a QTextDocument (HTML from core.evidence_export) with the forest plot painted into an
image. It is scaled down, if it must be, until it fits one page, and never below ``MIN_SCALE``:
beyond that, the trial list is what gives way (excluded trials are already one line each).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, QUrl
from PySide6.QtGui import (
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from ..core.evidence import Profile, TrialMatch, forest_rows
from ..core.evidence_export import CSS, summary_html
from ..core.library import Library
from .forest_plot import paint_forest, plot_height
from .theme import LIGHT

MIN_SCALE = 0.55
_APP: QApplication | None = None  # kept alive: fonts need an application while painting
PLOT_WIDTH = 1520  # pixels of the plot image (drawn at 2×, shown 760 wide)


def _plot_image(matches: list[TrialMatch], profile: Profile) -> QImage | None:
    rows = forest_rows([m for m in matches if m.match != "excluded"])
    if not rows:
        return None
    img = QImage(PLOT_WIDTH, 2 * plot_height(rows), QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.scale(2, 2)
    rect = QRectF(0, 0, PLOT_WIDTH / 2, plot_height(rows))
    paint_forest(p, rect, rows, LIGHT, "Sans Serif", profile)
    p.end()
    return img


def summary_document(matches: list[TrialMatch], profile: Profile, lib: Library) -> QTextDocument:
    img = _plot_image(matches, profile)
    doc = QTextDocument()
    if img is not None:
        doc.addResource(QTextDocument.ResourceType.ImageResource.value, QUrl("forest.png"), img)
    doc.setDefaultStyleSheet(CSS)
    footer = (
        f"LenRef {lib.meta.get('app_version', '')}, content {lib.content_version}. "
        "Intended for clinicians as a reference; it does not replace the trial publications or clinical judgement."
    )
    doc.setHtml(summary_html(matches, profile, lib.citation, footer, "forest.png" if img else None))
    return doc


def write_evidence_pdf(
    path: Path | str, matches: list[TrialMatch], profile: Profile, lib: Library
) -> Path:
    """Write the summary to ``path`` as exactly one A4 landscape page; OSError if it cannot."""
    global _APP
    if QApplication.instance() is None:
        # From the command line there may be no display: a PDF needs none. A QApplication (not
        # only a GUI one) so that a widget application can still run in the same process.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APP = QApplication([])
    path = Path(path)
    if path.parent and not path.parent.is_dir():
        raise FileNotFoundError(2, "no such folder", str(path.parent))
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Landscape,
            QMarginsF(10, 10, 10, 10),
        )
    )
    writer.setTitle("LenRef evidence summary")
    writer.setCreator("LenRef")
    if not paint_evidence_summary(writer, matches, profile, lib):
        raise OSError(13, "cannot write the PDF", str(path))
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(5, "the PDF was not written", str(path))
    return path


def paint_evidence_summary(
    device, matches: list[TrialMatch], profile: Profile, lib: Library
) -> bool:
    """Paint the summary on one page of ``device`` (a PDF writer or printer); False if it refused."""
    doc = summary_document(matches, profile, lib)
    painter = QPainter()
    if not painter.begin(device):
        return False
    try:
        _paint_fitted(painter, device, doc)
    finally:
        painter.end()
    return True


def _paint_fitted(painter: QPainter, writer: QPdfWriter, doc: QTextDocument) -> None:
    """Paint ``doc`` into the page, scaled so that it fits the height; pages never break."""
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    points = writer.resolution() / 72.0  # layout in points, printed at the writer's resolution
    width, height = page.width() / points, page.height() / points
    scale = 1.0
    while True:
        doc.setPageSize(QSizeF(width / scale, 1e6))
        doc.setTextWidth(width / scale)
        if doc.size().height() * scale <= height or scale <= MIN_SCALE:
            break
        scale -= 0.03
    painter.scale(points * scale, points * scale)
    doc.drawContents(painter, QRectF(0, 0, width / scale, height / scale))
