"""``links``: the content's addresses on other hosts for the scheduled link check,
and lychee's findings told back with the file, line and field of each."""

from __future__ import annotations

import json

from verbund.cli import main

from .conftest import write

EVENT = """\
---
title: Werkstattgespräch
start: 2027-04-15 17:00
format: hybrid
hosts: [aiw]
location:
  name: Kantine
  city: Emsdetten
online:
  platform: Zoom
  url: https://zoom.example/j/1
registration:
  url: https://aiw.example/anmeldung
recording: https://video.example/werkstatt
---
Vorher lesen: [der Leitfaden](https://leitfaden.example/koproduktion).

Und noch einmal [der Leitfaden](https://leitfaden.example/koproduktion).
"""


def links(site, *extra) -> int:
    return main(["links", "--site", str(site), *extra])


def test_every_address_of_the_content_is_listed_once(site, capsys):
    write(site, "content/events/2027-04-15-werkstatt.md", EVENT)
    write(
        site, "content/partners.yaml", "- id: r56\n  name: R56\n  website: https://r56.example/\n"
    )
    assert links(site) == 0
    listed = capsys.readouterr().out.split()
    assert len(listed) == len(set(listed))
    assert {
        "https://muster-logistik.example",
        "https://zoom.example/j/1",
        "https://aiw.example/anmeldung",
        "https://video.example/werkstatt",
        "https://leitfaden.example/koproduktion",
        "https://r56.example/",
    } <= set(listed)


def lychee_report(tmp_path, errors: dict, timeouts: dict | None = None):
    """A report as ``lychee --format json`` writes it (lychee 0.23)."""
    report = {
        "total": 6,
        "errors": len(errors),
        "success_map": {},
        "error_map": {
            "addresses.txt": [
                {"url": url, "status": {"text": text, "code": 404}} for url, text in errors.items()
            ]
        },
        "timeout_map": {
            "addresses.txt": [
                {"url": url, "status": {"text": "Timeout", "details": text}}
                for url, text in (timeouts or {}).items()
            ]
        },
    }
    file = tmp_path / "lychee.json"
    file.write_text(json.dumps(report), encoding="utf-8")
    return file


def test_unreachable_addresses_are_told_with_their_files_lines_and_fields(site, tmp_path, capsys):
    write(site, "content/events/2027-04-15-werkstatt.md", EVENT)
    report = lychee_report(
        tmp_path,
        # lychee writes a bare host back with a slash
        {"https://muster-logistik.example/": "404 Not Found"},
        {"https://leitfaden.example/koproduktion": "Request timed out"},
    )
    capsys.readouterr()
    assert links(site, "--report", str(report)) == 1
    table = capsys.readouterr().out.splitlines()
    assert table[2] == "| file | line | field | address | error |"
    assert table[4:] == [
        "| content/events/2027-04-15-werkstatt.md | 16 | text "
        "| https://leitfaden.example/koproduktion | Timeout |",
        "| content/members/muster-logistik.md | 14 | contact.website "
        "| https://muster-logistik.example | 404 Not Found |",
    ]


def test_the_issue_is_written_in_the_sites_language(site, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("VERBUND_MESSAGES")
    report = lychee_report(tmp_path, {"https://muster-logistik.example": "404 Not Found"})
    capsys.readouterr()
    assert links(site, "--report", str(report)) == 1
    text = capsys.readouterr().out
    assert text.startswith("Diese Adressen waren bei der letzten Prüfung nicht erreichbar.")
    assert "| Datei | Zeile | Feld | Adresse | Fehler |" in text


def test_nothing_unreachable_says_nothing_and_exits_0(site, tmp_path, capsys):
    report = lychee_report(tmp_path, {"https://elsewhere.example/": "404 Not Found"})
    capsys.readouterr()
    assert links(site, "--report", str(report)) == 0
    assert capsys.readouterr().out == ""


def test_a_report_that_cannot_be_read_is_a_usage_error(site, tmp_path, capsys):
    broken = tmp_path / "lychee.json"
    broken.write_text("[1, 2", encoding="utf-8")
    assert links(site, "--report", str(broken)) == 2
    assert f"--report: cannot read {broken}" in capsys.readouterr().err
    assert links(site, "--report", str(tmp_path / "missing.json")) == 2
