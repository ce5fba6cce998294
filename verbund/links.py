"""Link checking: every internal link and anchor of the rendered site resolves.

Runs on the rendered files in memory, before anything is written, so a broken
link stops the build with the content file that holds it (as Zola checks
before it writes). Links to other hosts, ``mailto:`` and ``tel:`` are not
followed; a scheduled workflow looks at those.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from posixpath import normpath
from urllib.parse import unquote, urlsplit

from .messages import msg
from .problems import Problem
from .render import Output

_ATTRIBUTE = re.compile(r'\s(href|src|id)="([^"]*)"')
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _targets(page: str) -> tuple[list[str], set[str]]:
    """The URLs a page links to or loads, and the ids it defines."""
    urls, ids = [], set()
    for name, value in _ATTRIBUTE.findall(page):
        if name == "id":
            ids.add(html.unescape(value))
        else:
            urls.append(html.unescape(value))
    return urls, ids


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
            joined = path[len(base_path):]
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


def broken_links(output: Output, base_path: str, provided: Iterable[str] = (),
                 bodies: Mapping[str, tuple[str, int]] | None = None) -> list[Problem]:
    """One problem per link in a rendered HTML page that leads nowhere.

    Each names the content file behind the page. A link an editor wrote in a
    Markdown body (``bodies``: source → text and first line) is a warning at its
    line; a link the templates made is an error. ``provided`` are path prefixes
    made after rendering (the search index), taken as present.
    """
    bodies = bodies or {}
    provided = tuple(provided)
    files = output.files.keys() | output.copies.keys()
    pages = {path: _targets(data.decode("utf-8")) for path, data in output.files.items()
             if path.endswith(".html")}
    problems: list[Problem] = []
    for page, (urls, _) in sorted(pages.items()):
        seen: set[str] = set()
        for url in urls:
            resolved = _resolve(page, url, base_path)
            if resolved is None or url in seen:
                continue
            seen.add(url)
            target, fragment = resolved
            message = None
            if target.startswith("/"):
                message = msg("the link '{url}' leads out of the site's folder", url=url)
            elif target not in files and not target.startswith(provided):
                message = msg("the link '{url}' leads to a page that does not exist", url=url)
            elif fragment and target in pages and fragment not in pages[target][1]:
                message = msg("the link '{url}' leads to an anchor that does not exist",
                              url=url)
            if not message:
                continue
            source = output.sources.get(page, page)
            line, column = _position(url, bodies.get(source))
            if line:
                problems.append(Problem(source, line, column, "", message, _hint(url),
                                        "warning"))
            else:
                problems.append(Problem(source, 0, 0, "", message, msg(
                    "on the page {page}; the templates need a fix", page=page)))
    return problems
