"""Trial filtering, forest-plot scales and evidence export text, shared by the CLI and the explorer.

Pure Python: the Qt trial explorer and ``lenref trials`` call the same ``filter_trials``.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import Trial
from .trialfmt import format_hr, num

if TYPE_CHECKING:
    from .library import Library

# "The patient is refractory to …" → the trials.yaml share and the drug classes it rules against.
REFRACTORY: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "lenalidomide": ("lenalidomide", "LEN", ("imid",)),
    "pi": ("proteasome_inhibitor", "PI", ("pi",)),
    "anti-cd38": ("anti_cd38", "anti-CD38", ("anti-cd38",)),
    "triple-class": ("triple_class", "triple-class", ("imid", "pi", "anti-cd38")),
    "bcma": ("prior_bcma", "prior BCMA-directed", ("bcma-adc", "bcma-car-t", "bcma-bispecific")),
}
ALIASES = {
    "len": "lenalidomide",
    "proteasome-inhibitor": "pi",
    "proteasome_inhibitor": "pi",
    "cd38": "anti-cd38",
    "anti_cd38": "anti-cd38",
    "triple": "triple-class",
    "triple_class": "triple-class",
    "prior-bcma": "bcma",
    "prior_bcma": "bcma",
}


@dataclass(frozen=True)
class TrialFilter:
    refractory: frozenset[str] = frozenset()
    drug_class: str | None = None
    design: str | None = None
    min_len_refractory: float = 0.0
    text: str = ""
    # Also list trials whose record does not report the share for a chosen class (flagged).
    include_unreported: bool = False

    @classmethod
    def from_cli(
        cls,
        refractory: str | None,
        drug_class: str | None,
        design: str | None,
        include_unreported: bool = False,
    ) -> TrialFilter:
        items: set[str] = set()
        for raw in (refractory or "").split(","):
            key = raw.strip().casefold()
            if not key:
                continue
            key = ALIASES.get(key, key)
            if key not in REFRACTORY:
                raise ValueError(
                    f"unknown refractory class '{raw.strip()}'; use: {', '.join(REFRACTORY)}"
                )
            items.add(key)
        return cls(
            refractory=frozenset(items),
            drug_class=drug_class or None,
            design=design or None,
            include_unreported=include_unreported,
        )

    def describe(self) -> str:
        parts = []
        if self.refractory:
            labels = [REFRACTORY[k][1] for k in REFRACTORY if k in self.refractory]
            parts.append("patient refractory to: " + ", ".join(labels))
        if self.drug_class:
            parts.append(f"drug class: {self.drug_class}")
        if self.design:
            parts.append(f"design: {self.design}")
        if self.min_len_refractory:
            parts.append(f"LEN-refractory share ≥ {self.min_len_refractory:g}%")
        if self.text:
            parts.append(f"text: “{self.text}”")
        if self.include_unreported and self.refractory:
            parts.append("including trials that did not report the share")
        return "; ".join(parts) if parts else "all trials"


@dataclass
class TrialRow:
    trial: Trial
    flags: list[str] = field(
        default_factory=list
    )  # classes in the regimen the patient is refractory to

    @property
    def id(self) -> str:
        return self.trial.id

    def get(self, path: str) -> Any:
        value: Any = self.trial.data
        for part in path.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value


def _share(trial: Trial, key: str) -> float | None:
    value = (trial.data.get("refractory_pct") or {}).get(key)
    return None if value is None else float(value)


def _haystack(trial: Trial) -> str:
    d = trial.data
    bits = [
        trial.name,
        *trial.aliases,
        str(d.get("experimental") or ""),
        str(d.get("control") or ""),
        str(d.get("population") or ""),
        " ".join(d.get("classes") or []),
        str(d.get("nct") or ""),
    ]
    return " ".join(bits).casefold()


def enrolled(trial: Trial, key: str) -> bool | None:
    """Did the trial enrol patients refractory to ``key``? True, False, or None (not reported).

    A reported share > 0 means yes and 0 means no. Triple-class refractoriness implies refractoriness
    to a proteasome inhibitor and an anti-CD38 antibody by definition, so a triple-class share > 0
    answers yes for those two (not for lenalidomide: the IMiD may have been pomalidomide).
    """
    field_name = REFRACTORY[key][0]
    share = _share(trial, field_name)
    if share is not None and share > 0:
        return True
    if key in ("pi", "anti-cd38"):
        triple = _share(trial, "triple_class")
        if triple is not None and triple > 0:
            return True
    return None if share is None else False


def filter_trials(trials: list[Trial], flt: TrialFilter) -> list[TrialRow]:
    """The trials that match ``flt``, in file order, each flagged with the classes to be wary of.

    Refractory filter: a trial is kept when it enrolled patients refractory to every class chosen
    (see ``enrolled``); with ``include_unreported`` also when the share was not reported, flagged.
    """
    rows: list[TrialRow] = []
    text = flt.text.casefold().strip()
    for trial in trials:
        d = trial.data
        if flt.design and d.get("design") != flt.design:
            continue
        classes = list(d.get("classes") or [])
        if flt.drug_class and flt.drug_class not in classes:
            continue
        if flt.min_len_refractory:
            share = _share(trial, "lenalidomide")
            if share is None or share < flt.min_len_refractory:
                continue
        if text and text not in _haystack(trial):
            continue
        keep = True
        flags: list[str] = []
        for key in REFRACTORY:
            if key not in flt.refractory:
                continue
            _field, label, bad_classes = REFRACTORY[key]
            status = enrolled(trial, key)
            if status is False or (status is None and not flt.include_unreported):
                keep = False
                break
            if status is None:
                flags.append(f"{label}-refractory share not reported")
            hit = [c for c in classes if c in bad_classes]
            if hit:
                flags.append(f"{label}-refractory patient: regimen contains {', '.join(hit)}")
        if keep:
            rows.append(TrialRow(trial, flags))
    return rows


def unreported_count(trials: list[Trial], flt: TrialFilter) -> int:
    """How many more trials the filter would list if unreported shares were included."""
    if flt.include_unreported or not flt.refractory:
        return 0
    wider = TrialFilter(
        flt.refractory, flt.drug_class, flt.design, flt.min_len_refractory, flt.text, True
    )
    return len(filter_trials(trials, wider)) - len(filter_trials(trials, flt))


def fmt(value: Any, unit: str = "") -> str:
    return "–" if value is None else f"{num(value)}{unit}"


def hr_text(row: TrialRow) -> str:
    hr = row.get("pfs_hr")
    if not isinstance(hr, dict) or hr.get("value") is None:
        return "–"
    return format_hr(hr.get("value"), hr.get("ci_low"), hr.get("ci_high"))


def subgroup_text(row: TrialRow) -> str:
    sub = row.get("len_refractory_subgroup")
    if not isinstance(sub, dict):
        return "–"
    parts = []
    if sub.get("hr") is not None:
        parts.append(format_hr(sub.get("hr"), sub.get("ci_low"), sub.get("ci_high")))
    pfs = sub.get("pfs_months") or {}
    if isinstance(pfs, dict) and (
        pfs.get("experimental") is not None or pfs.get("control") is not None
    ):
        parts.append(f"PFS {fmt(pfs.get('experimental'))} vs {fmt(pfs.get('control'))} mo")
    return "; ".join(parts) or "–"


def rows_as_json(rows: list[TrialRow], lib: Library | None = None) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        ref = lib.reference(row.trial.source) if lib else None
        out.append(
            {
                "id": row.id,
                "name": row.trial.name,
                "design": row.get("design"),
                "phase": row.get("phase"),
                "experimental": row.get("experimental"),
                "control": row.get("control"),
                "classes": row.get("classes"),
                "n": _jnum(row.get("n")),
                "refractory_pct": {
                    k: _jnum(v) for k, v in (row.get("refractory_pct") or {}).items()
                },
                "pfs_months": {k: _jnum(v) for k, v in (row.get("pfs_months") or {}).items()},
                "pfs_hr": hr_text(row),
                "len_refractory_subgroup": subgroup_text(row),
                "flags": row.flags,
                "source": ref.vancouver() if ref else row.trial.source,
                "locator": row.get("locator"),
            }
        )
    return out


def _jnum(value: Any) -> Any:
    if value is None or isinstance(value, int | str):
        return value
    return float(value)


def rows_as_text(rows: list[TrialRow], flt: TrialFilter, lib: Library | None = None) -> str:
    """A plain-text table with numbered citations, for clinical notes and the CLI."""
    header = f"Trials — {flt.describe()} — {len(rows)} trial(s)"
    lines = [header, "=" * len(header)]
    refs: list[str] = []
    for row in rows:
        src = row.trial.source
        if src not in refs:
            refs.append(src)
        d = row.trial.data
        pfs = d.get("pfs_months") or {}
        lines.append(
            f"{row.trial.name} [{refs.index(src) + 1}] — {d.get('design')}, phase {d.get('phase')}, "
            f"n={fmt(d.get('n'))}"
        )
        lines.append(
            f"  {d.get('experimental')}" + (f" vs {d.get('control')}" if d.get("control") else "")
        )
        lines.append(
            f"  LEN-refractory {fmt(_share(row.trial, 'lenalidomide'), '%')}; "
            f"median PFS {fmt(pfs.get('experimental'))} vs {fmt(pfs.get('control'))} months; {hr_text(row)}"
        )
        sub = subgroup_text(row)
        if sub != "–":
            lines.append(f"  LEN-refractory subgroup: {sub}")
        for flag in row.flags:
            lines.append(f"  ! {flag}")
    if refs:
        lines.append("")
        lines.append("References")
        for i, key in enumerate(refs, 1):
            ref = lib.reference(key) if lib else None
            lines.append(f"{i}. {ref.vancouver() if ref else key}")
    return "\n".join(lines)


def log_scale(
    values: list[float], minimum: float = 0.1, maximum: float = 4.0
) -> tuple[float, float, list[float]]:
    """Axis limits and ticks for hazard ratios on a log scale; always includes 1."""
    finite = [v for v in values if v and v > 0 and math.isfinite(v)]
    lo = min([*finite, 0.5]) if finite else 0.25
    hi = max([*finite, 1.5]) if finite else 2.0
    lo = max(minimum, lo / 1.15)
    hi = min(maximum, hi * 1.15)
    candidates = [0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]
    ticks = [t for t in candidates if lo <= t <= hi]
    if 1.0 not in ticks:
        ticks.append(1.0)
    return lo, hi, sorted(ticks)


EXPORT_CSS = "body{font-size:7.5pt} th{background-color:#eef0f3} td,th{padding:2px}"
EXPORT_COLUMNS = (
    "Trial",
    "Design",
    "Experimental",
    "Control",
    "n",
    "LEN-ref",
    "mPFS (mo)",
    "PFS HR (95% CI)",
    "LEN-refractory subgroup",
    "Caution",
)


def export_html(
    rows: list[TrialRow], flt: TrialFilter, lib: Library, plot_src: str | None = None
) -> str:
    """The one-page tumour-board summary: filter context, rows, optional plot, numbered sources."""
    refs: list[str] = []
    body = []
    for row in rows:
        t = row.trial
        if t.source not in refs:
            refs.append(t.source)
        pfs = t.data.get("pfs_months") or {}
        cells = (
            f"{t.name} [{refs.index(t.source) + 1}]",
            t.data.get("design"),
            t.data.get("experimental"),
            t.data.get("control") or "–",
            fmt(t.data.get("n")),
            fmt((t.data.get("refractory_pct") or {}).get("lenalidomide"), "%"),
            f"{fmt(pfs.get('experimental'))} vs {fmt(pfs.get('control'))}",
            hr_text(row),
            subgroup_text(row),
            "; ".join(row.flags),
        )
        body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    items = []
    for key in refs:
        ref = lib.reference(key)
        items.append(f"<li>{html.escape(ref.vancouver() if ref else key)}</li>")
    version = html.escape(lib.meta.get("app_version", ""))
    parts = [
        f"<h3>LenRef evidence summary — {html.escape(flt.describe())}</h3>",
        f"<p>{len(rows)} trial(s). Figures as reported by each trial's publication "
        "(LenRef's trial records name the data cut and where each figure is).</p>",
        "<table border='1' cellspacing='0' cellpadding='2' width='100%'><tr>"
        + "".join(f"<th>{h}</th>" for h in EXPORT_COLUMNS)
        + "</tr>"
        + "".join(body)
        + "</table>",
    ]
    if plot_src:
        parts.append(f"<p><img src='{html.escape(plot_src)}' width='640'></p>")
    parts.append("<p><b>References</b></p><ol>" + "".join(items) + "</ol>")
    parts.append(
        f"<p>LenRef {version}, content {html.escape(lib.content_version)}. "
        "Summary of published evidence; not a treatment recommendation.</p>"
    )
    return "".join(parts)
