"""One fixture per content error class: each is reported with its file, line, message and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.build import build, compile_content


def problems_of(root: Path, strict: bool = False):
    _, _, problems = compile_content(root, strict=strict)
    return problems


def find(problems, fragment: str):
    matches = [p for p in problems if fragment in p.message]
    assert matches, f"no problem mentioning {fragment!r} in {[p.format() for p in problems]}"
    return matches[0]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_valid_fixture_has_no_errors(good_content):
    problems = problems_of(good_content)
    assert [p for p in problems if p.severity == "error"] == []


def test_missing_required_field_is_reported_at_front_matter(good_content):
    page = good_content / "pages/background/intro.md"
    edit(page, "summary: Myeloma is a plasma-cell cancer treated in successive lines.\n", "")
    p = find(problems_of(good_content), "missing required field 'summary'")
    assert p.file == "pages/background/intro.md" and p.line == 2 and p.severity == "error"
    assert "summary" in p.hint


def test_wrong_type_is_reported(good_content):
    edit(good_content / "pages/background/intro.md", "order: 10", "order: ten")
    p = find(problems_of(good_content), "field 'order' must be a whole number")
    assert p.line == 2


def test_unknown_part(good_content):
    edit(good_content / "pages/background/intro.md", "part: background", "part: backgrounds")
    p = find(problems_of(good_content), "unknown part 'backgrounds'")
    assert "background" in p.hint


def test_duplicate_page_id(good_content):
    src = good_content / "pages/background/intro.md"
    (good_content / "pages/background/intro-copy.md").write_text(src.read_text("utf-8"), "utf-8")
    p = find(problems_of(good_content), "duplicate page id 'intro'")
    assert p.file == "pages/background/intro.md" or p.file.endswith("intro.md")


def test_unknown_citation_key_has_body_line(good_content):
    edit(
        good_content / "pages/background/intro.md",
        "[@kulig2023].\n\n## Why",
        "[@nobody2020].\n\n## Why",
    )
    p = find(problems_of(good_content), "unknown citation key 'nobody2020'")
    assert p.file == "pages/background/intro.md" and p.line == 11


def test_link_to_missing_page(good_content):
    edit(good_content / "pages/background/intro.md", "page:crbn-loss#what-happens", "page:nowhere")
    p = find(problems_of(good_content), "link to missing page 'nowhere'")
    assert p.line == 16


def test_link_to_missing_section_lists_the_sections(good_content):
    edit(good_content / "pages/background/intro.md", "#what-happens", "#what-happened")
    p = find(problems_of(good_content), "missing section 'crbn-loss#what-happened'")
    assert "what-happens" in p.hint


def test_missing_image(good_content):
    (good_content / "images/diagram.svg").unlink()
    p = find(problems_of(good_content), "missing image 'images/diagram.svg'")
    assert p.file == "pages/strategies/pvd-page.md"


def test_trial_source_not_in_references(good_content):
    edit(good_content / "trials.yaml", "source: trial2020", "source: missing2020")
    p = find(problems_of(good_content), "source 'missing2020' is not in references.yaml")
    assert p.file == "trials.yaml" and p.line == 2  # the record's first line (after a comment)


def test_malformed_yaml_reports_parser_line(good_content):
    edit(good_content / "glossary.yaml", "  aliases: [cereblon]", "  aliases: [cereblon")
    p = find(problems_of(good_content), "malformed YAML")
    assert p.file == "glossary.yaml" and p.line in (4, 5)


def test_malformed_front_matter_yaml(good_content):
    edit(good_content / "pages/background/intro.md", "aliases: [MM]", "aliases: [MM")
    p = find(problems_of(good_content), "malformed YAML")
    assert p.file == "pages/background/intro.md" and 7 <= p.line <= 9


def test_number_without_citation(good_content):
    page = good_content / "pages/resistance/crbn-loss.md"
    edit(page, "Table 2].", "Table 2].\n\nResponses were seen in 42% of patients.")
    p = find(problems_of(good_content), "states a number ('42%') without a citation")
    assert p.line == 20 and "{{trial:" in p.hint


def test_table_row_number_without_citation(good_content):
    page = good_content / "pages/strategies/pvd-page.md"
    edit(
        page,
        "| EXAMPLE-1 | {{trial:example-1.n}} |",
        "| EXAMPLE-1 | {{trial:example-1.n}} |\n| Other | 120 patients |",
    )
    p = find(problems_of(good_content), "table row states a number")
    assert p.line == 17


def test_unknown_trial_macro_and_null_field(good_content):
    page = good_content / "pages/strategies/pvd-page.md"
    edit(
        page,
        "{{trial:example-1.n}}",
        "{{trial:nosuch.n}} {{trial:example-1.len_refractory_subgroup}}",
    )
    problems = problems_of(good_content)
    assert find(problems, "unknown trial 'nosuch'").line == 16
    assert "is null" in find(problems, "len_refractory_subgroup").message


def test_all_problems_are_reported_at_once(good_content):
    edit(
        good_content / "pages/background/intro.md",
        "[@kulig2023].\n\n## Why",
        "[@nobody2020].\n\n## Why",
    )
    edit(good_content / "pages/background/intro.md", "page:crbn-loss#what-happens", "page:nowhere")
    (good_content / "images/diagram.svg").unlink()
    errors = [p for p in problems_of(good_content) if p.severity == "error"]
    assert len(errors) >= 3


def test_warnings_unknown_key_unused_reference_unused_term(good_content):
    edit(good_content / "pages/background/intro.md", "order: 10", "order: 10\ncolour: blue")
    with (good_content / "references.yaml").open("a", encoding="utf-8") as f:
        f.write(
            "- key: unused2021\n  authors: A B\n  title: T\n  journal: J\n  year: 2021\n"
            "  doi: 10.1/x\n  evidence: review\n"
        )
    problems = problems_of(good_content)
    assert find(problems, "unknown front-matter key 'colour'").severity == "warning"
    assert find(problems, "reference 'unused2021' is never cited").severity == "warning"
    assert find(problems, "glossary term 'daratumumab' is never used").severity == "warning"


def test_unknown_abbreviation_is_a_warning_and_strict_makes_it_an_error(good_content):
    edit(
        good_content / "pages/resistance/crbn-loss.md",
        "fewer neosubstrates",
        "fewer IKZF1 neosubstrates",
    )
    assert find(problems_of(good_content), "'IKZF1' is not in the glossary").severity == "warning"
    assert find(problems_of(good_content, strict=True), "'IKZF1'").severity == "error"


def test_trial_named_without_record_is_an_error(good_content):
    edit(
        good_content / "pages/resistance/crbn-loss.md",
        "fewer neosubstrates",
        "fewer neosubstrates in CARTITUDE-4",
    )
    p = find(
        problems_of(good_content), "trial 'CARTITUDE-4' is named but has no trials.yaml record"
    )
    assert p.severity == "error"


def test_invalid_utf8_is_reported_with_line(good_content):
    page = good_content / "pages/background/intro.md"
    page.write_bytes(page.read_bytes().replace(b"Nearly", b"N\xffarly"))
    p = find(problems_of(good_content), "not valid UTF-8")
    assert p.line == 15


def test_countered_by_must_point_at_a_strategy(good_content):
    edit(good_content / "pages/resistance/crbn-loss.md", "page: pvd-page", "page: intro")
    find(problems_of(good_content), "countered_by page 'intro' is not a strategy page")


def test_failed_build_keeps_previous_build(good_content, tmp_path):
    out = tmp_path / "data"
    assert build(good_content, out).written
    before = (out / "reference.db").read_bytes()
    edit(
        good_content / "pages/background/intro.md",
        "[@kulig2023].\n\n## Why",
        "[@nobody2020].\n\n## Why",
    )
    report = build(good_content, out)
    assert not report.ok and not report.written
    assert (out / "reference.db").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".data")]


def test_crash_while_writing_keeps_previous_build(good_content, tmp_path, monkeypatch):
    from desktop.core import search

    out = tmp_path / "data"
    build(good_content, out)
    before = (out / "reference.db").read_bytes()

    def explode(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(search, "write_index", explode)
    from desktop.core.build import BuildError

    with pytest.raises(BuildError, match="no space left on the disk"):
        build(good_content, out)
    assert (out / "reference.db").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".data")]


def test_impossible_date_is_reported_with_its_line(good_content):
    edit(good_content / "pages/background/intro.md", "reviewed: 2026-11-26", "reviewed: 2026-31-26")
    p = find(problems_of(good_content), "invalid date '2026-31-26'")
    assert p.file == "pages/background/intro.md" and p.line == 9


def test_counter_link_must_say_whether_evidence_is_mechanism_specific(good_content):
    edit(good_content / "pages/resistance/crbn-loss.md", ", mechanism: none}", "}")
    p = find(problems_of(good_content), "mechanism 'None' is missing or unknown")
    assert p.file == "pages/resistance/crbn-loss.md" and "none | preclinical | clinical" in p.hint


def test_trial_without_eligibility_or_analysis_source_or_ci_level_is_rejected(good_content):
    path = good_content / "trials.yaml"
    edit(
        path,
        "     anti_cd38_refractory: not-stated, triple_class_refractory: not-stated, bcma_exposed: not-stated}\n  eligibility_locator: Methods\n  refractory_pct: {lenalidomide: 70.90",
        "     anti_cd38_refractory: not-stated, triple_class_refractory: not-stated}\n  eligibility_locator: Methods\n  refractory_pct: {lenalidomide: 70.90",
    )
    edit(path, "ci_high: 0.77, ci_level: 95,", "ci_high: 0.77,")
    edit(path, "      source: trial2022final\n", "")
    problems = problems_of(good_content)
    find(problems, "eligibility has no 'bcma_exposed'")
    find(problems, "gives a CI without its level")
    find(problems, "analysis 2: missing source")


@pytest.mark.parametrize(
    "file, old, new, line",
    [
        (
            "pages/background/intro.md",
            "Nearly every patient",
            "Figures were not verified in a stored copy. Nearly every patient",
            15,
        ),
        ("references.yaml", "  authors: Kulig P,", "  authors: '[authors to be completed]' #", 2),
        (
            "trials.yaml",
            "  eligibility_locator: Methods",
            "  eligibility_locator: see NOTES.md",
            15,
        ),
    ],
)
def test_editorial_residue_is_an_error_at_its_line(good_content, file, old, new, line):
    edit(good_content / file, old, new)
    problems = [p for p in problems_of(good_content) if "editorial residue" in p.message]
    assert problems and all(p.severity == "error" for p in problems)
    assert {(p.file, p.line) for p in problems} == {(file, line)}
    assert "YAML comment" in problems[0].hint


def test_residue_in_a_yaml_comment_is_allowed(good_content):
    edit(
        good_content / "trials.yaml",
        "  eligibility_locator: Methods",
        "  eligibility_locator: Methods  # not verified in the stored copy, see NOTES.md",
    )
    assert not [p for p in problems_of(good_content) if "editorial residue" in p.message]
