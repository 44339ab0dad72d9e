"""Search words are marked in the opened page as whole words and stems only."""

from __future__ import annotations

from desktop.core.term_spans import MAX_SPANS, term_spans


def marked(text: str, *terms: str) -> list[str]:
    return [text[a:b] for a, b in term_spans(text, terms)]


def test_whole_words_only_never_inside_a_word():
    text = "LenRef shows LEN-refractory disease; len is short for lenalidomide."
    assert marked(text, "len") == ["LEN", "len"]


def test_stems_match_both_ways():
    text = "A mutation, two mutations, and mutated CRBN."
    assert marked(text, "mutations") == ["mutation", "mutations", "mutated"]
    assert marked("Refractory, refractoriness, refraction", "refractory") == [
        "Refractory",
        "refractoriness",
    ]


def test_phrases_mark_each_word_and_case_is_ignored():
    assert marked("Cytokine release syndrome (CRS)", "cytokine release syndrome") == [
        "Cytokine",
        "release",
        "syndrome",
    ]


def test_nothing_to_mark():
    assert term_spans("text", []) == []
    assert term_spans("text", ["a", "", "  "]) == []
    assert term_spans("", ["len"]) == []


def test_hostile_input_is_bounded():
    assert len(term_spans("len " * 10_000, ["len"])) == MAX_SPANS
    assert term_spans("x\ud800 len", ["\ud800", "len"]) == [(3, 6)]


def test_stop_words_are_not_marked_because_search_ignores_them():
    text = "Classification of mechanisms of resistance"
    assert marked(text, "classification of mechanisms") == ["Classification", "mechanisms"]
