"""The `lenref` command line: exit codes, one-line errors, JSON shape, documented commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

from desktop.cli import _parser, main

README = Path(__file__).resolve().parents[2] / "README.md"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_search_page_json(capsys, monkeypatch, tmp_path, good_content):
    out_dir = tmp_path / "data"
    code, out, _ = run(
        capsys, "build", "--content", str(good_content), "--out", str(out_dir), "--strict"
    )
    assert code == 1  # the fixture has an unused glossary term: a warning, an error with --strict
    code, out, _ = run(capsys, "build", "--content", str(good_content), "--out", str(out_dir))
    assert code == 0 and "built 3 pages" in out
    monkeypatch.setenv("LENREF_DATA_DIR", str(out_dir))
    monkeypatch.setenv("LENREF_CONTENT_DIR", str(good_content))
    code, out, _ = run(capsys, "search", "cereblon", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"query", "hits", "did_you_mean", "also_searched"}
    assert set(data["hits"][0]) == {
        "page",
        "anchor",
        "title",
        "heading",
        "part",
        "score",
        "snippet",
        "highlights",
    }
    marked = [h["snippet"][s["start"] : s["end"]] for h in data["hits"] for s in h["highlights"]]
    assert "cereblon" in [m.casefold() for m in marked]
    assert all(set(s) == {"start", "end", "term"} for h in data["hits"] for s in h["highlights"])
    code, out, _ = run(capsys, "page", "intro", "--text")
    assert code == 0 and out.startswith("Multiple myeloma in brief")
    code, out, err = run(capsys, "page", "nope")
    assert code == 1 and err.count("\n") == 1 and "no page 'nope'" in err


def test_search_prints_plain_text_and_takes_the_librarys_parts(
    capsys, monkeypatch, tmp_path, good_content
):
    monkeypatch.setenv("LENREF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LENREF_CONTENT_DIR", str(good_content))
    code, out, _ = run(capsys, "search", "0.0001")
    assert code == 0 and "p<0.0001" in out and "<b" not in out and "&lt;" not in out
    code, out, _ = run(capsys, "search", "trial card", "--part", "trials")  # a generated part
    assert code == 0 and "[trials]" in out and "[strategies]" not in out
    code, _, err = run(capsys, "search", "cereblon", "--part", "nonsense")
    assert code == 2 and err.count("\n") == 1 and "background, resistance" in err


def test_missing_data_without_content_is_one_line(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("LENREF_DATA_DIR", str(tmp_path / "none"))
    monkeypatch.setenv("LENREF_CONTENT_DIR", str(tmp_path / "no-content"))
    code, _, err = run(capsys, "search", "x")
    assert code == 1 and err.startswith("lenref: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_stale_data_is_rebuilt_with_notice(capsys, monkeypatch, tmp_path, good_content):
    monkeypatch.setenv("LENREF_DATA_DIR", str(tmp_path / "fresh"))
    monkeypatch.setenv("LENREF_CONTENT_DIR", str(good_content))
    code, out, err = run(capsys, "search", "cereblon")
    assert code == 0 and "Building the LenRef library" in err and "Loss of cereblon" in out


def test_check_reports_every_problem(capsys, good_content):
    page = good_content / "pages/background/intro.md"
    page.write_text(
        page.read_text("utf-8")
        .replace("[@kulig2023].\n\n## Why", "[@x1].\n\n## Why")
        .replace("page:crbn-loss#what-happens", "page:gone"),
        "utf-8",
    )
    code, _, err = run(capsys, "check", "--content", str(good_content))
    assert code == 1
    assert "intro.md:11: error: unknown citation key 'x1'" in err
    assert "intro.md:16: error: link to missing page 'gone'" in err


def test_every_command_is_documented_in_readme():
    readme = README.read_text("utf-8")
    sub = next(a for a in _parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert re.search(rf"`lenref {name}\b", readme), f"`lenref {name}` is not in README"
    assert "`lenref --self-test`" in readme
