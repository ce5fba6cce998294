"""How problems are printed for people, GitHub and other tools."""

from __future__ import annotations

import json
import marshal

import pytest

from verbund.messages import msg
from verbund.problems import Problem, format_github, format_json, format_text


def test_text_format():
    problem = Problem(
        "content/members/a.md",
        3,
        14,
        "industries[0]",
        "unknown industry 'logisitk'",
        "did you mean 'logistik'?",
    )
    assert format_text(problem) == (
        "content/members/a.md:3:14: industries[0]: unknown "
        "industry 'logisitk' (did you mean 'logistik'?)"
    )


def test_text_format_without_position_or_field():
    assert format_text(Problem("site.yaml", message="broken")) == "site.yaml: broken"
    assert format_text(Problem("a.md", 2, 0, "", "x", severity="warning")) == (
        "a.md:2:1: warning: x"
    )


def test_github_escapes_data_and_properties():
    problem = Problem("content/a,b:c%.md", 1, 2, "x,y", "100% wrong\nsecond line\r")
    assert format_github(problem) == (
        "::error file=content/a%2Cb%3Ac%25.md,line=1,col=2,title=x%2Cy::"
        "100%25 wrong%0Asecond line%0D"
    )


def test_github_warning():
    assert format_github(Problem("a.md", severity="warning", message="m")).startswith(
        "::warning file=a.md,title=content::"
    )


def test_json_keeps_unicode():
    data = json.loads(format_json([Problem("a.md", 1, 1, "city", "Münster")]))
    assert data["problems"][0]["message"] == "Münster"


def test_invisible_characters_are_spelled_out_on_one_line():
    problem = Problem("a.md", 3, 1, "na\x1eme", "unknown field 'na\x1eme\u2028'")
    assert format_text(problem) == "a.md:3:1: na\\x1eme: unknown field 'na\\x1eme\\u2028'"
    assert format_github(problem).endswith("title=na\\x1eme::unknown field 'na\\x1eme\\u2028'")


def test_a_kept_problem_is_told_in_german_as_before():
    problem = Problem(
        "content/pages/a.md",
        4,
        2,
        "name",
        msg("{expected}, found '{value}'", expected=msg("expected text"), value="3"),
        msg("correct or remove the link"),
        "warning",
    )
    again = Problem.recalled(marshal.loads(marshal.dumps(problem.kept())))
    assert again == problem
    assert again.told("de") == problem.told("de") != problem
    assert again.told("de").message == "erwartet wird Text, gefunden: '3'"


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        3,
        ("a.md", 1),
        ("a.md", 1, 1, "", ("message",), "", "error"),
        ("a.md", 1, 1, "", ("message", "{x}", {"y": 1}), "", "error"),
    ],
)
def test_a_kept_problem_that_cannot_be_read_is_refused(garbage):
    with pytest.raises(ValueError):
        Problem.recalled(garbage)
