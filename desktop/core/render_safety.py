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
    """Validate and clean every element of ``root`` in place; record what was met and refused.

    Walks (parent, index) pairs: one element can sit at two places of the tree (see
    render_lines._unwrap_temporaries); each place is cleaned, each element reported once.
    """
    parents = {c: p for p in root.iter() for c in p}
    reported: set[int] = set()
    for parent in list(root.iter()):
        for index, el in enumerate(list(parent)):
            line, generated = _line_of(el, lines, parents)
            report = id(el) not in reported
            reported.add(id(el))
            _check_attributes(el, line, findings if report else PageFindings())
            if el.tag == "a" and "href" in el.attrib:
                _check_link(el, line, generated, findings if report else PageFindings())
            elif el.tag == "img" and not _check_image(el, line, images, findings, report):
                parent[index] = _missing_image(el.tail)


def _check_attributes(el: ET.Element, line: int, findings: PageFindings) -> None:
    for name, value in list(el.attrib.items()):
        if (el.tag, name) in (("a", "href"), ("img", "src")):
            continue  # checked as URLs
        if not _attribute_allowed(name, value) or name in ("href", "src"):
            del el.attrib[name]
            findings.markup.append(MarkupFinding(line, "attribute", f"{name}={value!r}"))


def _line_of(
    el: ET.Element, lines: dict[ET.Element, tuple[int, bool]], parents: dict[ET.Element, ET.Element]
) -> tuple[int, bool]:
    """The element's source line; elements made after the lines pass (glossary spans, captions)
    take their nearest ancestor's."""
    node: ET.Element | None = el
    while node is not None:
        if node in lines:
            return lines[node]
        node = parents.get(node)
    return 0, False


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
    el: ET.Element, line: int, images: Collection[str] | None, findings: PageFindings, report: bool
) -> bool:
    """Whether the image may stay; recorded as a finding when ``report``."""
    src = el.get("src", "")
    allowed = image_allowed(src, images)
    if report:
        findings.images.append(ImageFinding(line, src, allowed))
    return allowed


def _missing_image(tail: str | None) -> ET.Element:
    """The visible placeholder that stands where a refused image was."""
    placeholder = ET.Element("span", {"class": "missing"})
    placeholder.text = "[image not available]"
    placeholder.tail = tail
    return placeholder
