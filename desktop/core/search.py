"""Full-text search over page sections. The only module that imports Whoosh.

Documents are sections (page id + anchor). Queries are never handed to Whoosh's query parser:
``query.interpret`` decides what the user's text means (a typed ``Query``) and ``SearchEngine.build``
turns that into Whoosh query objects, so no input can be a syntax error. Hits carry their snippet
as plain text with typed highlight spans (``model.Highlight``), made by a Whoosh ``Formatter``
that returns data instead of markup. The searcher is opened once and reused; a lock serialises
searches because a Whoosh searcher is not meant to be shared between threads at the same moment.
"""

from __future__ import annotations

import bisect
import json
import os
import sys
import threading
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

with warnings.catch_warnings():
    # Whoosh 2.7.4 (2016) has regex literals that newer Pythons flag; silence only its own.
    warnings.filterwarnings("ignore", category=SyntaxWarning, module=r"whoosh(\..*)?")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"whoosh(\..*)?")
    from whoosh import highlight, index, query, spelling
    from whoosh.analysis import CharsetFilter, StemmingAnalyzer
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
    from whoosh.support.charset import accent_map

from .model import Highlight, SearchHit
from .query import WORD_RE, Expansion, Query

PARALLEL_INDEX_MIN_DOCS = 3000
LEAD_TITLE_BOOST = 2.5
# Two scored fields keep the number of term matchers per query word small: "head" holds the page
# title and the section heading (plus the page's aliases on its lead document), "body" the text.
FIELD_BOOSTS = {"head": 3.0, "body": 1.0}
SNIPPETS = 10  # hits that get highlighted fragments
SNIPPET_CHARS = 180  # the start of the text shown for the other hits
BETWEEN_FRAGMENTS = " … "
PREFIX_COMPLETIONS = 4  # most frequent completions of a typed prefix that are searched


def _analyzer():
    return StemmingAnalyzer(minsize=1) | CharsetFilter(accent_map)


def make_schema() -> Schema:
    ana = _analyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        page=ID(stored=True),
        anchor=STORED,
        part=ID(stored=True),
        position=NUMERIC(stored=True),
        page_title=STORED,
        heading=STORED,
        head=TEXT(analyzer=ana, field_boost=FIELD_BOOSTS["head"]),
        # chars=True stores character offsets, so snippets need no re-tokenising (pinpoint highlighting).
        body=TEXT(analyzer=ana, stored=True, chars=True),
    )


VOCABULARY = "vocabulary.json"  # unstemmed word → number of sections, for completion and spelling


@dataclass
class SectionDoc:
    page: str
    anchor: str
    part: str
    position: int
    title: str
    heading: str
    aliases: str
    body: str


def _writer_procs(count: int) -> int:
    """Two indexing processes for large builds where fork() is the start method (Linux)."""
    if count < PARALLEL_INDEX_MIN_DOCS or sys.platform != "linux" or (os.cpu_count() or 1) < 2:
        return 1
    return 2


def write_index(directory: Path, docs: Sequence[SectionDoc]) -> None:
    """Create a fresh index in ``directory`` (which must exist and be empty).

    Also writes the vocabulary (unstemmed word → sections) used for completion and spelling.
    """
    ix = index.create_in(str(directory), make_schema())
    procs = _writer_procs(len(docs))
    writer = (
        ix.writer(limitmb=128, procs=procs, multisegment=False)
        if procs > 1
        else ix.writer(limitmb=128)
    )
    vocabulary: Counter[str] = Counter()
    try:
        for d in docs:
            text = " ".join((d.title, d.heading, d.aliases, d.body)).lower().translate(accent_map)
            vocabulary.update({w for w in WORD_RE.findall(text) if len(w) >= 2})
            writer.add_document(
                key=f"{d.page}#{d.anchor}",
                page=d.page,
                anchor=d.anchor,
                part=d.part,
                position=d.position,
                page_title=d.title,
                heading=d.heading,
                head=" ".join(x for x in (d.title, d.heading if d.anchor else "", d.aliases) if x),
                body=d.body,
                # A title match ranks the page's lead document above its sections.
                _head_boost=1.0 if d.anchor else LEAD_TITLE_BOOST,
            )
    except BaseException:
        writer.cancel()
        raise
    writer.commit(optimize=True)
    ix.close()
    (directory / VOCABULARY).write_text(json.dumps(vocabulary, ensure_ascii=False), "utf-8")


class FrequencyCorrector(spelling.ListCorrector):
    """Whoosh's list corrector, ranking suggestions by edit distance, then by how common they are."""

    def __init__(self, words: list[str], freq: dict[str, int]) -> None:
        super().__init__(words)
        self.freq = freq

    def _suggestions(self, text, maxdist, prefix):  # Whoosh's signature
        for score, word in super()._suggestions(text, maxdist, prefix):
            yield score - 0.5 / max(1, self.freq.get(word, 1)), word


@dataclass(frozen=True)
class Snippet:
    """A snippet as data: plain text and the spans of the matched words in it."""

    text: str
    highlights: tuple[Highlight, ...] = ()


class SpanFormatter(highlight.Formatter):
    """A Whoosh formatter that returns a ``Snippet`` instead of marked-up text.

    It walks the fragments as ``highlight.Formatter.format_fragment`` does (a match overlapping the
    previous one is skipped) and joins them with ``between``. A span's term is the order in which
    its matched (indexed) term first appears in this snippet, so a consumer can colour terms apart.
    """

    def __init__(self, between: str = BETWEEN_FRAGMENTS) -> None:
        self.between = between

    def format(self, fragments, replace=False) -> Snippet:  # Whoosh's signature
        pieces: list[str] = []
        spans: list[Highlight] = []
        terms: dict[str, int] = {}
        length = 0
        for n, fragment in enumerate(fragments):
            if n:
                pieces.append(self.between)
                length += len(self.between)
            text, index = fragment.text, fragment.startchar
            for token in fragment.matches:
                if token.startchar is None or token.startchar < index:
                    continue
                pieces.append(text[index : token.startchar])
                length += token.startchar - index
                term = terms.setdefault(token.text, len(terms))
                end = length + token.endchar - token.startchar
                spans.append(Highlight(length, end, term))
                pieces.append(text[token.startchar : token.endchar])
                length, index = end, token.endchar
            pieces.append(text[index : fragment.endchar])
            length += len(pieces[-1])
        return Snippet("".join(pieces), tuple(spans))


class EarliestFirstScorer(highlight.BasicFragmentScorer):
    """Whoosh's fragment score, with ties going to the earliest fragment.

    Whoosh breaks ties between equally scored fragments by object id (``Fragment.__lt__``), so
    the same query could show a different snippet from one run to the next.
    """

    def __call__(self, fragment) -> float:
        # Scores are whole multiples of 100 per matched term; the offset stays far below 1.
        return super().__call__(fragment) - fragment.startchar * 1e-9


class SearchIndexError(Exception):
    """The index folder cannot be opened as a LenRef index."""


class SearchEngine:
    """A reusable searcher over one index folder."""

    def __init__(self, directory: Path) -> None:
        try:
            if not index.exists_in(str(directory)):
                raise SearchIndexError(f"no search index in {directory}")
            self._ix = index.open_dir(str(directory), readonly=True)
            self._searcher = self._ix.searcher()
            vocab = json.loads((directory / VOCABULARY).read_text("utf-8"))
            if not isinstance(vocab, dict) or not all(
                isinstance(k, str) and isinstance(v, int) for k, v in vocab.items()
            ):
                raise SearchIndexError(f"the search index's word list in {directory} is damaged")
            self._vocab_freq: dict[str, int] = vocab
        except SearchIndexError:
            raise
        except Exception as exc:  # Whoosh raises many types for damaged files
            raise SearchIndexError(f"the search index cannot be read: {exc}") from exc
        self._lock = threading.Lock()
        ana = _analyzer()
        self._stem_cache: dict[str, str] = {}
        self._ana = ana
        self._highlighter = highlight.Highlighter(
            fragmenter=highlight.PinpointFragmenter(maxchars=180, surround=60, autotrim=True),
            formatter=SpanFormatter(),
            scorer=EarliestFirstScorer(),
        )
        self.doc_count = self._searcher.doc_count()
        self._vocab_sorted = sorted(self._vocab_freq)
        self._corrector = FrequencyCorrector(self._vocab_sorted, self._vocab_freq)
        self._prefix_cache: dict[str, list[str]] = {}

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self._ix.close()

    # -- query building -------------------------------------------------------------------
    def _stem(self, word: str) -> str:
        cached = self._stem_cache.get(word)
        if cached is None:
            tokens = [t.text for t in self._ana(word)]
            cached = tokens[0] if tokens else word
            if len(self._stem_cache) < 50_000:
                self._stem_cache[word] = cached
        return cached

    def completions(self, prefix: str) -> list[str]:
        """The most frequent indexed words that start with ``prefix`` (the word itself first)."""
        cached = self._prefix_cache.get(prefix)
        if cached is not None:
            return cached
        lo = bisect.bisect_left(self._vocab_sorted, prefix)
        hi = bisect.bisect_left(self._vocab_sorted, prefix + "\uffff")
        found = self._vocab_sorted[lo:hi]
        found.sort(key=lambda w: (w != prefix, -self._vocab_freq.get(w, 0), w))
        result = found[:PREFIX_COMPLETIONS]
        if len(self._prefix_cache) < 20_000:
            self._prefix_cache[prefix] = result
        return result

    def _terms(self, stems: Sequence[str], weight: float = 1.0) -> list[query.Query]:
        return [
            query.Term(fname, stem, boost=boost * weight)
            for stem in stems
            for fname, boost in FIELD_BOOSTS.items()
        ]

    def _word_group(self, word: str, prefix: bool, exp: Expansion | None) -> query.Query:
        """One query word: its stem, typed-prefix completions and glossary forms, as one flat Or."""
        stems = [self._stem(word)]
        extra: list[str] = []
        if prefix and len(word) >= 2:
            extra += [self._stem(c) for c in self.completions(word)]
        multi: list[query.Query] = []
        if exp:
            for form in exp.forms:
                if word in form:
                    continue  # "len dexamethasone" adds nothing to "len"
                if len(form) == 1:
                    extra.append(self._stem(form[0]))
                else:
                    multi.append(query.And([query.Or(self._terms([self._stem(w)])) for w in form]))
        extra = [e for i, e in enumerate(extra) if e not in stems and e not in extra[:i]]
        alts = self._terms(stems) + self._terms(extra, 0.8) + multi
        return alts[0] if len(alts) == 1 else query.Or(alts)

    def _phrase_query(self, words: Sequence[str]) -> query.Query:
        stems = [self._stem(w) for w in words]
        return query.Or([query.Phrase(f, stems, boost=b * 1.5) for f, b in FIELD_BOOSTS.items()])

    def build(self, meaning: Query) -> query.Query | None:
        """The Whoosh query for ``meaning``, or None when it has nothing to search for."""
        groups = [self._word_group(w.text, w.prefix, w.expansion) for w in meaning.words]
        groups += [self._phrase_query(phrase) for phrase in meaning.phrases]
        if not groups:
            return None
        if len(groups) == 1:
            return groups[0]
        # Any word may match; BM25F adds up the words a section matches, so sections with every
        # word rank first. (An extra And(...) branch ranked the same here at twice the cost.)
        return query.Or(groups)

    # -- spelling -------------------------------------------------------------------------
    def known(self, word: str) -> bool:
        return word in self._vocab_freq

    def correct(self, word: str) -> str | None:
        """A close indexed word for a misspelling, or None.

        Words under six letters are left alone: with so few letters even one edit turns ordinary
        words into unrelated terms ("life" → "line", "renal" → "real"), while the misspellings that
        matter here are long drug and gene names. Up to eight letters allow one edit, longer two.
        """
        if len(word) < 6 or word.isdigit():
            return None
        maxdist = 1 if len(word) <= 8 else 2
        with self._lock:
            suggestions = self._corrector.suggest(word, limit=1, maxdist=maxdist, prefix=1)
        return suggestions[0] if suggestions else None

    def has_prefix(self, word: str) -> bool:
        return bool(self.completions(word))

    # -- search ---------------------------------------------------------------------------
    def run(
        self, meaning: Query, part: str | None, limit: int, snippets: int = SNIPPETS
    ) -> list[SearchHit]:
        """The top ``limit`` sections for ``meaning`` (none when it is empty). The first
        ``snippets`` get highlighted fragments (the ones a results list shows without
        scrolling), the rest the start of their text."""
        q = self.build(meaning)
        if q is None:
            return []
        filt = query.Term("part", part) if part else None
        hits: list[SearchHit] = []
        with self._lock:
            results = self._searcher.search(q, limit=limit, filter=filt, terms=True)
            results.highlighter = self._highlighter
            for rank, hit in enumerate(results):
                snippet = hit.highlights("body", top=1) if rank < snippets else None
                if snippet is None or not snippet.text:  # no fragment matched
                    body = hit.get("body", "")
                    cut = body[:SNIPPET_CHARS] + ("…" if len(body) > SNIPPET_CHARS else "")
                    snippet = Snippet(cut)
                hits.append(
                    SearchHit(
                        page=hit["page"],
                        anchor=hit["anchor"],
                        title=hit["page_title"],
                        heading=hit["heading"],
                        part=hit["part"],
                        score=float(hit.score or 0.0),
                        snippet=snippet.text,
                        highlights=snippet.highlights,
                    )
                )
        return hits


def stem_word(word: str) -> str:
    """The index's stem of one word (lower-cased Porter stem), for marking matches in a page;
    "" for a stop word ("of", "the"), which the index drops and a page must not mark either."""
    from whoosh.analysis import STOP_WORDS
    from whoosh.lang.porter import stem

    lowered = word.lower()
    return "" if lowered in STOP_WORDS else stem(lowered)
