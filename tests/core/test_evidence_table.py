"""The generated evidence tables: which trials get a row, and which data cut each figure comes from."""

from __future__ import annotations

from desktop.core.evidence_table import evidence_table_markdown, expand_evidence_tables
from desktop.core.trialmodel import Trial


def record(tid: str, **over) -> Trial:
    data = {
        "name": tid.upper(),
        "design": "randomised",
        "experimental": "XYd (x, y, dexamethasone)",
        "control": "Yd (y, dexamethasone)",
        "eligibility": {"lenalidomide_refractory": "allowed"},
        "refractory_pct": {"lenalidomide": 70},
        "source": "src",
        "analyses": [
            {
                "key": "primary",
                "label": "primary analysis",
                "source": "src",
                "locator": "Abstract",
                "n": 300,
                "pfs_months": {"experimental": 11.20, "control": 7.1},
                "pfs_hr": {"value": 0.61, "p": "<0.0001"},
                "default": True,
            },
            {
                "key": "final-os",
                "label": "final OS analysis",
                "source": "src",
                "locator": "Abstract",
                "os_hr": {"value": 0.94, "ci_low": 0.77, "ci_high": 1.15, "ci_level": 95},
            },
            {
                "key": "post-hoc",
                "label": "post hoc subgroup",
                "scope": "subgroup",
                "source": "src",
                "locator": "Abstract",
                "os_hr": {"value": 0.5},
            },
        ],
    }
    data.update(over)
    return Trial(id=tid, name=data["name"], data=data)


def row(table: str, name: str) -> str:
    return next(line for line in table.splitlines() if f"[{name}]" in line)


def test_os_comes_from_the_latest_whole_population_analysis_not_a_subgroup():
    table = evidence_table_markdown([record("t1")], "randomised")
    line = row(table, "T1")
    assert "{{trial:t1@final-os.os_hr}}" in line and "post-hoc" not in line
    assert "{{trial:t1.analysis}}" in line  # the default cut is named in its own column
    assert "{{trial:t1.pfs_months.experimental}} vs {{trial:t1.pfs_months.control}}" in line
    assert "[T1](page:trial-t1), n = {{trial:t1.n}}" in line
    assert "allowed; {{trial:t1.refractory_pct.lenalidomide}} enrolled" in line


def test_trials_that_excluded_len_refractory_patients_or_lack_results_get_no_row():
    excluded = record("t2", eligibility={"lenalidomide_refractory": "excluded"}, refractory_pct={})
    no_results = record(
        "t3", analyses=[{"key": "design", "label": "design", "source": "s", "locator": "x"}]
    )
    single = record("t4", design="single-arm", control=None)
    table = evidence_table_markdown([excluded, no_results, single, record("t1")], "randomised")
    assert "[T1]" in table
    assert "[T2]" not in table and "[T3]" not in table and "[T4]" not in table


def test_missing_fields_read_not_reported_instead_of_a_macro_on_null():
    bare = record("t5", refractory_pct={})
    bare.data["analyses"] = [dict(bare.data["analyses"][0], pfs_hr=None, n=None)]
    line = row(evidence_table_markdown([bare], "randomised"), "T5")
    assert "n = not reported" in line
    assert "| not reported | not reported |" in line  # PFS HR and overall survival
    assert "refractory_pct" not in line


def test_single_arm_table_prints_one_value_per_figure():
    single = record("t6", design="single-arm", control=None)
    single.data["analyses"][0]["orr_pct"] = {"experimental": 73, "control": None}
    line = row(evidence_table_markdown([single], "single-arm"), "T6")
    assert "{{trial:t6.orr_pct.experimental}}" in line and " vs " not in line
    assert line.count("|") == 8  # seven columns


def test_macro_is_replaced_where_it_stands_and_unknown_designs_are_left_alone():
    body = "Before\n\n{{evidence-table:randomised}}\n\nAfter {{evidence-table:other}}"
    out = expand_evidence_tables(body, [record("t1")])
    assert out.startswith("Before\n\n| Trial | Comparison |")
    assert out.endswith("After {{evidence-table:other}}")
    empty = expand_evidence_tables("{{evidence-table:single-arm}}", [record("t1")])
    assert empty == "*No single-arm trial with results is recorded yet.*"
