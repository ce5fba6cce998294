"""Site-wide search with Pagefind, in a real browser."""

from __future__ import annotations

from .conftest import axe_violations


def test_search_finds_a_member_by_service(page, demo_site):
    page.goto(demo_site)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Suche").click()
    page.locator(".pagefind-ui__search-input").fill("Gefahrgutlagerung")
    first = page.locator(".pagefind-ui__result-link").first
    first.wait_for()
    titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
    assert "Muster Logistik GmbH & Co. KG" in titles
    first_href = first.get_attribute("href")
    assert first_href.startswith("/netzwerk/")


def test_search_uses_german_stemming(page, demo_site):
    page.goto(demo_site + "suche/")
    page.locator(".pagefind-ui__search-input").fill("Lieferkette")  # the title says "-ketten"
    page.locator(".pagefind-ui__result-link").first.wait_for()
    titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
    assert "Lieferketten unter Druck: Logistik in der Krise" in titles


def test_search_covers_pages_and_events(page, demo_site):
    page.goto(demo_site + "suche/")
    page.locator(".pagefind-ui__search-input").fill("Vereinsregister")
    page.locator(".pagefind-ui__result-link").first.wait_for()
    assert page.locator(".pagefind-ui__result-link").first.inner_text() == "Impressum"


def test_the_search_looks_like_the_rest_of_the_site(page, demo_site):
    page.goto(demo_site + "suche/")
    page.locator(".pagefind-ui__search-input").fill("Logistik")
    link = page.locator(".pagefind-ui__result-link").first
    link.wait_for()
    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert page.locator(".pagefind-ui").first.evaluate("e => getComputedStyle(e).fontFamily") == (
        body_font
    )
    # A link of the page's own text (those of the footer stand on grey, in a darker shade).
    site_link = page.evaluate(
        "(() => { const a = document.createElement('a'); a.href = '#';"
        " document.querySelector('main').append(a); const colour = getComputedStyle(a).color;"
        " a.remove(); return colour; })()"
    )
    assert link.evaluate("e => getComputedStyle(e).color") == site_link
    assert axe_violations(page) == []
