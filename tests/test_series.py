"""Series as a vocabulary: names written by people, typos are errors, and what the
events of a series say nothing about comes from it."""

from __future__ import annotations

from verbund.load import load_sources
from verbund.validate import validate

from .conftest import EVENT, write
from .test_dependencies import build, same_as_clean
from .test_render import html, rendered

SERIES = """\
- id: online-meetings
  name: Online-Meetings
  description: Eine Stunde zu einer Frage, die Betriebe gerade bewegt.
  hosts: [wvs, aiw]
  price: 0
"""


def problems_of(site) -> list[tuple]:
    sources, problems = load_sources(site)
    _, checked = validate(sources)
    return [(p.path, p.line, p.field, p.message, p.hint) for p in problems + checked]


def test_the_series_page_has_the_name_and_text_people_wrote(site):
    write(site, "content/series.yaml", SERIES)
    _, output = rendered(site)
    page = html(output, "veranstaltungen/reihen/online-meetings/index.html")
    assert "<h1>Online-Meetings</h1>" in page
    assert "Eine Stunde zu einer Frage" in page
    assert "Die Teilnahme ist kostenlos, für Mitglieder wie für Gäste." in page


def test_without_series_yaml_the_name_comes_from_the_id(site):
    _, output = rendered(site)
    assert "<h1>Online Meetings</h1>" in html(
        output, "veranstaltungen/reihen/online-meetings/index.html"
    )


def test_a_mistyped_series_is_an_error_with_a_suggestion(site):
    write(site, "content/series.yaml", SERIES)
    write(
        site,
        "content/events/2020-04-02-kurzarbeit.md",
        EVENT.replace("series: online-meetings", "series: online-meeting"),
    )
    assert problems_of(site) == [
        (
            "content/events/2020-04-02-kurzarbeit.md",
            7,
            "series",
            "unknown series 'online-meeting'",
            "did you mean 'online-meetings'?",
        )
    ]


def test_an_event_takes_hosts_and_price_from_its_series(site):
    write(site, "content/series.yaml", SERIES)
    write(
        site,
        "content/events/2020-04-02-kurzarbeit.md",
        EVENT.replace("hosts: [wvs, aiw]\n", "").replace("  price: 0\n", ""),
    )
    graph, output = rendered(site)
    event = next(e for e in graph.events if e.slug == "2020-04-02-kurzarbeit")
    assert [host.id for host in event.hosts] == ["wvs", "aiw"]
    assert event.data.registration.price == 0
    page = html(output, "veranstaltungen/2020-04-02-kurzarbeit/index.html")
    hosts = page.split("<dt>Veranstalter</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Wirtschaftsvereinigung Steinfurt" in hosts and "kostenlos" in page


def test_an_event_without_hosts_or_a_series_that_gives_them_is_an_error(site):
    write(
        site,
        "content/events/2020-04-02-kurzarbeit.md",
        EVENT.replace("hosts: [wvs, aiw]\n", ""),
    )
    assert problems_of(site) == [
        (
            "content/events/2020-04-02-kurzarbeit.md",
            2,
            "",
            "the required field 'hosts' is missing",
            "add a line like: hosts: [wvs]",
        )
    ]


def test_a_series_with_an_unknown_host_is_an_error_at_its_line(site):
    write(site, "content/series.yaml", SERIES.replace("[wvs, aiw]", "[wvs, aiv]"))
    assert problems_of(site) == [
        (
            "content/series.yaml",
            4,
            "[0].hosts[1]",
            "unknown association 'aiv'",
            "did you mean 'aiw'?",
        )
    ]


def test_a_changed_series_remakes_the_events_that_take_from_it(site, tmp_path):
    write(site, "content/series.yaml", SERIES)
    write(
        site,
        "content/events/2020-04-02-kurzarbeit.md",
        EVENT.replace("hosts: [wvs, aiw]\n", ""),
    )
    output = tmp_path / "out"
    assert build(site, output) == 0
    write(site, "content/series.yaml", SERIES.replace("[wvs, aiw]", "[aiw]"))
    same_as_clean(site, output)
    page = (output / "veranstaltungen/2020-04-02-kurzarbeit/index.html").read_text("utf-8")
    hosts = page.split("<dt>Veranstalter</dt>", 1)[1].split("</dd>", 1)[0]
    assert "AIW Unternehmensverband" in hosts and "Steinfurt" not in hosts
