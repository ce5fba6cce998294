"""Editors' tools: new files that pass the check (the schemas: tests/test_schemas.py)."""

from __future__ import annotations

import pytest

from verbund.cli import main
from verbund.scaffold import slugify


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Müller & Söhne", "mueller-soehne"),
        ("Muster Logistik GmbH & Co. KG", "muster-logistik-gmbh-co-kg"),
        ("  Café Ölmühle  ", "cafe-oelmuehle"),
        ("Straße 1/2", "strasse-1-2"),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_new_member_and_event_pass_the_check(site, capsys):
    assert main(["new", "member", "Müller & Söhne", "--site", str(site)]) == 0
    assert (
        main(
            ["new", "event", "Exportmarkt Niederlande", "--date", "2026-03-05", "--site", str(site)]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "wrote content/members/mueller-soehne.md" in out
    assert "wrote content/events/2026-03-05-exportmarkt-niederlande.md" in out
    text = (site / "content/members/mueller-soehne.md").read_text()
    assert text.startswith("---\n# yaml-language-server: $schema=../../schemas/member.schema")
    assert "# employees:" in text  # optional fields as comments
    assert "# Ids aus content/industries.yaml" in text  # comments in the site's language
    capsys.readouterr()
    assert main(["check", "--site", str(site)]) == 0
    # The examples to replace are warned about at their lines until they are.
    assert capsys.readouterr().out.splitlines()[:3] == [
        "content/events/2026-03-05-exportmarkt-niederlande.md:29:1: warning: the text is "
        "still the example that 'new' wrote (describe the event: what it is about and who "
        "it is for)",
        "content/members/mueller-soehne.md:8:5: services[0]: warning: 'Leistung 1' is the "
        "example that 'new' wrote (write what the firm offers, one service per entry)",
        "content/members/mueller-soehne.md:22:1: warning: the text is still the example "
        "that 'new' wrote (describe the firm: what it does, for whom, since when)",
    ]
    assert main(["check", "--site", str(site), "--strict"]) == 1
    member = site / "content/members/mueller-soehne.md"
    member.write_text(
        text.replace("Leistung 1", "Schweißen").replace(
            "Kurzprofil: Was macht das Unternehmen, für wen, seit wann?", "Ein Metallbauer."
        ),
        encoding="utf-8",
    )
    event = site / "content/events/2026-03-05-exportmarkt-niederlande.md"
    event.write_text(
        event.read_text(encoding="utf-8").replace(
            "Worum geht es, für wen ist die Veranstaltung?", "Lieferungen in die Niederlande."
        ),
        encoding="utf-8",
    )
    assert main(["check", "--site", str(site), "--strict"]) == 0


def test_new_writes_comments_and_examples_in_an_english_site(site):
    yaml = (site / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(yaml.replace("language: de", "language: en"), "utf-8")
    assert main(["new", "member", "Miller Ltd", "--site", str(site)]) == 0
    text = (site / "content/members/miller-ltd.md").read_text(encoding="utf-8")
    assert "# ids from content/industries.yaml" in text and "  - Service 1\n" in text


def test_new_refuses_to_overwrite(site, capsys):
    before = (site / "content/members/muster-logistik.md").read_text()
    assert main(["new", "member", "Muster Logistik", "--site", str(site)]) == 1
    assert (
        "content/members/muster-logistik.md exists already; nothing was written"
        in capsys.readouterr().err
    )
    assert (site / "content/members/muster-logistik.md").read_text() == before


def test_new_event_needs_a_date(site, capsys):
    assert main(["new", "event", "Ohne Datum", "--site", str(site)]) == 2
    assert "needs --date" in capsys.readouterr().err
