"""Rendering, the safety pass: every URL and attribute in the final tree, checked on the tree.

Raw HTML never reaches the tree as HTML (the renderer shows it as text), so what is left to check
is what Markdown itself writes from page text: ``href`` and ``src`` (inline, reference-style and
autolinks, images) and the attributes ``attr_list`` lets an author set. Modelled on MkDocs'
``_RelativePathTreeprocessor``, which validates links from inside a tree-processor.

A URL is judged as a browser would read it: HTML character references decoded, white space and
control characters removed, case folded; a URL whose decoded form differs from what was written
(``ht&#116;p:``, ``java&#x09;script:``) is refused outright. Allowed: links ``page:ID[#anchor]``,
``#anchor`` and ``http(s)://`` (trial cards link the conference pages their figures come from);
``cite:`` only on the citation links the renderer made; images only ``images/NAME`` where NAME is
a file in content/images. A refused link loses its target (its text stays), a refused image is
replaced by a visible placeholder, a refused attribute is removed; each is a finding for checks.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection

from .model import ImageFinding, LinkFinding, MarkupFinding, PageFindings

ALLOWED_ATTRIBUTES = frozenset(
    {"id", "class", "title", "name", "align", "href", "src", "alt"}
    | {"border", "cellspacing", "cellpadding", "width", "start", "style"}
)
_TEXT_ALIGN = re.compile(r"text-align: (?:left|right|center);")  # what the tables extension writes
_NOISE = re.compile(r"[\x00-\x20\x7f\s]+")
# The references the serializer leaves as they are (any other "&" it writes as "&amp;"): the only
# ones a browser will decode in the written attribute.
_REFERENCE = re.compile(r"&(?:#[0-9]+|#x[0-9a-f]+|[0-9a-z]+);", re.I)
_PAGE = re.compile(r"page:([a-z0-9][a-z0-9-]*)(?:#([\w.-]*))?")
_ANCHOR = re.compile(r"#[\w.-]*")
_WEB = re.compile(r"https?://[^\s\"'<>\\`]+")
_CITE = re.compile(r"cite:[^\s\"'<>\\`]+")
_IMAGE = re.compile(r"images/([A-Za-z0-9][\w.-]*)")


def clean_url(url: str) -> str:
    """The URL as a browser reads it: references decoded, white space and controls removed."""
    return _NOISE.sub("", _REFERENCE.sub(lambda m: html.unescape(m.group(0)), url))


def page_target(href: str) -> tuple[str, str] | None:
    """(page id, anchor) for an allowed ``page:`` link, else None."""
    m = _PAGE.fullmatch(href)
    return (m.group(1), m.group(2) or "") if m else None


def link_allowed(href: str, citation: bool = False) -> bool:
    """Whether a link target may stay in a page (see the module docstring)."""
    if clean_url(href) != href:
        return False
    folded = href.casefold()
    if folded.startswith("page:"):
        return page_target(href) is not None
    if citation and _CITE.fullmatch(href):
        return True
    return bool(_ANCHOR.fullmatch(href) or _WEB.fullmatch(href))


def image_allowed(src: str, images: Collection[str] | None) -> bool:
    """Only a plain ``images/NAME`` (no scheme, host, absolute or ``..`` path) that exists."""
    if clean_url(src) != src or not _IMAGE.fullmatch(src) or ".." in src:
        return False
    return images is None or src in images


def _attribute_allowed(name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRIBUTES:
        return False
    if name == "style":
        return bool(_TEXT_ALIGN.fullmatch(value))
    return "url(" not in value.casefold().replace(" ", "")


def check_tree(
    root: ET.Element,
    lines: dict[ET.Element, tuple[int, bool]],
    images: Collection[str] | None,
    findings: PageFindings,
) -> None:
    """Validate and clean every element of ``root`` in place; record what was met and refused."""
    parents = {c: p for p in root.iter() for c in p}
    for el in list(root.iter()):
        line, generated = lines.get(el, (-1, False))
        for name, value in list(el.attrib.items()):
            if name in ("href", "src"):
                continue
            if not _attribute_allowed(name, value):
                del el.attrib[name]
                findings.markup.append(MarkupFinding(line, "attribute", f"{name}={value!r}"))
        if el.tag == "a" and "href" in el.attrib:
            _check_link(el, line, generated, findings)
        elif el.tag == "img":
            _check_image(el, parents.get(el), line, images, findings)
        elif "href" in el.attrib or "src" in el.attrib:
            for name in ("href", "src"):
                if name in el.attrib:
                    findings.markup.append(MarkupFinding(line, "attribute", f"{name}="))
                    del el.attrib[name]


def _check_link(el: ET.Element, line: int, generated: bool, findings: PageFindings) -> None:
    href = el.get("href", "")
    citation = el.get("class") == "cite"
    allowed = link_allowed(href, citation)
    if citation and allowed:
        return  # numbered citations are findings of their own
    target = page_target(href) if allowed else None
    page, anchor = target or ("", "")
    findings.links.append(LinkFinding(line, href, page, anchor, allowed, generated))
    if not allowed:
        del el.attrib["href"]


def _check_image(
    el: ET.Element,
    parent: ET.Element | None,
    line: int,
    images: Collection[str] | None,
    findings: PageFindings,
) -> None:
    src = el.get("src", "")
    allowed = image_allowed(src, images)
    findings.images.append(ImageFinding(line, src, allowed))
    if allowed or parent is None:
        return
    index = list(parent).index(el)
    placeholder = ET.Element("span", {"class": "missing"})
    placeholder.text = "[image not available]"
    placeholder.tail = el.tail
    parent.remove(el)
    parent.insert(index, placeholder)
