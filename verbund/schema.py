"""JSON Schemas of the content files, for editors' completion and live checks.

Made from the pydantic models and one site's data: the ids an editor may write
(industries, regions, associations, series, partners, members, events) are the
``enum`` of their fields, each with its name as the description an editor sees
beside it. Titles and descriptions are in the site's language only. Written to
``schemas/`` by ``verbund schema``; ``serve`` and ``new`` refresh them there,
and ``check`` notes when the committed ones are out of date.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .models import (
    Event,
    Member,
    Page,
    Partner,
    Series,
    SiteConfig,
    Term,
)
from .validate import Content

SCHEMA_DIR = "schemas"

FILES: dict[str, tuple[type[BaseModel], bool, str]] = {
    "site": (SiteConfig, False, "site.yaml"),
    "member": (Member, False, "content/members/*.md"),
    "event": (Event, False, "content/events/*.md"),
    "page": (Page, False, "content/pages/*.md"),
    "industries": (Term, True, "content/industries.yaml"),
    "regions": (Term, True, "content/regions.yaml"),
    "partners": (Partner, True, "content/partners.yaml"),
    "series": (Series, True, "content/series.yaml"),
}
"""``schemas/<kind>.schema.json`` → its model, whether the file is a list of
them, and the files it is for (as ``.vscode/settings.json`` maps them)."""

Text = tuple[str, str]
"""A title and a description."""

MODELS: dict[str, tuple[Text, Text]] = {
    "SiteConfig": (
        ("Einstellungen der Website (site.yaml)", "Titel, Adresse, Sprache und Verbände."),
        ("Site settings (site.yaml)", "Title, address, language and associations."),
    ),
    "Association": (
        ("Verband", "Ein Verband, der die Website mitbetreibt."),
        ("Association", "An association that runs the site."),
    ),
    "Member": (
        ("Mitglied", "Ein Mitgliedsunternehmen (content/members/*.md)."),
        ("Member", "A member firm (content/members/*.md)."),
    ),
    "Address": (("Anschrift", "Die Anschrift der Firma."), ("Address", "The firm's address.")),
    "Contact": (
        ("Kontakt", "Website, E-Mail und Telefon."),
        ("Contact", "Website, e-mail and phone."),
    ),
    "Event": (
        ("Veranstaltung", "Eine Veranstaltung (content/events/*.md)."),
        ("Event", "An event (content/events/*.md)."),
    ),
    "Venue": (
        ("Veranstaltungsort", "Wo die Veranstaltung stattfindet."),
        ("Venue", "Where the event takes place."),
    ),
    "Online": (
        ("Online-Zugang", "Plattform und Zugangslink."),
        ("Online access", "Platform and access link."),
    ),
    "Speaker": (("Referent", "Eine Referentin oder ein Referent."), ("Speaker", "A speaker.")),
    "Registration": (
        ("Anmeldung", "Wo und bis wann man sich anmeldet, und was es kostet."),
        ("Registration", "Where and until when to register, and what it costs."),
    ),
    "Page": (
        ("Freie Seite", "Eine Seite wie Impressum (content/pages/*.md)."),
        ("Free page", "A page such as the imprint (content/pages/*.md)."),
    ),
    "Term": (
        ("Eintrag", "Eine Branche oder Region: Id, Name und Beschreibung."),
        ("Entry", "An industry or region: id, name and description."),
    ),
    "Partner": (
        ("Partner", "Eine Organisation, mit der die Verbände zusammenarbeiten."),
        ("Partner", "An organisation the associations work with."),
    ),
    "Series": (
        ("Reihe", "Eine Veranstaltungsreihe mit eigener Seite."),
        ("Series", "A series of events with a page of its own."),
    ),
    "Brand": (
        ("Erscheinungsbild", "Farben und Schrift, die die Verbände gemeinsam verwenden."),
        ("Brand", "The colours and font the associations share."),
    ),
    "Hero": (
        ("Bild der Startseite", "Das große Bild oben auf der Startseite."),
        ("Home-page picture", "The large picture on top of the home page."),
    ),
}
"""Each model's title and description: (German, English)."""

LISTS: dict[str, tuple[Text, Text]] = {
    "industries": (
        ("Branchen (content/industries.yaml)", "Die Branchen, eine pro Eintrag."),
        ("Industries (content/industries.yaml)", "The industries, one per entry."),
    ),
    "regions": (
        ("Regionen (content/regions.yaml)", "Die Kreise der Mitglieder, einer pro Eintrag."),
        ("Regions (content/regions.yaml)", "The members' districts, one per entry."),
    ),
    "partners": (
        ("Partner (content/partners.yaml)", "Die Partnerorganisationen, eine pro Eintrag."),
        ("Partners (content/partners.yaml)", "The partner organisations, one per entry."),
    ),
    "series": (
        ("Reihen (content/series.yaml)", "Die Veranstaltungsreihen, eine pro Eintrag."),
        ("Series (content/series.yaml)", "The event series, one per entry."),
    ),
}
"""The titles of the files that are lists of entries."""

# field → ((German title, description), (English title, description), example);
# "Model.field" where a field means something else in that model.
FIELDS: dict[str, tuple[Text, Text, Any]] = {
    "name": (
        ("Name", "Der vollständige Name, wie er im Verzeichnis stehen soll."),
        ("Name", "The full name as it should appear in the directory."),
        "Muster Logistik GmbH & Co. KG",
    ),
    "Association.name": (
        ("Name", "Der volle Name des Verbands."),
        ("Name", "The association's full name."),
        "Wirtschaftsvereinigung Steinfurt",
    ),
    "Term.name": (
        ("Name", "So erscheint der Eintrag auf der Website; danach wird sortiert."),
        ("Name", "How the entry appears on the site; lists are sorted by it."),
        "Logistik und Transport",
    ),
    "Partner.name": (
        ("Name", "So erscheint der Partner auf der Website."),
        ("Name", "How the partner appears on the site."),
        "Region56+",
    ),
    "Series.name": (
        ("Name", "So heißt die Reihe auf der Website."),
        ("Name", "The series' name on the site."),
        "Online-Meetings",
    ),
    "Venue.name": (("Name", "Name des Ortes."), ("Name", "The venue's name."), "Stadthalle Rheine"),
    "Speaker.name": (
        ("Name", "Vor- und Nachname."),
        ("Name", "First and last name."),
        "Anna Brockmann",
    ),
    "id": (
        ("Id", "Kleinbuchstaben a–z, Ziffern und Bindestriche; eindeutig in der Datei."),
        ("Id", "Lowercase letters a–z, digits and hyphens; unique in the file."),
        "kreis-steinfurt",
    ),
    "Association.id": (
        ("Id", "Kurzname des Verbands; auf ihn verweisen Mitglieder und Veranstaltungen."),
        ("Id", "The association's short id; members and events refer to it."),
        "wvs",
    ),
    "title": (
        ("Titel", "Der Titel der Seite oder Veranstaltung."),
        ("Title", "The title of the page or event."),
        "Kurzarbeitergeld: Ihre Fragen an die Agentur für Arbeit",
    ),
    "SiteConfig.title": (
        ("Titel", "Der Name der Website."),
        ("Title", "The site's name."),
        "Wirtschaftsnetzwerk Münsterland-Emsland",
    ),
    "description": (
        ("Beschreibung", "Ein, zwei Sätze."),
        ("Description", "A sentence or two."),
        "Spedition, Kontraktlogistik, Transport auf Straße, Schiene und Wasser.",
    ),
    "Page.description": (
        ("Beschreibung", "Ein Satz für Suchmaschinen; ohne Angabe der Titel."),
        ("Description", "A sentence for search engines; without it, the title."),
        "Wie Ihr Unternehmen Mitglied wird.",
    ),
    "base_url": (
        ("Adresse der Website", "Die Adresse, unter der die Website erreichbar ist."),
        ("Site address", "The address the site is published at."),
        "https://example.org/netzwerk/",
    ),
    "language": (
        ("Sprache", "de oder en: Sprache der Website und der Meldungen."),
        ("Language", "de or en: the language of the site and its messages."),
        "de",
    ),
    "timezone": (
        ("Zeitzone", "IANA-Name der Zeitzone der Veranstaltungen."),
        ("Time zone", "IANA name of the events' time zone."),
        "Europe/Berlin",
    ),
    "contact_email": (
        ("Kontakt-E-Mail", "Erscheint als Link „Kontakt“ im Menü unten."),
        ("Contact e-mail", "Shown as the “Contact” link in the footer."),
        "info@netzwerk.example",
    ),
    "image": (
        ("Vorschaubild", "Ein Bild unter static/ für geteilte Links."),
        ("Preview image", "A picture below static/ for shared links."),
        "vorschau.png",
    ),
    "short_name": (("Kurzname", "Abkürzung."), ("Short name", "Abbreviation."), "WVS"),
    "city": (("Ort", "Der Ort."), ("City", "The town or city."), "Rheine"),
    "street": (
        ("Straße", "Straße und Hausnummer."),
        ("Street", "Street and number."),
        "Musterstraße 12",
    ),
    "industries": (
        (
            "Branchen",
            "Ids aus content/industries.yaml; bei Mitgliedern ist die erste die Hauptbranche.",
        ),
        ("Industries", "Ids from content/industries.yaml; for members the first is the main one."),
        ["logistik", "lagerhaltung"],
    ),
    "services": (
        ("Leistungsprofil", "Was das Unternehmen anbietet, eine Leistung pro Zeile."),
        ("Services", "What the firm offers, one service per line."),
        ["Kontraktlogistik", "Gefahrgutlagerung"],
    ),
    "associations": (
        ("Verbände", "Ids der Verbände aus site.yaml."),
        ("Associations", "Association ids from site.yaml."),
        ["wvs"],
    ),
    "SiteConfig.associations": (
        ("Verbände", "Die Verbände, die die Website gemeinsam betreiben."),
        ("Associations", "The associations that run the site together."),
        None,
    ),
    "region": (
        ("Region", "Id des Kreises aus content/regions.yaml."),
        ("Region", "District id from content/regions.yaml."),
        "kreis-steinfurt",
    ),
    "address": (("Anschrift", "Die Anschrift."), ("Address", "The address."), None),
    "contact": (
        ("Kontakt", "Website, E-Mail und Telefon."),
        ("Contact", "Website, e-mail and phone."),
        None,
    ),
    "postal_code": (
        ("Postleitzahl", "In Anführungszeichen, damit eine führende 0 bleibt."),
        ("Postal code", "In quotes, so that a leading 0 stays."),
        "48431",
    ),
    "country": (
        (
            "Land",
            "Ländercode nach ISO 3166-1 aus zwei Großbuchstaben; ohne Angabe das Land aus "
            "site.yaml.",
        ),
        (
            "Country",
            "ISO 3166-1 country code of two capital letters; without it, the country of site.yaml.",
        ),
        "DE",
    ),
    "SiteConfig.country": (
        ("Land", "Das Land der Mitgliederadressen, die keins angeben (ISO 3166-1)."),
        ("Country", "The country of members' addresses that name none (ISO 3166-1)."),
        "DE",
    ),
    "edit_url": (
        (
            "Bearbeiten-Adresse",
            "Adresse, an die der Pfad der Datei angehängt wird, etwa der Editor von GitHub.",
        ),
        ("Edit address", "Address the file's path is appended to, such as GitHub's editor."),
        "https://github.com/verbund-demo/netzwerk/edit/main/",
    ),
    "edit_links": (
        (
            "Bearbeiten-Links",
            "true: Seiten der Mitglieder, Veranstaltungen und freie Seiten zeigen den Link "
            "„Diese Seite bearbeiten“ zur edit_url. Ohne Angabe: kein Link.",
        ),
        (
            "Edit links",
            "true: member, event and free pages show an “Edit this page” link to edit_url. "
            "Without it: no link.",
        ),
        True,
    ),
    "phone": (
        ("Telefon", "In Anführungszeichen, mit Vorwahl."),
        ("Phone", "In quotes, with the area code."),
        "+49 5971 12345",
    ),
    "website": (
        ("Website", "Adresse mit https://"),
        ("Website", "Address with https://"),
        "https://www.muster-logistik.example/",
    ),
    "email": (
        ("E-Mail", "E-Mail-Adresse."),
        ("E-mail", "E-mail address."),
        "info@muster-logistik.example",
    ),
    "Registration.email": (
        ("E-Mail", "Anmeldung per E-Mail, wenn es keine Anmeldeseite gibt."),
        ("E-mail", "Registration by e-mail where there is no registration page."),
        "anmeldung@aiw.example",
    ),
    "logo": (
        ("Logo", "Ein Bild unter static/."),
        ("Logo", "A picture below static/."),
        "logo.png",
    ),
    "brand": (
        ("Erscheinungsbild", "Farben und Schrift der Website."),
        ("Brand", "The site's colours and font."),
        {"primary": "#0b4f8a"},
    ),
    "primary": (
        (
            "Hauptfarbe",
            "Kopfzeile, Knöpfe und Links, in Anführungszeichen; weiße Schrift muss darauf gut "
            "lesbar sein (Kontrast 4,5:1).",
        ),
        (
            "Primary colour",
            "Header, buttons and links, in quotes; white text on it must be easy to read "
            "(contrast 4.5:1).",
        ),
        "#0b4f8a",
    ),
    "accent": (
        ("Akzentfarbe", "Eine zweite Farbe für Hervorhebungen, in Anführungszeichen."),
        ("Accent colour", "A second colour for highlights, in quotes."),
        "#b3471d",
    ),
    "font": (
        ("Schrift", "Eine WOFF2-Datei unter static/ für allen Text."),
        ("Font", "A WOFF2 file below static/ for all text."),
        "fonts/source-sans-3.woff2",
    ),
    "hero": (
        ("Bild der Startseite", "Das große Bild oben auf der Startseite, mit Beschreibung."),
        ("Home-page picture", "The large picture on top of the home page, with its description."),
        {"image": "startseite.jpg", "alt": "Felder und Windräder an der Ems"},
    ),
    "Hero.image": (
        ("Bild", "Ein JPEG-, PNG- oder WebP-Bild unter static/."),
        ("Picture", "A JPEG, PNG or WebP picture below static/."),
        "startseite.jpg",
    ),
    "alt": (
        ("Beschreibung", "Was das Bild zeigt, für alle, die es nicht sehen."),
        ("Description", "What the picture shows, for those who cannot see it."),
        "Felder und Windräder an der Ems",
    ),
    "Member.logo": (
        ("Logo", "Dateiname eines PNG-, JPEG-, WebP- oder GIF-Bildes neben dieser Datei."),
        ("Logo", "File name of a PNG, JPEG, WebP or GIF image beside this file."),
        "muster-logistik.png",
    ),
    "member_since": (
        ("Mitglied seit", "Jahr des Beitritts, 1800 bis 2100."),
        ("Member since", "Year of joining, 1800 to 2100."),
        2012,
    ),
    "employees": (
        ("Beschäftigte", "Größenklasse."),
        ("Employees", "Size class."),
        "50-249",
    ),
    "start": (
        (
            "Beginn",
            "Datum und Uhrzeit in der Zeitzone der Website; ein Datum allein heißt ganztägig.",
        ),
        ("Start", "Date and time in the site's time zone; a date alone means all day."),
        "2020-04-02 10:00",
    ),
    "end": (
        ("Ende", "Nicht vor dem Beginn; ein Datum allein heißt ganztägig."),
        ("End", "Not before the start; a date alone means all day."),
        "2020-04-02 11:30",
    ),
    "format": (
        ("Format", "online, in_person (vor Ort) oder hybrid."),
        ("Format", "online, in_person or hybrid."),
        "online",
    ),
    "hosts": (
        (
            "Veranstalter",
            "Ids der Verbände aus site.yaml; bei gemeinsamen Veranstaltungen mehrere.",
        ),
        ("Hosts", "Association ids from site.yaml; several for co-hosted events."),
        ["wvs", "aiw", "wve"],
    ),
    "Series.hosts": (
        ("Veranstalter", "Ids der Verbände, wenn eine Veranstaltung der Reihe keine nennt."),
        ("Hosts", "Association ids, for events of the series that name none."),
        ["wvs", "aiw", "wve"],
    ),
    "partners": (
        (
            "Partner",
            "Mitveranstalter: Id oder Name eines Partners aus content/partners.yaml, oder "
            "freier Text.",
        ),
        ("Partners", "Co-hosts: id or name of a partner of content/partners.yaml, or free text."),
        ["euregio"],
    ),
    "series": (
        ("Reihe", "Id einer Veranstaltungsreihe."),
        ("Series", "Id of an event series."),
        "online-meetings",
    ),
    "location": (
        ("Ort", "Der Veranstaltungsort; nötig bei in_person und hybrid."),
        ("Location", "The venue; expected for in_person and hybrid."),
        None,
    ),
    "online": (
        ("Online-Zugang", "Plattform und Zugangslink."),
        ("Online access", "Platform and access link."),
        None,
    ),
    "speakers": (
        ("Referenten", "Die Referentinnen und Referenten."),
        ("Speakers", "The speakers."),
        None,
    ),
    "registration": (("Anmeldung", "Die Anmeldung."), ("Registration", "How to register."), None),
    "platform": (
        ("Plattform", "Etwa Zoom oder Microsoft Teams."),
        ("Platform", "Such as Zoom or Microsoft Teams."),
        "Zoom",
    ),
    "Online.url": (
        ("Zugangslink", "Steht bis zum Veranstaltungstag auf der Seite."),
        ("Access link", "Shown on the page until the day of the event."),
        "https://zoom.example/j/123456789",
    ),
    "Registration.url": (
        ("Anmeldeseite", "Ergibt den Knopf „Jetzt anmelden“."),
        ("Registration page", "Makes the “Register now” button."),
        "https://www.aiw.example/anmeldung",
    ),
    "deadline": (
        ("Anmeldeschluss", "Datum (einschließlich); nicht nach dem ersten Veranstaltungstag."),
        ("Deadline", "Date (inclusive); not after the first day of the event."),
        "2026-02-26",
    ),
    "price": (
        ("Preis", "Betrag in Euro; 0 heißt kostenlos."),
        ("Price", "Amount in euros; 0 means free."),
        25,
    ),
    "members_only": (
        ("Nur für Mitglieder", "true: nur für Mitglieder; false: Gäste willkommen."),
        ("Members only", "true: members only; false: guests welcome."),
        False,
    ),
    "role": (("Funktion", "Die Funktion."), ("Role", "The speaker's role."), "Geschäftsführerin"),
    "organization": (
        ("Organisation", "Firma oder Einrichtung."),
        ("Organization", "Firm or institution."),
        "Müller & Söhne GmbH",
    ),
    "member": (
        ("Mitglied", "Dateiname eines Mitglieds ohne .md; verknüpft mit dessen Profil."),
        ("Member", "A member's file name without .md; links to its profile."),
        "muster-logistik",
    ),
    "partner": (
        ("Partner", "Id eines Partners aus content/partners.yaml."),
        ("Partner", "Id of a partner of content/partners.yaml."),
        "region56plus",
    ),
    "Partner.members": (
        (
            "Firmen",
            "Die Firmen des Partners: Dateiname eines Mitglieds ohne .md oder ein Firmenname.",
        ),
        ("Firms", "The partner's firms: a member's file name without .md, or a firm's name."),
        ["brinkmann-maschinenbau"],
    ),
    "status": (
        ("Status", "scheduled (geplant), cancelled (abgesagt) oder postponed (verschoben)."),
        ("Status", "scheduled, cancelled or postponed."),
        "scheduled",
    ),
    "recording": (
        ("Aufzeichnung", "Link zum Video nach der Veranstaltung."),
        ("Recording", "Link to the video after the event."),
        "https://www.youtube.com/watch?v=…",
    ),
    "distinct_from": (
        (
            "Eigenständig gegenüber",
            "Dateinamen (ohne .md) anderer Einträge, die diesem ähneln (Name, Web-Domain "
            "oder Titel am selben Tag), aber etwas anderes sind; ohne diese Angabe ist die "
            "Ähnlichkeit ein Fehler.",
        ),
        (
            "Distinct from",
            "File names (without .md) of other entries that look like this one (name, web "
            "domain, or title on the same day) but are something else; without it the "
            "likeness is an error.",
        ),
        ["muster-logistik-spedition"],
    ),
    "menu": (
        ("Menü", "Position im Fußbereich (0–99); ohne Angabe nicht verlinkt."),
        ("Menu", "Position in the footer (0–99); not linked without it."),
        1,
    ),
}


@dataclass(frozen=True)
class Ids:
    """The ids an editor may write in one kind of field, each with its name."""

    names: dict[str, str] = field(default_factory=dict)
    free: bool = False
    """Whether any other text is allowed too (then the ids are a suggestion)."""


def choices(content: Content) -> dict[str, Ids]:
    """The ids of the site by kind, as fields of the content files refer to them."""

    def by_id(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
        return dict(sorted(pairs))

    partners = by_id((p.id, p.name) for p in content.partners)
    members = by_id((m.slug, m.data.name) for m in content.members)
    return {
        "industry": Ids(by_id((t.id, t.name) for t in content.industries)),
        "region": Ids(by_id((t.id, t.name) for t in content.regions)),
        "association": Ids(by_id((a.id, a.name) for a in content.config.associations)),
        "series": Ids(by_id((s.id, s.name) for s in content.series)),
        "partner": Ids(partners),
        "partner or text": Ids(partners, free=True),
        "member": Ids(members),
        "member or text": Ids(members, free=True),
        "event": Ids(by_id((e.slug, e.data.title) for e in content.events)),
    }


REFERENCES: dict[str, str] = {
    "Member.industries": "industry",
    "Member.associations": "association",
    "Member.region": "region",
    "Member.distinct_from": "member",
    "Event.hosts": "association",
    "Event.industries": "industry",
    "Event.series": "series",
    "Event.partners": "partner or text",
    "Event.distinct_from": "event",
    "Speaker.member": "member",
    "Speaker.partner": "partner",
    "Series.hosts": "association",
    "Partner.members": "member or text",
}
"""``Model.field`` → the kind of id it holds (see :func:`choices`)."""


def _texts(key: str, model: str, language: str) -> tuple[Text, Any]:
    de, en, example = FIELDS.get(f"{model}.{key}") or FIELDS[key]
    return (de if language == "de" else en), example


def _restrict(node: dict[str, Any], ids: Ids) -> None:
    """Limit a string (or a list of them, or an optional one) to ``ids``."""
    if "items" in node:
        _restrict(node["items"], ids)
        return
    if "anyOf" in node:
        for branch in node["anyOf"]:
            if branch.get("type") == "string":
                _restrict(branch, ids)
        return
    listed = {
        "enum": list(ids.names),
        "enumDescriptions": list(ids.names.values()),
    }
    if ids.free:
        rest = dict(node)
        node.clear()
        node["anyOf"] = [listed, rest]
    else:
        node.update(listed)


def _annotate(node: dict[str, Any], model: str, language: str, refs: dict[str, Ids]) -> None:
    """Titles, descriptions and examples of one model's schema, and its ids."""
    (title, text) = MODELS[model][0 if language == "de" else 1]
    node["title"] = title
    node["description"] = text
    for key, value in node.get("properties", {}).items():
        (title, text), example = _texts(key, model, language)
        value["title"] = title
        value["description"] = text
        kind = REFERENCES.get(f"{model}.{key}")
        ids = refs.get(kind) if kind else None
        if ids is not None and ids.names:
            _restrict(value, ids)
            known = list(ids.names)[:2]
            example = known if isinstance(example, list) else known[0]
        if example is not None:
            value["examples"] = [example]


def schema_of(
    model: type[BaseModel], language: str, refs: dict[str, Ids], many: bool = False
) -> dict[str, Any]:
    """The schema of a file holding one ``model`` (a list of them if ``many``)."""
    schema = model.model_json_schema()
    for name, definition in schema.get("$defs", {}).items():
        _annotate(definition, name, language, refs)
    _annotate(schema, model.__name__, language, refs)
    if many:
        definitions = schema.pop("$defs", {})
        definitions[model.__name__] = schema
        schema = {"type": "array", "items": {"$ref": f"#/$defs/{model.__name__}"}}
        schema["$defs"] = definitions
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_files(content: Content) -> dict[str, str]:
    """``schemas/<kind>.schema.json`` → its text, for this site's data."""
    language = content.config.language
    refs = choices(content)
    files = {}
    for kind, (model, many, _) in FILES.items():
        schema = schema_of(model, language, refs, many)
        if many:
            (title, text) = LISTS[kind][0 if language == "de" else 1]
            schema = {**schema, "title": title, "description": text}
        text_of = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        files[f"{SCHEMA_DIR}/{kind}.schema.json"] = text_of
    return files


def stale_schemas(site_root: Path, content: Content) -> list[str]:
    """The schema files that are missing from ``site_root`` or differ from this data."""
    return [rel for rel, text in schema_files(content).items() if _read(site_root / rel) != text]


def write_schemas(site_root: Path, content: Content) -> list[str]:
    """Write the schemas; returns the paths that changed."""
    changed = []
    for rel, text in schema_files(content).items():
        file = site_root / rel
        if _read(file) != text:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8")
            changed.append(rel)
    return changed


def refresh_schemas(site_root: Path, content: Content) -> list[str]:
    """:func:`write_schemas` for a site that keeps them (has a ``schemas/`` folder)."""
    if not (site_root / SCHEMA_DIR).is_dir():
        return []
    try:
        return write_schemas(site_root, content)
    except OSError:
        return []


def _read(file: Path) -> str | None:
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
