"""Markdown → HTML for Qt's QTextBrowser, with LenRef's extensions, all on Python-Markdown's API.

One ``PageRenderer`` (one ``Markdown`` instance, ``reset()`` between pages) renders every page of
a build. Its extension, modelled on ``markdown/extensions/footnotes.py``:
- preprocessor ``lenref-source`` (render_source.py): line markers, ``{{mechanism-map}}``,
  ``{{evidence-table:…}}`` and ``{{trial:ID[@cut].field}}`` (the figure, its data cut and citation);
- inline ``lenref-cite``: ``[@key]``, ``[@a; @b]``, ``[@key, Table 2]`` → numbered superscript
  links ``cite:key?loc=…``; inline ``lenref-figure``: the stashed trial figures; raw HTML (block
  and inline) is shown as text, never passed through;
- treeprocessor ``lenref-lines`` (render_lines.py): source lines of everything the checks need;
  ``lenref-glossary``: the first use of each glossary term gets a tooltip span; ``lenref-links``:
  link classes, captioned figures, table attributes; ``lenref-safety`` (render_safety.py): every
  URL and attribute of the final tree validated; ``lenref-anchors``: ``<a name>`` in headings (Qt
  scrolls to those); ``lenref-sections``: sections and their plain text for the index;
  ``lenref-backmatter``: "See also" and the numbered reference list as tree nodes at the end.

The output is an HTML fragment with no scripts and no external resources (images are
``images/x.svg`` names that the UI resolves from the database). Rendering never raises on content
problems: it records them as findings (``RenderedPage.findings``, with source lines) that
checks.py turns into problems, and prints a visible placeholder instead.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import HTML_RE, HtmlInlineProcessor, InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, HTML_PLACEHOLDER_RE, STX, AtomicString

from .model import (
    EVIDENCE_TYPE_LABELS,
    GlossaryEntry,
    PageFindings,
    Reference,
    RenderedPage,
    Section,
    Trial,
)
from .render_lines import FIGURE_TAG, RAW_TAG, TreeState, read_lines
from .render_safety import check_tree
from .render_source import CITE_MARK, FIGURE_MARK, MAP_MACRO, SourcePreprocessor, SourceState

__all__ = ["MAP_MACRO", "PageRenderer", "SeeAlso", "parse_citation", "render_page"]

CITE_RE = re.compile(r"\[(@[^\]\n]+)\]")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def parse_citation(inner: str) -> list[tuple[str, str]]:
    """``"@a; @b, Table 2"`` → ``[("a", ""), ("b", "Table 2")]``; items without ``@`` are skipped."""
    items = []
    for chunk in inner.split(";"):
        chunk = chunk.strip()
        if not chunk.startswith("@"):
            continue
        key, _, locator = chunk[1:].partition(",")
        items.append((key.strip(), locator.strip()))
    return items


@dataclass(frozen=True)
class SeeAlso:
    """The links a page shows under "See also", each (page id, title, evidence or "")."""

    countered_by: Sequence[tuple[str, str, str]] = ()  # strategies that may overcome it
    counters: Sequence[tuple[str, str, str]] = ()  # mechanisms this strategy may bypass
    related: Sequence[tuple[str, str, str]] = ()

    def __bool__(self) -> bool:
        return bool(self.countered_by or self.counters or self.related)


@dataclass
class _State:
    """Everything one page's rendering accumulates; ``reset`` between pages."""

    title: str = ""
    see_also: SeeAlso = field(default_factory=SeeAlso)
    source: SourceState = field(default_factory=SourceState)
    tree: TreeState = field(default_factory=TreeState)
    findings: PageFindings = field(default_factory=PageFindings)
    order: list[str] = field(default_factory=list)
    cited: list[tuple[str, str]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def number(self, key: str) -> int:
        if key not in self.order:
            self.order.append(key)
        return self.order.index(key) + 1


class _CitationInline(InlineProcessor):
    """``[@key, locator; @key2]`` as written, or a trial figure's citation marker."""

    def __init__(self, ext: LenRefExtension) -> None:
        marker = re.escape(CITE_MARK).replace(r"\{\}", r"(\d+)")
        super().__init__(f"{CITE_RE.pattern}|{marker}")
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Markdown API
        state = self.ext.state
        if m.group(1) is not None:
            items = parse_citation(m.group(1))
        else:
            items = [state.source.macro_cites[int(m.group(2))]]
        if not items:
            return None, None, None
        sup = ET.Element("sup", {"class": "cite"})
        for i, (key, locator) in enumerate(items):
            if i:
                # A comma and a thin space: "3,1" in a superscript reads as the decimal 3.1.
                ET.SubElement(sup, "span").text = ",\u2009"
            state.cited.append((key, locator))
            ref = self.ext.refs.get(key)
            if ref is None:
                bad = ET.SubElement(sup, "span", {"class": "missing"})
                bad.text = f"?{key}"
                continue
            href = f"cite:{key}" + (f"?loc={quote(locator)}" if locator else "")
            a = ET.SubElement(sup, "a", {"href": href, "class": "cite"})
            a.text = str(state.number(key))
            a.set(
                "title",
                f"{ref.authors.split(',')[0]} {ref.year}" + (f", {locator}" if locator else ""),
            )
        state.tree.citations.append((sup, items))
        return sup, m.start(0), m.end(0)


class _FigureInline(InlineProcessor):
    """A trial figure stashed by the preprocessor: its text, never read as Markdown."""

    def __init__(self, ext: LenRefExtension) -> None:
        super().__init__(re.escape(FIGURE_MARK).replace(r"\{\}", r"(\d+)"))
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Markdown API
        el = ET.Element(FIGURE_TAG)
        el.text = AtomicString(self.ext.state.source.figures[int(m.group(1))])
        return el, m.start(0), m.end(0)


class _RawHtmlInline(HtmlInlineProcessor):
    """Raw HTML (a tag, comment or processing instruction) becomes text, and a finding."""

    def __init__(self, ext: LenRefExtension) -> None:
        super().__init__(HTML_RE, ext.md)
        self.ext = ext

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Markdown API
        el = ET.Element(RAW_TAG)
        el.text = AtomicString(self.backslash_unescape(self.unescape(m.group(1))))
        self.ext.state.tree.raw.append(el)
        return el, m.start(0), m.end(0)


_ESCAPED = re.compile(STX + r"([0-9]+)" + ETX)  # a backslash escape until Markdown's last step


def unstash(md: markdown.Markdown, text: str) -> str:
    """Plain text with Markdown's placeholders replaced by the characters they stand for: HTML
    entities such as ``&amp;`` (stashed until serialization) and backslash escapes (``\\|``)."""
    blocks = md.htmlStash.rawHtmlBlocks
    text = HTML_PLACEHOLDER_RE.sub(lambda m: html.unescape(str(blocks[int(m.group(1))])), text)
    return _ESCAPED.sub(lambda m: chr(int(m.group(1))), text)


class _LineTree(Treeprocessor):
    def __init__(self, ext: LenRefExtension) -> None:
        super().__init__(ext.md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        state = self.ext.state
        read_lines(root, state.source, state.tree, state.findings, lambda t: unstash(self.md, t))


class _LinkTree(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        for a in root.iter("a"):
            href = a.get("href", "")
            if href.startswith("page:"):
                a.set("class", "internal")
            elif href.startswith(("http://", "https://")):
                a.set("class", "external")
        for img in list(root.iter("img")):
            img.set("class", "figure")
        for table in root.iter("table"):
            table.set("border", "1")
            table.set("cellspacing", "0")
            table.set("cellpadding", "5")
            table.set("width", "100%")
        # A paragraph holding only an image becomes a captioned figure.
        for p in root.iter("p"):
            kids = list(p)
            if len(kids) == 1 and kids[0].tag == "img" and not (p.text or "").strip():
                img = kids[0]
                caption = img.get("alt", "")
                p.set("class", "figure")
                p.set("align", "center")
                if caption:
                    br = ET.SubElement(p, "br")
                    br.tail = None
                    cap = ET.SubElement(p, "span", {"class": "caption"})
                    cap.text = caption


class _SafetyTree(Treeprocessor):
    def __init__(self, ext: LenRefExtension) -> None:
        super().__init__(ext.md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        state = self.ext.state
        check_tree(root, state.tree.lines, self.ext.images, state.findings)


class _AnchorTree(Treeprocessor):
    """Qt's QTextBrowser scrolls to ``<a name="…">`` anchors: give every heading with an id one."""

    def run(self, root: ET.Element) -> None:
        for el in root.iter():
            if el.tag in HEADINGS and el.get("id"):
                anchor = ET.Element("a", {"name": el.get("id", "")})
                anchor.tail, el.text = el.text, None
                el.insert(0, anchor)


@lru_cache(maxsize=4)
def _glossary_matcher(
    glossary: tuple[GlossaryEntry, ...],
) -> tuple[dict[str, GlossaryEntry], re.Pattern[str] | None]:
    """Form → entry, and one regex for all forms (longest first); built once per glossary."""
    forms: dict[str, GlossaryEntry] = {}
    for entry in glossary:
        for form in entry.all_forms():
            if len(form) >= 2:
                forms.setdefault(form, entry)
    if not forms:
        return forms, None
    alternatives = sorted(forms, key=len, reverse=True)
    pattern = r"(?<![\w-])(" + "|".join(re.escape(f) for f in alternatives) + r")(?![\w-])"
    return forms, re.compile(pattern)


class _GlossaryTree(Treeprocessor):
    """Wrap the first use of each glossary term in a page with a tooltip span."""

    SKIP = HEADINGS | {"a", "sup", "code", "pre", "span"}

    def __init__(self, ext: LenRefExtension) -> None:
        super().__init__(ext.md)
        self.forms, self.regex = _glossary_matcher(tuple(ext.glossary))
        self.done: set[str] = set()  # terms marked on this page; cleared by the extension's reset

    def _tip(self, entry: GlossaryEntry) -> str:
        head = f"{entry.term} — {entry.expansion}" if entry.expansion else entry.term
        return f"{head}: {entry.definition}"

    def _split(self, text: str) -> list[str | ET.Element]:
        out: list[str | ET.Element] = []
        pos = 0
        assert self.regex is not None
        for m in self.regex.finditer(text):
            entry = self.forms[m.group(1)]
            if entry.term in self.done:
                continue
            self.done.add(entry.term)
            out.append(text[pos : m.start()])
            span = ET.Element("span", {"class": "gloss", "title": self._tip(entry)})
            span.text = m.group(1)
            out.append(span)
            pos = m.end()
        out.append(text[pos:])
        return out

    def _walk(self, el: ET.Element) -> None:
        if el.tag in self.SKIP:
            return
        if el.text:
            parts = self._split(el.text)
            if len(parts) > 1:
                el.text = parts[0]  # type: ignore[assignment]
                self._insert(el, 0, parts[1:])
        i = 0
        while i < len(el):
            child = el[i]
            self._walk(child)
            if child.tail:
                parts = self._split(child.tail)
                if len(parts) > 1:
                    child.tail = parts[0]  # type: ignore[assignment]
                    i += self._insert(el, i + 1, parts[1:])
            i += 1

    @staticmethod
    def _insert(parent: ET.Element, index: int, parts: list[str | ET.Element]) -> int:
        """Insert alternating [span, text, span, text…] at index; returns elements inserted."""
        inserted = 0
        last: ET.Element | None = None
        for part in parts:
            if isinstance(part, ET.Element):
                parent.insert(index + inserted, part)
                last = part
                inserted += 1
            elif last is not None:
                last.tail = part
        return inserted

    def run(self, root: ET.Element) -> None:
        if self.regex is not None:
            for child in root:
                self._walk(child)


def _plain_text(el: ET.Element) -> str:
    """Text of an element without citation superscripts."""
    parts: list[str] = []

    def walk(node: ET.Element) -> None:
        if node.tag == "sup" and node.get("class") == "cite":
            pass
        else:
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
                if child.tail:
                    parts.append(child.tail)
        if node.tag in ("td", "th"):
            parts.append(" | ")
        elif node.tag in ("tr", "li"):
            parts.append("\x00")  # a line break of ours, unlike the source's own new lines
        elif node.tag in ("p", "h2", "h3", "h4", "br", "span"):
            parts.append(" ")

    walk(el)
    # Tables and lists keep one row or item per line (for `lenref page --text`); other
    # white space is folded.
    lines = (" ".join(line.split()) for line in "".join(parts).split("\x00"))
    text = "\n".join(line.rstrip(" |") for line in lines if line.strip(" |"))
    return re.sub(r"[ \t]+([.,;:)])", r"\1", text)


class _SectionTree(Treeprocessor):
    """Split the page into sections at ## and ### headings, with plain text for the index."""

    def __init__(self, ext: LenRefExtension) -> None:
        super().__init__(ext.md)
        self.ext = ext

    def _text(self, el: ET.Element) -> str:
        return unstash(self.md, _plain_text(el))

    def run(self, root: ET.Element) -> None:
        current = Section(anchor="", heading=self.ext.state.title, level=1, text="")
        texts: list[str] = []
        sections: list[Section] = []
        for child in root:
            if child.tag in ("h2", "h3"):
                current.text = "\n".join(t for t in texts if t)
                sections.append(current)
                current = Section(
                    anchor=child.get("id", ""),
                    heading=self._text(child),
                    level=int(child.tag[1]),
                    text="",
                )
                texts = []
            else:
                texts.append(self._text(child))
        current.text = "\n".join(t for t in texts if t)
        sections.append(current)
        # The lead section (anchor "") is kept even when empty: it stands for the page as a whole.
        self.ext.state.sections = sections


EVIDENCE_LABEL = {
    "preclinical": "preclinical",
    "early-clinical": "early clinical",
    "randomised": "randomised",
}


SPECIFIC_LABEL = {
    "none": "none specific to this mechanism",
    "preclinical": "preclinical evidence for this mechanism",
    "clinical": "clinical evidence for this mechanism",
}


def mechanism_map_markdown(pages: list[tuple[str, str, str, list[tuple[str, str, str]]]]) -> str:
    """A Markdown table of mechanisms × strategies from ``countered_by``.

    ``pages``: (id, title, part, countered_by[(strategy id, evidence overall, evidence specific to
    the mechanism)]) for every page, in order. Each strategy says both, so a "randomised" strategy
    is never read as tested against the mechanism.
    """
    titles = {pid: title for pid, title, _, _ in pages}
    rows = [
        (pid, title, counters)
        for pid, title, part, counters in pages
        if part == "resistance" and counters
    ]
    if not rows:
        return "*No mechanism has a countering strategy recorded yet.*"
    lines = [
        "| Mechanism | Strategies that may overcome it (evidence in LEN-refractory disease overall; "
        "evidence specific to the mechanism) |",
        "|---|---|",
    ]
    for pid, title, counters in rows:
        cells = "; ".join(
            f"[{titles.get(s, s)}](page:{s}) ({EVIDENCE_LABEL.get(ev, ev)} overall; "
            f"{SPECIFIC_LABEL.get(sp, sp)})"
            for s, ev, sp in counters
        )
        lines.append(f"| [{title}](page:{pid}) | {cells} |")
    return "\n".join(lines)


def _evidence_items(parent: ET.Element, links: Sequence[tuple[str, str, str]], sep: str) -> None:
    """``Title (evidence)`` links to other pages, ``sep``-separated, appended to ``parent``."""
    last: ET.Element | None = None
    for i, (pid, title, evidence) in enumerate(links):
        if i and last is not None:
            last.tail = (last.tail or "") + sep
        last = ET.SubElement(parent, "a", {"class": "internal", "href": f"page:{pid}"})
        last.text = title
        if evidence:
            last.tail = " "
            last = ET.SubElement(parent, "span", {"class": "meta"})
            last.text = f"({evidence})"


def _see_also(see: SeeAlso) -> list[ET.Element]:
    """The "See also" heading and its paragraphs (the order the reader always showed)."""
    heading = ET.Element("h2")
    ET.SubElement(heading, "a", {"name": "see-also"}).tail = "See also"
    out = [heading]
    for label, links, sep in (
        ("Strategies that may overcome this mechanism:", see.countered_by, ", "),
        ("Resistance mechanisms this strategy may bypass:", see.counters, ", "),
        ("Related:", see.related, " · "),
    ):
        if links:
            p = ET.Element("p")
            ET.SubElement(p, "b").text = label
            p[0].tail = " "
            _evidence_items(p, links, sep)
            out.append(p)
    return out


def _reference_item(i: int, ref: Reference) -> ET.Element:
    li = ET.Element("li", {"id": f"ref-{i}"})
    ET.SubElement(li, "a", {"name": f"ref-{i}"}).tail = f"{ref.vancouver()} "
    label = ET.SubElement(li, "span", {"class": "evidence"})
    label.text = f"[{EVIDENCE_TYPE_LABELS.get(ref.evidence, ref.evidence)}]"
    label.tail = " "
    links = []
    if ref.doi:
        links.append(("DOI", f"https://doi.org/{ref.doi}"))
    if ref.pmid:
        links.append(("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"))
    for n, (text, href) in enumerate(links):
        a = ET.SubElement(li, "a", {"class": "external", "href": href})
        a.text = text
        if n < len(links) - 1:
            a.tail = " · "
    li.tail = "\n"
    return li


def _reference_list(refs: list[Reference]) -> list[ET.Element]:
    heading = ET.Element("h2", {"id": "references"})
    ET.SubElement(heading, "a", {"name": "references"}).tail = "References"
    heading.tail = "\n"
    ol = ET.Element("ol", {"class": "refs"})
    ol.text = "\n"
    ol.extend(_reference_item(i, ref) for i, ref in enumerate(refs, 1))
    return [heading, ol]


class _BackmatterTree(Treeprocessor):
    """ "See also" and the reference list, as tree nodes after the body (references last)."""

    def __init__(self, ext: LenRefExtension) -> None:
        super().__init__(ext.md)
        self.ext = ext

    def run(self, root: ET.Element) -> None:
        state = self.ext.state
        nodes = _see_also(state.see_also) if state.see_also else []
        cited = [self.ext.refs[k] for k in state.order if k in self.ext.refs]
        if cited:
            nodes += _reference_list(cited)
        if nodes and len(root):
            root[-1].tail = "\n"  # as prettify ends every block
        root.extend(nodes)


class LenRefExtension(Extension):
    """LenRef's Markdown extension; its state holds one page and is cleared by ``reset``."""

    def __init__(
        self,
        refs: dict[str, Reference],
        glossary: list[GlossaryEntry],
        trials: dict[str, Trial],
        mechanism_map: str = "",
        images: Collection[str] | None = None,
    ) -> None:
        super().__init__()
        self.refs, self.glossary, self.trials = refs, glossary, trials
        self.mechanism_map = mechanism_map
        self.images = images
        self.state = _State()
        self._glossary: _GlossaryTree | None = None

    @property
    def source(self) -> SourceState:
        return self.state.source

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API
        self.md = md
        md.registerExtension(self)
        # Raw HTML is never passed through: block HTML is read as paragraphs, whose tags the
        # inline processor below turns into text (and findings).
        md.preprocessors.deregister("html_block")
        md.preprocessors.register(SourcePreprocessor(md, self), "lenref-source", 25)
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_RawHtmlInline(self), "lenref-raw-html", 90)
        md.inlinePatterns.register(_FigureInline(self), "lenref-figure", 176)
        # Above the link pattern (160) so that "[@key]" is not read as a reference link.
        md.inlinePatterns.register(_CitationInline(self), "lenref-cite", 175)
        md.treeprocessors.register(_LineTree(self), "lenref-lines", 19)
        self._glossary = _GlossaryTree(self)
        md.treeprocessors.register(self._glossary, "lenref-glossary", 15)
        md.treeprocessors.register(_LinkTree(md), "lenref-links", 12)
        # After attr_list (8), the last step that writes attributes; before toc (5) sets ids.
        md.treeprocessors.register(_SafetyTree(self), "lenref-safety", 7)
        md.treeprocessors.register(_AnchorTree(md), "lenref-anchors", 4)
        md.treeprocessors.register(_SectionTree(self), "lenref-sections", 2)
        md.treeprocessors.register(_BackmatterTree(self), "lenref-backmatter", 1)

    def reset(self) -> None:
        self.state = _State()
        if self._glossary is not None:
            self._glossary.done.clear()


class PageRenderer:
    """Renders the pages of one build with one reusable ``Markdown`` instance."""

    def __init__(
        self,
        refs: dict[str, Reference],
        glossary: list[GlossaryEntry],
        trials: dict[str, Trial],
        mechanism_map: str = "",
        images: Collection[str] | None = None,
    ) -> None:
        self.ext = LenRefExtension(refs, glossary, trials, mechanism_map, images)
        self.md = markdown.Markdown(
            extensions=["tables", "attr_list", "sane_lists", "toc", self.ext],
            extension_configs={"toc": {"permalink": False}},
            output_format="html",
        )

    def render(
        self, page_id: str, title: str, body: str, see_also: SeeAlso | None = None
    ) -> RenderedPage:
        """Render one page body; never raises for content problems (they become findings)."""
        self.md.reset()
        state = self.ext.state
        state.title = title
        state.see_also = see_also or SeeAlso()
        # One line convention for the whole pipeline: the content reader's (str.splitlines).
        html_body = self.md.convert("\n".join(body.splitlines()))
        findings = state.findings
        findings.macros = state.source.macros
        return RenderedPage(
            id=page_id,
            html=html_body,
            sections=state.sections,
            cited=state.cited,
            links=[f.href[5:] for f in findings.links if f.page],
            trials=state.source.trials,
            findings=findings,
        )


def render_page(
    page_id: str,
    title: str,
    body: str,
    refs: dict[str, Reference],
    glossary: list[GlossaryEntry],
    trials: dict[str, Trial],
    mechanism_map: str = "",
    images: Collection[str] | None = None,
) -> RenderedPage:
    """Render one page with a renderer of its own (a build reuses one ``PageRenderer``)."""
    renderer = PageRenderer(refs, glossary, trials, mechanism_map, images)
    return renderer.render(page_id, title, body)
