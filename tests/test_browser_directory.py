"""The member directory in a real browser: filters, search, URL state, keyboard, a11y."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from verbund.directory import initials
from verbund.load import load_sources
from verbund.site import build_site
from verbund.validate import validate

from .conftest import PROJECT, axe_violations, browser_tab

SEARCH_LABEL = "Name, Leistung, Branche, Region, Ort oder PLZ"


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
                    *(i.name for i in member.industries),
                    member.region.name,
                ]
            )
        )
        if query and not all(word in haystack for word in fold(query).split()):
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

    page.get_by_label(SEARCH_LABEL).fill("Gefahrgut")
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
    assert page.get_by_label(SEARCH_LABEL).input_value() == "Gefahrgut"

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


# -- on a phone ----------------------------------------------------------------

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    yield from browser_tab(
        browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )


def on_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


SCROLL_BOXES = """() => [...document.querySelectorAll('main *')].filter((e) => {
    const style = getComputedStyle(e);
    return ['auto', 'scroll'].includes(style.overflowY) && e.scrollHeight > e.clientHeight
        && e.getClientRects().length;
}).map((e) => e.className || e.tagName)"""


def test_phone_filters_in_a_drawer_with_the_count_in_view(phone, demo_site, graph):
    open_directory(phone, demo_site + "mitglieder/")
    panel = phone.locator("#directory-filters")
    toggle = phone.locator("[data-filter-toggle]")
    assert panel.is_hidden() and toggle.inner_text() == "Filter"
    assert on_screen(phone.locator("[data-count]"))
    assert phone.evaluate(SCROLL_BOXES) == [], "no scroll box inside the page"

    toggle.tap()
    assert panel.is_visible() and panel.get_attribute("role") == "dialog"
    assert toggle.get_attribute("aria-expanded") == "true"
    assert axe_violations(phone) == []
    assert phone.evaluate(
        "document.querySelector('#directory-query').closest('[inert]') !== null"
    ), "the page behind the drawer is out of reach"

    phone.get_by_label(re.compile("^Bauwirtschaft")).tap()
    wanted = expected_names(graph, ["bauwirtschaft"])
    assert 1 < len(wanted) < len(graph.members)
    found = phone.locator("[data-panel-count]")
    assert found.inner_text() == f"{len(wanted)} Mitglieder gefunden"
    assert on_screen(found), "the count stays on screen after picking a filter"
    show = phone.get_by_role("button", name="Ergebnisse anzeigen")
    assert on_screen(show)

    show.tap()
    assert panel.is_hidden()
    assert phone.evaluate("window.scrollY") > 0
    assert on_screen(phone.locator("[data-count]"))
    assert on_screen(phone.locator("[data-results] .card").first)
    assert count_text(phone) == f"{len(wanted)} Mitglieder gefunden"
    assert toggle.inner_text() == "Filter (1)"
    assert visible_names(phone) == wanted
    # Every card names the industry that was chosen, first.
    firsts = phone.locator("[data-results] .card-industry:first-child").all_inner_texts()
    assert firsts == ["Bauwirtschaft"] * len(wanted)
    assert phone.locator("[data-results] .card-industry.is-match").count() == len(wanted)
    assert phone.evaluate("document.activeElement.id") == "directory-results-title"
    assert axe_violations(phone) == []

    # The chosen filter is a chip; removing it brings everyone back.
    phone.get_by_role("button", name="Filter entfernen: Bauwirtschaft").tap()
    assert count_text(phone) == f"{len(graph.members)} Mitglieder gefunden"
    assert toggle.inner_text() == "Filter"


def test_phone_drawer_closes_with_escape_and_returns_focus(phone, demo_site):
    open_directory(phone, demo_site + "mitglieder/?branche=logistik&region=kreis-borken")
    toggle = phone.locator("[data-filter-toggle]")
    assert toggle.inner_text() == "Filter (2)"
    toggle.tap()
    assert phone.locator("#directory-filters").is_visible()
    assert phone.get_by_label(re.compile("^Logistik und Transport")).is_checked()
    phone.keyboard.press("Escape")
    assert phone.locator("#directory-filters").is_hidden()
    assert phone.evaluate("document.activeElement.dataset.filterToggle") == ""
    assert phone.evaluate("document.querySelectorAll('[inert]').length") == 0
    toggle.tap()
    phone.get_by_role("button", name="Schließen").tap()
    assert phone.locator("#directory-filters").is_hidden()


def members_of(graph, industry: str) -> list[str]:
    return [m.data.name for m in graph.members if any(i.id == industry for i in m.industries)]


@pytest.mark.parametrize("query", ["maschinenbau", "Maschinenbau", "Maschinen- und Anlagenbau"])
def test_search_finds_the_members_of_an_industry(phone, demo_site, graph, query):
    open_directory(phone, demo_site + "mitglieder/")
    phone.get_by_label(SEARCH_LABEL).fill(query)
    wanted = members_of(graph, "maschinenbau")
    assert len(wanted) == 5
    phone.wait_for_function(
        f"document.querySelectorAll('[data-results] li').length == {len(wanted)}"
    )
    assert visible_names(phone) == wanted
    assert count_text(phone) == "5 Mitglieder gefunden"
    firsts = phone.locator("[data-results] .card-industry.is-match").all_inner_texts()
    assert firsts == ["Maschinen- und Anlagenbau"] * 5


@pytest.mark.parametrize(
    "query, industry, region",
    [
        ("großhandel", "handel", None),
        ("Grosshandel", "handel", None),
        ("Kreis Steinfurt", None, "kreis-steinfurt"),
        ("emsland logistik", "logistik", "emsland"),
    ],
)
def test_search_finds_industries_and_regions_by_name(
    page, demo_site, graph, query, industry, region
):
    open_directory(page, demo_site + "mitglieder/?q=" + query)
    wanted = {
        m.data.name
        for m in graph.members
        if (industry is None or any(i.id == industry for i in m.industries))
        and (region is None or m.region.id == region)
    }
    assert wanted, query
    # The members of the industry or region named, and whoever else has the words.
    wanted |= set(expected_names(graph, query=query))
    assert visible_names(page) == [m.data.name for m in graph.members if m.data.name in wanted]


def test_cards_show_a_logo_or_initials_the_same_as_on_term_pages(page, demo_site, graph):
    open_directory(page, demo_site + "mitglieder/")
    directory = page.evaluate(CARDS)
    page.goto(demo_site + "branchen/maschinenbau/")
    listed = page.evaluate(CARDS)
    assert listed and all(card in directory for card in listed), "one card, two pages"
    for card in directory:
        member = next(m for m in graph.members if m.data.name == card["name"])
        if member.data.logo:
            assert card["logo"] == {"width": "48", "height": "48", "loading": "lazy", "alt": ""}
        else:
            assert card["logo"] is None and card["initials"] == initials(member.data.name)
    assert sum(card["logo"] is not None for card in directory) >= 2
    # A logo's box is the same before and after it loads: nothing moves.
    page.goto(demo_site + "mitglieder/")
    page.wait_for_selector("[data-directory][data-ready]")
    logo = page.locator("[data-results] .card-logo").first
    logo.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('[data-results] .card-logo').complete")
    assert page.evaluate("document.querySelector('[data-results] .card-logo').naturalWidth") > 0
    box = logo.bounding_box()
    assert round(box["width"]) == round(box["height"]) and box["width"] > 40


CARDS = """() => [...document.querySelectorAll('.cards .card')].map((card) => {
    const img = card.querySelector('img');
    const text = (e) => e.textContent.replace(/\\s+/g, ' ').trim();
    return {
        name: text(card.querySelector('.card-title')),
        text: text(card),
        html: card.innerHTML.replace(/\\s+/g, ' ').replace(/ (href|src)="[^"]*"/g, ''),
        initials: card.querySelector('.card-initials')?.textContent ?? null,
        logo: img && {width: img.getAttribute('width'), height: img.getAttribute('height'),
                      loading: img.getAttribute('loading'), alt: img.getAttribute('alt')},
        href: card.querySelector('a').href,
        src: img && img.src,
    };
})"""


def test_wide_screen_keeps_the_filters_beside_the_list(page, demo_site):
    open_directory(page, demo_site + "mitglieder/?branche=bauwirtschaft")
    panel = page.locator("#directory-filters")
    assert panel.is_visible() and panel.get_attribute("role") is None
    assert page.locator("[data-filter-toggle]").is_hidden()
    assert page.get_by_role("button", name="Schließen").is_hidden()
    results = page.locator("[data-results]").bounding_box()
    assert panel.bounding_box()["x"] + panel.bounding_box()["width"] < results["x"]
    assert page.evaluate(SCROLL_BOXES) == []


def test_phone_back_button_closes_the_drawer_and_keeps_the_choices(phone, demo_site, graph):
    open_directory(phone, demo_site + "mitglieder/?region=kreis-borken")
    panel = phone.locator("#directory-filters")
    toggle = phone.locator("[data-filter-toggle]")
    before = phone.url
    toggle.tap()
    assert panel.is_visible()
    phone.get_by_label(re.compile("^Bauwirtschaft")).tap()
    phone.get_by_label(re.compile("^Logistik und Transport")).tap()
    wanted = expected_names(graph, ["bauwirtschaft", "logistik"], ["kreis-borken"])

    phone.go_back()  # Android's Back button
    assert panel.is_hidden(), "Back closes the drawer"
    assert phone.evaluate("document.querySelectorAll('[inert]').length") == 0
    assert toggle.get_attribute("aria-expanded") == "false"
    assert phone.evaluate("document.activeElement.dataset.filterToggle") == ""
    assert toggle.inner_text() == "Filter (3)", "the choices made in the drawer stay"
    assert visible_names(phone) == wanted
    assert "branche=bauwirtschaft" in phone.url and "logistik" in phone.url

    phone.go_back()  # then one step back undoes what was chosen in the drawer
    assert phone.url == before
    assert toggle.inner_text() == "Filter (1)"
    assert panel.is_hidden()


def test_phone_drawer_closed_by_its_buttons_leaves_no_history_entry(phone, demo_site):
    open_directory(phone, demo_site + "mitglieder/")
    toggle = phone.locator("[data-filter-toggle]")
    length = phone.evaluate("history.length")
    toggle.tap()
    phone.get_by_role("button", name="Schließen").tap()
    phone.wait_for_function(f"history.state === null && history.length >= {length}")
    toggle.tap()
    phone.get_by_label(re.compile("^Bauwirtschaft")).tap()
    phone.get_by_role("button", name="Ergebnisse anzeigen").tap()
    phone.wait_for_function("location.search.includes('branche=bauwirtschaft')")
    assert phone.locator("#directory-filters").is_hidden()
    phone.go_back()  # to the directory as it was before the drawer opened
    phone.wait_for_function("location.search === ''")
    assert toggle.inner_text() == "Filter"
    assert phone.locator("#directory-filters").is_hidden()
