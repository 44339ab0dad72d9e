"""Full-text search over page sections. The only module that imports Whoosh.

Documents are sections (page id + anchor). Queries are never handed to Whoosh's query parser: the
user's text is split into words and quoted phrases by us and turned into query objects, so no input
can be a syntax error. The searcher is opened once and reused; a lock serialises searches because a
Whoosh searcher is not meant to be shared between threads at the same moment.
"""

from __future__ import annotations

import bisect
import html
import json
import os
import re
import sys
import threading
import unicodedata
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

with warnings.catch_warnings():
    # Whoosh 2.7.4 (2016) has regex literals that newer Pythons flag; silence only its own.
    warnings.filterwarnings("ignore", category=SyntaxWarning, module=r"whoosh(\..*)?")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"whoosh(\..*)?")
    from whoosh import highlight, index, query, spelling
    from whoosh.analysis import CharsetFilter, StemmingAnalyzer
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
    from whoosh.support.charset import accent_map

from .model import SearchHit

MAX_QUERY_CHARS = 300
PARALLEL_INDEX_MIN_DOCS = 3000
LEAD_TITLE_BOOST = 2.5
MAX_WORDS = 12
# Two scored fields keep the number of term matchers per query word small: "head" holds the page
# title and the section heading (plus the page's aliases on its lead document), "body" the text.
FIELD_BOOSTS = {"head": 3.0, "body": 1.0}
SNIPPETS = 10  # hits that get highlighted fragments
PREFIX_COMPLETIONS = 4  # most frequent completions of a typed prefix that are searched
WORD_RE = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)  # as Whoosh's RegexTokenizer


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

    def _suggestions(self, text, maxdist, prefix):  # noqa: ANN001 - Whoosh API
        for score, word in super()._suggestions(text, maxdist, prefix):
            yield score - 0.5 / max(1, self.freq.get(word, 1)), word


class IndexError_(Exception):
    """The index folder cannot be opened as a LenRef index."""


@dataclass
class Expansion:
    """Alternative forms for a query word, from the glossary."""

    forms: list[list[str]]  # each alternative is a list of words (all must match)
    label: str  # shown in "also searched"


@dataclass
class ParsedQuery:
    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    last_is_prefix: bool = False


def normalise(text: str) -> str:
    """NFKC, control characters removed, whitespace folded, capped in length."""
    text = unicodedata.normalize("NFKC", text[: MAX_QUERY_CHARS * 4])
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def parse(text: str, typing: bool = True) -> ParsedQuery:
    """Split into quoted phrases and words; an unbalanced quote is ignored."""
    raw = normalise(text)
    out = ParsedQuery()
    parts = raw.split('"')
    for i, part in enumerate(parts):
        words = [w.casefold() for w in WORD_RE.findall(part)]
        closed = i % 2 == 1 and i < len(parts) - 1
        if closed and len(words) > 1:
            out.phrases.append(words[:MAX_WORDS])
        else:
            out.words.extend(words)
    out.words = out.words[:MAX_WORDS]
    # The last word is a prefix while typing, unless the text ends with a space or a quote.
    out.last_is_prefix = bool(
        typing
        and out.words
        and text
        and not text[-1].isspace()
        and not raw.endswith('"')
        and raw.casefold().endswith(out.words[-1])
    )
    return out


class SearchEngine:
    """A reusable searcher over one index folder."""

    def __init__(self, directory: Path) -> None:
        try:
            if not index.exists_in(str(directory)):
                raise IndexError_(f"no search index in {directory}")
            self._ix = index.open_dir(str(directory), readonly=True)
            self._searcher = self._ix.searcher()
            vocab = json.loads((directory / VOCABULARY).read_text("utf-8"))
            if not isinstance(vocab, dict) or not all(
                isinstance(k, str) and isinstance(v, int) for k, v in vocab.items()
            ):
                raise IndexError_(f"the search index's word list in {directory} is damaged")
            self._vocab_freq: dict[str, int] = vocab
        except IndexError_:
            raise
        except Exception as exc:  # Whoosh raises many types for damaged files
            raise IndexError_(f"the search index cannot be read: {exc}") from exc
        self._lock = threading.Lock()
        ana = _analyzer()
        self._stem_cache: dict[str, str] = {}
        self._ana = ana
        self._highlighter = highlight.Highlighter(
            fragmenter=highlight.PinpointFragmenter(maxchars=180, surround=60, autotrim=True),
            formatter=highlight.HtmlFormatter(tagname="b", classname="hl", between=" … "),
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

    def _phrase_query(self, words: list[str]) -> query.Query:
        stems = [self._stem(w) for w in words]
        return query.Or([query.Phrase(f, stems, boost=b * 1.5) for f, b in FIELD_BOOSTS.items()])

    def build(
        self,
        parsed: ParsedQuery,
        expansions: dict[str, Expansion],
        no_expand: frozenset[str] = frozenset(),
    ) -> tuple[query.Query | None, list[str]]:
        """The query for ``parsed``, and the "also searched" labels of the glossary expansions used.

        Words in ``no_expand`` (abbreviations already derived from the query) are not expanded again.
        """
        groups: list[query.Query] = []
        also: list[str] = []
        for i, word in enumerate(parsed.words):
            is_prefix = parsed.last_is_prefix and i == len(parsed.words) - 1
            exp = None if word in no_expand else expansions.get(word)
            if exp:
                also.append(exp.label)
            groups.append(self._word_group(word, is_prefix, exp))
        for phrase in parsed.phrases:
            groups.append(self._phrase_query(phrase))
        if not groups:
            return None, also
        if len(groups) == 1:
            return groups[0], also
        # Any word may match; BM25F adds up the words a section matches, so sections with every
        # word rank first. (An extra And(...) branch ranked the same here at twice the cost.)
        return query.Or(groups), also

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
        self, q: query.Query, part: str | None, limit: int, snippets: int = SNIPPETS
    ) -> list[SearchHit]:
        """The top ``limit`` sections; the first ``snippets`` get highlighted fragments (the ones
        a results list shows without scrolling), the rest the start of their text."""
        filt = query.Term("part", part) if part else None
        hits: list[SearchHit] = []
        with self._lock:
            results = self._searcher.search(q, limit=limit, filter=filt, terms=True)
            results.highlighter = self._highlighter
            for rank, hit in enumerate(results):
                snippet = hit.highlights("body", top=1) if rank < snippets else ""
                if not snippet:
                    body = hit.get("body", "")
                    snippet = html.escape(body[:180] + ("…" if len(body) > 180 else ""))
                hits.append(
                    SearchHit(
                        page=hit["page"],
                        anchor=hit["anchor"],
                        title=hit["page_title"],
                        heading=hit["heading"],
                        part=hit["part"],
                        score=float(hit.score or 0.0),
                        snippet=snippet,
                    )
                )
        return hits


def stem_word(word: str) -> str:
    """The index's stem of one word (lower-cased Porter stem), for marking matches in a page."""
    from whoosh.lang.porter import stem

    return stem(word.lower())
