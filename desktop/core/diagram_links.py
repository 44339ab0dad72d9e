"""Clickable boxes in diagrams: the ``<a href="page:…">`` regions of an SVG, as plain rectangles.

A diagram's boxes link to the pages that explain them. The reader shows an SVG as a picture, so it
hit-tests clicks against these rectangles (in the SVG's own user units, i.e. its viewBox). Only
``<rect>`` shapes inside an ``<a>`` count, and transforms are not supported: the build reports a
link it cannot place (see ``problems``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


@dataclass(frozen=True)
class DiagramLink:
    x: float
    y: float
    width: float
    height: float
    target: str  # e.g. "page:crbn-expression"
    label: str = ""

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x <= self.x + self.width and self.y <= y <= self.y + self.height


@dataclass(frozen=True)
class Diagram:
    width: float  # of the viewBox (user units the links are in)
    height: float
    links: tuple[DiagramLink, ...]

    def link_at(self, x: float, y: float) -> DiagramLink | None:
        """The link under a point given as fractions (0–1) of the displayed picture."""
        ux, uy = x * self.width, y * self.height
        return next((link for link in self.links if link.contains(ux, uy)), None)


def _number(value: str | None) -> float:
    try:
        return float((value or "0").strip().removesuffix("px"))
    except ValueError:
        return 0.0


def _size(root: ET.Element) -> tuple[float, float]:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        return _number(box[2]), _number(box[3])
    return _number(root.get("width")), _number(root.get("height"))


def _link(anchor: ET.Element) -> DiagramLink | None:
    rects = [r for r in anchor.iter(f"{SVG}rect")]
    target = anchor.get("href") or anchor.get(XLINK_HREF) or ""
    if not rects or not target:
        return None
    xs = [_number(r.get("x")) for r in rects]
    ys = [_number(r.get("y")) for r in rects]
    right = max(x + _number(r.get("width")) for x, r in zip(xs, rects, strict=True))
    bottom = max(y + _number(r.get("height")) for y, r in zip(ys, rects, strict=True))
    title = anchor.find(f"{SVG}title")
    label = (title.text or "").strip() if title is not None else ""
    return DiagramLink(min(xs), min(ys), right - min(xs), bottom - min(ys), target, label)


def read_diagram(svg: bytes) -> Diagram | None:
    """The links of an SVG, or None when it is not a readable SVG (never raises)."""
    try:
        root = ET.fromstring(svg)
    except (ET.ParseError, ValueError):
        return None
    if root.tag != f"{SVG}svg":
        return None
    width, height = _size(root)
    if width <= 0 or height <= 0:
        return None
    links = tuple(link for a in root.iter(f"{SVG}a") if (link := _link(a)) is not None)
    return Diagram(width, height, links)


def problems(svg: bytes, page_ids: set[str]) -> list[str]:
    """What is wrong with a diagram's links: unknown pages, links without a box, transforms."""
    try:
        root = ET.fromstring(svg)
    except (ET.ParseError, ValueError):
        return []  # not an XML SVG: the image checks report it
    found = []
    for anchor in root.iter(f"{SVG}a"):
        target = anchor.get("href") or anchor.get(XLINK_HREF) or ""
        if not target.startswith("page:"):
            found.append(f"link '{target}' in a diagram: only page:ID links are allowed")
        elif target[5:].split("#")[0] not in page_ids:
            found.append(f"diagram link to missing page '{target[5:]}'")
        if _link(anchor) is None:
            found.append(f"diagram link '{target}' has no <rect> to click")
        if any(el.get("transform") for el in anchor.iter()):
            found.append(f"diagram link '{target}' is inside a transform, which is not supported")
    return found
