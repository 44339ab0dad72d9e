"""The one-page evidence summary as HTML for a print document (the PDF writer lays it out).

Everything on the page comes from typed matches: the patient profile, the trials grouped by match
with their conflict or class-switch chip first, the data cut of every figure, the forest plot (an
image the caller supplies) and the numbered references. Excluded trials are listed in one line
each with the reason, so the page stays one page.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from .evidence import MATCH_HEADINGS, MATCH_ORDER, Profile, TrialMatch
from .trialfmt import arms_text, compact_hr, dash

CSS = (
    "body{font-size:7pt} h1{font-size:11pt; margin:0} p{margin:1px 0}"
    " th{background-color:#e8ebf0; text-align:left} td,th{padding:1px 3px}"
    " .chip{color:#a61b1b; font-weight:bold} .switch{color:#6b4e00} .muted{color:#5b6470}"
    " .group td{background-color:#f1f3f6; font-weight:bold}"
)
COLUMNS = (
    "Trial",
    "Caution",
    "Regimen vs control",
    "Data cut",
    "n",
    "Median PFS (mo)",
    "PFS HR (CI)",
    "LEN-refractory subgroup HR",
)


def _e(text: object) -> str:
    return html.escape(str(text))


def _chips(m: TrialMatch) -> str:
    chips = [f"<span class='chip'>conflict: {_e(c)}</span>" for c in m.conflicts]
    chips += [f"<span class='switch'>{_e(n)}</span>" for n in m.notes]
    return "<br>".join(chips) or "–"


def _row(m: TrialMatch, ref_no: Callable[[str], int]) -> str:
    t = m.trial
    cut = t.default_analysis
    regimen = _e(t.data.get("experimental")) + (
        f" vs {_e(t.data['control'])}" if t.data.get("control") else ""
    )
    if cut is None:
        cells = ["–"] * 5
    else:
        sub = cut.subgroup.pfs_hr if cut.subgroup else None
        cells = [
            f"{_e(cut.caption())} [{ref_no(cut.source)}]",
            _e(dash(cut.n)),
            _e(arms_text(cut.pfs_months, "", t.design == "single-arm")),
            _e(compact_hr(cut.pfs_hr)),
            _e(compact_hr(sub)),
        ]
    name = f"<b>{_e(t.name)}</b> [{ref_no(t.source)}]<br><span class='muted'>{_e(t.design)}, phase {_e(t.data.get('phase'))}</span>"
    return "<tr>" + "".join(f"<td>{c}</td>" for c in [name, _chips(m), regimen, *cells]) + "</tr>"


def summary_html(
    matches: list[TrialMatch],
    profile: Profile,
    cite: Callable[[str], str],
    footer: str,
    plot_src: str | None,
) -> str:
    """The summary page: header, trials table, excluded list, plot, references, footer."""
    refs: list[str] = []

    def ref_no(key: str) -> int:
        if key not in refs:
            refs.append(key)
        return refs.index(key) + 1

    body = []
    for match in MATCH_ORDER[:-1]:
        group = [m for m in matches if m.match == match]
        if group:
            body.append(
                f"<tr class='group'><td colspan='{len(COLUMNS)}'>{_e(profile.heading(match))} ({len(group)})</td></tr>"
            )
            body += [_row(m, ref_no) for m in group]
    excluded = [m for m in matches if m.match == "excluded"]
    head = "".join(f"<th>{_e(c)}</th>" for c in COLUMNS)
    parts = [
        f"<h1>LenRef evidence summary — patient {_e(profile.describe())}</h1>",
        "<p class='muted'>Trials judged against the protocol's eligibility rules and the shares of patients enrolled; "
        "every figure names its data cut. A summary of published evidence, not a treatment recommendation.</p>",
        f"<table width='100%' cellspacing='0' border='1'><tr>{head}</tr>{''.join(body)}</table>",
    ]
    if excluded:
        items = "; ".join(
            f"<b>{_e(m.trial.name)}</b> ({_e(', '.join(m.reasons))})" for m in excluded
        )
        parts.append(f"<p><b>{_e(MATCH_HEADINGS['excluded'])}:</b> {items}.</p>")
    if plot_src:
        parts.append(f"<p><img src='{_e(plot_src)}' width='760'></p>")
    items = "".join(f"<li>{_e(cite(key))}</li>" for key in refs)
    parts.append(f"<p><b>References</b></p><ol style='margin-top:0'>{items}</ol>")
    parts.append(f"<p class='muted'>{_e(footer)}</p>")
    return "".join(parts)
