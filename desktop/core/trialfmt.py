"""How trial figures are printed, and what ``{{trial:ID[@analysis].field}}`` resolves to.

Numbers are printed with the text the source used (``11.20`` stays ``11.20``), never re-rounded, and
every figure of a data cut can carry that cut's caption ("final analysis, median follow-up 50
months") so that no page, card or export shows a number without saying which analysis it is from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .trialmodel import Analysis, Arms, HazardRatio, Trial

MACRO_RE = re.compile(
    r"\{\{\s*trial:([a-z0-9-]+)(?:@([a-z0-9-]+))?\.([a-z0-9_]+(?:\.[a-z0-9_]+)*)\s*\}\}"
)
# Fields that describe the trial itself, not one of its data cuts.
RECORD_FIELDS = (
    "name",
    "nct",
    "phase",
    "population",
    "experimental",
    "control",
    "refractory_pct",
    "prior_lines",
)


class TrialFieldError(ValueError):
    """The macro names a field or analysis that does not exist or holds no value."""


def num(value: Any) -> str:
    """The number as written in trials.yaml (SourceNumber and Decimal keep their text)."""
    if isinstance(value, bool):
        raise TrialFieldError("not a number")
    return str(value)


def dash(value: Any, unit: str = "") -> str:
    """A figure for a table cell: '–' when not reported; words ('not reached') get no unit."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return f"{num(value)}{unit}"


def arms_text(arms: Arms, unit: str = "", single_arm: bool = False) -> str:
    """'28.4 vs 15.2 months' (or one value for a single-arm trial), '–' when empty."""
    if arms.empty:
        return "–"
    if single_arm:
        return dash(arms.experimental, unit)
    return f"{dash(arms.experimental)} vs {dash(arms.control)}{unit}"


def hr_inner(hr: HazardRatio) -> list[str]:
    """The parts printed in brackets after an HR: its CI with level, and its p value."""
    parts = []
    if hr.has_ci:
        level = num(hr.ci_level) if hr.ci_level is not None else "95"
        parts.append(f"{level}% CI {num(hr.ci_low)}–{num(hr.ci_high)}")
    if hr.p is not None:
        parts.append(f"p{p_text(hr.p)}")
    return parts


def format_hr(hr: HazardRatio, extra: tuple[str, ...] = ()) -> str:
    """'HR 0.64 (95% CI 0.49–0.83; p=0.042)', with ``extra`` items inside the same brackets."""
    inner = [*hr_inner(hr), *extra]
    return f"HR {num(hr.value)}" + (f" ({'; '.join(inner)})" if inner else "")


def compact_hr(hr: HazardRatio | None) -> str:
    """The plot's and tables' short form: '0.64 (0.49–0.83)'; a CI not at 95% keeps its level."""
    if hr is None:
        return "–"
    if not hr.has_ci:
        return num(hr.value)
    level = "" if hr.ci_level is None or num(hr.ci_level) == "95" else f"{num(hr.ci_level)}% CI "
    return f"{num(hr.value)} ({level}{num(hr.ci_low)}–{num(hr.ci_high)})"


def p_text(p: Any) -> str:
    """'<0.001' stays as printed; a bare '0.042' reads '=0.042' (spaces dropped)."""
    text = num(p).replace(" ", "")
    return text if text[:1] in "<>=≤≥" else f"={text}"


@dataclass(frozen=True)
class MacroFigure:
    """What a trial macro prints, and the data cut and source it comes from."""

    text: str
    trial: Trial
    analysis: Analysis | None  # None for fields of the record itself (name, refractory shares…)
    source: str
    locator: str
    hr: HazardRatio | None = None  # set when the figure is a hazard ratio (caption goes inside)

    def captioned(self) -> str:
        """The figure with its data cut named: '28.4 months (final analysis, …)'."""
        if self.analysis is None:
            return self.text
        caption = self.analysis.caption()
        if self.hr is not None:
            return format_hr(self.hr, (caption,))
        return f"{self.text} ({caption})"


def _walk(value: Any, parts: list[str], trial: Trial, path: str) -> Any:
    for part in parts:
        if not isinstance(value, dict) or part not in value:
            raise TrialFieldError(f"trial '{trial.id}' has no field '{path}'")
        value = value[part]
    return value


def _raw_analysis(trial: Trial, key: str | None) -> tuple[Analysis, dict[str, Any]]:
    analysis = trial.analysis(key)
    if analysis is None:
        keys = ", ".join(a.key for a in trial.analyses) or "none"
        raise TrialFieldError(f"trial '{trial.id}' has no analysis '{key}' (it has: {keys})")
    raw = next(a for a in trial.data.get("analyses") or [] if str(a.get("key")) == analysis.key)
    return analysis, raw


def figure(trial: Trial, key: str | None, path: str) -> MacroFigure:
    """Resolve ``path`` of ``trial`` (in analysis ``key``, or the default one) to printed text.

    Raises TrialFieldError for an unknown analysis or field, or a field that is null.
    """
    parts = path.split(".")
    if parts[0] in RECORD_FIELDS:
        if key is not None:
            raise TrialFieldError(f"'{parts[0]}' belongs to the trial, not to analysis '{key}'")
        value = _walk(trial.data, parts, trial, path)
        locator = str(
            trial.data.get("refractory_locator") or trial.data.get("eligibility_locator") or ""
        )
        return MacroFigure(_value_text(trial, path, value), trial, None, trial.source, locator)
    analysis, raw = _raw_analysis(trial, key)
    if path == "analysis":
        return MacroFigure(analysis.caption(), trial, None, analysis.source, analysis.locator)
    if path == "follow_up_months":
        text = analysis.follow_up_text()
        if text is None:
            raise TrialFieldError(f"trial '{trial.id}' {analysis.key}: follow-up not reported")
        return MacroFigure(text, trial, None, analysis.source, analysis.locator)
    value = _walk(raw, parts, trial, path)
    hr = HazardRatio.of(value) if parts[-1].endswith("_hr") else None
    if hr is not None:
        return MacroFigure(format_hr(hr), trial, analysis, analysis.source, analysis.locator, hr)
    return MacroFigure(
        _value_text(trial, path, value), trial, analysis, analysis.source, analysis.locator
    )


def _value_text(trial: Trial, path: str, value: Any) -> str:
    if value is None:
        raise TrialFieldError(f"trial '{trial.id}' field '{path}' is null (not reported)")
    if isinstance(value, dict):
        raise TrialFieldError(f"trial '{trial.id}' field '{path}' is a group: name one value in it")
    if isinstance(value, str):
        return value
    text = num(value)
    parts = path.split(".")
    if any(p.endswith("_months") for p in parts):
        return f"{text} months"
    if any(p.endswith("_pct") for p in parts):
        return f"{text}%"
    return text
