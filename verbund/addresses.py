"""The content's addresses on other hosts, each with its file, line and field:
members, events, pages, partners and the associations of ``site.yaml``.

The scheduled link check (``verbund links``, ``.github/workflows/links.yml``) has
lychee try them, then turns lychee's JSON report into the issue the office
reads: which file to open and which address to ask the firm about.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .load import split_front_matter
from .markup import markdown_to_html
from .messages import msg, translate
from .validate import Content, Item
from .yamlsource import Location, YamlError, read_yaml

FIELDS: dict[str, list[Location]] = {
    "content/members/": [("contact", "website")],
    "content/events/": [("registration", "url"), ("online", "url"), ("recording",)],
}
"""Where each kind of content file names an address."""

_LINK = re.compile(r'<a\s[^>]*?href="(https?://[^"]+)"')


@dataclass(frozen=True, order=True)
class Address:
    """An address on another host, where the content names it."""

    path: str
    line: int
    field: str
    """``contact.website`` and the like, or ``text`` for a link in the body."""
    url: str


def addresses(content: Content, site_root: Path) -> list[Address]:
    """Every address the members, events, pages and ``site.yaml`` name."""
    found: set[Address] = set()
    for index, association in enumerate(content.config.associations):
        if association.website:
            location: Location = ("associations", index, "website")
            line = _lines(site_root / "site.yaml", [location]).get(location, 0)
            found.add(Address("site.yaml", line, _field(location), association.website))
    for index, partner in enumerate(content.partners):
        if partner.website:
            location = (index, "website")
            line = _lines(site_root / "content/partners.yaml", [location]).get(location, 0)
            found.add(Address("content/partners.yaml", line, _field(location), partner.website))
    items: list[Item[Any]] = [*content.members, *content.events, *content.pages]
    for item in items:
        named = [
            (location, value)
            for location in FIELDS.get(item.source.rpartition("/")[0] + "/", [])
            if (value := _value(item.data, location))
        ]
        lines = _lines(site_root / item.source, [location for location, _ in named])
        for location, value in named:
            found.add(Address(item.source, lines.get(location, 0), _field(location), value))
        for url, line in _body_links(item.body):
            found.add(Address(item.source, item.body_line + line, "text", url))
    return sorted(found)


def _value(data: Any, location: Location) -> str | None:
    for part in location:
        data = getattr(data, str(part), None)
    return data if isinstance(data, str) else None


def _field(location: Location) -> str:
    return "".join(
        f".{part}" if isinstance(part, str) else f"[{part}]" for part in location
    ).lstrip(".")


def _lines(file: Path, locations: list[Location]) -> dict[Location, int]:
    """The line of each of ``locations`` in a YAML or front-matter file."""
    if not locations:
        return {}
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return {}
    offset = 0
    if file.suffix == ".md":
        parts = split_front_matter(text)
        if parts is None:
            return {}
        text, offset = parts[0], 1
    try:
        spans = read_yaml(text, line_offset=offset)[1]
    except YamlError:
        return {}
    return {location: spans[location].value.line for location in locations if location in spans}


def _body_links(body: str) -> Iterator[tuple[str, int]]:
    """The links to other hosts in a Markdown body, with the line (from 0) of each."""
    lines = body.split("\n")
    for url in dict.fromkeys(html.unescape(u) for u in _LINK.findall(markdown_to_html(body))):
        yield url, next((n for n, line in enumerate(lines) if url in line), 0)


def unreachable(report: Mapping[str, Any]) -> dict[str, str]:
    """The addresses lychee's JSON report found broken or timed out, with the reason."""
    found: dict[str, str] = {}
    for name in ("error_map", "fail_map", "timeout_map"):
        for responses in (report.get(name) or {}).values():
            for response in responses:
                status = response.get("status") or {}
                reason = status.get("text") or status.get("details") or ""
                found[_same(response.get("url", ""))] = str(reason)
    found.pop("", None)
    return found


def _same(url: str) -> str:
    """``url`` as lychee may have written it back (a slash added to a bare host,
    the scheme and host in lower case)."""
    scheme, _, rest = url.strip().rstrip("/").partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def issue_text(dead: list[tuple[Address, str]], language: str) -> str:
    """The issue the office reads: the files to open, the addresses to ask about."""

    def told(text: str, **values: object) -> str:
        return translate(msg(text, **values), language)

    rows = [
        told(
            "These addresses could not be reached in the last check. Ask the firm for the "
            "new one, correct it in the file or remove it; this issue is closed when every "
            "address works again."
        ),
        "",
        told("| file | line | field | address | error |"),
        "|---|---:|---|---|---|",
    ]
    for address, reason in dead:
        cells = [address.path, str(address.line or ""), address.field, address.url, reason]
        rows.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(rows) + "\n"


def dead_addresses(found: list[Address], report: Mapping[str, Any]) -> list[tuple[Address, str]]:
    """The ``found`` addresses that the report says are unreachable."""
    broken = unreachable(report)
    return [(a, broken[_same(a.url)]) for a in found if _same(a.url) in broken]
