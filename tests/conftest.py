"""Shared helpers: a small valid site written into a temporary folder."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import textwrap
import threading
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


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """Most tests read messages in English; tests/test_messages.py reads them in German."""
    monkeypatch.setenv("VERBUND_MESSAGES", "en")


def make_site(root: Path) -> Path:
    """A small valid site: two associations, one member, two events, one page."""
    write(root, "site.yaml", SITE_YAML)
    write(root, "content/industries.yaml", INDUSTRIES_YAML)
    write(root, "content/regions.yaml", REGIONS_YAML)
    write(root, "content/members/muster-logistik.md", MEMBER)
    write(root, "content/events/2020-04-02-kurzarbeit.md", EVENT)
    write(root, "content/events/2030-06-12-sommerfest.md", UPCOMING_EVENT)
    write(root, "content/pages/impressum.md", PAGE)
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` with its bytes, for before/after comparisons."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# -- browser tests ---------------------------------------------------------------

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(condition: bool, reason: str) -> None:
    """Skip on a developer's machine; under CI a missing tool is a failure."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: required)")
        pytest.skip(reason)


def chromium_path(bundled: str | None = None) -> str | None:
    """The system's Chromium, else the one ``playwright install chromium`` put
    in place (its path is ``bundled``)."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return bundled if bundled and Path(bundled).is_file() else None


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        path = chromium_path(playwright.chromium.executable_path)
        require(
            path is not None,
            "Chromium is not installed (apt-get install chromium, or "
            "python -m playwright install chromium)",
        )
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    """The demo site built once, served at http://127.0.0.1:PORT/netzwerk/."""
    from verbund.cli import main

    root = tmp_path_factory.mktemp("served")
    assert (
        main(
            [
                "build",
                "--site",
                str(PROJECT),
                "--output",
                str(root / "netzwerk"),
                "--today",
                "2026-11-23",
            ]
        )
        == 0
    )
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/netzwerk/"
    server.shutdown()


def browser_tab(browser, **options):
    """A page in a context of its own (``options`` as Playwright takes them);
    a script error on it fails the test."""
    context = browser.new_context(locale="de-DE", **options)
    context.set_default_timeout(5000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == [], errors


@pytest.fixture
def page(browser):
    yield from browser_tab(browser, viewport={"width": 1280, "height": 900})


AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(tab) -> list[dict]:
    """WCAG 2.1 A and AA violations axe-core finds on the open page."""
    require(AXE.is_file(), "axe-core is not installed (npm ci)")
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' '))}));
    }""")
    return result
