"""Bodies read as GitHub reads them: the site's structure against cmark-gfm's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from benchmarks import gfm_compare
from verbund.cli import main
from verbund.gfm import github_lists, github_notes
from verbund.markup import markdown_to_html

from .conftest import MEMBER, PROJECT, require, write

REALDATA = PROJECT.parent / "shared" / "realdata" / "realdata-site.tar.gz"
MOST_DIFFERENT = 0.01
"""The share of real bodies the site may show with another structure than GitHub."""


@pytest.fixture(scope="module")
def cmark():
    try:
        import cmarkgfm  # noqa: F401
    except ImportError:
        require(False, "cmarkgfm is not installed (pip install -e '.[test]')")


def same_as_github(text: str) -> None:
    site, github = gfm_compare.site_html(text), gfm_compare.github_html(text)
    assert gfm_compare.structure(site) == gfm_compare.structure(github), (
        f"site:\n{site}\nGitHub:\n{github}"
    )


@pytest.mark.parametrize(
    "text",
    [
        # a list right below a line of text
        "Main languages\n- JavaScript\n- TypeScript",
        "Steps:\n1. Apply\n2. Talk to us",
        "Our stack:\n* **Backend**: Python\n* **Frontend**: Vue",
        # but not an ordered list from another number, nor an empty item
        "In the year\n1986. we were founded",
        "A line\n-\nbelow",
        # nested by two spaces, ordered by three
        "- Tools\n  - Slack\n  - Zoom\n- Hours",
        "- a\n  - b\n    - c\n      - d",
        "1. First\n   1. inner\n   2. inner\n2. Second",
        "1. First\n   - bullet inside\n2. Second",
        # a further paragraph of an item, indented as far as its text
        "- Item\n\n  More about it.\n- Next",
        "10. Ten\n\n    Part of ten.",
        # a backslash at the end of a line
        "Musterstraße 12\\\n48431 Rheine",
        "Ends with a backslash\\",
        # headings need a blank after the '#'
        "##Heading",
        "#Heading\n\n## Real heading\n\n###Not one",
        "#hashtag at the start",
        # bare web addresses and e-mail addresses are links
        "See https://example.org/jobs, www.example.org or jobs@example.org.",
        "(https://example.org/in-parentheses)",
        "[https://example.org/in-brackets]",
        # GitHub's emphasis, strike-through and quotes
        "***both*** and **strong *em***",
        "~~gone~~ and snake_case_word",
        "> one quote\n\n> another quote",
        # lists of another kind, and rules
        "1) first\n2) second",
        "1. ordered\n- bullets",
        "* item\n***\n---",
        "- bullet\n2. a list from two",
        "- item\n  2. text, not a list",
        "| a | b |\n|---|---|\n| 1 | 2 |\n## Heading",
        "> quoted\n---",
        # what looks like an item but is not one
        "   - three\n    - four is text",
        # code stays code
        "Text\n\n    - not a list\n    - code",
        "```\nText\n- not a list\n##no heading\n```",
        # tables and footnotes
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "Fact.[^1]\n\n[^1]: Source.",
    ],
)
def test_bodies_have_githubs_structure(cmark, text):
    same_as_github(text)


def test_a_list_after_a_line_is_a_list():
    html = markdown_to_html("Main languages\n- JavaScript\n- TypeScript")
    assert html == "<p>Main languages</p>\n<ul>\n<li>JavaScript</li>\n<li>TypeScript</li>\n</ul>"


def test_nested_lists_and_breaks_and_headings():
    assert "<li>a<ul>\n<li>b</li>" in markdown_to_html("- a\n  - b")
    assert markdown_to_html("Straße 1\\\nRheine") == "<p>Straße 1<br>\nRheine</p>"
    assert markdown_to_html("##Heading") == "<p>##Heading</p>"


def test_lines_are_rewritten_only_where_lists_are():
    assert github_lists(["Plain", "text", "", "    code"]) == ["Plain", "text", "", "    code"]
    lines = ["Text", "- a", "  - b", "", "    more of b", "", "  more of a", "1) one"]
    assert github_lists(lines) == [
        "Text",
        "",  # a list below a line of text
        "- a",
        "    - b",  # nested: indented by four
        "",
        "        more of b",
        "",
        "    more of a",
        "",  # not part of that paragraph, and a list of another kind
        "1. one",
    ]


def test_bodies_with_lists_stay_within_the_limits():
    stairs = "\n".join("  " * level + "- x" for level in range(50))
    assert markdown_to_html(stairs).count("<ul>") == 50
    assert markdown_to_html("text\n- a\n\n" * 2000).count("<ul>") == 2000


def test_notes_name_headings_without_a_blank_and_definition_lists():
    text = "Intro\n\n##Standorte\n\n```\n##code\n```\n#hashtag\nTerm\n: explanation\n   ###Ort"
    notes = github_notes(text)
    assert [(line, column) for line, column, _, _ in notes] == [(2, 1), (9, 1), (10, 4)]
    assert notes[0][2] == "'##Standorte' is shown as text, not as a heading"
    assert notes[0][3].startswith("write '## Standorte' with a blank")
    assert "definition list" in notes[1][2]
    assert github_notes("## Heading\n\n#hashtag\n\nTime: 10:00\n\n: alone") == []


def test_check_warns_at_the_line_of_the_body(site, capsys):
    body = "Ein Text.\n\n##Standorte\n\nRheine\n"
    file = write(site, "content/members/muster-logistik.md", MEMBER + "\n" + body)
    line = file.read_text(encoding="utf-8").split("\n").index("##Standorte") + 1
    for _ in range(2):  # and again when nothing changed
        assert main(["check", "--site", str(site)]) == 0
        out = capsys.readouterr().out
        assert (
            f"content/members/muster-logistik.md:{line}:1: warning: '##Standorte' is shown "
            "as text, not as a heading (write '## Standorte' with a blank after the '#', as "
            "GitHub's preview shows the line as text too)"
        ) in out.splitlines()


def test_check_tells_in_german(site, capsys, monkeypatch):
    monkeypatch.delenv("VERBUND_MESSAGES")
    write(site, "content/members/muster-logistik.md", MEMBER + "\n###Kontakt\n")
    assert main(["check", "--site", str(site)]) == 0
    assert (
        "Warnung: '###Kontakt' erscheint als Text, nicht als Überschrift (schreiben Sie "
        "'### Kontakt' mit einem Leerzeichen nach dem '#'"
    ) in capsys.readouterr().out


def test_real_bodies_read_as_on_github(cmark):
    """Less than one in a hundred real bodies has another structure than on GitHub."""
    if not REALDATA.exists():
        reason = f"no real data at {REALDATA}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: required)")
        pytest.skip(reason)
    with tempfile.TemporaryDirectory() as scratch:
        site = gfm_compare.unpacked_realdata(Path(scratch))
        # Every member; every fourth event (5,999 events differed in 0.02 %).
        for kind, every in (("members", 1), ("events", 4)):
            different, count, names = gfm_compare.share(site, kind, every)
            assert count > 800
            assert different / count < MOST_DIFFERENT, f"{kind} differ: {names[:20]}"
