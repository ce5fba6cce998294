"""Write stage: the output folder is replaced whole or not at all."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from verbund import write as write_module
from verbund.render import Output
from verbund.write import previous_output, write_output

from .conftest import tree


def output_with(files: dict[str, str], copies: dict[str, Path] | None = None) -> Output:
    output = Output()
    for path, text in files.items():
        output.add(path, lambda text=text: text.encode(), "test")
        output.files[path].key = text  # the same text, the same key
    output.copies.update(copies or {})
    return output


def only_the_output_is_left(folder: Path) -> bool:
    """The previous output is deleted in the background: wait for it."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if sorted(p.name for p in folder.iterdir()) == ["out"]:
            return True
        time.sleep(0.02)
    return False


def test_fresh_folder(tmp_path):
    written = write_output(output_with({"index.html": "a", "x/index.html": "b"}), tmp_path / "out")
    assert (written.count, written.made) == (2, 2)
    assert tree(tmp_path / "out") == {"index.html": b"a", "x/index.html": b"b"}


def test_replaces_the_previous_output_whole(tmp_path):
    target = tmp_path / "out"
    write_output(output_with({"index.html": "old", "gone/index.html": "old"}), target)
    write_output(output_with({"index.html": "new"}), target)
    assert tree(target) == {"index.html": b"new"}
    assert only_the_output_is_left(tmp_path)


def test_failure_leaves_the_previous_output_untouched(tmp_path):
    target = tmp_path / "out"
    write_output(output_with({"index.html": "old"}), target)
    before = tree(target)
    broken = output_with({"index.html": "new"}, {"static/a.css": tmp_path / "missing.css"})
    with pytest.raises(OSError):
        write_output(broken, target)
    assert tree(target) == before
    assert only_the_output_is_left(tmp_path)


def test_leftovers_of_a_killed_build_are_removed(tmp_path):
    stale = tmp_path / ".out.new-tmpabc123"
    (stale / "half").mkdir(parents=True)
    write_output(output_with({"index.html": "a"}), tmp_path / "out")
    assert only_the_output_is_left(tmp_path)


def test_copies_files(tmp_path):
    source = tmp_path / "style.css"
    source.write_text("body{}")
    write_output(output_with({}, {"static/style.css": source}), tmp_path / "out")
    assert (tmp_path / "out/static/style.css").read_text() == "body{}"


def test_unchanged_files_are_kept_and_changed_ones_made(tmp_path):
    target = tmp_path / "out"
    first = write_output(output_with({"a.html": "a", "b.html": "b"}), target)
    made = []
    second = write_output(
        output_with({"a.html": "a", "b.html": "B"}),
        target,
        first.stamps,
        made=lambda path, data: made.append(path),
    )
    assert made == ["b.html"] and second.made == 1
    assert tree(target) == {"a.html": b"a", "b.html": b"B"}
    assert second.stamps["a.html"] == first.stamps["a.html"]


def test_a_file_changed_by_hand_is_made_again(tmp_path):
    target = tmp_path / "out"
    first = write_output(output_with({"a.html": "a"}), target)
    (target / "a.html").write_text("edited")
    second = write_output(output_with({"a.html": "a"}), target, first.stamps)
    assert second.made == 1
    assert tree(target) == {"a.html": b"a"}


def test_an_old_output_much_unlike_the_new_is_not_kept_for_the_next_edit(tmp_path, monkeypatch):
    """The next edit would first have to bring it up to date, file by file."""
    monkeypatch.setattr(write_module, "MOST_UNLIKE", 1)
    target = tmp_path / "out"
    first = write_output(
        output_with({"a.html": "a", "b.html": "b", "c.html": "c"}), target, shadow={}
    )
    assert first.mirrored and tree(previous_output(target)) == tree(target)
    few = write_output(
        output_with({"a.html": "a", "b.html": "B", "c.html": "c"}),
        target,
        first.stamps,
        shadow=first.shadow,
    )
    assert not few.mirrored and few.shadow == first.stamps
    assert tree(previous_output(target))["b.html"] == b"b"
    many = write_output(
        output_with({"a.html": "A", "b.html": "B", "c.html": "C"}),
        target,
        few.stamps,
        shadow=few.shadow,
    )
    assert many.mirrored and many.shadow == many.stamps
    assert (
        tree(previous_output(target))
        == tree(target)
        == {"a.html": b"A", "b.html": b"B", "c.html": b"C"}
    )
