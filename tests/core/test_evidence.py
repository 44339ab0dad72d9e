"""Trial filters, forest-plot scale and the evidence export, without Qt (shared by CLI and explorer)."""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from desktop.core.evidence import TrialFilter, export_html, filter_trials, log_scale, rows_as_text


def ids(rows):
    return [r.id for r in rows]


def test_no_filter_keeps_all(fixture_library):
    assert ids(filter_trials(fixture_library.trials(), TrialFilter())) == [
        "example-1",
        "example-2",
        "example-3",
    ]


def test_refractory_filter_keeps_trials_that_enrolled_such_patients(fixture_library):
    trials = fixture_library.trials()
    flt = TrialFilter.from_cli("lenalidomide", None, None)
    # example-3 did not report a LEN-refractory share: it is not shown for a LEN-refractory patient.
    assert ids(filter_trials(trials, flt)) == ["example-1", "example-2"]
    flt = TrialFilter.from_cli("lenalidomide,anti-cd38", None, None)
    rows = filter_trials(trials, flt)
    assert ids(rows) == ["example-2"]  # example-1 enrolled 0% anti-CD38-refractory patients


def test_flags_regimens_with_a_class_the_patient_is_refractory_to(fixture_library):
    rows = filter_trials(fixture_library.trials(), TrialFilter.from_cli("len", None, None))
    flags = {r.id: r.flags for r in rows}
    assert flags["example-1"] == ["LEN-refractory patient: regimen contains imid"]
    assert flags["example-2"] == []


def test_class_design_share_and_text_filters(fixture_library):
    trials = fixture_library.trials()
    assert ids(filter_trials(trials, TrialFilter(drug_class="anti-cd38"))) == ["example-3"]
    assert ids(filter_trials(trials, TrialFilter(design="single-arm"))) == ["example-2"]
    assert ids(filter_trials(trials, TrialFilter(min_len_refractory=80))) == ["example-2"]
    assert ids(filter_trials(trials, TrialFilter(text="ex-2"))) == ["example-2"]


def test_unknown_refractory_class_is_a_usage_error():
    with pytest.raises(ValueError, match="unknown refractory class 'kryptonite'"):
        TrialFilter.from_cli("kryptonite", None, None)


def test_log_scale_always_shows_one_and_covers_the_cis():
    lo, hi, ticks = log_scale([0.26, 0.18, 0.38, 1.03, 1.47])
    assert lo < 0.18 and hi > 1.47 and 1.0 in ticks and ticks == sorted(ticks)
    assert log_scale([])[2]


def test_text_and_html_exports_cite_sources(fixture_library):
    flt = TrialFilter.from_cli("lenalidomide", None, None)
    rows = filter_trials(fixture_library.trials(), flt)
    text = rows_as_text(rows, flt, fixture_library)
    assert "patient refractory to: LEN" in text and "EXAMPLE-1 [1]" in text and "Doe J" in text
    assert "HR 0.61 (95% CI 0.49–0.77)" in text
    page = export_html(rows, flt, fixture_library)
    assert (
        "EXAMPLE-2" in page
        and "patient refractory to: LEN" in page
        and "doi:10.0000/test.2020" in page
    )


def test_cli_trials_json_matches_the_core_filter(capsys, monkeypatch, built_fixture):
    monkeypatch.setenv("LENREF_DATA_DIR", str(built_fixture))
    monkeypatch.setenv("LENREF_CONTENT_DIR", str(built_fixture / "none"))
    assert main(["trials", "--refractory", "lenalidomide,anti-cd38", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in data] == ["example-2"]
    assert main(["trials", "--refractory", "nonsense"]) == 2
    assert "unknown refractory class" in capsys.readouterr().err


def test_unreported_shares_are_listed_only_on_request_and_flagged(fixture_library):
    trials = fixture_library.trials()
    strict = TrialFilter.from_cli("lenalidomide", None, None)
    wide = TrialFilter.from_cli("lenalidomide", None, None, include_unreported=True)
    assert "example-3" not in ids(filter_trials(trials, strict))
    rows = {r.id: r for r in filter_trials(trials, wide)}
    assert "LEN-refractory share not reported" in rows["example-3"].flags
    from desktop.core.evidence import unreported_count

    assert unreported_count(trials, strict) == 1


def test_triple_class_share_implies_pi_and_anti_cd38_refractory(fixture_library):
    from desktop.core.evidence import enrolled

    ex2 = next(t for t in fixture_library.trials() if t.id == "example-2")
    data = dict(ex2.data)
    data["refractory_pct"] = {
        "lenalidomide": None,
        "proteasome_inhibitor": None,
        "anti_cd38": None,
        "triple_class": 80.0,
    }
    from desktop.core.model import Trial

    t = Trial("x", "X", data)
    assert enrolled(t, "anti-cd38") is True and enrolled(t, "pi") is True
    assert enrolled(t, "lenalidomide") is None  # the IMiD may have been pomalidomide
