"""Shared helpers: a small valid site written into a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

SITE_YAML = """\
title: Testnetz
base_url: https://example.org/netzwerk/
language: de
timezone: Europe/Berlin
description: Ein kleines Netzwerk für Tests.
associations:
  - id: wvs
    name: Wirtschaftsvereinigung Steinfurt
    short_name: WVS
    city: Rheine
  - id: aiw
    name: AIW Unternehmensverband
    short_name: AIW
    city: Stadtlohn
"""

INDUSTRIES_YAML = """\
- id: logistik
  name: Logistik
- id: lagerhaltung
  name: Lagerhaltung
- id: maschinenbau
  name: Maschinenbau
"""

REGIONS_YAML = """\
- id: kreis-steinfurt
  name: Kreis Steinfurt
- id: kreis-borken
  name: Kreis Borken
"""

MEMBER = """\
---
name: Muster Logistik GmbH & Co. KG
industries: [logistik, lagerhaltung]
services:
  - Kontraktlogistik
  - Gefahrgutlagerung
associations: [wvs]
region: kreis-steinfurt
address:
  street: Musterstraße 12
  postal_code: "48431"
  city: Rheine
contact:
  website: https://muster-logistik.example
  email: info@muster-logistik.example
  phone: "+49 5971 12345"
member_since: 2012
employees: 50-249
---
Ein **Logistiker** aus Rheine.
"""

EVENT = """\
---
title: "Kurzarbeitergeld: Ihre Fragen an die Agentur für Arbeit"
start: 2020-04-02 10:00
end: 2020-04-02 11:30
format: online
hosts: [wvs, aiw]
series: online-meetings
speakers:
  - name: Anna Brockmann
    role: Leiterin
    member: muster-logistik
registration:
  email: anmeldung@example.org
  price: 0
---
Beschreibung.

## Nachbericht

Es war gut.
"""

UPCOMING_EVENT = """\
---
title: Sommerfest
start: 2030-06-12 18:00
format: in_person
hosts: [aiw]
location:
  name: Stadthalle
  city: Stadtlohn
---
Feiern.
"""

PAGE = """\
---
title: Impressum
menu: 1
---
Angaben gemäß § 5 DDG.
"""


def write(root: Path, rel: str, text: str) -> Path:
    file = root / rel
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(textwrap.dedent(text), encoding="utf-8")
    return file


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small valid site: two associations, one member, two events, one page."""
    root = tmp_path / "site"
    write(root, "site.yaml", SITE_YAML)
    write(root, "content/industries.yaml", INDUSTRIES_YAML)
    write(root, "content/regions.yaml", REGIONS_YAML)
    write(root, "content/members/muster-logistik.md", MEMBER)
    write(root, "content/events/2020-04-02-kurzarbeit.md", EVENT)
    write(root, "content/events/2030-06-12-sommerfest.md", UPCOMING_EVENT)
    write(root, "content/pages/impressum.md", PAGE)
    return root


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes, for before/after comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}
