"""Plain data classes shared by the content reader, the build, the library façade and the UI.

Nothing here does I/O. Everything is immutable where practical so that objects can be handed
across threads (search results go from a worker thread to the GUI).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

PARTS: tuple[str, ...] = ("background", "action", "resistance", "strategies", "future")
PART_TITLES: dict[str, str] = {
    "background": "Background",
    "action": "How lenalidomide works",
    "resistance": "Mechanisms of resistance",
    "strategies": "Treatment strategies",
    "future": "Future perspectives",
}
EVIDENCE_LEVELS: tuple[str, ...] = ("preclinical", "early-clinical", "randomised")
EVIDENCE_TYPES: tuple[str, ...] = (
    "rct",
    "subgroup",
    "single-arm",
    "patient-series",
    "observational",
    "preclinical",
    "review",
    "guideline",
    "label",
)
EVIDENCE_TYPE_LABELS: dict[str, str] = {
    "rct": "randomised controlled trial",
    "subgroup": "subgroup analysis",
    "single-arm": "single-arm trial",
    "patient-series": "patient series",
    "observational": "observational study",
    "preclinical": "preclinical (cell lines or animals)",
    "review": "review",
    "guideline": "guideline",
    "label": "product label",
}
DRUG_CLASSES: tuple[str, ...] = (
    "imid",
    "celmod",
    "pi",
    "anti-cd38",
    "anti-slamf7",
    "xpo1-inhibitor",
    "bcl2-inhibitor",
    "bcma-adc",
    "bcma-car-t",
    "bcma-bispecific",
    "gprc5d-bispecific",
    "fcrh5-bispecific",
    "alkylator",
    "hdac-inhibitor",
    "anti-pd1",
    "transplant",
)

Severity = Literal["error", "warning"]


class SourceNumber(float):
    """A float that remembers the text it was written as (``11.20`` stays ``11.20``)."""

    text: str

    def __new__(cls, value: float, text: str) -> SourceNumber:
        obj = super().__new__(cls, value)
        obj.text = text
        return obj

    def __str__(self) -> str:
        return self.text

    def __reduce__(self):  # keep pickling/copying working
        return (SourceNumber, (float(self), self.text))


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located at ``file:line`` with a hint on how to fix it."""

    file: str
    line: int
    severity: Severity
    message: str
    hint: str = ""

    def format(self) -> str:
        text = f"{self.file}:{self.line}: {self.severity}: {self.message}"
        return f"{text} (fix: {self.hint})" if self.hint else text


@dataclass
class Reference:
    key: str
    authors: str
    title: str
    journal: str
    year: int
    evidence: str
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    line: int = 0

    def vancouver(self) -> str:
        """The reference in Vancouver style, as used in reference lists and "copy citation"."""
        authors = self.authors.rstrip(". ")
        parts = [f"{authors}. {self.title.rstrip('.')}. {self.journal.rstrip('.')}. {self.year}"]
        if self.volume:
            vol = self.volume + (f"({self.issue})" if self.issue else "")
            parts[0] += f";{vol}"
            if self.pages:
                parts[0] += f":{self.pages}"
        text = parts[0] + "."
        if self.doi:
            text += f" doi:{self.doi}."
        if self.pmid:
            text += f" PMID: {self.pmid}."
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "authors": self.authors,
            "title": self.title,
            "journal": self.journal,
            "year": self.year,
            "evidence": self.evidence,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "doi": self.doi,
            "pmid": self.pmid,
        }


@dataclass(eq=False)  # identity hashing: renderers cache per glossary object
class GlossaryEntry:
    term: str
    definition: str
    expansion: str | None = None
    aliases: list[str] = field(default_factory=list)
    line: int = 0

    def all_forms(self) -> list[str]:
        return [self.term, *self.aliases]


@dataclass
class Trial:
    """One trials.yaml record. Numbers keep the text the source printed (see content.SourceNumber)."""

    id: str
    name: str
    data: dict[str, Any]
    line: int = 0

    @property
    def source(self) -> str:
        return str(self.data.get("source") or "")

    @property
    def aliases(self) -> list[str]:
        return list(self.data.get("aliases") or [])


@dataclass
class CounterLink:
    page: str
    evidence: str


@dataclass
class PageSource:
    """A page as read from disk, before rendering."""

    id: str
    title: str
    part: str
    order: int
    summary: str
    reviewed: str
    path: str
    body: str
    body_line: int  # 1-based line of the first body line in the file
    aliases: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    countered_by: list[CounterLink] = field(default_factory=list)


class HasProblems:
    """``errors`` and ``warnings`` views over a ``problems`` list."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class Content(HasProblems):
    """Everything read from a content folder, plus the problems found while reading it."""

    root: str
    pages: list[PageSource]
    references: dict[str, Reference]
    glossary: list[GlossaryEntry]
    trials: dict[str, Trial]
    images: set[str]
    problems: list[Problem]


@dataclass
class Section:
    anchor: str
    heading: str
    level: int
    text: str  # plain text for indexing


@dataclass
class RenderedPage:
    id: str
    html: str
    sections: list[Section]
    cited: list[tuple[str, str]]  # (reference key, locator) in order of first citation
    links: list[str]  # target page ids
    trials: list[str]  # trial ids inserted by macro


@dataclass(frozen=True)
class PageInfo:
    id: str
    title: str
    part: str
    order: int
    summary: str
    reviewed: str


@dataclass(frozen=True)
class Page:
    info: PageInfo
    html: str
    sections: tuple[tuple[str, str], ...]  # (anchor, heading)
    references: tuple[Reference, ...]
    related: tuple[PageInfo, ...]
    countered_by: tuple[tuple[str, str], ...]  # (page id, evidence)
    counters: tuple[tuple[str, str], ...]  # mechanisms this strategy counters: (page id, evidence)
    aliases: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def title(self) -> str:
        return self.info.title


@dataclass(frozen=True)
class SearchHit:
    page: str
    anchor: str
    title: str
    heading: str
    part: str
    score: float
    snippet: str  # HTML-escaped text with <b class="hl">…</b> around matched terms

    def to_dict(self) -> dict[str, Any]:
        return {
            "page": self.page,
            "anchor": self.anchor,
            "title": self.title,
            "heading": self.heading,
            "part": self.part,
            "score": round(self.score, 4),
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    did_you_mean: str | None = None
    also_searched: tuple[str, ...] = ()
    corrected: bool = False  # hits are for did_you_mean because the query found nothing
    terms: tuple[str, ...] = ()  # words to highlight in the opened page

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "hits": [h.to_dict() for h in self.hits],
            "did_you_mean": self.did_you_mean,
            "also_searched": list(self.also_searched),
        }
