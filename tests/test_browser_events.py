"""Event pages in a real browser: the two-click video embed."""

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
        "veranstaltungen/referenten/",
    ):
        page.goto(demo_site + path)
        assert axe_violations(page) == [], path
