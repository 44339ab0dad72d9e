"""``{{evidence-table:randomised}}`` / ``{{evidence-table:single-arm}}``: trial tables made from trials.yaml.

The strategies overview used to carry a hand-written table of trials in LEN-exposed patients; it
left out trials added later and mixed data cuts silently. The table is now generated from the
records at build time, as the mechanism map is from ``countered_by``: every trial whose protocol did
not exclude LEN-refractory patients (or that reports a LEN-refractory share) and that has results
gets a row. Each figure is a ``{{trial:…}}`` macro, so the usual expansion adds the data cut and the
citation, and a field that is not reported reads "not reported" instead of breaking the build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from .trialfmt import TrialFieldError, figure
from .trialmodel import Analysis, Trial

TABLE_RE = re.compile(r"\{\{\s*evidence-table:(randomised|single-arm)\s*\}\}")
NOT_REPORTED = "not reported"

_RULE_TEXT = {"required": "required", "allowed": "allowed", "not-stated": "not specified"}


def _has(trial: Trial, key: str | None, path: str) -> bool:
    try:
        figure(trial, key, path)
    except TrialFieldError:
        return False
    return True


def _macro(trial: Trial, key: str | None, path: str) -> str:
    """The macro for ``path`` when the field holds a value, else "not reported"."""
    if not _has(trial, key, path):
        return NOT_REPORTED
    cut = f"@{key}" if key else ""
    return f"{{{{trial:{trial.id}{cut}.{path}}}}}"


def _pair(trial: Trial, key: str | None, field: str) -> str:
    """'A vs B' for a per-arm field (one value for a single-arm trial)."""
    exp = _macro(trial, key, f"{field}.experimental")
    if trial.design != "randomised":
        return exp
    ctl = _macro(trial, key, f"{field}.control")
    if exp == ctl == NOT_REPORTED:
        return NOT_REPORTED
    return f"{exp} vs {ctl}"


def _len_entry(trial: Trial) -> str:
    """The LEN rule of the protocol and the enrolled LEN-refractory share."""
    rule = trial.eligibility.get("lenalidomide_refractory", "not-stated")
    text = _RULE_TEXT.get(rule, rule)
    if trial.share("lenalidomide") is not None:
        text += f"; {_macro(trial, None, 'refractory_pct.lenalidomide')} enrolled"
    return text


def _latest_cut(trial: Trial, has: Callable[[Analysis], bool]) -> Analysis | None:
    """The latest whole-population analysis (in record order) for which ``has`` is true."""
    cuts = [a for a in trial.analyses if a.scope == "all" and has(a)]
    return cuts[-1] if cuts else None


def _key(cut: Analysis, default: Analysis) -> str | None:
    """The macro's analysis key: None for the default cut, which the macro picks by itself."""
    return None if cut.key == default.key else cut.key


def _os_cell(trial: Trial, default: Analysis) -> str:
    cut = _latest_cut(trial, lambda a: a.os_hr is not None or not a.os_months.empty)
    if cut is None:
        return NOT_REPORTED
    if cut.os_hr is not None:
        return _macro(trial, _key(cut, default), "os_hr")
    return _pair(trial, _key(cut, default), "os_months")


def _pfs_hr_cell(trial: Trial) -> str:
    overall = _macro(trial, None, "pfs_hr")
    sub = _macro(trial, None, "len_refractory_subgroup.pfs_hr")
    if sub == NOT_REPORTED:
        return overall
    return f"all patients {overall}; LEN-refractory subgroup {sub}"


def _name_cell(trial: Trial, default: Analysis) -> str:
    """Name, linked to its card, and n: from the default cut, else the latest cut reporting it."""
    cut = default if default.n is not None else _latest_cut(trial, lambda a: a.n is not None)
    n = NOT_REPORTED if cut is None else _macro(trial, _key(cut, default), "n")
    return f"[{trial.name}](page:trial-{trial.id}), n = {n}"


def _short(arm: object) -> str:
    """The regimen's name without the explanation after it: 'DKd (daratumumab, …)' → 'DKd'."""
    return re.split(r" \(|, ", str(arm or ""), maxsplit=1)[0].strip()


def _regimen(trial: Trial) -> str:
    exp = _short(trial.data.get("experimental"))
    ctl = trial.data.get("control")
    return f"{exp} vs {_short(ctl)}" if ctl else exp


def _rows_for(trials: Iterable[Trial], design: str) -> list[tuple[Trial, Analysis]]:
    rows = []
    for trial in trials:
        cut = trial.default_analysis
        if trial.design != design or cut is None or not cut.has_efficacy:
            continue
        excluded = trial.eligibility.get("lenalidomide_refractory") == "excluded"
        if excluded and trial.share("lenalidomide") is None:
            continue
        rows.append((trial, cut))
    return rows


def evidence_table_markdown(trials: Iterable[Trial], design: str) -> str:
    """A Markdown table (with trial macros) of the ``design`` trials relevant after LEN."""
    rows = _rows_for(trials, design)
    if not rows:
        return f"*No {design} trial with results is recorded yet.*"
    if design == "randomised":
        head = "| Trial | Comparison | LEN-refractory at entry | Data cut | Median PFS | PFS HR | Overall survival |"
    else:
        head = "| Trial | Regimen | LEN-refractory at entry | Data cut | Response rate | Median PFS | Overall survival |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for trial, cut in rows:
        cells = [
            _name_cell(trial, cut),
            _regimen(trial),
            _len_entry(trial),
            _macro(trial, None, "analysis"),
        ]
        if design == "randomised":
            cells += [_pair(trial, None, "pfs_months"), _pfs_hr_cell(trial)]
        else:
            cells += [_pair(trial, None, "orr_pct"), _pair(trial, None, "pfs_months")]
        cells.append(_os_cell(trial, cut))
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def expand_evidence_tables(body: str, trials: Iterable[Trial]) -> str:
    """Replace each ``{{evidence-table:…}}`` in ``body`` with its generated table."""
    records = list(trials)
    return TABLE_RE.sub(lambda m: evidence_table_markdown(records, m.group(1)), body)
