"""Link checking: every internal link and anchor of the rendered site resolves.

Runs on the links of the rendered pages before the new output takes the old
one's place, so a broken link stops the build with the content file that holds
it (as Zola checks before it publishes). Links to other hosts, ``mailto:`` and ``tel:`` are not
followed; a scheduled workflow looks at those.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from posixpath import normpath
from urllib.parse import unquote, urlsplit

from .messages import msg
from .problems import Problem

_ATTRIBUTE = re.compile(r'\s(href|src|id)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class PageLinks:
    """The URLs a page links to or loads (each once, in order) and the ids it defines."""

    urls: tuple[str, ...]
    ids: frozenset[str]

    def to_json(self) -> str:
        return json.dumps([list(self.urls), sorted(self.ids)], ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> PageLinks:
        urls, ids = json.loads(text)
        return cls(tuple(urls), _shared(frozenset(ids)))


_ID_SETS: dict[frozenset[str], frozenset[str]] = {}
"""One object for each set of ids: pages of a kind define the same ones (a site of
100,000 pages keeps their links until they are checked)."""


def _shared(ids: frozenset[str]) -> frozenset[str]:
    return _ID_SETS.setdefault(ids, ids)


def page_links(page: str) -> PageLinks:
    """The links of an HTML page (links to other hosts left out).

    The texts and the sets of ids are shared: the links of every page of a site
    are kept until they are checked, and most (menus, footers, lists) are the same
    on many.
    """
    urls: dict[str, None] = {}
    ids = set()
    for name, value in _ATTRIBUTE.findall(page):
        if name == "id":
            ids.add(sys.intern(html.unescape(value)))
        else:
            url = html.unescape(value)
            if not _SCHEME.match(url) and not url.startswith("//"):
                urls[sys.intern(url)] = None
    return PageLinks(tuple(urls), _shared(frozenset(ids)))


def _resolve(page: str, url: str, base_path: str) -> tuple[str, str] | None:
    """The output path and fragment ``url`` points to from ``page``; None if external.

    ``page`` is output-relative (``mitglieder/x/index.html``); absolute paths
    are read under ``base_path``, the path of the site's base URL.
    """
    if _SCHEME.match(url) or url.startswith("//"):
        return None
    parts = urlsplit(url)
    path = unquote(parts.path)
    if not path:
        target = page
    else:
        if path.startswith("/"):
            if not path.startswith(base_path):
                return ("/" + path.lstrip("/"), parts.fragment)  # outside the site
            joined = path[len(base_path) :]
        else:
            joined = page.rsplit("/", 1)[0] + "/" + path if "/" in page else path
        target = normpath(joined) if joined.strip("/") else ""
        if target == ".":
            target = ""
        if target.startswith(".."):
            return ("/" + target, parts.fragment)
        if path.endswith("/") or target == "":
            target = (target + "/index.html").lstrip("/")
    return target, parts.fragment


def _position(url: str, body: tuple[str, int] | None) -> tuple[int, int]:
    """Line and column where a body's Markdown holds ``url``; (0, 0) if it does not."""
    if body is None:
        return 0, 0
    text, first_line = body
    at = text.find(url)
    if at < 0:  # blanks were encoded in the HTML
        at = text.find(unquote(url))
    if at < 0:
        return 0, 0
    return first_line + text.count("\n", 0, at), at - text.rfind("\n", 0, at)


def _hint(url: str) -> str:
    head = url.split("/", 1)[0]
    if "@" in head and "/" not in url:
        return msg("write an e-mail address in angle brackets, like <info@example.org>")
    if "." in head and not url.startswith("."):
        return msg("for another website write it in full, like 'https://example.org/'")
    return msg("correct or remove the link")


def _dropped(source: str, body: tuple[str, int]) -> list[Problem]:
    """Warnings for the links of a body left out of its HTML (they cannot work)."""
    from .markup import dropped_links  # Markdown: only when a page has broken links

    problems = []
    for url in dropped_links(body[0]):
        line, column = _position(url, body)
        problems.append(
            Problem(
                source,
                line or body[1],
                column or 1,
                "",
                msg("the link '{url}' leads to a page that does not exist", url=url),
                _hint(url),
                "warning",
            )
        )
    return problems


def broken_links(
    pages: Mapping[str, PageLinks],
    files: Collection[str],
    base_path: str,
    sources: Mapping[str, str],
    check: Iterable[str] | None = None,
    provided: Iterable[str] = (),
    bodies: Mapping[str, tuple[str, int]] | None = None,
) -> list[Problem]:
    """One problem per link in a rendered HTML page that leads nowhere.

    ``pages`` holds the links of the HTML pages by output path, ``files`` every
    output path. Only the pages in ``check`` are looked at (default: all).
    Each problem names the content file behind the page (``sources``). A link
    an editor wrote in a Markdown body (``bodies``: source → text and first
    line) is a warning at its line; a link the templates made is an error. A link
    left out of a body's HTML because it cannot work (prose where an address
    belongs) is a warning too.
    ``provided`` are path prefixes made after rendering (the search index),
    taken as present.
    """
    bodies = bodies or {}
    provided = tuple(provided)
    problems: list[Problem] = []
    for page in sorted(pages if check is None else check):
        source = sources.get(page, page)
        body = bodies.get(source)
        if body is not None:
            problems += _dropped(source, body)
        for url in pages[page].urls:
            resolved = _resolve(page, url, base_path)
            if resolved is None:
                continue
            target, fragment = resolved
            message = None
            if target.startswith("/"):
                message = msg("the link '{url}' leads out of the site's folder", url=url)
            elif target not in files and not target.startswith(provided):
                message = msg("the link '{url}' leads to a page that does not exist", url=url)
            elif (
                fragment
                and target.endswith(".html")
                and target in pages
                and fragment not in pages[target].ids
            ):
                message = msg("the link '{url}' leads to an anchor that does not exist", url=url)
            if not message:
                continue
            line, column = _position(url, body)
            if line:
                problems.append(Problem(source, line, column, "", message, _hint(url), "warning"))
            else:
                problems.append(
                    Problem(
                        source,
                        0,
                        0,
                        "",
                        message,
                        msg("on the page {page}; the templates need a fix", page=page),
                    )
                )
    return problems
