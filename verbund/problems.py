"""Problems found in content, and how they are printed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from typing import Any

from .messages import kept, recalled, translate


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, positioned in its source file.

    ``line`` and ``column`` are 1-based; 0 means unknown.
    """

    path: str
    line: int = 0
    column: int = 0
    field: str = ""
    message: str = ""
    hint: str = ""
    severity: str = "error"

    def told(self, language: str) -> Problem:
        """The same problem with message and hint in ``language``."""
        return replace(
            self, message=translate(self.message, language), hint=translate(self.hint, language)
        )

    def kept(self) -> tuple:
        """The problem as values :mod:`marshal` can keep (see :meth:`recalled`)."""
        return (
            self.path,
            self.line,
            self.column,
            self.field,
            kept(self.message),
            kept(self.hint),
            self.severity,
        )

    @classmethod
    def recalled(cls, value: Any) -> Problem:
        """The problem :meth:`kept` made ``value`` of; ValueError if it is none."""
        try:
            path, line, column, field, message, hint, severity = value
        except (TypeError, ValueError):
            raise ValueError("not a kept problem") from None
        return cls(path, line, column, field, recalled(message), recalled(hint), severity)

    @property
    def text(self) -> str:
        """The message with its hint, as one sentence for a person."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ContentError(Exception):
    """Raised by a stage that cannot go on; carries every problem it found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def printable(text: str) -> str:
    """``text`` with invisible and line-breaking characters spelled out (``\\x1e``),
    so a message about them stays on one line and shows what is there."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def format_text(problem: Problem, warning: str = "warning") -> str:
    """``path:line:col: field: message (hint)``, the way compilers print.

    ``warning`` is the word that marks warnings, in the language of the messages.
    """
    where = printable(problem.path)
    if problem.line:
        where += f":{problem.line}:{problem.column or 1}"
    parts = [where]
    if problem.field.strip():
        parts.append(printable(problem.field))
    prefix = "" if problem.severity == "error" else f"{warning}: "
    parts.append(prefix + printable(problem.text))
    return ": ".join(parts)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command, escaped as GitHub's toolkit does."""
    props = [f"file={printable(_escape_property(problem.path))}"]
    if problem.line:
        props.append(f"line={problem.line}")
        props.append(f"col={problem.column or 1}")
    props.append(f"title={printable(_escape_property(problem.field or 'content'))}")
    command = {"error": "error", "note": "notice"}.get(problem.severity, "warning")
    return f"::{command} {','.join(props)}::{printable(_escape_data(problem.text))}"


def format_json(problems: list[Problem]) -> str:
    """All problems as one JSON document, for other tools."""
    return json.dumps({"problems": [asdict(p) for p in problems]}, ensure_ascii=False, indent=2)
