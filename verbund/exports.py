"""Member data for other programs: CSV and JSON for mail merges, vCards for address books."""

from __future__ import annotations

import csv
import io
import json
import marshal
from collections.abc import Callable
from typing import Any

from .cache import Cache
from .directory import index_row, positions
from .site import MemberPage, Site

COLUMNS = ["slug", "name", "profile_url", "industries", "services", "associations",
           "region", "street", "postal_code", "city", "website", "email", "phone",
           "member_since", "employees"]


def member_record(site: Site, member: MemberPage) -> dict[str, Any]:
    """One member as flat fields, in :data:`COLUMNS` order."""
    data = member.data
    address, contact = data.address, data.contact
    return {
        "slug": member.slug,
        "name": data.name,
        "profile_url": site.url(member.path),
        "industries": [i.name for i in member.industries],
        "services": list(data.services),
        "associations": [a.name for a in member.associations],
        "region": member.region.name,
        "street": address.street if address else None,
        "postal_code": address.postal_code if address else None,
        "city": address.city if address else None,
        "website": contact.website if contact else None,
        "email": contact.email if contact else None,
        "phone": contact.phone if contact else None,
        "member_since": data.member_since,
        "employees": data.employees,
    }


def members_json(site: Site, rows: MemberRows | None = None) -> bytes:
    """``{"members": [...]}`` with one member per line."""
    records = (rows or MemberRows(site)).json_lines()
    return f'{{"members": [\n{records}\n]}}\n'.encode()


def spreadsheet_cell(value: Any) -> str:
    """Text a spreadsheet shows as text: lists joined, formulas defused.

    A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or CR) would be run as
    a formula by Excel or LibreOffice; a leading apostrophe keeps it text.
    """
    if value is None:
        return ""
    text = "; ".join(value) if isinstance(value, list) else str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t") else text


def members_csv(site: Site, rows: MemberRows | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens umlauts correctly."""
    head = _csv_line(COLUMNS)
    return ("\ufeff" + head + (rows or MemberRows(site)).csv_lines()).encode("utf-8")


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue()


class MemberRows:
    """Each member's line of ``members.csv`` and ``members.json`` and its row of
    the directory index, made once per build: each file's rows joined in order,
    let go once the file took them.

    With a ``cache`` and ``row_key`` (a key that changes with all that shapes a
    member's rows), rows made by earlier builds are reused, so that a changed member costs its
    own rows, not everyone's; new rows are kept as they are made.
    """

    CSV, JSON, INDEX = 0, 1, 2
    """Which of a member's rows: its CSV line, its JSON line, its index row."""
    SEPARATORS = ("", ",\n", ",")
    """Between two CSV lines (each ends with CRLF), JSON lines and index rows."""

    def __init__(self, site: Site, cache: Cache | None = None,
                 row_key: Callable[[MemberPage], str] | None = None):
        self.site = site
        self.cache = cache or Cache(None)
        self.row_key = row_key
        self.made = 0
        """How many members' rows were made, not recalled."""
        self._texts: list[str | None] = [None, None, None]

    def csv_lines(self) -> str:
        return self._take(self.CSV)

    def json_lines(self) -> str:
        """The members' JSON objects, one per line, with commas between."""
        return self._take(self.JSON)

    def index_rows(self) -> str:
        """The members' index rows (see :func:`~verbund.directory.index_row`), with commas."""
        return self._take(self.INDEX)

    def row(self, member: MemberPage) -> tuple[str, str, str]:
        """One member's rows (its CSV line, JSON line and index row), kept when made."""
        keys = [self.row_key(member)] if self.row_key else []
        row = kept_rows(self.cache, keys).get(keys[0]) if keys else None
        if row is None:
            row = self._fresh(member, positions(self.site))
            if keys:
                self.cache.put("rows", {keys[0]: marshal.dumps(row)})
        return row

    def keys(self) -> list[str]:
        """Where the rows of the site's members are kept."""
        return [self.row_key(m) for m in self.site.members] if self.row_key else []

    def _take(self, kind: int) -> str:
        if self._texts[kind] is None:
            self._texts = self._made()
        text, self._texts[kind] = self._texts[kind] or "", None
        return text

    def _made(self) -> list[str | None]:
        """The rows of every member in directory order, joined for each file.
        Joined chunk by chunk: a few long strings take less memory than a
        hundred thousand short ones."""
        site, position = self.site, positions(self.site)
        chunks: list[list[str]] = [[], [], []]
        members = site.members
        for start in range(0, len(members), ROWS_AT_ONCE):
            chunk = members[start:start + ROWS_AT_ONCE]
            keys = [self.row_key(m) for m in chunk] if self.row_key else []
            found = self.cache.get("rows", keys)
            fresh: dict[str, bytes] = {}
            rows: list[tuple[str, str, str]] = []
            for n, member in enumerate(chunk):
                row = _recalled(found.get(keys[n])) if keys else None
                if row is None:
                    row = self._fresh(member, position)
                    if keys:
                        fresh[keys[n]] = marshal.dumps(row)
                rows.append(row)
            self.cache.put("rows", fresh)
            for kind, separator in enumerate(self.SEPARATORS):
                chunks[kind].append(separator.join(row[kind] for row in rows))
        return [separator.join(parts) for separator, parts in zip(self.SEPARATORS, chunks,
                                                                  strict=True)]

    def _fresh(self, member: MemberPage, position: dict[str, dict[str, int]]
               ) -> tuple[str, str, str]:
        record = member_record(self.site, member)
        self.made += 1
        return (_csv_line([spreadsheet_cell(record[c]) for c in COLUMNS]),
                json.dumps(record, ensure_ascii=False), index_row(member, position))


ROWS_AT_ONCE = 2000
"""Members whose rows are looked up together (not all of them in memory twice)."""


def row_files(words: dict[str, str]) -> dict[str, int]:
    """The files made of every member's rows, by output path, each with the row of
    a member it holds (:attr:`MemberRows.CSV`, ...)."""
    return {f"{words['members']}/index.json": MemberRows.INDEX,
            "members.csv": MemberRows.CSV, "members.json": MemberRows.JSON}


def kept_rows(cache: Cache, keys: list[str]) -> dict[str, tuple[str, str, str]]:
    """The rows :class:`MemberRows` kept under ``keys`` (those it has)."""
    found = {key: _recalled(value) for key, value in cache.get("rows", keys).items()}
    return {key: row for key, row in found.items() if row is not None}


def _recalled(value: object) -> tuple[str, str, str] | None:
    """Rows as kept by :class:`MemberRows`; None if they are not."""
    if not isinstance(value, bytes):
        return None
    try:
        row = marshal.loads(value)
    except (ValueError, EOFError, TypeError):
        return None
    if isinstance(row, tuple) and len(row) == 3 and all(isinstance(r, str) for r in row):
        return row
    return None


# -- vCard 4.0 (RFC 6350) -------------------------------------------------------


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (RFC 6350 3.2),
    never within a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while len(encoded) - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:  # a continuation byte: the character starts before
            end -= 1
        parts.append(encoded[start:end])
        start, limit = end, 74
    parts.append(encoded[start:])
    return b"\r\n ".join(parts).decode("utf-8")


def vcard(site: Site, member: MemberPage) -> bytes:
    data = member.data
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:org",
             f"FN:{_escape(data.name)}", f"ORG:{_escape(data.name)}"]
    if data.address:
        a = data.address
        lines.append("ADR;TYPE=work:;;" + ";".join(
            _escape(v or "") for v in (a.street, a.city, "", a.postal_code)) + ";")
    if data.contact:
        c = data.contact
        if c.phone:
            lines.append(f"TEL;TYPE=work,voice;VALUE=uri:tel:{_escape(tel(c.phone))}")
        if c.email:
            lines.append(f"EMAIL;TYPE=work:{_escape(c.email)}")
        if c.website:
            lines.append(f"URL:{_escape(c.website)}")
    if member.industries:
        lines.append("CATEGORIES:" + ",".join(_escape(i.name) for i in member.industries))
    lines.append(f"SOURCE:{_escape(site.url(member.path + member.slug + '.vcf'))}")
    lines.append("END:VCARD")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def tel(phone: str) -> str:
    """``+49 5971 12345`` → ``+49-5971-12345`` (a tel URI, RFC 3966)."""
    return "-".join(phone.replace("/", " ").replace("(", " ").replace(")", " ").split())
