"""Short plain-text descriptions for meta tags and link previews (Open Graph)."""

from __future__ import annotations

import re

from markupsafe import Markup

DESCRIPTION_LIMIT = 200
"""The most characters of a description, the ellipsis included."""

_SENTENCE_END = re.compile(r"(?:[!?]|(?<=[^\W\d_]{4})\.)(?=\s+[\"„“']?[A-ZÄÖÜ0-9])")
"""The end of a sentence: ``!`` or ``?``, or a full stop after a word of at least four
letters (not ``2.``, ``Co.``, ``bzw.``), before the capital letter of the next one."""


def first_sentence(text: str) -> str:
    """The first sentence of a plain text (all of it if it has only one)."""
    text = " ".join(str(text).split())
    found = _SENTENCE_END.search(text)
    return text[: found.end()] if found else text


def summary(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Plain text of at most ``limit`` characters, cut between words with ``…``."""
    if isinstance(text, Markup):
        text = text.unescape()
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    else:  # one word longer than the limit: cut it at the limit rather than show none
        cut = cut[: limit - 1]
    return cut.rstrip(" ,;:–-") + "…"
