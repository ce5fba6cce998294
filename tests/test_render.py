"""Render stage: dates, links and escaping in the generated documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest

from verbund.i18n import Translator
from verbund.load import load_sources
from verbund.markup import markdown_to_html
from verbund.models import Address
from verbund.previews import first_sentence, summary
from verbund.render import EventTimes, map_url, output_file, relative_root, render_site
from verbund.site import build_site
from verbund.validate import validate

from .conftest import EVENT, MEMBER, PROJECT, write

BERLIN = ZoneInfo("Europe/Berlin")


def rendered(root, today=dt.date(2026, 1, 1)):
    content, problems = validate(load_sources(root)[0])
    assert content is not None, problems
    graph = build_site(content, today)
    bodies = {
        i.source: markdown_to_html(i.body) for i in [*graph.members, *graph.events, *graph.pages]
    }
    return graph, render_site(graph, root, bodies)


def html(output, path: str) -> str:
    return output.data(path).decode("utf-8")


def event_times(site, start, end, language="de"):
    text = (site / "site.yaml").read_text().replace("language: de", f"language: {language}")
    write(site, "site.yaml", text)
    write(
        site,
        "content/events/x.md",
        f"---\ntitle: X\nstart: {start}\n"
        + (f"end: {end}\n" if end else "")
        + "format: online\nhosts: [wvs]\n---\n",
    )
    graph, _ = rendered(site)
    event = next(e for e in graph.events if e.slug == "x")
    return EventTimes(graph, Translator(language)).when(event)


@pytest.mark.parametrize(
    "language, start, end, expected",
    [
        (
            "de",
            "2020-04-02 10:00",
            "2020-04-02 11:30",
            "Donnerstag, 2. April 2020, 10:00–11:30 Uhr",
        ),
        ("en", "2020-04-02 10:00", "2020-04-02 11:30", "Thursday, 2 April 2020, 10:00–11:30"),
        ("de", "2020-04-02 10:00", None, "Donnerstag, 2. April 2020, 10:00 Uhr"),
        ("de", "2020-04-02", None, "Donnerstag, 2. April 2020"),
        ("de", "2027-03-05", "2027-03-06", "Freitag, 5. März 2027 – Samstag, 6. März 2027"),
        (
            "de",
            "2024-10-26 22:00",
            "2024-10-27 04:00",
            "Samstag, 26. Oktober 2024, 22:00 Uhr – Sonntag, 27. Oktober 2024, 04:00 Uhr",
        ),
        (
            "de",
            "2020-04-02 08:00+00:00",
            "2020-04-02 09:30+00:00",
            "Donnerstag, 2. April 2020, 10:00–11:30 Uhr",
        ),
    ],
)
def test_event_dates_in_words(site, language, start, end, expected):
    assert event_times(site, start, end, language) == expected


def test_relative_links():
    assert relative_root("") == "./"
    assert relative_root("mitglieder/") == "../"
    assert relative_root("mitglieder/muster/") == "../../"
    assert output_file("mitglieder/muster/") == "mitglieder/muster/index.html"
    assert output_file("") == "index.html"
    assert output_file("sitemap.xml") == "sitemap.xml"


def test_map_link_is_a_search_not_an_embed():
    url = map_url(Address(street="Musterstraße 12", postal_code="48431", city="Rheine"))
    assert url == (
        "https://www.openstreetmap.org/search?query=Musterstra%C3%9Fe%2012%2C%2048431%2C%20Rheine"
    )


def test_every_page_type_is_rendered(site):
    _, output = rendered(site)
    expected = {
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "mitglieder/index.html",
        "mitglieder/muster-logistik/index.html",
        "branchen/index.html",
        "branchen/logistik/index.html",
        "regionen/index.html",
        "regionen/kreis-steinfurt/index.html",
        "verbaende/index.html",
        "verbaende/wvs/index.html",
        "veranstaltungen/index.html",
        "veranstaltungen/2020-04-02-kurzarbeit/index.html",
        "veranstaltungen/archiv/2020/index.html",
        "veranstaltungen/reihen/online-meetings/index.html",
        "impressum/index.html",
    }
    assert expected <= set(output.files)
    assert "static/style.css" in output.copies


def test_html_in_plain_fields_is_escaped(site):
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace(
            "name: Muster Logistik GmbH & Co. KG",
            'name: "<script>alert(1)</script></script><b onmouseover=x>\u2028"',
        ),
    )
    _, output = rendered(site)
    page = html(output, "mitglieder/muster-logistik/index.html")
    assert "<script>alert(1)" not in page and "<b onmouseover" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    assert json.loads(data)["name"].startswith("<script>alert(1)</script>")


def test_member_page_content(site):
    _, output = rendered(site)
    page = html(output, "mitglieder/muster-logistik/index.html")
    assert page.count("<h1") == 1
    assert '<html lang="de">' in page
    assert '<a href="../../branchen/logistik/" data-pagefind-filter="Branche">Logistik</a>' in page
    assert "<li>Kontraktlogistik</li>" in page
    assert '<a href="tel:+49-5971-12345">+49 5971 12345</a>' in page
    assert "info@muster-logistik.example" not in page
    assert 'data-user="ofni" data-domain="elpmaxe.kitsigol-retsum"' in page
    assert "https://www.openstreetmap.org/search?query=" in page
    assert "<strong>Logistiker</strong>" in page
    assert '<link rel="stylesheet" href="../../static/style.css">' in page
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    assert data["@type"] == "Organization"
    assert data["memberOf"][0]["name"] == "Wirtschaftsvereinigung Steinfurt"
    assert data["address"]["postalCode"] == "48431"


def test_event_page_content(site):
    _, output = rendered(site)
    page = html(output, "veranstaltungen/2020-04-02-kurzarbeit/index.html")
    assert "Donnerstag, 2. April 2020, 10:00–11:30 Uhr" in page
    assert '<time datetime="2020-04-02T10:00:00+02:00">' in page
    assert "kostenlos" in page and "Gäste willkommen" in page
    assert '<a href="../../mitglieder/muster-logistik/">Anna Brockmann</a>' in page
    assert "<h2>Nachbericht</h2>" in page
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    )
    assert data["startDate"] == "2020-04-02T10:00:00+02:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert [o["name"] for o in data["organizer"]] == [
        "Wirtschaftsvereinigung Steinfurt",
        "AIW Unternehmensverband",
    ]
    assert data["offers"] == {
        "@type": "Offer",
        "price": "0",
        "priceCurrency": "EUR",
        "url": "https://example.org/netzwerk/veranstaltungen/2020-04-02-kurzarbeit/",
        "validFrom": "2000-01-01T00:00:00+00:00",  # no history given
    }


def test_cancelled_event_has_a_banner(site):
    write(
        site,
        "content/events/abgesagt.md",
        "---\ntitle: Abgesagt\nstart: 2030-01-01\n"
        "format: online\nhosts: [wvs]\nstatus: cancelled\n---\n",
    )
    _, output = rendered(site)
    page = html(output, "veranstaltungen/abgesagt/index.html")
    assert "Diese Veranstaltung wurde abgesagt." in page
    assert "EventCancelled" in page
    assert "Abgesagt</strong>" in html(output, "veranstaltungen/index.html")


def test_registration_closes_after_the_deadline(site):
    write(
        site,
        "content/events/kurs.md",
        "---\ntitle: Kurs\nstart: 2026-03-10\n"
        "format: online\nhosts: [wvs]\nregistration:\n  url: https://example.org/a\n"
        "  deadline: 2026-03-01\n  price: 25\n  members_only: true\n---\n",
    )
    _, before = rendered(site, today=dt.date(2026, 3, 1))
    _, after = rendered(site, today=dt.date(2026, 3, 2))
    open_page = html(before, "veranstaltungen/kurs/index.html")
    closed_page = html(after, "veranstaltungen/kurs/index.html")
    assert "Jetzt anmelden" in open_page
    # Shown by the page itself once the deadline's day is over (see static/site.js).
    assert '<div data-closes="2026-03-02T00:00:00+01:00">' in open_page
    assert "<div data-closed hidden>Anmeldung geschlossen</div>" in open_page
    assert "Anmeldung geschlossen" in closed_page and "Jetzt anmelden" not in closed_page
    assert "data-closed" not in closed_page
    assert "25,00\xa0€" in open_page and "Nur für Mitglieder" in open_page


def test_404_links_are_absolute_paths_under_the_base(site):
    _, output = rendered(site)
    page = html(output, "404.html")
    assert 'href="/netzwerk/static/style.css"' in page
    assert 'href="/netzwerk/mitglieder/"' in page


def test_sitemap_lists_every_page(site):
    _, output = rendered(site)
    sitemap = html(output, "sitemap.xml")
    assert "<loc>https://example.org/netzwerk/mitglieder/muster-logistik/</loc>" in sitemap
    assert "<loc>https://example.org/netzwerk/</loc>" in sitemap
    assert "404" not in sitemap
    assert "Sitemap: https://example.org/netzwerk/sitemap.xml" in html(output, "robots.txt")


def test_site_templates_override_the_projects(site):
    write(site, "templates/page.html", "EIGENE VORLAGE {{ page.data.title }}")
    _, output = rendered(site)
    assert html(output, "impressum/index.html") == "EIGENE VORLAGE Impressum"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_line_separators_never_reach_json_or_html_raw(site, separator):
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("  - Kontraktlogistik", f'  - "Kontrakt{separator}logistik"').replace(
            "Ein **Logistiker** aus Rheine.", f"Ein Logistiker{separator}aus Rheine."
        ),
    )
    _, output = rendered(site)
    page = html(output, "mitglieder/muster-logistik/index.html")
    index = output.data("mitglieder/index.json").decode()
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    for text in (index, data):  # in HTML text it is only a space
        assert separator not in text
    assert json.loads(data)["name"]
    assert "Kontrakt logistik" in index


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ein Logistiker aus Rheine. Seit 1987.", "Ein Logistiker aus Rheine."),
        ("Am 2. April 2020 gegründet. Mehr folgt.", "Am 2. April 2020 gegründet."),
        ("Muster GmbH & Co. KG lagert Waren. Sonst nichts.", "Muster GmbH & Co. KG lagert Waren."),
        ("Wer liefert? Wir.", "Wer liefert?"),
        ("Nur ein Satz ohne Punkt", "Nur ein Satz ohne Punkt"),
    ],
)
def test_first_sentence(text, expected):
    assert first_sentence(text) == expected


def test_summary_is_cut_between_words():
    text = " ".join(["Kontraktlogistik"] * 30)
    short = summary(text)
    assert len(short) <= 200 and short.endswith("Kontraktlogistik…")
    assert summary("kurz  und\n bündig") == "kurz und bündig"
    assert summary("a" * 300) == "a" * 199 + "…"
    exact = "wort " * 39 + "wort"  # 199 characters: kept whole
    assert summary(exact) == exact


def preview(page: str) -> dict[str, str]:
    found = re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', page)
    return dict(found)


def test_a_site_picture_and_the_hosts_logo_stand_in_for_link_previews(site):
    from PIL import Image

    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "static").mkdir(exist_ok=True)
    Image.new("RGB", (1200, 630), "navy").save(site / "static/vorschau.png")
    Image.new("RGB", (200, 200), "red").save(site / "static/wvs.png")
    yaml = yaml.replace("    city: Rheine\n", "    city: Rheine\n    logo: wvs.png\n")
    write(site, "site.yaml", yaml + "image: vorschau.png\n")
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("employees: 50-249\n", "employees: 50-249\nlogo: muster.png\n"),
    )
    Image.new("RGB", (40, 20), "green").save(site / "content/members/muster.png")
    _, output = rendered(site)
    base = "https://example.org/netzwerk/"
    assert preview(html(output, "index.html"))["og:image"] == base + "static/vorschau.png"
    assert preview(html(output, "branchen/logistik/index.html"))["og:image"] == (
        base + "static/vorschau.png"
    )
    member = html(output, "mitglieder/muster-logistik/index.html")
    assert preview(member)["og:image"] == base + "mitglieder/muster-logistik/logo.png"
    jsonld = json.loads(re.search(r'ld\+json">(.*?)</script>', member, re.S)[1])
    assert jsonld["logo"] == base + "mitglieder/muster-logistik/logo.png"
    event = html(output, "veranstaltungen/2020-04-02-kurzarbeit/index.html")  # hosts: wvs, aiw
    assert preview(event)["og:image"] == base + "static/wvs.png"


def test_a_site_picture_that_is_not_there_is_an_error_at_its_line(site):
    write(
        site, "site.yaml", (site / "site.yaml").read_text(encoding="utf-8") + "image: fehlt.png\n"
    )
    _, problems = validate(load_sources(site)[0])
    assert [(p.path, p.line, p.field, p.message) for p in problems] == [
        ("site.yaml", 15, "image", "there is no file static/fehlt.png")
    ]


def test_member_and_event_pages_have_link_previews(site):
    long_body = "Ein Logistiker aus Rheine mit " + "sehr " * 60 + "vielen Lagern. Zweiter Satz."
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("Ein **Logistiker** aus Rheine.", long_body),
    )
    write(
        site,
        "content/members/kurz.md",
        MEMBER.replace("Muster Logistik", "Kurz").replace(
            "muster-logistik.example", "kurz.example"
        ),
    )
    _, output = rendered(site)
    tags = preview(html(output, "mitglieder/muster-logistik/index.html"))
    assert tags["og:type"] == "profile"
    assert tags["og:url"] == "https://example.org/netzwerk/mitglieder/muster-logistik/"
    assert tags["og:title"] == "Muster Logistik GmbH &amp; Co. KG"
    assert len(tags["og:description"]) <= 200
    assert tags["og:description"].endswith(" sehr…")
    assert "og:image" not in tags
    assert preview(html(output, "mitglieder/kurz/index.html"))["og:description"] == (
        "Ein Logistiker aus Rheine."
    )
    event = preview(html(output, "veranstaltungen/2020-04-02-kurzarbeit/index.html"))
    assert event["og:type"] == "article"
    assert event["og:description"] == (
        "Donnerstag, 2. April 2020, 10:00–11:30 Uhr, Online: Beschreibung. Nachbericht Es war gut."
    )
    party = preview(html(output, "veranstaltungen/2030-06-12-sommerfest/index.html"))
    assert party["og:description"].endswith("Uhr, Stadthalle, Stadtlohn: Feiern.")


def outline(page: str) -> list[int]:
    """The levels of a page's headings, in order."""
    return [int(level) for level in re.findall(r"<h([1-6])[ >]", page)]


def test_a_members_text_is_outlined_below_its_profile_heading(site):
    body = "# Angebot\n\nText.\n\n## Lager\n\nMehr.\n\n#### Tief\n\nNoch mehr.\n"
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("Ein **Logistiker** aus Rheine.", body),
    )
    write(site, "content/events/2020-04-02-kurzarbeit.md", EVENT + "\n# Fazit\n\nGut.\n")
    _, output = rendered(site)
    member = html(output, "mitglieder/muster-logistik/index.html")
    assert re.search(r'<h2 id="profile">[^<]*</h2>\s*<h3>Angebot</h3>', member)
    assert "<h4>Lager</h4>" in member and "<h5>Tief</h5>" in member
    event = html(output, "veranstaltungen/2020-04-02-kurzarbeit/index.html")
    assert "<h2>Fazit</h2>" in event  # right below the event's title
    for page in (member, event):
        levels = outline(page)
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels


# -- event lists, event pages and profiles as visitors see them ------------------------


def event_file(site, slug: str, front: str) -> None:
    write(site, f"content/events/{slug}.md", f"---\n{front}---\nText.\n")


def section(page: str, heading_id: str) -> str:
    """The HTML of the ``<section>`` headed by ``heading_id``."""
    found = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', page, re.S)
    assert found, heading_id
    return found[0]


def row(page: str, title: str) -> str:
    """The row of an event list that links ``title``."""
    for item in re.findall(r'<li class="event-item.*?</li>', page, re.S):
        if f">{title}</a>" in item:
            return item
    raise AssertionError(title)


def text_of(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def test_event_list_rows_show_a_date_tile_time_place_and_host_names(site):
    event_file(
        site,
        "hybrid",
        "title: Hybrid\nstart: 2030-03-05 17:00\nend: 2030-03-05 19:00\nformat: hybrid\n"
        "hosts: [wvs, aiw]\nlocation:\n  name: Halle\n  city: Rheine\n",
    )
    event_file(
        site,
        "messe",
        "title: Messe\nstart: 2030-03-08\nend: 2030-03-09\nformat: online\nhosts: [wvs]\n",
    )
    _, output = rendered(site)
    page = html(output, "veranstaltungen/index.html")
    party = row(page, "Sommerfest")
    assert '<time datetime="2030-06-12T18:00:00+02:00">' in party
    assert '<span class="tile-day">12</span> <span class="tile-month">Juni</span>' in party
    assert '<span class="tile-year">2030</span>' in party
    assert "Mi., 18:00 Uhr · Stadtlohn" in text_of(party)
    assert "AIW Unternehmensverband" in party and ">AIW<" not in party
    assert "Di., 17:00–19:00 Uhr · Rheine und online" in text_of(row(page, "Hybrid"))
    assert "Wirtschaftsvereinigung Steinfurt, AIW Unternehmensverband" in text_of(
        row(page, "Hybrid")
    )
    assert "Fr. bis Sa., 9. März · Online" in text_of(row(page, "Messe"))
    for short in ("WVS", "AIW,", "AIW<"):
        assert short not in section(page, "upcoming")


def test_event_list_rows_in_english(site):
    text = (site / "site.yaml").read_text().replace("language: de", "language: en")
    write(site, "site.yaml", text)
    event_file(
        site,
        "later",
        "title: Later\nstart: 2030-01-10 10:00\nformat: online\nhosts: [wvs]\nstatus: postponed\n",
    )
    _, output = rendered(site)
    page = html(output, "events/index.html")
    assert "Wed, 18:00 · Stadtlohn" in text_of(row(page, "Sommerfest"))
    assert '<span class="tile-month">Jun</span>' in row(page, "Sommerfest")
    assert "Date to follow" in text_of(section(page, "date-to-follow"))
    member = html(output, "members/muster-logistik/index.html")
    assert re.search(r"<dt>Employees</dt><dd[^>]*>50–249</dd>", member)
    assert "Past talks" in member


def test_past_cancelled_and_postponed_events_look_different(site):
    event_file(
        site,
        "abgesagt",
        "title: Abgesagt\nstart: 2030-01-01 10:00\nformat: online\n"
        "hosts: [aiw]\nstatus: cancelled\n",
    )
    event_file(
        site,
        "verschoben",
        "title: Verschoben\nstart: 2030-02-01 10:00\nformat: online\n"
        "hosts: [aiw]\nstatus: postponed\n",
    )
    _, output = rendered(site)
    page = html(output, "verbaende/aiw/index.html")
    assert 'class="event-item is-upcoming"' in row(page, "Sommerfest")
    past = row(page, "Kurzarbeitergeld: Ihre Fragen an die Agentur für Arbeit")
    assert 'class="event-item is-past"' in past
    assert "Vergangen</span> Do., 10:00–11:30 Uhr" in past
    cancelled = row(page, "Abgesagt")
    assert 'class="event-item is-cancelled"' in cancelled and "Abgesagt</strong>" in cancelled
    postponed = row(page, "Verschoben")
    assert 'class="event-item is-postponed"' in postponed
    assert "Termin folgt" in postponed and "<time" not in postponed
    assert "Verschoben</strong> Online" in postponed
    archive = html(output, "veranstaltungen/archiv/2020/index.html")
    assert "is-past" in archive and "Vergangen</span>" not in archive  # the heading says it


def test_a_postponed_event_is_listed_under_date_to_follow_without_a_calendar_file(site):
    for slug, day in (("verschoben", "2030-02-01"), ("alt-verschoben", "2020-05-01")):
        event_file(
            site,
            slug,
            f"title: {slug}\nstart: {day} 10:00\nformat: online\nhosts: [wvs]\n"
            "online:\n  platform: Zoom\nstatus: postponed\n",
        )
    graph, output = rendered(site)
    events = html(output, "veranstaltungen/index.html")
    to_follow = section(events, "date-to-follow")
    assert ">alt-verschoben</a>" in to_follow and ">verschoben</a>" in to_follow
    assert to_follow.index("alt-verschoben") < to_follow.index(">verschoben<")
    assert "verschoben" not in section(events, "upcoming")
    assert "verschoben" not in html(output, "veranstaltungen/archiv/2020/index.html")
    assert "verschoben" not in html(output, "index.html")  # not among the next events
    page = html(output, "veranstaltungen/verschoben/index.html")
    assert "Termin folgt" in page
    assert "Ursprünglich geplant: Freitag, 1. Februar 2030, 10:00 Uhr" in page
    assert ".ics" not in page.replace("kalender.ics", "")
    assert "veranstaltungen/verschoben/verschoben.ics" not in output.files
    assert "veranstaltungen/2030-06-12-sommerfest/2030-06-12-sommerfest.ics" in output.files


def test_a_cancelled_event_offers_no_calendar_entry_and_no_registration(site):
    event_file(
        site,
        "abgesagt",
        "title: Abgesagt\nstart: 2030-01-01 10:00\nformat: online\n"
        "hosts: [wvs]\nstatus: cancelled\nregistration:\n  url: https://example.org/a\n",
    )
    _, output = rendered(site)
    page = html(output, "veranstaltungen/abgesagt/index.html")
    assert "In den Kalender eintragen" not in page and "abgesagt.ics" not in page
    assert "<dt>Anmeldung</dt>" not in page and "Der Zugangslink" not in page
    upcoming = html(output, "veranstaltungen/2030-06-12-sommerfest/index.html")
    assert '<a href="2030-06-12-sommerfest.ics" download>In den Kalender eintragen' in upcoming


def test_event_facts_have_no_empty_first_line(site):
    # Past with a registration: no "closed" line above the price.
    _, output = rendered(site)
    page = html(output, "veranstaltungen/2020-04-02-kurzarbeit/index.html")
    registration = re.search(r"<dt>Anmeldung</dt>\s*<dd>(.*?)</dd>", page, re.S)
    assert registration and registration[1].strip().startswith("<div>Teilnahme: kostenlos</div>")
    for dd in re.findall(r"<dd>(.*?)</dd>", page, re.S):
        assert not dd.strip().startswith("<br>"), dd


@pytest.mark.parametrize(
    "format_, extra, where",
    [
        ("online", "online:\n  platform: Zoom\n", "Online über Zoom"),
        ("online", "", "Online"),
        (
            "hybrid",
            "location:\n  name: Halle\n  city: Rheine\nonline:\n  platform: Zoom\n",
            "Halle Rheine Karte auf OpenStreetMap Auch online über Zoom",
        ),
        ("in_person", "location:\n  name: Halle\n  city: Rheine\n", "Halle Rheine Karte"),
    ],
)
def test_an_event_says_where_once(site, format_, extra, where):
    event_file(
        site, "x", f"title: X\nstart: 2030-01-01 10:00\nformat: {format_}\nhosts: [wvs]\n{extra}"
    )
    _, output = rendered(site)
    page = html(output, "veranstaltungen/x/index.html")
    facts = re.search(r"<dt>Wo</dt>\s*<dd>(.*?)</dd>", page, re.S)
    assert facts and text_of(facts[1]).startswith(where)
    assert "<dt>Format</dt>" not in page and "<dt>Online</dt>" not in page
    assert page.count("Online über") <= 1


def test_the_video_button_and_its_link_are_spaced(site):
    write(
        site,
        "content/events/2020-04-02-kurzarbeit.md",
        EVENT.replace("  price: 0\n", "  price: 0\nrecording: https://vimeo.com/76979871\n"),
    )
    _, output = rendered(site)
    page = html(output, "veranstaltungen/2020-04-02-kurzarbeit/index.html")
    assert re.search(r'<p class="video-actions"><button class="button"', page)
    css = (PROJECT / "static/style.css").read_text()
    assert re.search(r"\.video-actions \{[^}]*display: flex;[^}]*gap: ", css)


def test_the_employee_count_follows_its_label(site):
    _, output = rendered(site)
    page = html(output, "mitglieder/muster-logistik/index.html")
    assert re.search(
        r'<dt>Beschäftigte</dt><dd data-pagefind-filter="Unternehmensgröße:50–249 Beschäftigte">'
        r"50–249</dd>",
        page,
    )


def test_a_members_page_separates_upcoming_talks_from_past_ones(site):
    talk = (
        "title: {title}\nstart: {day} 10:00\nformat: online\nhosts: [wvs]\n"
        "speakers:\n  - name: Anna Brockmann\n    member: muster-logistik\n{status}"
    )
    for slug, day, status in (
        ("bald", "2030-01-01", ""),
        ("spaeter", "2031-01-01", ""),
        ("offen", "2029-01-01", "status: postponed\n"),
        ("frueher", "2021-01-01", ""),
    ):
        event_file(site, slug, talk.format(title=slug.capitalize(), day=day, status=status))
    _, output = rendered(site)
    page = html(output, "mitglieder/muster-logistik/index.html")
    upcoming, past = section(page, "upcoming-talks"), section(page, "past-talks")
    assert "Nächste Vorträge" in upcoming and "Frühere Vorträge" in past
    titles = re.findall(r'class="event-title"><a [^>]*>([^<]+)</a>', upcoming)
    assert titles == ["Bald", "Spaeter", "Offen"]
    titles = re.findall(r'class="event-title"><a [^>]*>([^<]+)</a>', past)
    assert titles == ["Frueher", "Kurzarbeitergeld: Ihre Fragen an die Agentur für Arbeit"]
    assert "Vergangen</span>" not in past
    assert page.index("upcoming-talks") < page.index("past-talks")


def test_edit_links_only_where_the_site_asks_for_them(site):
    pages = (
        "mitglieder/muster-logistik/index.html",
        "veranstaltungen/2020-04-02-kurzarbeit/index.html",
        "impressum/index.html",
    )
    yaml = (site / "site.yaml").read_text() + "edit_url: https://github.com/o/r/edit/main/\n"
    write(site, "site.yaml", yaml)
    _, output = rendered(site)
    for path in pages:
        assert "Diese Seite bearbeiten" not in html(output, path), path
    write(site, "site.yaml", yaml + "edit_links: true\n")
    _, output = rendered(site)
    for path, source in zip(
        pages,
        (
            "content/members/muster-logistik.md",
            "content/events/2020-04-02-kurzarbeit.md",
            "content/pages/impressum.md",
        ),
        strict=True,
    ):
        link = f'<a href="https://github.com/o/r/edit/main/{source}">Diese Seite bearbeiten</a>'
        assert link in html(output, path), path


def test_edit_links_without_an_address_are_a_warning(site):
    write(site, "site.yaml", (site / "site.yaml").read_text() + "edit_links: true\n")
    content, problems = validate(load_sources(site)[0])
    assert content is not None
    [problem] = [p for p in problems if p.field == "edit_links"]
    assert problem.severity == "warning" and "edit_url" in problem.message


def test_the_search_page_uses_the_sites_colours_and_font():
    css = (PROJECT / "static/style.css").read_text()
    block = re.search(r"\.search \{(.*?)\}", css, re.S)
    assert block
    for variable in (
        "--pagefind-ui-primary: var(--primary)",
        "--pagefind-ui-text: var(--ink)",
        "--pagefind-ui-font: var(--font)",
        "--pagefind-ui-border-radius: var(--radius)",
    ):
        assert variable in block[1]


def card_of(page: str, name: str) -> str:
    """The card (``<li class="card">…</li>``) that links to ``name``."""
    cards = re.findall(r'<li class="card">.*?</li>', page, re.S)
    return next(card for card in cards if f">{name}</a>" in card)


def test_member_cards_show_every_industry_and_a_logo_or_initials(site):
    from PIL import Image

    write(
        site,
        "content/members/zweite.md",
        MEMBER.replace("name: Muster Logistik GmbH & Co. KG", "name: Zweite Firma KG")
        .replace("industries: [logistik, lagerhaltung]", "industries: [lagerhaltung, logistik]")
        .replace("employees: 50-249", "employees: 50-249\nlogo: zweite.png")
        .replace("muster-logistik.example", "zweite.example"),
    )
    Image.new("RGB", (400, 200), (200, 30, 30)).save(site / "content/members/zweite.png")
    _, output = rendered(site)
    page = html(output, "branchen/logistik/index.html")
    muster = card_of(page, "Muster Logistik GmbH &amp; Co. KG")
    assert re.findall(r'<span class="card-industry">([^<]*)</span>', muster) == [
        "Logistik",
        "Lagerhaltung",
    ]
    assert '<span class="card-initials">ML</span>' in muster and "<img" not in muster
    assert '<span class="card-place"> · Rheine</span>' in muster
    zweite = card_of(page, "Zweite Firma KG")
    assert (
        '<img class="card-logo" src="../../mitglieder/zweite/logo.png" alt="" width="48" '
        'height="48" loading="lazy" decoding="async">'
    ) in zweite
    assert "card-initials" not in zweite
    assert "mitglieder/zweite/logo.png" in output.files

    # The directory carries the same card as the pattern for its script, with
    # every part the script fills or drops; the index says who has a logo.
    directory = html(output, "mitglieder/index.html")
    pattern = re.search(r"<template data-card>(.*?)</template>", directory, re.S)[1]
    assert '<li class="card">' in pattern and "Zweite Firma KG" in pattern
    for part in ("card-logo", "card-initials", "card-industry", "card-place", "services"):
        assert f'class="{part}"' in pattern, part
    rows = json.loads(output.data("mitglieder/index.json"))["members"]
    assert [(row[1], row[9:]) for row in rows] == [
        ("Muster Logistik GmbH & Co. KG", []),
        ("Zweite Firma KG", [1]),
    ]


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Muster Logistik GmbH & Co. KG", "ML"),
        ("Datenwerk GmbH", "D"),
        ("ter Horst Blechtechnik", "TH"),
        ("Ölmühle Ahaus", "ÖA"),
        ("3D-Druck Meyer e.K.", "3M"),
        ("GmbH", "G"),
    ],
)
def test_initials(name, expected):
    from verbund.directory import initials

    assert initials(name) == expected


def test_directory_labels_in_english(site):
    text = (site / "site.yaml").read_text().replace("language: de", "language: en")
    write(site, "site.yaml", text)
    _, output = rendered(site)
    page = html(output, "members/index.html")
    for label in (
        "Name, service, industry, region, town or postal code",
        ">Filters<",
        "Show results",
        "Close",
        "Remove filter:",
        'aria-label="Chosen filters"',
    ):
        assert label in page, label
    strings = json.loads(html_unescape(re.search(r'data-strings="([^"]*)"', page)[1]))
    assert strings["many"] == "{count} members found"


def html_unescape(text: str) -> str:
    import html as markup

    return markup.unescape(text)
