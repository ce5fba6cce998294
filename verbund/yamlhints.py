"""What went wrong in YAML that libyaml refused, told the way an editor can fix it.

libyaml reports where it gave up, in English ("did not find expected '-'
indicator"), often lines below the mistake. Here the text around that place is
read again to find the line to change (an unclosed quote, a field indented one
space too far, a missing ':') and what to write there instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .messages import msg

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

_KEY = re.compile(r"(?P<dash>(?:- +)*)(?P<key>[^\s#'\"\[\]{},:&*!|>%@`-][^:#]*?):(?: |$)")
"""The start of a line's content: optional list dashes, then ``key:``."""
_SHOWN = 30
_FIX = 120
_TRIED = 3


@dataclass(frozen=True)
class Explained:
    """A YAML mistake: the 0-based line and column where it is, what, and the fix."""

    line: int
    column: int
    message: str
    hint: str = ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    """Whether a line holds data (not blank, not only a comment)."""
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _shown(text: str, limit: int = _SHOWN) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fix(text: str) -> str:
    """A line to write, in full unless it is very long."""
    return _shown(text, _FIX)


def _parses_past(lines: list[str], line: int) -> bool:
    """Whether libyaml reads ``lines`` without an error up to and including ``line``."""
    try:
        yaml.compose("\n".join(lines), Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return mark is not None and mark.line > line
    except (yaml.YAMLError, RecursionError):
        return False
    return True


def _quote_fix(key: str, value: str) -> str:
    """``key: value`` with ``value`` in quotes that suit what it contains."""
    if '"' not in value:
        return f'{key}"{value}"'
    if "'" not in value:
        return f"{key}'{value}'"
    return f"{key}'{value.replace(chr(39), chr(39) * 2)}'"


def _value_start(line: str) -> tuple[str, str]:
    """A line split into its ``key: `` or ``- `` lead and the value after it."""
    found = _KEY.match(line.lstrip(" "))
    indent = line[: _indent(line)]
    if found:
        lead = indent + found.group(0)
        return lead, line[len(lead) :]
    stripped = line.lstrip(" ")
    dashes = re.match(r"(?:- +)*", stripped)
    lead = indent + (dashes.group(0) if dashes else "")
    return lead, line[len(lead) :]


def _closes(value: str) -> bool:
    """Whether a value that starts with a quote closes it on the same line."""
    quote = value[0]
    index = 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1 : index + 2] == "'":
                index += 2
                continue
            return True
        index += 1
    return False


def _unclosed_quote(lines: list[str], last: int, offset: int) -> Explained | None:
    """The first value up to line ``last`` that opens a quote and does not close it."""
    for number, line in enumerate(lines[: last + 1]):
        if not _content(line):
            continue
        lead, value = _value_start(line)
        value = value.rstrip()
        if not value or value[0] not in "\"'" or _closes(value):
            continue
        fixed = lead.strip() + " " + value + value[0] if lead.strip() else value + value[0]
        return Explained(
            number,
            len(lead),
            msg("the quote {quote} opened here is not closed", quote=value[0]),
            msg(
                "end the value on line {line} with {quote}: {fixed}",
                line=number + 1 + offset,
                quote=value[0],
                fixed=_fix(fixed),
            ),
        )
    return None


def _after_quote(lines: list[str], line: int, column: int, offset: int) -> Explained | None:
    """Text after a closing quote on ``line``: the value is quoted only in part."""
    text = lines[line]
    lead, value = _value_start(text)
    value = value.rstrip()
    if not value or value[0] not in "\"'" or column <= len(lead):
        return None
    quote = value[0]
    inner = value[1:]
    if quote == "'":
        inner = inner.replace("''", "'")
    if inner.endswith(quote):
        inner = inner[:-1]
    fixed = _quote_fix(lead.strip() + " ", inner)
    return Explained(
        line,
        len(lead),
        msg("the value goes on after its closing quote {quote}", quote=quote),
        msg("put the whole value in quotes: {fixed}", fixed=_fix(fixed)),
    )


def _outline(lines: list[str], line: int) -> list[tuple[int, str, int, bool]]:
    """The lines above ``line`` that open the blocks it may belong to, nearest
    first: ``(column, what starts there, line, is a list entry)``."""
    found: list[tuple[int, str, int, bool]] = []
    limit = 1 << 30
    for number in range(line - 1, -1, -1):
        text = lines[number]
        if not _content(text):
            continue
        indent = _indent(text)
        if indent >= limit:
            continue
        limit = indent
        stripped = text.lstrip(" ")
        if stripped.startswith("- ") or stripped == "-":
            found.append((indent, "- " + _shown(stripped[2:]), number, True))
            key = _KEY.match(stripped)
            if key and key.group("dash"):
                found.append(
                    (indent + len(key.group("dash")), key.group("key") + ":", number, False)
                )
        else:
            key = _KEY.match(stripped)
            if key:
                found.append((indent, key.group("key") + ":", number, False))
        if indent == 0:
            break
    return found


def _reindent(lines: list[str], line: int, offset: int) -> Explained | None:
    """The column ``line`` should start at, like a line above it, if moving it
    there makes the text readable."""
    text = lines[line]
    indent = _indent(text)
    stripped = text.lstrip(" ")
    entry = stripped.startswith("- ") or stripped == "-"
    key = _KEY.match(stripped)
    what = "- " + _shown(stripped[2:]) if entry else (key.group("key") + ":" if key else "")
    if not what:
        return None
    candidates = [c for c in _outline(lines, line) if c[3] == entry and c[0] != indent]
    candidates.sort(key=lambda c: (abs(c[0] - indent), -c[0]))
    for column, like, other, _ in candidates[:_TRIED]:  # each try reads the text again
        moved = lines[:line] + [" " * column + stripped] + lines[line + 1 :]
        if not _parses_past(moved, line):
            continue
        hint = indent_hint(line + 1 + offset, indent - column, like, other + 1 + offset)
        return Explained(line, indent, msg("'{what}' is indented wrongly", what=what), hint)
    return None


def indent_hint(line: int, by: int, like: str, other: int) -> str:
    """``indent line 7 by 2 spaces less, like 'role:' in line 6`` (``by`` > 0: less)."""
    values: dict[str, Any] = {"line": line, "like": like, "other": other}
    if by == 1:
        return msg("indent line {line} by one space less, like '{like}' in line {other}", **values)
    if by == -1:
        return msg("indent line {line} by one space more, like '{like}' in line {other}", **values)
    if by > 0:
        return msg(
            "indent line {line} by {count} spaces less, like '{like}' in line {other}",
            count=by,
            **values,
        )
    return msg(
        "indent line {line} by {count} spaces more, like '{like}' in line {other}",
        count=-by,
        **values,
    )


def run_together(
    lines: list[str], line: int, column: int, offset: int
) -> tuple[int, int, str] | None:
    """A list entry at ``line``/``column`` (0-based) whose text goes on in a line
    that starts with '- ', indented too far to be an entry of its own:
    ``(line, column, hint)`` of that line, 0-based, or None."""
    before = lines[line][:column].rstrip()
    if not before.endswith("-"):
        return None
    dash = len(before) - 1
    for number in range(line + 1, len(lines)):
        text = lines[number]
        if not _content(text):
            return None
        indent = _indent(text)
        if indent <= dash:
            return None
        if text.lstrip(" ").startswith("- "):
            like = "- " + _shown(lines[line][column:])
            return (
                number,
                indent,
                indent_hint(number + 1 + offset, indent - dash, like, line + 1 + offset),
            )
    return None


def _missing_colon(lines: list[str], line: int, offset: int) -> Explained | None:
    """A line like ``region kreis-steinfurt`` that lacks the ':' after its field name."""
    text = lines[line]
    stripped = text.strip()
    found = re.match(r"(- +)?([A-Za-z_][A-Za-z0-9_]*)(?: +(.*))?$", stripped)
    if not found or ":" in stripped.split(" ", 1)[0]:
        return None
    fixed = f"{found.group(1) or ''}{found.group(2)}: {found.group(3) or ''}".rstrip()
    return Explained(
        line,
        _indent(text),
        msg("there is no ':' after the field name '{name}'", name=found.group(2)),
        msg("write line {line} as: {fixed}", line=line + 1 + offset, fixed=_fix(fixed)),
    )


def _colon_in_value(lines: list[str], line: int, offset: int) -> Explained | None:
    """``title: Kurzarbeit: Fragen`` — a value with ': ' that needs quotes."""
    lead, value = _value_start(lines[line])
    value = value.strip()
    if not lead.strip() or not value:
        return None
    return Explained(
        line,
        len(lead),
        msg("the value contains ': ' and must be in quotes"),
        msg("write: {fixed}", fixed=_fix(_quote_fix(lead.strip() + " ", value))),
    )


def _over_indented(lines: list[str], line: int, column: int, offset: int) -> Explained | None:
    """``mapping values are not allowed``: a field on a line of its own that
    continues the value above (indented too far), a value with ': ', or a line
    above without its ':'."""
    text = lines[line]
    key = _KEY.match(text.lstrip(" "))
    at_first_colon = key is not None and column == _indent(text) + len(key.group(0).rstrip()) - 1
    if not at_first_colon:
        return _colon_in_value(lines, line, offset)
    above = next((n for n in range(line - 1, -1, -1) if _content(lines[n])), None)
    if above is not None and _indent(lines[above]) == _indent(text) and ":" not in lines[above]:
        return _missing_colon(lines, above, offset)
    return _reindent(lines, line, offset)


LIBYAML_MESSAGES = {
    # translated in messages_de.py as they are (they are not templates)
    "mapping values are not allowed in this context",
    "could not find expected ':'",
    "did not find expected key",
    "found character that cannot start any token",
    "did not find expected node content",
    "found unexpected end of stream",
    "found a tab character that violates indentation",
    "did not find expected ',' or ']'",
    "did not find expected ',' or '}'",
    "found unexpected ':'",
    "block sequence entries are not allowed in this context",
    "did not find expected '-' indicator",
    "found unknown escape character",
    "found undefined tag handle",
}


def libyaml_message(problem: str) -> str:
    """libyaml's own words, which have a German text, or a general message."""
    if problem in LIBYAML_MESSAGES:
        return problem
    return msg("this is not valid YAML")


def explain(text: str, error: yaml.MarkedYAMLError, offset: int) -> Explained | None:
    """The mistake behind libyaml's ``error`` in ``text``, if it can be told."""
    lines = text.split("\n")
    mark = error.problem_mark or error.context_mark
    if mark is None or mark.line >= len(lines) + 1:
        return None
    line, column = min(mark.line, len(lines) - 1), mark.column
    problem = error.problem or ""
    if error.context == "while scanning a quoted scalar" and error.context_mark is not None:
        return _unclosed_quote(lines, error.context_mark.line, offset)
    quote = _unclosed_quote(lines, line - 1, offset)
    if quote is not None:
        return quote
    if problem == "could not find expected ':'" and error.context_mark is not None:
        return _missing_colon(lines, error.context_mark.line, offset)
    if problem == "mapping values are not allowed in this context":
        return _over_indented(lines, line, column, offset)
    at_start = column == _indent(lines[line])
    if problem in ("did not find expected key", "did not find expected '-' indicator"):
        if not at_start:
            return _after_quote(lines, line, column, offset)
        moved = _reindent(lines, line, offset)
        if moved is not None:
            return moved
    if problem == "block sequence entries are not allowed in this context":
        return Explained(
            line,
            column,
            problem,
            msg("put each list entry on a line of its own below the field, starting with '- '"),
        )
    if problem.startswith("did not find expected ','") and error.context_mark is not None:
        return _unclosed_bracket(lines, error.context_mark.line, error.context_mark.column, offset)
    if problem == "found unknown escape character":
        lead, value = _value_start(lines[line])
        inner = value.strip()[1:-1] if value.strip().endswith('"') else value.strip()[1:]
        return Explained(
            line,
            len(lead),
            msg("a \\ in double quotes starts a special character"),
            msg("use single quotes: {fixed}", fixed=_fix(f"{lead.strip()} '{inner}'")),
        )
    if at_start and problem == "did not find expected key":
        return Explained(
            line,
            column,
            problem,
            msg(
                "check the indentation of line {line}: the fields of one block "
                "start in the same column",
                line=line + 1 + offset,
            ),
        )
    return None


def _unclosed_bracket(lines: list[str], line: int, column: int, offset: int) -> Explained | None:
    """``industries: [a, b`` — a list or a set of fields in brackets left open."""
    text = lines[line].rstrip()
    opening = text[column : column + 1]
    if opening not in "[{" or not opening:
        return None
    closing = "]" if opening == "[" else "}"
    fixed = text.strip() + closing if closing not in text[column:] else ""
    return Explained(
        line,
        column,
        msg("the bracket {opening} opened here is not closed", opening=opening),
        msg("end it with {closing}: {fixed}", closing=closing, fixed=_fix(fixed))
        if fixed
        else msg("separate the entries with ', ' and end them with {closing}", closing=closing),
    )
