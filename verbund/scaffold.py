"""New content files that pass ``check`` from the start: ``verbund new member "Name"``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .validate import EXAMPLES_WRITTEN, Content

_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ß": "ss"}


def slugify(text: str) -> str:
    """``Müller & Söhne GmbH`` → ``mueller-soehne-gmbh``."""
    text = "".join(_UMLAUTS.get(c, c) for c in unicodedata.normalize("NFC", text))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_COMMENTS = {
    "de": {
        "industries": "Ids aus content/industries.yaml; die erste ist die Hauptbranche",
        "associations": "Ids aus site.yaml",
        "region": "Id aus content/regions.yaml",
        "employees": "1-9 | 10-49 | 50-249 | 250+",
        "member_distinct": "Mitglieder, die ähnlich aussehen, aber andere Firmen sind",
        "format": "online | in_person | hybrid",
        "hosts": "Verbands-Ids aus site.yaml",
        "series": "Id aus content/series.yaml, falls es sie gibt",
        "location": "Pflicht bei in_person und hybrid",
        "status": "scheduled | cancelled | postponed",
        "event_distinct": "andere Veranstaltungen mit diesem Titel an diesem Tag",
    },
    "en": {
        "industries": "ids from content/industries.yaml; the first is the main one",
        "associations": "ids from site.yaml",
        "region": "id from content/regions.yaml",
        "employees": "1-9 | 10-49 | 50-249 | 250+",
        "member_distinct": "members that look like this one but are other firms",
        "format": "online | in_person | hybrid",
        "hosts": "association ids from site.yaml",
        "series": "id from content/series.yaml, if there is one",
        "location": "required for in_person and hybrid",
        "status": "scheduled | cancelled | postponed",
        "event_distinct": "other events with this title on this day",
    },
}
"""The comments of a new file, in the site's language."""


def member_file(content: Content, name: str) -> str:
    industry = content.industries[0].id if content.industries else "logistik"
    region = content.regions[0].id if content.regions else "kreis-steinfurt"
    association = content.config.associations[0].id
    c = _COMMENTS[content.config.language]
    example = EXAMPLES_WRITTEN[content.config.language]
    return f"""---
# yaml-language-server: $schema=../../schemas/member.schema.json
name: {_quoted(name)}
industries: [{industry}]          # {c["industries"]}
associations: [{association}]          # {c["associations"]}
region: {region}           # {c["region"]}
services:
  - {example["service"]}
# address:
#   street: Musterstraße 12
#   postal_code: "48431"
#   city: Rheine
# contact:
#   website: https://www.example.org/
#   email: info@example.org
#   phone: "+49 5971 12345"
# logo: logo.png
# member_since: {dt.date.today().year}
# employees: 10-49                # {c["employees"]}
# distinct_from: [andere-firma]   # {c["member_distinct"]}
---
{example["member"]}
"""


def event_file(content: Content, title: str, day: dt.date) -> str:
    host = content.config.associations[0].id
    c = _COMMENTS[content.config.language]
    example = EXAMPLES_WRITTEN[content.config.language]
    return f"""---
# yaml-language-server: $schema=../../schemas/event.schema.json
title: {_quoted(title)}
start: {day.isoformat()} 10:00
end: {day.isoformat()} 11:30
format: online                    # {c["format"]}
hosts: [{host}]                   # {c["hosts"]}
# series: online-meetings         # {c["series"]}
# location:                       # {c["location"]}
#   name: Stadthalle Rheine
#   street: Musterstraße 1
#   postal_code: "48431"
#   city: Rheine
# online:
#   platform: Zoom
# speakers:
#   - name: Vorname Nachname
#     role: Geschäftsführerin
#     organization: Muster GmbH
# industries: [logistik]
# registration:
#   url: https://www.example.org/anmeldung
#   deadline: {day.isoformat()}
#   price: 0
#   members_only: false
# status: scheduled               # {c["status"]}
# distinct_from: [anderer-termin] # {c["event_distinct"]}
---
{example["event"]}
"""
