"""JSON-LD of event pages, read back from the built HTML, against Google's Event rich result."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from verbund.markup import markdown_to_html
from verbund.structured import event_jsonld

from .conftest import PROJECT, write
from .test_calendars import add_event, graph_of
from .test_images import make_image

EVENT_FRONT = (
    "title: Sprechstunde\nstart: 2027-04-15 17:00\nformat: online\nhosts: [aiw, wvs]\n"
    "speakers:\n  - name: Anna Kruse\n    organization: Kruse GmbH\n"
)


class _JsonLd(HTMLParser):
    """The text of every ``<script type="application/ld+json">``."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._inside = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.scripts[-1] += data


def jsonld_of(html: str) -> list[dict]:
    parser = _JsonLd()
    parser.feed(html)
    return [json.loads(text) for text in parser.scripts]


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory) -> Path:
    from verbund.cli import main

    out = tmp_path_factory.mktemp("demo") / "out"
    args = ["build", "--site", str(PROJECT), "--output", str(out), "--today", "2026-11-23"]
    assert main([*args, "--no-search", "--no-cache"]) == 0
    return out


def demo_jsonld(out: Path, kind: str) -> dict[str, dict]:
    """The JSON-LD of type ``kind`` of every page of the demo site, by page."""
    found = {}
    for page in sorted(out.rglob("index.html")):
        for data in jsonld_of(page.read_text(encoding="utf-8")):
            if data.get("@type") == kind:
                found[page.parent.name] = data
    return found


@pytest.fixture(scope="module")
def demo_events(demo_output) -> dict[str, dict]:
    """The ``Event`` JSON-LD of every event page of the demo site, by page."""
    return demo_jsonld(demo_output, "Event")


def test_demo_members_have_googles_organization_properties(demo_output):
    """Google's Organization: no property is required; name, url, logo, address and
    telephone are recommended where the firm has them."""
    members = demo_jsonld(demo_output, "Organization")
    pages = {p.parent.name for p in (demo_output / "mitglieder").glob("*/index.html")}
    assert members and set(members) == pages
    for slug, data in members.items():
        source = (PROJECT / f"content/members/{slug}.md").read_text(encoding="utf-8")
        front = source.split("\n---\n", 1)[0]
        assert data["@context"] == "https://schema.org" and data["name"], slug
        assert data["url"].startswith("https://"), slug
        assert all(o["@type"] == "Organization" and o["name"] for o in data["memberOf"]), slug
        if "\naddress:" in front:
            assert data["address"]["@type"] == "PostalAddress", slug
            assert len(data["address"]["addressCountry"]) == 2, slug
        if "\n  phone:" in front:
            assert data["telephone"], slug
        logo = demo_output / "mitglieder" / slug / "logo.png"
        assert ("logo" in data) == logo.is_file(), slug
        if logo.is_file():
            assert data["logo"].endswith(f"/mitglieder/{slug}/logo.png"), slug


def _sources() -> dict[str, str]:
    return {
        p.stem: p.read_text(encoding="utf-8") for p in (PROJECT / "content/events").glob("*.md")
    }


def test_every_demo_event_has_its_jsonld(demo_events):
    assert set(demo_events) == set(_sources())


def test_demo_events_meet_googles_event_rich_result(demo_events):
    sources = _sources()
    for slug, data in demo_events.items():
        front = sources[slug].split("\n---\n", 1)[0]
        assert data["@context"] == "https://schema.org", slug
        assert data["name"] and data["startDate"], slug
        locations = data["location"]
        for location in locations if isinstance(locations, list) else [locations]:
            if location["@type"] == "VirtualLocation":
                assert location["url"].startswith("https://"), slug
            else:
                assert location["@type"] == "Place", slug
                address = location["address"]
                assert address["@type"] == "PostalAddress", slug
                assert address["addressCountry"] == "DE", slug
                assert address.get("addressLocality") or address.get("streetAddress"), slug
        for key in ("description", "endDate", "eventAttendanceMode", "eventStatus"):
            assert data.get(key), (slug, key)
        assert data["eventAttendanceMode"].startswith("https://schema.org/"), slug
        assert data["organizer"] and all(o["name"] and o["url"] for o in data["organizer"])
        if "\nregistration:" in front:
            offer = data["offers"]
            assert offer["@type"] == "Offer" and offer["url"].startswith("https://"), slug
            if "price" in offer:
                assert offer["priceCurrency"] == "EUR", slug
            assert offer.get("availability", "https://schema.org/InStock") == (
                "https://schema.org/InStock"
            ), slug
            opens = dt.datetime.fromisoformat(offer["validFrom"])  # when it was announced
            assert opens.tzinfo is not None and opens <= dt.datetime.fromisoformat(
                data["startDate"]
                if "T" in data["startDate"]
                else data["startDate"] + "T00:00+00:00"
            ), slug
        else:
            assert "offers" not in data, slug
        if "\nspeakers:" in front:
            assert all(p["@type"] == "Person" and p["name"] for p in data["performer"]), slug
        else:
            assert "performer" not in data, slug
        assert data["image"].startswith("https://example.org/netzwerk/static/brand/"), slug


def test_demo_online_events_have_a_virtual_location_url(demo_events):
    virtual = []
    for data in demo_events.values():
        locations = data["location"]
        for location in locations if isinstance(locations, list) else [locations]:
            if location["@type"] == "VirtualLocation":
                virtual.append(location)
    assert len(virtual) >= 10
    assert all(location["url"].startswith("https://") for location in virtual)


def test_demo_descriptions_end_on_a_whole_word(demo_events):
    sources = _sources()
    for slug, data in demo_events.items():
        description = data["description"]
        assert len(description) <= 500
        body = " ".join(sources[slug].split("\n---\n", 1)[1].split())
        if description.endswith("…"):
            last = description[:-1].split()[-1]
            words = re.findall(r"[^\W_]+", body)
            assert re.findall(r"[^\W_]+", last)[-1] in words, (slug, last)
        else:
            assert description[-1] in ".!?", (slug, description[-20:])


def test_description_separates_headings_from_text(site):
    add_event(site, "2027-04-15-sprechstunde", EVENT_FRONT, "## Ablauf\n\nBegrüßung\n\nFragen.\n")
    graph = graph_of(site)
    event = next(e for e in graph.events if e.slug == "2027-04-15-sprechstunde")
    data = event_jsonld(graph, event, markdown_to_html(event.body))
    assert data["description"] == "Ablauf. Begrüßung. Fragen."


def test_description_is_cut_between_words(site):
    body = "Wort " * 150
    add_event(site, "2027-04-15-sprechstunde", EVENT_FRONT, body + "\n")
    graph = graph_of(site)
    event = next(e for e in graph.events if e.slug == "2027-04-15-sprechstunde")
    description = event_jsonld(graph, event, markdown_to_html(event.body))["description"]
    assert len(description) <= 500
    assert description.endswith("Wort…")


def test_online_event_without_links_points_at_its_page(site):
    add_event(site, "2027-04-15-sprechstunde", EVENT_FRONT)
    graph = graph_of(site)
    event = next(e for e in graph.events if e.slug == "2027-04-15-sprechstunde")
    data = event_jsonld(graph, event, "<p>Text.</p>")
    assert data["location"] == {"@type": "VirtualLocation", "url": data["url"]}
    assert "offers" not in data
    assert data["performer"] == [
        {
            "@type": "Person",
            "name": "Anna Kruse",
            "worksFor": {"@type": "Organization", "name": "Kruse GmbH"},
        }
    ]


def test_online_event_uses_the_registration_link(site):
    front = EVENT_FRONT + "registration:\n  url: https://example.org/anmeldung\n  price: 0\n"
    add_event(site, "2027-04-15-sprechstunde", front)
    graph = graph_of(site)
    event = next(e for e in graph.events if e.slug == "2027-04-15-sprechstunde")
    data = event_jsonld(graph, event, "<p>Text.</p>")
    assert data["location"]["url"] == "https://example.org/anmeldung"
    assert data["offers"] == {
        "@type": "Offer",
        "url": "https://example.org/anmeldung",
        "price": "0",
        "priceCurrency": "EUR",
        "availability": "https://schema.org/InStock",
        "validFrom": "2000-01-01T00:00:00+00:00",  # no history given
    }


def test_closed_registration_has_no_availability(site):
    front = EVENT_FRONT + "registration:\n  email: a@example.org\n  deadline: 2025-01-01\n"
    add_event(site, "2027-04-15-sprechstunde", front)
    graph = graph_of(site)
    event = next(e for e in graph.events if e.slug == "2027-04-15-sprechstunde")
    data = event_jsonld(graph, event, "<p>Text.</p>")
    assert data["offers"] == {
        "@type": "Offer",
        "url": data["url"],
        "validFrom": "2000-01-01T00:00:00+00:00",
    }


def test_image_is_the_first_hosts_logo(site: Path):
    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    yaml = yaml.replace("    city: Stadtlohn\n", "    city: Stadtlohn\n    logo: aiw.png\n")
    write(site, "site.yaml", yaml + "country: AT\n")
    (site / "static").mkdir()
    make_image(site / "static/aiw.png", (90, 30))
    front = EVENT_FRONT.replace("format: online", "format: in_person")
    add_event(site, "2027-04-15-sprechstunde", front + "location:\n  name: Saal\n  city: Linz\n")
    graph = graph_of(site)
    event = next(e for e in graph.events if e.slug == "2027-04-15-sprechstunde")
    data = event_jsonld(graph, event, "<p>Text.</p>")
    assert data["image"] == "https://example.org/netzwerk/static/aiw.png"
    assert data["location"]["address"]["addressCountry"] == "AT"
