"""Builds that keep what has not changed give exactly what a clean build gives."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from verbund import bodies as bodies_module
from verbund import cache as cache_module
from verbund import load as load_module
from verbund import pipeline as pipeline_module
from verbund import validate as validate_module
from verbund.cache import Cache, Manifest, Stamp, Stamps
from verbund.load import load_sources
from verbund.validate import validate

from .conftest import EVENT, MEMBER, require, tree, write
from .test_dependencies import build as build_with_status
from .test_history import ADDED, commit, edit, git
from .test_images import make_image

TODAY = "2026-01-01"


def build(site: Path, output: Path, *extra: str) -> None:
    assert build_with_status(site, output, *extra) == 0


def clean_build(site: Path, folder: Path) -> dict[str, bytes]:
    build(site, folder, "--no-cache")
    return tree(folder)


def rename(site: Path, old: str, new: str) -> None:
    (site / old).rename(site / new)


EDITS = {
    "a member's text": lambda s: write(
        s,
        "content/members/muster-logistik.md",
        MEMBER + "\nEin neuer Absatz mit [Link](#profil).\n",
    ),
    "a member's name": lambda s: write(
        s,
        "content/members/muster-logistik.md",
        MEMBER.replace("Muster Logistik GmbH", "Muster Logistik AG"),
    ),
    "a member's industry": lambda s: write(
        s,
        "content/members/muster-logistik.md",
        MEMBER.replace("[logistik, lagerhaltung]", "[lagerhaltung]"),
    ),
    "a new member": lambda s: write(
        s,
        "content/members/zweite-firma.md",
        MEMBER.replace("Muster Logistik GmbH", "Zweite Firma KG").replace(
            "muster-logistik.example", "zweite.example"
        ),
    ),
    "a member removed": lambda s: (
        (s / "content/members/muster-logistik.md").unlink(),
        write(
            s,
            "content/events/2020-04-02-kurzarbeit.md",
            EVENT.replace("    member: muster-logistik\n", ""),
        ),
    ),
    "an event's date": lambda s: write(
        s, "content/events/2020-04-02-kurzarbeit.md", EVENT.replace("2020-04-02", "2020-04-03")
    ),
    "an event's title": lambda s: write(
        s, "content/events/2020-04-02-kurzarbeit.md", EVENT.replace("Ihre Fragen", "Ihre Antworten")
    ),
    "an upcoming event's text": lambda s: write(
        s,
        "content/events/2030-06-12-sommerfest.md",
        (s / "content/events/2030-06-12-sommerfest.md").read_text() + "\nNeu.\n",
    ),
    "a speaker's firm": lambda s: write(
        s,
        "content/events/2020-04-02-kurzarbeit.md",
        EVENT.replace("    member: muster-logistik\n", ""),
    ),
    "an event renamed": lambda s: rename(
        s, "content/events/2020-04-02-kurzarbeit.md", "content/events/2020-04-02-kurzarbeit-neu.md"
    ),
    "the site title": lambda s: write(
        s,
        "site.yaml",
        (s / "site.yaml").read_text().replace("title: Testnetz", "title: Neues Testnetz", 1),
    ),
    "a template": lambda s: write(
        s,
        "templates/member.html",
        (Path(__file__).parent.parent / "templates/member.html").read_text() + "<!-- x -->\n",
    ),
    # A site's own template may show what the project's do not (here: every
    # event's text on each member's page); its pages follow every change.
    "a template of the site's own": lambda s: write(
        s,
        "templates/member.html",
        (Path(__file__).parent.parent / "templates/member.html")
        .read_text()
        .replace(
            "{% endblock %}",
            "{% for e in site.events %}{{ body(e)|safe }}{% endfor %}{% endblock %}",
            1,
        ),
    ),
    # Every page imports the macros: a site's own version reaches all of them.
    "macros of the site's own": lambda s: write(
        s,
        "templates/macros.html",
        (Path(__file__).parent.parent / "templates/macros.html")
        .read_text()
        .replace("</ul>", "</ul><p>{{ site.events|length }}</p>", 1),
    ),
    "a static file of the site's own": lambda s: write(
        s, "static/style.css", "body { color: teal; }\n"
    ),
    "an industry's name": lambda s: write(
        s,
        "content/industries.yaml",
        (s / "content/industries.yaml").read_text().replace("name: Logistik", "name: Spedition"),
    ),
    "a page": lambda s: write(
        s,
        "content/pages/impressum.md",
        (s / "content/pages/impressum.md").read_text() + "\nNoch ein Satz.\n",
    ),
}


# The stateful test in test_dependencies.py applies random sequences of such edits;
# these take the ones it does not, and a few it does, each through two kept outputs.
KEPT_BUILD_EDITS = [
    "a member's name",
    "a member removed",
    "a speaker's firm",
    "an event renamed",
    "macros of the site's own",
    "an industry's name",
    "a page",
]
OWN_TEMPLATE_EDITS = ["a new member", "an event's date", "a speaker's firm", "the site title"]


@pytest.mark.parametrize("edit", KEPT_BUILD_EDITS)
def test_a_kept_build_equals_a_clean_one(site, tmp_path, edit):
    output = tmp_path / "out"
    build(site, output)
    build(site, output)  # the previous output is now kept beside it
    EDITS[edit](site)
    build(site, output)
    assert tree(output) == clean_build(site, tmp_path / "clean")
    write(
        site,
        "content/events/2030-06-12-sommerfest.md",
        (site / "content/events/2030-06-12-sommerfest.md").read_text() + "\nMehr dazu.\n",
    )
    build(site, output)  # updates the kept previous output in place
    assert tree(output) == clean_build(site, tmp_path / "clean2")


@pytest.mark.parametrize("edit", OWN_TEMPLATE_EDITS)
def test_templates_of_the_sites_own_that_count_or_list_follow_every_edit(site, tmp_path, edit):
    macros = (Path(__file__).parent.parent / "templates/macros.html").read_text()
    write(
        site,
        "templates/macros.html",
        macros.replace(
            "({{ term.members|length }})", "({{ term.members|length }}/{{ term.events|length }})"
        ),
    )
    write(
        site,
        "templates/member.html",
        (Path(__file__).parent.parent / "templates/member.html")
        .read_text()
        .replace("{% endblock %}", "<p>{{ site.members|length }} Firmen</p>{% endblock %}", 1),
    )
    for name in ("term.html", "series.html", "events.html", "home.html"):  # lists of their own
        write(
            site,
            f"templates/{name}",
            (Path(__file__).parent.parent / "templates" / name).read_text()
            + "{# eigene Fassung #}\n",
        )
    output = tmp_path / "out"
    build(site, output)
    build(site, output)
    EDITS[edit](site)
    build(site, output)
    assert tree(output) == clean_build(site, tmp_path / "clean")


def test_a_new_day_updates_what_depends_on_the_date(site, tmp_path):
    output = tmp_path / "out"
    build(site, output)
    assert build_with_status(site, output, today="2031-01-01") == 0
    clean = tmp_path / "clean"
    assert build_with_status(site, clean, "--no-cache", today="2031-01-01") == 0
    assert tree(output) == tree(tmp_path / "clean")


def test_nothing_changed_makes_nothing(site, tmp_path, capsys):
    output = tmp_path / "out"
    build(site, output)
    build(site, output)
    capsys.readouterr()
    build(site, output)
    assert "(0 new or changed)" in capsys.readouterr().out
    event = output / "veranstaltungen/2030-06-12-sommerfest/index.html"
    inode = event.stat().st_ino
    EDITS["a member's text"](site)
    build(site, output)
    assert "(0 new or changed)" not in capsys.readouterr().out
    assert event.stat().st_ino == inode  # kept: the member is not on that page


def test_a_site_with_nothing_changed_keeps_its_output_as_a_whole(
    site, tmp_path, capsys, monkeypatch
):
    output = tmp_path / "out"
    build(site, output)
    swapped = []
    original = pipeline_module.write_output
    monkeypatch.setattr(
        pipeline_module,
        "write_output",
        lambda *args, **kwargs: (swapped.append(1), original(*args, **kwargs))[1],
    )
    before = {file: file.stat().st_ino for file in output.rglob("*")}
    capsys.readouterr()
    build(site, output)
    assert not swapped and "Built 41 files" in capsys.readouterr().out
    assert {file: file.stat().st_ino for file in output.rglob("*")} == before
    # A copied file gone from the output, or a date that changes what is upcoming:
    # made as a clean build makes it.
    (output / "static/site.js").unlink()
    build(site, output)
    assert swapped == [1]
    assert build_with_status(site, output, today="2031-01-01") == 0
    assert swapped == [1, 1]
    build(site, output)
    assert tree(output) == clean_build(site, tmp_path / "clean")


def test_a_kept_site_reports_its_warnings_again_and_fails_them_when_strict(site, tmp_path, capsys):
    write(site, "content/members/muster-logistik.md", MEMBER + "\n[Seite](beispiel.de)\n")
    output = tmp_path / "out"
    build(site, output)
    first = capsys.readouterr()
    build(site, output)
    again = capsys.readouterr()
    assert "(0 new or changed)" in again.out and "1 warning" in again.err
    assert (again.out.splitlines()[0], again.err) == (first.out.splitlines()[0], first.err)
    before = tree(output)
    assert build_with_status(site, output, "--strict") == 1
    assert "beispiel.de" in capsys.readouterr().out and tree(output) == before


def test_a_template_of_the_site_remakes_only_the_pages_that_use_it(site, tmp_path, capsys):
    output = tmp_path / "out"
    build(site, output)
    build(site, output)
    member = output / "mitglieder/muster-logistik/index.html"
    event = output / "veranstaltungen/2030-06-12-sommerfest/index.html"
    calendar = output / "veranstaltungen/2030-06-12-sommerfest/2030-06-12-sommerfest.ics"
    kept = {file: file.stat().st_ino for file in (member, calendar)}
    project_event = (Path(__file__).parent.parent / "templates/event.html").read_text()
    write(
        site,
        "templates/event.html",
        project_event.replace("{% endblock %}", "<p>Eigene Vorlage</p>{% endblock %}", 1),
    )
    capsys.readouterr()
    build(site, output)
    assert "Eigene Vorlage" in event.read_text()
    assert {file: file.stat().st_ino for file in kept} == kept  # neither uses event.html
    made = int(capsys.readouterr().out.rsplit("(", 1)[1].split()[0])
    assert 0 < made <= 2  # the two event pages
    write(site, "templates/event.html", project_event)  # as the project's again
    build(site, output)
    assert "Eigene Vorlage" not in event.read_text()
    assert {file: file.stat().st_ino for file in kept} == kept
    assert tree(output) == clean_build(site, tmp_path / "clean")


def test_the_live_output_is_never_written_through_a_link(site, tmp_path):
    output = tmp_path / "out"
    build(site, output)
    build(site, output)
    before = tree(output)
    page = output / "mitglieder/muster-logistik/index.html"
    linked = page.stat().st_nlink
    assert linked >= 2  # shared with the kept previous output
    EDITS["a member's text"](site)
    live = page.open("rb")
    build(site, output)
    assert live.read() == before["mitglieder/muster-logistik/index.html"]


def test_a_page_edited_by_hand_in_the_output_is_made_again(site, tmp_path):
    output = tmp_path / "out"
    build(site, output)
    expected = tree(output)
    (output / "index.html").write_text("vandalised")
    build(site, output)
    assert tree(output) == expected


def test_a_broken_link_in_a_kept_page_is_still_reported(site, tmp_path, capsys):
    write(site, "content/members/muster-logistik.md", MEMBER + "\n[Seite](beispiel.de)\n")
    output = tmp_path / "out"
    build(site, output)
    first = capsys.readouterr()
    assert "beispiel.de" in first.out and "1 warning" in first.err
    build(site, output)
    again = capsys.readouterr()
    assert (again.out.splitlines()[0], again.err) == (first.out.splitlines()[0], first.err)


def test_a_deleted_page_breaks_links_in_kept_pages(site, tmp_path, capsys):
    EDITS["a new member"](site)
    write(
        site,
        "content/pages/impressum.md",
        (site / "content/pages/impressum.md").read_text()
        + "\n[Zweite](../mitglieder/zweite-firma/)\n",
    )
    output = tmp_path / "out"
    build(site, output)
    assert "zweite-firma" not in capsys.readouterr().out
    (site / "content/members/zweite-firma.md").unlink()
    build(site, output)
    assert "content/pages/impressum.md" in capsys.readouterr().out


def test_cached_documents_give_the_same_problems_at_the_same_places(site):
    write(
        site,
        "content/events/2020-04-02-kurzarbeit.md",
        EVENT.replace("hosts: [", "hosts: [gibtsnicht, "),
    )
    cache = Cache(site / ".cache")
    first = load_sources(site, cache)
    again = load_sources(site, cache)
    assert again[0].events[0].front is not None and not again[0].events[0].spans
    assert validate(first[0])[1] == validate(again[0])[1] != []


def _age(site: Path, seconds: int = 3600) -> None:
    """Date every content file back, as if written well before the build."""
    for file in (site / "content").rglob("*.md"):
        status = file.stat()
        os.utime(file, ns=(status.st_atime_ns, status.st_mtime_ns - seconds * 10**9))


def _files_read(monkeypatch) -> list[str]:
    """The files read from now on."""
    read: list[str] = []
    original = load_module.read_bytes
    monkeypatch.setattr(
        load_module, "read_bytes", lambda file, rel: (read.append(rel), original(file, rel))[1]
    )
    return read


def test_files_unchanged_since_the_last_build_are_not_read(site, monkeypatch):
    _age(site)
    cache = Cache(site / ".cache")
    load_sources(site, cache)
    read = _files_read(monkeypatch)
    sources, problems = load_sources(site, cache)
    assert [rel for rel in read if rel.endswith(".md")] == [] and not problems
    assert [d.path for d in sources.members] == ["content/members/muster-logistik.md"]
    # Changed with its old size and time put back: the change time gives it away.
    file = site / "content/members/muster-logistik.md"
    status = file.stat()
    file.write_text(file.read_text().replace("Muster Logistik", "Muster Logistix"))
    os.utime(file, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert file.stat().st_size == status.st_size
    sources, _ = load_sources(site, cache)
    assert [rel for rel in read if rel.endswith(".md")] == ["content/members/muster-logistik.md"]
    assert "Logistix" in sources.members[0].data["name"]


def test_a_file_written_just_before_it_was_recorded_is_read_again(site, monkeypatch):
    cache = Cache(site / ".cache")
    load_sources(site, cache)  # the files are seconds old: their times prove nothing
    read = _files_read(monkeypatch)
    load_sources(site, cache)
    assert "content/members/muster-logistik.md" in read


def test_validated_files_are_taken_from_the_cache_as_they_were(site, monkeypatch):
    cache = Cache(site / ".cache")
    first, _ = validate(load_sources(site, cache)[0], cache)
    checked = _models_checked(monkeypatch)
    again, problems = validate(load_sources(site, cache)[0], cache)
    assert not checked
    assert first is not None and again is not None and not problems
    for before, after in zip(
        first.members + first.events + first.pages,
        again.members + again.events + again.pages,
        strict=True,
    ):
        assert after == before
        assert repr(after.data) == repr(before.data)
        assert after.data.model_fields_set == before.data.model_fields_set
        assert after.data.model_dump_json() == before.data.model_dump_json()


@pytest.mark.parametrize(
    "broken",
    [
        b"\x00broken",
        marshal.dumps(("model", "Member", [], {}, 1)),
        marshal.dumps(("model", "Page", [], {}, {})),
        marshal.dumps(("date", "gestern")),
    ],
)
def test_a_broken_cache_entry_is_validated_again(site, broken, monkeypatch):
    cache = Cache(site / ".cache")
    first, _ = validate(load_sources(site, cache)[0], cache)
    assert cache.db is not None
    with cache.db:
        cache.db.execute("UPDATE valid SET value = ?", (broken,))
    state = cache.state("valid")
    cache.save_state(
        "valid", {path: (entry[0], broken) for path, entry in state.items()}, set(state)
    )
    checked = _models_checked(monkeypatch)
    again, _ = validate(load_sources(site, cache)[0], cache)
    assert first == again
    assert len(checked) == len(state) == 4  # member, two events, page


def _models_checked(monkeypatch) -> list[str]:
    """The content files checked against their model from now on."""
    checked: list[str] = []
    original = validate_module.check_model

    def check_model(document, *args):
        if document.path.endswith(".md"):
            checked.append(document.path)
        return original(document, *args)

    monkeypatch.setattr(validate_module, "check_model", check_model)
    return checked


@pytest.mark.parametrize(
    "garbage",
    [b"", b"\x00\x01garbage", marshal.dumps([1, 2]), marshal.dumps(("another engine", {}))],
)
def test_an_unreadable_state_means_reading_and_checking_again(site, monkeypatch, garbage):
    _age(site)
    cache = Cache(site / ".cache")
    first = validate(load_sources(site, cache)[0], cache)
    files = list((site / ".cache/state").iterdir())
    assert {file.name.partition(".")[0] for file in files} == {"load", "valid"}
    for file in files:
        file.write_bytes(garbage)
    with cache.db:  # nothing else to fall back on
        cache.db.execute("DELETE FROM load")
        cache.db.execute("DELETE FROM valid")
    checked = _models_checked(monkeypatch)
    read = _files_read(monkeypatch)
    assert validate(load_sources(site, cache)[0], cache) == first
    assert len([rel for rel in read if rel.endswith(".md")]) == len(checked) == 4
    # ... and the states are whole again: nothing is read or checked next time.
    assert validate(load_sources(site, cache)[0], cache) == first
    assert len([rel for rel in read if rel.endswith(".md")]) == len(checked) == 4


def test_a_file_parsed_before_under_its_name_is_vouched_for_again(site, monkeypatch):
    _age(site)
    cache = Cache(site / ".cache")
    load_sources(site, cache)
    for file in (site / ".cache/state").glob("load.*"):
        file.unlink()
    read = _files_read(monkeypatch)
    parsed = []
    original = load_module.parse_markdown_file
    monkeypatch.setattr(
        load_module,
        "parse_markdown_file",
        lambda *args, **kwargs: (parsed.append(args[1]), original(*args, **kwargs))[1],
    )
    load_sources(site, cache)
    assert len([rel for rel in read if rel.endswith(".md")]) == 4 and not parsed
    load_sources(site, cache)
    assert len([rel for rel in read if rel.endswith(".md")]) == 4 and not parsed


def test_a_state_keeps_only_the_files_that_are_there(site):
    cache = Cache(site / ".cache")
    load_sources(site, cache)
    validate(load_sources(site, cache)[0], cache)
    (site / "content/pages/impressum.md").unlink()
    validate(load_sources(site, cache)[0], cache)
    for name in ("load", "valid"):
        assert "content/pages/impressum.md" not in cache.state(name)
        assert "content/members/muster-logistik.md" in cache.state(name)


def test_a_state_is_written_only_where_it_changed(tmp_path):
    cache = Cache(tmp_path / ".cache")
    entries = {f"content/members/firma-{n}.md": n for n in range(100)}
    cache.save_state("load", entries, set(entries))
    assert cache.state("load") == entries
    files = {file: file.stat().st_ino for file in (tmp_path / ".cache/state").iterdir()}
    assert 1 < len(files) <= 16
    entries["content/members/firma-7.md"] = "neu"
    del entries["content/members/firma-8.md"]
    cache.save_state("load", entries, {"content/members/firma-7.md", "content/members/firma-8.md"})
    assert cache.state("load") == entries
    rewritten = [file for file, inode in files.items() if file.stat().st_ino != inode]
    assert 1 <= len(rewritten) <= 2
    Cache(None).save_state("load", entries, set(entries))  # keeps nothing, fails not
    assert Cache(None).state("load") == {}


def test_a_manifest_is_read_and_written_in_parts(tmp_path, monkeypatch):
    cache = Cache(tmp_path / ".cache")
    target = tmp_path / "out"
    stamps = {
        f"mitglieder/firma-{n}/index.html": Stamp(f"key{n}", n, 100 + n, 10 * n)
        for n in range(5000)
    }
    copies = {"assets/site.css": Stamp("", 1, 2, 3)}
    cache.save_manifest(target, Manifest(stamps, {"a"}, copies, [], 5001, {"b"}))
    parts = tmp_path / ".cache/stamps"
    before = {file.name for file in parts.iterdir()}
    assert len(before) == 8  # about 1,024 files each

    fresh = Cache(tmp_path / ".cache")
    whole = fresh.manifest(target)
    assert (whole.stamps, whole.others, whole.warned, whole.count, whole.unlike_previous) == (
        stamps,
        copies,
        {"a"},
        5001,
        {"b"},
    )
    lazy = Cache(tmp_path / ".cache").manifest(target, whole=False)
    assert isinstance(lazy.stamps, Stamps)
    assert lazy.stamps["mitglieder/firma-7/index.html"].key == "key7"
    assert "mitglieder/firma-5000/index.html" not in lazy.stamps
    assert 1 <= len(lazy.stamps.parts.loaded) <= 2  # only the parts looked in were read

    changed = Stamp("neu", 1, 2, 3)
    monkeypatch.setattr(cache_module, "PARTS_KEPT_S", 0)
    fresh.save_manifest(
        target,
        Manifest(
            lazy.stamps.updated({"mitglieder/firma-7/index.html": changed}), {"c"}, lazy.others
        ),
    )
    after = {file.name for file in parts.iterdir()}
    assert len(after - before) == 1 and len(before - after) == 1  # one part replaced
    again = Cache(tmp_path / ".cache").manifest(target)
    assert again.stamps == stamps | {"mitglieder/firma-7/index.html": changed}
    assert (again.others, again.warned) == (copies, {"c"})


def test_an_unreadable_part_of_a_manifest_means_making_everything(site, tmp_path, capsys):
    output = tmp_path / "out"
    build(site, output)
    build(site, output)
    for file in (site / ".cache/stamps").iterdir():
        file.write_bytes(b"\x00garbage")
    EDITS["a member's text"](site)
    capsys.readouterr()
    build(site, output)
    assert "(0 new or changed)" not in capsys.readouterr().out
    assert tree(output) == clean_build(site, tmp_path / "clean")


@pytest.mark.parametrize("garbage", [b"\x00\x01garbage", marshal.dumps(("x", [], []))])
def test_an_unreadable_manifest_means_making_everything(site, tmp_path, capsys, garbage):
    output = tmp_path / "out"
    build(site, output)
    build(site, output)
    manifests = list((site / ".cache" / "outputs").iterdir())
    assert manifests
    for file in manifests:
        file.write_bytes(garbage)
    EDITS["a member's text"](site)
    capsys.readouterr()
    build(site, output)
    assert "(0 new or changed)" not in capsys.readouterr().out
    assert tree(output) == clean_build(site, tmp_path / "clean")


def rows(cache_folder: Path, table: str) -> set[str]:
    db = sqlite3.connect(cache_folder / "cache.sqlite")
    try:
        return {row[0] for row in db.execute(f"SELECT key FROM {table}")}
    finally:
        db.close()


def test_a_table_forgets_unused_rows_once_it_holds_twice_those_in_use(tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "SPARE_ROWS", 0)
    cache = Cache(tmp_path / ".cache")
    cache.put("body", {f"k{n}": "x" * 20_000 for n in range(10)})
    asked: list[int] = []

    def in_use() -> list[str]:
        asked.append(1)
        return [f"k{n}" for n in range(5)]

    assert cache.prune("body", 5, in_use) == 0
    assert asked == []  # not twice as many yet: the keys are not even asked for
    cache.put("body", {"k10": "x" * 20_000})
    cache.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = (tmp_path / ".cache/cache.sqlite").stat().st_size
    assert cache.prune("body", 5, in_use) == 6
    assert rows(tmp_path / ".cache", "body") == {f"k{n}" for n in range(5)}
    cache.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (tmp_path / ".cache/cache.sqlite").stat().st_size < size  # space given back
    assert cache.db.execute("PRAGMA freelist_count").fetchone() == (0,)
    assert Cache(None).prune("body", 0, in_use) == 0


def test_a_cache_stays_bounded_and_builds_stay_right_after_it_forgets(site, tmp_path, monkeypatch):
    monkeypatch.setattr(cache_module, "SPARE_ROWS", 0)
    output = tmp_path / "out"
    build(site, output)
    in_use = {table: len(rows(site / ".cache", table)) for table in cache_module.TABLES}
    member, event = "content/members/muster-logistik.md", "content/events/2020-04-02-kurzarbeit.md"
    for n in range(6):  # changed fields: full builds, each adding rows
        write(
            site,
            member,
            MEMBER.replace("Muster Logistik GmbH", f"Muster Logistik {n}") + f"\nFassung {n}.\n",
        )
        write(site, event, EVENT.replace("Ihre Fragen", f"Ihre Fragen {n}") + f"\n{n}\n")
        build(site, output)
        for table in cache_module.TABLES:
            assert len(rows(site / ".cache", table)) <= 2 * in_use[table], table
    EDITS["an upcoming event's text"](site)  # texts only: from what is left in the cache
    build(site, output)
    assert tree(output) == clean_build(site, tmp_path / "clean")


def test_a_fresh_clone_with_the_cache_makes_only_what_changed(site, tmp_path, capsys):
    """A publish in CI: a fresh clone (every file time new) at the same place,
    the cache restored, no output folder."""
    require(shutil.which("git") is not None, "this test needs git")
    git(site, "init", "-q", "-b", "main")
    write(site, ".gitignore", "output/\n.output.previous/\n.cache/\n")
    make_image(site / "content/members/muster-logistik.png", (60, 30))
    logo = "content/members/muster-logistik.md"
    write(site, logo, MEMBER.replace("region:", "logo: muster-logistik.png\nregion:"))
    commit(site, ADDED)
    output = site / "output"
    build(site, output)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(site), str(clone))
    shutil.copytree(site / ".cache", clone / ".cache")
    shutil.rmtree(site)
    shutil.rmtree(pipeline_module.previous_output(output), ignore_errors=True)
    clone.rename(site)
    edit(site, "content/events/2030-06-12-sommerfest.md", "Feiern.", "Feiern und grillen.")
    commit(site, ADDED + dt.timedelta(days=1))
    capsys.readouterr()
    build(site, output)
    made = re.search(r"\((\d+) new or changed\)", capsys.readouterr().out)
    assert made is not None
    assert 0 < int(made.group(1)) <= 8  # the event's page, calendar and feed entries, lists
    assert tree(output) == clean_build(site, tmp_path / "clean")


def test_a_damaged_file_in_the_cache_is_made_again(site, tmp_path):
    output = site / "output"
    build(site, output)
    with sqlite3.connect(site / ".cache" / "cache.sqlite") as db:
        assert db.execute("UPDATE page SET value = x'00ff'").rowcount > 0
    shutil.rmtree(output)
    shutil.rmtree(pipeline_module.previous_output(output), ignore_errors=True)
    build(site, output)
    assert tree(output) == clean_build(site, tmp_path / "clean")


def test_files_another_engine_kept_are_not_taken(site, tmp_path, monkeypatch):
    """Two versions of verbund share a cache (the preview's and the build's output
    folders): a file one of them made is never taken by the other."""
    one = tmp_path / "one"
    build(site, one)
    with monkeypatch.context() as other:
        other.setattr(cache_module, "engine", lambda: "another version")
        render = bodies_module.markdown_to_html
        other.setattr(bodies_module, "markdown_to_html", lambda *a: render(*a) + "<p>B</p>")
        build(site, tmp_path / "two")
    assert "<p>B</p>" in (tmp_path / "two/mitglieder/muster-logistik/index.html").read_text()
    shutil.rmtree(one)
    shutil.rmtree(pipeline_module.previous_output(one), ignore_errors=True)
    build(site, one)
    assert tree(one) == clean_build(site, tmp_path / "clean")


def test_the_kept_previous_output_is_walked_only_when_its_folders_changed(
    site, tmp_path, monkeypatch
):
    """The folder a rebuild updates in place is known from its manifest while its
    folders' times are as they were; a file or folder put there since is found."""
    from verbund import write as write_module

    output = tmp_path / "out"
    build(site, output)
    EDITS["a member's text"](site)
    build(site, output)  # the first output is now the kept previous one
    walked: list[Path] = []
    real_tree = write_module._tree
    monkeypatch.setattr(write_module, "_tree", lambda f: walked.append(f) or real_tree(f))
    EDITS["an upcoming event's text"](site)
    build(site, output)
    assert walked == []
    assert tree(output) == clean_build(site, tmp_path / "clean")
    kept = pipeline_module.previous_output(output)
    (kept / "mitglieder" / "fremd.html").write_text("nicht von uns", encoding="utf-8")
    (kept / "leer" / "tiefer").mkdir(parents=True)
    (kept / "leer" / "tiefer" / "datei.txt").write_text("x", encoding="utf-8")
    EDITS["a member's name"](site)
    build(site, output)
    assert len(walked) == 1
    assert tree(output) == clean_build(site, tmp_path / "clean2")
