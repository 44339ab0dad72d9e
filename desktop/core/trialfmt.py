"""Format trial figures from trials.yaml records, as the ``{{trial:ID.field}}`` macro prints them.

Numbers are printed with the text the source used (``11.20`` stays ``11.20``), never re-rounded.
"""

from __future__ import annotations

from typing import Any

from .model import Trial


class TrialFieldError(ValueError):
    """The macro names a field that does not exist or holds no value."""


def num(value: Any) -> str:
    """The number as written in trials.yaml (SourceNumber keeps its text)."""
    if isinstance(value, bool):
        raise TrialFieldError("not a number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(value)  # SourceNumber.__str__ returns the source text
    return str(value)


def format_hr(value: Any, low: Any = None, high: Any = None, p: Any = None) -> str:
    text = f"HR {num(value)}"
    if low is not None and high is not None:
        text += f" (95% CI {num(low)}–{num(high)}"
        text += f"; p{_p(p)})" if p is not None else ")"
    elif p is not None:
        text += f" (p{_p(p)})"
    return text


def _p(p: Any) -> str:
    text = num(p).replace(" ", "")
    return text if text[:1] in "<>=≤≥" else f"={text}"


def resolve(trial: Trial, path: str) -> Any:
    """The raw value at a dotted ``path`` of the record; TrialFieldError if missing."""
    value: Any = trial.data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise TrialFieldError(f"trial '{trial.id}' has no field '{path}'")
        value = value[part]
    return value


def format_field(trial: Trial, path: str) -> str:
    """The printed form of ``path`` (e.g. ``pfs_hr``, ``pfs_months.control``, ``n``)."""
    value = resolve(trial, path)
    if value is None:
        raise TrialFieldError(f"trial '{trial.id}' field '{path}' is null (not reported)")
    leaf = path.split(".")[-1]
    parts = path.split(".")
    if isinstance(value, dict):
        if leaf == "pfs_hr":
            return format_hr(
                value.get("value"), value.get("ci_low"), value.get("ci_high"), value.get("p")
            )
        if leaf == "len_refractory_subgroup":
            if value.get("hr") is None:
                raise TrialFieldError(f"trial '{trial.id}' LEN-refractory subgroup has no HR")
            return format_hr(value.get("hr"), value.get("ci_low"), value.get("ci_high"))
        raise TrialFieldError(f"trial '{trial.id}' field '{path}' is a group: name one value in it")
    if isinstance(value, str):
        return value
    text = num(value)
    if any(p.endswith("_months") for p in parts):
        return f"{text} months"
    if any(p.endswith("_pct") for p in parts):
        return f"{text}%"
    return text


def hr_triplet(trial: Trial) -> tuple[float, float | None, float | None] | None:
    hr = trial.data.get("pfs_hr")
    if not isinstance(hr, dict) or hr.get("value") is None:
        return None
    return (float(hr["value"]), _f(hr.get("ci_low")), _f(hr.get("ci_high")))


def _f(value: Any) -> float | None:
    return None if value is None else float(value)
