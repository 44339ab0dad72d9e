"""Rendering of citations, links, glossary terms, trial macros and sections."""

from __future__ import annotations

from desktop.core.model import GlossaryEntry, Reference, Trial
from desktop.core.render import parse_citation, render_page
from desktop.core.yamlio import load, strip_lines

REFS = {
    "a2020": Reference(
        "a2020", "Alpha A, Beta B", "First", "J One", 2020, "rct", doi="10.1/a", pmid="123"
    ),
    "b2021": Reference("b2021", "Gamma G", "Second", "J Two", 2021, "review", doi="10.1/b"),
}
GLOSSARY = [GlossaryEntry("CRBN", "Target of lenalidomide.", "cereblon", ["cereblon"])]


def render(body: str, trials=None):
    return render_page("p", "Page title", body, REFS, GLOSSARY, trials or {})


def test_parse_citation_with_locators():
    assert parse_citation("@a; @b, Table 2") == [("a", ""), ("b", "Table 2")]


def test_citations_are_numbered_in_order_of_first_use_and_listed():
    page = render("One [@b2021]. Two [@a2020; @b2021, Fig. 3].")
    assert '<a class="cite" href="cite:b2021"' in page.html
    assert 'href="cite:b2021?loc=Fig.%203"' in page.html
    first = page.html.index(">1</a>")
    second = page.html.index(">2</a>")
    assert first < second
    refs = page.html.split('<ol class="refs">')[1]
    assert refs.index("Gamma G") < refs.index("Alpha A")
    assert "https://doi.org/10.1/a" in refs and "pubmed.ncbi.nlm.nih.gov/123/" in refs
    assert page.cited == [("b2021", ""), ("a2020", ""), ("b2021", "Fig. 3")]


def test_page_links_become_internal_links():
    page = render("See [loss](page:crbn-loss#how-often).")
    assert '<a class="internal" href="page:crbn-loss#how-often">loss</a>' in page.html
    assert page.links == ["crbn-loss#how-often"]


def test_glossary_term_marked_once_with_definition():
    page = render("CRBN is here. CRBN again.\n\n## CRBN heading\n")
    assert page.html.count('class="gloss"') == 1
    assert 'title="CRBN — cereblon: Target of lenalidomide."' in page.html


def test_trial_macro_prints_source_text_and_cites_once_per_block():
    data = strip_lines(
        load(
            "source: a2020\nanalyses:\n- key: primary\n  label: primary analysis\n"
            "  follow_up_months: 15.9\n  n: 300\n  pfs_months: {experimental: 11.20, control: 7.10}\n"
            "  pfs_hr: {value: 0.61, ci_low: 0.49, ci_high: 0.77, ci_level: 95, p: '<0.0001'}\n"
            "  source: a2020\n  locator: Abstract\n"
        )
    )
    trials = {"t": Trial("t", "T-1", data)}
    page = render(
        "PFS {{trial:t.pfs_months.experimental}} vs {{trial:t.pfs_months.control}}; {{trial:t.pfs_hr}}.",
        trials,
    )
    # The first figure of the data cut names it; the others in the same block do not repeat it.
    assert "11.20 months (primary analysis, median follow-up 15.9 months)" in page.html
    assert "vs 7.10 months;" in page.html and page.html.count("primary analysis") == 1
    assert "HR 0.61 (95% CI 0.49–0.77; p&lt;0.0001)" in page.html
    assert (
        page.html.count('class="cite"') == 2
    )  # one <sup>, one <a>: a single citation for the block
    assert page.trials == ["t"]


def test_sections_have_anchors_and_plain_text_without_citation_numbers():
    page = render("Lead text [@a2020].\n\n## How often\n\nIn 12% [@a2020].\n\n### Detail\n\nMore.")
    assert [(s.anchor, s.heading) for s in page.sections] == [
        ("", "Page title"),
        ("how-often", "How often"),
        ("detail", "Detail"),
    ]
    assert page.sections[1].text == "In 12%."
    assert '<a name="how-often"></a>' in page.html


def test_html_has_no_scripts_or_external_resources():
    page = render(
        "Text <script>alert(1)</script> ![x](images/a.svg) ![y](https://evil.example/y.png)"
        "\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    # The script is shown as text and recorded; the external image is replaced by a placeholder.
    assert "<script" not in page.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
    assert [(m.kind, m.line, m.text) for m in page.findings.markup] == [
        ("raw-html", 0, "<script>"),
        ("raw-html", 0, "</script>"),
    ]
    assert "evil.example" not in page.html and "[image not available]" in page.html
    assert "<img" in page.html and 'src="images/a.svg"' in page.html
    assert 'border="1"' in page.html


def _two_cut_trial():
    data = strip_lines(
        load(
            "source: a2020\nanalyses:\n"
            "- key: primary\n  label: primary analysis\n  pfs_hr: {value: 0.58, ci_low: 0.42, ci_high: 0.79, ci_level: 95.4}\n"
            "  source: a2020\n  locator: Abstract\n"
            "- key: final\n  label: final analysis\n  default: true\n  follow_up_months: 50\n"
            "  pfs_hr: {value: 0.64, ci_low: 0.49, ci_high: 0.83, ci_level: 95}\n  source: a2020\n  locator: Abstract\n"
        )
    )
    return {"t": Trial("t", "T-1", data)}


def test_trial_macro_default_cut_prints_label_follow_up_and_ci_level():
    page = render(
        "PFS: {{trial:t.pfs_hr}}.\n\nEarlier: {{trial:t@primary.pfs_hr}}.", _two_cut_trial()
    )
    assert "HR 0.64 (95% CI 0.49–0.83; final analysis, median follow-up 50 months)" in page.html
    assert "HR 0.58 (95.4% CI 0.42–0.79; primary analysis)" in page.html


def test_explicit_analysis_macro_replaces_the_automatic_caption():
    page = render("Cut: {{trial:t.analysis}}; HR {{trial:t.pfs_hr.value}}.", _two_cut_trial())
    assert page.html.count("final analysis") == 1 and "HR 0.64." in page.html


def test_see_also_and_references_are_tree_nodes_at_the_end_references_last():
    from desktop.core.render import PageRenderer, SeeAlso

    see = SeeAlso(
        countered_by=[("strat", "Strategy <b>", "randomised")],
        related=[("other", "Other page", ""), ("third", "Third", "")],
    )
    page = PageRenderer(REFS, GLOSSARY, {}).render("p", "T", "Text [@a2020].\n\n## A\n\nx", see)
    html = page.html
    assert html.index('<a name="see-also"></a>See also') < html.index('<h2 id="references">')
    assert (
        '<b>Strategies that may overcome this mechanism:</b> <a class="internal" '
        'href="page:strat">Strategy &lt;b&gt;</a> <span class="meta">(randomised)</span>'
    ) in html
    assert (
        '<a class="internal" href="page:other">Other page</a> · '
        '<a class="internal" href="page:third">Third</a>'
    ) in html
    assert [s.anchor for s in page.sections] == ["", "a"]  # neither is a section of the page
    assert "See also" not in render("Text.").html
