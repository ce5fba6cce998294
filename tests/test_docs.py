"""The editors' guide names every field the models accept, where editors look for it."""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from verbund import models

from .conftest import PROJECT

GUIDE = PROJECT / "docs" / "editors-guide.md"

SECTIONS = {
    "11.2 site.yaml": [models.SiteConfig, models.Association, models.Brand, models.Hero],
    "11.3 content/industries.yaml und content/regions.yaml": [models.Term],
    "11.3a content/partners.yaml": [models.Partner],
    "11.3b content/series.yaml": [models.Series],
    "11.4 Mitglieder": [models.Member, models.Address, models.Contact],
    "11.5 Veranstaltungen": [
        models.Event,
        models.Venue,
        models.Online,
        models.Speaker,
        models.Registration,
    ],
    "11.6 Freie Seiten": [models.Page],
}
"""The sections of the field reference and the models whose fields each describes."""


def fields_in(section: str) -> set[str]:
    """The names in the first column of the tables of a section of the guide."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"### {section}")
    end = text.find("\n### ", start + 1)
    body = text[start : end if end > 0 else len(text)]
    return set(re.findall(r"^\| `([\w.]+)`", body, re.M))


@pytest.mark.parametrize("section", SECTIONS)
def test_the_field_reference_names_every_field(section):
    named = fields_in(section)
    model: type[BaseModel]
    for model in SECTIONS[section]:
        missing = {name for name in model.model_fields if name not in named}
        assert not missing, f"{GUIDE.name}, {section}: no row for {sorted(missing)}"
