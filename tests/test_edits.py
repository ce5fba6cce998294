"""Builds after edits to texts only: the same files as a clean build, made from a small site."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import time
from collections import Counter
from pathlib import Path

import pytest

from verbund import edits, pipeline, render
from verbund import write as write_module
from verbund.cache import Cache
from verbund.cli import main
from verbund.search import pagefind_executable

from .conftest import MEMBER, tree, write

TODAY = "2026-01-01"
KURZARBEIT = "content/events/2020-04-02-kurzarbeit.md"
SOMMERFEST = "content/events/2030-06-12-sommerfest.md"
MEMBER_FILE = "content/members/muster-logistik.md"


def build(site: Path, output: Path, *extra: str, search: bool = False) -> int:
    return main(["build", "--site", str(site), "--output", str(output), "--today", TODAY,
                 *([] if search else ["--no-search"]), *extra])


def clean_build(site: Path, folder: Path) -> dict[str, bytes]:
    assert build(site, folder, "--no-cache") == 0
    return tree(folder)


def built_twice(site: Path, output: Path, search: bool = False) -> None:
    """Two builds: the second keeps the output of the first beside its own."""
    for _ in range(2):
        assert build(site, output, search=search) == 0


def assert_full_build(site: Path, output: Path, paths: list[str], tmp_path: Path) -> None:
    """The next build takes the full path and gives what a clean build gives."""
    paths.clear()
    assert build(site, output) == 0
    assert paths == ["full"]
    assert tree(output) == clean_build(site, tmp_path / "clean")


def append(site: Path, rel: str, text: str) -> None:
    file = site / rel
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture
def paths(monkeypatch) -> list[str]:
    """Which way each build took: "edits" or "full"."""
    taken: list[str] = []
    rebuild, check = edits.rebuild, pipeline.check

    def edited(*args, **kwargs):
        found = rebuild(*args, **kwargs)
        if found is not None:
            taken.append("edits")
        return found

    def checked(*args, **kwargs):
        taken.append("full")
        return check(*args, **kwargs)

    monkeypatch.setattr(edits, "rebuild", edited)
    monkeypatch.setattr(pipeline, "check", checked)
    return taken


TEXT_EDITS = {
    "a member's text": lambda s: append(s, MEMBER_FILE, "\nNeu: [Termine](#profil).\n"),
    # In the feeds, the series, both hosts' and the site's calendars; its speaker
    # is a member, whose page lists it.
    "a past event's text": lambda s: append(s, KURZARBEIT, "\nEin Nachtrag.\n"),
    "an upcoming event's text": lambda s: append(s, SOMMERFEST, "\nMit Musik.\n"),
    "a page's text": lambda s: append(s, "content/pages/impressum.md", "\nNoch ein Satz.\n"),
    "two texts at once": lambda s: (append(s, MEMBER_FILE, "\nZwei.\n"),
                                    append(s, KURZARBEIT, "\nZwei.\n")),
}


def assert_edit_path(site: Path, output: Path, edit, paths: list[str],
                     tmp_path: Path) -> None:
    """After two builds, the ``edit`` takes the edit path and gives what a clean build gives."""
    built_twice(site, output)
    edit(site)
    paths.clear()
    assert build(site, output) == 0
    assert paths == ["edits"]
    assert tree(output) == clean_build(site, tmp_path / "clean")


@pytest.mark.parametrize("edit", list(TEXT_EDITS))
def test_an_edited_text_gives_what_a_clean_build_gives(site, tmp_path, paths, edit):
    output = tmp_path / "out"
    assert_edit_path(site, output, TEXT_EDITS[edit], paths, tmp_path)
    TEXT_EDITS[edit](site)  # again: the output updated in place of the one kept
    assert build(site, output) == 0
    assert tree(output) == clean_build(site, tmp_path / "clean2")


def test_files_made_from_edited_texts_are_recorded_as_a_full_build_would(
        site, tmp_path, paths, capsys, monkeypatch):
    output = tmp_path / "out"
    built_twice(site, output)
    TEXT_EDITS["two texts at once"](site)
    assert build(site, output) == 0
    paths.clear()
    capsys.readouterr()
    assert build(site, output) == 0  # nothing changed: the site is kept as a whole
    assert paths == ["edits"]
    assert "(0 new or changed)" in capsys.readouterr().out
    # The inputs recorded are those a full build computes.
    cache = Cache(site / ".cache")
    content = pipeline.check(site, None, cache).content
    assert content is not None
    surroundings = render.surrounding_inputs(content, site, dt.date.fromisoformat(TODAY), None)
    texts = render.texts_key(map(render.identity, [*content.members, *content.events,
                                                   *content.pages]))
    assert cache.manifest(output).inputs == render.site_inputs(surroundings, texts)
    cache.close()
    # Planned file by file, every key is the one the edit left.
    monkeypatch.setattr(pipeline, "intact", lambda *args: False)
    monkeypatch.setattr(write_module, "intact", lambda *args: False)
    paths.clear()
    assert build(site, output) == 0
    assert paths == ["full"]
    assert "(0 new or changed)" in capsys.readouterr().out


FULL_BUILD_EDITS = {
    "an event's fields": lambda s: write(s, SOMMERFEST, (s / SOMMERFEST).read_text().replace(
        "title: Sommerfest", "title: Herbstfest")),
    "a new member": lambda s: write(s, "content/members/zweite-firma.md", MEMBER.replace(
        "Muster Logistik GmbH", "Zweite Firma KG").replace("muster-logistik.example",
                                                           "zweite.example")),
    "an event removed": lambda s: (s / SOMMERFEST).unlink(),
    "a text and the site's settings": lambda s: (
        append(s, MEMBER_FILE, "\nNeu.\n"),
        write(s, "site.yaml", (s / "site.yaml").read_text().replace(
            "title: Testnetz", "title: Neues Testnetz", 1))),
    "a text and a template": lambda s: (
        append(s, MEMBER_FILE, "\nNeu.\n"),
        write(s, "templates/member.html", (
            Path(__file__).parent.parent / "templates/member.html").read_text() + "<!-- -->\n")),
    # New anchors: links on other pages to them may work now.
    "a text with a footnote": lambda s: append(s, MEMBER_FILE, "\nDrei[^1].\n\n[^1]: Fuß.\n"),
    "a text too deeply nested": lambda s: append(s, MEMBER_FILE, "\n" + ">" * 40 + " x\n"),
}


def assert_full_path(site: Path, edit, paths: list[str], tmp_path: Path,
                     reported: bool = False) -> None:
    """After two builds, ``edit`` takes the full path: the check reports a problem
    (``reported``) or the output is what a clean build gives."""
    output = tmp_path / "out"
    built_twice(site, output)
    edit(site)
    paths.clear()
    status = build(site, output)
    assert paths == ["full"]
    assert status == (1 if reported else 0)
    if not reported:
        assert tree(output) == clean_build(site, tmp_path / "clean")


@pytest.mark.parametrize("edit", list(FULL_BUILD_EDITS))
def test_other_changes_take_a_full_build(site, tmp_path, paths, edit):
    assert_full_path(site, FULL_BUILD_EDITS[edit], paths, tmp_path,
                     reported=edit == "a text too deeply nested")


FIRMS = {"alpha-bau": ("Alpha Bau GmbH", "[logistik]"),
         "berta-lager": ("Berta Lager KG", "[lagerhaltung, logistik]"),
         "dora-maschinen": ("Dora Maschinen AG", "[maschinenbau]"),
         "emil-transporte": ("Emil Transporte e.K.", "[logistik]")}
"""Members beside Muster Logistik (which sorts after all of them): some
share its industries, one shares none."""


@pytest.fixture
def firms(site: Path) -> Path:
    for slug, (name, industries) in FIRMS.items():
        write(site, f"content/members/{slug}.md", MEMBER.replace(
            "Muster Logistik GmbH & Co. KG", name).replace(
            "[logistik, lagerhaltung]", industries).replace("muster-logistik", slug))
    return site


def change_member(site: Path, rel: str, old: str, new: str) -> None:
    text = (site / rel).read_text(encoding="utf-8")
    assert old in text
    (site / rel).write_text(text.replace(old, new), encoding="utf-8")


FIELD_EDITS = {
    "renamed to the front": lambda s: change_member(
        s, MEMBER_FILE, "Muster Logistik GmbH & Co. KG", "Aachener Logistik GmbH"),
    "renamed to the middle": lambda s: change_member(
        s, MEMBER_FILE, "Muster Logistik GmbH & Co. KG", "Cäsar Logistik GmbH"),
    "renamed in its place": lambda s: change_member(
        s, MEMBER_FILE, "Muster Logistik GmbH & Co. KG", "Muster-Logistik Spedition"),
    "the first renamed to the end": lambda s: change_member(
        s, "content/members/alpha-bau.md", "Alpha Bau GmbH", "Zeppelin Bau GmbH"),
    "services, address and text": lambda s: (
        change_member(s, MEMBER_FILE, "  - Kontraktlogistik\n", "  - Zolllager\n"),
        change_member(s, MEMBER_FILE, "city: Rheine", "city: Emsdetten"),
        append(s, MEMBER_FILE, "\nNeu.\n")),
    "two members at once": lambda s: (
        change_member(s, MEMBER_FILE, "Muster Logistik GmbH & Co. KG", "Aachener Logistik"),
        change_member(s, "content/members/berta-lager.md", "Berta Lager KG", "Zander Lager")),
}


@pytest.mark.parametrize("edit", list(FIELD_EDITS))
def test_edited_fields_of_members_give_what_a_clean_build_gives(firms, tmp_path, paths, edit):
    output = tmp_path / "out"
    assert_edit_path(firms, output, FIELD_EDITS[edit], paths, tmp_path)
    # Once more from where the edit left the lists, then a full build after it.
    change_member(firms, "content/members/emil-transporte.md", "Emil Transporte e.K.",
                  "Anton Transporte")
    paths.clear()
    assert build(firms, output) == 0
    assert paths == ["edits"]
    assert tree(output) == clean_build(firms, tmp_path / "clean2")
    append(firms, "content/members/dora-maschinen.md", "\nNeu.\n")
    (firms / "content/members/neu-firma.md").write_text(MEMBER.replace(
        "Muster Logistik GmbH & Co. KG", "Neu Firma").replace("muster-logistik", "neu-firma"))
    paths.clear()
    assert build(firms, output) == 0
    assert paths == ["full"]
    assert tree(output) == clean_build(firms, tmp_path / "clean3")


def test_lists_move_right_after_the_index_is_kept_again(firms, tmp_path, paths, monkeypatch):
    monkeypatch.setattr(edits, "MOST_NOTED", 0)  # each edit keeps the whole index again
    output = tmp_path / "out"
    built_twice(firms, output)
    for rel, old, new in ((MEMBER_FILE, "Muster Logistik GmbH & Co. KG", "Aachener Logistik"),
                          ("content/members/alpha-bau.md", "Alpha Bau GmbH", "Zeppelin Bau"),
                          (MEMBER_FILE, "Aachener Logistik", "Xaver Logistik")):
        change_member(firms, rel, old, new)
        paths.clear()
        assert build(firms, output) == 0
        assert paths == ["edits"]
    assert tree(output) == clean_build(firms, tmp_path / "clean")


def test_a_renamed_member_moves_on_its_pages(firms, tmp_path, paths):
    output = tmp_path / "out"
    built_twice(firms, output)
    FIELD_EDITS["renamed to the front"](firms)
    paths.clear()
    assert build(firms, output) == 0
    assert paths == ["edits"]
    page = (output / "branchen/logistik/index.html").read_text(encoding="utf-8")
    names = ["Aachener Logistik", "Alpha Bau", "Berta Lager", "Emil Transporte"]
    assert sorted(names, key=page.index) == names
    csv = (output / "members.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in csv] == [
        "slug", "muster-logistik", "alpha-bau", "berta-lager", "dora-maschinen",
        "emil-transporte"]


FIELD_EDITS_FOR_A_FULL_BUILD = {
    "moved to another industry": lambda s: change_member(
        s, MEMBER_FILE, "[logistik, lagerhaltung]", "[logistik, maschinenbau]"),
    "another size class": lambda s: change_member(s, MEMBER_FILE, "50-249", "10-49"),
    # Near-duplicate warnings change: on it, or on the firm it looked like.
    "renamed like another firm": lambda s: change_member(
        s, MEMBER_FILE, "Muster Logistik GmbH & Co. KG", "Alpha Bau KG"),
    "a website like another firm's": lambda s: change_member(
        s, MEMBER_FILE, "https://muster-logistik.example", "https://www.alpha-bau.example/"),
    "a field in error": lambda s: change_member(s, MEMBER_FILE, "region: kreis-steinfurt",
                                                "region: nirgendwo"),
}


@pytest.mark.parametrize("edit", list(FIELD_EDITS_FOR_A_FULL_BUILD))
def test_edited_fields_that_change_other_pages_take_a_full_build(firms, tmp_path, paths, edit):
    assert_full_path(firms, FIELD_EDITS_FOR_A_FULL_BUILD[edit], paths, tmp_path,
                     reported=edit == "a field in error")


def test_a_member_that_looked_like_another_takes_a_full_build(firms, tmp_path, paths):
    change_member(firms, MEMBER_FILE, "Muster Logistik GmbH & Co. KG", "Alpha Bau AG")
    output = tmp_path / "out"
    built_twice(firms, output)
    change_member(firms, MEMBER_FILE, "Alpha Bau AG", "Omega Bau AG")  # no warning now
    paths.clear()
    assert build(firms, output) == 0
    assert paths == ["full"]
    assert tree(output) == clean_build(firms, tmp_path / "clean")


def test_own_member_cards_take_a_full_build_for_edited_fields(firms, tmp_path, paths):
    project = Path(__file__).parent.parent
    write(firms, "templates/macros.html", OWN_TEMPLATES["templates/macros.html"](
        (project / "templates/macros.html").read_text(encoding="utf-8")))
    output = tmp_path / "out"
    built_twice(firms, output)
    FIELD_EDITS["renamed to the front"](firms)
    assert_full_build(firms, output, paths, tmp_path)


def test_a_site_with_templates_of_its_own_takes_a_full_build(site, tmp_path, paths):
    write(site, "templates/member.html", (
        Path(__file__).parent.parent / "templates/member.html").read_text().replace(
            "{% endblock %}", "{% for e in site.events %}{{ body(e)|safe }}{% endfor %}"
            "{% endblock %}", 1))
    output = tmp_path / "out"
    built_twice(site, output)
    append(site, SOMMERFEST, "\nMit Musik.\n")
    paths.clear()
    assert build(site, output) == 0
    assert paths == ["full"]  # the member's page shows every event's text
    assert b"Mit Musik" in (output / "mitglieder/muster-logistik/index.html").read_bytes()


OWN_TEMPLATES = {
    # An association's header and footer, as most sites change them.
    "templates/base.html": lambda text: text.replace(
        "</footer>", "<p>{{ config.title }} · {{ site.industries|length }} Branchen</p>"
        "</footer>", 1),
    # Its own text, laid out differently, with the firm's fields.
    "templates/member.html": lambda text: text.replace(
        "{% endblock %}", "<aside>{{ member.data.name }}: {{ body(member)|safe }}</aside>"
        "{% endblock %}", 1),
    "templates/event.html": lambda text: text.replace(
        "</dl>", "</dl><p>{{ 'vorbei' if past else 'bald' }}</p>", 1),
    # Member cards of its own, with how many events each industry has.
    "templates/macros.html": lambda text: text.replace(
        "({{ term.members|length }})", "({{ term.members|length }}/{{ term.events|length }})"),
}


@pytest.mark.parametrize("edit", list(TEXT_EDITS))
def test_templates_of_its_own_that_keep_to_their_pages_take_the_edit_path(
        site, tmp_path, paths, edit):
    project = Path(__file__).parent.parent
    for rel, change in OWN_TEMPLATES.items():
        text = (project / rel).read_text(encoding="utf-8")
        assert change(text) != text
        write(site, rel, change(text))
    output = tmp_path / "out"
    assert_edit_path(site, output, TEXT_EDITS[edit], paths, tmp_path)
    assert b"Branchen</p></footer>" in (output / "index.html").read_bytes()


def test_a_file_changed_in_the_output_takes_a_full_build(site, tmp_path, paths):
    output = tmp_path / "out"
    built_twice(site, output)
    calendar = output / "veranstaltungen/kalender.ics"
    calendar.write_bytes(calendar.read_bytes().replace(b"Kurzarbeitergeld", b"Kurzarbeit"))
    append(site, KURZARBEIT, "\nEin Nachtrag.\n")
    assert_full_build(site, output, paths, tmp_path)


def test_without_a_previous_output_beside_it_a_full_build_is_made(site, tmp_path, paths):
    output = tmp_path / "out"
    assert build(site, output) == 0
    write_module.remove_later(write_module.previous_output(output))
    for _ in range(100):
        if not write_module.previous_output(output).exists():
            break
        time.sleep(0.1)
    append(site, MEMBER_FILE, "\nNeu.\n")
    assert_full_build(site, output, paths, tmp_path)


def test_a_broken_link_in_an_edited_text_is_a_warning_kept_for_later_builds(
        site, tmp_path, paths, capsys):
    output = tmp_path / "out"
    built_twice(site, output)
    append(site, MEMBER_FILE, "\nSiehe [Preise](../preise/).\n")
    paths.clear()
    capsys.readouterr()
    assert build(site, output) == 0
    assert paths == ["edits"]
    told = capsys.readouterr().out
    assert "content/members/muster-logistik.md:22:16: warning" in told
    assert "../preise/" in told
    assert build(site, output) == 0  # nothing changed: reported again
    assert capsys.readouterr().out.count("../preise/") == 1
    append(site, MEMBER_FILE, "\nNoch ein Satz.\n")
    assert build(site, output) == 0  # another edit of the same text keeps it
    assert capsys.readouterr().out.count("../preise/") == 1
    paths.clear()
    assert build(site, output, "--strict") == 1  # strict: the full build refuses it
    assert paths == ["full"]
    assert "../preise/" in capsys.readouterr().out


def test_problems_of_the_check_are_reported_again(site, tmp_path, paths, capsys):
    # A near twin of the member: a warning of the check.
    write(site, "content/members/muster-logistik-zwei.md", MEMBER.replace(
        "Muster Logistik GmbH & Co. KG", "Muster Logistik GmbH & Co KG"))
    output = tmp_path / "out"
    built_twice(site, output)
    first = capsys.readouterr().out.splitlines()
    assert any("warning" in line for line in first)
    append(site, SOMMERFEST, "\nMit Musik.\n")
    paths.clear()
    assert build(site, output) == 0
    assert paths == ["edits"]
    again = capsys.readouterr().out.splitlines()
    assert again[:-1] == first[-len(again):-1]  # all but the line with the time


def test_a_touched_file_is_not_an_edit_and_nothing_changed_keeps_the_output(
        site, tmp_path, paths, capsys):
    output = tmp_path / "out"
    built_twice(site, output)
    before = {file: file.stat().st_ino for file in output.rglob("*")}
    (site / "content/pages/impressum.md").touch()
    paths.clear()
    capsys.readouterr()
    assert build(site, output) == 0
    assert paths == ["edits"]  # the text is as it was: nothing to make
    assert "(0 new or changed)" in capsys.readouterr().out
    assert {file: file.stat().st_ino for file in output.rglob("*")} == before
    (output / "static/site.js").unlink()  # not as written: the full build mends it
    assert_full_build(site, output, paths, tmp_path)


def test_an_unreadable_index_takes_a_full_build(site, tmp_path, paths):
    output = tmp_path / "out"
    built_twice(site, output)
    cache = Cache(site / ".cache")
    file = cache._manifest_file(output, ".edits")
    assert file is not None and file.is_file()
    file.write_bytes(b"\x00garbage")
    cache.close()
    append(site, MEMBER_FILE, "\nNeu.\n")
    assert_full_build(site, output, paths, tmp_path)



def _age(site: Path) -> None:
    """Every content file written an hour ago: its status vouches for its text."""
    hour_ago = time.time() - 3600
    for file in (site / "content").rglob("*.md"):
        os.utime(file, (hour_ago, hour_ago))


def test_only_changed_files_and_those_shown_with_them_are_read(site, tmp_path, paths,
                                                               monkeypatch):
    output = tmp_path / "out"
    built_twice(site, output)
    _age(site)
    cache = Cache(site / ".cache")
    index = cache._manifest_file(output, ".edits")
    assert index is not None
    inode = index.stat().st_ino
    assert build(site, output) == 0  # nothing changed; how the files look is noted
    assert index.stat().st_ino == inode  # beside the index, not in it
    kept = cache.edit_index(output)
    assert kept is not None and MEMBER_FILE in kept[1][0]
    read: list[str] = []
    parse = edits.parse_markdown_file

    def parsed(file, rel, *args, **kwargs):
        read.append(rel)
        return parse(file, rel, *args, **kwargs)

    monkeypatch.setattr(edits, "parse_markdown_file", parsed)
    append(site, MEMBER_FILE, "\nNeu.\n")
    paths.clear()
    assert build(site, output) == 0
    assert paths == ["edits"]
    # The member, the event it spoke at, and the page of the menu.
    assert sorted(read) == [KURZARBEIT, MEMBER_FILE, "content/pages/impressum.md"]
    assert tree(output) == clean_build(site, tmp_path / "clean")
    cache.save_edit_index(output, kept[0])  # what was noted is for the index it was noted by
    assert cache.edit_index(output) == (kept[0], None)


def test_folders_as_they_were_listed_are_not_listed_again(site, tmp_path, paths,
                                                          monkeypatch):
    _age(site)
    hour_ago = time.time() - 3600
    for folder in [site / "content", *(p for p in (site / "content").rglob("*") if p.is_dir())]:
        os.utime(folder, (hour_ago, hour_ago))
    output = tmp_path / "out"
    built_twice(site, output)
    listed: list[Path] = []
    listing = edits.listed_content
    monkeypatch.setattr(edits, "listed_content",
                        lambda root, *args: listed.append(root) or listing(root, *args))
    append(site, MEMBER_FILE, "\nNeu.\n")
    paths.clear()
    assert build(site, output) == 0
    assert paths == ["edits"] and listed == []
    assert tree(output) == clean_build(site, tmp_path / "clean")
    write(site, "content/members/zweite-firma.md", MEMBER.replace(
        "Muster Logistik GmbH & Co. KG", "Zweite Firma KG").replace("muster-logistik",
                                                                    "zweite-firma"))
    paths.clear()
    assert build(site, output) == 0
    assert paths == ["full"] and listed == [site]  # the folder changed: listed, a new file
    assert tree(output) == clean_build(site, tmp_path / "clean2")


def told_rebuild(site: Path, output: Path, told: set[str]) -> edits.Edited | None:
    """A build told which files changed (as the preview's watcher tells it)."""
    cache = Cache(site / ".cache")
    try:
        return edits.rebuild(site, output, cache, lambda zone: dt.date.fromisoformat(TODAY),
                             search=False, told=told)
    finally:
        cache.close()


def test_told_which_files_changed_it_reads_only_those(site, tmp_path, monkeypatch):
    output = tmp_path / "out"
    built_twice(site, output)
    append(site, MEMBER_FILE, "\nNeu.\n")
    monkeypatch.setattr(edits, "listed_content", lambda *args: pytest.fail("walked"))
    # An editor's temporary file, gone by now, is no change.
    assert told_rebuild(site, output, {str(site / MEMBER_FILE),
                                       str(site / "content/members/4913")}) is not None
    assert tree(output) == clean_build(site, tmp_path / "clean")
    assert told_rebuild(site, output, set()) is not None  # nothing changed


@pytest.mark.parametrize("other", ["content/members/zweite.md", "site.yaml",
                                   "templates/member.html", "content/logo.svg"])
def test_told_of_another_file_it_leaves_the_build_to_the_full_path(site, tmp_path, other):
    output = tmp_path / "out"
    built_twice(site, output)
    append(site, MEMBER_FILE, "\nNeu.\n")
    if not (site / other).exists():
        write(site, other, "x\n")
    assert told_rebuild(site, output, {str(site / MEMBER_FILE), str(site / other)}) is None


@pytest.mark.parametrize("garbage", [b"\x00garbage", b"j2" + b"\x00" * 40])
def test_damaged_compiled_templates_are_compiled_again(site, tmp_path, garbage):
    from jinja2.bccache import bc_magic

    output = tmp_path / "out"
    built_twice(site, output)
    compiled = list((site / ".cache/templates").iterdir())
    assert compiled
    for file in compiled:
        file.write_bytes(bc_magic + garbage if garbage.startswith(b"j2") else garbage)
    append(site, MEMBER_FILE, "\nNeu.\n")
    assert build(site, output) == 0
    assert tree(output) == clean_build(site, tmp_path / "clean")


@pytest.mark.skipif(pagefind_executable() is None, reason="Pagefind is not installed here")
def test_an_edited_text_is_found_by_the_search_index_made_afresh(site, tmp_path, paths):
    output = tmp_path / "out"
    built_twice(site, output, search=True)
    append(site, MEMBER_FILE, "\nZebrastreifenwartung gehört jetzt dazu.\n")
    paths.clear()
    assert build(site, output, search=True) == 0
    assert paths == ["edits"]
    assert build(site, tmp_path / "clean", "--no-cache", search=True) == 0
    made, clean = tree(output), tree(tmp_path / "clean")
    pages = {path: data for path, data in made.items() if not path.startswith("pagefind/")}
    assert pages == {path: data for path, data in clean.items()
                     if not path.startswith("pagefind/")}

    def kinds(files: dict[str, bytes]) -> Counter[str]:
        """Pagefind names files by a hash that follows the order it found the pages in."""
        return Counter(path.rsplit("/", 1)[0] for path in files if path.startswith("pagefind/"))

    assert kinds(made) == kinds(clean)  # no index files of earlier builds left
    fragments = [gzip.decompress(data) for path, data in made.items()
                 if path.startswith("pagefind/fragment/")]
    assert any(b"Zebrastreifenwartung" in fragment for fragment in fragments)
