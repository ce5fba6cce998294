"""Messages for editors, told in the site's language.

Code writes each message in English as a template with named values:
``msg("unknown industry '{value}'", value=value)``. The result is the English
text (a ``str``) that remembers its template and values, so :func:`translate`
can tell it in another language from a catalogue (``messages_de.py``). Values
that are messages themselves are translated too; everything else (what the
editor wrote, file names, numbers) is kept as it is.
"""

from __future__ import annotations

import os
from typing import Any

from .messages_de import GERMAN

CATALOGS: dict[str, dict[str, str]] = {"de": GERMAN}
LANGUAGES = ("de", "en")


class Message(str):
    """The English text of a message, with the template and values it came from."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, values: dict[str, Any]) -> Message:
        self = super().__new__(cls, template.format(**values) if values else template)
        self.template = template
        self.values = values
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.template, self.values))


def msg(template: str, **values: Any) -> Message:
    """A message: ``template`` in English with ``{name}`` fields filled from ``values``."""
    return Message(template, values)


def translate(text: str, language: str) -> str:
    """``text`` in ``language``; English where the catalogue has no entry."""
    catalog = CATALOGS.get(language)
    if catalog is None or not text:
        return str(text)
    if not isinstance(text, Message):
        return catalog.get(text, str(text))
    target = catalog.get(text.template)
    if target is None:
        return str(text)
    values = {
        name: translate(value, language) if isinstance(value, Message) else value
        for name, value in text.values.items()
    }
    return target.format(**values)


def kept(text: str) -> Any:
    """``text`` as values :mod:`marshal` can keep, its template and values included
    (see :func:`recalled`)."""
    if not isinstance(text, Message):
        return str(text)
    return (
        "message",
        text.template,
        {
            name: kept(value)
            if isinstance(value, str)
            else value
            if isinstance(value, (int, float))
            else str(value)
            for name, value in text.values.items()
        },
    )


def recalled(value: Any) -> str:
    """The message :func:`kept` made ``value`` of; ValueError if it is none."""
    if isinstance(value, str):
        return value
    try:
        _, template, values = value
        return Message(
            template,
            {
                name: item if isinstance(item, (int, float)) else recalled(item)
                for name, item in values.items()
            },
        )
    except (TypeError, KeyError, IndexError, AttributeError) as error:
        raise ValueError(f"not a kept message: {error}") from None


def message_language(site_language: str | None) -> str:
    """The language for messages: ``VERBUND_MESSAGES`` if set, else the site's (German)."""
    chosen = os.environ.get("VERBUND_MESSAGES") or site_language or "de"
    return chosen if chosen in LANGUAGES else "de"
