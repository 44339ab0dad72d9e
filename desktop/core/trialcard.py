"""Trial cards: one generated page per trial record, rendered like any other page.

A card is Markdown built from the typed record (design, eligibility, every data cut side by side,
LEN-refractory subgroup, safety, sources), then rendered by ``render.render_page``. So a card has
sections that search lands on ("BOSTON", "KarMMa"), numbered citations that open source cards,
bookmarks, history, find-in-page and PDF export, with no second renderer.
"""

from __future__ import annotations

from .model import PageSource, Reference
from .trialfmt import arms_text, compact_hr, dash, num, p_text
from .trialmodel import Analysis, Arms, Trial

PART = "trials"
ID_PREFIX = "trial-"
RULE_WORDS = {
    "required": "required (all patients)",
    "allowed": "allowed",
    "excluded": "excluded",
    "not-stated": "not stated",
}
ELIGIBILITY_ROWS = (
    ("Lenalidomide-refractory", "lenalidomide_refractory", "lenalidomide"),
    ("Pomalidomide-refractory", "pomalidomide_refractory", "pomalidomide"),
    ("Proteasome-inhibitor-refractory", "pi_refractory", "proteasome_inhibitor"),
    ("Bortezomib-refractory", "bortezomib_refractory", "bortezomib"),
    ("Carfilzomib-refractory", "carfilzomib_refractory", "carfilzomib"),
    ("Anti-CD38-refractory", "anti_cd38_refractory", "anti_cd38"),
    ("Triple-class-refractory", "triple_class_refractory", "triple_class"),
    ("Previous BCMA-directed therapy", "bcma_exposed", "prior_bcma"),
)


def card_id(trial_id: str) -> str:
    return f"{ID_PREFIX}{trial_id}"


def _cell(text: object) -> str:
    """Table-cell text: pipes and line breaks would break the Markdown table."""
    return str(text).replace("|", "/").replace("\n", " ").strip() or "–"


def _cite(key: str, locator: str) -> str:
    loc = locator.replace(";", ",").replace("]", ")").strip()
    return f"[@{key}" + (f", {loc}" if loc else "") + "]"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _lines_text(trial: Trial) -> str:
    span = trial.data.get("prior_lines") or {}
    low, high = span.get("min"), span.get("max")
    if low is None and high is None:
        return "not stated"
    if high is None:
        return f"{num(low)} or more"
    return num(low) if low == high else f"{dash(low)}–{num(high)}"


def design_section(trial: Trial) -> list[str]:
    d = trial.data
    rows = [
        ["Phase", f"{d.get('phase')}"],
        ["Design", trial.design],
        ["Experimental arm", d.get("experimental")],
        ["Control arm", d.get("control") or "none (single-arm trial)"],
        ["Prior lines of therapy", _lines_text(trial)],
        ["Population", d.get("population")],
        ["Registration", d.get("nct") or "not reported"],
    ]
    out = ["## Design", "", *_table(["Item", "Detail"], rows)]
    if d.get("notes"):
        out += [f"{d['notes']} {_cite(trial.source, '')}", ""]
    return out


def eligibility_section(trial: Trial) -> list[str]:
    rules = trial.eligibility
    rows = []
    for label, rule_key, share_key in ELIGIBILITY_ROWS:
        if rule_key not in rules and trial.share(share_key) is None:
            continue
        share = trial.share(share_key)
        rows.append(
            [label, RULE_WORDS.get(rules.get(rule_key, ""), "not stated"), dash(share, "%")]
        )
    cite = _cite(trial.source, str(trial.data.get("eligibility_locator") or ""))
    out = ["## Eligibility", "", f"Inclusion and exclusion rules as published {cite}.", ""]
    out += _table(["Patients", "Protocol rule", "Share enrolled"], rows)
    if trial.data.get("refractory_locator"):
        out += [
            f"Shares enrolled: {_cite(trial.source, str(trial.data['refractory_locator']))}",
            "",
        ]
    return out


def _hr(hr) -> str:
    return compact_hr(hr) + (f", p{p_text(hr.p)}" if hr and hr.p else "")


def _short_ref(refs: dict[str, Reference], key: str) -> str:
    ref = refs.get(key)
    if ref is None:
        return key
    first = ref.authors.split(",")[0].split(" ")[0]
    return f"{first} {ref.year}"


def results_section(trial: Trial, refs: dict[str, Reference]) -> list[str]:
    single = trial.design == "single-arm"
    cuts = list(trial.analyses)
    head = ["Analysis", *[_cut_head(a) for a in cuts]]
    rows = [
        ["Data cut", *[a.data_cut or "not reported" for a in cuts]],
        ["Follow-up", *[a.follow_up_text() or "not reported" for a in cuts]],
        ["Patients (n)", *[_n_text(a) for a in cuts]],
        ["Median PFS, months", *[arms_text(a.pfs_months, "", single) for a in cuts]],
        ["PFS hazard ratio", *[_hr(a.pfs_hr) if a.pfs_hr else "–" for a in cuts]],
        ["Overall response, %", *[arms_text(a.orr_pct, "", single) for a in cuts]],
        ["Median OS, months", *[arms_text(a.os_months, "", single) for a in cuts]],
        ["OS hazard ratio", *[_hr(a.os_hr) if a.os_hr else "–" for a in cuts]],
        ["Source", *[f"{_short_ref(refs, a.source)} {_cite(a.source, a.locator)}" for a in cuts]],
    ]
    arms = "" if single else " Figures read experimental vs control."
    out = ["## Results by analysis", "", f"Each column is one data cut.{arms}", ""]
    out += _table(head, rows)
    for a in cuts:
        if a.notes:
            out += [
                f"{a.label[:1].upper()}{a.label[1:]}: {a.notes} {_cite(a.source, a.locator)}",
                "",
            ]
    return out


def _cut_head(a: Analysis) -> str:
    return a.label + (" (shown on pages)" if a.default else "")


def _n_text(a: Analysis) -> str:
    if a.n_arms.empty:
        return dash(a.n)
    return f"{dash(a.n)} ({dash(a.n_arms.experimental)} vs {dash(a.n_arms.control)})"


def subgroup_section(trial: Trial) -> list[str]:
    cuts = [a for a in trial.analyses if a.subgroup is not None]
    if not cuts:
        return ["## Lenalidomide-refractory subgroup", "", "Not reported separately.", ""]
    rows = []
    for a in cuts:
        sub = a.subgroup
        n = (
            sub.n
            if not isinstance(sub.n, Arms)
            else f"{dash(sub.n.experimental)} vs {dash(sub.n.control)}"
        )
        rows.append(
            [
                a.label,
                dash(n),
                arms_text(sub.pfs_months),
                _hr(sub.pfs_hr) if sub.pfs_hr else "–",
                _cite(a.source, a.locator),
            ]
        )
    out = ["## Lenalidomide-refractory subgroup", ""]
    return out + _table(["Analysis", "n", "Median PFS, months", "PFS hazard ratio", "Source"], rows)


def safety_section(trial: Trial) -> list[str]:
    cuts = [a for a in trial.analyses if a.safety is not None and a.safety.rows()]
    out = ["## Safety", ""]
    if not cuts:
        return [*out, "No safety figures reported in the analyses recorded here.", ""]
    single = trial.design == "single-arm"
    for a in cuts:
        out += [f"{a.label[:1].upper()}{a.label[1:]} {_cite(a.source, a.locator)}:", ""]
        head = ["Adverse events, % of patients", "Experimental arm"] + (
            [] if single else ["Control arm"]
        )
        rows = [
            [what, dash(arms.experimental)] + ([] if single else [dash(arms.control)])
            for what, arms in a.safety.rows()
        ]
        out += _table(head, rows)
    return out


def sources_section(trial: Trial, refs: dict[str, Reference]) -> list[str]:
    """Where each part of the card was published; full references follow in the page's list."""
    out = ["## Sources", ""]
    out.append(
        f"- Design and eligibility: {_short_ref(refs, trial.source)} {_cite(trial.source, '')}"
    )
    for a in trial.analyses:
        line = f"- {a.label[:1].upper()}{a.label[1:]}: {_short_ref(refs, a.source)}"
        line += f", {a.locator}" if a.locator else ""
        line += f" {_cite(a.source, a.locator)}"
        if a.seen_in:
            line += ". Figures as reported in " + "; ".join(
                f"{s.title} <{s.url}>" for s in a.seen_in
            )
        out.append(line)
    return [*out, ""]


def summary(trial: Trial) -> str:
    d = trial.data
    versus = f" versus {d['control']}" if d.get("control") else ""
    return f"Phase {d.get('phase')} {trial.design} trial of {d.get('experimental')}{versus}."


def card_markdown(trial: Trial, refs: dict[str, Reference]) -> str:
    parts = [
        *design_section(trial),
        *eligibility_section(trial),
        *results_section(trial, refs),
        *subgroup_section(trial),
        *safety_section(trial),
        *sources_section(trial, refs),
    ]
    return "\n".join(parts)


def card_source(trial: Trial, refs: dict[str, Reference], order: int, reviewed: str) -> PageSource:
    """The card of ``trial`` as a page to render (not a content file: ``path`` names the record)."""
    return PageSource(
        id=card_id(trial.id),
        title=f"{trial.name} (trial card)",
        part=PART,
        order=order,
        summary=summary(trial),
        reviewed=str(trial.data.get("reviewed") or reviewed),
        path=f"trials.yaml#{trial.id}",
        body=card_markdown(trial, refs),
        body_line=trial.line,
        aliases=[
            trial.name,
            *trial.aliases,
            *([trial.data["nct"]] if trial.data.get("nct") else []),
        ],
        related=[],
    )
