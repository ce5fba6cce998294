"""Render stage: dates, links and escaping in the generated documents."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
import pytest

from verbund.i18n import Translator
from verbund.load import load_sources
from verbund.markup import markdown_to_html
from verbund.models import Address
from verbund.own_templates import COUNTS, shown_beyond
from verbund.render import EventTimes, map_url, output_file, relative_root, render_site
from verbund.site import build_site
from verbund.validate import validate

from .conftest import MEMBER, write

BERLIN = ZoneInfo("Europe/Berlin")


def rendered(root, today=dt.date(2026, 1, 1)):
    content, problems = validate(load_sources(root)[0])
    assert content is not None, problems
    graph = build_site(content, today)
    bodies = {i.source: markdown_to_html(i.body)
              for i in [*graph.members, *graph.events, *graph.pages]}
    return graph, render_site(graph, root, bodies)


def html(output, path: str) -> str:
    return output.data(path).decode("utf-8")


def event_times(site, start, end, language="de"):
    text = (site / "site.yaml").read_text().replace("language: de", f"language: {language}")
    write(site, "site.yaml", text)
    write(site, "content/events/x.md", f"---\ntitle: X\nstart: {start}\n"
          + (f"end: {end}\n" if end else "") + "format: online\nhosts: [wvs]\n---\n")
    graph, _ = rendered(site)
    event = next(e for e in graph.events if e.slug == "x")
    return EventTimes(graph, Translator(language)).when(event)


@pytest.mark.parametrize("language, start, end, expected", [
    ("de", "2020-04-02 10:00", "2020-04-02 11:30", "Donnerstag, 2. April 2020, 10:00–11:30 Uhr"),
    ("en", "2020-04-02 10:00", "2020-04-02 11:30", "Thursday, 2 April 2020, 10:00–11:30"),
    ("de", "2020-04-02 10:00", None, "Donnerstag, 2. April 2020, 10:00 Uhr"),
    ("de", "2020-04-02", None, "Donnerstag, 2. April 2020"),
    ("de", "2027-03-05", "2027-03-06", "Freitag, 5. März 2027 – Samstag, 6. März 2027"),
    ("de", "2024-10-26 22:00", "2024-10-27 04:00",
     "Samstag, 26. Oktober 2024, 22:00 Uhr – Sonntag, 27. Oktober 2024, 04:00 Uhr"),
    ("de", "2020-04-02 08:00+00:00", "2020-04-02 09:30+00:00",
     "Donnerstag, 2. April 2020, 10:00–11:30 Uhr"),
])
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
    assert url == ("https://www.openstreetmap.org/search?query="
                   "Musterstra%C3%9Fe%2012%2C%2048431%2C%20Rheine")


def test_every_page_type_is_rendered(site):
    _, output = rendered(site)
    expected = {
        "index.html", "404.html", "sitemap.xml", "robots.txt",
        "mitglieder/index.html", "mitglieder/muster-logistik/index.html",
        "branchen/index.html", "branchen/logistik/index.html",
        "regionen/index.html", "regionen/kreis-steinfurt/index.html",
        "verbaende/index.html", "verbaende/wvs/index.html",
        "veranstaltungen/index.html", "veranstaltungen/2020-04-02-kurzarbeit/index.html",
        "veranstaltungen/archiv/2020/index.html",
        "veranstaltungen/reihen/online-meetings/index.html",
        "impressum/index.html",
    }
    assert expected <= set(output.files)
    assert "static/style.css" in output.copies


def test_html_in_plain_fields_is_escaped(site):
    write(site, "content/members/muster-logistik.md", MEMBER.replace(
        "name: Muster Logistik GmbH & Co. KG",
        "name: \"<script>alert(1)</script></script><b onmouseover=x>\u2028\""))
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
    assert ('<a href="../../branchen/logistik/" data-pagefind-filter="Branche">Logistik</a>'
            in page)
    assert "<li>Kontraktlogistik</li>" in page
    assert '<a href="tel:+49-5971-12345">+49 5971 12345</a>' in page
    assert "info@muster-logistik.example" not in page
    assert 'data-user="ofni" data-domain="elpmaxe.kitsigol-retsum"' in page
    assert "https://www.openstreetmap.org/search?query=" in page
    assert "<strong>Logistiker</strong>" in page
    assert '<link rel="stylesheet" href="../../static/style.css">' in page
    data = json.loads(re.search(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
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
    data = json.loads(re.search(
        r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1])
    assert data["startDate"] == "2020-04-02T10:00:00+02:00"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert [o["name"] for o in data["organizer"]] == [
        "Wirtschaftsvereinigung Steinfurt", "AIW Unternehmensverband"]
    assert data["offers"] == {"@type": "Offer", "price": "0", "priceCurrency": "EUR"}


def test_cancelled_event_has_a_banner(site):
    write(site, "content/events/abgesagt.md", "---\ntitle: Abgesagt\nstart: 2030-01-01\n"
          "format: online\nhosts: [wvs]\nstatus: cancelled\n---\n")
    _, output = rendered(site)
    page = html(output, "veranstaltungen/abgesagt/index.html")
    assert "Diese Veranstaltung wurde abgesagt." in page
    assert "EventCancelled" in page
    assert "Abgesagt</strong>" in html(output, "veranstaltungen/index.html")


def test_registration_closes_after_the_deadline(site):
    write(site, "content/events/kurs.md", "---\ntitle: Kurs\nstart: 2026-03-10\n"
          "format: online\nhosts: [wvs]\nregistration:\n  url: https://example.org/a\n"
          "  deadline: 2026-03-01\n  price: 25\n  members_only: true\n---\n")
    _, before = rendered(site, today=dt.date(2026, 3, 1))
    _, after = rendered(site, today=dt.date(2026, 3, 2))
    open_page = html(before, "veranstaltungen/kurs/index.html")
    closed_page = html(after, "veranstaltungen/kurs/index.html")
    assert "Jetzt anmelden" in open_page and "Anmeldung geschlossen" not in open_page
    assert "Anmeldung geschlossen" in closed_page and "Jetzt anmelden" not in closed_page
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
    write(site, "content/members/muster-logistik.md", MEMBER.replace(
        "  - Kontraktlogistik", f"  - \"Kontrakt{separator}logistik\"").replace(
        "Ein **Logistiker** aus Rheine.", f"Ein Logistiker{separator}aus Rheine."))
    _, output = rendered(site)
    page = html(output, "mitglieder/muster-logistik/index.html")
    index = output.data("mitglieder/index.json").decode()
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)[1]
    for text in (index, data):  # in HTML text it is only a space
        assert separator not in text
    assert json.loads(data)["name"]
    assert "Kontrakt logistik" in index


def test_the_texts_key_follows_an_edit_file_by_file():
    from verbund.render import texts_key, texts_key_with

    identities = [f"content/members/firma-{n}.md {n:064x}" for n in range(100)]
    edited = identities[:7] + ["content/members/firma-7.md " + "f" * 64] + identities[8:]
    assert texts_key(edited) != texts_key(identities)
    assert texts_key(edited) == texts_key_with(texts_key(identities), [identities[7]],
                                               [edited[7]])
    assert texts_key(reversed(identities)) == texts_key(identities)  # the names give the order
    assert 0 <= texts_key(identities) < 2 ** 256


def keeps(tree: jinja2.nodes.Template, name: str, root: str) -> bool:
    """Whether an own template shows nothing beyond its page's inputs."""
    return shown_beyond(tree, name, root) == ""


KEEPS = {
    "the project's base.html": (Path(__file__).parent.parent / "templates/base.html"
                                ).read_text(encoding="utf-8"),
    "settings and words": "{{ config.title }} {{ words.members }} {{ site.url(path) }}",
    "the menu and the vocabularies": "{% for p in site.menu_pages %}{{ p.data.title }}"
                                     "{% endfor %}{{ site.industries|map(attribute='name')"
                                     "|join }}",
    "fields of what it lists": "{% for m in term and [] %}{{ m.data.name }}{% endfor %}",
    "its own member's text": "{{ body(member) }} {{ member.data.name }}",
}
SHOWS_MORE = {
    "every member": "{{ site.members|length }}",
    "the site as a whole": "{% set s = site %}{{ s }}",
    "the date": "{{ site.today }}",
    "another member's text": "{{ body(member.talks[0]) }}",
    "texts by name": "{{ member['body'] }}",
    "texts through a filter": "{{ term.members|map(attribute='body')|join }}",
    "nested names through a filter": "{{ term.events|map(attribute='x')|join }}",
    "a name computed while it runs": "{% set a = 'bo' ~ 'dy' %}{{ member[a] }}",
    "its text in a loop of the same name": "{% for member in [member] %}{{ body(member) }}"
                                           "{% endfor %}",
    "the page's inner workings": "{{ self._TemplateReference__context }}",
    "whether registration is open": "{{ times.registration_open(event) }}",
}


@pytest.mark.parametrize("what", list(KEEPS))
def test_an_own_template_that_keeps(what):
    tree = jinja2.Environment().parse(KEEPS[what])
    assert keeps(tree, "member.html", "member.html")


@pytest.mark.parametrize("what", list(SHOWS_MORE))
def test_an_own_template_that_may_show_more(what):
    tree = jinja2.Environment().parse(SHOWS_MORE[what])
    assert not keeps(tree, "member.html", "member.html")


def test_only_the_pages_template_may_show_its_text():
    tree = jinja2.Environment().parse("{{ body(member) }}")
    assert keeps(tree, "member.html", "member.html")
    assert not keeps(tree, "partial.html", "member.html")  # included
    assert not keeps(tree, "member.html", "term.html")
    assert not keeps(jinja2.Environment().parse("{{ body(event) }}"),
                                 "member.html", "member.html")


def test_a_members_page_may_list_the_firms_talks_but_not_their_speakers():
    env = jinja2.Environment()
    talks = env.parse("{% for e in member.talks %}{{ e.data.title }}{% endfor %}")
    assert keeps(talks, "member.html", "member.html")
    assert not keeps(talks, "term.html", "term.html")
    speakers = env.parse("{% for e in member.talks %}{{ e.speakers[0].member.data.name }}"
                         "{% endfor %}")
    assert not keeps(speakers, "member.html", "member.html")


@pytest.mark.parametrize("name", ["member.html", "event.html", "page.html", "base.html",
                                  "term.html", "series.html", "events.html", "archive.html",
                                  "terms.html", "members.html", "macros.html", "home.html"])
def test_copies_of_the_projects_templates_keep_to_their_pages(name):
    tree = jinja2.Environment().parse((Path(__file__).parent.parent / "templates" / name
                                       ).read_text(encoding="utf-8"))
    for root in ([name] if not name.startswith(("base", "macros")) else
                 ["member.html", "term.html"]):
        assert shown_beyond(tree, name, root) is not None


def test_a_lists_members_only_on_its_own_page():
    tree = jinja2.Environment().parse("{% for m in term.members %}{{ m.data.name }}"
                                      "{% endfor %}{{ site.upcoming|length }}")
    assert shown_beyond(tree, "term.html", "term.html") is None  # not its upcoming events
    tree = jinja2.Environment().parse("{% for m in term.members %}{{ m.data.name }}"
                                      "{% endfor %}")
    assert keeps(tree, "term.html", "term.html")
    assert shown_beyond(tree, "partial.html", "term.html") is None
    assert shown_beyond(tree, "series.html", "series.html") is None
    assert shown_beyond(jinja2.Environment().parse("{{ body(term) }}"), "term.html",
                        "term.html") is None
    upcoming = jinja2.Environment().parse("{% for e in site.upcoming %}{{ e.data.title }}"
                                          "{% endfor %}")
    assert keeps(upcoming, "events.html", "events.html")
    assert shown_beyond(upcoming, "home.html", "home.html") is None


def test_an_events_speakers_lead_to_members_only_on_its_page():
    tree = jinja2.Environment().parse("{% for ref in event.speakers %}{{ ref.member.path }}"
                                      "{% endfor %}")
    assert keeps(tree, "event.html", "event.html")
    assert not keeps(tree, "events.html", "events.html")
    assert not keeps(tree, "partial.html", "event.html")


def test_an_own_template_may_count_what_the_lists_hold():
    env = jinja2.Environment()
    macros = env.parse((Path(__file__).parent.parent / "templates/macros.html"
                        ).read_text(encoding="utf-8"))
    assert shown_beyond(macros, "macros.html", "member.html") == COUNTS
    assert shown_beyond(env.parse("{{ site.members|length }} Firmen"), "base.html",
                        "member.html") == COUNTS
    assert shown_beyond(env.parse("{% if term.members %}x{% endif %}"), "terms.html",
                        "terms.html") is None  # not counted: the list itself
    assert shown_beyond(env.parse("{{ term.members|first }}"), "terms.html",
                        "terms.html") is None


@pytest.mark.parametrize(("source", "kept"), [
    ("{% if site.upcoming %}{{ f(site.upcoming[:4]) }}{% else %}-{% endif %}", True),
    ("{{ f(site.upcoming[:3]) }}", True),
    ("{{ f(site.upcoming[:5]) }}", False),  # the key holds four
    ("{{ f(site.upcoming[2:4]) }}", False),
    ("{% for e in site.upcoming %}{{ e.data.title }}{% endfor %}", False),
    ("{% if site.upcoming %}{{ site.upcoming|first }}{% endif %}", False),
])
def test_the_home_page_may_show_the_first_upcoming_events(source, kept):
    tree = jinja2.Environment().parse(source)
    assert (shown_beyond(tree, "home.html", "home.html") == "") is kept
    assert shown_beyond(tree, "partial.html", "home.html") is None  # only the page's own
