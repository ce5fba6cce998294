"""Markdown bodies: rendered, then sanitised with an allow-list."""

from __future__ import annotations

import pytest

from verbund.markup import body_problem, markdown_to_html, plain_text


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
