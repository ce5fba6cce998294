"""Messages in the site's language: German by default, English for ``language: en``."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from verbund import validate, yamlhints
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
    return (
        found
        | set(validate._UNKNOWN.values())
        | set(validate._TWICE.values())
        | {template for template, _ in validate._BOUND_MESSAGES.values()}
    )


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_a_german_text_with_the_same_fields():
    templates = templates_in_code()
    assert len(templates) > 100
    missing = sorted(t for t in templates if t not in GERMAN)
    assert missing == []
    assert [t for t in templates if fields(GERMAN[t]) != fields(t)] == []


def test_every_libyaml_message_shown_has_a_german_text():
    """libyaml's own words are shown as they are (not templates: they hold braces)."""
    assert [m for m in yamlhints.LIBYAML_MESSAGES if m not in GERMAN] == []
    assert translate("did not find expected ',' or '}'", "de") == "hier fehlt ein ',' oder '}'"


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
        "contact, logo, member_since, employees, distinct_from)",
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
        "content/members/muster-logistik.md:2:7: der Wert enthält ': ' und muss in "
        'Anführungszeichen stehen (schreiben Sie: name: "Muster: X Logistik GmbH & Co. KG")',
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        "---\ntitle: X\nstart: 2020-04-02\nformat: online\nhosts: [wvs]\nspeakers:\n"
        "  - name: A\n    role: B\n      organization: C\n---\n",
        "content/events/2020-04-02-kurzarbeit.md:9:7: 'organization:' ist falsch eingerückt "
        "(rücken Sie Zeile 9 um 2 Leerzeichen weniger ein, wie 'role:' in Zeile 8)",
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        '---\ntitle: "Kurzarbeit: Fragen\nstart: 2020-04-02\nformat: online\nhosts: [wvs]\n'
        'speakers:\n  - name: "A"\n---\n',
        'content/events/2020-04-02-kurzarbeit.md:2:8: das hier geöffnete Anführungszeichen " '
        'wird nicht geschlossen (schließen Sie den Wert in Zeile 2 mit " ab: '
        'title: "Kurzarbeit: Fragen")',
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        "---\ntitle: X\nstart: 2026-12-15 10:00\nend: 11:30\nformat: online\nhosts: [wvs]\n---\n",
        "content/events/2020-04-02-kurzarbeit.md:4:6: end: eine Uhrzeit allein genügt nicht: "
        "das Datum gehört dazu (schreiben Sie: end: 2026-12-15 11:30)",
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        "---\ntitle: X\nstart: 15.12.2026 10:00\nformat: online\nhosts: [wvs]\n---\n",
        "content/events/2020-04-02-kurzarbeit.md:3:8: start: Daten werden hier als "
        "Jahr-Monat-Tag geschrieben (schreiben Sie: start: 2026-12-15 10:00)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("https://muster-logistik.example", "muster-logistik.example"),
        "content/members/muster-logistik.md:14:12: contact.website: erwartet wird eine "
        "Webadresse, die mit https:// beginnt (schreiben Sie: website: "
        "https://muster-logistik.example)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("info@muster-logistik.example", "info@muster-logistik,example"),
        "content/members/muster-logistik.md:15:10: contact.email: "
        "'info@muster-logistik,example' ist keine E-Mail-Adresse (schreiben Sie: email: "
        "info@muster-logistik.example)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("associations: [wvs]", "associations: [WVS]"),
        "content/members/muster-logistik.md:7:16: associations[0]: unbekannter Verband 'WVS' "
        "(meinten Sie 'wvs'?)",
    ),
    (
        "content/members/zweite.md",
        MEMBER.replace("name: Muster Logistik", "name: Zweite").replace(
            "https://muster-logistik.example", "https://www.muster-logistik.example/zweite"
        ),
        "content/members/zweite.md:14:12: contact.website: content/members/muster-logistik.md "
        "hat eine Website unter derselben Domain, muster-logistik.example (ist beides "
        "dasselbe, behalten Sie nur content/members/muster-logistik.md; wenn nicht, ergänzen "
        "Sie eine Zeile: distinct_from: [muster-logistik])",
    ),
    (
        "content/members/Muster_Logistik.md",
        MEMBER,
        "content/members/Muster_Logistik.md: der Dateiname 'Muster_Logistik.md' ist kein "
        "gültiger Kurzname (verwenden Sie nur Kleinbuchstaben a-z, Ziffern und einzelne "
        "Bindestriche, etwa 'muster-logistik.md'; schreiben Sie ä als ae und ß als ss)",
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
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("https://", "http://").replace(
            "  - Gefahrgutlagerung", "   - Gefahrgutlagerung"
        ),
    )
    assert main(["check", "--site", str(site)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "content/members/muster-logistik.md:6:4: services[0]: Warnung: 'Kontraktlogistik - "
        "Gefahrgutlagerung' sieht aus wie zwei zusammengelaufene Listeneinträge (rücken Sie "
        "Zeile 6 um 1 Leerzeichen weniger ein, wie '- Kontraktlogistik' in Zeile 5)",
        "content/members/muster-logistik.md:14:12: contact.website: Warnung: die Adresse "
        "beginnt mit http://; Browser zeigen solche Seiten als „nicht sicher“ an (schreiben "
        "Sie: website: https://muster-logistik.example)",
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


def test_a_windows_file_is_explained_in_german(site, capsys, monkeypatch):
    monkeypatch.delenv("VERBUND_MESSAGES")
    (site / "content/members/muster-logistik.md").write_bytes(MEMBER.encode("cp1252"))
    assert main(["check", "--site", str(site)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "content/members/muster-logistik.md:10:21: die Datei ist kein UTF-8-Text: 'ß' wurde "
        "hier in der ANSI-Codierung von Windows gespeichert (speichern Sie sie als UTF-8: im "
        "Windows-Editor mit „Datei → Speichern unter → Codierung: UTF-8“, in VS Code mit „Mit "
        "Codierung speichern → UTF-8“)"
    ]


def test_hints_have_no_parentheses_of_their_own():
    """A hint is printed in parentheses: one inside them is hard to read."""
    hints = [
        text
        for text in templates_in_code()
        if text.split(" ", 1)[0] in {"save", "use", "close", "write", "add", "indent", "end"}
    ]
    assert len(hints) > 20
    assert [h for h in hints if "(" in GERMAN[h] or "(" in h] == []
