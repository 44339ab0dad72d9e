"""Draw the LenRef app icon with QPainter and write build/assets/lenref.{png,ico,icns}.

The icon: a rounded square in clinical blue with a white open book whose right page carries a
stylised ring (the cereblon ligase) and a dot (lenalidomide). Run: python build/make_icon.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parent / "assets"


def draw(size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 256
    bg = QPainterPath()
    bg.addRoundedRect(QRectF(8 * s, 8 * s, 240 * s, 240 * s), 52 * s, 52 * s)
    p.fillPath(bg, QColor("#1f5f99"))
    # Open book.
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#ffffff"))
    left = QPainterPath()
    left.moveTo(128 * s, 82 * s)
    left.cubicTo(104 * s, 64 * s, 72 * s, 62 * s, 44 * s, 70 * s)
    left.lineTo(44 * s, 190 * s)
    left.cubicTo(72 * s, 182 * s, 104 * s, 184 * s, 128 * s, 200 * s)
    left.closeSubpath()
    right = QPainterPath()
    right.moveTo(132 * s, 82 * s)
    right.cubicTo(156 * s, 64 * s, 188 * s, 62 * s, 216 * s, 70 * s)
    right.lineTo(216 * s, 190 * s)
    right.cubicTo(188 * s, 182 * s, 156 * s, 184 * s, 132 * s, 200 * s)
    right.closeSubpath()
    p.drawPath(left)
    p.drawPath(right)
    # Text lines on the left page.
    p.setPen(
        QPen(QColor("#9fbad3"), max(1.0, 7 * s), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    )
    for i, y in enumerate((100, 122, 144, 166)):
        p.drawLine(QPointF(62 * s, (y + 2) * s), QPointF((110 - 8 * (i % 2)) * s, (y + 6) * s))
    # Ligase ring and drug dot on the right page.
    p.setPen(QPen(QColor("#f28e2b"), max(1.5, 12 * s)))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawArc(QRectF(148 * s, 96 * s, 52 * s, 52 * s), 40 * 16, 280 * 16)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#b03a2e"))
    p.drawEllipse(QPointF(196 * s, 112 * s), 10 * s, 10 * s)
    p.end()
    return img


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw(512)
    big.save(str(OUT / "lenref.png"))
    ok_ico = draw(256).save(str(OUT / "lenref.ico"), "ICO")
    ok_icns = big.save(str(OUT / "lenref.icns"), "ICNS")
    print(f"png ok; ico {'ok' if ok_ico else 'FAILED'}; icns {'ok' if ok_icns else 'FAILED'}")
    return 0 if ok_ico and ok_icns else 1


if __name__ == "__main__":
    sys.exit(main())
