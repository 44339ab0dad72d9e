"""Search behaviour on the fixture content: stemming, prefixes, expansion, spelling, phrases, filters."""

from __future__ import annotations

import re
from html import escape

import pytest

from desktop.core.model import SearchHit


def pages(result):
    return [h.page for h in result.hits]


def test_stemming_matches_other_word_forms(fixture_library):
    assert "crbn-loss" in pages(fixture_library.search("degrading", typing=False))


def test_last_word_is_a_prefix_while_typing(fixture_library):
    result = fixture_library.search("cereb")
    assert result.hits and {"intro", "crbn-loss"} <= set(pages(result))


def test_prefix_only_while_typing(fixture_library):
    # "neosub" is no indexed word nor the stem of one ("neosubstrates" stems to "neosubstr"), so
    # only prefix matching finds it; both are too short or too far for a spelling correction.
    assert "crbn-loss" in pages(fixture_library.search("neosub", typing=True))
    assert fixture_library.search("neosub", typing=False).hits == ()
    assert fixture_library.search("cereb", typing=False).hits == ()


def test_glossary_abbreviation_expands_and_is_reported(fixture_library):
    result = fixture_library.search("PVd", typing=False)
    assert "pvd-page" in pages(result)
    assert any("pomalidomide" in s for s in result.also_searched)
    assert "lenalidomide" in fixture_library.search("len", typing=False).also_searched[0]


def test_did_you_mean_and_corrected_results(fixture_library):
    result = fixture_library.search("cerebon", typing=False)
    assert result.did_you_mean == "cereblon"
    assert result.hits and result.corrected


def test_phrase_must_match_in_order(fixture_library):
    assert "crbn-loss" in pages(fixture_library.search('"fewer neosubstrates"', typing=False))
    assert fixture_library.search('"neosubstrates fewer"', typing=False).hits == ()


def test_part_filter(fixture_library):
    result = fixture_library.search("cereblon", part="resistance")
    assert result.hits and all(h.part == "resistance" for h in result.hits)


def test_snippets_are_plain_text_with_highlight_spans(fixture_library):
    hit = fixture_library.search("lenalidomide", typing=False).hits[0]
    assert [hit.snippet[h.start : h.end].casefold() for h in hit.highlights] == ["lenalidomide"]
    assert [text for text, span in hit.pieces() if span] == ["lenalidomide"]
    assert "".join(text for text, _ in hit.pieces()) == hit.snippet
    hit = fixture_library.search("0.0001", typing=False).hits[0]
    assert "p<0.0001" in hit.snippet and "&lt;" not in hit.snippet  # text, not HTML
    assert [hit.snippet[h.start : h.end] for h in hit.highlights] == ["0.0001"]


def test_highlight_spans_mark_what_whoosh_html_marks(fixture_library):
    """The span formatter and Whoosh's own HtmlFormatter mark the same words in the same text."""
    from whoosh import highlight

    from desktop.core import search
    from desktop.core.query import interpret

    engine = fixture_library._engine
    spans = engine._highlighter
    marks = highlight.Highlighter(
        fragmenter=spans.fragmenter,
        formatter=highlight.HtmlFormatter(tagname="b", between=search.BETWEEN_FRAGMENTS),
        scorer=spans.scorer,
    )
    checked = 0
    for text in ("lenalidomide", "cereblon neosubstrates", "crbn degrade", "0.0001", "pfs len"):
        q = engine.build(interpret(text, fixture_library._thesaurus, engine, typing=False))
        for hit in engine._searcher.search(q, limit=20, terms=True):
            snippet = spans.highlight_hit(hit, "body", top=1)
            as_hit = SearchHit("", "", "", "", "", 0, snippet.text, snippet.highlights)
            rebuilt = "".join(
                f"<b>{escape(piece, False)}</b>" if span else escape(piece, False)
                for piece, span in as_hit.pieces()
            )
            html = marks.highlight_hit(hit, "body", top=1)
            assert rebuilt == re.sub(r'<b class="match term\d+">', "<b>", html)
            checked += bool(snippet.highlights)
    assert checked >= 5


def test_all_words_rank_above_some_words(fixture_library):
    result = fixture_library.search("patient refractory", typing=False)
    assert result.hits[0].anchor == "why-it-matters"


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "AND",
        "OR NOT",
        "(",
        ")",
        "*",
        "?",
        "title:",
        "~2",
        "^3",
        "a" * 10_000,
        "\x00\x01\x1b[31m",
        "",
        "   ",
        "ﷺ ‮rtl",
        "🧬💊",
        'cereblon AND (OR "',
        "\\",
        "{{trial:x.y}}",
    ],
)
def test_malformed_queries_never_raise(fixture_library, query):
    result = fixture_library.search(query)
    assert isinstance(result.hits, tuple)


def test_suggest_completes_titles_and_terms(fixture_library):
    assert "Loss of cereblon expression" in fixture_library.suggest("loss")
    assert "CRBN" in fixture_library.suggest("cr")


def test_spelled_out_glossary_phrase_also_searches_the_abbreviation(fixture_library):
    result = fixture_library.search("progression-free survival", typing=False)
    assert "progression free survival → pfs" in result.also_searched
    assert "pvd-page" in [h.page for h in result.hits]  # its text says "PFS", not the full phrase
