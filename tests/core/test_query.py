"""What a query means, step by step (parse → expand → correct), without an index.

The glossary entries mirror the real ones; the speller is a stand-in for the index's word list.
End-to-end behaviour on a real index is in test_search.py.
"""

from __future__ import annotations

import dataclasses

import pytest

from desktop.core.model import GlossaryEntry
from desktop.core.query import (
    MAX_QUERY_CHARS,
    MAX_WORDS,
    Query,
    QueryWord,
    Thesaurus,
    correct,
    expand,
    interpret,
    parse,
)

GLOSSARY = [
    GlossaryEntry("CRBN", "Substrate receptor.", "cereblon", ["cereblon"]),
    GlossaryEntry("CRS", "Cytokine release syndrome.", "cytokine release syndrome"),
    GlossaryEntry("daratumumab", "Anti-CD38 antibody.", None, ["dara"]),
    GlossaryEntry("LEN", "Lenalidomide.", "lenalidomide", ["len"]),
    GlossaryEntry("PFS", "Progression-free survival.", "progression-free survival"),
    GlossaryEntry("PVd", "Triplet.", "pomalidomide, bortezomib and dexamethasone"),
]
THESAURUS = Thesaurus.from_glossary(GLOSSARY)


class Speller:
    """The index's words: known words, their prefixes, and one fixed correction per misspelling."""

    words = {"cereblon", "lenalidomide", "refractory", "cytokine", "release", "syndrome"}
    fixes = {"cerebon": "cereblon", "lenalidomde": "lenalidomide", "refractry": "refractory"}

    def known(self, word: str) -> bool:
        return word in self.words

    def has_prefix(self, word: str) -> bool:
        return any(w.startswith(word) for w in self.words)

    def correct(self, word: str) -> str | None:
        return self.fixes.get(word)


def words(query: Query) -> list[str]:
    return [w.text for w in query.words]


# -- parse ----------------------------------------------------------------------------------
def test_parse_splits_words_and_quoted_phrases():
    parsed = parse('Lenalidomide "fewer neosubstrates" IKZF1', typing=False)
    assert parsed.words == ("lenalidomide", "ikzf1")
    assert parsed.phrases == (("fewer", "neosubstrates"),)
    assert not parsed.last_is_prefix


@pytest.mark.parametrize(
    ("text", "typing", "prefix"),
    [
        ("lenal", True, True),
        ("lenal ", True, False),  # a space ends the word
        ('"cereblon loss"', True, False),  # so does a closing quote
        ("lenal", False, False),  # a finished query (Enter, CLI) has no prefix
    ],
)
def test_last_word_is_a_prefix_only_while_being_typed(text, typing, prefix):
    assert parse(text, typing).last_is_prefix is prefix


def test_one_quoted_word_and_an_unbalanced_quote_are_plain_words():
    assert parse('"cereblon"', typing=False).words == ("cereblon",)
    assert parse('"cereblon loss', typing=False).words == ("cereblon", "loss")
    assert parse('"cereblon loss', typing=False).phrases == ()


@pytest.mark.parametrize(
    "text", ["[[", '"', "AND", "*", "", "   ", "x" * 500, "\udcff", "\ud800abc", "a\x00b"]
)
def test_malformed_text_parses_to_plain_words(text):
    parsed = parse(text)
    assert all(isinstance(w, str) and w for w in parsed.words)
    assert len(parsed.words) <= MAX_WORDS
    assert sum(map(len, parsed.words)) <= MAX_QUERY_CHARS


def test_operators_are_words_not_syntax():
    assert parse("AND", typing=False).words == ("and",)
    assert parse("[[", typing=False).words == ()
    assert parse("t(4;14)", typing=False).words == ("t", "4", "14")


def test_long_input_is_capped():
    parsed = parse(" ".join(["word"] * 50) + " " + "y" * 500)
    assert len(parsed.words) == MAX_WORDS


# -- expand ---------------------------------------------------------------------------------
def test_abbreviation_expands_to_the_glossary_forms():
    query = expand("dara", parse("dara", typing=False), THESAURUS)
    (dara,) = query.words
    assert ("daratumumab",) in dara.expansion.forms
    assert query.also_searched == ("dara → daratumumab",)


def test_regimen_abbreviation_expands_to_its_drugs():
    query = expand("PVd", parse("PVd", typing=False), THESAURUS)
    assert ("pomalidomide", "bortezomib", "dexamethasone") in query.words[0].expansion.forms
    assert query.also_searched == ("pvd → pomalidomide bortezomib dexamethasone",)


def test_spelled_out_phrase_adds_its_abbreviation_in_front():
    query = expand("cytokine release syndrome", parse("cytokine release syndrome"), THESAURUS)
    assert words(query) == ["crs", "cytokine", "release", "syndrome"]
    # The abbreviation is searched as it is, not expanded back into the phrase already typed.
    assert query.words[0] == QueryWord("crs")
    assert query.also_searched[0] == "cytokine release syndrome → crs"
    assert query.words[-1].prefix  # the last typed word keeps its prefix matching


def test_several_spelled_out_phrases_add_their_abbreviations_in_glossary_order():
    text = "progression-free survival after cytokine release syndrome"
    query = expand(text, parse(text, typing=False), THESAURUS)
    assert words(query)[:3] == ["crs", "pfs", "progression"]
    assert query.also_searched[:2] == (
        "cytokine release syndrome → crs",
        "progression free survival → pfs",
    )
    assert expand("survival", parse("survival"), THESAURUS).words == (
        QueryWord("survival", prefix=True),
    )  # a phrase's later word alone adds nothing


def test_words_without_glossary_entry_are_searched_as_typed():
    query = expand("IKZF1 refractory", parse("IKZF1 refractory", typing=False), THESAURUS)
    assert query.words == (QueryWord("ikzf1"), QueryWord("refractory"))
    assert query.also_searched == ()


def test_steps_return_new_frozen_values():
    parsed = parse("cytokine release syndrome", typing=False)
    query = expand("cytokine release syndrome", parsed, THESAURUS)
    assert parsed.words == ("cytokine", "release", "syndrome")  # the input is left as it was
    with pytest.raises(dataclasses.FrozenInstanceError):
        query.words = ()  # type: ignore[misc]


# -- correct --------------------------------------------------------------------------------
def test_misspelling_gets_did_you_mean_and_a_fallback_query():
    query = interpret("cerebon", THESAURUS, Speller(), typing=False)
    assert query.did_you_mean == "cereblon"
    assert query.fallback is not None and words(query.fallback) == ["cereblon"]
    assert query.fallback.also_searched == ("cereblon → crbn",)
    assert query.fallback.did_you_mean is None  # a correction is not corrected again


def test_only_unknown_words_are_corrected_and_phrases_are_kept():
    query = interpret('lenalidomde refractory "cereblon loss"', THESAURUS, Speller(), typing=False)
    assert query.did_you_mean == 'lenalidomide refractory "cereblon loss"'
    assert query.fallback.phrases == (("cereblon", "loss"),)


def test_typed_prefix_and_glossary_words_are_not_corrected():
    assert interpret("lenal", THESAURUS, Speller()).did_you_mean is None
    assert interpret("dara", THESAURUS, Speller(), typing=False).did_you_mean is None


def test_known_words_get_no_fallback():
    query = interpret("cereblon", THESAURUS, Speller(), typing=False)
    assert query.did_you_mean is None and query.fallback is None


def test_correction_of_a_query_with_an_added_abbreviation():
    query = interpret("cytokine release syndrome refractry", THESAURUS, Speller(), typing=False)
    assert query.did_you_mean == "crs cytokine release syndrome refractory"
    # The fallback searches "crs" as a typed word: expanded, and not added a second time.
    assert words(query.fallback) == ["crs", "cytokine", "release", "syndrome", "refractory"]
    assert query.fallback.also_searched == ("crs → cytokine release syndrome",)


def test_fallback_is_a_finished_query_without_prefix():
    fixed = correct(expand("cerebon", parse("cerebon"), THESAURUS), THESAURUS, Speller())
    assert fixed.words[0].prefix and not fixed.fallback.words[0].prefix


def test_terms_to_highlight_include_phrase_words():
    query = interpret('dara "cereblon loss"', THESAURUS, Speller(), typing=False)
    assert query.terms == ("dara", "cereblon", "loss")


@pytest.mark.parametrize("text", ["[[", '"', "AND", "*", "", "x" * 500, "\udcff", '"" ""'])
def test_interpret_never_raises(text):
    query = interpret(text, THESAURUS, Speller())
    assert isinstance(query, Query) and len(query.words) <= MAX_WORDS + len(GLOSSARY)


def test_empty_query_has_nothing_to_search():
    assert interpret("[[ *", THESAURUS, Speller()).empty
    assert not interpret("*cereblon*", THESAURUS, Speller()).empty
