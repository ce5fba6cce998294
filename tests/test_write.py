"""Write stage: the output folder is replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from verbund.render import Output
from verbund.write import write_output

from .conftest import tree


def output_with(files: dict[str, str], copies: dict[str, Path] | None = None) -> Output:
    output = Output()
    for path, text in files.items():
        output.add(path, text.encode(), "test")
    output.copies.update(copies or {})
    return output


def test_fresh_folder(tmp_path):
    count = write_output(output_with({"index.html": "a", "x/index.html": "b"}), tmp_path / "out")
    assert count == 2
    assert tree(tmp_path / "out") == {"index.html": b"a", "x/index.html": b"b"}


def test_replaces_the_previous_output_whole(tmp_path):
    target = tmp_path / "out"
    write_output(output_with({"index.html": "old", "gone/index.html": "old"}), target)
    write_output(output_with({"index.html": "new"}), target)
    assert tree(target) == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_failure_leaves_the_previous_output_untouched(tmp_path):
    target = tmp_path / "out"
    write_output(output_with({"index.html": "old"}), target)
    before = tree(target)
    broken = output_with({"index.html": "new"}, {"static/a.css": tmp_path / "missing.css"})
    with pytest.raises(OSError):
        write_output(broken, target)
    assert tree(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_of_a_killed_build_are_removed(tmp_path):
    stale = tmp_path / ".out.new-tmpabc123"
    (stale / "half").mkdir(parents=True)
    write_output(output_with({"index.html": "a"}), tmp_path / "out")
    assert not stale.exists()


def test_copies_files(tmp_path):
    source = tmp_path / "style.css"
    source.write_text("body{}")
    write_output(output_with({}, {"static/style.css": source}), tmp_path / "out")
    assert (tmp_path / "out/static/style.css").read_text() == "body{}"
