"""Member exports: CSV and JSON for other programs, vCards for address books."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import vobject

from verbund.directory import directory_index, facets
from verbund.exports import COLUMNS, members_csv, members_json, spreadsheet_cell, vcard
from verbund.i18n import Translator
from verbund.load import load_sources
from verbund.site import build_site
from verbund.validate import validate

from .conftest import MEMBER, write


def graph_of(root):
    content, problems = validate(load_sources(root)[0])
    assert content is not None, problems
    return build_site(content, dt.date(2026, 1, 1))


def test_csv_has_stable_columns_and_opens_in_excel(site):
    write(site, "content/members/zweite.md", MEMBER.replace(
        "name: Muster Logistik GmbH & Co. KG", "name: \"=HYPERLINK(\\\"x\\\")\""))
    data = members_csv(graph_of(site))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    by_slug = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]}
    assert [r[0] for r in rows[1:]] == ["zweite", "muster-logistik"]  # by name: "=" < "M"
    first = by_slug["muster-logistik"]
    assert first["name"] == "Muster Logistik GmbH & Co. KG"
    assert first["industries"] == "Logistik; Lagerhaltung"
    assert first["postal_code"] == "48431"
    assert first["phone"] == "'+49 5971 12345"  # a leading + would start a formula
    assert first["profile_url"] == "https://example.org/netzwerk/mitglieder/muster-logistik/"
    assert by_slug["zweite"]["name"] == "'=HYPERLINK(\"x\")"


def test_spreadsheet_cells():
    assert spreadsheet_cell("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_cell("-1+2") == "'-1+2"
    assert spreadsheet_cell("Zeile\r\nzwei") == "Zeile  zwei"
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell(["a", "b"]) == "a; b"
    assert spreadsheet_cell(2012) == "2012"


def test_json_export(site):
    data = json.loads(members_json(graph_of(site)))
    member = data["members"][0]
    assert list(member) == COLUMNS
    assert member["services"] == ["Kontraktlogistik", "Gefahrgutlagerung"]
    assert member["member_since"] == 2012


def test_vcard_parses_with_an_independent_parser(site):
    write(site, "content/members/muster-logistik.md", MEMBER.replace(
        "name: Muster Logistik GmbH & Co. KG",
        "name: \"Müller, Söhne; Partner – ein sehr langer Firmenname der über die Zeile geht\""))
    graph = graph_of(site)
    text = vcard(graph, graph.members[0]).decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    card = vobject.readOne(text)
    assert card.version.value == "4.0"
    assert card.fn.value == ("Müller, Söhne; Partner – ein sehr langer Firmenname der über "
                             "die Zeile geht")
    assert card.tel.value == "tel:+49-5971-12345"
    assert card.email.value == "info@muster-logistik.example"
    assert card.url.value == "https://muster-logistik.example"
    address = card.adr.value
    assert (address.street, address.city, address.code) == ("Musterstraße 12", "Rheine",
                                                            "48431")


def test_directory_facets_count_members_and_rows_point_into_them(site):
    write(site, "content/members/zweite.md", MEMBER.replace(
        "name: Muster Logistik GmbH & Co. KG", "name: Zweite KG").replace(
        "employees: 50-249", "employees: 1-9"))
    write(site, "content/members/dritte.md", MEMBER.replace(
        "name: Muster Logistik GmbH & Co. KG", "name: Dritte KG"))
    graph = graph_of(site)
    t = Translator("de")
    groups = {group["key"]: group for group in facets(graph, t)}
    sizes = {value[0]: value[2] for value in groups["size"]["values"]}
    assert sizes["50-249"] == 2 and sizes["1-9"] == 1 and sum(sizes.values()) == 3
    index = json.loads(directory_index(graph, t))
    size_ids = [value[0] for value in index["facets"][3]["values"]]
    assert [(row[1], [size_ids[n] for n in row[7]]) for row in index["members"]] == [
        ("Dritte KG", ["50-249"]), ("Muster Logistik GmbH & Co. KG", ["50-249"]),
        ("Zweite KG", ["1-9"])]
