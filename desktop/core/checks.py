"""Cross-file checks on page bodies: citations, links, images, trial macros, numbers, abbreviations.

Every finding is a Problem at the page's ``file:line`` with a hint. The rules are those of
content/README.md; ``strict`` in the build turns the warnings into errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .evidence_table import TABLE_RE
from .model import Content, PageSource, Problem, RenderedPage
from .render import CITE_RE, MAP_MACRO, parse_citation
from .trialfmt import MACRO_RE, TrialFieldError, figure

LINK_RE = re.compile(r"\]\(page:([^)#\s]*)(?:#([^)\s]*))?\)")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)[^)]*\)")
RAW_DANGER_RE = re.compile(
    r"<\s*(script|iframe|object|embed|link|style)\b|\bsrc\s*=\s*[\"']?https?:", re.I
)
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
STRIP_FOR_TOKENS = re.compile(
    r"\[@[^\]]*\]|\{\{[^}]*\}\}|\]\([^)]*\)|<[^>]+>|https?://\S+|`[^`]*`|\{[#.:][^}]*\}"
)


def _is_table_macro(line: str) -> bool:
    """The generated-table macros: the mechanism map and the evidence tables."""
    return MAP_MACRO in line or TABLE_RE.search(line) is not None


def _upper_count(token: str) -> int:
    return sum(1 for c in token if c.isupper())


def iter_blocks(body: str) -> Iterator[tuple[int, str, str]]:
    """Yield (0-based line index, kind, text) for paragraphs, list items and table rows.

    Headings and image-only lines are skipped; continuation lines join their block.
    """
    kind = ""
    start = 0
    buf: list[str] = []

    def flush() -> Iterator[tuple[int, str, str]]:
        if buf:
            yield start, kind, " ".join(buf)

    for i, raw in enumerate(body.splitlines()):
        line = raw.strip()
        if not line:
            yield from flush()
            buf = []
            continue
        if line.startswith("#"):
            yield from flush()
            buf = []
            continue
        if line.startswith("|"):
            yield from flush()
            buf = []
            if not re.fullmatch(r"\|?[\s:|-]+\|?", line):
                yield i, "row", line
            continue
        if re.match(r"([-*+]|\d+[.)])\s", line):
            yield from flush()
            buf = [line]
            kind, start = "item", i
            continue
        if not buf:
            kind, start = "paragraph", i
        buf.append(line)
    yield from flush()


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
        lines = page.body.splitlines()
        for i, line in enumerate(lines):
            self._check_line(page, i, line)
        for index, kind, text in iter_blocks(page.body):
            self._check_numbers(page, index, kind, text)
        self._check_tokens(page, -1, f"{page.title} {page.summary}")
        seen_tokens: set[str] = set()
        for i, line in enumerate(lines):
            if line.lstrip().startswith("|") and re.fullmatch(r"\|?[\s:|-]+\|?", line.strip()):
                continue
            self._check_tokens(page, i, line, seen_tokens)
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

    def _check_line(self, page: PageSource, i: int, line: str) -> None:
        if re.match(r"#\s", line):
            self.add(page, i, "error", "a level-1 heading in the body", "headings start at '##'")
        if RAW_DANGER_RE.search(line):
            self.add(page, i, "error", "script, embedded object or external resource", "remove it")
        for m in CITE_RE.finditer(line):
            for key, _ in parse_citation(m.group(1)):
                if key in self.content.references:
                    self.used_refs.add(key)
                else:
                    self.add(
                        page,
                        i,
                        "error",
                        f"unknown citation key '{key}'",
                        "add it to references.yaml or fix the key",
                    )
        for m in LINK_RE.finditer(line):
            target, slug = m.group(1), m.group(2)
            if target not in self.pages:
                self.add(
                    page, i, "error", f"link to missing page '{target}'", "use an existing page id"
                )
                continue
            if slug:
                anchors = {s.anchor for s in self.rendered[target].sections} | {"references"}
                if slug not in anchors:
                    self.add(
                        page,
                        i,
                        "error",
                        f"link to missing section '{target}#{slug}'",
                        f"sections of {target}: {', '.join(sorted(a for a in anchors if a))}",
                    )
        for m in IMAGE_RE.finditer(line):
            src = m.group(1)
            if src.startswith(("http:", "https:", "//")):
                self.add(
                    page, i, "error", f"external image '{src}'", "copy it into content/images/"
                )
            elif src not in self.content.images:
                self.add(
                    page, i, "error", f"missing image '{src}'", "add the file to content/images/"
                )
            else:
                self.used_images.add(src)
        for m in MACRO_RE.finditer(line):
            trial = self.content.trials.get(m.group(1))
            if trial is None:
                self.add(page, i, "error", f"unknown trial '{m.group(1)}'", "add it to trials.yaml")
                continue
            try:
                self.used_refs.add(figure(trial, m.group(2), m.group(3)).source)
            except TrialFieldError as exc:
                self.add(page, i, "error", str(exc), "use a filled field of the trial record")
        if "{{" in line and not MACRO_RE.search(line) and not _is_table_macro(line):
            self.add(
                page,
                i,
                "error",
                "malformed macro",
                "write {{trial:ID.field}} or {{trial:ID@analysis.field}}",
            )

    def _check_numbers(self, page: PageSource, index: int, kind: str, text: str) -> None:
        if text.lstrip().startswith("!["):
            return
        bare = CITE_RE.sub("", text)
        if "{{trial:" in text or bare != text:
            return
        bare = re.sub(r"\]\([^)]*\)", "]", bare)
        m = NUMBER_RE.search(bare)
        if m:
            what = {"row": "table row", "item": "list item"}.get(kind, "paragraph")
            self.add(
                page,
                index,
                "error",
                f"{what} states a number ('{m.group(0).strip()}') without a citation",
                "add [@key] for its source, or insert the figure with {{trial:ID.field}}",
            )

    def _check_tokens(
        self, page: PageSource, index: int, text: str, seen: set[str] | None = None
    ) -> None:
        text = STRIP_FOR_TOKENS.sub(" ", text)
        if index >= 0 and text.lstrip().startswith("#"):
            text = text.lstrip("# ")
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
    return checker.problems
