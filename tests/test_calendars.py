"""Calendars and feeds: times exact across DST, parsed back by independent parsers."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
import vobject

from verbund import calendars
from verbund.cache import Cache
from verbund.calendars import Calendars, event_uid, fold
from verbund.feeds import atom, feed_events, json_feed
from verbund.history import FileHistory
from verbund.i18n import Translator
from verbund.load import load_sources
from verbund.markup import markdown_to_html
from verbund.media import video_embed
from verbund.render import EventTimes
from verbund.site import build_site
from verbund.structured import event_jsonld
from verbund.validate import validate

from .conftest import PROJECT, require, write

GOLDEN = Path(__file__).parent / "golden"
BERLIN = ZoneInfo("Europe/Berlin")


def graph_of(root, today=dt.date(2026, 1, 1)):
    content, problems = validate(load_sources(root)[0])
    assert content is not None, problems
    return build_site(content, today)


def bodies(graph):
    return {e.source: markdown_to_html(e.body) for e in graph.events}


def ics_for(graph, slug: str) -> str:
    event = next(e for e in graph.events if e.slug == slug)
    return (
        Calendars(graph, bodies(graph), Translator(graph.config.language))
        .file([event], event.data.title)
        .decode("utf-8")
    )


def parsed(text: str):
    return list(vobject.readComponents(text))[0].vevent_list


def add_event(site, slug: str, front: str, body: str = "Text.\n") -> None:
    write(site, f"content/events/{slug}.md", f"---\n{front}---\n{body}")


def test_golden_ics(site):
    text = ics_for(graph_of(site), "2020-04-02-kurzarbeit")
    assert text.replace("\r\n", "\n") == (GOLDEN / "event.ics").read_text(encoding="utf-8")


def test_night_across_the_october_change_lasts_seven_hours(site):
    add_event(
        site,
        "nacht",
        "title: Lange Nacht\nstart: 2024-10-26 22:00\n"
        "end: 2024-10-27 04:00\nformat: online\nhosts: [wvs]\n",
    )
    text = ics_for(graph_of(site), "nacht")
    assert "DTSTART;TZID=Europe/Berlin:20241026T220000" in text
    assert "DTEND;TZID=Europe/Berlin:20241027T040000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Berlin" in text
    event = parsed(text)[0]
    start, end = event.dtstart.value, event.dtend.value
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert end.utcoffset() == dt.timedelta(hours=1)
    # Compare in UTC: Python subtracts wall-clock times when both share one tzinfo.
    utc = dt.UTC
    assert end.astimezone(utc) - start.astimezone(utc) == dt.timedelta(hours=7)


def test_all_day_events_end_exclusively(site):
    add_event(
        site,
        "messe",
        "title: Messe\nstart: 2027-03-05\nend: 2027-03-06\n"
        "format: in_person\nhosts: [aiw]\nlocation:\n  name: Halle\n  city: Borken\n",
    )
    add_event(site, "tag", "title: Tag\nstart: 2027-04-01\nformat: online\nhosts: [aiw]\n")
    graph = graph_of(site)
    messe = parsed(ics_for(graph, "messe"))[0]
    assert messe.dtstart.value == dt.date(2027, 3, 5)
    assert messe.dtend.value == dt.date(2027, 3, 7)
    assert "DTSTART;VALUE=DATE:20270305" in ics_for(graph, "messe")
    assert messe.location.value == "Halle, Borken"
    tag = parsed(ics_for(graph, "tag"))[0]
    assert tag.dtend.value == dt.date(2027, 4, 2)


def test_cancelled_event(site):
    add_event(
        site,
        "abgesagt",
        "title: Vortrag\nstart: 2027-01-10 18:00\nformat: online\n"
        "hosts: [wvs]\nstatus: cancelled\n",
    )
    event = parsed(ics_for(graph_of(site), "abgesagt"))[0]
    assert event.status.value == "CANCELLED"
    assert event.summary.value == "Abgesagt: Vortrag"


def test_line_breaks_cannot_inject_properties(site):
    add_event(
        site,
        "boese",
        'title: "Titel\\r\\nBEGIN:VEVENT\\r\\nSUMMARY:x"\n'
        "start: 2027-01-10 18:00\nformat: online\nhosts: [wvs]\n",
        "Text\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\n",
    )
    events = parsed(ics_for(graph_of(site), "boese"))
    assert len(events) == 1
    assert events[0].uid.value == "boese@example.org"
    assert "END:VEVENT" in events[0].description.value


ESCAPED_TITLE = "Eins\\nZwei; drei, vier\\\\ fünf"
"""A title with a literal backslash-n, and the other characters TEXT escapes."""


def test_a_backslash_n_in_a_title_stays_in_one_calendar_name(site):
    add_event(
        site,
        "escape",
        f"title: {ESCAPED_TITLE}\nstart: 2027-01-10 18:00\nformat: online\nhosts: [wvs]\n",
    )
    text = ics_for(graph_of(site), "escape")
    lines = text.replace("\r\n ", "").split("\r\n")  # unfolded
    names = [line for line in lines if line.startswith("X-WR-CALNAME")]
    assert names == ["X-WR-CALNAME;VALUE=TEXT:Eins\\\\nZwei\\; drei\\, vier\\\\\\\\ fünf"]
    assert vobject.readOne(text).x_wr_calname.value == ESCAPED_TITLE
    assert str(icalendar.Calendar.from_ical(text)["X-WR-CALNAME"]) == ESCAPED_TITLE
    assert parsed(text)[0].summary.value == ESCAPED_TITLE


ICAL_JS = PROJECT / "node_modules" / "ical.js"


def test_ical_js_reads_the_calendar_name_as_written(site):
    """ical.js (Thunderbird's parser) reads an X- property as TEXT only when told."""
    add_event(
        site,
        "escape",
        f"title: {ESCAPED_TITLE}\nstart: 2027-01-10 18:00\nformat: online\nhosts: [wvs]\n",
    )
    script = (
        "const cal = new ICAL.Component(ICAL.parse(text));"
        "const event = cal.getFirstSubcomponent('vevent');"
        "console.log(JSON.stringify([cal.getFirstPropertyValue('x-wr-calname'),"
        " event.getFirstPropertyValue('summary')]));"
    )
    found = ical_js(script, ics_for(graph_of(site), "escape"))
    assert found == [ESCAPED_TITLE, ESCAPED_TITLE]


def ical_js(script: str, text: str, *args: str) -> object:
    """What ``script`` prints as JSON, given ``ICAL``, the calendar ``text`` and
    ``process.argv.slice(2)``: ``args``."""
    require(
        ICAL_JS.is_dir() and shutil.which("node") is not None,
        "ical.js needs Node.js and `npm ci` in the project",
    )
    prelude = (
        "const ICAL = require(process.argv[1]).default || require(process.argv[1]);"
        "const text = require('fs').readFileSync(0, 'utf8');"
    )
    result = subprocess.run(
        ["node", "-e", prelude + script, str(ICAL_JS), *args],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


STARTS_IN_UTC = (
    "const cal = new ICAL.Component(ICAL.parse(text));"
    "for (const zone of cal.getAllSubcomponents('vtimezone'))"
    " ICAL.TimezoneService.register(zone);"
    "console.log(JSON.stringify(cal.getAllSubcomponents('vevent').map(e =>"
    " [e.getFirstPropertyValue('uid'),"
    " e.getFirstPropertyValue('dtstart').toJSDate().toISOString()])));"
)


def test_the_hour_that_happens_twice_keeps_both_instants(site):
    for slug, offset in (("erste", "+02:00"), ("zweite", "+01:00")):
        add_event(
            site,
            slug,
            f"title: {slug}\nstart: 2026-10-25 02:30{offset}\n"
            f"end: 2026-10-25 02:45{offset}\nformat: online\nhosts: [wvs]\n",
        )
    graph = graph_of(site)
    events = [e for e in graph.events if e.slug in ("erste", "zweite")]
    text = Calendars(graph, bodies(graph), Translator("de")).file(events, "beide").decode()
    expected = {
        "erste@example.org": "2026-10-25T00:30:00.000Z",
        "zweite@example.org": "2026-10-25T01:30:00.000Z",
    }
    assert dict(ical_js(STARTS_IN_UTC, text)) == expected  # type: ignore[arg-type]
    found = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert {str(e["UID"]): e.decoded("DTSTART").astimezone(dt.UTC).isoformat() for e in found} == {
        uid: when.replace(".000Z", "+00:00") for uid, when in expected.items()
    }
    assert {
        str(e["UID"]): e.decoded("DTEND") - e.decoded("DTSTART") for e in found
    } == dict.fromkeys(expected, dt.timedelta(minutes=15))


def test_times_that_happen_once_keep_the_zone(site):
    add_event(
        site,
        "vorher",
        "title: Vorher\nstart: 2026-10-25 01:30\nend: 2026-10-25 03:30\n"
        "format: online\nhosts: [wvs]\n",
    )
    text = ics_for(graph_of(site), "vorher")
    assert "DTSTART;TZID=Europe/Berlin:20261025T013000" in text
    assert "DTEND;TZID=Europe/Berlin:20261025T033000" in text
    assert ical_js(STARTS_IN_UTC, text) == [["vorher@example.org", "2026-10-24T23:30:00.000Z"]]


def test_other_time_zone(site):
    text = (site / "site.yaml").read_text().replace("Europe/Berlin", "America/New_York")
    write(site, "site.yaml", text)
    text = ics_for(graph_of(site), "2020-04-02-kurzarbeit")
    assert "DTSTART;TZID=America/New_York:20200402T100000" in text
    assert parsed(text)[0].dtstart.value.utcoffset() == dt.timedelta(hours=-4)


def test_every_demo_event_round_trips_exactly():
    graph = graph_of(PROJECT, dt.date(2026, 11, 23))
    text = Calendars(graph, bodies(graph), Translator("de")).file(graph.events, "alle")
    events = {e.uid.value: e for e in parsed(text.decode("utf-8"))}
    assert len(events) == len(graph.events) >= 15
    for event in graph.events:
        found = events[event_uid(graph, event)]
        assert found.dtstart.value == event.data.start
        if isinstance(event.data.end, dt.datetime):
            assert found.dtend.value == event.data.end
        assert found.url.value == graph.url(event.path)


def test_calendars_are_reproducible(site):
    assert ics_for(graph_of(site), "2020-04-02-kurzarbeit") == ics_for(
        graph_of(site), "2020-04-02-kurzarbeit"
    )


def test_atom_feed_parses(site):
    content, _ = validate(load_sources(site)[0])
    added = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    moved = dt.datetime(2026, 4, 2, 11, 30, tzinfo=dt.UTC)
    history = {
        "content/events/2030-06-12-sommerfest.md": FileHistory(added, moved, 1),
        "content/events/2020-04-02-kurzarbeit.md": FileHistory(added, added),
    }
    graph = build_site(content, dt.date(2026, 1, 1), history=history)
    times = EventTimes(graph, Translator("de"))
    events = feed_events(graph)
    when = {e.source: times.when(e) for e in events}
    data = atom(graph, events, "Veranstaltungen", "veranstaltungen/feed.xml", bodies(graph), when)
    feed = feedparser.parse(data)
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.feed.title == "Veranstaltungen"
    assert [e.title for e in feed.entries] == [
        "Sommerfest",
        "Kurzarbeitergeld: Ihre Fragen an die Agentur für Arbeit",
    ]
    first = feed.entries[0]
    assert first.link == "https://example.org/netzwerk/veranstaltungen/2030-06-12-sommerfest/"
    assert first.summary.startswith("Mittwoch, 12. Juni 2030, 18:00 Uhr.")
    assert first.published_parsed[:5] == (2026, 3, 1, 9, 0)
    assert first.updated_parsed[:5] == (2026, 4, 2, 11, 30)
    assert feed.feed.updated_parsed[:5] == (2026, 4, 2, 11, 30)  # the newest change


def test_json_feed(site):
    graph = graph_of(site)
    events = feed_events(graph)
    when = {e.source: "x" for e in events}
    feed = json.loads(
        json_feed(graph, events, "V", "veranstaltungen/feed.json", bodies(graph), when)
    )
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://example.org/netzwerk/veranstaltungen/feed.json"
    item = feed["items"][1]
    assert set(item) >= {"id", "url", "title", "content_html", "date_published", "date_modified"}
    assert item["_event"] == {
        "start": "2020-04-02T10:00:00+02:00",
        "end": "2020-04-02T11:30:00+02:00",
        "format": "online",
        "status": "scheduled",
    }


def test_golden_jsonld(site):
    add_event(
        site,
        "hybrid",
        "title: Werkstattgespräch\nstart: 2027-04-15 17:00\n"
        "end: 2027-04-15 19:00\nformat: hybrid\nhosts: [aiw, wvs]\nlocation:\n"
        '  name: Kantine\n  street: Gewerbering 8\n  postal_code: "48282"\n'
        "  city: Emsdetten\nonline:\n  platform: Zoom\n  url: https://zoom.example/j/1\n"
        "speakers:\n  - name: Markus Brinkmann\nregistration:\n"
        "  url: https://example.org/anmeldung\n  price: 25\nstatus: postponed\n",
    )
    graph = graph_of(site)
    event = next(e for e in graph.events if e.slug == "hybrid")
    data = event_jsonld(graph, event, markdown_to_html(event.body))
    assert json.dumps(data, ensure_ascii=False, indent=1) + "\n" == (
        GOLDEN / "event.jsonld"
    ).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "url, expected",
    [
        (
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        ),
        ("https://youtu.be/aqz-KE-bpKQ", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        (
            "https://m.youtube.com/live/aqz-KE-bpKQ?x=1",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://example.org/video.mp4", None),
        ("https://www.youtube.com/watch?v=<script>", None),
    ],
)
def test_video_embeds(url, expected):
    video = video_embed(url)
    assert (video.embed_url if video else None) == expected


def test_event_page_links_its_calendar_and_feeds(site):
    from verbund.cli import main

    assert main(["build", "--site", str(site), "--today", "2026-01-01", "--no-search"]) == 0
    out = site / "output"
    page = (out / "veranstaltungen/2030-06-12-sommerfest/index.html").read_text()
    assert '<a href="2030-06-12-sommerfest.ics" download>' in page
    events = (out / "veranstaltungen/index.html").read_text()
    assert 'href="webcal://example.org/netzwerk/veranstaltungen/kalender.ics"' in events
    for path in (
        "veranstaltungen/kalender.ics",
        "veranstaltungen/feed.xml",
        "veranstaltungen/feed.json",
        "verbaende/aiw/kalender.ics",
        "veranstaltungen/reihen/online-meetings/kalender.ics",
        "veranstaltungen/referenten/index.html",
    ):
        assert (out / path).is_file(), path
    assert not (out / "branchen/logistik/kalender.ics").exists()  # it has no events
    aiw = parsed((out / "verbaende/aiw/kalender.ics").read_text())
    assert sorted(e.uid.value for e in aiw) == [
        "2020-04-02-kurzarbeit@example.org",
        "2030-06-12-sommerfest@example.org",
    ]
    speakers = (out / "veranstaltungen/referenten/index.html").read_text()
    assert '<a href="../../mitglieder/muster-logistik/">Anna Brockmann</a>' in speakers


def calendar_links(out: Path) -> set[Path]:
    """The calendar files the pages of ``out`` link to, as paths below it."""
    base = "webcal://example.org/netzwerk/"
    found: set[Path] = set()
    for page in out.rglob("*.html"):
        for href in re.findall(r'href="([^"]*\.ics)"', page.read_text(encoding="utf-8")):
            if href.startswith(base):
                found.add(out / href.removeprefix(base))
            else:
                found.add((page.parent / href).resolve())
    return found


@pytest.mark.parametrize("events", ["some", "none"])
def test_calendars_without_events_are_neither_written_nor_linked(site, events):
    text = (site / "site.yaml").read_text()
    write(site, "site.yaml", text + "  - id: leer\n    name: Ohne Veranstaltungen\n")
    if events == "none":
        shutil.rmtree(site / "content/events")
    from verbund.cli import main

    args = ["build", "--site", str(site), "--today", "2026-01-01", "--no-search", "--strict"]
    assert main(args) == 0
    out = (site / "output").resolve()
    written = set(out.rglob("*.ics"))
    for file in written:
        assert "BEGIN:VEVENT" in file.read_text(encoding="utf-8"), file
    assert not (out / "verbaende/leer/kalender.ics").exists()
    assert not (out / "branchen/logistik/kalender.ics").exists()
    assert (out / "veranstaltungen/kalender.ics").exists() == (events == "some")
    linked = calendar_links(out)
    assert linked <= written
    if events == "some":
        assert out / "verbaende/aiw/kalender.ics" in linked
        assert out / "veranstaltungen/kalender.ics" in linked
    else:
        assert not written and not linked


def test_ical_js_reads_every_calendar_of_the_demo_site(tmp_path):
    from verbund.cli import main

    out = tmp_path / "out"
    args = ["build", "--site", str(PROJECT), "--output", str(out), "--today", "2026-11-23"]
    assert main([*args, "--no-search", "--no-cache"]) == 0
    files = sorted(out.rglob("*.ics"))
    assert len(files) > 20
    script = (
        "const fs = require('fs');"
        "console.log(JSON.stringify(process.argv.slice(2).map(file => {"
        " const cal = new ICAL.Component(ICAL.parse(fs.readFileSync(file, 'utf8')));"
        " return cal.getAllSubcomponents('vevent').map(e => new ICAL.Event(e))"
        " .filter(e => e.uid && e.summary && e.startDate).length; })));"
    )
    counts = ical_js(script, "", *map(str, files))
    parsed_here = [len(icalendar.Calendar.from_ical(f.read_bytes()).walk("VEVENT")) for f in files]
    assert counts == parsed_here
    assert all(counts), [f for f, n in zip(files, counts, strict=True) if not n]


def test_feeds_mark_cancelled_events(site):
    add_event(
        site,
        "abgesagt",
        "title: Vortrag\nstart: 2031-01-10 18:00\nformat: online\n"
        "hosts: [wvs]\nstatus: cancelled\n",
    )
    graph = graph_of(site)
    events = feed_events(graph)
    when = {e.source: "x" for e in events}
    feed = feedparser.parse(atom(graph, events, "V", "v/feed.xml", bodies(graph), when))
    assert feed.entries[0].title == "Abgesagt: Vortrag"


@pytest.mark.parametrize(
    "line",
    [
        "",
        "x" * 74,
        "x" * 75,
        "DESCRIPTION:" + "ä" * 100,
        "S:" + "€" * 60 + "x",
        "D:" + "a" * 71 + "\\,b" * 40,
        "D:" + "a" * 72 + "^^" * 30,
        "D:" + "🙂" * 50,
        "D:" + ("Größe\\n" * 30),
    ],
)
def test_folding_matches_icalendar(line):
    assert fold(line) == icalendar.parser.Contentline(line).to_ical()
    assert all(len(part) <= 75 for part in fold(line).split(b"\r\n"))


def test_calendar_with_many_events_is_what_icalendar_writes():
    graph = graph_of(PROJECT, dt.date(2026, 11, 23))
    t = Translator("de")
    made = Calendars(graph, bodies(graph), t)
    whole = icalendar.Calendar.from_ical(made.file(graph.events, "alle"))
    assert whole.to_ical() == made.file(graph.events, "alle")
    assert len(whole.walk("VEVENT")) == len(graph.events)


def test_calendar_entries_of_earlier_builds_are_reused(tmp_path, monkeypatch):
    graph = graph_of(PROJECT, dt.date(2026, 11, 23))
    t = Translator("de")
    fingerprints = graph.fingerprints()
    cache = Cache(tmp_path / "cache")
    first = Calendars(graph, bodies(graph), t, cache.memo("vevent", fingerprints))
    made = first.file(graph.events, "alle")
    first.memo.save()
    monkeypatch.setattr(calendars, "_vevent", lambda *args: pytest.fail("made again"))
    kept = Calendars(graph, bodies(graph), t, cache.memo("vevent", fingerprints))
    assert kept.file(graph.events, "alle") == made
    # An entry that is not a calendar entry is never taken.
    assert cache.db is not None
    with cache.db:
        cache.db.execute(
            "UPDATE vevent SET value = ? WHERE key = ?",
            (b"garbage", calendars._entry_name(graph.events[0])),
        )
    monkeypatch.undo()
    again = Calendars(graph, bodies(graph), t, cache.memo("vevent", fingerprints))
    assert again.file(graph.events, "alle") == made
    again.memo.save()
    # The entry of an event whose text has changed is made again, and only that one.
    made_now = []
    original = calendars._vevent
    monkeypatch.setattr(
        calendars, "_vevent", lambda *args: (made_now.append(args[1]), original(*args))[1]
    )
    changed = fingerprints | {graph.events[3].source + "#text": "another text"}
    Calendars(graph, bodies(graph), t, cache.memo("vevent", changed)).file(graph.events, "a")
    assert made_now == [graph.events[3]]
