"""Long lists of members a page at a time, in Chromium: navigation and accessibility."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from .conftest import _QuietHandler, axe_violations
from .test_dependencies import build, second_member


@pytest.fixture
def paginated(site, tmp_path, monkeypatch):
    """A site whose region lists its seven members two to a page, served."""
    from verbund import site as site_module

    monkeypatch.setattr(site_module, "MEMBERS_PER_PAGE", 2)
    for n, name in enumerate(["Abel", "Berg", "Cord", "Dahl", "Ems", "Falk"]):
        second_member(site, f"firma-{n}", "kreis-steinfurt", f"{name} GmbH")
    assert build(site, tmp_path / "out") == 0
    handler = functools.partial(_QuietHandler, directory=str(tmp_path / "out"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/regionen/kreis-steinfurt/"
    server.shutdown()


def test_a_visitor_pages_through_a_long_list(page, paginated):
    page.goto(paginated)
    navigation = page.get_by_role("navigation", name="Seitennummerierung", exact=True)
    assert navigation.get_by_role("link", name="1").get_attribute("aria-current") == "page"
    navigation.get_by_role("link", name="Nächste Seite").click()
    page.wait_for_url(paginated + "seite/2/")
    assert page.get_by_text("Seite 2 von 4").is_visible()
    assert page.get_by_role("heading", name="Cord GmbH").is_visible()
    assert axe_violations(page) == []
    navigation.get_by_role("link", name="4").click()
    page.wait_for_url(paginated + "seite/4/")
    assert navigation.get_by_role("link", name="Nächste Seite").count() == 0
    navigation.get_by_role("link", name="Vorige Seite").click()
    page.wait_for_url(paginated + "seite/3/")


def test_the_page_navigation_fits_a_phone(browser, paginated):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    tab = context.new_page()
    tab.goto(paginated + "seite/2/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    links = tab.get_by_role("navigation", name="Seitennummerierung", exact=True).get_by_role("link")
    for n in range(links.count()):
        box = links.nth(n).bounding_box()
        assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 390
    context.close()
