"""Hostile Markdown bodies: refused at their line within a second, never stall a
build past its time limit, and nothing in them makes a visitor's browser fetch
from another host."""

from __future__ import annotations

import base64
import functools
import http.server
import threading
import time
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

import verbund.bodies
from verbund.bodies import _render_in_time
from verbund.cli import main
from verbund.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    MAX_RENDERED_DEPTH,
    MAX_TAG_DEPTH,
    MAX_TAGS,
    TooComplex,
    body_problem,
    markdown_to_html,
)

from .conftest import MEMBER, _QuietHandler, tree, write

MEMBER_FILE = "content/members/muster-logistik.md"
BUILD = ["--today", "2026-01-01", "--no-search"]
TAGS = (
    "the text has {:,} HTML tags; at most 2,000 are allowed "
    "(format it with Markdown instead of HTML, or shorten it)"
)
NESTED = "lists or quotes are nested too deeply (use fewer levels of lists and quotes)"


def hostile(site, body: str) -> int:
    """Give the member ``body`` after a first paragraph; the line of ``body`` in the file."""
    write(site, MEMBER_FILE, MEMBER + "\nErster Absatz.\n\n" + body + "\n")
    return MEMBER.count("\n") + 4


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<div>" * 100_000 + "x", TAGS.format(100_000)),
        ("<ul><li>" * 60_000, TAGS.format(120_000)),
        ("<b>" * 150_000, TAGS.format(150_000)),
        ("<blockquote>" * 20_000 + "x", TAGS.format(20_000)),
        ("1. " * 20_000 + "x", NESTED),
    ],
    ids=["div", "ul-li", "b", "blockquote", "numbered"],
)
def test_check_and_build_refuse_a_hostile_body_at_once(site, capsys, body, message):
    assert main(["build", "--site", str(site), *BUILD]) == 0
    before = tree(site / "output")
    line = hostile(site, body)
    capsys.readouterr()
    started = time.perf_counter()
    assert main(["check", "--site", str(site)]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{MEMBER_FILE}:{line}:1: {message}"]
    assert main(["build", "--site", str(site), *BUILD]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{MEMBER_FILE}:{line}:1: {message}"]
    assert time.perf_counter() - started < 5
    assert tree(site / "output") == before


def test_the_refusal_is_german_on_a_german_site(site, capsys, monkeypatch):
    monkeypatch.delenv("VERBUND_MESSAGES")
    line = hostile(site, "<div>" * 100_000 + "x")
    assert main(["check", "--site", str(site)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{MEMBER_FILE}:{line}:1: der Text enthält 100000 HTML-Tags; erlaubt sind höchstens "
        "2000 (formatieren Sie ihn mit Markdown statt mit HTML oder kürzen Sie ihn)"
    ]


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("<b>x</b>" * (MAX_TAGS // 2), False),
        ("<b>x</b>" * (MAX_TAGS // 2) + "<br>", True),
        ("<div>" * MAX_TAG_DEPTH + "x" + "</div>" * MAX_TAG_DEPTH, False),
        ("<div>" * (MAX_TAG_DEPTH + 1) + "x", True),
        ("<p>eins<p>zwei" * 200, False),  # each <p> ends the one before
        ("<ul>" + "<li>x" * 500 + "</ul>", False),
        ("<dl>" + "<dt>a<dd>b" * 300 + "</dl>", False),
        ("<br><img src=a.png><hr>" * 300, False),  # void elements hold nothing
        ("Text\n" + "1. " * 30 + "x", False),
        ("Text\n" + "1. " * 31 + "x", True),
        ("- " * 31 + "x", True),
        ("> - " * 16 + "x", True),
        ("- " * 60 + "-", False),  # a rule, not a list
        ("* " * 60, False),
        ("Begriff\n: Erklärung\n" * 30, False),
        ("Begriff\n: Erklärung\n" * 31, True),
        ("Begriff\n: Erklärung\n\n" * 200, False),
        ("Begriff\n" + ": Erklärung\n" * 100, False),  # one term, many definitions
    ],
)
def test_limits_are_exact(text, refused):
    assert (body_problem(text) is not None) is refused


def test_the_line_is_where_the_limit_is_passed():
    text = "Absatz.\n\n" + "<b>x</b>\n" * 1000 + "<i>y</i>\n"
    assert body_problem(text)[0] == 1002
    assert body_problem("a\n\n" + "<div>\n" * 101)[0] == 102
    assert body_problem("a\n\nb\n" + "- " * 40 + "x")[0] == 3


def test_an_ordinary_rich_body_passes():
    body = (
        "## Über uns\n\nWir sind **ein Betrieb** aus Rheine. Mehr unter "
        "[Website](https://example.org).<br>\n\n"
        + "".join("    " * i + f"- Ebene {i}\n" for i in range(5))
        + "\n| a | b |\n|---|---|\n"
        + "| 1 | <abbr title='x'>2</abbr> |\n" * 200
        + "\n> Zitat\n>\n> > innen\n\n1. eins\n2. zwei\n\nBegriff\n: Erklärung\n\n"
        + "Ein langer Absatz mit *Betonung* und `Code`. " * 400
    )
    assert body_problem(body) is None
    assert "<table>" in markdown_to_html(body)


def test_html_too_deep_never_reaches_the_sanitiser():
    started = time.perf_counter()
    with pytest.raises(TooComplex):
        markdown_to_html("<div>" * (MAX_RENDERED_DEPTH + 1) + "x")
    assert _render_in_time("<div>" * 100_000 + "x", "de") is None
    assert time.perf_counter() - started < 5  # the sanitiser alone took 40 s


def test_a_body_that_recurses_too_deeply_is_stopped():
    text = "Begriff\n: Erklärung\n" * 1000
    assert body_problem(text) is not None
    assert _render_in_time(text, "de") is None


def test_the_time_limit_holds_in_any_thread(monkeypatch):
    monkeypatch.setattr(verbund.bodies, "SECONDS_PER_BODY", 0.2)
    results: list[tuple[str | None, float]] = []

    def render():
        started = time.perf_counter()
        results.append((_render_in_time("*a" * 100_000, "de"), time.perf_counter() - started))

    threads = [threading.Thread(target=render) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [html for html, _ in results] == [None, None]
    assert max(seconds for _, seconds in results) < 2  # 16 s without the limit
    assert _render_in_time("Ein **Satz**.", "de") == "<p>Ein <strong>Satz</strong>.</p>"


# -- images from other hosts ---------------------------------------------------


class Attributes(HTMLParser):
    """Every attribute of every element: ``(tag, name, value)``."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value or "") for name, value in attrs]


NOT_FETCHED = {"alt", "title", "width", "height", "align", "start"}
"""Attributes a browser shows or lays out, but fetches nothing for."""


def fetched(html: str) -> list[tuple[str, str, str]]:
    """Attributes naming evil.example, other than a link's target and those in
    :data:`NOT_FETCHED`: a new one in the allow-list has to be looked at here."""
    parser = Attributes()
    parser.feed(html)
    return [
        (tag, name, value)
        for tag, name, value in parser.found
        if "evil.example" in value and (tag, name) != ("a", "href") and name not in NOT_FETCHED
    ]


@pytest.mark.parametrize(
    "body",
    [
        '<img src="https://evil.example/a.png">',
        '<img src="//evil.example/b.png">',
        "![b](/\\evil.example/c.png)",
        '<img src="/\\evil.example/c.png">',
        '<img src="\\\\evil.example/d.png">',
        '<img src=" //evil.example/e.png">',
        '<img src="/&#9;/evil.example/f.png">',
        '<img src="/&#10;/evil.example/f.png">',
        '<img src="&#x2f;&#x2f;evil.example/g.png">',
        '<img src="https:evil.example/h.png">',
        '<img src="HTTPS://evil.example/i.png">',
        "![i](https://evil.example/i.png)",
        "![j]( //evil.example/j.png )",
        '<img src="a.png" srcset="//evil.example/k.png 2x">',
        '<picture><source srcset="//evil.example/l.png"><img src="a.png"></picture>',
        '<video poster="//evil.example/m.png" src="//evil.example/m.mp4"></video>',
        '<audio src="//evil.example/n.mp3"></audio>',
        '<input type="image" src="//evil.example/o.png">',
        '<table background="//evil.example/p.png"><tr><td background="//evil.example/q.png">'
        "x</td></tr></table>",
        '<p style="background:url(//evil.example/r.png)">x</p>',
        '<link rel="stylesheet" href="//evil.example/s.css">',
        '<object data="//evil.example/t.svg"></object>',
        '<embed src="//evil.example/u.swf">',
        '<svg><image href="//evil.example/v.png"/></svg>',
        '<iframe src="//evil.example/w"></iframe>',
    ],
)
def test_nothing_is_fetched_from_another_host(body):
    html = markdown_to_html(body)
    assert fetched(html) == [], html


def test_no_allowed_attribute_fetches_from_another_host():
    for tag in sorted(ALLOWED_TAGS):
        names = ALLOWED_ATTRIBUTES.get(tag, set()) | {"src", "srcset", "poster", "style"}
        for name in sorted(names):
            for url in ("https://evil.example/x.png", "//evil.example/x.png", "/\\evil.example/x"):
                html = markdown_to_html(f'Text <{tag} {name}="{url}">x</{tag}>')
                assert fetched(html) == [], (tag, name, html)


def test_images_of_the_site_itself_still_show():
    assert markdown_to_html("![Logo](/static/logo.png)") == (
        '<p><img alt="Logo" src="/static/logo.png"></p>'
    )
    assert markdown_to_html('<img src="bilder/b.png" alt="B">') == (
        '<p><img src="bilder/b.png" alt="B"></p>'
    )
    assert 'src="../../static/bild.png"' in markdown_to_html("![x](../../static/bild.png)")


PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)
FOREIGN_IMAGES = """
<img src="https://evil.example/a.png" alt="a">
<img src="//evil.example/b.png" alt="b">

![c](/\\evil.example/c.png)

<img src="\\\\evil.example/e.png" alt="e">

<picture><source srcset="//evil.example/f.png"><img src="//evil.example/g.png" alt="g"></picture>

![Eigenes Bild](../../static/bild.png)

<img src="/netzwerk/static/bild.png" alt="eigen">
"""


@pytest.fixture
def served(tmp_path, site):
    """The site with foreign images in a member's body, built and served at /netzwerk/."""
    write(site, MEMBER_FILE, MEMBER + FOREIGN_IMAGES)
    (site / "static").mkdir()
    (site / "static" / "bild.png").write_bytes(PIXEL)
    root = tmp_path / "served"
    assert main(["build", "--site", str(site), "--output", str(root / "netzwerk"), *BUILD]) == 0
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/netzwerk/"
    server.shutdown()


def test_a_published_page_contacts_no_other_host(page, served):
    own = urlsplit(served).netloc
    foreign: list[str] = []

    def route(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:  # nothing leaves this machine
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    page.goto(served + "mitglieder/muster-logistik/")
    page.wait_for_load_state("networkidle")
    assert foreign == []
    own_images = page.locator('img[src$="static/bild.png"]')
    assert own_images.count() == 2
    assert own_images.evaluate_all("images => images.map(i => i.complete && i.naturalWidth)") == [
        1,
        1,
    ]


def test_markup_reopened_in_every_paragraph_cannot_blow_up_a_page():
    """The HTML parser reopens open formatting elements in each new paragraph."""
    body = "<div>" + "".join(f"<p>x<b title={k}></p>" for k in range(650)) + "</div>"
    with pytest.raises(TooComplex):
        markdown_to_html(body)
