"""Member data for other programs: CSV and JSON for mail merges, an Excel workbook
for people, vCards for address books."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import uuid
from typing import Any

import xlsxwriter
from babel import Locale

from .cache import key
from .dependencies import Memo, record, record_all, recording
from .directory import index_row, positions
from .site import MemberPage, Site

COLUMNS = [
    "slug",
    "name",
    "profile_url",
    "industries",
    "services",
    "associations",
    "region",
    "street",
    "postal_code",
    "city",
    "website",
    "email",
    "phone",
    "member_since",
    "employees",
]


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


FORMULA_START = re.compile(r"(?:^|(?<=[,;\t]))(?=[ \"]*[=+\-@\t\r])")
"""Where a field starts (the cell's start, or after a separator of any kind) that
a spreadsheet would run as a formula: a formula character after spaces or quotes."""


def spreadsheet_cell(value: Any) -> str:
    """Text a spreadsheet shows as text: lists joined, formulas defused.

    A field starting with ``=``, ``+``, ``-``, ``@`` (or a tab or CR) would be run
    as a formula by Excel or LibreOffice; a leading apostrophe keeps it text. A
    file may be split on ``,`` or ``;`` (German Excel) or tabs, whichever it was
    written with, so each part of a cell after one of those gets it too.
    """
    if value is None:
        return ""
    text = "; ".join(value) if isinstance(value, list) else str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    return FORMULA_START.sub("'", text)


def members_csv(site: Site, rows: MemberRows | None = None) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens umlauts correctly."""
    head = _csv_line(COLUMNS)
    return ("\ufeff" + head + (rows or MemberRows(site)).csv_lines()).encode("utf-8")


def _csv_line(cells: list[str]) -> str:
    return ",".join(_csv_cell(cell) for cell in cells) + "\r\n"


def _csv_cell(cell: str) -> str:
    """In quotes if it holds a quote, a line break or a separator of any kind."""
    if any(c in cell for c in ',;\t"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


HEADERS = {
    "de": {
        "slug": "Kennung",
        "name": "Name",
        "profile_url": "Profil",
        "industries": "Branchen",
        "services": "Leistungen",
        "associations": "Verbände",
        "region": "Region",
        "street": "Straße",
        "postal_code": "PLZ",
        "city": "Ort",
        "website": "Website",
        "email": "E-Mail",
        "phone": "Telefon",
        "member_since": "Mitglied seit",
        "employees": "Beschäftigte",
    },
    "en": {
        "slug": "Slug",
        "name": "Name",
        "profile_url": "Profile",
        "industries": "Industries",
        "services": "Services",
        "associations": "Associations",
        "region": "Region",
        "street": "Street",
        "postal_code": "Postal code",
        "city": "City",
        "website": "Website",
        "email": "E-mail",
        "phone": "Phone",
        "member_since": "Member since",
        "employees": "Employees",
    },
}
"""The workbook's column headers, by language, for :data:`COLUMNS`."""
SHEET_NAMES = {"de": "Mitglieder", "en": "Members"}
CELL_MAX = 32767
"""The most characters a spreadsheet cell holds."""


def sheet_cell(value: Any) -> str:
    """A value as the text of a workbook cell: lists joined, line breaks as spaces."""
    if value is None:
        return ""
    text = "; ".join(value) if isinstance(value, list) else str(value)
    return text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")[:CELL_MAX]


def members_xlsx(site: Site, rows: MemberRows | None = None) -> bytes:
    """The member list as an Excel workbook: a header row with a filter, frozen,
    and every value a text cell (postal codes keep their zeros, nothing is run as
    a formula).

    The same members give the same bytes: the parts of the file carry XlsxWriter's
    fixed date, and the document's creation date is 1 January of the newest
    ``member_since`` (1980 without one), not the time of the build.
    """
    lines = (rows or MemberRows(site)).sheet_rows()
    table: list[list[str]] = [json.loads(line) for line in lines.split("\n")] if lines else []
    language = site.config.language
    headers = [HEADERS[language][column] for column in COLUMNS]
    since = COLUMNS.index("member_since")
    newest = max((int(row[since]) for row in table if row[since]), default=1980)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"created": dt.datetime(newest, 1, 1, tzinfo=dt.UTC)})
    text = workbook.add_format({"num_format": "@"})
    head = workbook.add_format({"num_format": "@", "bold": True})
    sheet = workbook.add_worksheet(SHEET_NAMES[language])
    for column, header in enumerate(headers):
        longest = max((len(row[column]) for row in table), default=0)
        width = min(max(longest, len(header) + 3, 8), 50) + 1
        sheet.set_column(column, column, width, text)
        sheet.write_string(0, column, header, head)
    for number, row in enumerate(table, start=1):
        for column, value in enumerate(row):
            if value:
                sheet.write_string(number, column, value, text)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(table), len(headers) - 1)
    workbook.close()
    return buffer.getvalue()


class MemberRows:
    """Each member's line of ``members.csv`` and ``members.json``, its row of the
    workbook and its row of the directory index, made once per build: each file's
    rows joined in order, let go once the file took them.

    With a ``memo`` (see :class:`~verbund.dependencies.Memo`), rows made by
    earlier builds from the same inputs are used again, so that a changed member
    costs its own rows, not everyone's.
    """

    CSV, JSON, INDEX, SHEET = 0, 1, 2, 3
    """Which of a member's rows: its CSV line, its JSON line, its index row, its
    workbook cells (a JSON list of strings)."""
    SEPARATORS = ("", ",\n", ",", "\n")
    """Between two CSV lines (each ends with CRLF), JSON lines, index rows and
    workbook rows."""

    def __init__(self, site: Site, memo: Memo | None = None):
        self.site = site
        self.memo = memo or Memo({})
        self._texts: list[str | None] = [None] * len(self.SEPARATORS)
        self._reads: set[str] = set()

    def csv_lines(self) -> str:
        return self._take(self.CSV)

    def json_lines(self) -> str:
        """The members' JSON objects, one per line, with commas between."""
        return self._take(self.JSON)

    def index_rows(self) -> str:
        """The members' index rows (see :func:`~verbund.directory.index_row`), with commas."""
        return self._take(self.INDEX)

    def sheet_rows(self) -> str:
        """The members' workbook cells, a JSON list of strings per line."""
        return self._take(self.SHEET)

    def names(self) -> list[str]:
        """The names of the site's members' rows (see :class:`~verbund.dependencies.Memo`)."""
        return [_rows_name(member) for member in self.site.members]

    def _take(self, kind: int) -> str:
        if self._texts[kind] is None:
            with recording() as reads:
                self._texts = self._made()
            self._reads = reads
        record_all(self._reads)  # every file of rows read what they were made of
        text, self._texts[kind] = self._texts[kind] or "", None
        return text

    def _made(self) -> list[str | None]:
        """The rows of every member in directory order, joined for each file.
        Joined chunk by chunk: a few long strings take less memory than a
        hundred thousand short ones."""
        site = self.site
        position = positions(site)
        self.memo.derive("positions", position)
        chunks: list[list[str]] = [[] for _ in self.SEPARATORS]
        members = site.members
        for start in range(0, len(members), ROWS_AT_ONCE):
            chunk = members[start : start + ROWS_AT_ONCE]

            def make(n: int, chunk: list[MemberPage] = chunk) -> tuple[str, ...]:
                record("positions")  # the row shows them: see Memo.derive
                return self._fresh(chunk[n], position)

            rows = self.memo.values([_rows_name(m) for m in chunk], make)
            for kind, separator in enumerate(self.SEPARATORS):
                chunks[kind].append(separator.join(row[kind] for row in rows))
            self.memo.forget()  # kept in the cache: not all of them in memory
        return [
            separator.join(parts) for separator, parts in zip(self.SEPARATORS, chunks, strict=True)
        ]

    def _fresh(self, member: MemberPage, position: dict[str, dict[str, int]]) -> tuple[str, ...]:
        record = member_record(self.site, member)
        return (
            _csv_line([spreadsheet_cell(record[c]) for c in COLUMNS]),
            json.dumps(record, ensure_ascii=False),
            index_row(member, position),
            json.dumps([sheet_cell(record[c]) for c in COLUMNS], ensure_ascii=False),
        )


ROWS_AT_ONCE = 2000
"""Members whose rows are looked up together (not all of them in memory twice)."""


def _rows_name(member: MemberPage) -> str:
    """Where a member's rows are kept (with the engine: see :func:`~verbund.cache.key`)."""
    return key("rows", member.source)


def row_files(words: dict[str, str]) -> dict[str, int]:
    """The files made of every member's rows, by output path, each with the row of
    a member it holds (:attr:`MemberRows.CSV`, ...)."""
    return {
        f"{words['members']}/index.json": MemberRows.INDEX,
        "members.csv": MemberRows.CSV,
        "members.json": MemberRows.JSON,
        words["spreadsheet"]: MemberRows.SHEET,
    }


# -- vCard 4.0 (RFC 6350) -------------------------------------------------------


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


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
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "KIND:org",
        f"FN:{_escape(data.name)}",
        f"ORG:{_escape(data.name)}",
    ]
    if data.address:
        a = data.address
        code = a.country or site.config.country
        name = Locale.parse(site.config.language).territories.get(code, code)
        parts = (a.street, a.city, "", a.postal_code, name)
        lines.append(f"ADR;TYPE=work;CC={code}:;;" + ";".join(_escape(v or "") for v in parts))
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
    if data.logo:
        lines.append(f"LOGO:{_escape(site.url(member.path + 'logo.png'))}")
    lines.append(f"UID:{member_uid(site, member)}")
    if member.revised is not None:
        lines.append(f"REV:{member.revised.strftime('%Y%m%dT%H%M%SZ')}")
    lines.append(f"SOURCE:{_escape(site.url(member.path + member.slug + '.vcf'))}")
    lines.append("END:VCARD")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def member_uid(site: Site, member: MemberPage) -> str:
    """The same URN for a member in every build: from the site's address and its slug."""
    return uuid.uuid5(uuid.NAMESPACE_URL, site.config.base_url + member.slug).urn


def tel(phone: str) -> str:
    """``+49 5971 12345`` → ``+49-5971-12345`` (a tel URI, RFC 3966)."""
    return "-".join(phone.replace("/", " ").replace("(", " ").replace(")", " ").split())
