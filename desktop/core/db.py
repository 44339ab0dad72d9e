"""The compiled database: schema and writing at build time (sqlite-utils), read-only queries at run time."""

from __future__ import annotations

import json
import re
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

from .model import Content, RenderedPage, SourceNumber

SCHEMA_VERSION = 2  # 2: trial records v2, trial cards, reference urls
# The layout of a compiled data folder.
DB_NAME = "reference.db"
INDEX_DIR = "index"
INDEX_STAMP = "lenref-build.json"
_NUM_MARK = "\u0001num:"


def dumps_exact(data: Any, indent: int | None = None, ascii_only: bool = False) -> str:
    """JSON in which numbers keep the text they were written with in YAML (11.20 stays 11.20).

    SourceNumber (build time) and Decimal (read back from the database) are written as that text.
    """

    def mark(value: Any) -> Any:
        if isinstance(value, SourceNumber):
            return _NUM_MARK + value.text
        if isinstance(value, Decimal) and value.is_finite():
            return _NUM_MARK + str(value)
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(data), ensure_ascii=ascii_only, indent=indent)
    return re.sub(r'"\\u0001num:([^"]+)"', r"\1", text)


def loads_exact(text: str) -> Any:
    """Inverse of dumps_exact: decimals come back as Decimal, whose str() is the source text."""
    return json.loads(text, parse_float=Decimal)


TABLES: dict[str, tuple[dict[str, type], str | tuple[str, ...] | None]] = {
    "meta": ({"key": str, "value": str}, "key"),
    "pages": (
        {
            "id": str,
            "title": str,
            "part": str,
            "ord": int,
            "summary": str,
            "reviewed": str,
            "html": str,
            "aliases": str,
            "related": str,
            "position": int,
        },
        "id",
    ),
    "sections": (
        {"page": str, "anchor": str, "heading": str, "level": int, "position": int, "text": str},
        ("page", "anchor"),
    ),
    "refs": (
        {
            "key": str,
            "authors": str,
            "title": str,
            "journal": str,
            "year": int,
            "evidence": str,
            "volume": str,
            "issue": str,
            "pages": str,
            "doi": str,
            "pmid": str,
            "url": str,
        },
        "key",
    ),
    "citations": ({"page": str, "ref": str, "locator": str, "position": int}, ("page", "position")),
    "glossary": ({"term": str, "expansion": str, "definition": str, "aliases": str}, "term"),
    "trials": ({"id": str, "name": str, "source": str, "position": int, "data": str}, "id"),
    "counters": (
        {"mechanism": str, "strategy": str, "evidence": str, "specific": str},
        ("mechanism", "strategy"),
    ),
    "images": ({"name": str, "data": bytes}, "name"),
    "trial_pages": ({"trial": str, "page": str}, ("trial", "page")),
}


def write(
    path: Path, content: Content, rendered: dict[str, RenderedPage], meta: dict[str, str]
) -> None:
    """Write a new database at ``path`` (which must not exist)."""
    import sqlite_utils  # build time only: the frozen app never writes the database

    db = sqlite_utils.Database(path)
    try:
        for name, (columns, pk) in TABLES.items():
            db[name].create(columns, pk=pk)
        db["meta"].insert_all(
            [
                {"key": k, "value": v}
                for k, v in {**meta, "schema_version": str(SCHEMA_VERSION)}.items()
            ],
            pk="key",
        )
        db["pages"].insert_all(
            (
                {
                    "id": p.id,
                    "title": p.title,
                    "part": p.part,
                    "ord": p.order,
                    "summary": p.summary,
                    "reviewed": p.reviewed,
                    "html": rendered[p.id].html,
                    "aliases": json.dumps(p.aliases),
                    "related": json.dumps(p.related),
                    "position": i,
                }
                for i, p in enumerate(content.pages)
            ),
            pk="id",
        )
        db["sections"].insert_all(
            (
                {
                    "page": pid,
                    "anchor": s.anchor,
                    "heading": s.heading,
                    "level": s.level,
                    "position": i,
                    "text": s.text,
                }
                for pid, r in rendered.items()
                for i, s in enumerate(r.sections)
            ),
            pk=("page", "anchor"),
        )
        db["refs"].insert_all((ref.to_dict() for ref in content.references.values()), pk="key")
        db["citations"].insert_all(
            (
                {"page": pid, "ref": key, "locator": loc, "position": i}
                for pid, r in rendered.items()
                for i, (key, loc) in enumerate(r.cited)
                if key in content.references
            ),
            pk=("page", "position"),
        )
        db["glossary"].insert_all(
            (
                {
                    "term": g.term,
                    "expansion": g.expansion,
                    "definition": g.definition,
                    "aliases": json.dumps(g.aliases),
                }
                for g in content.glossary
            ),
            pk="term",
        )
        db["trials"].insert_all(
            (
                {
                    "id": t.id,
                    "name": t.name,
                    "source": t.source,
                    "position": i,
                    "data": dumps_exact(t.data),
                }
                for i, t in enumerate(content.trials.values())
            ),
            pk="id",
        )
        db["counters"].insert_all(
            (
                {
                    "mechanism": p.id,
                    "strategy": c.page,
                    "evidence": c.evidence,
                    "specific": c.mechanism,
                }
                for p in content.pages
                for c in p.countered_by
            ),
            pk=("mechanism", "strategy"),
        )
        db["trial_pages"].insert_all(
            ({"trial": t, "page": pid} for pid, r in rendered.items() for t in r.trials),
            ignore=True,
        )
        root = Path(content.root)
        db["images"].insert_all(
            ({"name": name, "data": (root / name).read_bytes()} for name in sorted(content.images)),
            pk="name",
        )
        for table in ("sections", "citations"):
            db[table].create_index(["page"], if_not_exists=True)
        db.conn.commit()
        db.execute("VACUUM")
    finally:
        db.close()


class ReadOnlyDb:
    """A read-only connection to the compiled database (opened with mode=ro)."""

    def __init__(self, path: Path) -> None:
        uri = path.resolve().as_uri() + "?mode=ro"
        self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.conn.row_factory = sqlite3.Row

    def close(self) -> None:
        self.conn.close()

    def quick_check(self) -> str:
        row = self.conn.execute("PRAGMA quick_check").fetchone()
        return str(row[0]) if row else "no answer"

    def meta(self) -> dict[str, str]:
        return {r["key"]: r["value"] for r in self.conn.execute("SELECT key, value FROM meta")}

    def rows(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        return list(self.conn.execute(sql, params))

    def row(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()
