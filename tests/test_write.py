"""Write stage: the output folder is replaced whole or not at all."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from verbund import write as write_module
from verbund.cli import main
from verbund.render import Output
from verbund.write import lock_file, output_lock, previous_output, write_output

from .conftest import MEMBER, make_site, tree, write


def output_with(files: dict[str, str], copies: dict[str, Path] | None = None) -> Output:
    output = Output()
    for path, text in files.items():
        output.add(path, lambda text=text: text.encode(), "test")
        output.files[path].key = text  # the same text, the same key
    output.copies.update(copies or {})
    return output


def only_the_output_is_left(folder: Path, name: str = "out", kept: bool = False) -> bool:
    """Nothing of the builds into ``folder / name`` is left beside it but the
    output (and the previous one if ``kept``). The previous output is deleted in
    the background: wait for it."""
    wanted = sorted([name, f".{name}.previous"] if kept else [name])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = sorted(p.name for p in folder.iterdir() if p.name.lstrip(".").startswith(name))
        if found == wanted:
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


def test_two_builds_into_one_folder_at_once(tmp_path):
    """Two editors, or ``serve`` beside ``build``: both succeed, one after the other."""
    site = make_site(tmp_path / "site")
    target, single = site / "output", tmp_path / "single"
    args = ["build", "--site", str(site), "--no-search", "--today", "2026-01-01"]
    for n in range(4):
        write(site, "content/members/muster-logistik.md", MEMBER + f"\nRunde {n}.\n")
        builds = [
            subprocess.Popen(
                [sys.executable, "-m", "verbund", *args],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        for build in builds:
            _, err = build.communicate(timeout=60)
            assert build.returncode == 0, err
            assert err.count("Waiting for another build") <= 1
        assert main([*args, "--no-cache", "--output", str(single)]) == 0
        assert tree(target) == tree(single)
        assert f"Runde {n}." in (target / "mitglieder/muster-logistik/index.html").read_text()
    assert only_the_output_is_left(site, "output", kept=True)


def held_elsewhere(target: Path, seconds: float) -> threading.Thread:
    """Another build holding the lock of ``target`` for ``seconds``."""
    taken = threading.Event()

    def hold() -> None:
        with output_lock(target):
            taken.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(5)
    return thread


def test_a_build_waits_for_another_of_the_same_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("VERBUND_MESSAGES")
    target = tmp_path / "out"
    write_output(output_with({"index.html": "old"}), target)
    other = held_elsewhere(target, 0.5)
    started = time.monotonic()
    write_output(output_with({"index.html": "new"}), target, language="de")
    assert time.monotonic() - started > 0.3
    other.join()
    told = capsys.readouterr().err
    assert told.count(f"Warte, bis ein anderer Build von {target} fertig ist") == 1
    assert tree(target) == {"index.html": b"new"}
    assert not lock_file(target).exists()
    assert only_the_output_is_left(tmp_path)


def test_a_build_stops_waiting_after_a_while(tmp_path, monkeypatch):
    monkeypatch.setattr(write_module, "LOCK_WAIT", 0.2)
    target = tmp_path / "out"
    write_output(output_with({"index.html": "old"}), target)
    other = held_elsewhere(target, 1)
    with pytest.raises(TimeoutError, match="another build of this folder was not done after"):
        write_output(output_with({"index.html": "new"}), target)
    other.join()
    assert tree(target) == {"index.html": b"old"}
    assert only_the_output_is_left(tmp_path)


def test_the_lock_can_be_taken_again_by_its_holder(tmp_path):
    target = tmp_path / "out"
    with output_lock(target):
        assert lock_file(target).exists()
        write_output(output_with({"index.html": "a"}), target)
        assert lock_file(target).exists()
    assert not lock_file(target).exists()
    assert tree(target) == {"index.html": b"a"}
