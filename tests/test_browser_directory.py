"""The member directory in a real browser: filters, search, URL state, keyboard, a11y."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from verbund.load import load_sources
from verbund.site import build_site
from verbund.validate import validate

from .conftest import PROJECT, axe_violations


@pytest.fixture(scope="module")
def graph():
    content, problems = validate(load_sources(PROJECT)[0])
    assert content is not None, problems
    return build_site(content, dt.date(2026, 11, 23))


def fold(text: str) -> str:
    text = text.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return text


def expected_names(graph, industries=(), regions=(), query=""):
    names = []
    for member in graph.members:
        if industries and not {i.id for i in member.industries} & set(industries):
            continue
        if regions and member.region.id not in regions:
            continue
        haystack = fold(
            " ".join(
                [
                    member.data.name,
                    *member.data.services,
                    member.data.address.city,
                    member.data.address.postal_code,
                ]
            )
        )
        if query and fold(query) not in haystack:
            continue
        names.append(member.data.name)
    return names


def open_directory(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-directory][data-ready]")


def visible_names(page) -> list[str]:
    return page.locator("[data-results] .card-title a").all_inner_texts()


def count_text(page) -> str:
    return page.locator("[data-count]").inner_text()


def test_filter_search_reload_and_back(page, demo_site, graph):
    open_directory(page, demo_site + "mitglieder/")
    assert count_text(page) == f"{len(graph.members)} Mitglieder gefunden"

    page.get_by_label(re.compile("^Logistik und Transport")).check()
    page.get_by_label(re.compile("^Lagerhaltung")).check()
    page.locator("summary", has_text="Regionen").click()
    page.get_by_label(re.compile("^Kreis Steinfurt")).check()
    wanted = expected_names(graph, ["logistik", "lagerhaltung"], ["kreis-steinfurt"])
    assert len(wanted) >= 2
    assert visible_names(page) == wanted
    assert count_text(page) == f"{len(wanted)} Mitglieder gefunden"
    assert page.url.endswith("mitglieder/?branche=lagerhaltung,logistik&region=kreis-steinfurt")

    # Counts follow the selection: an industry nobody in Kreis Steinfurt has is disabled.
    steinfurt = [m for m in graph.members if m.region.id == "kreis-steinfurt"]
    textile = page.get_by_label(re.compile("^Textil und Bekleidung"))
    expected_textile = sum(any(i.id == "textil" for i in m.industries) for m in steinfurt)
    assert textile.locator("xpath=..").locator(".count").inner_text() == f"({expected_textile})"
    absent = [t for t in graph.industries if not any(t in m.industries for m in steinfurt)]
    assert absent, "the demo should have an industry without members in Kreis Steinfurt"
    assert page.get_by_label(re.compile("^" + re.escape(absent[0].name))).is_disabled()

    page.get_by_label("Name, Leistung, Ort oder Postleitzahl").fill("Gefahrgut")
    narrowed = expected_names(graph, ["logistik", "lagerhaltung"], ["kreis-steinfurt"], "gefahrgut")
    assert 0 < len(narrowed) < len(wanted)
    page.wait_for_function(
        f"document.querySelectorAll('[data-results] li').length == {len(narrowed)}"
    )
    assert visible_names(page) == narrowed
    page.wait_for_url(re.compile(r"q=Gefahrgut"))  # the address follows once typing pauses

    page.reload()
    page.wait_for_selector("[data-directory][data-ready]")
    assert visible_names(page) == narrowed
    assert page.get_by_label(re.compile("^Kreis Steinfurt")).is_checked()
    assert page.get_by_label("Name, Leistung, Ort oder Postleitzahl").input_value() == "Gefahrgut"

    page.go_back()
    page.wait_for_function(
        f"document.querySelectorAll('[data-results] li').length == {len(wanted)}"
    )
    assert visible_names(page) == wanted
    assert "q=" not in page.url
    page.go_back()  # before Kreis Steinfurt was chosen
    page.wait_for_function("!location.search.includes('region')")
    assert visible_names(page) == expected_names(graph, ["logistik", "lagerhaltung"])

    page.get_by_role("button", name="Filter zurücksetzen").click()
    assert count_text(page) == f"{len(graph.members)} Mitglieder gefunden"
    assert page.url.endswith("/mitglieder/")


def test_diacritics_insensitive_search(page, demo_site, graph):
    for query in ("Dülmen", "Duelmen", "dulmen"):
        open_directory(page, demo_site + "mitglieder/?q=" + query)
        names = visible_names(page)
        assert names == expected_names(graph, query="dülmen"), query
        assert names


def test_keyboard_only(page, demo_site, graph):
    open_directory(page, demo_site + "mitglieder/")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "directory-query":
            break
    else:
        pytest.fail("the search field cannot be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    page.keyboard.type("Rheine")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # past the open facet's summary to its first enabled value
    focused = page.evaluate("[document.activeElement.type, document.activeElement.value]")
    assert focused[0] == "checkbox"
    # Values without members in Rheine are disabled, so Tab skips them.
    in_rheine = [m for m in graph.members if m.data.address.city == "Rheine"]
    first_enabled = next(t for t in graph.industries if any(t in m.industries for m in in_rheine))
    assert focused[1] == first_enabled.id
    page.keyboard.press("Space")
    wanted = expected_names(graph, [first_enabled.id], query="rheine")
    assert visible_names(page) == wanted
    assert page.evaluate("document.activeElement.checked") is True
    assert f"branche={first_enabled.id}" in page.url


def test_more_button_shows_the_next_members(page, demo_site, graph, browser):
    # The demo has fewer members than a page holds: the button stays hidden.
    open_directory(page, demo_site + "mitglieder/")
    assert page.locator("[data-more]").is_hidden()
    assert len(visible_names(page)) == len(graph.members)


def test_without_javascript_the_facet_pages_are_linked(browser, demo_site, graph):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(demo_site + "mitglieder/")
    assert tab.locator("form.directory-form").is_hidden()
    browse = tab.locator("[data-browse]")
    assert browse.is_visible()
    tab.get_by_role("link", name=re.compile("^Lagerhaltung")).click()
    assert tab.url.endswith("/branchen/lagerhaltung/")
    names = tab.locator(".card-title a").all_inner_texts()
    assert names == [
        m.data.name for m in graph.members if any(i.id == "lagerhaltung" for i in m.industries)
    ]
    context.close()


def test_pure_functions_in_the_module(page, demo_site):
    page.goto(demo_site + "mitglieder/")
    result = page.evaluate("""async () => {
        const m = await import('../static/directory.js');
        const facets = [{param: 'branche', values: [['a', 'A'], ['b', 'B']]},
                        {param: 'region', values: [['x', 'X'], ['y', 'Y']]}];
        const data = m.prepare({facets, members: [
            ['one', 'Müller GmbH', 'Münster', '48143', [0], [0], [], [], 'Lager|Transport'],
            ['two', 'Schmidt AG', 'Borken', '46325', [1], [0], [], [], ''],
            ['three', 'Zahn KG', 'Ahaus', '48683', [0, 1], [1], [], [], 'Lager'],
        ]});
        const state = m.parseState('?branche=a,b&region=x&q=lager', facets);
        const r = m.filterMembers(data, state);
        return {
            fold: m.fold('Müßiggang Ärger'),
            search: m.stateToSearch(state, facets),
            results: r.results.map(x => x.slug),
            counts: r.counts,
            muenster: m.filterMembers(data, m.parseState('?q=muenster', facets))
                .results.map(x => x.slug),
            munster: m.filterMembers(data, m.parseState('?q=Munster', facets))
                .results.map(x => x.slug),
        };
    }""")
    assert result["fold"] == "muessiggang aerger"
    assert result["search"] == "?branche=a,b&region=x&q=lager"
    assert result["results"] == ["one"]
    # Counts under the other facets' selection: industry counts among region x and
    # "lager"; region counts among industries a or b and "lager".
    assert result["counts"] == [[1, 0], [1, 1]]
    assert result["muenster"] == ["one"] and result["munster"] == ["one"]


def test_member_page_shows_the_email_only_with_javascript(page, demo_site):
    page.goto(demo_site + "mitglieder/muster-logistik/")
    link = page.get_by_role("link", name="info@muster-logistik.example")
    assert link.get_attribute("href") == "mailto:info@muster-logistik.example"
    source = page.request.get(demo_site + "mitglieder/muster-logistik/").text()
    assert "info@muster-logistik.example" not in source


def test_logo_has_its_size_reserved(page, demo_site):
    page.goto(demo_site + "mitglieder/muster-logistik/")
    logo = page.locator("img.logo")
    assert logo.get_attribute("width") and logo.get_attribute("height")
    assert page.evaluate("document.querySelector('img.logo').naturalWidth") > 0


@pytest.mark.parametrize(
    "path",
    [
        "",
        "mitglieder/",
        "mitglieder/?branche=logistik",
        "branchen/logistik/",
        "mitglieder/muster-logistik/",
        "suche/",
        "veranstaltungen/2020-09-24-krisenfestigkeit/",
    ],
)
def test_no_accessibility_violations(page, demo_site, path):
    page.goto(demo_site + path)
    if path.startswith("mitglieder/") and path.count("/") == 1:
        page.wait_for_selector("[data-directory][data-ready]")
    assert axe_violations(page) == []
