"""Which trials have evidence for a patient: matching a refractoriness profile against trial records.

Pure Python, shared by ``lenref trials`` and the Qt explorer. A patient profile is what the patient
is refractory to (lenalidomide, pomalidomide, bortezomib, carfilzomib, any PI, an anti-CD38 antibody,
triple-class) or exposed to (BCMA-directed therapy), plus the number of prior lines. For each trial:

- every item of the profile is judged against the protocol's rule and the enrolled share
  (``item_status``), and the items are combined into ``match``: excluded → enrolled → eligible →
  unknown (see ``match_trial``);
- ``conflicts`` are what the experimental arm holds that the patient is refractory to, at the level
  where cross-resistance is established (the same drug; the whole class for anti-CD38 antibodies).
  Another IMiD/CELMoD or PI is a "class switch" note instead, and prior BCMA-directed therapy is a note
  naming what the trial reported for such patients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .trialfmt import arms_text, compact_hr, dash, num
from .trialmodel import Analysis, HazardRatio, Trial

IMIDS = ("lenalidomide", "pomalidomide", "thalidomide")
CELMODS = ("iberdomide", "mezigdomide")
PIS = ("bortezomib", "carfilzomib", "ixazomib")
ANTI_CD38 = ("daratumumab", "isatuximab")
BCMA_DIRECTED = (
    "belantamab-mafodotin",
    "idecabtagene-vicleucel",
    "ciltacabtagene-autoleucel",
    "teclistamab",
    "elranatamab",
    "linvoseltamab",
)
MATCH_ORDER = ("enrolled", "eligible", "unknown", "excluded")
CONFLICT_LABELS = {"anti-cd38": "an anti-CD38 antibody"}
NO_PROFILE_HEADING = "All trials (choose what the patient is refractory to)"
MATCH_HEADINGS = {
    "enrolled": "Trials that enrolled patients like yours",
    "eligible": "Trials whose criteria admitted patients like yours",
    "unknown": "Trials that did not report on patients like yours",
    "excluded": "Trials that excluded patients like yours",
}


@dataclass(frozen=True)
class Item:
    """One thing a patient can be refractory (or exposed) to, and where trials record it."""

    label: str  # as read in "refractory to …"
    rule: str  # eligibility key
    share: str  # refractory_pct key
    drug: str | None = None  # the single drug, when the item is one drug


ITEMS: dict[str, Item] = {
    "lenalidomide": Item("lenalidomide", "lenalidomide_refractory", "lenalidomide", "lenalidomide"),
    "pomalidomide": Item("pomalidomide", "pomalidomide_refractory", "pomalidomide", "pomalidomide"),
    "bortezomib": Item("bortezomib", "bortezomib_refractory", "bortezomib", "bortezomib"),
    "carfilzomib": Item("carfilzomib", "carfilzomib_refractory", "carfilzomib", "carfilzomib"),
    "pi": Item("a proteasome inhibitor", "pi_refractory", "proteasome_inhibitor"),
    "anti-cd38": Item("an anti-CD38 antibody", "anti_cd38_refractory", "anti_cd38"),
    "triple-class": Item("triple-class", "triple_class_refractory", "triple_class"),
    "bcma": Item("BCMA-directed therapy (exposed)", "bcma_exposed", "prior_bcma"),
}
ALIASES = {
    "len": "lenalidomide",
    "pom": "pomalidomide",
    "btz": "bortezomib",
    "cfz": "carfilzomib",
    "proteasome-inhibitor": "pi",
    "any-pi": "pi",
    "cd38": "anti-cd38",
    "anti_cd38": "anti-cd38",
    "triple": "triple-class",
    "triple_class": "triple-class",
    "bcma-exposed": "bcma",
    "prior-bcma": "bcma",
}
# A rule about the class stands for each of its drugs, but "all were PI-refractory" does not make
# every patient bortezomib-refractory.
DRUG_RULE_FALLBACK = {
    "bortezomib_refractory": "pi_refractory",
    "carfilzomib_refractory": "pi_refractory",
}


@dataclass(frozen=True)
class Profile:
    """What the patient is refractory to (ITEMS keys) and how many prior lines they had."""

    refractory: frozenset[str] = frozenset()
    prior_lines: int | None = None

    @classmethod
    def parse(cls, text: str | None, prior_lines: int | None = None) -> Profile:
        """``"lenalidomide, anti-cd38"`` → a Profile; ValueError names an unknown item."""
        items: set[str] = set()
        for raw in (text or "").split(","):
            key = raw.strip().casefold().replace(" ", "-")
            if not key:
                continue
            key = ALIASES.get(key, key)
            if key not in ITEMS:
                raise ValueError(
                    f"unknown refractory class '{raw.strip()}'; use: {', '.join(ITEMS)}"
                )
            items.add(key)
        if prior_lines is not None and not 0 <= prior_lines <= 30:
            raise ValueError("prior lines must be between 0 and 30")
        return cls(frozenset(items), prior_lines)

    @property
    def empty(self) -> bool:
        return not self.refractory and self.prior_lines is None

    def heading(self, match: str) -> str:
        """The heading of a group of matches; with no profile every trial is simply listed."""
        return NO_PROFILE_HEADING if self.empty else MATCH_HEADINGS[match]

    def ordered(self) -> list[str]:
        return [k for k in ITEMS if k in self.refractory]

    def describe(self) -> str:
        parts = []
        refractory = [ITEMS[k].label for k in self.ordered() if k != "bcma"]
        if refractory:
            parts.append("refractory to " + ", ".join(refractory))
        if "bcma" in self.refractory:
            parts.append("previously treated with BCMA-directed therapy")
        if self.prior_lines is not None:
            parts.append(f"{self.prior_lines} prior line{'s' if self.prior_lines != 1 else ''}")
        return "; ".join(parts) if parts else "no refractoriness chosen"

    def as_dict(self) -> dict[str, Any]:
        return {
            "refractory": self.ordered(),
            "prior_lines": self.prior_lines,
            "description": self.describe(),
        }


@dataclass(frozen=True)
class TrialMatch:
    trial: Trial
    match: str  # enrolled | eligible | unknown | excluded
    conflicts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()  # why excluded / what is not known, in plain words
    items: dict[str, str] = field(default_factory=dict)  # profile item → its status

    @property
    def id(self) -> str:
        return self.trial.id

    @property
    def rank(self) -> int:
        return MATCH_ORDER.index(self.match)


def _rule(trial: Trial, item: Item) -> str:
    rules = trial.eligibility
    if item.rule in rules:
        return rules[item.rule]
    fallback = rules.get(DRUG_RULE_FALLBACK.get(item.rule, ""), "not-stated")
    return "allowed" if fallback == "required" else fallback


def _positive(value: Any) -> bool:
    return value is not None and float(value) > 0


def item_status(trial: Trial, key: str) -> tuple[str, str]:
    """(status, reason) of one profile item: excluded | enrolled | eligible | unknown.

    ``enrolled`` when the protocol required it or the trial reported a share > 0 (a triple-class
    share > 0, or a triple-class requirement, counts for PI and anti-CD38); ``eligible`` when the
    protocol allowed it; otherwise ``unknown``.
    """
    item = ITEMS[key]
    rule = _rule(trial, item)
    share = trial.share(item.share)
    if rule == "excluded":
        what = (
            "previous BCMA-directed therapy"
            if key == "bcma"
            else f"{item.label}-refractory disease"
        )
        return "excluded", f"excluded {what}"
    triple = key in ("pi", "anti-cd38") and (
        trial.eligibility.get("triple_class_refractory") == "required"
        or _positive(trial.share("triple_class"))
    )
    if rule == "required":
        return "enrolled", f"required {item.label}"
    if _positive(share):
        return "enrolled", f"{item.label}: {num(share)}% of patients"
    if triple:
        return "enrolled", f"{item.label}: enrolled triple-class-refractory patients"
    if rule == "allowed":
        return "eligible", f"{item.label}: allowed"
    if share is not None:
        return "unknown", f"{item.label}: none enrolled"
    return "unknown", f"{item.label}: not reported"


def _lines_reason(trial: Trial, lines: int | None) -> str | None:
    if lines is None:
        return None
    span = trial.data.get("prior_lines") or {}
    low, high = span.get("min"), span.get("max")
    if low is not None and lines < int(low) or high is not None and lines > int(high):
        rng = f"{dash(low)}–{dash(high)}" if high is not None else f"≥{dash(low)}"
        return f"enrolled patients with {rng} prior lines"
    return None


def match_trial(trial: Trial, profile: Profile) -> TrialMatch:
    """Judge one trial for ``profile`` (see the module docstring for the rules)."""
    statuses = {key: item_status(trial, key) for key in profile.ordered()}
    reasons = [r for s, r in statuses.values() if s == "excluded"]
    lines = _lines_reason(trial, profile.prior_lines)
    if lines:
        reasons.append(lines)
    kinds = {s for s, _ in statuses.values()}
    if reasons:
        match = "excluded"
    elif kinds <= {"enrolled"}:
        match = "enrolled"
    elif kinds <= {"enrolled", "eligible"}:
        match = "eligible"
    else:
        match = "unknown"
        reasons = [r for s, r in statuses.values() if s == "unknown"]
    conflicts, notes = arm_conflicts(trial, profile)
    return TrialMatch(
        trial, match, conflicts, notes, tuple(reasons), {k: s for k, (s, _) in statuses.items()}
    )


def _switch(drug: str, refractory_to: str) -> str:
    kind = "a CELMoD" if drug in CELMODS else drug
    return (
        f"class switch: {kind}{' (' + drug + ')' if drug in CELMODS else ''} after {refractory_to}"
    )


def arm_conflicts(trial: Trial, profile: Profile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the experimental arm holds that the patient is refractory to, and class-switch notes."""
    drugs = trial.drugs
    conflicts: list[str] = []
    notes: list[str] = []
    for key in profile.ordered():
        item = ITEMS[key]
        if item.drug is not None:
            family = (*IMIDS, *CELMODS) if item.drug in IMIDS else PIS
            if item.drug in drugs:
                conflicts.append(item.drug)
            notes += [_switch(d, item.drug) for d in drugs if d in family and d != item.drug]
        elif key in ("anti-cd38", "triple-class"):
            if any(d in ANTI_CD38 for d in drugs) and "anti-cd38" not in conflicts:
                conflicts.append("anti-cd38")
            if key == "triple-class":
                others = [d for d in drugs if d in (*IMIDS, *CELMODS, *PIS)]
                notes += [
                    f"triple-class refractory: whether {d} is a conflict depends on the drugs received"
                    for d in others
                ]
        elif key == "pi":
            notes += [
                f"contains {d}: a conflict only if the patient is refractory to {d}"
                for d in drugs
                if d in PIS
            ]
        elif key == "bcma" and any(d in BCMA_DIRECTED for d in drugs):
            notes.append(_bcma_note(trial))
    return tuple(conflicts), tuple(dict.fromkeys(notes))


def _bcma_note(trial: Trial) -> str:
    rule = trial.eligibility.get("bcma_exposed", "not-stated")
    share = trial.share("prior_bcma")
    said = {
        "excluded": "excluded patients with previous BCMA-directed therapy",
        "required": "enrolled only patients with previous BCMA-directed therapy",
        "allowed": "allowed previous BCMA-directed therapy",
    }.get(rule, "did not state a rule on previous BCMA-directed therapy")
    if share is not None:
        said += f" ({num(share)}% had received it)"
    return f"BCMA-directed arm: the trial {said}"


def match_trials(
    trials: list[Trial],
    profile: Profile,
    hide_excluded: bool = False,
    drug_class: str | None = None,
    design: str | None = None,
) -> list[TrialMatch]:
    """Every trial judged for ``profile``: enrolled → eligible → unknown → excluded, then without
    conflicts before with, then in file order (which groups regimens)."""
    out = []
    for pos, trial in enumerate(trials):
        if drug_class and drug_class not in trial.classes or design and trial.design != design:
            continue
        m = match_trial(trial, profile)
        if hide_excluded and m.match == "excluded":
            continue
        out.append((m.rank, bool(m.conflicts), pos, m))
    return [m for *_, m in sorted(out, key=lambda t: t[:3])]


# -- figures of a data cut, for tables, JSON and the plot ------------------------------------------


def hr_json(hr: HazardRatio | None) -> dict[str, Any] | None:
    if hr is None:
        return None
    return {
        "value": hr.value,
        "ci_low": hr.ci_low,
        "ci_high": hr.ci_high,
        "ci_level": hr.ci_level,
        "p": hr.p,
        "text": compact_hr(hr),
    }


def _arms_json(arms: Any) -> Any:
    if arms is None or not hasattr(arms, "experimental"):
        return arms
    return {"experimental": arms.experimental, "control": arms.control}


def analysis_json(a: Analysis, cite: str | None = None) -> dict[str, Any]:
    """A data cut as JSON (numbers as Decimal/int: dump with db.dumps_exact to keep their text)."""
    sub = a.subgroup
    safety = a.safety
    return {
        "key": a.key,
        "label": a.label,
        "caption": a.caption(),
        "default": a.default,
        "data_cut": a.data_cut,
        "follow_up_months": _arms_json(a.follow_up),
        "follow_up_kind": a.follow_up_kind,
        "n": a.n,
        "pfs_months": _arms_json(a.pfs_months),
        "pfs_hr": hr_json(a.pfs_hr),
        "orr_pct": _arms_json(a.orr_pct),
        "os_months": _arms_json(a.os_months),
        "os_hr": hr_json(a.os_hr),
        "len_refractory_subgroup": None
        if sub is None
        else {
            "n": _arms_json(sub.n),
            "pfs_months": _arms_json(sub.pfs_months),
            "pfs_hr": hr_json(sub.pfs_hr),
        },
        "safety": None
        if safety is None
        else [{"what": what, **_arms_json(arms)} for what, arms in safety.rows()],
        "source": cite or a.source,
        "locator": a.locator,
        "seen_in": [{"title": s.title, "url": s.url} for s in a.seen_in],
    }


def matches_json(matches: list[TrialMatch], profile: Profile, cite=None) -> dict[str, Any]:
    """The ``lenref trials --json`` object; ``cite(key)`` gives a reference's citation text."""
    cite = cite or (lambda key: key)
    return {
        "patient": profile.as_dict(),
        "trials": [
            {
                "id": m.id,
                "name": m.trial.name,
                "design": m.trial.design,
                "phase": m.trial.data.get("phase"),
                "experimental": m.trial.data.get("experimental"),
                "control": m.trial.data.get("control"),
                "drugs": m.trial.drugs,
                "classes": m.trial.classes,
                "prior_lines": m.trial.data.get("prior_lines"),
                "eligibility": m.trial.eligibility,
                "refractory_pct": m.trial.data.get("refractory_pct"),
                "match": m.match,
                "reasons": list(m.reasons),
                "conflicts": list(m.conflicts),
                "notes": list(m.notes),
                "source": cite(m.trial.source),
                "analyses": [analysis_json(a, cite(a.source)) for a in m.trial.analyses],
            }
            for m in matches
        ],
    }


def efficacy_line(trial: Trial, a: Analysis) -> str:
    """'n=466; median PFS 28.4 vs 15.2 months; PFS HR 0.64 (0.49–0.83); ORR –' for one data cut."""
    single = trial.design == "single-arm"
    parts = [f"n={dash(a.n)}"]
    if not a.pfs_months.empty:
        parts.append(f"median PFS {arms_text(a.pfs_months, ' months', single)}")
    if a.pfs_hr:
        parts.append(f"PFS HR {compact_hr(a.pfs_hr)}")
    if not a.orr_pct.empty:
        parts.append(f"ORR {arms_text(a.orr_pct, '%', single)}")
    if not a.os_months.empty:
        parts.append(f"median OS {arms_text(a.os_months, ' months', single)}")
    if a.os_hr:
        parts.append(f"OS HR {compact_hr(a.os_hr)}")
    if a.subgroup and a.subgroup.pfs_hr:
        parts.append(f"LEN-refractory subgroup PFS HR {compact_hr(a.subgroup.pfs_hr)}")
    return "; ".join(parts)


def matches_text(matches: list[TrialMatch], profile: Profile, cite=None) -> str:
    """Plain text for the CLI and clinical notes: grouped by match, numbered references."""
    cite = cite or (lambda key: key)
    header = f"Trials for a patient {profile.describe()} — {len(matches)} trial(s)"
    lines = [header, "=" * len(header)]
    refs: list[str] = []

    def ref(key: str) -> int:
        if key not in refs:
            refs.append(key)
        return refs.index(key) + 1

    current = None
    for m in matches:
        if m.match != current:
            current = m.match
            lines += ["", profile.heading(current)]
        t = m.trial
        arms = f"{t.data.get('experimental')}" + (
            f" vs {t.data.get('control')}" if t.data.get("control") else ""
        )
        lines.append(
            f"* {t.name} [{ref(t.source)}] — {t.design}, phase {t.data.get('phase')}: {arms}"
        )
        for c in m.conflicts:
            what = CONFLICT_LABELS.get(c, c)
            lines.append(
                f"  ! conflict: the experimental arm contains {what}, to which the patient is refractory"
            )
        for note in m.notes:
            lines.append(f"  ~ {note}")
        if m.match != "enrolled" and m.reasons:
            lines.append(f"  why: {'; '.join(m.reasons)}")
        for a in t.analyses:
            lines.append(f"  {a.caption()} [{ref(a.source)}]: {efficacy_line(t, a)}")
    if refs:
        lines += ["", "References"]
        lines += [f"{i}. {cite(key)}" for i, key in enumerate(refs, 1)]
    return "\n".join(lines)


# -- forest plot ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForestRow:
    """One line of the forest plot: a trial's (or its LEN-refractory subgroup's) PFS HR in one cut."""

    trial_id: str
    name: str
    caption: str  # "final analysis, median follow-up 50 months, n=466"
    hr: HazardRatio
    subgroup: bool
    conflict: bool
    match: str


def forest_rows(matches: list[TrialMatch]) -> list[ForestRow]:
    """The default data cut of every trial with a PFS HR, plus its LEN-refractory subgroup.

    Rows follow the matches' order (match, then conflict) and, within a match, the drug class.
    """
    rows: list[ForestRow] = []
    ordered = sorted(
        enumerate(matches),
        key=lambda im: (im[1].rank, bool(im[1].conflicts), im[1].trial.classes[:1], im[0]),
    )
    for _, m in ordered:
        cut = _plot_cut(m.trial)
        if cut is None:
            continue
        caption = cut.caption() + (f", n={num(cut.n)}" if cut.n is not None else "")
        conflict = bool(m.conflicts)
        if cut.pfs_hr is not None:
            rows.append(
                ForestRow(m.id, m.trial.name, caption, cut.pfs_hr, False, conflict, m.match)
            )
        if cut.subgroup is not None and cut.subgroup.pfs_hr is not None:
            n = cut.subgroup.n
            sub_n = f", n={dash(n)}" if n is not None and not hasattr(n, "experimental") else ""
            rows.append(
                ForestRow(
                    m.id,
                    f"{m.trial.name}: LEN-refractory",
                    f"{cut.label}{sub_n}",
                    cut.subgroup.pfs_hr,
                    True,
                    conflict,
                    m.match,
                )
            )
    return rows


def _plot_cut(trial: Trial) -> Analysis | None:
    """The default analysis if it has a PFS HR, else the latest one that has."""
    default = trial.default_analysis
    if default is not None and default.pfs_hr is not None:
        return default
    with_hr = [a for a in trial.analyses if a.pfs_hr is not None]
    return with_hr[-1] if with_hr else default


def log_scale(
    values: list[float], minimum: float = 0.05, maximum: float = 4.0
) -> tuple[float, float, list[float]]:
    """Axis limits and ticks for hazard ratios on a log scale; always includes 1."""
    finite = [v for v in values if v and v > 0 and math.isfinite(v)]
    lo = min([*finite, 0.5]) if finite else 0.25
    hi = max([*finite, 1.5]) if finite else 2.0
    lo = max(minimum, lo / 1.15)
    hi = min(maximum, hi * 1.15)
    candidates = [0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]
    ticks = [t for t in candidates if lo <= t <= hi]
    if 1.0 not in ticks:
        ticks.append(1.0)
    return lo, hi, sorted(ticks)
