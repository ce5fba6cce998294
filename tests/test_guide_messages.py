"""Every message the editors' guide quotes in section 7 ("Was die Prüfung meldet")
is produced by real input: each quote has a broken file, all of them are put
into one copy of the demo site and checked at once, and the quote must be in what
the check prints for that file (``…`` in a quote stands for any text). A message
the guide quotes that no input here produces fails, so the guide cannot drift
from the program."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from verbund import pipeline
from verbund.cli import schema_notes
from verbund.problems import ContentError, Problem, format_text
from verbund.schema import write_schemas
from verbund.validate import Content

from .conftest import INDUSTRIES_YAML, PROJECT, make_site

GUIDE = PROJECT / "docs" / "editors-guide.md"


def section(title: str, end: str) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(title)
    return text[start : text.index(end, start)]


def quoted_in_tables() -> list[str]:
    """The quotes in the first column of the tables "Fehler" and "Warnungen"."""
    found = []
    for line in section("### Fehler", "## 8.").splitlines():
        if line.startswith("| `"):
            first = re.split(r"(?<!\\)\|", line)[1]
            found += re.findall(r"`([^`]+)`", first)
    return found


EXTRA = [
    # quoted in the second column of the tables
    "unbekannte Region",
    "unbekannter Verband",
    "unbekanntes Mitglied",
    "unbekannte Veranstaltung",
    "erwartet wird ein Datum wie 2020-04-01, gefunden: '01.12.2026' "
    "(schreiben Sie: deadline: 2026-12-01)",
    "content/members/… hat eine Website unter derselben Domain, brinkmann-maschinen.example",
    "content/events/… hat am selben Tag denselben Titel",
]
"""Messages the guide quotes outside the first column of the tables."""


def quoted_as_lines() -> list[str]:
    """Whole lines of output the guide shows in code blocks (sections 3 and 7)."""
    text = GUIDE.read_text(encoding="utf-8")
    return re.findall(r"^(content/\S+\.md:\d+:\d+: .+)$", text, re.M)


@dataclass
class Case:
    """Files that make a message: ``where`` is the file it must be reported at."""

    where: str | None
    files: dict[str, str | bytes] = field(default_factory=dict)
    build: bool = False
    """A message of the build stage (on the small test site, not the demo)."""
    alone: bool = False
    """Checked on the small test site, as other cases would be in its way."""


N = iter(range(1, 1000))


def member(
    *lines: str, body: str = "Ein Profil.\n", name: str | None = None, at: str | None = None
) -> Case:
    """A member file with ``lines`` in its front matter after a valid name, and the
    other required fields unless ``lines`` give them (``None`` for none)."""
    n = next(N)
    path = at or f"content/members/pruefung-{n}.md"
    fields = [f"name: {name or f'Prüfunternehmen Nummer {n}'}"]
    given = " ".join(lines)
    for key, value in (
        ("industries", "[logistik]"),
        ("associations", "[wvs]"),
        ("region", "kreis-steinfurt"),
    ):
        if f"{key}:" not in given and f"{key} " not in given:
            fields.append(f"{key}: {value}")
    text = "---\n" + "\n".join([*fields, *lines]) + "\n---\n" + body
    return Case(path, {path: text})


def raw(path: str, text: str | bytes) -> Case:
    return Case(path, {path: text})


def event(*lines: str, body: str = "Beschreibung.\n", day: str | None = None) -> Case:
    """An event file with ``lines`` after a unique title; start, format and
    hosts unless ``lines`` give them."""
    n = next(N)
    path = f"content/events/2027-09-{n:02d}-pruefung-{n}.md"
    fields = [f"title: Prüfveranstaltung Nummer {n}"]
    given = " ".join(lines)
    for key, value in (
        ("start", f"{day or f'2027-09-{n % 28 + 1:02d}'} 10:00"),
        ("format", "online"),
        ("hosts", "[wvs]"),
    ):
        if f"{key}:" not in given:
            fields.append(f"{key}: {value}")
    text = "---\n" + "\n".join([*fields, *lines]) + "\n---\n" + body
    return Case(path, {path: text})


def page(slug: str, text: str = "---\ntitle: Eine Seite\n---\nText.\n") -> Case:
    return raw(f"content/pages/{slug}.md", text)


PNG = bytes.fromhex("89504e470d0a1a0a")


def bmp() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (4, 4)).save(picture, "BMP")
    return picture.getvalue()


CASES: dict[str, Case] = {
    "'R56+' ist auch der Name des Partners 'region56plus': eine Veranstaltung könnte die "
    "beiden nicht unterscheiden": raw(
        "content/partners.yaml",
        (PROJECT / "content/partners.yaml").read_text(encoding="utf-8")
        + "- id: r56\n  name: R56+\n",
    ),
    "unbekannte Branche 'logisitk' (meinten Sie 'logistik'?)": member("industries: [logisitk]"),
    "unbekannter Verband 'WVS' (meinten Sie 'wvs'?)": member("associations: [WVS]"),
    "unbekanntes Feld 'regon' (meinten Sie 'region'?)": member("regon: kreis-steinfurt"),
    "das Pflichtfeld 'region' fehlt (ergänzen Sie eine Zeile wie: region: kreis-steinfurt)": (
        raw(
            "content/members/ohne-region.md",
            "---\nname: Ohne Region GmbH\nindustries: [logistik]\nassociations: [wvs]\n---\n",
        )
    ),
    "das Feld 'hosts' steht doppelt da (zuerst in Zeile 5)": raw(
        "content/events/2027-08-01-doppelt.md",
        "---\ntitle: Doppelt\nstart: 2027-08-01\nformat: online\nhosts: [wvs]\nhosts: [aiw]\n---\n",
    ),
    "dieselbe Branche steht doppelt in der Liste": member("industries: [logistik, logistik]"),
    "braucht mindestens einen Eintrag": member("associations: []"),
    "'10-50' ist hier nicht erlaubt; möglich sind: '1-9', '10-49', '50-249', '250+'": member(
        "employees: 10-50"
    ),
    "erwartet wird eine Webadresse, die mit https:// beginnt (schreiben Sie: website: "
    "https://www.example.org)": member("contact:", "  website: www.example.org"),
    "'info@example,org' ist keine E-Mail-Adresse (schreiben Sie: email: info@example.org)": (
        member("contact:", "  email: info@example,org")
    ),
    "erwartet wird eine E-Mail-Adresse wie info@example.org": member("contact:", "  email: info"),
    'erwartet wird eine Telefonnummer wie "+49 5971 12345" (in Anführungszeichen)': member(
        "contact:", "  phone: Zentrale"
    ),
    'erwartet wird eine Postleitzahl wie "48431" (in Anführungszeichen)': member(
        "address:", '  postal_code: "!"', "  city: Rheine"
    ),
    "Daten werden hier als Jahr-Monat-Tag geschrieben (schreiben Sie: start: 2026-12-15 "
    "10:00)": event("start: 15.12.2026 10:00"),
    "erwartet wird ein Datum wie 2020-04-01, gefunden: '01.12.2026' (schreiben Sie: "
    "deadline: 2026-12-01)": event(
        "registration:", "  email: a@example.org", "  deadline: 01.12.2026"
    ),
    "eine Uhrzeit allein genügt nicht: das Datum gehört dazu (schreiben Sie: end: 2026-12-15 "
    "11:30)": event("start: 2026-12-15 10:00", "end: 11:30"),
    "erwartet wird ein Datum wie 2020-04-02 oder Datum und Uhrzeit wie 2020-04-02 10:00": (
        event("start: morgen")
    ),
    "den Tag 2026-02-30 gibt es nicht": event("start: 2026-02-30"),
    "den Zeitpunkt 2026-02-03 25:00 gibt es nicht": event("start: 2026-02-03 25:00"),
    "2027-03-28 02:30 gibt es in Europe/Berlin nicht: Bei der Umstellung auf Sommerzeit wird "
    "diese Stunde übersprungen; geben Sie eine Uhrzeit außerhalb der Lücke an": event(
        "start: 2027-03-28 02:30"
    ),
    "2027-10-31 02:30 gibt es in Europe/Berlin zweimal, wenn die Sommerzeit endet; geben Sie "
    "den Versatz an: 2027-10-31 02:30+02:00 (das erste Mal) oder 2027-10-31 02:30+01:00 (das "
    "zweite Mal)": event("start: 2027-10-31 02:30"),
    "'end' liegt vor 'start'": event("start: 2027-05-02 10:00", "end: 2027-05-01 10:00"),
    "'start' und 'end' müssen beide Daten (ganztägig) oder beide Daten mit Uhrzeit sein": event(
        "start: 2027-05-03", "end: 2027-05-03 12:00"
    ),
    "registration braucht 'url' oder 'email'": event("registration:", "  price: 5"),
    "der Anmeldeschluss liegt nach dem Beginn der Veranstaltung": event(
        "start: 2027-05-04 10:00",
        "registration:",
        "  email: a@example.org",
        "  deadline: 2027-05-10",
    ),
    "erwartet wird eine Liste wie [a, b], gefunden: 'logistik'": member("industries: logistik"),
    "erwartet werden Felder, eingerückt unter diesem Feld": member("address: Rheine"),
    "erwartet wird eine ganze Zahl": member("member_since: seit langem"),
    "erwartet wird eine Zahl, gefunden: '10,50'": event(
        "registration:", "  email: a@example.org", "  price: 10,50"
    ),
    "erwartet wird true oder false, gefunden: 'ja'": event(
        "registration:", "  email: a@example.org", "  members_only: ja"
    ),
    "erwartet wird eine Zahl ab 1800, gefunden: '1700'": member("member_since: 1700"),
    "erwartet wird eine Zahl bis 99, gefunden: '100'": page(
        "pruefung-menue", "---\ntitle: Menü\nmenu: 100\n---\n"
    ),
    "erwartet wird ein Betrag mit höchstens 2 Nachkommastellen, gefunden: '10.555'": event(
        "registration:", "  email: a@example.org", "  price: 10.555"
    ),
    "zu lang: höchstens 300 Zeichen": member(name="Sehr " * 70 + "lang"),
    "darf nicht leer sein": member(name='" "'),
    "eine ID darf nur Kleinbuchstaben a-z, Ziffern und einzelne Bindestriche enthalten": raw(
        "content/industries.yaml",
        (PROJECT / "content/industries.yaml").read_text(encoding="utf-8")
        + "- id: Neue_Branche\n  name: Neue Branche\n",
    ),
    "der Dateiname 'Über-uns.md' ist kein gültiger Kurzname": page("Über-uns"),
    "den Seitennamen 'suche' verwendet die Website selbst (benennen Sie die Datei um)": page(
        "suche"
    ),
    "es gibt keine Datei content/members/mueller-soehne.png": member("logo: mueller-soehne.png"),
    "ein Logo muss PNG, JPEG, WebP oder GIF sein, nicht …": Case(
        "content/members/bmp-logo.md",
        {
            "content/members/bmp-logo.png": bmp(),
            **member("logo: bmp-logo.png", at="content/members/bmp-logo.md").files,
        },
    ),
    "die Datei ist kein lesbares Bild": Case(
        "content/members/kaputtes-logo.md",
        {
            "content/members/kaputtes-logo.png": PNG + b"kaputt",
            **member("logo: kaputtes-logo.png", at="content/members/kaputtes-logo.md").files,
        },
    ),
    "'organization:' ist falsch eingerückt (rücken Sie Zeile 9 um 2 Leerzeichen weniger ein, "
    "wie 'role:' in Zeile 8)": raw(
        "content/events/2027-08-02-einrueckung.md",
        "---\ntitle: Einrückung\nstart: 2027-08-02\nformat: online\nhosts: [wvs]\n"
        "speakers:\n  - name: Anna Brockmann\n    role: Leiterin\n      organization: X\n---\n",
    ),
    "'- Transport' ist falsch eingerückt (rücken Sie Zeile 4 um 1 Leerzeichen weiter ein, wie "
    "'- Lager' in Zeile 3)": raw(
        "content/members/einrueckung.md",
        "---\nservices:\n  - Lager\n - Transport\nname: Einrückung GmbH\n"
        "industries: [logistik]\nassociations: [wvs]\nregion: kreis-steinfurt\n---\n",
    ),
    'das hier geöffnete Anführungszeichen " wird nicht geschlossen (schließen Sie den Wert in '
    'Zeile 2 mit " ab: title: "Kurzarbeit: Fragen")': raw(
        "content/events/2027-08-03-anfuehrung.md",
        '---\ntitle: "Kurzarbeit: Fragen\nstart: 2027-08-03\nformat: online\nhosts: [wvs]\n---\n',
    ),
    "der Wert geht nach seinem schließenden Anführungszeichen ' weiter (setzen Sie den ganzen "
    'Wert in Anführungszeichen: title: "Kurz\'s Fragen")': raw(
        "content/events/2027-08-04-apostroph.md",
        "---\ntitle: 'Kurz's Fragen'\nstart: 2027-08-04\nformat: online\nhosts: [wvs]\n---\n",
    ),
    "der Wert enthält ': ' und muss in Anführungszeichen stehen (schreiben Sie: title: "
    '"Kurzarbeit: Fragen")': raw(
        "content/events/2027-08-05-doppelpunkt.md",
        "---\ntitle: Kurzarbeit: Fragen\nstart: 2027-08-05\nformat: online\nhosts: [wvs]\n---\n",
    ),
    "nach dem Feldnamen 'region' fehlt der ':' (schreiben Sie Zeile 3 so: region: "
    "kreis-steinfurt)": raw(
        "content/members/ohne-doppelpunkt.md",
        "---\nname: Ohne Doppelpunkt GmbH\nregion kreis-steinfurt\nindustries: [logistik]\n"
        "associations: [wvs]\n---\n",
    ),
    "die hier geöffnete Klammer [ wird nicht geschlossen (schließen Sie sie mit ]: industries: "
    "[logistik, lagerhaltung])": member("industries: [logistik, lagerhaltung"),
    "an dieser Stelle kann kein Listeneintrag '- …' stehen (schreiben Sie jeden Listeneintrag "
    "in eine eigene Zeile unter dem Feld, beginnend mit '- ')": member("services: - Lager"),
    "dieses Zeichen kann hier nicht am Anfang stehen (rücken Sie mit Leerzeichen ein, nicht mit "
    "Tabulatoren)": member("address:", "\tcity: Rheine"),
    "die Datei muss mit einer Zeile '---' beginnen": raw(
        "content/members/ohne-kopf.md", "name: Ohne Kopf GmbH\n"
    ),
    "der Kopfbereich ist nicht abgeschlossen": raw(
        "content/members/offen.md", "---\nname: Offen GmbH\n"
    ),
    "Aliase (*…)": member("services: [*leistung]"),
    "Anker (&…)": member("services: [&leistung Lager]"),
    "Tags (!…) sind nicht erlaubt": member("services: [!!str Lager]"),
    "unsichtbares Steuerzeichen U+200E im Text": member("services: [Lager\u200e]"),
    "die Datei ist kein UTF-8-Text: 'ü' wurde hier in der ANSI-Codierung von Windows "
    "gespeichert (speichern Sie sie als UTF-8: im Windows-Editor mit „Datei → Speichern unter → "
    "Codierung: UTF-8“, in VS Code mit „Mit Codierung speichern → UTF-8“)": raw(
        "content/members/ansi.md",
        "---\nname: Müller ANSI GmbH\nindustries: [logistik]\nassociations: [wvs]\n"
        "region: kreis-steinfurt\n---\n".encode("cp1252"),
    ),
    "der Name gleicht fast 'Brinkmann Maschinenbau GmbH' in content/members/brinkmann-2.md (ist "
    "beides dasselbe, behalten Sie nur content/members/brinkmann-2.md; wenn nicht, ergänzen Sie "
    "eine Zeile: distinct_from: [brinkmann-2])": Case(
        None,
        member(name="Brinkmann Maschinenbau GmbH", at="content/members/brinkmann-2.md").files,
    ),
    "content/members/… hat eine Website unter derselben Domain, brinkmann-maschinen.example": (
        Case(
            None,
            member(
                "contact:",
                "  website: https://brinkmann-maschinen.example/service/",
                name="Brinkmann Service GmbH",
            ).files,
        )
    ),
    "content/events/… hat am selben Tag denselben Titel": Case(
        None,
        {
            "content/events/2027-08-06-zweimal.md": "---\ntitle: Sommerfest\n"
            "start: 2027-08-06\nformat: online\nhosts: [wvs]\n---\n",
            "content/events/2027-08-06-zweimal-2.md": "---\ntitle: Sommerfest!\n"
            "start: 2027-08-06\nformat: online\nhosts: [aiw]\n---\n",
        },
    ),
    "die Datei ist … KiB groß; erlaubt sind höchstens 512 KiB": member(
        body="Sehr langer Text. " * 30_000
    ),
    "Dateien in content/members/ dürfen nicht in Unterordnern liegen": raw(
        "content/members/unterordner/firma.md", "---\nname: Unten GmbH\n---\n"
    ),
    "symbolische Links sind in content/ nicht erlaubt": raw(
        "content/members/verknuepft.md", "-> muster-logistik.md"
    ),
    "der Text enthält … Zeichen '['": member(body="[" * 1001 + "\n"),
    "Listen oder Zitate sind zu tief verschachtelt": member(body="> " * 40 + "Zitat\n"),
    "unbekannte Region": member("region: kreis-steinfrt"),
    "unbekannter Verband": member("associations: [wvz]"),
    "unbekanntes Mitglied": member("distinct_from: [muster-logistk]"),
    "unbekannte Veranstaltung": event("distinct_from: [2020-04-02-kurzarbeit]"),
    # the warnings
    "eine Veranstaltung mit format 'in_person' hat keine 'location'; die Seite sagt, dass der "
    "Ort noch bekannt gegeben wird": event("format: in_person"),
    "'CNC-Drehen und -Fräsen - Baugruppenmo…' sieht aus wie zwei zusammengelaufene "
    "Listeneinträge (rücken Sie Zeile 6 um 1 Leerzeichen weniger ein, wie '- CNC-Drehen und "
    "-Fräsen' in Zeile 5)": raw(
        "content/members/zerspanung-test.md",
        "---\nname: Zerspanung Test GmbH\nindustries: [metallverarbeitung]\nservices:\n"
        "  - CNC-Drehen und -Fräsen\n   - Baugruppenmontage und Prüfung\n"
        "associations: [wvs]\nregion: kreis-steinfurt\n---\n",
    ),
    "die Adresse beginnt mit http://; Browser zeigen solche Seiten als „nicht sicher“ an "
    "(schreiben Sie: website: https://www.example.org/)": member(
        "contact:", "  website: http://www.example.org/"
    ),
    "'Leistung 1' ist das Beispiel, das 'new' eingetragen hat (schreiben Sie, was die Firma "
    "anbietet, eine Leistung je Eintrag)": member("services:", "  - Leistung 1"),
    "'##Standorte' erscheint als Text, nicht als Überschrift": member(body="##Standorte\n"),
    "eine Zeile, die unter einer Textzeile mit ': ' beginnt, wird auf der Website zu einer "
    "Definitionsliste; GitHub zeigt sie als Text": member(body="Begriff\n: Erklärung\n"),
    # found by the build, not the check
    "der Link 'beispiel.org/kodex' führt zu einer Seite, die es nicht gibt (schreiben Sie "
    "andere Websites vollständig aus, etwa 'https://example.org/')": Case(
        "content/pages/kodex.md",
        {"content/pages/kodex.md": "---\ntitle: Kodex\n---\n[Kodex](beispiel.org/kodex)\n"},
        build=True,
    ),
    "würde nach … geschrieben, das die Website für eine eigene Seite verwendet (benennen Sie "
    "die Datei um)": Case(
        "content/events/referenten.md",
        {
            "content/events/referenten.md": "---\ntitle: X\nstart: 2020-05-01\n"
            "format: online\nhosts: [wvs]\nspeakers:\n  - name: A\n---\n"
        },
        build=True,
    ),
    # the notes
    "die JSON-Schemas für Editoren sind nicht mehr aktuell: member.schema.json, "
    "event.schema.json (führen Sie 'python build.py schema' aus und übernehmen Sie schemas/ "
    "in einem Commit)": Case(
        "schemas/",
        {"content/industries.yaml": INDUSTRIES_YAML + "- id: textil\n  name: Textil\n"},
        alone=True,
    ),
    # the lines the guide shows whole
    "content/members/mueller-soehne.md:3:14: industries[0]: unbekannte Branche 'logisitk' "
    "(meinten Sie 'logistik'?)": raw(
        "content/members/mueller-soehne.md",
        "---\nname: Müller & Söhne GmbH\nindustries: [logisitk, lagerhaltung]\n"
        "associations: [wvs]\nregion: kreis-steinfurt\n---\n",
    ),
    "content/members/mueller-und-soehne.md:2:7: name: der Name gleicht fast 'Müller & Söhne GmbH' "
    "in content/members/mueller-soehne.md (ist beides dasselbe, behalten Sie nur "
    "content/members/mueller-soehne.md; wenn nicht, ergänzen Sie eine Zeile: distinct_from: "
    "[mueller-soehne])": Case(
        "content/members/mueller-und-soehne.md",
        {
            "content/members/mueller-soehne.md": "---\nname: Müller & Söhne GmbH\n"
            "industries: [logistik]\nassociations: [wvs]\nregion: kreis-steinfurt\n---\n",
            "content/members/mueller-und-soehne.md": "---\nname: Mueller + Soehne KG\n"
            "industries: [logistik]\nassociations: [wvs]\nregion: kreis-steinfurt\n---\n",
        },
        alone=True,
    ),
}
"""Each quote of the guide and the files that make it."""


def pattern(quote: str) -> re.Pattern[str]:
    """A quote as a pattern: ``…`` stands for any text."""
    return re.compile(".*?".join(re.escape(part) for part in quote.split("…")))


def put(root: Path, files: dict[str, str | bytes]) -> None:
    for rel, text in files.items():
        file = root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str) and text.startswith("-> "):
            file.symlink_to(text.removeprefix("-> "))
        elif isinstance(text, bytes):
            file.write_bytes(text)
        else:
            file.write_text(text, encoding="utf-8")


def told(problems: list[Problem]) -> list[str]:
    return [format_text(p.told("de"), "Warnung") for p in problems]


@pytest.fixture(scope="module")
def reported(tmp_path_factory) -> list[str]:
    """What one check of the demo with every broken file prints, and what the
    builds of the small site with the build's cases print."""
    root = tmp_path_factory.mktemp("guide") / "site"
    root.mkdir()
    shutil.copy(PROJECT / "site.yaml", root)
    shutil.copytree(PROJECT / "content", root / "content")
    shutil.copytree(PROJECT / "static", root / "static")
    for case in CASES.values():
        if not case.build and not case.alone:
            put(root, case.files)
    lines = told(pipeline.check(root).problems)
    for quote, case in CASES.items():
        if case.build or case.alone:
            small = make_site(tmp_path_factory.mktemp("alone") / "site")
            checked = pipeline.check(small)
            assert checked.content is not None
            write_schemas(small, checked.content)
            put(small, case.files)
            checked = pipeline.check(small)
            lines += told(checked.problems + schema_notes(small, checked.content))
            if case.build:
                assert checked.content is not None, (quote, checked.problems)
                lines += _built(small, checked.content)
    return lines


def _built(root: Path, content: Content) -> list[str]:
    """What building the small site prints: its warnings, or the error that stopped it."""
    try:
        built = pipeline.build(
            content, root, root / "output", dt.date(2026, 1, 1), search=False, cache=None
        )
    except ContentError as error:
        return told(error.problems)
    return told(built.warnings)


def test_every_message_the_guide_quotes_has_a_case():
    quoted = quoted_in_tables() + EXTRA + quoted_as_lines()
    assert quoted, "no quotes found: has section 7 moved?"
    missing = [quote for quote in quoted if quote not in CASES]
    assert missing == []
    unused = [quote for quote in CASES if quote not in quoted]
    assert unused == [], "cases for messages the guide no longer quotes"


@pytest.mark.parametrize("quote", list(CASES))
def test_the_guide_quotes_what_the_check_prints(reported, quote):
    case = CASES[quote]
    found = pattern(quote)
    lines = [
        line
        for line in reported
        if case.where is None or line.startswith(f"{case.where}:") or line == case.where
    ]
    assert any(found.search(line) for line in lines), "\n".join(lines) or "nothing reported"


def test_guide_quotes_are_not_pydantic_english():
    quoted = " ".join(quoted_in_tables())
    for english in ("Input should", "greater than", "less than", "Decimal input"):
        assert english not in quoted
