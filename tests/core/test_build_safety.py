"""The build replaces only folders it owns and says plainly why it refuses or fails."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core import build as build_mod
from desktop.core.build import BUILD_MARKER, BuildError, build


def test_a_folder_holding_someone_elses_files_is_refused_and_left_untouched(good_content, tmp_path):
    out = tmp_path / "v"
    (out / "sub").mkdir(parents=True)
    (out / "notes.txt").write_text("x")
    with pytest.raises(BuildError, match="not a LenRef build folder") as caught:
        build(good_content, out)
    assert "empty or new folder" in caught.value.hint
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "sub"]


def test_the_content_folder_and_a_file_are_never_an_output(good_content, tmp_path):
    with pytest.raises(BuildError, match="overlaps the content folder"):
        build(good_content, good_content)
    with pytest.raises(BuildError, match="overlaps the content folder"):
        build(good_content, good_content / "pages")
    with pytest.raises(BuildError, match="overlaps the content folder"):
        build(good_content, good_content.parent)
    target = tmp_path / "passwd"
    target.write_text("root:x:0:0")
    with pytest.raises(BuildError, match="is a file"):
        build(good_content, target)
    assert target.read_text() == "root:x:0:0"
    assert (good_content / "pages").is_dir()


def test_own_build_folders_are_replaced_with_the_marker_and_no_leftovers(good_content, tmp_path):
    out = tmp_path / "o" / "data"
    assert build(good_content, out).written
    assert (out / BUILD_MARKER).is_file()
    (out / BUILD_MARKER).unlink()  # a build from before the marker: only LenRef's own files
    assert build(good_content, out).written
    assert sorted(p.name for p in out.parent.iterdir()) == ["data"]


def test_a_full_disk_at_vacuum_is_one_line_and_keeps_the_old_build(
    good_content, tmp_path, monkeypatch
):
    out = tmp_path / "o" / "data"
    build(good_content, out)
    before = (out / "reference.db").read_bytes()

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(build_mod.db, "write", full)
    with pytest.raises(BuildError, match="no space left on the disk holding") as caught:
        build(good_content, out)
    assert "previous build was kept" in str(caught.value)
    assert (out / "reference.db").read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["data"]


def test_cli_refusal_is_one_line_with_the_fix(good_content, tmp_path, capsys):
    from desktop.cli import main

    out = tmp_path / "v"
    out.mkdir()
    (out / "mine.txt").write_text("keep")
    assert main(["build", "--content", str(good_content), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a LenRef build folder" in err[0] and "--out" in err[0]
    assert (out / "mine.txt").read_text() == "keep"
