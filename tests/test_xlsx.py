"""The member list as an Excel workbook, read back with openpyxl."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

from verbund.exports import COLUMNS, HEADERS

from .conftest import MEMBER, write
from .test_build import broken_internal_links, links_of
from .test_dependencies import build, same_as_clean

SECOND = (
    MEMBER.replace("name: Muster Logistik GmbH & Co. KG", 'name: "=HYPERLINK(\\"x\\")"')
    .replace('postal_code: "48431"', 'postal_code: "01067"')
    .replace('phone: "+49 5971 12345"', 'phone: "0351 / 4 12 34-0"')
    .replace("member_since: 2012", "member_since: 2019")
    .replace("muster-logistik.example", "dresden.example")  # another firm
)


def two_members(site: Path) -> Path:
    write(site, "content/members/dresden.md", SECOND)
    return site


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_workbook_holds_every_member_as_text(site, tmp_path):
    out = tmp_path / "out"
    assert build(two_members(site), out) == 0
    sheet = sheet_of((out / "mitglieder.xlsx").read_bytes())
    rows = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    assert rows[0] == [HEADERS["de"][c] for c in COLUMNS]
    assert rows[0][COLUMNS.index("postal_code")] == "PLZ"
    table = list(csv.reader(io.StringIO((out / "members.csv").read_text("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == [r[0] for r in table[1:]] == ["dresden", "muster-logistik"]

    first = dict(zip(COLUMNS, sheet[2], strict=True))
    assert first["name"].value == '=HYPERLINK("x")'
    assert first["postal_code"].value == "01067"
    assert first["phone"].value == "0351 / 4 12 34-0"
    assert first["member_since"].value == "2019"
    assert all(cell.data_type == "s" for cell in sheet[2] if cell.value is not None)
    second = dict(zip(COLUMNS, sheet[3], strict=True))
    assert second["phone"].value == "+49 5971 12345"  # no apostrophe as in the CSV
    assert second["industries"].value == "Logistik; Lagerhaltung"

    assert sheet.auto_filter.ref == "A1:O3"
    assert sheet.freeze_panes == "A2"
    assert all(sheet.column_dimensions[c].width >= 8 for c in "ABCDEFGHIJKLMNO")


def test_an_english_site_names_it_in_english(site, tmp_path):
    text = (site / "site.yaml").read_text().replace("language: de", "language: en")
    write(site, "site.yaml", text)
    out = tmp_path / "out"
    assert build(site, out) == 0
    assert not (out / "mitglieder.xlsx").exists()
    sheet = sheet_of((out / "members.xlsx").read_bytes())
    assert [c.value for c in sheet[1]] == [HEADERS["en"][c] for c in COLUMNS]
    assert sheet.title == "Members"
    page = (out / "members/index.html").read_text()
    assert 'href="../members.xlsx">Excel spreadsheet (.xlsx)</a>' in page


def test_the_same_members_give_the_same_bytes(site, tmp_path):
    two_members(site)
    first, second = tmp_path / "a", tmp_path / "b"
    assert build(site, first, "--no-cache") == 0
    assert build(site, second, "--no-cache", today="2027-05-05") == 0
    data = (first / "mitglieder.xlsx").read_bytes()
    assert data == (second / "mitglieder.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2019-01-01T00:00:00Z<' in core


def test_a_cached_rebuild_equals_a_clean_one(site, tmp_path):
    out = tmp_path / "out"
    same_as_clean(two_members(site), out)
    write(site, "content/members/dresden.md", SECOND.replace("01067", "01069"))
    same_as_clean(site, out)
    assert sheet_of((out / "mitglieder.xlsx").read_bytes())["I2"].value == "01069"
    (site / "content/members/dresden.md").unlink()
    same_as_clean(site, out)
    assert sheet_of((out / "mitglieder.xlsx").read_bytes()).max_row == 2


def test_the_directory_links_both_files(site, tmp_path):
    out = tmp_path / "out"
    assert build(site, out) == 0
    links = {url for _, _, url in links_of(out / "mitglieder/index.html").links}
    assert {"../mitglieder.xlsx", "../members.csv"} <= links
    page = (out / "mitglieder/index.html").read_text()
    assert ">Excel-Tabelle (.xlsx)</a>" in page and ">CSV für andere Programme</a>" in page
    assert broken_internal_links(out, "/netzwerk/") == []
