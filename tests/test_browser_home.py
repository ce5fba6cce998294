"""The demo's brand in Chromium: the home page's picture and the logos hold their
space before they arrive, nothing moves while the page loads, the font is the
site's own, and every picture comes from the site."""

from __future__ import annotations

import pytest

from .conftest import axe_violations, browser_tab

PHONE = {"width": 390, "height": 844}

LAYOUT_SHIFT = """() => new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(total), 500);
})"""


@pytest.fixture
def phone(browser):
    yield from browser_tab(
        browser, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=3
    )


def test_pictures_hold_their_space_before_they_arrive(phone, demo_site):
    held = []  # the pictures' requests, left unanswered: they have not arrived yet
    phone.route("**/images/**", lambda route: held.append(route))
    phone.goto(demo_site, wait_until="domcontentloaded")
    phone.wait_for_function("document.fonts.status === 'loaded'")
    assert held, "the pictures were asked for"
    hero = phone.locator(".hero-image img")
    box = hero.bounding_box()
    assert box is not None and box["width"] == PHONE["width"]
    assert abs(box["height"] - box["width"] / 2) < 1  # the drawing is 2:1
    assert phone.evaluate("document.querySelector('.hero-image img').naturalWidth") == 0
    for logo in phone.locator(".header-logos img").all():
        logo_box = logo.bounding_box()
        assert logo_box is not None and logo_box["height"] == 28 and logo_box["width"] > 28


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_nothing_moves_while_the_home_page_loads(browser, demo_site, viewport):
    requests: list[str] = []
    for tab in browser_tab(browser, viewport=viewport):
        tab.on("request", lambda request: requests.append(request.url))
        tab.goto(demo_site, wait_until="load")
        assert tab.evaluate(LAYOUT_SHIFT) == 0
        hero = tab.evaluate(
            "(() => { const i = document.querySelector('.hero-image img');"
            " return [i.currentSrc, i.naturalWidth]; })()"
        )
        assert hero[0].startswith(demo_site + "images/brand/hero-") and hero[1] > 0
        assert all(url.startswith(demo_site) for url in requests), requests
        assert tab.evaluate("document.fonts.check('1rem verbund-brand')")
        assert tab.evaluate(
            "[...document.fonts].some((f) => f.family.includes('verbund-brand')"
            " && f.status === 'loaded')"
        )


def test_a_phone_gets_a_picture_for_its_screen(phone, demo_site):
    phone.goto(demo_site, wait_until="load")
    source = phone.evaluate("document.querySelector('.hero-image img').currentSrc")
    # 390 CSS pixels at 3× want 1,170 pixels: the 1,200 one.
    assert "/hero-1200." in source
    assert source.endswith((".avif", ".webp"))


def test_the_home_page_is_accessible_on_a_phone(phone, demo_site):
    phone.goto(demo_site, wait_until="load")
    assert axe_violations(phone) == []
