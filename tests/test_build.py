"""End to end: the command line on a small site in a temporary folder."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from verbund import pipeline
from verbund.bodies import PARALLEL_FROM
from verbund.cli import main

from .conftest import MEMBER, tree, write

PROJECT = Path(__file__).resolve().parent.parent


def run(*args: str) -> int:
    return main(list(args))


class Links(HTMLParser):
    """Every URL a page links to or loads, and every id it defines."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str | None], str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((tag, attributes, attributes[name]))
        if attributes.get("id"):
            self.ids.add(attributes["id"])


def links_of(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def broken_internal_links(out: Path, base_path: str) -> list[str]:
    """Resolve every internal link and anchor as a browser would, served at ``base_path``."""
    origin = "http://site.test"
    pages = {page: links_of(page) for page in sorted(out.rglob("*.html"))}
    broken = []
    for page, parsed in pages.items():
        page_url = origin + base_path + page.relative_to(out).as_posix()
        for _, _, url in parsed.links:
            target = urlsplit(urljoin(page_url, url))
            if f"{target.scheme}://{target.netloc}" != origin:
                continue  # another host, mailto:, tel:
            if not target.path.startswith(base_path):
                broken.append(f"{page_url}: {url} leaves {base_path}")
                continue
            file = out / unquote(target.path[len(base_path) :])
            if target.path.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{page_url}: {url}")
            elif target.fragment and file in pages and target.fragment not in pages[file].ids:
                broken.append(f"{page_url}: {url} (no such anchor)")
    return broken


@pytest.mark.parametrize("bodies", [3, PARALLEL_FROM])
def test_the_workers_are_let_go_once_the_bodies_are_rendered(site, tmp_path, bodies):
    """The rest of the build runs in one process; idle workers would only hold memory."""
    for n in range(bodies):
        write(site, f"content/pages/seite-{n}.md", f"---\ntitle: Seite {n}\n---\nText {n}.\n")
    checked = pipeline.check(site)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pipeline.build(
            checked.content, site, tmp_path / "out", dt.date(2026, 11, 23), search=False, pool=pool
        )
        with pytest.raises(RuntimeError, match="shutdown"):
            pool.submit(int)
    assert (tmp_path / "out" / "index.html").is_file()


def test_build_writes_a_complete_site(site, capsys):
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    out = site / "output"
    assert "Built" in capsys.readouterr().out
    for path in (
        "index.html",
        "mitglieder/index.html",
        "mitglieder/muster-logistik/index.html",
        "branchen/logistik/index.html",
        "regionen/kreis-steinfurt/index.html",
        "verbaende/aiw/index.html",
        "veranstaltungen/index.html",
        "veranstaltungen/archiv/2020/index.html",
        "impressum/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "static/style.css",
    ):
        assert (out / path).is_file(), path
    # The demo's own pictures and font (folders in the project's static/) stay its own.
    assert sorted(p.name for p in (out / "static").iterdir()) == sorted(
        p.name for p in (PROJECT / "static").iterdir() if p.is_file()
    )
    home = (out / "index.html").read_text()
    assert "Sommerfest" in home  # upcoming on 2026-01-01
    assert "Kurzarbeitergeld" not in home  # past


def test_every_internal_link_resolves_under_the_sub_path(site):
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    assert broken_internal_links(site / "output", "/netzwerk/") == []


def test_nothing_is_loaded_from_another_host(site):
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    for page in (site / "output").rglob("*.html"):
        for tag, attributes, url in links_of(page).links:
            if tag != "a" and attributes.get("rel") != "canonical":
                assert not urlsplit(url).scheme and not url.startswith("//"), (page, url)


def test_broken_content_reports_everything_and_writes_nothing(site, capsys):
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    before = tree(site / "output")
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("region: kreis-steinfurt", "region: kreis-steinfrt"),
    )
    write(site, "content/events/kaputt.md", "---\ntitle: X\ntitle: Y\n---\n")
    capsys.readouterr()
    assert run("build", "--site", str(site), "--today", "2026-01-02") == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "content/events/kaputt.md:3:1: duplicate key 'title' (first on line 2) "
        "(remove one of the two lines)",
        "content/members/muster-logistik.md:8:9: region: unknown region 'kreis-steinfrt' "
        "(did you mean 'kreis-steinfurt'?)",
    ]
    assert "2 errors in 2 files" in captured.err
    assert "Nothing was written" in captured.err
    assert tree(site / "output") == before
    # No staging folder left behind; the copy kept for the next build stays.
    assert [p.name for p in site.iterdir() if p.name.startswith(".output")] == [".output.previous"]


def test_check_writes_nothing(site, capsys):
    assert run("check", "--site", str(site)) == 0
    assert capsys.readouterr().out == "No problems found.\n"
    assert not (site / "output").exists()


def test_check_github_format(site, capsys):
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("region: kreis-steinfurt", "region: steinfurt"),
    )
    assert run("check", "--site", str(site), "--format", "github") == 1
    assert capsys.readouterr().out == (
        "::error file=content/members/muster-logistik.md,line=8,col=9,title=region::"
        "unknown region 'steinfurt' (did you mean 'kreis-steinfurt'?)\n"
    )


def test_check_json_format(site, capsys):
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("region: kreis-steinfurt", "region: steinfurt"),
    )
    assert run("check", "--site", str(site), "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["problems"] == [
        {
            "path": "content/members/muster-logistik.md",
            "line": 8,
            "column": 9,
            "field": "region",
            "message": "unknown region 'steinfurt'",
            "hint": "did you mean 'kreis-steinfurt'?",
            "severity": "error",
        }
    ]


def test_warnings_do_not_fail_the_build(site, capsys):
    write(
        site,
        "content/events/ort-offen.md",
        "---\ntitle: X\nstart: 2030-01-01\nformat: in_person\nhosts: [wvs]\n---\n",
    )
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    assert "warning: an event with format 'in_person' has no 'location'" in capsys.readouterr().out
    page = (site / "output/veranstaltungen/ort-offen/index.html").read_text()
    assert "Der Veranstaltungsort wird noch bekannt gegeben." in page


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "--today", "2026-13-01"], "--today: expected a date like 2026-03-05"),
        (["serve", "--today", "2026-02-30"], "--today: expected a date like 2026-03-05"),
        (["build", "--base-url", "javascript:x"], "--base-url: expected a web address"),
    ],
)
def test_usage_errors_exit_2(site, capsys, args, message):
    try:
        code = run(*args, "--site", str(site))
    except SystemExit as stop:  # argparse's own exit for a value it cannot read
        code = stop.code
    assert code == 2
    assert message in capsys.readouterr().err


def test_missing_site_folder_exits_2(tmp_path, capsys):
    assert run("check", "--site", str(tmp_path)) == 2
    assert "no site.yaml in" in capsys.readouterr().err


def test_unknown_option_exits_2(site):
    with pytest.raises(SystemExit) as caught:
        run("build", "--frobnicate")
    assert caught.value.code == 2


ROBOTS_NOTE = (
    "note: robots.txt is written to https://example.org/netzwerk/robots.txt; crawlers "
    "read only https://example.org/robots.txt (copy its Sitemap line to the robots.txt there)"
)


def test_a_base_url_with_a_path_notes_where_robots_txt_is(site, capsys):
    assert run("check", "--site", str(site), "--strict") == 0  # a note counts for nothing
    assert capsys.readouterr() == (
        "No problems found.\n",
        f"site.yaml:2:11: base_url: {ROBOTS_NOTE}\n",
    )
    build = ["build", "--site", str(site), "--today", "2026-01-01", "--no-search"]
    for _ in range(2):  # the second build repeats the first one's report
        assert run(*build) == 0
        assert capsys.readouterr().err == f"site.yaml:2:11: base_url: {ROBOTS_NOTE}\n"
    assert run(*build, "--base-url", "https://example.org/") == 0
    assert capsys.readouterr().err == ""
    assert run(*build, "--base-url", "https://example.org/netzwerk") == 0
    assert capsys.readouterr().err == f"--base-url: {ROBOTS_NOTE}\n"
    assert (site / "output/robots.txt").is_file()


def test_base_url_override(site):
    assert (
        run(
            "build",
            "--site",
            str(site),
            "--base-url",
            "https://verband.example/",
            "--today",
            "2026-01-01",
        )
        == 0
    )
    page = (site / "output/mitglieder/muster-logistik/index.html").read_text()
    assert (
        '<link rel="canonical" href="https://verband.example/mitglieder/muster-logistik/">' in page
    )
    assert broken_internal_links(site / "output", "/") == []


def test_unwritable_output_is_a_message_not_a_traceback(site, tmp_path, capsys):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    assert run("build", "--site", str(site), "--output", str(blocker / "out")) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "Traceback" not in err


def _build_in_subprocess(site: Path, out: Path, env: dict[str, str]) -> dict[str, bytes]:
    result = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "--site", str(site), "--output", str(out)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        cwd=PROJECT,
    )
    assert result.returncode == 0, result.stderr
    return tree(out)


def _unstable_in_pagefind(path: str) -> bool:
    """Pagefind (upstream issue #638) orders its filter indexes differently on every
    run; the meta index and the entry file name them by hash. Page fragments and
    the word index are stable."""
    return (
        path.startswith("pagefind/filter/")
        or path.startswith("pagefind/pagefind.")
        or path == "pagefind/pagefind-entry.json"
    )


def test_builds_are_reproducible(site, tmp_path):
    first = _build_in_subprocess(
        site,
        tmp_path / "a",
        {"PYTHONHASHSEED": "1", "SOURCE_DATE_EPOCH": "1767225600", "TZ": "UTC", "LANG": "C"},
    )
    second = _build_in_subprocess(
        site,
        tmp_path / "b",
        {
            "PYTHONHASHSEED": "2",
            "SOURCE_DATE_EPOCH": "1767225600",
            "TZ": "America/New_York",
            "LANG": "de_DE.UTF-8",
        },
    )
    assert {p: d for p, d in first.items() if not _unstable_in_pagefind(p)} == {
        p: d for p, d in second.items() if not _unstable_in_pagefind(p)
    }
    assert any(p.startswith("pagefind/fragment/") for p in first)
    assert len([p for p in first if p.startswith("pagefind/filter/")]) == 4
    assert "Sommerfest" in first["index.html"].decode()


def test_builds_without_search_are_byte_identical(site, tmp_path):
    assert run("build", "--site", str(site), "--output", str(tmp_path / "a"), "--no-search") == 0
    assert run("build", "--site", str(site), "--output", str(tmp_path / "b"), "--no-search") == 0
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert first == second and not any(p.startswith("pagefind/") for p in first)


def test_demo_site_builds_without_problems(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "build.py",
            "build",
            "--output",
            str(tmp_path / "out"),
            "--today",
            "2026-11-23",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Built ")
    out = tmp_path / "out"
    assert len(list((out / "mitglieder").glob("*/index.html"))) >= 40
    assert len(list((out / "branchen").glob("*/index.html"))) >= 12
    assert len(list((out / "veranstaltungen").glob("*-*/index.html"))) >= 15
    assert broken_internal_links(out, "/netzwerk/") == []


BAD_INPUTS = [
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("name:", "name: A\nname:"),
        "content/members/muster-logistik.md:3:1: duplicate key 'name' (first on line 2) "
        "(remove one of the two lines)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("region: kreis-steinfurt", "region: &r kreis-steinfurt"),
        "content/members/muster-logistik.md:8:9: anchors (&r) are not allowed (write the "
        "value out in full)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("member_since: 2012", "member_since: !!python/object:os.system 1"),
        "content/members/muster-logistik.md:17:15: tags (!!python/object:os.system) are not "
        "allowed (remove the tag; put the value in quotes if it should be text)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("industries: [logistik, lagerhaltung]", "industries: [logisitk]"),
        "content/members/muster-logistik.md:3:14: industries[0]: unknown industry 'logisitk' "
        "(did you mean 'logistik'?)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("associations: [wvs]", "associations: [wsv]"),
        "content/members/muster-logistik.md:7:16: associations[0]: unknown association 'wsv' "
        "(did you mean 'wvs'?)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("employees:", "mitarbeiter:"),
        "content/members/muster-logistik.md:18:1: mitarbeiter: unknown field 'mitarbeiter' "
        "(allowed here: name, industries, services, associations, region, address, contact, "
        "logo, member_since, employees, distinct_from)",
    ),
    (
        "content/members/muster-logistik.md",
        MEMBER.replace("https://muster-logistik.example", "javascript:alert(1)"),
        "content/members/muster-logistik.md:14:12: contact.website: expected a web address "
        "starting with https://",
    ),
    (
        "content/members/Muster_Logistik.md",
        MEMBER,
        "content/members/Muster_Logistik.md: the file name 'Muster_Logistik.md' is not a "
        "valid slug (use only lowercase letters a-z, digits and single hyphens, like "
        "'muster-logistik.md'; write ä as ae and ß as ss)",
    ),
    (
        "content/members/nul.md",
        MEMBER,
        "content/members/nul.md: the file name 'nul.md' cannot be used on Windows (choose a "
        "longer name)",
    ),
    (
        "content/regions.yaml",
        "- id: kreis-steinfurt\n  name: A\n- id: aux\n  name: B\n- id: kreis-borken\n  name: C\n",
        "content/regions.yaml:3:7: [1].id: 'aux' cannot be a folder name on Windows; choose a "
        "longer id",
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        "---\ntitle: X\nstart: 2026-03-29 02:15\nformat: online\nhosts: [wvs]\n---\n",
        "content/events/2020-04-02-kurzarbeit.md:3:8: start: 2026-03-29 02:15 does not exist "
        "in Europe/Berlin: the clocks skip that hour when daylight saving time starts; give a "
        "time outside the gap",
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        "---\ntitle: X\nstart: 2020-04-02\nformat: online\nhosts: [wvs, aiv]\n---\n",
        "content/events/2020-04-02-kurzarbeit.md:5:14: hosts[1]: unknown association 'aiv' "
        "(did you mean 'aiw'?)",
    ),
    (
        "content/events/2020-04-02-kurzarbeit.md",
        "---\ntitle: X\nstart: 2020-04-02\nformat: online\nhosts: [wvs]\nspeakers:\n"
        "  - name: A\n    member: muster\n---\n",
        "content/events/2020-04-02-kurzarbeit.md:8:13: speakers[0].member: unknown member "
        "'muster' (did you mean 'muster-logistik'?)",
    ),
    (
        "content/pages/impressum.md",
        "---\ntitle: Impressum\n",
        "content/pages/impressum.md:1:1: the front matter is not closed (add a line '---' "
        "after the last field)",
    ),
    (
        "content/regions.yaml",
        "- id: kreis-steinfurt\n  name: A\n- id: kreis-steinfurt\n"
        "  name: B\n- id: kreis-borken\n  name: C\n",
        "content/regions.yaml:3:7: [1].id: the id 'kreis-steinfurt' is used twice (first on "
        "line 1) (give each entry its own id)",
    ),
]


@pytest.mark.parametrize(
    "path, text, message", BAD_INPUTS, ids=[m.split(": ", 1)[1][:40] for _, _, m in BAD_INPUTS]
)
def test_bad_input_gets_its_message_and_output_stays(site, capsys, path, text, message):
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    before = tree(site / "output")
    (site / path).write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 1
    assert capsys.readouterr().out.splitlines() == [message]
    assert tree(site / "output") == before


class Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.landmarks: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.levels.append(int(tag[1]))
        if tag in ("header", "nav", "main", "footer"):
            self.landmarks.add(tag)


def test_every_page_has_one_h1_headings_in_order_and_landmarks(tmp_path):
    out = tmp_path / "out"
    assert run("build", "--site", str(PROJECT), "--output", str(out), "--today", "2026-11-23") == 0
    for page in sorted(out.rglob("*.html")):
        parser = Headings()
        parser.feed(page.read_text(encoding="utf-8"))
        body_levels = parser.levels
        assert body_levels.count(1) == 1, page
        assert body_levels[0] == 1, page
        for before, after in itertools.pairwise(body_levels):
            assert after <= before + 1, (page, body_levels)
        assert {"header", "nav", "main", "footer"} <= parser.landmarks, page


def test_console_script_is_installed(site):
    script = Path(sys.executable).parent / "verbund"
    assert script.is_file(), "install the project first: pip install -e '.[test]'"
    result = subprocess.run(
        [str(script), "check", "--site", str(site)], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout) == (0, "No problems found.\n")


def test_site_without_pagefind_builds_without_search(site, capsys, monkeypatch):
    monkeypatch.setattr("verbund.pipeline.pagefind_executable", lambda: None)
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    captured = capsys.readouterr()
    assert "Pagefind is not available on this platform" in captured.err
    out = site / "output"
    assert not (out / "pagefind").exists() and not (out / "suche").exists()
    assert "suche/" not in (out / "index.html").read_text()
    assert broken_internal_links(out, "/netzwerk/") == []


def test_search_index_is_built_with_the_site(site):
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    out = site / "output"
    assert (out / "pagefind" / "pagefind-ui.js").is_file()
    assert (out / "suche" / "index.html").is_file()
    assert '<a href="./suche/">Suche</a>' in (out / "index.html").read_text()


def test_member_exports_and_files_are_written(site):
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("employees: 50-249", "employees: 50-249\nlogo: logo.png"),
    )
    from PIL import Image

    Image.new("RGB", (400, 200), (200, 30, 30)).save(site / "content/members/logo.png")
    assert run("build", "--site", str(site), "--today", "2026-01-01", "--no-search") == 0
    out = site / "output"
    for path in (
        "members.csv",
        "members.json",
        "mitglieder/index.json",
        "mitglieder/muster-logistik/muster-logistik.vcf",
        "mitglieder/muster-logistik/logo.png",
    ):
        assert (out / path).is_file(), path
    page = (out / "mitglieder/muster-logistik/index.html").read_text()
    assert '<img class="logo" src="logo.png" width="96" height="48"' in page
    assert broken_internal_links(out, "/netzwerk/") == []


def test_english_site(site):
    text = (site / "site.yaml").read_text().replace("language: de", "language: en")
    write(site, "site.yaml", text)
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    out = site / "output"
    assert broken_internal_links(out, "/netzwerk/") == []
    home = (out / "index.html").read_text()
    assert '<html lang="en">' in home and "Member directory" in home
    event = (out / "events/2020-04-02-kurzarbeit/index.html").read_text()
    assert "Thursday, 2 April 2020, 10:00–11:30" in event and "free of charge" in event
    assert (out / "members/muster-logistik/index.html").is_file()
    assert (out / "events/calendar.ics").is_file() and (out / "search/index.html").is_file()


@pytest.mark.parametrize(
    "name, text, where",
    [
        (
            "member.html",
            '{% extends "base.html" %}\n{% block main %}{% if %}{% endblock %}\n',
            "templates/member.html:2:1: the template cannot be used: Expected an expression",
        ),
        (
            "member.html",
            '\n{% extends "basis.html" %}\n',
            "templates/member.html:2:1: the template cannot be used: "
            "there is no template 'basis.html'",
        ),
        (
            "macros.html",
            "{% macro event_list(events) %}\n{{ events|nofilter }}\n{% endmacro %}\n",
            "templates/macros.html:2:1: the template cannot be used: No filter named 'nofilter'",
        ),
    ],
)
def test_a_broken_template_of_the_site_is_named_and_the_output_stays(
    site, capsys, name, text, where
):
    assert run("build", "--site", str(site), "--no-search") == 0
    before = tree(site / "output")
    write(site, f"templates/{name}", text)
    capsys.readouterr()
    assert run("build", "--site", str(site), "--no-search") == 1
    out, err = capsys.readouterr()
    assert where in out
    assert "Traceback" not in out + err
    assert tree(site / "output") == before


def test_two_files_for_one_address_are_refused(site, capsys):
    write(
        site,
        "content/events/referenten.md",
        "---\ntitle: X\nstart: 2020-05-01\n"
        "format: online\nhosts: [wvs]\nspeakers:\n  - name: A\n---\n",
    )
    assert run("build", "--site", str(site), "--today", "2026-01-01", "--no-search") == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "content/events/referenten.md: would be written to "
        "veranstaltungen/referenten/index.html, which the site uses for a page of its own "
        "(rename the file)"
    ]
    assert not (site / "output").exists()


def test_github_format_writes_the_whole_list_to_the_step_summary(
    site, tmp_path, capsys, monkeypatch
):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for n in range(12):
        write(
            site,
            f"content/members/m{n:02d}.md",
            MEMBER.replace("region: kreis-steinfurt", "region: nirgendwo")
            .replace("Muster Logistik", f"Firma {n}")
            .replace("muster-logistik.", f"firma{n}."),
        )
    assert run("check", "--site", str(site), "--format", "github") == 1
    assert len(capsys.readouterr().out.splitlines()) == 12
    table = summary.read_text().splitlines()
    assert table[0] == "### 12 problem(s) in the content"
    assert table[4] == (
        "| content/members/m00.md | 8 | region | unknown region 'nirgendwo' "
        "(known region ids are listed in content/regions.yaml) |"
    )
    assert len(table) == 4 + 12


def test_missing_dependencies_get_an_install_hint_not_a_traceback(tmp_path):
    # An interpreter without the project's packages: a bare venv.
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "bare")], check=True
    )
    result = subprocess.run(
        [str(tmp_path / "bare/bin/python"), str(PROJECT / "build.py"), "check"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "is missing: install the project first" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_file_names_that_differ_only_in_case(site, capsys):
    write(site, "content/members/Muster-Logistik.md", MEMBER)
    assert run("check", "--site", str(site)) == 1
    assert capsys.readouterr().out.splitlines() == [
        "content/members/Muster-Logistik.md: the file name 'Muster-Logistik.md' is not a "
        "valid slug (use only lowercase letters a-z, digits and single hyphens, like "
        "'muster-logistik.md'; write ä as ae and ß as ss)"
    ]


BODY_LINK = MEMBER.rstrip("\n") + "\n\nMehr im [Verhaltenskodex](cityjsconf.org/coc).\n"


def test_a_broken_link_in_a_body_is_a_warning_with_its_line(site, capsys):
    path = write(site, "content/members/muster-logistik.md", BODY_LINK)
    line = path.read_text().splitlines().index("Mehr im [Verhaltenskodex](cityjsconf.org/coc).")
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    out = capsys.readouterr().out
    assert (
        f"content/members/muster-logistik.md:{line + 1}:27: warning: the link "
        "'cityjsconf.org/coc' leads to a page that does not exist (for another website "
        "write it in full, like 'https://example.org/')"
    ) in out.splitlines()


def test_strict_makes_warnings_fatal_and_writes_nothing(site, capsys):
    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    before = tree(site / "output")
    write(site, "content/members/muster-logistik.md", BODY_LINK)
    assert run("build", "--site", str(site), "--today", "2026-01-01", "--strict") == 1
    assert "cityjsconf.org/coc" in capsys.readouterr().out
    assert tree(site / "output") == before
    write(
        site,
        "content/events/ort-offen.md",
        "---\ntitle: X\nstart: 2030-01-01\nformat: in_person\nhosts: [wvs]\n---\n",
    )
    assert run("check", "--site", str(site)) == 0
    assert run("check", "--site", str(site), "--strict") == 1
    assert run("build", "--site", str(site), "--today", "2026-01-01", "--strict") == 1
    assert "--strict: warnings count as errors." in capsys.readouterr().err
    assert tree(site / "output") == before


def test_a_body_over_its_time_budget_stops_the_build(site, capsys, monkeypatch):
    import verbund.bodies

    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    before = tree(site / "output")
    monkeypatch.setattr(verbund.bodies, "SECONDS_PER_BODY", 0.02)
    write(site, "content/members/muster-logistik.md", MEMBER + "[" * 900 + "\n")
    capsys.readouterr()
    assert run("build", "--site", str(site), "--today", "2026-01-01", "--no-cache") == 1
    assert capsys.readouterr().out.splitlines() == [
        f"content/members/muster-logistik.md:{MEMBER.count(chr(10))}:1: the text took "
        "longer than 0.02 s to render and was stopped (shorten it or simplify its formatting)"
    ]
    assert tree(site / "output") == before


def _size(folder: Path) -> int:
    return sum(4096 * -(-p.stat().st_size // 4096) for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def small_disk(tmp_path):
    """A real file system of a given size (tmpfs; needs the right to mount)."""
    mounted = []

    def make(size: int) -> Path:
        folder = tmp_path / f"disk{len(mounted)}"
        folder.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a small file system here: {result.stderr.strip()}")
        mounted.append(folder)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_disk_is_a_message_and_the_old_site_stays(site, tmp_path, capsys, small_disk):
    args = ["build", "--site", str(site), "--today", "2026-01-01", "--no-search"]
    assert run(*args, "--output", str(tmp_path / "measure")) == 0
    disk = small_disk(_size(tmp_path / "measure") * 3 // 2)
    assert run(*args, "--output", str(disk / "out")) == 0
    before = tree(disk / "out")
    capsys.readouterr()
    # Without the cache every file is written anew (with it, all are kept as they are).
    assert run(*args, "--no-cache", "--output", str(disk / "out")) == 1
    err = capsys.readouterr().err
    assert f"verbund: cannot write {disk / 'out'}: No space left on device (" in err
    assert "nothing was changed there" in err and "Traceback" not in err
    assert tree(disk / "out") == before
    assert sorted(p.name for p in disk.iterdir()) == ["out"]  # no staging folder left


def test_a_full_disk_reported_by_the_system_is_a_message(site, capsys, monkeypatch):
    import errno

    assert run("build", "--site", str(site), "--today", "2026-01-01") == 0
    before = tree(site / "output")
    written = []
    real_write = os.write

    def write(handle, data):
        written.append(handle)
        if len(written) > 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(handle, data)

    monkeypatch.setattr(os, "write", write)
    capsys.readouterr()
    assert run("build", "--site", str(site), "--today", "2026-01-01", "--no-cache") == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and str(site / "output") in err
    assert ".html)" in err or ".ics)" in err or ".json)" in err  # the file it was writing
    monkeypatch.undo()
    assert tree(site / "output") == before


class Preview(HTMLParser):
    """A page's meta tags, canonical link and visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and (attributes.get("property") or attributes.get("name")):
            key = attributes.get("property") or attributes["name"]
            self.meta.setdefault(key, []).append(attributes.get("content") or "")
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical.append(attributes["href"])
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def test_every_page_has_a_link_preview(tmp_path):
    out = tmp_path / "out"
    assert run("build", "--site", str(PROJECT), "--output", str(out), "--today", "2026-11-23") == 0
    base = "https://example.org/netzwerk/"
    site_yaml = " ".join((PROJECT / "site.yaml").read_text(encoding="utf-8").split())
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 100
    kinds: dict[str, set[str]] = {}
    images = 0
    for page in pages:
        parser = Preview()
        parser.feed(page.read_text(encoding="utf-8"))
        meta = {key: values[0] for key, values in parser.meta.items()}
        for key in (
            "description",
            "og:title",
            "og:description",
            "og:url",
            "og:type",
            "og:site_name",
            "og:locale",
            "twitter:card",
        ):
            assert len(parser.meta.get(key, [])) == 1, (page, key)
            assert meta[key].strip(), (page, key)
        assert parser.canonical == [meta["og:url"]], page
        assert meta["og:site_name"] == "Wirtschaftsnetzwerk Münsterland-Emsland"
        assert meta["og:locale"] == "de_DE"
        assert meta["twitter:card"] == "summary"
        # The URL is absolute and is this very page.
        assert meta["og:url"].startswith(base), page
        rel = unquote(meta["og:url"][len(base) :])
        target = out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)
        assert target == page, (page, meta["og:url"])
        # A description is plain text, short, and ends with a whole word.
        description = meta["og:description"]
        assert description == meta["description"]
        assert len(description) <= 200, page
        assert "<" not in description, page
        if description.endswith("…"):
            last = description[:-1].split()[-1].strip('.,;:!?–-()"„“')
            words = " ".join(" ".join(parser.text).split()) + " " + site_yaml
            assert re.search(rf"(?<!\w){re.escape(last)}(?!\w)", words), (page, last)
        image = meta.get("og:image")
        logo = page.parent / "logo.png"
        if image is not None:
            assert image.startswith(base) and (out / unquote(image[len(base) :])).is_file()
        member_with_logo = page.parent.parent.name == "mitglieder" and logo.is_file()
        # Every association of the demo has a logo: an event shows its first host's.
        event = page.parent.parent.name == "veranstaltungen" and re.match(
            r"\d{4}-\d{2}-\d{2}-", page.parent.name
        )
        assert (image is not None) == bool(member_with_logo or event), page
        kinds.setdefault(page.relative_to(out).parts[0], set()).add(meta["og:type"])
        images += image is not None
    assert images >= 3
    assert kinds["mitglieder"] == {"website", "profile"}
    assert kinds["veranstaltungen"] == {"website", "article"}
    home = Preview()
    home.feed((out / "index.html").read_text(encoding="utf-8"))
    assert home.meta["og:title"] == ["Wirtschaftsnetzwerk Münsterland-Emsland"]
    assert home.meta["og:description"][0].endswith("…")
