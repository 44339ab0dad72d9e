"""Cross-file checks on page bodies: citations, links, images, trial macros, numbers, abbreviations.

There is one reading of the Markdown: the renderer's. Each rendered page carries its findings
(``RenderedPage.findings``: every citation, link, image, macro and refused piece of markup, and
the plain text of each line and block, with its source line), and these checks judge them. Every
problem is a Problem at the page's ``file:line`` with a hint. The rules are those of
content/README.md; ``strict`` in the build turns the warnings into errors.
"""

from __future__ import annotations

import re
from pathlib import Path

from .diagram_links import problems as diagram_problems
from .model import (
    Content,
    ImageFinding,
    LinkFinding,
    MacroFinding,
    PageFindings,
    PageSource,
    Problem,
    RenderedPage,
    TextBlock,
)
from .render_safety import clean_url

# A statement about patients or trials: a percentage, a duration in months, an effect measure or a count.
NUMBER_RE = re.compile(
    r"\d+(?:[.,]\d+)?\s?%"
    r"|\b\d+(?:\.\d+)?\s*(?:months?|mo)\b"
    r"|\b(?:HR|ORR|OS|PFS|CR|VGPR|MRD)\b[^.;]{0,40}?\d"
    r"|\bn\s*=\s*\d"
    r"|\b\d[\d,]*\s+(?:\w+\s+){0,3}?(?:patients|participants|subjects|people|cases)\b",
)
TOKEN_RE = re.compile(r"[0-9A-Za-zα-ωΑ-Ω][0-9A-Za-zα-ωΑ-Ω.\-]*[0-9A-Za-zα-ωΑ-Ω]|[A-Z]")
ROMAN_RE = re.compile(r"^[IVXL]+[a-c]?$")
TRIAL_LIKE_RE = re.compile(
    r"^(?=[A-Za-z]{4,}-)[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*-\d{1,3}$"
)  # KarMMa-3, not IL-6
URL_RE = re.compile(r"https?://\S+")  # a URL written out in prose is not an abbreviation
MARKUP_PROBLEMS = {
    "raw-html": (
        "raw HTML {text!r} is shown as text",
        "write it in Markdown (scripts, embedded objects and external resources are never allowed)",
    ),
    "attribute": ("attribute {text} is not allowed", "remove it"),
    "h1": ("a level-1 heading in the body", "headings start at '##'"),
}


def _upper_count(token: str) -> int:
    return sum(1 for c in token if c.isupper())


class _PageChecker:
    def __init__(self, content: Content, rendered: dict[str, RenderedPage]) -> None:
        self.content = content
        self.rendered = rendered
        self.problems: list[Problem] = []
        self.pages = {p.id: p for p in content.pages}
        self.known_tokens: set[str] = set()
        self.trial_names: set[str] = set()
        for entry in content.glossary:
            for form in entry.all_forms():
                self.known_tokens.add(form.casefold())
        for trial in content.trials.values():
            for name in [trial.name, *trial.aliases]:
                self.trial_names.add(name.casefold())
        self.known_tokens |= self.trial_names
        self.used_refs: set[str] = set()
        self.used_images: set[str] = set()

    def add(self, page: PageSource, index: int, severity: str, message: str, hint: str) -> None:
        line = page.body_line + index if index >= 0 else 1
        self.problems.append(Problem(page.path, line, severity, message, hint))  # type: ignore[arg-type]

    def check_page(self, page: PageSource) -> None:
        found = self.rendered[page.id].findings
        self._check_markup(page, found)
        self._check_citations(page, found)
        for link in found.links:
            self._check_link(page, link)
        for image in found.images:
            self._check_image(page, image)
        for macro in found.macros:
            self._check_macro(page, macro)
        for block in found.blocks:
            self._check_numbers(page, block)
        self._check_tokens(page, -1, f"{page.title} {page.summary}")
        seen_tokens: set[str] = set()
        for line in found.lines:
            self._check_tokens(page, line.line, line.text, seen_tokens)
        for rel in page.related:
            if rel not in self.pages:
                self.add(page, -1, "error", f"related page '{rel}' does not exist", "fix the id")
        for link in page.countered_by:
            target = self.pages.get(link.page)
            if target is None:
                self.add(
                    page,
                    -1,
                    "error",
                    f"countered_by page '{link.page}' does not exist",
                    "fix the id",
                )
            elif target.part != "strategies":
                self.add(
                    page,
                    -1,
                    "error",
                    f"countered_by page '{link.page}' is not a strategy page",
                    "point countered_by at a page in strategies/",
                )

    def _check_markup(self, page: PageSource, found: PageFindings) -> None:
        """Refused markup, one problem per line and kind (``<b>x</b>`` is one finding, not two)."""
        reported: set[tuple[int, str]] = set()
        for item in found.markup:
            if (item.line, item.kind) in reported:
                continue
            reported.add((item.line, item.kind))
            message, hint = MARKUP_PROBLEMS[item.kind]
            self.add(page, item.line, "error", message.format(text=item.text), hint)

    def _check_citations(self, page: PageSource, found: PageFindings) -> None:
        for cite in found.citations:
            if cite.key in self.content.references:
                self.used_refs.add(cite.key)
            elif not cite.generated:
                self.add(
                    page,
                    cite.line,
                    "error",
                    f"unknown citation key '{cite.key}'",
                    "add it to references.yaml or fix the key",
                )

    def _check_link(self, page: PageSource, link: LinkFinding) -> None:
        # Generated tables link what the build made (trial cards, countered_by, checked there).
        if link.generated:
            return
        if not link.allowed:
            self._refused_link(page, link)
            return
        if not link.page:
            return
        if link.page not in self.pages:
            self.add(
                page,
                link.line,
                "error",
                f"link to missing page '{link.page}'",
                "use an existing page id",
            )
            return
        if link.anchor:
            anchors = {s.anchor for s in self.rendered[link.page].sections} | {"references"}
            if link.anchor not in anchors:
                self.add(
                    page,
                    link.line,
                    "error",
                    f"link to missing section '{link.page}#{link.anchor}'",
                    f"sections of {link.page}: {', '.join(sorted(a for a in anchors if a))}",
                )

    def _refused_link(self, page: PageSource, link: LinkFinding) -> None:
        """A target the renderer removed: a page: link it could not read, or another scheme."""
        if link.href.startswith("page:") and clean_url(link.href) == link.href:
            target = link.href[5:].partition("#")[0]
            self.add(
                page,
                link.line,
                "error",
                f"link to missing page '{target}'",
                "use an existing page id",
            )
        else:
            self.add(
                page,
                link.line,
                "error",
                f"link target {link.href!r} is not allowed",
                "link pages with page:ID or page:ID#section (external sites: https://…)",
            )

    def _check_image(self, page: PageSource, image: ImageFinding) -> None:
        src = image.src
        if clean_url(src).casefold().startswith(("http:", "https:", "//")):
            self.add(
                page, image.line, "error", f"external image '{src}'", "copy it into content/images/"
            )
        elif not image.allowed or src not in self.content.images:
            self.add(
                page,
                image.line,
                "error",
                f"missing image '{src}'",
                "add the file to content/images/",
            )
        else:
            self.used_images.add(src)

    def _check_macro(self, page: PageSource, macro: MacroFinding) -> None:
        if macro.error == "malformed":
            self.add(
                page,
                macro.line,
                "error",
                "malformed macro",
                "write {{trial:ID.field}} or {{trial:ID@analysis.field}}",
            )
        elif macro.error == "unknown":
            self.add(
                page, macro.line, "error", f"unknown trial '{macro.trial}'", "add it to trials.yaml"
            )
        elif macro.error:
            self.add(
                page, macro.line, "error", macro.error, "use a filled field of the trial record"
            )
        else:
            self.used_refs.add(macro.source)

    def _check_numbers(self, page: PageSource, block: TextBlock) -> None:
        if block.sourced:
            return
        m = NUMBER_RE.search(block.text)
        if m:
            what = {"row": "table row", "item": "list item"}.get(block.kind, "paragraph")
            self.add(
                page,
                block.line,
                "error",
                f"{what} states a number ('{m.group(0).strip()}') without a citation",
                "add [@key] for its source, or insert the figure with {{trial:ID.field}}",
            )

    def _check_tokens(
        self, page: PageSource, index: int, text: str, seen: set[str] | None = None
    ) -> None:
        text = URL_RE.sub(" ", text)
        seen = seen if seen is not None else set()
        for token in TOKEN_RE.findall(text):
            token = token.strip(".-")
            if _upper_count(token) < 2 or token in seen:
                continue
            seen.add(token)
            if self._known(token):
                if TRIAL_LIKE_RE.match(token) and token.casefold() not in self.trial_names:
                    self.add(
                        page,
                        index,
                        "warning",
                        f"'{token}' looks like a trial but has no trials.yaml record",
                        "add a record to trials.yaml (name or alias)",
                    )
                continue
            if TRIAL_LIKE_RE.match(token):
                self.add(
                    page,
                    index,
                    "error",
                    f"trial '{token}' is named but has no trials.yaml record",
                    "add a record to trials.yaml (name or alias)",
                )
                continue
            self.add(
                page,
                index,
                "warning",
                f"'{token}' is not in the glossary",
                "add it to glossary.yaml (term or alias), or to trials.yaml if it is a trial",
            )

    def _known(self, token: str) -> bool:
        folded = token.casefold()
        candidates = {folded, folded.rstrip("s"), folded.removesuffix("'s")}
        if candidates & self.known_tokens or ROMAN_RE.match(token):
            return True
        if "-" in token or "/" in token:
            parts = [p for p in re.split(r"[-/]", token) if p]
            return all(_upper_count(p) < 2 or ROMAN_RE.match(p) or self._known(p) for p in parts)
        return False

    def check_unused(self) -> None:
        # Trial sources are shown by the trial explorer even when no page quotes the trial.
        self.used_refs |= {k for t in self.content.trials.values() for k in t.sources()}
        for key, ref in self.content.references.items():
            if key not in self.used_refs:
                self.problems.append(
                    Problem(
                        "references.yaml",
                        ref.line,
                        "warning",
                        f"reference '{key}' is never cited",
                        "cite it or remove it",
                    )
                )
        texts = [
            f"{p.title}\n{p.summary}\n{p.body}\n"
            + "\n".join(f"{s.heading} {s.text}" for s in self.rendered[p.id].sections)
            for p in self.content.pages
            if p.id in self.rendered
        ]
        # One pass over all text: the set of words (hyphens separate words, so "anti-SLAMF7" uses
        # SLAMF7, as in the abbreviation rule), and the folded text for multi-word forms.
        words: set[str] = set()
        for text in texts:
            words.update(w.casefold() for w in re.findall(r"[\w.()/;:+]+", text))
            words.update(w.casefold() for w in re.findall(r"\w+", text))
        folded = " ".join(" ".join(t.split()) for t in texts).casefold()

        def used(form: str) -> bool:
            f = form.casefold()
            if f in words:
                return True
            return bool(re.search(r"(?<!\w)" + re.escape(f) + r"(?!\w)", folded))

        for entry in self.content.glossary:
            if not any(used(form) for form in entry.all_forms()):
                self.problems.append(
                    Problem(
                        "glossary.yaml",
                        entry.line,
                        "warning",
                        f"glossary term '{entry.term}' is never used",
                        "use it or remove it",
                    )
                )
        for image in sorted(self.content.images - self.used_images):
            self.problems.append(
                Problem(
                    image, 1, "warning", "image is not used by any page", "embed it or delete it"
                )
            )


def check(content: Content, rendered: dict[str, RenderedPage]) -> list[Problem]:
    """All cross-file problems; ``rendered`` maps page id → its render (for section anchors)."""
    checker = _PageChecker(content, rendered)
    for page in content.pages:
        checker.check_page(page)
    checker.check_unused()
    return checker.problems + _diagram_problems(content)


def _diagram_problems(content: Content) -> list[Problem]:
    """Each diagram box must link to a page that exists (diagram_links explains the rules)."""
    page_ids = {page.id for page in content.pages}
    found = []
    for name in sorted(n for n in content.images if n.endswith(".svg")):
        try:
            data = (Path(content.root) / name).read_bytes()
        except OSError:
            continue  # the content reader has already reported an unreadable image
        for message in diagram_problems(data, page_ids):
            found.append(Problem(name, 1, "error", message, "link boxes to existing page ids"))
    return found
