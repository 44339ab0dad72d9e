"""The read-only façade over the compiled data that the UI and the CLI use.

``Library.open()`` checks the build before anything else (files present, SQLite quick_check, schema
version, index stamp matching the database) and raises a typed LibraryError whose message says what
happened and what to do. ``ensure_library()`` adds "rebuild from content/ when it is available".
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import paths
from .db import DB_NAME, INDEX_DIR, INDEX_STAMP, SCHEMA_VERSION, TABLES, ReadOnlyDb, loads_exact
from .model import (
    GENERATED_PARTS,
    PART_TITLES,
    PARTS,
    GlossaryEntry,
    Page,
    PageInfo,
    Reference,
    SearchHit,
    SearchResult,
    Trial,
)
from .query import Query, Thesaurus, interpret
from .search import SearchEngine, SearchIndexError
from .version import app_version


class LibraryError(Exception):
    """The compiled data cannot be used. ``fix`` says what the user can do."""

    kind = "damaged"

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix

    def one_line(self) -> str:
        return f"{self} — {self.fix}"


class DataMissingError(LibraryError):
    kind = "missing"


class DataDamagedError(LibraryError):
    kind = "damaged"


class DataStaleError(LibraryError):
    kind = "stale"


class ContentError(LibraryError):
    """Rebuilding from content/ failed because the content has errors."""

    kind = "content"


REBUILD_FIX = "run 'lenref build' (from a source checkout) or reinstall LenRef"


class Library:
    """Read-only access to pages, search, references, glossary and trials."""

    def __init__(self, data_dir: Path, database: ReadOnlyDb, engine: SearchEngine) -> None:
        self.data_dir = data_dir
        self._db = database
        self._engine = engine
        self.meta = database.meta()
        self._glossary = self._load_glossary()
        self._thesaurus = Thesaurus.from_glossary(self._glossary)
        self._infos = [
            self._info(r) for r in database.rows("SELECT * FROM pages ORDER BY position")
        ]
        self._by_id = {i.id: i for i in self._infos}
        self._trials: list[Trial] | None = None
        self._page_aliases = {
            r["id"]: json.loads(r["aliases"])
            for r in database.rows("SELECT id, aliases FROM pages")
        }

    # -- opening ------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path | str | None = None) -> Library:
        data_dir = Path(data_dir) if data_dir is not None else paths.data_dir()
        db_path = data_dir / DB_NAME
        index_path = data_dir / INDEX_DIR
        if not db_path.is_file():
            raise DataMissingError(f"the LenRef database is missing ({db_path})", REBUILD_FIX)
        if db_path.stat().st_size == 0:
            raise DataDamagedError(f"the LenRef database is empty ({db_path})", REBUILD_FIX)
        if not index_path.is_dir():
            raise DataMissingError(f"the search index is missing ({index_path})", REBUILD_FIX)
        database: ReadOnlyDb | None = None
        try:
            database = ReadOnlyDb(db_path)
            check = database.quick_check()
            if check != "ok":
                database.close()
                raise DataDamagedError(f"the LenRef database is damaged ({check})", REBUILD_FIX)
            meta = database.meta()
            problem = _inconsistency(database)
        except sqlite3.Error as exc:
            # Closed now, not when the traceback is freed: a rebuild renames this file next, and
            # Windows refuses to rename a file that is still open.
            if database is not None:
                database.close()
            raise DataDamagedError(
                f"the LenRef database cannot be read ({exc})", REBUILD_FIX
            ) from exc
        if problem:
            database.close()
            raise DataDamagedError(f"the LenRef database is inconsistent ({problem})", REBUILD_FIX)
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            database.close()
            raise DataStaleError(
                f"the LenRef database has schema version {meta.get('schema_version')!r}, "
                f"this version of LenRef needs {SCHEMA_VERSION}",
                REBUILD_FIX,
            )
        stamp = _read_stamp(index_path / INDEX_STAMP)
        if stamp.get("content_hash") != meta.get("content_hash"):
            database.close()
            raise DataStaleError(
                "the search index was built from other content than the database", REBUILD_FIX
            )
        try:
            engine = SearchEngine(index_path)
        except SearchIndexError as exc:
            database.close()
            raise DataDamagedError(str(exc), REBUILD_FIX) from exc
        try:
            return cls(data_dir, database, engine)
        except (sqlite3.Error, KeyError, ValueError) as exc:
            engine.close()
            database.close()
            raise DataDamagedError(
                f"the LenRef database is incomplete ({exc})", REBUILD_FIX
            ) from exc

    def close(self) -> None:
        self._engine.close()
        self._db.close()

    # -- pages --------------------------------------------------------------------------
    @staticmethod
    def _info(row: sqlite3.Row) -> PageInfo:
        return PageInfo(
            id=row["id"],
            title=row["title"],
            part=row["part"],
            order=row["ord"],
            summary=row["summary"],
            reviewed=row["reviewed"],
        )

    @property
    def content_version(self) -> str:
        return self.meta.get("content_version", "")

    @property
    def content_hash(self) -> str:
        return self.meta.get("content_hash", "")

    def parts(self) -> list[tuple[str, str]]:
        """(part id, title) for every part that has pages, in reading order."""
        present = {i.part for i in self._infos}
        return [(p, PART_TITLES[p]) for p in (*PARTS, *GENERATED_PARTS) if p in present]

    def pages(self, part: str | None = None) -> list[PageInfo]:
        return [i for i in self._infos if part is None or i.part == part]

    def page_info(self, page_id: str) -> PageInfo | None:
        return self._by_id.get(page_id)

    def page(self, page_id: str) -> Page:
        """The page with its HTML, sections and references; KeyError if there is no such page."""
        row = self._db.row("SELECT * FROM pages WHERE id = ?", (page_id,))
        if row is None:
            raise KeyError(page_id)
        sections = tuple(
            (r["anchor"], r["heading"])
            for r in self._db.rows(
                "SELECT anchor, heading FROM sections WHERE page = ? AND anchor != '' ORDER BY position",
                (page_id,),
            )
        )
        ref_keys: list[str] = []
        for r in self._db.rows(
            "SELECT ref FROM citations WHERE page = ? ORDER BY position", (page_id,)
        ):
            if r["ref"] not in ref_keys:
                ref_keys.append(r["ref"])
        refs = tuple(self.reference(k) for k in ref_keys)
        related = tuple(self._by_id[r] for r in json.loads(row["related"]) if r in self._by_id)
        countered = tuple(
            (r["strategy"], r["evidence"])
            for r in self._db.rows("SELECT * FROM counters WHERE mechanism = ?", (page_id,))
        )
        counters = tuple(
            (r["mechanism"], r["evidence"])
            for r in self._db.rows("SELECT * FROM counters WHERE strategy = ?", (page_id,))
        )
        return Page(
            info=self._info(row),
            html=row["html"],
            sections=sections,
            references=tuple(r for r in refs if r is not None),
            related=related,
            countered_by=countered,
            counters=counters,
            aliases=tuple(json.loads(row["aliases"])),
        )

    def page_text(self, page_id: str) -> str:
        """Plain text of a page (title, bottom line, sections), for the CLI and copying."""
        info = self._by_id.get(page_id)
        if info is None:
            raise KeyError(page_id)
        lines = [
            info.title,
            "=" * len(info.title),
            "",
            f"Bottom line: {info.summary}",
            f"Reviewed: {info.reviewed}",
            "",
        ]
        for r in self._db.rows(
            "SELECT heading, anchor, text FROM sections WHERE page = ? ORDER BY position",
            (page_id,),
        ):
            if r["anchor"]:
                lines += [r["heading"], "-" * len(r["heading"])]
            lines += [r["text"], ""]
        page = self.page(page_id)
        if page.references:
            lines.append("References")
            lines += [f"{i}. {ref.vancouver()}" for i, ref in enumerate(page.references, 1)]
        return "\n".join(lines).rstrip() + "\n"

    def page_citation(self, page_id: str) -> str:
        """How to cite a page (Vancouver style, with content version and review date)."""
        info = self._by_id.get(page_id)
        if info is None:
            raise KeyError(page_id)
        year = (self.content_version or info.reviewed)[:4]
        return (
            f"LenRef contributors. {info.title}. In: LenRef: lenalidomide resistance in multiple "
            f"myeloma [offline reference]. Version {app_version()}, content {self.content_version}; "
            f"{year} [reviewed {info.reviewed}]. Page id: {page_id}."
        )

    def reference(self, key: str) -> Reference | None:
        row = self._db.row("SELECT * FROM refs WHERE key = ?", (key,))
        if row is None:
            return None
        return Reference(**dict(row))

    def references(self) -> list[Reference]:
        return [Reference(**dict(r)) for r in self._db.rows("SELECT * FROM refs ORDER BY key")]

    def image(self, name: str) -> bytes | None:
        row = self._db.row("SELECT data FROM images WHERE name = ?", (name,))
        return bytes(row["data"]) if row else None

    def trial_pages(self, trial_id: str) -> list[str]:
        """Pages that quote figures of this trial (strategy pages first)."""
        rows = self._db.rows("SELECT page FROM trial_pages WHERE trial = ?", (trial_id,))
        ids = [r["page"] for r in rows if r["page"] in self._by_id]
        return sorted(
            ids, key=lambda i: (self._by_id[i].part != "strategies", self._by_id[i].order)
        )

    def counter_map(self) -> list[tuple[str, str, str, str]]:
        """(mechanism id, strategy id, evidence in LEN-refractory disease overall, evidence specific
        to the mechanism: none | preclinical | clinical) for the mechanism ↔ strategy map."""
        return [
            (r["mechanism"], r["strategy"], r["evidence"], r["specific"])
            for r in self._db.rows("SELECT * FROM counters ORDER BY mechanism, strategy")
        ]

    # -- glossary and trials --------------------------------------------------------------
    def _load_glossary(self) -> list[GlossaryEntry]:
        return [
            GlossaryEntry(
                term=r["term"],
                definition=r["definition"],
                expansion=r["expansion"],
                aliases=json.loads(r["aliases"] or "[]"),
            )
            for r in self._db.rows("SELECT * FROM glossary ORDER BY term COLLATE NOCASE")
        ]

    def glossary(self) -> list[GlossaryEntry]:
        return list(self._glossary)

    def trials(self) -> list[Trial]:
        """Every trial record in trials.yaml order (which groups them by regimen)."""
        if self._trials is None:
            self._trials = [
                Trial(id=r["id"], name=r["name"], data=loads_exact(r["data"]))
                for r in self._db.rows("SELECT * FROM trials ORDER BY position")
            ]
        return list(self._trials)

    def trial(self, trial_id: str) -> Trial | None:
        """The record with id ``trial_id`` (or that name/alias, case-insensitive), else None."""
        wanted = trial_id.casefold()
        for t in self.trials():
            if wanted in (t.id, t.name.casefold(), *(a.casefold() for a in t.aliases)):
                return t
        return None

    def citation(self, key: str) -> str:
        """A reference as one line of text (Vancouver style); the key itself if unknown."""
        ref = self.reference(key)
        return ref.vancouver() if ref else key

    # -- search -------------------------------------------------------------------------
    def search(
        self, text: str, part: str | None = None, limit: int = 20, typing: bool = True
    ) -> SearchResult:
        """Sections matching ``text``, best first. Never raises for any input text.

        ``typing``: the last word is also matched as a prefix (as-you-type search). What the text
        means is decided by ``query.interpret``; when it finds nothing, its did-you-mean
        correction is run instead and the result says so (``corrected``).
        """
        if part is not None and part not in (*PARTS, *GENERATED_PARTS):
            part = None
        limit = max(1, min(int(limit), 200))
        meaning = interpret(text, self._thesaurus, self._engine, typing=typing)
        hits = self._engine.run(meaning, part, limit)
        fallback = meaning.fallback
        if not hits and fallback is not None and not fallback.empty:
            hits = self._engine.run(fallback, part, limit)
            return self._result(text, fallback, hits, meaning.did_you_mean, corrected=True)
        return self._result(text, meaning, hits, meaning.did_you_mean)

    @staticmethod
    def _result(
        text: str,
        meaning: Query,
        hits: list[SearchHit],
        did_you_mean: str | None,
        corrected: bool = False,
    ) -> SearchResult:
        """Package the hits of ``meaning`` (the correction of ``text`` when ``corrected``)."""
        return SearchResult(
            query=text,
            hits=tuple(hits),
            did_you_mean=did_you_mean,
            also_searched=meaning.also_searched,
            corrected=corrected,
            terms=meaning.terms,
        )

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        """Titles, aliases and glossary terms that start with ``prefix`` (case-insensitive)."""
        p = " ".join(prefix.split()).casefold()
        if not p:
            return []
        pool: list[str] = [i.title for i in self._infos]
        for aliases in self._page_aliases.values():
            pool += aliases
        for g in self._glossary:
            pool += [g.term, *g.aliases]
        seen: set[str] = set()
        out: list[str] = []
        for item in sorted(pool, key=lambda s: (len(s), s.casefold())):
            folded = item.casefold()
            if folded.startswith(p) and folded not in seen:
                seen.add(folded)
                out.append(item)
                if len(out) >= limit:
                    break
        return out


# Columns every row must fill (the others, such as a reference's DOI, may be empty), and the
# columns holding JSON that the app parses.
_REQUIRED = {
    "pages": ("id", "title", "part", "html", "aliases"),
    "sections": ("page", "anchor", "text"),
    "refs": ("key", "title"),
    "trials": ("id", "name", "data"),
    "glossary": ("term", "definition"),
}
_JSON = {"pages": ("aliases", "related"), "glossary": ("aliases",), "trials": ("data",)}


def _inconsistency(database: ReadOnlyDb) -> str:
    """What is wrong with a database that passes SQLite's quick check, or "" if nothing is.

    A table or column the app reads may be missing (someone ran DROP TABLE), a required value
    NULL, or a JSON column unparsable: any of these would otherwise fail later, mid-session.
    """
    for table, (columns, _) in TABLES.items():
        present = {r["name"] for r in database.rows(f"PRAGMA table_info({table})")}
        if not present:
            return f"table '{table}' is missing"
        missing = sorted(set(columns) - present)
        if missing:
            return f"table '{table}' has no column '{missing[0]}'"
    for table, cols in _REQUIRED.items():
        for col in cols:
            if database.rows(f"SELECT 1 FROM {table} WHERE {col} IS NULL LIMIT 1"):
                return f"'{table}.{col}' is empty in some rows"
    for table, cols in _JSON.items():
        for col in cols:
            for row in database.rows(f"SELECT {col} AS v FROM {table} WHERE {col} IS NOT NULL"):
                try:
                    json.loads(row["v"])
                except (TypeError, ValueError):
                    return f"'{table}.{col}' holds invalid data"
    if not database.rows("SELECT 1 FROM pages LIMIT 1"):
        return "it has no pages"
    return ""


def _read_stamp(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def is_stale(data_dir: Path, content_dir: Path) -> bool:
    """True when the compiled data was not built from what ``content_dir`` holds now."""
    return bool(stale_reason(data_dir, content_dir))


def stale_reason(data_dir: Path, content_dir: Path) -> str:
    """Why the compiled data must be rebuilt from ``content_dir``, or "" when it is current."""
    from .build import content_hash  # build machinery: see the note at ensure_library

    data_dir = Path(data_dir)
    if not (data_dir / DB_NAME).exists():
        return "there is no compiled library yet"
    stamp = _read_stamp(data_dir / INDEX_DIR / INDEX_STAMP)
    if not stamp:
        return "the compiled library's build stamp is missing or unreadable"
    if stamp.get("content_hash") != content_hash(content_dir):
        return "the content has changed since the last build"
    return ""


def ensure_library(
    data_dir: Path | None = None,
    content_dir: Path | None = None,
    notify: Callable[[str], None] | None = None,
) -> Library:
    """Open the library; when it is missing, damaged or stale and content/ is available, rebuild it.

    Raises LibraryError (or ContentError when the content itself has errors).

    ``.build`` is imported here and in ``stale_reason``, not at module top, on purpose: it loads
    Markdown, PyYAML and the checks (≈0.55 s of ``-X importtime`` on this machine), which the
    installed app never needs (its bundle leaves them out: build/lenref.spec EXCLUDED_MODULES).
    """
    explicit = data_dir is not None
    data_dir = Path(data_dir) if data_dir is not None else paths.data_dir()
    content_dir = content_dir if content_dir is not None else paths.content_dir()
    reason = ""
    if content_dir is not None and (content_dir / "pages").is_dir():
        try:
            reason = stale_reason(data_dir, content_dir)
        except OSError:
            reason = "the compiled data cannot be checked"
        if not reason:
            try:
                return Library.open(data_dir)
            except LibraryError as exc:
                reason = str(exc)
        target = data_dir
        if not explicit and not _writable(data_dir):
            target = paths.fallback_data_dir()
            if not is_stale(target, content_dir):
                try:
                    return Library.open(target)
                except LibraryError:
                    pass
        from .build import BuildError, build

        if notify:
            notify(f"Building the LenRef library from {content_dir} ({reason})…")
        try:
            report = build(content_dir, target)
        except BuildError as exc:
            raise DataDamagedError(str(exc), exc.hint) from exc
        if not report.ok:
            first = report.errors[0].format()
            raise ContentError(
                f"the content has {len(report.errors)} error(s); first: {first}",
                "run 'lenref check' to see them all, and fix them",
            )
        return Library.open(target)
    return Library.open(data_dir)


def _writable(directory: Path) -> bool:
    probe = directory if directory.exists() else directory.parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return os.access(probe, os.W_OK)
