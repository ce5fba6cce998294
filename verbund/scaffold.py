"""New content files that pass ``check`` from the start: ``verbund new member "Name"``."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .validate import Content

_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ß": "ss"}


def slugify(text: str) -> str:
    """``Müller & Söhne GmbH`` → ``mueller-soehne-gmbh``."""
    text = "".join(_UMLAUTS.get(c, c) for c in unicodedata.normalize("NFC", text))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def member_file(content: Content, name: str) -> str:
    industry = content.industries[0].id if content.industries else "logistik"
    region = content.regions[0].id if content.regions else "kreis-steinfurt"
    association = content.config.associations[0].id
    return f"""---
# yaml-language-server: $schema=../../schemas/member.schema.json
name: {_quoted(name)}
industries: [{industry}]          # ids from content/industries.yaml; the first is the main one
associations: [{association}]          # ids from site.yaml
region: {region}           # id from content/regions.yaml
services:
  - Leistung 1
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
# employees: 10-49                # 1-9 | 10-49 | 50-249 | 250+
# distinct_from: [andere-firma]   # members that look like this one but are other firms
---
Kurzprofil: Was macht das Unternehmen, für wen, seit wann?
"""


def event_file(content: Content, title: str, day: dt.date) -> str:
    host = content.config.associations[0].id
    return f"""---
# yaml-language-server: $schema=../../schemas/event.schema.json
title: {_quoted(title)}
start: {day.isoformat()} 10:00
end: {day.isoformat()} 11:30
format: online                    # online | in_person | hybrid
hosts: [{host}]                   # association ids from site.yaml
# series: online-meetings
# location:                       # required for in_person and hybrid
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
# status: scheduled               # scheduled | cancelled | postponed
# distinct_from: [anderer-termin] # events with this title on this day that are others
---
Worum geht es, für wen ist die Veranstaltung?
"""
