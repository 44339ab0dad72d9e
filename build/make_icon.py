"""Draw the LenRef app icon with QPainter and write build/assets/lenref.{png,ico,icns}.

The icon: a rounded square in clinical blue with a white open book whose right page carries a
stylised ring (the cereblon ligase) and a dot (lenalidomide). Run: python build/make_icon.py

Every size is drawn, not scaled, so small icons stay sharp. The .ico holds 16-256 px (Explorer,
taskbar, title bar at 100-200 % scaling) and the .icns 16-1024 px (Finder, Dock, Retina); both are
containers of PNG images, written here because Qt's writers store a single size.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

OUT = Path(__file__).resolve().parent / "assets"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
# Apple's icon types holding PNG data, by pixel size ("@2x" types share a size with a 1x one).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512),
    (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 256), (b"ic14", 512),
)  # fmt: skip


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


def png(size: int) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not draw(size).save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px icon as PNG")
    return bytes(buffer.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An .ico file: ICONDIR, one ICONDIRENTRY per size (0 means 256), then the PNG images."""
    offset = 6 + 16 * len(images)
    head, body = [struct.pack("<HHH", 0, 1, len(images))], []
    for size, data in sorted(images.items()):
        side = 0 if size >= 256 else size
        head.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset))
        body.append(data)
        offset += len(data)
    return b"".join(head + body)


def icns(images: dict[int, bytes]) -> bytes:
    """An .icns file: 'icns' + total length, then (type, length, PNG) for every ICNS_TYPES entry."""
    chunks = [kind + struct.pack(">I", 8 + len(images[n])) + images[n] for kind, n in ICNS_TYPES]
    return b"icns" + struct.pack(">I", 8 + sum(map(len, chunks))) + b"".join(chunks)


def main() -> int:
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    images = {n: png(n) for n in sorted({*ICO_SIZES, *(n for _, n in ICNS_TYPES)})}
    (OUT / "lenref.png").write_bytes(images[512])
    (OUT / "lenref.ico").write_bytes(ico({n: images[n] for n in ICO_SIZES}))
    (OUT / "lenref.icns").write_bytes(icns(images))
    print(f"wrote lenref.png (512 px), lenref.ico {ICO_SIZES}, lenref.icns (16-1024 px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
