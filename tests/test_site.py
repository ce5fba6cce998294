"""Site stage: URLs and indexes."""

from __future__ import annotations

import datetime as dt

from verbund.load import load_sources
from verbund.site import build_site, sort_key
from verbund.validate import validate

from .conftest import MEMBER, write


def site_of(root, today=dt.date(2026, 1, 1)):
    content, problems = validate(load_sources(root)[0])
    assert content is not None, problems
    return build_site(content, today)


def test_german_urls(site):
    graph = site_of(site)
    assert graph.members[0].path == "mitglieder/muster-logistik/"
    assert [t.path for t in graph.industries][:1] == ["branchen/lagerhaltung/"]
    assert graph.regions[0].path == "regionen/kreis-borken/"
    assert graph.associations[0].path == "verbaende/wvs/"
    assert graph.events[0].path == "veranstaltungen/2020-04-02-kurzarbeit/"
    assert graph.series[0].path == "veranstaltungen/reihen/online-meetings/"
    assert graph.pages[0].path == "impressum/"
    assert graph.url(graph.members[0].path) == (
        "https://example.org/netzwerk/mitglieder/muster-logistik/"
    )


def test_english_urls(site):
    text = (site / "site.yaml").read_text().replace("language: de", "language: en")
    write(site, "site.yaml", text)
    graph = site_of(site)
    assert graph.members[0].path == "members/muster-logistik/"
    assert graph.events[0].path == "events/2020-04-02-kurzarbeit/"
    assert graph.associations[0].path == "associations/wvs/"


def test_indexes_by_industry_region_association(site):
    write(
        site,
        "content/members/aachener-maschinen.md",
        MEMBER.replace("name: Muster Logistik GmbH & Co. KG", "name: Ärztebedarf Borken")
        .replace("industries: [logistik, lagerhaltung]", "industries: [maschinenbau]")
        .replace("region: kreis-steinfurt", "region: kreis-borken")
        .replace("associations: [wvs]", "associations: [aiw, wvs]")
        .replace("muster-logistik.example", "aerztebedarf.example"),
    )
    graph = site_of(site)
    by_id = {t.id: [m.slug for m in t.members] for t in graph.industries}
    assert by_id == {
        "logistik": ["muster-logistik"],
        "lagerhaltung": ["muster-logistik"],
        "maschinenbau": ["aachener-maschinen"],
    }
    regions = {t.id: [m.slug for m in t.members] for t in graph.regions}
    assert regions == {
        "kreis-borken": ["aachener-maschinen"],
        "kreis-steinfurt": ["muster-logistik"],
    }
    associations = {t.id: [m.slug for m in t.members] for t in graph.associations}
    assert associations == {
        "wvs": ["aachener-maschinen", "muster-logistik"],
        "aiw": ["aachener-maschinen"],
    }
    # Alphabetical as a reader expects: Ä sorts with A.
    assert [m.data.name for m in graph.members] == [
        "Ärztebedarf Borken",
        "Muster Logistik GmbH & Co. KG",
    ]


def test_upcoming_and_past_by_year(site):
    write(
        site,
        "content/events/2019-05-01-alt.md",
        "---\ntitle: Alt\nstart: 2019-05-01\nformat: online\nhosts: [wvs]\n---\n",
    )
    write(
        site,
        "content/events/2025-12-31-heute.md",
        "---\ntitle: Heute\nstart: 2025-12-30\nend: 2026-01-01\nformat: online\n"
        "hosts: [wvs]\n---\n",
    )
    graph = site_of(site, today=dt.date(2026, 1, 1))
    assert [e.slug for e in graph.upcoming] == ["2025-12-31-heute", "2030-06-12-sommerfest"]
    assert {y: [e.slug for e in es] for y, es in graph.events_by_year.items()} == {
        2020: ["2020-04-02-kurzarbeit"],
        2019: ["2019-05-01-alt"],
    }
    assert list(graph.events_by_year) == [2020, 2019]
    later = site_of(site, today=dt.date(2026, 1, 2))
    assert [e.slug for e in later.upcoming] == ["2030-06-12-sommerfest"]


def test_events_link_hosts_speakers_and_series(site):
    graph = site_of(site)
    event = graph.events[0]
    assert [h.id for h in event.hosts] == ["wvs", "aiw"]
    assert event.speakers[0].member is graph.members[0]
    assert graph.members[0].talks == [event]
    assert graph.series[0].events == [event]
    assert graph.series[0].name == "Online Meetings"
    hosts = {t.id: [e.slug for e in t.events] for t in graph.associations}
    assert hosts == {
        "wvs": ["2020-04-02-kurzarbeit"],
        "aiw": ["2020-04-02-kurzarbeit", "2030-06-12-sommerfest"],
    }


def test_event_days_in_site_time_zone(site):
    # 23:30 UTC on 1 May is already 2 May in Berlin.
    write(
        site,
        "content/events/spaet.md",
        "---\ntitle: Spät\nstart: 2026-05-01 23:30+00:00\nformat: online\nhosts: [wvs]\n---\n",
    )
    event = next(e for e in site_of(site).events if e.slug == "spaet")
    assert event.first_day == dt.date(2026, 5, 2)


def test_sort_key_folds_umlauts_and_case():
    assert sorted(["Zeta", "Öko", "abc", "Ost"], key=sort_key) == ["abc", "Öko", "Ost", "Zeta"]


def test_postponed_events_wait_for_their_new_date(site):
    for slug, day in (("2030-01-01-offen", "2030-01-01"), ("2019-01-01-offen", "2019-01-01")):
        write(
            site,
            f"content/events/{slug}.md",
            f"---\ntitle: Offen\nstart: {day}\nformat: online\nhosts: [wvs]\n"
            "speakers:\n  - name: Anna\n    member: muster-logistik\nstatus: postponed\n---\n",
        )
    graph = site_of(site, today=dt.date(2026, 1, 1))
    assert [e.slug for e in graph.postponed] == ["2019-01-01-offen", "2030-01-01-offen"]
    assert all(e.date_to_follow for e in graph.postponed)
    assert [e.slug for e in graph.upcoming] == ["2030-06-12-sommerfest"]
    assert {y: [e.slug for e in es] for y, es in graph.events_by_year.items()} == {
        2020: ["2020-04-02-kurzarbeit"]
    }
    member = graph.members[0]
    assert [e.slug for e in member.upcoming_talks] == ["2019-01-01-offen", "2030-01-01-offen"]
    assert [e.slug for e in member.past_talks] == ["2020-04-02-kurzarbeit"]
    assert "site#postponed" in graph.fingerprints()


def test_a_graph_is_laid_out_again_only_when_more_than_texts_changed(site):
    """Given the last graph, a change of texts alone keeps its shape (the same
    objects) with the new texts and fingerprints; a change of fields does not."""
    content, _ = validate(load_sources(site)[0])
    before = build_site(content, dt.date(2026, 1, 1))
    before.fingerprints()
    member = site / "content/members/muster-logistik.md"
    write(site, "content/members/muster-logistik.md", member.read_text() + "\nNeuer Satz.\n")
    content, _ = validate(load_sources(site)[0])
    again = build_site(content, dt.date(2026, 1, 1), previous=before)
    fresh = build_site(content, dt.date(2026, 1, 1))
    assert again is before
    assert "Neuer Satz." in again.members[0].body
    assert again.fingerprints() == fresh.fingerprints()
    text = member.read_text().replace("Muster Logistik GmbH", "Zeta Logistik GmbH")
    write(site, "content/members/muster-logistik.md", text)
    content, _ = validate(load_sources(site)[0])
    assert build_site(content, dt.date(2026, 1, 1), previous=again) is not again
    assert build_site(content, dt.date(2027, 1, 1), previous=fresh) is not fresh
