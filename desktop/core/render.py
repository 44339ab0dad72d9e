"""Markdown → HTML for Qt's QTextBrowser, with LenRef's extensions.

Extensions of ours (small, registered with names and priorities like Python-Markdown's own):
- ``[@key]``, ``[@a; @b]``, ``[@key, Table 2]`` → numbered superscript links ``cite:key?loc=…`` and a
  numbered reference list at the end of the page;
- ``[text](page:id#slug)`` stays an in-app link (class ``internal``);
- ``{{trial:ID.field}}`` → the figure from trials.yaml followed by its citation;
- glossary terms → ``<span class="gloss" title="…">`` on their first use in a page;
- images → a captioned figure; tables get the attributes QTextBrowser needs for borders.

The output is an HTML fragment with no scripts and no external resources (images are ``images/x.svg``
names that the UI resolves from the database). Rendering never raises on content problems: checks.py
reports them, and the renderer prints a visible placeholder instead.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from .evidence_table import expand_evidence_tables
from .model import EVIDENCE_TYPE_LABELS, GlossaryEntry, Reference, RenderedPage, Section, Trial
from .trialfmt import MACRO_RE, MacroFigure, TrialFieldError, figure

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


@dataclass
class _State:
    refs: dict[str, Reference]
    glossary: list[GlossaryEntry]
    order: list[str] = field(default_factory=list)
    cited: list[tuple[str, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def number(self, key: str) -> int:
        if key not in self.order:
            self.order.append(key)
        return self.order.index(key) + 1


class _CitationInline(InlineProcessor):
    def __init__(self, pattern: str, state: _State) -> None:
        super().__init__(pattern)
        self.state = state

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 - Markdown API
        items = parse_citation(m.group(1))
        if not items:
            return None, None, None
        sup = ET.Element("sup", {"class": "cite"})
        for i, (key, locator) in enumerate(items):
            if i:
                ET.SubElement(sup, "span").text = ","
            self.state.cited.append((key, locator))
            if key not in self.state.refs:
                bad = ET.SubElement(sup, "span", {"class": "missing"})
                bad.text = f"?{key}"
                continue
            n = self.state.number(key)
            href = f"cite:{key}" + (f"?loc={quote(locator)}" if locator else "")
            a = ET.SubElement(sup, "a", {"href": href, "class": "cite"})
            a.text = str(n)
            ref = self.state.refs[key]
            a.set(
                "title",
                f"{ref.authors.split(',')[0]} {ref.year}" + (f", {locator}" if locator else ""),
            )
        return sup, m.start(0), m.end(0)


class _LinkTree(Treeprocessor):
    def __init__(self, md: markdown.Markdown, state: _State) -> None:
        super().__init__(md)
        self.state = state

    def run(self, root: ET.Element) -> None:
        for a in root.iter("a"):
            href = a.get("href", "")
            if href.startswith("page:"):
                self.state.links.append(href[5:])
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

    def __init__(self, md: markdown.Markdown, state: _State) -> None:
        super().__init__(md)
        self.state = state
        self.forms, self.regex = _glossary_matcher(tuple(state.glossary))
        self.done: set[str] = set()

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

    def __init__(self, md: markdown.Markdown, state: _State, title: str) -> None:
        super().__init__(md)
        self.state = state
        self.title = title

    def run(self, root: ET.Element) -> None:
        current = Section(anchor="", heading=self.title, level=1, text="")
        texts: list[str] = []
        sections: list[Section] = []
        for child in root:
            if child.tag in ("h2", "h3"):
                current.text = "\n".join(t for t in texts if t)
                sections.append(current)
                current = Section(
                    anchor=child.get("id", ""),
                    heading=_plain_text(child),
                    level=int(child.tag[1]),
                    text="",
                )
                texts = []
            else:
                texts.append(_plain_text(child))
        current.text = "\n".join(t for t in texts if t)
        sections.append(current)
        # The lead section (anchor "") is kept even when empty: it stands for the page as a whole.
        self.state.sections = sections


class _LenRefExtension(Extension):
    def __init__(self, state: _State, title: str) -> None:
        super().__init__()
        self.state = state
        self.title = title

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown API
        # Above the link pattern (160) so that "[@key]" is not read as a reference link.
        md.inlinePatterns.register(_CitationInline(CITE_RE.pattern, self.state), "lenref-cite", 175)
        md.treeprocessors.register(_GlossaryTree(md, self.state), "lenref-glossary", 15)
        md.treeprocessors.register(_LinkTree(md, self.state), "lenref-links", 12)
        # After toc (priority 5) has set the heading ids.
        md.treeprocessors.register(_SectionTree(md, self.state, self.title), "lenref-sections", 2)


def _explicit_cuts(block: str, trials: dict[str, Trial]) -> set[tuple[str, str]]:
    """(trial, analysis) pairs whose caption the block prints itself with ``….analysis``."""
    out = set()
    for m in MACRO_RE.finditer(block):
        trial = trials.get(m.group(1))
        if trial is not None and m.group(3) == "analysis":
            cut = trial.analysis(m.group(2))
            if cut is not None:
                out.add((trial.id, cut.key))
    return out


def _cite(fig: MacroFigure) -> str:
    locator = fig.locator.replace(";", ",").replace("]", ")")
    return f"[@{fig.source}" + (f", {locator}" if locator else "") + "]"


def expand_trial_macros(
    body: str, trials: dict[str, Trial], refs: dict[str, Reference]
) -> tuple[str, list[str]]:
    """Replace ``{{trial:ID[@cut].field}}`` with the figure, its data cut and its citation.

    Within one block (paragraph, list item or table row) the first figure of each data cut names
    that cut ("… (final analysis, median follow-up 50 months)") unless the block prints it with
    ``{{trial:ID.analysis}}``, and the first figure from each source carries the citation.
    """
    used: list[str] = []
    out_blocks = []
    for block in re.split(r"(\n\s*\n|\n(?=\|))", body):
        named = _explicit_cuts(block, trials)
        cited: set[str] = set()

        def sub(
            m: re.Match[str], named: set[tuple[str, str]] = named, cited: set[str] = cited
        ) -> str:
            trial = trials.get(m.group(1))
            if trial is None:
                return f"[unknown trial {html.escape(m.group(1))}]"
            try:
                fig = figure(trial, m.group(2), m.group(3))
            except TrialFieldError:
                return f"[no figure: {trial.name} {m.group(3)}]"
            if trial.id not in used:
                used.append(trial.id)
            text = fig.text
            if fig.analysis is not None and (trial.id, fig.analysis.key) not in named:
                named.add((trial.id, fig.analysis.key))
                text = fig.captioned()
            if fig.source in refs and fig.source not in cited and m.group(3) != "name":
                cited.add(fig.source)
                text += _cite(fig)
            return text

        out_blocks.append(MACRO_RE.sub(sub, block))
    return "".join(out_blocks), used


def reference_list_html(refs: list[Reference]) -> str:
    items = []
    for i, ref in enumerate(refs, 1):
        links = []
        if ref.doi:
            links.append(
                f'<a class="external" href="https://doi.org/{html.escape(ref.doi)}">DOI</a>'
            )
        if ref.pmid:
            links.append(
                f'<a class="external" href="https://pubmed.ncbi.nlm.nih.gov/{html.escape(ref.pmid)}/">'
                f"PubMed</a>"
            )
        items.append(
            f'<li id="ref-{i}"><a name="ref-{i}"></a>{html.escape(ref.vancouver())} '
            f'<span class="evidence">[{html.escape(EVIDENCE_TYPE_LABELS.get(ref.evidence, ref.evidence))}]</span> '
            + " · ".join(links)
            + "</li>"
        )
    return (
        '<h2 id="references"><a name="references"></a>References</h2>\n<ol class="refs">\n'
        + "\n".join(items)
        + "\n</ol>"
    )


MAP_MACRO = "{{mechanism-map}}"
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


def render_page(
    page_id: str,
    title: str,
    body: str,
    refs: dict[str, Reference],
    glossary: list[GlossaryEntry],
    trials: dict[str, Trial],
    mechanism_map: str = "",
) -> RenderedPage:
    """Render one page body; never raises for content problems (checks.py reports those)."""
    state = _State(refs=refs, glossary=glossary)
    if MAP_MACRO in body:
        body = body.replace(MAP_MACRO, mechanism_map or "")
    body = expand_evidence_tables(body, trials.values())
    text, used_trials = expand_trial_macros(body, trials, refs)
    md = markdown.Markdown(
        extensions=[
            "tables",
            "attr_list",
            "sane_lists",
            "toc",
            _LenRefExtension(state, title),
        ],
        extension_configs={"toc": {"permalink": False}},
        output_format="html",
    )
    html_body = md.convert(text)
    # Qt's QTextBrowser scrolls to <a name="…"> anchors; give every heading one.
    html_body = re.sub(r'<(h[1-6]) id="([^"]+)">', r'<\1 id="\2"><a name="\2"></a>', html_body)
    cited_refs = [refs[k] for k in state.order if k in refs]
    if cited_refs:
        html_body += "\n" + reference_list_html(cited_refs)
    return RenderedPage(
        id=page_id,
        html=html_body,
        sections=state.sections,
        cited=state.cited,
        links=state.links,
        trials=used_trials,
    )
