"""Read and check ``trials.yaml`` records (format version 2: eligibility and data cuts per trial).

Reading never raises for bad content: every defect becomes a Problem with the record's line and a
hint. What a record means (typed analyses, hazard ratios, safety) is in ``trialmodel``; this module
only decides whether a record is well formed. The format is documented in ``content/README.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import yamlio
from .model import DRUG_CLASSES, Reference, Trial

TRIAL_REQUIRED = (
    "id",
    "name",
    "phase",
    "design",
    "experimental",
    "control",
    "drugs",
    "classes",
    "population",
    "prior_lines",
    "eligibility",
    "eligibility_locator",
    "refractory_pct",
    "source",
    "analyses",
)
TRIAL_OPTIONAL = ("aliases", "nct", "notes", "refractory_locator", "reviewed")
TRIAL_NULLABLE = ("control",)
ELIGIBILITY_KEYS = (
    "lenalidomide_refractory",
    "pomalidomide_refractory",
    "pi_refractory",
    "anti_cd38_refractory",
    "triple_class_refractory",
    "bcma_exposed",
)
# Protocols that treat the two proteasome inhibitors differently may say so drug by drug.
ELIGIBILITY_OPTIONAL = ("bortezomib_refractory", "carfilzomib_refractory")
ELIGIBILITY_VALUES = ("required", "allowed", "excluded", "not-stated")
REFRACTORY_KEYS = (
    "lenalidomide",
    "pomalidomide",
    "proteasome_inhibitor",
    "bortezomib",
    "carfilzomib",
    "anti_cd38",
    "triple_class",
    "prior_bcma",
)
ANALYSIS_REQUIRED = ("key", "label", "source", "locator")
ANALYSIS_OPTIONAL = (
    "data_cut",
    "follow_up_months",
    "follow_up_kind",
    "scope",
    "n",
    "n_arms",
    "pfs_months",
    "pfs_hr",
    "orr_pct",
    "os_months",
    "os_hr",
    "len_refractory_subgroup",
    "safety",
    "seen_in",
    "default",
    "notes",
)
# "subgroup": the analysis covers part of the randomised population (post hoc or prespecified), so
# generated tables never show it as the trial's overall result.
ANALYSIS_SCOPES = ("all", "subgroup")
ARM_FIELDS = ("pfs_months", "orr_pct", "os_months")
HR_FIELDS = ("pfs_hr", "os_hr")
SUBGROUP_KEYS = ("n", "pfs_months", "pfs_hr", "orr_pct", "os_hr")
SAFETY_ARM_KEYS = (
    "grade3plus_pct",
    "serious_pct",
    "discontinuation_pct",
    "fatal_ae_pct",
    "treatment_related_fatal_pct",
)
EVENT_GRADES = ("any", "3+", "3-4", "5")
# Medians that the source reports in words rather than as a number.
MEDIAN_WORDS = ("not reached", "not estimable")
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

Report = Callable[[int, str, str], None]


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _opt_number(value: Any) -> bool:
    return value is None or is_number(value)


def _median(value: Any) -> bool:
    return _opt_number(value) or value in MEDIAN_WORDS


def _unknown_keys(data: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    return [k for k in data if k != yamlio.LINE_KEY and k not in allowed]


def check_arms(value: Any, where: str, bad: Report, line: int, words: bool = False) -> None:
    """``{experimental: N, control: N}`` (numbers or null; medians may be "not reached")."""
    if value is None:
        return
    ok = _median if words else _opt_number
    if not isinstance(value, dict) or _unknown_keys(value, ("experimental", "control")):
        bad(line, f"'{where}' must be {{experimental: N, control: N}}", "use both arm keys")
        return
    for arm in ("experimental", "control"):
        if not ok(value.get(arm)):
            hint = 'a number, null or "not reached"' if words else "a number or null"
            bad(line, f"'{where}.{arm}' must be {hint}", "write the figure as printed")


def check_hr(value: Any, where: str, bad: Report, line: int) -> None:
    """``{value, ci_low, ci_high, ci_level, p}``: a CI always states its level."""
    if value is None:
        return
    if not isinstance(value, dict) or not is_number(value.get("value")):
        bad(line, f"'{where}' must be {{value, ci_low, ci_high, ci_level, p}} or null", "")
        return
    extra = _unknown_keys(value, ("value", "ci_low", "ci_high", "ci_level", "p"))
    if extra:
        bad(line, f"'{where}' has unknown key(s) {', '.join(extra)}", "value, ci_low, ci_high…")
    low, high = value.get("ci_low"), value.get("ci_high")
    if not (_opt_number(low) and _opt_number(high)):
        bad(line, f"'{where}' CI bounds must be numbers or null", "write them as printed")
    elif (low is None) != (high is None):
        bad(line, f"'{where}' has one CI bound only", "give both bounds or neither")
    elif low is not None and not is_number(value.get("ci_level")):
        bad(line, f"'{where}' gives a CI without its level", "add ci_level: 95 (or as printed)")
    p = value.get("p")
    if p is not None and not isinstance(p, str):
        bad(line, f"'{where}.p' must be text", 'quote it: p: "0.0075"')


def check_subgroup(value: Any, where: str, bad: Report, line: int) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        bad(line, f"'{where}' must be a mapping or null", "see the format in content/README.md")
        return
    extra = _unknown_keys(value, SUBGROUP_KEYS)
    if extra:
        bad(line, f"'{where}' has unknown key(s) {', '.join(extra)}", ", ".join(SUBGROUP_KEYS))
    n = value.get("n")
    if isinstance(n, dict):
        check_arms(n, f"{where}.n", bad, line)
    elif not _opt_number(n):
        bad(line, f"'{where}.n' must be a number, arms or null", "")
    check_arms(value.get("pfs_months"), f"{where}.pfs_months", bad, line, words=True)
    check_arms(value.get("orr_pct"), f"{where}.orr_pct", bad, line)
    check_hr(value.get("pfs_hr"), f"{where}.pfs_hr", bad, line)
    check_hr(value.get("os_hr"), f"{where}.os_hr", bad, line)


def check_safety(value: Any, where: str, bad: Report, line: int) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        bad(line, f"'{where}' must be a mapping or null", "see the format in content/README.md")
        return
    extra = _unknown_keys(value, (*SAFETY_ARM_KEYS, "events"))
    if extra:
        bad(line, f"'{where}' has unknown key(s) {', '.join(extra)}", ", ".join(SAFETY_ARM_KEYS))
    for key in SAFETY_ARM_KEYS:
        check_arms(value.get(key), f"{where}.{key}", bad, line)
    events = value.get("events") or []
    if not isinstance(events, list):
        bad(line, f"'{where}.events' must be a list", "- {event: …, grade: any, experimental: N}")
        return
    for event in events:
        ev_line = yamlio.line_of(event, line)
        if not isinstance(event, dict) or not isinstance(event.get("event"), str):
            bad(ev_line, f"'{where}.events' item needs 'event' text", "")
            continue
        if event.get("grade") not in EVENT_GRADES:
            bad(ev_line, f"event '{event['event']}': grade must be one of {EVENT_GRADES}", "")
        for arm in ("experimental", "control"):
            if not _opt_number(event.get(arm)):
                bad(ev_line, f"event '{event['event']}': '{arm}' must be a number or null", "")


def _check_seen_in(value: Any, where: str, bad: Report, line: int) -> None:
    if value is None:
        return
    ok = isinstance(value, list) and len(value) >= 2
    ok = ok and all(isinstance(s, dict) and s.get("title") and s.get("url") for s in value)
    if not ok:
        bad(line, f"'{where}' must list the two reports", "- {title: …, url: …} (two or more)")


def _date_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def check_analysis(
    a: Any, where: str, bad: Report, line: int, refs: dict[str, Reference]
) -> dict[str, Any] | None:
    """Check one data cut; returns it with ``data_cut`` as ISO text, or None if unusable."""
    if not isinstance(a, dict):
        bad(line, f"{where} must be a mapping", "- key: primary\n  label: primary analysis …")
        return None
    line = yamlio.line_of(a, line)
    missing = [k for k in ANALYSIS_REQUIRED if not a.get(k)]
    if missing:
        bad(line, f"{where}: missing {', '.join(missing)}", "every analysis names its source")
        return None
    if not KEY_RE.match(str(a["key"])):
        bad(line, f"{where}: key '{a['key']}' must be lower-case-with-dashes", "e.g. final-os")
    for key in _unknown_keys(a, (*ANALYSIS_REQUIRED, *ANALYSIS_OPTIONAL)):
        bad(line, f"{where}: unknown field '{key}'", "see the format in content/README.md")
    if a["source"] not in refs:
        bad(line, f"{where}: source '{a['source']}' is not in references.yaml", "add it")
    if not _opt_number(a.get("n")):
        bad(line, f"{where}: 'n' must be a number or null", "")
    follow = a.get("follow_up_months")
    if isinstance(follow, dict):
        check_arms(follow, f"{where}.follow_up_months", bad, line)
    elif not _opt_number(follow):
        bad(line, f"{where}: 'follow_up_months' must be a number, arms or null", "")
    if a.get("follow_up_kind", "median") not in ("median", "minimum"):
        bad(line, f"{where}: follow_up_kind must be median or minimum", "")
    if a.get("scope", "all") not in ANALYSIS_SCOPES:
        bad(line, f"{where}: scope must be one of {', '.join(ANALYSIS_SCOPES)}", "")
    check_arms(a.get("n_arms"), f"{where}.n_arms", bad, line)
    for name in ARM_FIELDS:
        check_arms(a.get(name), f"{where}.{name}", bad, line, words=name != "orr_pct")
    for name in HR_FIELDS:
        check_hr(a.get(name), f"{where}.{name}", bad, line)
    check_subgroup(a.get("len_refractory_subgroup"), f"{where}.len_refractory_subgroup", bad, line)
    check_safety(a.get("safety"), f"{where}.safety", bad, line)
    _check_seen_in(a.get("seen_in"), f"{where}.seen_in", bad, line)
    data_cut = a.get("data_cut")
    if data_cut is not None and not isinstance(data_cut, dt.date):
        bad(line, f"{where}: data_cut '{data_cut}' is not a date", "write YYYY-MM-DD or null")
    out = dict(a)
    out["data_cut"] = _date_text(data_cut)
    return out


def check_eligibility(value: Any, what: str, bad: Report, line: int) -> None:
    if not isinstance(value, dict):
        bad(line, f"{what}: eligibility must be a mapping", ", ".join(ELIGIBILITY_KEYS))
        return
    for key in ELIGIBILITY_KEYS:
        if key not in value:
            bad(
                line,
                f"{what}: eligibility has no '{key}'",
                "required | allowed | excluded | not-stated",
            )
    for key, rule in value.items():
        if key == yamlio.LINE_KEY:
            continue
        if key not in (*ELIGIBILITY_KEYS, *ELIGIBILITY_OPTIONAL):
            bad(line, f"{what}: eligibility key '{key}' is unknown", ", ".join(ELIGIBILITY_KEYS))
        elif rule not in ELIGIBILITY_VALUES:
            bad(
                line,
                f"{what}: eligibility '{key}: {rule}'",
                "use " + " | ".join(ELIGIBILITY_VALUES),
            )


def check_record(
    entry: dict[str, Any], what: str, bad: Report, refs: dict[str, Reference]
) -> list[dict[str, Any]]:
    """Check a record's fields (not its presence of keys); returns its usable analyses."""
    line = yamlio.line_of(entry)
    if entry["design"] not in ("randomised", "single-arm"):
        bad(line, f"{what}: design must be randomised or single-arm", "fix 'design'")
    if entry["design"] == "single-arm" and entry.get("control") is not None:
        bad(line, f"{what}: a single-arm trial has no control", "control: null")
    for name in ("classes", "drugs"):
        if not isinstance(entry[name], list) or not all(isinstance(x, str) for x in entry[name]):
            bad(line, f"{what}: {name} must be a list of names", "e.g. [imid, pi]")
    for cls in entry["classes"] if isinstance(entry["classes"], list) else []:
        if cls not in DRUG_CLASSES:
            bad(line, f"{what}: unknown drug class '{cls}'", f"use: {', '.join(DRUG_CLASSES)}")
    if entry["source"] not in refs:
        bad(line, f"{what}: source '{entry['source']}' is not in references.yaml", "add it")
    lines = entry.get("prior_lines")
    if not isinstance(lines, dict) or not all(_opt_number(lines.get(k)) for k in ("min", "max")):
        bad(line, f"{what}: 'prior_lines' must be {{min: N, max: N or null}}", "")
    check_eligibility(entry["eligibility"], what, bad, line)
    _check_shares(entry["refractory_pct"], what, bad, line)
    return _check_analyses(entry["analyses"], what, bad, line, refs)


def _check_shares(refr: Any, what: str, bad: Report, line: int) -> None:
    if not isinstance(refr, dict):
        bad(line, f"{what}: 'refractory_pct' must be a mapping", ", ".join(REFRACTORY_KEYS))
        return
    for key, value in refr.items():
        if key == yamlio.LINE_KEY:
            continue
        if key not in REFRACTORY_KEYS:
            bad(line, f"{what}: 'refractory_pct.{key}' is unknown", ", ".join(REFRACTORY_KEYS))
        elif not _opt_number(value) or (value is not None and not 0 <= value <= 100):
            bad(line, f"{what}: 'refractory_pct.{key}' must be 0–100 or null", "")


def _check_analyses(
    analyses: Any, what: str, bad: Report, line: int, refs: dict[str, Reference]
) -> list[dict[str, Any]]:
    if not isinstance(analyses, list) or not analyses:
        bad(line, f"{what}: 'analyses' must list at least one data cut", "- key: primary …")
        return []
    out: list[dict[str, Any]] = []
    for i, a in enumerate(analyses, 1):
        checked = check_analysis(a, f"{what} analysis {i}", bad, line, refs)
        if checked is not None:
            out.append(checked)
    keys = [str(a["key"]) for a in out]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        bad(line, f"{what}: analysis key '{key}' is used twice", "give each data cut its own key")
    defaults = [a for a in out if a.get("default") is True]
    if len(out) > 1 and len(defaults) != 1:
        bad(
            line, f"{what}: mark exactly one analysis 'default: true'", "normally the latest mature"
        )
    return out


def read_trials(
    entries: list[dict[str, Any]],
    path: Path,
    error: Callable[[Path, int, str, str], None],
    warning: Callable[[Path, int, str, str], None],
    refs: dict[str, Reference],
) -> dict[str, Trial]:
    """The well-formed records of ``entries`` by id; every defect is reported through ``error``."""
    trials: dict[str, Trial] = {}
    for entry in entries:
        line = yamlio.line_of(entry)
        what = f"trial '{entry.get('id', '?')}'"

        def bad(at: int, message: str, hint: str) -> None:
            error(path, at, message, hint or "see the trials.yaml format in content/README.md")

        missing = [k for k in TRIAL_REQUIRED if k not in entry]
        empty = [k for k in TRIAL_REQUIRED if k in entry and entry[k] in (None, "")]
        empty = [k for k in empty if k not in TRIAL_NULLABLE]
        for key in missing:
            bad(line, f"{what}: missing required field '{key}'", f"add '{key}:'")
        for key in empty:
            bad(line, f"{what}: field '{key}' is empty", f"give '{key}' a value")
        for key in _unknown_keys(entry, (*TRIAL_REQUIRED, *TRIAL_OPTIONAL)):
            warning(path, line, f"{what}: unknown field '{key}'", "remove it or fix its spelling")
        if missing or empty:
            continue
        trial_id = str(entry["id"])
        if trial_id in trials:
            bad(line, f"duplicate trial id '{trial_id}'", "keep one record per trial")
            continue
        if not KEY_RE.match(trial_id):
            bad(line, f"{what}: id must be lower-case-with-dashes", "e.g. optimismm")
        analyses = check_record(entry, what, bad, refs)
        data = yamlio.strip_lines({**entry, "analyses": analyses})
        trials[trial_id] = Trial(id=trial_id, name=str(entry["name"]), data=data, line=line)
    return trials
