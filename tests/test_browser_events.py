"""Event lists and pages in a real browser: dates, states, the two-click video embed."""

from __future__ import annotations

from .conftest import axe_violations

VIDEO_HOSTS = ("youtube", "ytimg", "googlevideo", "vimeo")


def test_video_loads_only_after_the_click(page, demo_site):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # Nothing leaves this machine: a request to the video host is answered here.
    page.route(
        "**/*",
        lambda route: (
            route.fulfill(status=200, body="video")
            if any(h in route.request.url for h in VIDEO_HOSTS)
            else route.continue_()
        ),
    )
    page.goto(demo_site + "veranstaltungen/2020-04-02-kurzarbeitergeld/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if any(h in u for h in VIDEO_HOSTS)]
    assert page.locator("iframe").count() == 0
    notice = page.locator(".video-consent").inner_text()
    assert "Erst wenn Sie auf „Video laden“ klicken" in notice and "YouTube" in notice

    page.get_by_role("button", name="Video laden").click()
    frame = page.locator("figure.video iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
    page.wait_for_function("() => performance.getEntriesByType('resource').length >= 0")
    page.wait_for_timeout(200)
    assert [u for u in requests if "youtube-nocookie.com/embed/aqz-KE-bpKQ" in u]


def test_without_javascript_the_video_is_a_link(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(demo_site + "veranstaltungen/2020-04-02-kurzarbeitergeld/")
    assert tab.get_by_role("button", name="Video laden").is_hidden()
    link = tab.get_by_role("link", name="Video auf YouTube öffnen")
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    context.close()


def test_event_pages_have_no_accessibility_violations(page, demo_site):
    for path in (
        "veranstaltungen/",
        "veranstaltungen/2020-04-02-kurzarbeitergeld/",
        "veranstaltungen/2026-10-22-nachfolge/",
        "veranstaltungen/2027-02-11-cybersicherheit/",
        "veranstaltungen/2026-12-10-jahresabschluss-hybrid/",
        "veranstaltungen/archiv/2026/",
        "veranstaltungen/reihen/online-meetings/",
        "veranstaltungen/referenten/",
        "mitglieder/datenwerk-rheine/",
    ):
        page.goto(demo_site + path)
        assert axe_violations(page) == [], path


def test_a_visitor_finds_a_postponed_event_under_date_to_follow(page, demo_site):
    page.goto(demo_site + "veranstaltungen/")
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Kommende"))
    assert upcoming.get_by_role("link", name="Nach dem Angriff – ein Betrieb erzählt").count() == 0
    first = upcoming.locator(".event-item").first
    assert first.locator(".tile-day").inner_text() == "3"
    assert first.locator(".tile-month").inner_text() == "Dez."
    assert "Do., 10:00–11:30 Uhr · Online" in first.inner_text()
    assert "Wirtschaftsvereinigung Steinfurt" in first.inner_text()

    to_follow = page.locator("section", has=page.get_by_role("heading", name="Termin folgt"))
    row = to_follow.locator(".event-item")
    assert row.count() == 1 and row.locator(".event-date").inner_text() == "Termin folgt"
    row.get_by_role("link", name="Nach dem Angriff – ein Betrieb erzählt").click()
    page.wait_for_url("**/veranstaltungen/2027-02-11-cybersicherheit/")
    assert page.get_by_role("status").inner_text().startswith("Verschoben:")
    facts = page.get_by_role("complementary")
    assert "Termin folgt" in facts.inner_text()
    assert page.locator("a[href$='.ics']").count() == 0


def test_a_cancelled_event_cannot_be_added_to_a_calendar(page, demo_site):
    page.goto(demo_site + "veranstaltungen/archiv/2026/")
    row = page.locator(".event-item.is-cancelled")
    assert row.locator(".badge-cancelled").inner_text() == "Abgesagt"
    colours = [
        page.locator(f".event-item.{state} .event-date").first.evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        for state in ("is-cancelled", "is-past")
    ]
    assert colours[0] != colours[1]
    row.get_by_role("link").click()
    page.wait_for_url("**/veranstaltungen/2026-10-22-nachfolge/")
    assert page.get_by_role("link", name="In den Kalender eintragen (.ics)").count() == 0
    page.goto(demo_site + "veranstaltungen/2027-01-21-gefahrgut-lager/")
    assert page.get_by_role("link", name="In den Kalender eintragen (.ics)").is_visible()


def test_the_video_button_keeps_its_distance_on_a_phone(browser, demo_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    tab = context.new_page()
    tab.route(
        "**/*",
        lambda route: (
            route.abort() if any(h in route.request.url for h in VIDEO_HOSTS) else route.continue_()
        ),
    )
    tab.goto(demo_site + "veranstaltungen/2020-04-02-kurzarbeitergeld/")
    button = tab.get_by_role("button", name="Video laden").bounding_box()
    link = tab.get_by_role("link", name="Video auf YouTube öffnen").bounding_box()
    assert button and link
    apart_x = link["x"] - (button["x"] + button["width"])
    apart_y = link["y"] - (button["y"] + button["height"])
    assert apart_x >= 8 or apart_y >= 8, (button, link)
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    tab.goto(demo_site + "veranstaltungen/")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    tile = tab.locator(".event-item .event-date").first.bounding_box()
    title = tab.locator(".event-item .event-title").first.bounding_box()
    assert tile and title and tile["x"] + tile["width"] < title["x"]  # side by side
    context.close()


def test_registration_closes_on_a_page_opened_after_the_start(browser, demo_site):
    """The page was built before the event; opened after it started, it says
    that registration is closed without waiting for the next build."""
    for path, now, open_ in (
        ("2027-04-15-koproduktion-werkstatt", "2027-04-15T16:59:00+02:00", True),
        ("2027-04-15-koproduktion-werkstatt", "2027-04-15T17:01:00+02:00", False),  # started
        ("2027-01-21-gefahrgut-lager", "2027-01-14T23:59:00+01:00", True),
        ("2027-01-21-gefahrgut-lager", "2027-01-15T00:01:00+01:00", False),  # the deadline
    ):
        context = browser.new_context()
        tab = context.new_page()
        tab.clock.set_fixed_time(now)
        tab.goto(f"{demo_site}veranstaltungen/{path}/")
        register = tab.get_by_role("link", name="Jetzt anmelden")
        closed = tab.get_by_text("Anmeldung geschlossen")
        assert register.is_visible() is open_, now
        assert closed.is_visible() is not open_, now
        context.close()
