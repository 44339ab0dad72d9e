"""Patient matching, conflicts and class switches, forest rows and the CLI, without Qt.

The fixture's three invented trials pin the rules: EXAMPLE-1 is PVd (pomalidomide-refractory
excluded, 70.90% LEN-refractory, 0% anti-CD38-refractory), EXAMPLE-2 a triple-class-refractory
CAR-T trial that excluded BCMA-exposed patients, EXAMPLE-3 an anti-CD38 + pomalidomide triplet.
"""

from __future__ import annotations

import json

import pytest

from desktop.cli import main
from desktop.core.evidence import (
    Profile,
    forest_rows,
    item_status,
    log_scale,
    match_trial,
    match_trials,
    matches_json,
    matches_text,
)


def by_id(matches):
    return {m.id: m for m in matches}


def test_len_and_anti_cd38_patient_sees_the_anti_cd38_arm_as_a_conflict(fixture_library):
    got = by_id(match_trials(fixture_library.trials(), Profile.parse("lenalidomide,anti-cd38")))
    assert got["example-3"].conflicts == ("anti-cd38",)
    assert got["example-3"].match == "eligible"  # both allowed by the protocol
    assert got["example-2"].match == "enrolled" and got["example-2"].conflicts == ()
    # 0% anti-CD38-refractory enrolled, nothing in the protocol: no evidence for this patient.
    assert got["example-1"].match == "unknown"
    assert "an anti-CD38 antibody: none enrolled" in got["example-1"].reasons


def test_len_refractory_patient_switching_to_pomalidomide_is_a_class_switch(fixture_library):
    m = match_trial(fixture_library.trial("example-1"), Profile.parse("lenalidomide"))
    assert m.match == "enrolled" and m.conflicts == ()
    assert m.notes == ("class switch: pomalidomide after lenalidomide",)


def test_same_drug_is_a_conflict_and_a_protocol_exclusion_excludes(fixture_library):
    m = match_trial(fixture_library.trial("example-1"), Profile.parse("pomalidomide"))
    assert m.match == "excluded" and m.conflicts == ("pomalidomide",)
    assert m.reasons == ("excluded pomalidomide-refractory disease",)


def test_bortezomib_refractory_patient_meets_bortezomib_as_conflict_not_carfilzomib(
    fixture_library,
):
    m = match_trial(fixture_library.trial("example-1"), Profile.parse("bortezomib"))
    assert m.conflicts == ("bortezomib",)
    m = match_trial(fixture_library.trial("example-1"), Profile.parse("carfilzomib"))
    assert m.conflicts == () and "class switch: bortezomib after carfilzomib" in m.notes


def test_prior_lines_outside_the_range_exclude(fixture_library):
    m = match_trial(fixture_library.trial("example-1"), Profile.parse("lenalidomide", 4))
    assert m.match == "excluded" and m.reasons == ("enrolled patients with 1–3 prior lines",)
    m = match_trial(fixture_library.trial("example-2"), Profile.parse("lenalidomide", 2))
    assert m.match == "excluded" and m.reasons == ("enrolled patients with ≥3 prior lines",)


def test_triple_class_requirement_counts_for_pi_and_anti_cd38(fixture_library):
    trial = fixture_library.trial("example-2")
    assert item_status(trial, "anti-cd38")[0] == "enrolled"
    assert item_status(trial, "pi")[0] == "enrolled"
    assert item_status(trial, "bcma") == ("excluded", "excluded previous BCMA-directed therapy")


def test_bcma_exposure_is_a_note_naming_the_trial_rule_not_a_conflict(fixture_library):
    m = match_trial(fixture_library.trial("example-2"), Profile.parse("bcma"))
    assert m.conflicts == ()
    assert m.notes == (
        "BCMA-directed arm: the trial excluded patients with previous BCMA-directed therapy "
        "(0.0% had received it)",
    )


def test_order_is_enrolled_eligible_unknown_excluded(fixture_library):
    order = [
        m.match for m in match_trials(fixture_library.trials(), Profile.parse("len,anti-cd38"))
    ]
    assert order == sorted(order, key=["enrolled", "eligible", "unknown", "excluded"].index)
    hidden = match_trials(fixture_library.trials(), Profile.parse("pom"), hide_excluded=True)
    assert "example-1" not in by_id(hidden)


def test_unknown_refractory_class_is_a_usage_error():
    with pytest.raises(ValueError, match="unknown refractory class 'kryptonite'"):
        Profile.parse("kryptonite")


def test_forest_rows_name_the_analysis_and_grey_conflicts(fixture_library):
    rows = forest_rows(match_trials(fixture_library.trials(), Profile.parse("len,anti-cd38")))
    names = [(r.name, r.caption, r.conflict) for r in rows]
    assert names[0] == ("EXAMPLE-3", "primary analysis, n=400", True)
    assert names[1] == ("EXAMPLE-3: LEN-refractory", "primary analysis, n=150", True)
    assert names[2] == ("EXAMPLE-1", "primary analysis, median follow-up 15.9 months, n=300", False)


def test_text_and_json_carry_every_data_cut_with_its_label(fixture_library):
    matches = match_trials(fixture_library.trials(), Profile.parse("lenalidomide"))
    text = matches_text(matches, Profile.parse("lenalidomide"), fixture_library.citation)
    assert "final overall-survival analysis, median follow-up 64.5 months [2]" in text
    assert "OS HR 0.94 (0.77–1.15)" in text and "11.20 vs 7.10 months" in text
    data = matches_json(matches, Profile.parse("lenalidomide"))
    cuts = by_id([m for m in matches])["example-1"].trial.analyses
    assert [a.key for a in cuts] == ["primary", "final-os"]
    first = next(t for t in data["trials"] if t["id"] == "example-1")
    assert [a["label"] for a in first["analyses"]] == [
        "primary analysis",
        "final overall-survival analysis",
    ]


def test_cli_trials_json_keeps_numbers_as_printed(fixture_data_env, capsys):
    assert main(["trials", "--refractory", "lenalidomide", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["patient"]["refractory"] == ["lenalidomide"]
    first = data["trials"][0]
    assert set(first) >= {
        "id",
        "name",
        "design",
        "phase",
        "experimental",
        "control",
        "classes",
        "eligibility",
        "match",
        "conflicts",
        "notes",
        "analyses",
    }
    assert first["id"] == "example-1" and first["conflicts"] == []
    assert first["analyses"][0]["pfs_months"] == {"experimental": 11.20, "control": 7.10}
    out = main(["trials", "--refractory", "lenalidomide", "--json"])
    assert out == 0 and '"experimental": 11.20' in capsys.readouterr().out


def test_cli_trial_card_and_unknown_trial(fixture_data_env, capsys):
    assert main(["trial", "EXAMPLE-1"]) == 0
    out = capsys.readouterr().out
    assert "EXAMPLE-1 (trial card)" in out and "Results by analysis" in out
    assert main(["trial", "nope"]) == 1
    assert "no trial 'nope'" in capsys.readouterr().err


def test_cli_rejects_unknown_class(fixture_data_env, capsys):
    assert main(["trials", "--refractory", "kryptonite"]) == 2
    assert "unknown refractory class" in capsys.readouterr().err


def test_log_scale_always_shows_one_and_covers_the_cis():
    lo, hi, ticks = log_scale([0.17, 0.12, 0.38, 1.03, 1.47])
    assert lo < 0.12 and hi > 1.47 and 1.0 in ticks and ticks == sorted(ticks)
    assert log_scale([])[2]


def test_cli_pdf_is_one_page_without_a_display(fixture_data_env, tmp_path, monkeypatch, capsys):
    pypdf = pytest.importorskip("pypdf")
    monkeypatch.delenv("DISPLAY", raising=False)
    out = tmp_path / "x.pdf"
    assert main(["trials", "--refractory", "lenalidomide", "--pdf", str(out)]) == 0
    assert len(pypdf.PdfReader(out).pages) == 1
    assert main(["trials", "--pdf", str(tmp_path / "no" / "x.pdf")]) == 1
    assert "could not write" in capsys.readouterr().err
