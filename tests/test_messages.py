"""Messages in the site's language: German by default, English for ``language: en``."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from verbund import validate
from verbund.cli import main
from verbund.messages import msg, translate
from verbund.messages_de import GERMAN

from .conftest import MEMBER, SITE_YAML, tree, write

PACKAGE = Path(__file__).resolve().parent.parent / "verbund"


def templates_in_code() -> set[str]:
    """The first argument of every ``msg("…")`` call in the package."""
    found = set()
    for file in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found | set(validate._UNKNOWN.values()) | set(validate._TWICE.values())


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_a_german_text_with_the_same_fields():
    templates = templates_in_code()
    assert len(templates) > 100
    missing = sorted(t for t in templates if t not in GERMAN)
    assert missing == []
    assert [t for t in templates if fields(GERMAN[t]) != fields(t)] == []


def test_translation_keeps_what_the_editor_wrote():
    message = msg("unknown field '{name}'", name="expected text")
    assert translate(message, "de") == "unbekanntes Feld 'expected text'"
    nested = msg("{expected}, found '{value}'", expected=msg("expected text"), value="ja")
    assert nested == "expected text, found 'ja'"
    assert translate(nested, "de") == "erwartet wird Text, gefunden: 'ja'"
    assert translate(nested, "en") == "expected text, found 'ja'"
    assert translate("not in the catalogue", "de") == "not in the catalogue"


GERMAN_INPUTS = [
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("name:", "name: A\nname:"),
        "content/members/muster-logistik.md:3:1: das Feld 'name' steht doppelt da (zuerst in "
        "Zeile 2) (entfernen Sie eine der beiden Zeilen)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("industries: [logistik, lagerhaltung]", "industries: [logisitk]"),
        "content/members/muster-logistik.md:3:14: industries[0]: unbekannte Branche 'logisitk' "
        "(meinten Sie 'logistik'?)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("region: kreis-steinfurt\n", ""),
        "content/members/muster-logistik.md:2:1: region: das Pflichtfeld 'region' fehlt "
        "(ergänzen Sie eine Zeile wie: region: kreis-steinfurt)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("employees:", "mitarbeiter:"),
        "content/members/muster-logistik.md:18:1: mitarbeiter: unbekanntes Feld 'mitarbeiter' "
        "(erlaubt sind hier: name, industries, services, associations, region, address, "
        "contact, logo, member_since, employees)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("employees: 50-249", "employees: 12"),
        "content/members/muster-logistik.md:18:12: employees: '12' ist hier nicht erlaubt; "
        "möglich sind: '1-9', '10-49', '50-249', '250+'",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("name: Muster", "name: Muster: X"),
        "content/members/muster-logistik.md:2:13: an dieser Stelle ist kein 'Feld: Wert' "
        "möglich (setzen Sie Text, der ': ' enthält, in Anführungszeichen)",
    ),
    (
        "content/members/Muster_Logistik.md",
        MEMBER,
        "content/members/Muster_Logistik.md: der Dateiname 'Muster_Logistik.md' ist kein "
        "gültiger Kurzname (verwenden Sie nur Kleinbuchstaben a-z, Ziffern und einzelne "
        "Bindestriche, etwa 'muster-logistik.md' (ä → ae, ß → ss))",
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        "---\ntitle: X\nstart: 2026-03-29 02:15\nformat: online\nhosts: [wvs]\n---\n",
        "content/events/2020-04-02-kurzarbeit.md:3:8: start: 2026-03-29 02:15 gibt es in "
        "Europe/Berlin nicht: Bei der Umstellung auf Sommerzeit wird diese Stunde übersprungen; "
        "geben Sie eine Uhrzeit außerhalb der Lücke an",
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        "---\ntitle: X\nstart: 2026-10-25 02:30\nformat: online\nhosts: [wvs]\n---\n",
        "content/events/2020-04-02-kurzarbeit.md:3:8: start: 2026-10-25 02:30 gibt es in "
        "Europe/Berlin zweimal, wenn die Sommerzeit endet; geben Sie den Versatz an: "
        "2026-10-25 02:30+02:00 (das erste Mal) oder 2026-10-25 02:30+01:00 (das zweite Mal)",
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        "---\ntitle: X\nstart: 2020-04-02\nformat: online\nhosts: [wvs]\nspeakers:\n"
        "  - name: A\n    member: muster\n---\n",
        "content/events/2020-04-02-kurzarbeit.md:8:13: speakers[0].member: unbekanntes Mitglied "
        "'muster' (meinten Sie 'muster-logistik'?)",
    ),
    (
        "content/pages/impressum.md",
        "---\ntitle: Impressum\n",
        "content/pages/impressum.md:1:1: der Kopfbereich ist nicht abgeschlossen (fügen Sie "
        "nach dem letzten Feld eine Zeile '---' ein)",
    ),
]


@pytest.mark.parametrize(
    "path, text, message",
    GERMAN_INPUTS,
    ids=[m.split(": ", 1)[1][:40] for _, _, m in GERMAN_INPUTS],
)
def test_messages_are_german_by_default(site, capsys, monkeypatch, path, text, message):
    monkeypatch.delenv("VERBUND_MESSAGES")
    assert main(["build", "--site", str(site), "--today", "2026-01-01", "--no-search"]) == 0
    before = tree(site / "output")
    (site / path).write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["build", "--site", str(site), "--today", "2026-01-01", "--no-search"]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [message]
    assert captured.err.splitlines() == [
        "1 Fehler in 1 Datei",
        f"Nichts wurde geschrieben; {site / 'output'} ist unverändert.",
    ]
    assert tree(site / "output") == before


def test_warnings_and_summary_in_german(site, capsys, monkeypatch):
    monkeypatch.delenv("VERBUND_MESSAGES")
    write(site, "content/members/zweite.md", MEMBER)
    assert main(["check", "--site", str(site)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "content/members/zweite.md:2:7: name: Warnung: der Name gleicht fast 'Muster Logistik "
        "GmbH & Co. KG' in content/members/muster-logistik.md (ist das dieselbe Firma? Dann "
        "ändern Sie besser jene Datei)",
        "content/members/zweite.md:14:12: contact.website: Warnung: "
        "content/members/muster-logistik.md hat eine Website unter derselben Domain "
        "(muster-logistik.example) (ist das dieselbe Firma? Dann ändern Sie besser jene Datei)",
        "Keine Fehler gefunden.",
    ]
    assert captured.err.splitlines() == [
        "2 Warnungen in 1 Datei",
        "site.yaml:2:11: base_url: Hinweis: robots.txt wird unter "
        "https://example.org/netzwerk/robots.txt geschrieben; Crawler lesen nur "
        "https://example.org/robots.txt (übernehmen Sie ihre Sitemap-Zeile in die robots.txt "
        "dort)",
    ]


def test_github_annotations_and_step_summary_in_german(site, capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("VERBUND_MESSAGES")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("region: kreis-steinfurt", "region: steinfurt"),
    )
    assert main(["check", "--site", str(site), "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "::error file=content/members/muster-logistik.md,line=8,col=9,title=region::"
        "unbekannte Region 'steinfurt' (meinten Sie 'kreis-steinfurt'?)"
    ]
    assert summary.read_text().splitlines()[:3] == [
        "### 1 Problem(e) im Inhalt",
        "",
        "| Datei | Zeile | Feld | Problem |",
    ]


def test_an_english_site_gets_english_messages(site, capsys, monkeypatch):
    monkeypatch.delenv("VERBUND_MESSAGES")
    write(site, "site.yaml", SITE_YAML.replace("language: de", "language: en"))
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("region: kreis-steinfurt", "region: steinfurt"),
    )
    assert main(["check", "--site", str(site)]) == 1
    captured = capsys.readouterr()
    assert captured.out == (
        "content/members/muster-logistik.md:8:9: region: unknown region "
        "'steinfurt' (did you mean 'kreis-steinfurt'?)\n"
    )
    assert captured.err == "1 error in 1 file\n"


def test_a_broken_site_yaml_still_names_its_language(site, capsys, monkeypatch):
    monkeypatch.delenv("VERBUND_MESSAGES")
    write(
        site,
        "site.yaml",
        SITE_YAML.replace("language: de", "language: en").replace(
            "timezone: Europe/Berlin", "timezone: Europa/Berlin"
        ),
    )
    assert main(["check", "--site", str(site)]) == 1
    assert "unknown time zone 'Europa/Berlin'" in capsys.readouterr().out
