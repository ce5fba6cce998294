"""Markdown bodies: rendered, then sanitised with an allow-list."""

from __future__ import annotations

import re

import pytest

from verbund.markup import (
    body_problem,
    dropped_links,
    headings_below,
    link_target,
    markdown_to_html,
    plain_text,
)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[klick](javascript:alert(1))",
        "[klick](JaVaScRiPt:alert(1))",
        "[klick](java&#x09;script:alert(1))",
        '<a href="vbscript:msgbox">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<div onclick="alert(1)">x</div>',
        "<svg onload=alert(1)>",
        "<style>body{display:none}</style>",
        '## Titel {: onclick="alert(1)" }',
    ],
)
def test_nothing_runs_in_the_visitors_browser(body):
    html = markdown_to_html(body).lower()
    for bad in (
        "<script",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "vbscript:",
        "data:",
        "<iframe",
        "<style",
        "<svg",
    ):
        assert bad not in html, (body, html)


def test_ordinary_markdown_survives():
    html = markdown_to_html(
        "Ein **fetter** Satz mit [Link](https://example.org).\n\n"
        "- eins\n- zwei\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<strong>fetter</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">Link</a>' in html
    assert "<li>eins</li>" in html
    assert "<td>1</td>" in html


def test_headings_start_below_the_page_title():
    html = markdown_to_html("# Eins\n\n## Zwei\n")
    assert "<h2>Eins</h2>" in html and "<h3>Zwei</h3>" in html
    assert "<h1" not in html
    assert "<h2>Nachbericht</h2>" in markdown_to_html("## Nachbericht\n")


def headings(html: str) -> list[str]:
    return re.findall(r"<(h[1-6])>", html)


def test_headings_skip_no_level():
    assert headings(markdown_to_html("# A\n\n### B\n\n##### C\n")) == ["h2", "h3", "h4"]
    assert headings(markdown_to_html("## A\n\nText\n\n## B\n")) == ["h2", "h2"]
    assert headings(markdown_to_html("#### A\n\n## B\n\n#### C\n")) == ["h2", "h2", "h3"]
    assert headings(markdown_to_html("# A\n\n### B\n\n## C\n\n#### D\n")) == [
        "h2",
        "h3",
        "h3",
        "h4",
    ]


def test_headings_go_no_deeper_than_h6():
    body = "".join(f"{'#' * level} H{level}\n\n" for level in range(1, 7))
    assert headings(markdown_to_html(body)) == ["h2", "h3", "h4", "h5", "h6", "h6"]


def test_headings_written_in_html_are_renumbered_too():
    html = markdown_to_html("<h1>Roh</h1>\n\n#### Tief\n\n<h5>Tiefer</h5>\n")
    assert headings(html) == ["h2", "h3", "h4"]
    assert "</h2>" in html and "</h4>" in html and "<h1" not in html


def test_footnote_anchors_survive_the_renumbering():
    html = markdown_to_html("# Titel\n\n#### Teil\n\nText[^1]\n\n[^1]: Quelle\n")
    assert headings(html) == ["h2", "h3"]
    assert 'id="fnref:1"' in html and 'href="#fn:1"' in html
    assert 'id="fn:1"' in html and 'href="#fnref:1"' in html


def test_a_link_to_prose_keeps_only_its_text():
    body = "[Verhaltenskodex](Bei der Anmeldung und am Tag selbst)\n"
    assert markdown_to_html(body) == "<p>Verhaltenskodex</p>"
    assert dropped_links(body) == ["Bei der Anmeldung und am Tag selbst"]
    raw = '<a href="Mehr dazu bald" title="t">Text</a> und <a href="#oben">oben</a>'
    assert markdown_to_html(raw) == (
        '<p>Text und <a href="#oben" rel="noopener noreferrer">oben</a></p>'
    )
    addressed = "[hier](https://example.org/about/ für die aktuelle Zahl)"
    assert markdown_to_html(addressed) == "<p>hier</p>"
    assert dropped_links(addressed) == ["https://example.org/about/ für die aktuelle Zahl"]


def test_links_that_can_work_stay():
    body = (
        "[a](#oben) [b](../x/) [c](/netzwerk/mitglieder/) [d](seite.html#teil) [e](https://x.de/)"
    )
    html = markdown_to_html(body)
    for href in ("#oben", "../x/", "/netzwerk/mitglieder/", "seite.html#teil", "https://x.de/"):
        assert f'href="{href}"' in html
    assert dropped_links(body) == []


@pytest.mark.parametrize(
    ("url", "target"),
    [
        (
            "https://swiftconf.com/#:~:text=Call For Papers",
            "https://swiftconf.com/#:~:text=Call%20For%20Papers",
        ),
        ("tel:+49 30 1234", "tel:+49%2030%201234"),
        ("mailto:a@b.de?subject=Hallo Welt", "mailto:a@b.de?subject=Hallo%20Welt"),
        ("Datei mit Leerzeichen.pdf", "Datei%20mit%20Leerzeichen.pdf"),
        (" ../x/ ", "../x/"),
        ("Free, community-organized event", None),
        ("https://x.de/a b", None),
    ],
)
def test_blanks_in_a_link_are_encoded_or_drop_it(url, target):
    assert link_target(url) == target


def test_remote_images_become_links():
    html = markdown_to_html("![Logo](https://tracker.example/pixel.png)")
    assert "<img" not in html
    assert '<a href="https://tracker.example/pixel.png"' in html and ">Logo</a>" in html


def test_converter_state_does_not_leak_between_bodies():
    first = markdown_to_html("Text[^1]\n\n[^1]: Fußnote")
    second = markdown_to_html("Text[^1]\n\n[^1]: Fußnote")
    assert first == second


def test_plain_text():
    assert plain_text("<p>Müller &amp; Söhne</p>\n<p>GmbH</p>") == "Müller & Söhne GmbH"


def test_footnotes_keep_their_anchors_and_speak_the_language():
    html = markdown_to_html("Text[^1]\n\n[^1]: Fußnote", "de")
    assert '<sup id="fnref:1"><a href="#fn:1"' in html
    assert '<li id="fn:1">' in html
    assert 'title="Zurück zur Fußnote 1 im Text"' in html
    assert "Jump back to footnote 1" in markdown_to_html("Text[^1]\n\n[^1]: Note", "en")


def test_ids_other_than_footnote_anchors_are_removed():
    html = markdown_to_html('<b id="directory">x</b>\n\n<sup id="fn:1">y</sup>')
    assert 'id="directory"' not in html


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("a\n" + " " * 100 + "x", False),
        ("a\n" + " " * 101 + "x", True),
        ("\t" * 25 + "x", False),  # 100 columns
        ("\t" * 25 + " x", True),
        (" " * 3 + "\t" * 25 + "x", False),  # the spaces fill the first tab stop
        ("> " * 30 + "x", False),
        ("> " * 31 + "x", True),
        ("x " + ">" * 40, False),  # not at the start of the line
        ("text\n" + " " * 26 + "> " * 31, True),
    ],
)
def test_nesting_limits_are_exact(text, refused):
    assert (body_problem(text) is not None) is refused


def test_headings_below_a_section_heading_move_down_one_level():
    html = markdown_to_html("# A\n\n## B\n\n###### C\n")
    assert headings(headings_below(html, 2)) == ["h3", "h4", "h5"]
    assert headings(headings_below(html, 1)) == headings(html)
    assert headings(
        headings_below(markdown_to_html("# A\n\n## B\n\n### C\n\n#### D\n\n##### E\n"), 3)
    ) == [
        "h4",
        "h5",
        "h6",
        "h6",
        "h6",
    ]
