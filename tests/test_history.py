"""Calendars, feeds and vCards follow the content's git history: a moved or
cancelled event reaches subscribers as a new version, and the stamps never come
from the clock of the machine that builds."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest

from verbund import load
from verbund.history import read_history

from .conftest import require
from .test_calendars import ical_js
from .test_dependencies import build, same_as_clean

SOMMERFEST = "content/events/2030-06-12-sommerfest.md"
ICS = "veranstaltungen/2030-06-12-sommerfest/2030-06-12-sommerfest.ics"
ADDED = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def git(site: Path, *args: str, when: dt.datetime | None = None) -> str:
    stamp = (when or ADDED).isoformat()
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "GIT_AUTHOR_NAME": "Geschäftsstelle",
        "GIT_AUTHOR_EMAIL": "web@example.org",
        "GIT_COMMITTER_NAME": "Geschäftsstelle",
        "GIT_COMMITTER_EMAIL": "web@example.org",
    }
    done = subprocess.run(
        ["git", "-C", str(site), *args], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def commit(site: Path, when: dt.datetime) -> None:
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "Änderung", when=when)


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (not only 2 s after they were written)."""
    monkeypatch.setattr(load, "TRUSTED_AFTER_NS", 0)


@pytest.fixture
def repo(site):
    require(shutil.which("git") is not None, "the history tests need git")
    git(site, "init", "-q", "-b", "main")
    commit(site, ADDED)
    return site


def edit(site: Path, rel: str, old: str, new: str) -> None:
    file = site / rel
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


ENTRY = (
    "const cal = new ICAL.Component(ICAL.parse(text));"
    "for (const zone of cal.getAllSubcomponents('vtimezone'))"
    " ICAL.TimezoneService.register(zone);"
    "const e = cal.getFirstSubcomponent('vevent');"
    "console.log(JSON.stringify({"
    " start: e.getFirstPropertyValue('dtstart').toJSDate().toISOString(),"
    " stamp: e.getFirstPropertyValue('dtstamp').toJSDate().toISOString(),"
    " modified: e.getFirstPropertyValue('last-modified').toJSDate().toISOString(),"
    " sequence: e.getFirstPropertyValue('sequence'),"
    " status: e.getFirstPropertyValue('status')}));"
)

RESUBSCRIBED = (
    # What a subscribed calendar does with a fetched entry of a UID it has
    # (RFC 5546 3.1, 2.1.5): take it if its SEQUENCE is higher, or equal with a
    # later DTSTAMP; else keep the one it has.
    "const entry = t => new ICAL.Component(ICAL.parse(t)).getFirstSubcomponent('vevent');"
    "const had = entry(process.argv[2]), got = entry(text);"
    "const seq = e => e.getFirstPropertyValue('sequence') || 0;"
    "const stamp = e => e.getFirstPropertyValue('dtstamp').toUnixTime();"
    "const newer = seq(got) > seq(had) || (seq(got) === seq(had) && stamp(got) > stamp(had));"
    "const kept = newer ? got : had;"
    "console.log(JSON.stringify({newer, status: kept.getFirstPropertyValue('status'),"
    " start: kept.getFirstPropertyValue('dtstart').toString()}));"
)


def test_a_moved_then_cancelled_event_reaches_a_subscribed_calendar(repo, tmp_path):
    output = tmp_path / "out"
    assert build(repo, output) == 0
    first = (output / ICS).read_text(encoding="utf-8")
    assert ical_js(ENTRY, first) == {
        "start": "2030-06-12T16:00:00.000Z",
        "stamp": "2026-03-01T09:00:00.000Z",
        "modified": "2026-03-01T09:00:00.000Z",
        "sequence": 0,
        "status": "CONFIRMED",
    }

    moved = dt.datetime(2026, 4, 2, 11, 30, tzinfo=dt.UTC)
    edit(repo, SOMMERFEST, "start: 2030-06-12 18:00", "start: 2030-06-19 18:00")
    commit(repo, moved)
    assert build(repo, output) == 0
    second = (output / ICS).read_text(encoding="utf-8")
    assert ical_js(ENTRY, second) == {
        "start": "2030-06-19T16:00:00.000Z",
        "stamp": "2026-04-02T11:30:00.000Z",
        "modified": "2026-04-02T11:30:00.000Z",
        "sequence": 1,
        "status": "CONFIRMED",
    }
    assert ical_js(RESUBSCRIBED, second, first) == {
        "newer": True,
        "status": "CONFIRMED",
        "start": "2030-06-19T18:00:00",
    }

    cancelled = dt.datetime(2026, 5, 5, 8, 0, tzinfo=dt.UTC)
    edit(repo, SOMMERFEST, "format: in_person", "format: in_person\nstatus: cancelled")
    commit(repo, cancelled)
    assert build(repo, output) == 0
    third = (output / ICS).read_text(encoding="utf-8")
    assert ical_js(ENTRY, third)["sequence"] == 2
    assert ical_js(RESUBSCRIBED, third, second) == {
        "newer": True,
        "status": "CANCELLED",
        "start": "2030-06-19T18:00:00",
    }

    # A new text is a new version too (a later stamp), not a new schedule.
    reworded = dt.datetime(2026, 5, 6, 8, 0, tzinfo=dt.UTC)
    edit(repo, SOMMERFEST, "Feiern.", "Feiern, mit Musik.")
    commit(repo, reworded)
    same_as_clean(repo, output)
    fourth = (output / ICS).read_text(encoding="utf-8")
    assert ical_js(ENTRY, fourth)["sequence"] == 2
    assert ical_js(RESUBSCRIBED, fourth, third)["newer"] is True
    # The old version fetched again is not taken for news.
    assert ical_js(RESUBSCRIBED, third, fourth)["newer"] is False


def test_feeds_tell_when_an_event_was_added_and_last_changed(repo, tmp_path):
    moved = dt.datetime(2026, 4, 2, 11, 30, tzinfo=dt.UTC)
    edit(repo, SOMMERFEST, "start: 2030-06-12 18:00", "start: 2030-06-19 18:00")
    commit(repo, moved)
    output = tmp_path / "out"
    assert build(repo, output) == 0
    feed = feedparser.parse((output / "veranstaltungen/feed.xml").read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    entry = next(e for e in feed.entries if e.title == "Sommerfest")
    assert entry.published_parsed[:5] == (2026, 3, 1, 9, 0)
    assert entry.updated_parsed[:5] == (2026, 4, 2, 11, 30)
    assert feed.feed.updated_parsed[:5] == (2026, 4, 2, 11, 30)
    items = json.loads((output / "veranstaltungen/feed.json").read_bytes())["items"]
    item = next(i for i in items if i["title"] == "Sommerfest")
    assert (item["date_published"], item["date_modified"]) == (
        "2026-03-01T09:00:00Z",
        "2026-04-02T11:30:00Z",
    )
    vcard = output / "mitglieder/muster-logistik/muster-logistik.vcf"
    assert "REV:20260301T090000Z" in vcard.read_text(encoding="utf-8")


def test_a_vcard_is_revised_when_the_members_fields_change_not_its_text(repo, tmp_path):
    member = "content/members/muster-logistik.md"
    output = tmp_path / "out"
    vcard = output / "mitglieder/muster-logistik/muster-logistik.vcf"
    edit(repo, member, "aus Rheine.", "aus Rheine, mit Lager in Ochtrup.")
    commit(repo, dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC))
    assert build(repo, output) == 0
    assert "REV:20260301T090000Z" in vcard.read_text(encoding="utf-8")
    edit(repo, member, "+49 5971 12345", "+49 5971 54321")
    commit(repo, dt.datetime(2026, 4, 2, 8, 0, tzinfo=dt.UTC))
    same_as_clean(repo, output)
    assert "REV:20260402T080000Z" in vcard.read_text(encoding="utf-8")


def test_a_change_not_yet_committed_counts_from_its_file_time(repo, tmp_path):
    edit(repo, SOMMERFEST, "start: 2030-06-12 18:00", "start: 2030-06-12 19:00")
    saved = dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC).timestamp()
    os.utime(repo / SOMMERFEST, (saved, saved))
    history = read_history(repo, [SOMMERFEST, "content/events/2020-04-02-kurzarbeit.md"])
    changed = history.files[SOMMERFEST]
    assert (changed.created, changed.changed, changed.sequence) == (
        ADDED,
        dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC),
        1,
    )
    unchanged = history.files["content/events/2020-04-02-kurzarbeit.md"]
    assert (unchanged.changed, unchanged.sequence) == (ADDED, 0)
    assert history.notes == []


def test_a_commit_of_files_already_built_is_not_taken_for_the_last_build(repo, tmp_path, settled):
    edit(repo, SOMMERFEST, "Feiern.", "Feiern, mit Musik.")
    saved = dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC).timestamp()
    os.utime(repo / SOMMERFEST, (saved, saved))
    output = tmp_path / "out"
    assert build(repo, output) == 0
    assert "DTSTAMP:20260601T070000Z" in (output / ICS).read_text(encoding="utf-8")
    commit(repo, dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC))  # the files stay as they are
    same_as_clean(repo, output)
    assert "DTSTAMP:20260701T120000Z" in (output / ICS).read_text(encoding="utf-8")


def test_a_site_in_a_folder_of_a_larger_repository(tmp_path, site):
    require(shutil.which("git") is not None, "the history tests need git")
    top = site.parent
    git(top, "init", "-q", "-b", "main")
    commit(top, ADDED)
    history = read_history(site, [SOMMERFEST])
    assert history.files[SOMMERFEST].created == ADDED


def test_a_shallow_clone_is_told_and_still_builds(repo, tmp_path, capsys):
    edit(repo, SOMMERFEST, "Feiern.", "Feiern, mit Musik.")
    commit(repo, dt.datetime(2026, 4, 2, 11, 30, tzinfo=dt.UTC))
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    capsys.readouterr()
    assert build(clone, tmp_path / "out") == 0
    told = capsys.readouterr().err
    assert "the git history is shallow" in told
    assert "fetch-depth: 0" in told


def test_outside_git_the_file_times_are_taken_without_a_note(site, tmp_path, capsys):
    saved = dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC).timestamp()
    os.utime(site / SOMMERFEST, (saved, saved))
    assert build(site, tmp_path / "out") == 0
    assert "DTSTAMP:20260601T070000Z" in (tmp_path / "out" / ICS).read_text(encoding="utf-8")
    assert "history" not in capsys.readouterr().err


def test_git_failing_is_told_and_the_build_goes_on(repo, tmp_path, capsys, monkeypatch):
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "git").write_text(
        '#!/bin/sh\necho "fatal: detected dubious ownership in repository" >&2\nexit 128\n'
    )
    (fake / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{os.environ['PATH']}")
    capsys.readouterr()
    assert build(repo, tmp_path / "out") == 0
    told = capsys.readouterr().err
    assert "git cannot read the history: fatal: detected dubious ownership" in told
    assert "modification times" in told
    assert (tmp_path / "out" / ICS).is_file()


def test_each_version_is_read_once_and_a_failed_read_is_not_kept(repo, monkeypatch, tmp_path):
    from verbund import history
    from verbund.cache import Cache

    edit(repo, SOMMERFEST, "start: 2030-06-12 18:00", "start: 2030-06-19 18:00")
    commit(repo, dt.datetime(2026, 4, 2, 11, 30, tzinfo=dt.UTC))
    paths = [SOMMERFEST, "content/members/muster-logistik.md"]
    real = subprocess.run
    commands: list[list[str]] = []

    def watched(command, *args, **kwargs):
        commands.append(command)
        if "cat-file" in command and failing:
            raise subprocess.TimeoutExpired(command, 1)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", watched)
    cache = Cache(tmp_path / "cache")
    failing = True
    broken = read_history(repo, paths, cache)
    assert [note.message.split(":")[0] for note in broken.notes] == ["git cannot read the history"]
    assert broken.files[SOMMERFEST].sequence == 0  # the files' times instead
    failing = False
    first = read_history(repo, paths, cache)
    assert first.files[SOMMERFEST].sequence == 1 and not first.notes
    commands.clear()
    again = read_history(repo, paths, cache)
    assert again == first
    assert not [command for command in commands if "cat-file" in command]
    cache.close()


def test_the_log_is_read_again_only_after_a_commit(repo, monkeypatch):
    from verbund import history

    real = subprocess.run
    logs: list[list[str]] = []

    def watched(command, *args, **kwargs):
        if "log" in command:
            logs.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(history.subprocess, "run", watched)
    first = read_history(repo, [SOMMERFEST])
    assert read_history(repo, [SOMMERFEST]) == first and len(logs) == 1  # as in the preview
    edit(repo, SOMMERFEST, "start: 2030-06-12 18:00", "start: 2030-06-19 18:00")
    moved = dt.datetime(2026, 4, 2, 11, 30, tzinfo=dt.UTC)
    commit(repo, moved)
    after = read_history(repo, [SOMMERFEST]).files[SOMMERFEST]
    assert len(logs) == 2 and (after.changed, after.sequence) == (moved, 1)
