"""Member exports: CSV and JSON for other programs, vCards for address books."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid

import vobject
from PIL import Image

from verbund.cache import Cache
from verbund.directory import directory_index, facets
from verbund.exports import (
    COLUMNS,
    MemberRows,
    members_csv,
    members_json,
    spreadsheet_cell,
    vcard,
)
from verbund.i18n import Translator
from verbund.load import load_sources
from verbund.site import build_site
from verbund.structured import member_jsonld
from verbund.validate import validate

from .conftest import MEMBER, write


def graph_of(root):
    content, problems = validate(load_sources(root)[0])
    assert content is not None, problems
    return build_site(content, dt.date(2026, 1, 1))


def test_csv_has_stable_columns_and_opens_in_excel(site):
    write(
        site,
        "content/members/zweite.md",
        MEMBER.replace(
            "name: Muster Logistik GmbH & Co. KG", 'name: "=HYPERLINK(\\"x\\")"'
        ).replace("muster-logistik.example", "zweite.example"),
    )
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
    assert by_slug["zweite"]["name"] == '\'=HYPERLINK("x")'


def test_spreadsheet_cells():
    assert spreadsheet_cell("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_cell("-1+2") == "'-1+2"
    assert spreadsheet_cell("Zeta GmbH;=HYPERLINK(0)") == "Zeta GmbH;'=HYPERLINK(0)"
    assert spreadsheet_cell(["x", "@SUM(1+1)"]) == "x;' @SUM(1+1)"
    assert spreadsheet_cell('a,"=1"') == 'a,\'"=1"'
    assert spreadsheet_cell("a\t\t=1") == "a\t'\t'=1"
    assert spreadsheet_cell("Müller, Schmidt & Co.; Lager-Technik") == (
        "Müller, Schmidt & Co.; Lager-Technik"
    )
    assert spreadsheet_cell("Zeile\r\nzwei") == "Zeile  zwei"
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell(["a", "b"]) == "a; b"
    assert spreadsheet_cell(2012) == "2012"


FORMULA = ("=", "+", "-", "@", "\t", "\r")
NASTY = [
    "Zeta GmbH;=HYPERLINK(0)",
    "x;@SUM(1+1)",
    "a, -1+2",
    'b;"=1";+2',
    'c;""=3',
    "d;\t=4",
    "e\t@5",
    "f; ;=6",
    " =7",
]


def test_csv_has_no_formula_whichever_separator_it_is_read_with(site):
    """German Excel splits on ";": a part of a cell after one starts a field too."""
    for n, nasty in enumerate(NASTY):
        member = MEMBER.replace("name: Muster Logistik GmbH & Co. KG", f"name: {json.dumps(nasty)}")
        member = member.replace("  - Gefahrgutlagerung", f"  - {json.dumps(nasty)}")
        member = member.replace("Musterstraße 12", json.dumps(nasty))
        member = member.replace("muster-logistik.example", f"firma-{n}.example")
        write(site, f"content/members/firma-{n}.md", member)
    graph = graph_of(site)
    text = members_csv(graph).decode("utf-8-sig")
    assert all(name in text for name in ("HYPERLINK", "SUM", "=7"))
    for separator in (",", ";", "\t"):
        fields = [f for row in csv.reader(io.StringIO(text), delimiter=separator) for f in row]
        run = [f for f in fields if f.lstrip(' "')[:1] in FORMULA]
        assert run == [], separator
        if separator == ";":
            assert any(f.startswith("'=HYPERLINK(0)") for f in fields)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row["name"] for row in rows) == sorted(
        spreadsheet_cell(member.data.name) for member in graph.members
    )
    assert all(len(row) == len(COLUMNS) and None not in row for row in rows)


def test_csv_cells_with_a_separator_are_quoted(site):
    data = members_csv(graph_of(site)).decode("utf-8-sig")
    assert '"Muster Logistik GmbH & Co. KG"' not in data  # nothing to quote
    assert ',"Logistik; Lagerhaltung",' in data
    assert ',"Kontraktlogistik; Gefahrgutlagerung",' in data


def test_json_export(site):
    data = json.loads(members_json(graph_of(site)))
    member = data["members"][0]
    assert list(member) == COLUMNS
    assert member["services"] == ["Kontraktlogistik", "Gefahrgutlagerung"]
    assert member["member_since"] == 2012


def test_vcard_parses_with_an_independent_parser(site):
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace(
            "name: Muster Logistik GmbH & Co. KG",
            'name: "Müller, Söhne; Partner – ein sehr langer Firmenname der über die Zeile geht"',
        ),
    )
    graph = graph_of(site)
    text = vcard(graph, graph.members[0]).decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    card = vobject.readOne(text)
    assert card.version.value == "4.0"
    assert card.fn.value == (
        "Müller, Söhne; Partner – ein sehr langer Firmenname der über die Zeile geht"
    )
    assert card.tel.value == "tel:+49-5971-12345"
    assert card.email.value == "info@muster-logistik.example"
    assert card.url.value == "https://muster-logistik.example"
    address = card.adr.value
    assert (address.street, address.city, address.code) == ("Musterstraße 12", "Rheine", "48431")


def test_directory_facets_count_members_and_rows_point_into_them(site):
    write(
        site,
        "content/members/zweite.md",
        MEMBER.replace("name: Muster Logistik GmbH & Co. KG", "name: Zweite KG")
        .replace("employees: 50-249", "employees: 1-9")
        .replace("muster-logistik.example", "zweite.example"),
    )
    write(
        site,
        "content/members/dritte.md",
        MEMBER.replace("name: Muster Logistik GmbH & Co. KG", "name: Dritte KG").replace(
            "muster-logistik.example", "dritte.example"
        ),
    )
    graph = graph_of(site)
    t = Translator("de")
    groups = {group["key"]: group for group in facets(graph, t)}
    sizes = {value[0]: value[2] for value in groups["size"]["values"]}
    assert sizes["50-249"] == 2 and sizes["1-9"] == 1 and sum(sizes.values()) == 3
    index = json.loads(directory_index(graph, t))
    size_ids = [value[0] for value in index["facets"][3]["values"]]
    assert [(row[1], [size_ids[n] for n in row[7]]) for row in index["members"]] == [
        ("Dritte KG", ["50-249"]),
        ("Muster Logistik GmbH & Co. KG", ["50-249"]),
        ("Zweite KG", ["1-9"]),
    ]


def test_rows_are_kept_and_only_those_of_a_changed_member_are_made(site, tmp_path):
    write(
        site,
        "content/members/zweite.md",
        MEMBER.replace("name: Muster Logistik GmbH & Co. KG", "name: Zweite KG").replace(
            "muster-logistik.example", "zweite.example"
        ),
    )
    cache = Cache(tmp_path / "cache")

    def rows_of(graph):
        memo = cache.memo("rows", graph.fingerprints())
        return memo, MemberRows(graph, memo)

    graph = graph_of(site)
    memo, first = rows_of(graph)
    exports = members_csv(graph, first), members_json(graph, first)
    assert memo.made == 2
    memo, again = rows_of(graph)
    assert (members_csv(graph, again), members_json(graph, again)) == exports
    assert directory_index(graph, Translator("de"), again.index_rows()) == directory_index(
        graph, Translator("de")
    )
    assert memo.made == 0  # all recalled

    write(
        site,
        "content/members/zweite.md",
        MEMBER.replace("name: Muster Logistik GmbH & Co. KG", "name: Andere KG").replace(
            "muster-logistik.example", "zweite.example"
        ),
    )
    changed = graph_of(site)
    memo, rows = rows_of(changed)
    assert members_csv(changed, rows) == members_csv(changed)
    assert memo.made == 1
    assert cache.has("rows", rows.names()) == set(rows.names())

    # An industry renamed: every row that shows it is made again.
    write(
        site,
        "content/industries.yaml",
        (site / "content/industries.yaml").read_text().replace("name: Logistik", "name: Spedition"),
    )
    renamed = graph_of(site)
    memo, rows = rows_of(renamed)
    assert members_csv(renamed, rows) == members_csv(renamed)
    assert memo.made == 2


def test_rows_kept_in_another_form_are_made_again(site, tmp_path):
    cache = Cache(tmp_path / "cache")
    graph = graph_of(site)
    memo = cache.memo("rows", graph.fingerprints())
    rows = MemberRows(graph, memo)
    (name,) = rows.names()
    cache.put("rows", {name: b"not marshal"})
    assert members_json(graph, rows) == members_json(graph)
    assert memo.made == 1
    assert cache.get("rows", [name])[name] != b"not marshal"


def test_long_vcard_lines_are_folded_between_characters():
    from verbund.exports import _fold

    for line in [
        "FN:" + "ä" * 100,
        "NOTE:" + "x" * 73 + "€" * 40,
        "ORG:" + "a" * 71,
        "URL:" + "b" * 300,
        "X:" + "😀" * 50,
    ]:
        folded = _fold(line)
        pieces = folded.split("\r\n ")
        assert "".join(pieces) == line
        assert all(len(piece.encode()) <= (75 if n == 0 else 74) for n, piece in enumerate(pieces))
        # as full as they can be: the next character would not have fitted
        for n, piece in enumerate(pieces[:-1]):
            limit = 75 if n == 0 else 74
            assert len(piece.encode()) + len(pieces[n + 1][0].encode()) > limit
    assert _fold("FN:kurz") == "FN:kurz"


def test_vcard_has_country_logo_uid_and_no_clock_time(site):
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("  city: Rheine\n", "  city: Rheine\n  country: NL\n").replace(
            "member_since: 2012\n", "member_since: 2012\nlogo: muster.png\n"
        ),
    )
    write(
        site,
        "content/members/plain.md",
        MEMBER.replace("Muster Logistik", "Plain").replace(
            "muster-logistik.example", "plain.example"
        ),
    )
    Image.new("RGB", (40, 20), "navy").save(site / "content/members/muster.png")
    graph = graph_of(site)
    muster = next(m for m in graph.members if m.slug == "muster-logistik")
    plain = next(m for m in graph.members if m.slug == "plain")
    card = vobject.readOne(vcard(graph, muster).decode("utf-8"))
    assert card.adr.value.country == "Niederlande"
    assert card.adr.params["CC"] == ["NL"]
    assert card.logo.value == "https://example.org/netzwerk/mitglieder/muster-logistik/logo.png"
    assert card.uid.value == "urn:uuid:" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/netzwerk/muster-logistik")
    )
    assert "rev" not in card.contents  # no history: no revision (never the build's clock)
    other = vobject.readOne(vcard(graph, plain).decode("utf-8"))
    assert other.adr.value.country == "Deutschland"  # the site's default
    assert "logo" not in other.contents
    assert other.uid.value != card.uid.value
    assert vcard(graph_of(site), muster) == vcard(graph, muster)  # the same in every build


def test_the_sites_country_is_the_default_of_addresses(site):
    text = (site / "site.yaml").read_text()
    write(site, "site.yaml", text + "country: AT\n")
    graph = graph_of(site)
    member = graph.members[0]
    card = vobject.readOne(vcard(graph, member).decode("utf-8"))
    assert card.adr.value.country == "Österreich"
    assert member_jsonld(graph, member)["address"]["addressCountry"] == "AT"


def test_jsonld_address_has_the_country(site):
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("  city: Rheine\n", "  city: Rheine\n  country: NL\n"),
    )
    graph = graph_of(site)
    data = member_jsonld(graph, graph.members[0])
    data = json.loads(json.dumps(data))
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Musterstraße 12",
        "postalCode": "48431",
        "addressLocality": "Rheine",
        "addressCountry": "NL",
    }
