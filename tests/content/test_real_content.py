"""The shipped content builds strictly, and clinicians' usual terms find the right pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.build import build, compile_content
from desktop.core.evidence import Profile, match_trial, match_trials
from desktop.core.library import Library

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def real_library(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "data"
    report = build(CONTENT, out, strict=True)
    assert report.ok, "\n".join(p.format() for p in report.errors)
    lib = Library.open(out)
    yield lib
    lib.close()


def test_content_builds_strictly_without_warnings():
    _, _, problems = compile_content(CONTENT, strict=True)
    assert problems == [], "\n".join(p.format() for p in problems)


def test_every_part_has_an_overview_and_pages(real_library):
    parts = [p for p, _ in real_library.parts()]
    assert parts == ["background", "action", "resistance", "strategies", "future", "trials"]
    assert len(real_library.pages("resistance")) >= 17


def test_every_page_is_cited_and_reviewed(real_library):
    for info in real_library.pages():
        page = real_library.page(info.id)
        assert page.references, f"{info.id} cites nothing"
        assert info.reviewed >= "2026-01-01"
        assert all(r.doi or r.pmid or r.url or (r.volume and r.pages) for r in page.references)


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("cereblon", "crbn-expression"),
        ("IKZF1", "ikzf-irf4-myc"),
        ("exon 10", "crbn-mutations"),
        ("CSN9", "crbn-regulators"),
        ("3p26", "crbn-copy-loss"),
        ("CD147", "cd147-mct1"),
        ("wnt", "wnt-cd44"),
        ("STAT3", "il6-stat3"),
        ("MEK", "mek-erk-ras"),
        ("CDK6", "cdk6"),
        ("ADAR1", "adar1"),
        ("del(17p)", "tp53-high-risk"),
        ("RhoU", "rho-gtpases"),
        ("EZH2", "epigenetics"),
        ("stroma", "bone-marrow-microenvironment"),
        ("MDSC", "immune-escape"),
        ("MCL-1", "other-mechanisms"),
        ("DPd", "pomalidomide-regimens"),
        ("dara pom dex", "pomalidomide-regimens"),
        ("PVd", "pomalidomide-regimens"),
        ("Isa-Kd", "carfilzomib-regimens"),
        ("selinexor", "selinexor"),
        ("t(11;14)", "venetoclax"),
        ("belamaf", "belantamab"),
        ("cilta-cel", "car-t"),
        ("teclistamab", "bispecifics"),
        ("mezigdomide", "celmods"),
        ("melflufen", "melflufen"),
        ("salvage ASCT", "transplant"),
        ("PROTAC", "degraders"),
        ("IMWG refractory", "definitions"),
        ("maintenance", "len-in-practice"),
        ("molecular glue", "crl4-crbn"),
        ("Aiolos", "neosubstrates"),
        ("IL-2", "immune-effects"),
        ("angiogenesis", "angiogenesis-microenvironment"),
    ],
)
def test_main_terms_find_their_page(real_library, query, page):
    hits = real_library.search(query, typing=False).hits
    assert page in [h.page for h in hits[:5]], f"{query!r}: {[h.page for h in hits[:5]]}"


def test_trial_records_point_at_cited_sources(real_library):
    for trial in real_library.trials():
        assert real_library.reference(trial.source) is not None
        for cut in trial.analyses:
            assert real_library.reference(cut.source) is not None and cut.locator and cut.label


def test_at_least_36_records_and_every_randomised_one_has_a_pfs_hr_and_medians(real_library):
    trials = real_library.trials()
    assert len(trials) >= 36
    # Myeloma X reported time to progression; the KEYNOTE trials were stopped early and their
    # interim figures are not in a citable source: the cards say so.
    # MM-003's results and EXCALIBER-RRMM's (design paper only) have no readable source yet.
    exempt = {"myelomax", "keynote183", "keynote185", "mm003", "excaliberrrmm"}
    missing = [
        t.id
        for t in trials
        if t.design == "randomised"
        and t.id not in exempt
        and not any(a.pfs_hr and not a.pfs_months.empty for a in t.analyses)
    ]
    assert missing == [], missing


def test_len_and_anti_cd38_refractory_patient_has_evidence_and_sees_anti_cd38_conflicts(
    real_library,
):
    matches = match_trials(real_library.trials(), Profile.parse("lenalidomide,anti-cd38"))
    assert sum(m.match in ("enrolled", "eligible") for m in matches) >= 4
    for m in matches:
        if any(d in ("daratumumab", "isatuximab") for d in m.trial.drugs):
            assert "anti-cd38" in m.conflicts, m.id
    by_id = {m.id: m for m in matches}
    for tid in ("candor", "ikema", "apollo"):
        assert "anti-cd38" in by_id[tid].conflicts


def test_optimismm_is_a_class_switch_for_a_len_refractory_patient(real_library):
    m = match_trial(real_library.trial("optimismm"), Profile.parse("lenalidomide"))
    assert m.conflicts == () and "class switch: pomalidomide after lenalidomide" in m.notes
    assert m.match == "enrolled"


def test_trial_cards_are_found_by_trial_name(real_library):
    for query, card in (
        ("BOSTON", "trial-boston"),
        ("KarMMa", "trial-karmma"),
        ("STORM", "trial-storm"),
    ):
        hits = real_library.search(query, typing=False).hits
        assert card in [h.page for h in hits[:3]], (query, [h.page for h in hits[:3]])


def test_overview_evidence_table_has_the_pivotal_trials_with_their_data_cuts(real_library):
    html = real_library.page("strategies-overview").html
    for card in ("cartitude-4", "karmma-3", "dreamm-7", "dreamm-8", "majestec-3", "apollo"):
        assert f'href="page:trial-{card}"' in html, card
    assert "final overall survival analysis" in html  # OPTIMISMM's OS names its own cut
    assert "{{" not in html
