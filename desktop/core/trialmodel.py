"""Typed views of a trial record: its eligibility rules and its data cuts (analyses).

A ``Trial`` keeps the checked record as ``data`` (numbers as SourceNumber at build time and Decimal
at run time: ``str()`` of either is the text the source printed). The typed parts are built from it
on first use, so everything downstream (macro, explorer, trial card, CLI, PDF) reads the same values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# A figure as printed: int, SourceNumber/Decimal (str() is the source text), or "not reached".
Figure = Any


@dataclass(frozen=True)
class Arms:
    """One figure per arm; ``control`` is None for single-arm trials or when not reported."""

    experimental: Figure = None
    control: Figure = None

    @classmethod
    def of(cls, value: Any) -> Arms:
        if not isinstance(value, dict):
            return cls()
        return cls(value.get("experimental"), value.get("control"))

    @property
    def empty(self) -> bool:
        return self.experimental is None and self.control is None


@dataclass(frozen=True)
class HazardRatio:
    value: Figure
    ci_low: Figure = None
    ci_high: Figure = None
    ci_level: Figure = None
    p: str | None = None

    @classmethod
    def of(cls, value: Any) -> HazardRatio | None:
        if not isinstance(value, dict) or value.get("value") is None:
            return None
        return cls(
            value["value"],
            value.get("ci_low"),
            value.get("ci_high"),
            value.get("ci_level"),
            None if value.get("p") is None else str(value["p"]),
        )

    @property
    def has_ci(self) -> bool:
        return self.ci_low is not None and self.ci_high is not None


@dataclass(frozen=True)
class SafetyEvent:
    event: str
    grade: str
    experimental: Figure = None
    control: Figure = None


@dataclass(frozen=True)
class Safety:
    grade3plus_pct: Arms = field(default_factory=Arms)
    serious_pct: Arms = field(default_factory=Arms)
    discontinuation_pct: Arms = field(default_factory=Arms)
    fatal_ae_pct: Arms = field(default_factory=Arms)
    treatment_related_fatal_pct: Arms = field(default_factory=Arms)
    events: tuple[SafetyEvent, ...] = ()

    @classmethod
    def of(cls, value: Any) -> Safety | None:
        if not isinstance(value, dict):
            return None
        events = tuple(
            SafetyEvent(
                str(e["event"]), str(e.get("grade", "any")), e.get("experimental"), e.get("control")
            )
            for e in value.get("events") or []
            if isinstance(e, dict) and e.get("event")
        )
        return cls(
            Arms.of(value.get("grade3plus_pct")),
            Arms.of(value.get("serious_pct")),
            Arms.of(value.get("discontinuation_pct")),
            Arms.of(value.get("fatal_ae_pct")),
            Arms.of(value.get("treatment_related_fatal_pct")),
            events,
        )

    def rows(self) -> list[tuple[str, Arms]]:
        """(what, per-arm %) for every reported figure, summary rows first."""
        names = (
            ("Any adverse event of grade ≥3", self.grade3plus_pct),
            ("Serious adverse events", self.serious_pct),
            ("Discontinued for adverse events", self.discontinuation_pct),
            ("Adverse events with fatal outcome", self.fatal_ae_pct),
            ("Treatment-related deaths", self.treatment_related_fatal_pct),
        )
        out = [(name, arms) for name, arms in names if not arms.empty]
        for e in self.events:
            grade = {"any": "any grade", "5": "grade 5"}.get(
                e.grade, f"grade {e.grade.replace('+', ' or higher')}"
            )
            out.append(
                (f"{e.event[:1].upper()}{e.event[1:]}, {grade}", Arms(e.experimental, e.control))
            )
        return out


@dataclass(frozen=True)
class Subgroup:
    """The lenalidomide-refractory subgroup of a data cut."""

    n: Figure = None  # a number, or Arms
    pfs_months: Arms = field(default_factory=Arms)
    pfs_hr: HazardRatio | None = None
    orr_pct: Arms = field(default_factory=Arms)
    os_hr: HazardRatio | None = None

    @classmethod
    def of(cls, value: Any) -> Subgroup | None:
        if not isinstance(value, dict):
            return None
        n = value.get("n")
        return cls(
            Arms.of(n) if isinstance(n, dict) else n,
            Arms.of(value.get("pfs_months")),
            HazardRatio.of(value.get("pfs_hr")),
            Arms.of(value.get("orr_pct")),
            HazardRatio.of(value.get("os_hr")),
        )


@dataclass(frozen=True)
class SeenIn:
    title: str
    url: str


@dataclass(frozen=True)
class Analysis:
    """One data cut of a trial, with where its figures were published."""

    key: str
    label: str
    source: str
    locator: str
    data_cut: str | None = None
    follow_up: Figure = None  # a number, Arms, or None
    follow_up_kind: str = "median"
    scope: str = "all"  # "subgroup": only part of the population (see trialrecords.ANALYSIS_SCOPES)
    n: Figure = None
    n_arms: Arms = field(default_factory=Arms)
    pfs_months: Arms = field(default_factory=Arms)
    pfs_hr: HazardRatio | None = None
    orr_pct: Arms = field(default_factory=Arms)
    os_months: Arms = field(default_factory=Arms)
    os_hr: HazardRatio | None = None
    subgroup: Subgroup | None = None
    safety: Safety | None = None
    seen_in: tuple[SeenIn, ...] = ()
    default: bool = False
    notes: str | None = None

    @classmethod
    def of(cls, a: dict[str, Any]) -> Analysis:
        follow = a.get("follow_up_months")
        return cls(
            key=str(a["key"]),
            label=str(a["label"]),
            source=str(a["source"]),
            locator=str(a.get("locator") or ""),
            data_cut=None if a.get("data_cut") is None else str(a["data_cut"]),
            follow_up=Arms.of(follow) if isinstance(follow, dict) else follow,
            follow_up_kind=str(a.get("follow_up_kind") or "median"),
            scope=str(a.get("scope") or "all"),
            n=a.get("n"),
            n_arms=Arms.of(a.get("n_arms")),
            pfs_months=Arms.of(a.get("pfs_months")),
            pfs_hr=HazardRatio.of(a.get("pfs_hr")),
            orr_pct=Arms.of(a.get("orr_pct")),
            os_months=Arms.of(a.get("os_months")),
            os_hr=HazardRatio.of(a.get("os_hr")),
            subgroup=Subgroup.of(a.get("len_refractory_subgroup")),
            safety=Safety.of(a.get("safety")),
            seen_in=tuple(
                SeenIn(str(s["title"]), str(s["url"]))
                for s in a.get("seen_in") or []
                if isinstance(s, dict)
            ),
            default=a.get("default") is True,
            notes=a.get("notes"),
        )

    def follow_up_text(self) -> str | None:
        """'median follow-up 50 months' (or per arm), None when not reported."""
        f = self.follow_up
        if f is None or (isinstance(f, Arms) and f.empty):
            return None
        if isinstance(f, Arms):
            value = f"{_or_dash(f.experimental)} vs {_or_dash(f.control)} months"
        else:
            value = f"{f} months"
        return f"{self.follow_up_kind} follow-up {value}"

    def caption(self) -> str:
        """The data cut as a reader sees it: 'final analysis, median follow-up 50 months'."""
        follow = self.follow_up_text()
        return f"{self.label}, {follow}" if follow else self.label

    @property
    def has_efficacy(self) -> bool:
        return bool(
            self.pfs_hr
            or self.os_hr
            or not self.pfs_months.empty
            or not self.orr_pct.empty
            or not self.os_months.empty
        )


def _or_dash(value: Figure) -> str:
    return "–" if value is None else str(value)


@dataclass
class Trial:
    """One trials.yaml record. Numbers keep the text the source printed (see SourceNumber)."""

    id: str
    name: str
    data: dict[str, Any]
    line: int = 0

    @property
    def source(self) -> str:
        """The primary publication (design and eligibility)."""
        return str(self.data.get("source") or "")

    @property
    def aliases(self) -> list[str]:
        return list(self.data.get("aliases") or [])

    @property
    def design(self) -> str:
        return str(self.data.get("design") or "")

    @property
    def drugs(self) -> list[str]:
        return list(self.data.get("drugs") or [])

    @property
    def classes(self) -> list[str]:
        return list(self.data.get("classes") or [])

    @property
    def eligibility(self) -> dict[str, str]:
        return {k: str(v) for k, v in (self.data.get("eligibility") or {}).items()}

    def share(self, key: str) -> Figure:
        """The enrolled share refractory to ``key`` (refractory_pct), None if not reported."""
        return (self.data.get("refractory_pct") or {}).get(key)

    @cached_property
    def analyses(self) -> tuple[Analysis, ...]:
        return tuple(Analysis.of(a) for a in self.data.get("analyses") or [])

    @property
    def default_analysis(self) -> Analysis | None:
        """The data cut pages show by default: the one marked default, else the only one."""
        marked = [a for a in self.analyses if a.default]
        if marked:
            return marked[0]
        return self.analyses[-1] if self.analyses else None

    def analysis(self, key: str | None) -> Analysis | None:
        """The analysis with ``key`` (None → the default one)."""
        if key is None:
            return self.default_analysis
        return next((a for a in self.analyses if a.key == key), None)

    def sources(self) -> list[str]:
        """Reference keys of the record and every analysis, primary first, without repeats."""
        keys = [self.source, *(a.source for a in self.analyses)]
        return list(dict.fromkeys(k for k in keys if k))
