"""JSON Schemas of the content files, for editors' completion and live checks.

Generated from the pydantic models, with titles, descriptions and examples in
the site's language, and written to ``schemas/`` (see ``verbund schema``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .models import Event, Member, Page, SiteConfig

SCHEMAS: dict[str, type[BaseModel]] = {
    "site": SiteConfig,
    "member": Member,
    "event": Event,
    "page": Page,
}

# field → (German title, German description, English title, English description, example)
FIELDS: dict[str, tuple[str, str, str, str, Any]] = {
    "name": (
        "Name",
        "Der vollständige Name, wie er im Verzeichnis stehen soll.",
        "Name",
        "The full name as it should appear in the directory.",
        "Muster Logistik GmbH & Co. KG",
    ),
    "title": (
        "Titel",
        "Der Titel der Seite oder Veranstaltung.",
        "Title",
        "The title of the page or event.",
        "Kurzarbeitergeld: Ihre Fragen an die Agentur für Arbeit",
    ),
    "industries": (
        "Branchen",
        "Ids aus content/industries.yaml; die erste ist die Hauptbranche.",
        "Industries",
        "Ids from content/industries.yaml; the first is the main industry.",
        ["logistik", "lagerhaltung"],
    ),
    "services": (
        "Leistungsprofil",
        "Was das Unternehmen anbietet, eine Leistung pro Zeile.",
        "Services",
        "What the firm offers, one service per line.",
        ["Kontraktlogistik", "Gefahrgutlagerung"],
    ),
    "associations": (
        "Verbände",
        "Ids der Verbände aus site.yaml.",
        "Associations",
        "Association ids from site.yaml.",
        ["wvs"],
    ),
    "region": (
        "Region",
        "Id des Kreises aus content/regions.yaml.",
        "Region",
        "District id from content/regions.yaml.",
        "kreis-steinfurt",
    ),
    "postal_code": (
        "Postleitzahl",
        "In Anführungszeichen, damit eine führende 0 bleibt.",
        "Postal code",
        "In quotes, so that a leading 0 stays.",
        "48431",
    ),
    "country": (
        "Land",
        "Ländercode nach ISO 3166-1 aus zwei Großbuchstaben; ohne Angabe das Land aus site.yaml.",
        "Country",
        "ISO 3166-1 country code of two capital letters; without it, the country of site.yaml.",
        "DE",
    ),
    "edit_url": (
        "Bearbeiten-Adresse",
        "Adresse, an die der Pfad der Datei angehängt wird, etwa der Editor von GitHub.",
        "Edit address",
        "Address the file's path is appended to, such as GitHub's editor.",
        "https://github.com/verbund-demo/netzwerk/edit/main/",
    ),
    "edit_links": (
        "Bearbeiten-Links",
        "true: Seiten der Mitglieder, Veranstaltungen und freie Seiten zeigen den Link "
        "„Diese Seite bearbeiten“ zur edit_url. Ohne Angabe: kein Link.",
        "Edit links",
        "true: member, event and free pages show an “Edit this page” link to edit_url. "
        "Without it: no link.",
        True,
    ),
    "phone": (
        "Telefon",
        "In Anführungszeichen, mit Vorwahl.",
        "Phone",
        "In quotes, with the area code.",
        "+49 5971 12345",
    ),
    "website": (
        "Website",
        "Adresse mit https://",
        "Website",
        "Address with https://",
        "https://www.muster-logistik.example/",
    ),
    "email": (
        "E-Mail",
        "E-Mail-Adresse.",
        "E-mail",
        "E-mail address.",
        "info@muster-logistik.example",
    ),
    "logo": (
        "Logo",
        "Dateiname eines PNG-, JPEG- oder WebP-Bildes neben dieser Datei.",
        "Logo",
        "File name of a PNG, JPEG or WebP image beside this file.",
        "muster-logistik.png",
    ),
    "member_since": (
        "Mitglied seit",
        "Jahr des Beitritts.",
        "Member since",
        "Year of joining.",
        2012,
    ),
    "employees": ("Beschäftigte", "Größenklasse.", "Employees", "Size class.", "50-249"),
    "start": (
        "Beginn",
        "Datum und Uhrzeit in der Zeitzone der Website; ein Datum allein heißt ganztägig.",
        "Start",
        "Date and time in the site's time zone; a date alone means all day.",
        "2020-04-02 10:00",
    ),
    "end": (
        "Ende",
        "Nicht vor dem Beginn; ein Datum allein heißt ganztägig.",
        "End",
        "Not before the start; a date alone means all day.",
        "2020-04-02 11:30",
    ),
    "format": (
        "Format",
        "online, in_person (vor Ort) oder hybrid.",
        "Format",
        "online, in_person or hybrid.",
        "online",
    ),
    "hosts": (
        "Veranstalter",
        "Ids der Verbände aus site.yaml; bei gemeinsamen Veranstaltungen mehrere.",
        "Hosts",
        "Association ids from site.yaml; several for co-hosted events.",
        ["wvs", "aiw", "wve"],
    ),
    "series": (
        "Reihe",
        "Id einer Veranstaltungsreihe.",
        "Series",
        "Id of an event series.",
        "online-meetings",
    ),
    "status": (
        "Status",
        "scheduled (geplant), cancelled (abgesagt) oder postponed (verschoben).",
        "Status",
        "scheduled, cancelled or postponed.",
        "scheduled",
    ),
    "recording": (
        "Aufzeichnung",
        "Link zum Video nach der Veranstaltung.",
        "Recording",
        "Link to the video after the event.",
        "https://www.youtube.com/watch?v=…",
    ),
    "distinct_from": (
        "Eigenständig gegenüber",
        "Dateinamen (ohne .md) anderer Einträge, die diesem ähneln (Name, Web-Domain "
        "oder Titel am selben Tag), aber etwas anderes sind; ohne diese Angabe ist die "
        "Ähnlichkeit ein Fehler.",
        "Distinct from",
        "File names (without .md) of other entries that look like this one (name, web "
        "domain, or title on the same day) but are something else; without it the "
        "likeness is an error.",
        ["muster-logistik-spedition"],
    ),
    "menu": (
        "Menü",
        "Position im Fußbereich (0–99); ohne Angabe nicht verlinkt.",
        "Menu",
        "Position in the footer (0–99); not linked without it.",
        1,
    ),
}


def _annotate(node: Any, language: str) -> None:
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            if key in FIELDS and isinstance(value, dict):
                de_title, de_text, en_title, en_text, example = FIELDS[key]
                value["title"] = de_title if language == "de" else en_title
                value["description"] = de_text if language == "de" else en_text
                value["examples"] = [example]
        for value in node.values():
            _annotate(value, language)
    elif isinstance(node, list):
        for value in node:
            _annotate(value, language)


def schema_of(model: type[BaseModel], language: str) -> dict[str, Any]:
    schema = model.model_json_schema()
    _annotate(schema, language)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_files(language: str) -> dict[str, str]:
    """``schemas/<kind>.schema.json`` → its text."""
    return {
        f"schemas/{kind}.schema.json": json.dumps(
            schema_of(model, language), ensure_ascii=False, indent=2
        )
        + "\n"
        for kind, model in SCHEMAS.items()
    }


def write_schemas(site_root: Path, language: str) -> list[str]:
    """Write the schemas; returns the paths that changed."""
    changed = []
    for rel, text in schema_files(language).items():
        file = site_root / rel
        if not file.is_file() or file.read_text(encoding="utf-8") != text:
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_text(text, encoding="utf-8")
            changed.append(rel)
    return changed
