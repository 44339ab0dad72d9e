"""Print and PDF export take images only from the library, never from the local disk."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from desktop.ui.print_document import IMAGE_RESOURCE, PrintDocument


def _secret_png(tmp_path) -> str:
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    path = str(tmp_path / "secret.png")
    assert image.save(path)
    return path


def _html(secret: str) -> str:
    return (
        f'<p><img src="{secret}"><img src="file://{secret}">'
        f'<img src="../../..{secret}"><img src="images/../..{secret}">'
        '<img src="images/pathway.svg"></p>'
    )


def test_plain_document_would_read_the_disk(qapp, tmp_path):
    """The hazard this module exists for: QTextDocument's own loader reads local files."""
    secret = _secret_png(tmp_path)
    doc = QTextDocument()
    doc.setHtml(_html(secret))
    doc.size()  # lays out, which loads the images
    assert not doc.resource(IMAGE_RESOURCE, QUrl(secret)).isNull()


def test_print_document_asks_only_the_library(qapp, tmp_path):
    secret = _secret_png(tmp_path)
    asked: list[str] = []

    def loader(name: str) -> QImage:
        asked.append(name)
        image = QImage(4, 4, QImage.Format.Format_RGB32)
        image.fill(QColor("blue"))
        return image

    doc = PrintDocument(loader)
    doc.setHtml(_html(secret))
    doc.size()
    assert set(asked) == {"images/pathway.svg"}
    for url in (secret, f"file://{secret}", f"../../..{secret}"):
        resource = doc.resource(IMAGE_RESOURCE, QUrl(url))
        assert resource is None or resource.isNull(), url
    assert secret in doc.refused
