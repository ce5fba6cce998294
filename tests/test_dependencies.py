"""What each file reads is recorded, and a build with the cache equals a clean build.

The stateful property test applies random sequences of edits to a small site
(content, vocabularies, settings, static files, templates of the project and of
the site, the date) and after every step compares a build that keeps what it can
with a build from nothing, byte for byte.
"""

from __future__ import annotations

import ast
import datetime as dt
import marshal
import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from verbund import load, pipeline
from verbund.cache import Cache
from verbund.cli import main
from verbund.dependencies import Dependencies, recording
from verbund.load import load_sources
from verbund.serve import Preview
from verbund.site import build_site
from verbund.validate import validate

from .conftest import EVENT, MEMBER, PROJECT, make_site, tree, write

TODAY = "2026-01-01"


def build(site: Path, output: Path, *extra: str, today: str = TODAY) -> int:
    """``build`` of ``site`` into ``output`` without search; its exit status."""
    return main(
        [
            "build",
            "--site",
            str(site),
            "--output",
            str(output),
            "--today",
            today,
            "--no-search",
            *extra,
        ]
    )


def same_as_clean(
    site: Path, output: Path, today: str = TODAY, preview: Preview | None = None
) -> None:
    """Build ``site`` into ``output`` with the cache, and into a fresh folder without
    it; both must succeed or fail alike and write the same bytes. So must the
    next rebuild of a ``preview`` (as ``serve`` makes it, in one process)."""
    kept = build(site, output, today=today)
    with tempfile.TemporaryDirectory() as clean:
        fresh = build(site, Path(clean) / "out", "--no-cache", today=today)
        assert kept == fresh
        if kept == 0:
            assert tree(output) == tree(Path(clean) / "out")
        if preview is not None:
            preview.today = dt.date.fromisoformat(today)
            assert preview.rebuild() == (fresh == 0), preview.problems
            if fresh == 0:
                assert tree(preview.output_dir) == tree(Path(clean) / "out")


def own_template(site: Path, name: str, old: str, new: str) -> None:
    text = (PROJECT / "templates" / name).read_text(encoding="utf-8")
    assert old in text
    write(site, f"templates/{name}", text.replace(old, new, 1))


def second_member(
    site: Path,
    slug: str = "zweite-firma",
    region: str = "kreis-steinfurt",
    name: str = "Zweite Firma KG",
) -> None:
    write(
        site,
        f"content/members/{slug}.md",
        MEMBER.replace("Muster Logistik GmbH & Co. KG", name)
        .replace("muster-logistik.example", f"{slug}.example")
        .replace("region: kreis-steinfurt", f"region: {region}"),
    )


def test_a_count_of_the_region_on_member_pages_follows_a_new_member(site, tmp_path):
    own_template(
        site,
        "member.html",
        "{% endblock %}",
        "<p id=count>{{ member.region.members|length }}</p>{% endblock %}",
    )
    output = tmp_path / "out"
    assert build(site, output) == 0
    second_member(site)
    same_as_clean(site, output)
    assert "<p id=count>2</p>" in (output / "mitglieder/muster-logistik/index.html").read_text(
        "utf-8"
    )


def test_the_year_of_the_date_on_every_page_follows_the_date(site, tmp_path):
    own_template(site, "base.html", "</footer>", "<p>© {{ site.today.year }}</p></footer>")
    output = tmp_path / "out"
    assert build(site, output, today="2026-12-31") == 0
    same_as_clean(site, output, today="2027-01-01")
    assert "© 2027" in (output / "mitglieder/muster-logistik/index.html").read_text("utf-8")


def test_what_the_top_of_an_imported_template_reads_counts_for_every_page(site, tmp_path):
    """Jinja makes an imported template's module once; here, once per page."""
    own_template(
        site,
        "macros.html",
        "{% macro member_list(members, root) %}",
        "{% set total = site.members|length %}"
        "{% macro member_list(members, root) %}<p>{{ total }}</p>",
    )
    output = tmp_path / "out"
    assert build(site, output) == 0
    second_member(site, "firma-9", "kreis-borken", "Zorn KG")
    same_as_clean(site, output)


def test_markup_nested_inside_a_member_card_follows_a_renamed_member(site, tmp_path):
    macros = (PROJECT / "templates/macros.html").read_text(encoding="utf-8")
    assert '<li class="card">' in macros
    write(
        site,
        "templates/macros.html",
        macros.replace(
            '<li class="card">',
            '<li class="card"><ul class="x"><li>{{ member.data.name }}</li></ul>',
        ),
    )
    output = tmp_path / "out"
    assert build(site, output) == 0
    second_member(site)
    same_as_clean(site, output)
    write(
        site,
        "content/members/zweite-firma.md",
        (site / "content/members/zweite-firma.md")
        .read_text()
        .replace("Zweite Firma KG", "Aachener Firma KG"),
    )
    same_as_clean(site, output)


FIELD_CHANGES = {
    "a year": ("member_since: 2012", "member_since: 2013"),
    "a size class": ("employees: 50-249", "employees: 10-49"),
    "a list item": ("  - Gefahrgutlagerung", "  - Gefahrgutlager"),
    "a nested field": ("  city: Rheine", "  city: Emsdetten"),
    "a field added": ("member_since: 2012\n", "member_since: 2012\nlogo: logo.png\n"),
}


@pytest.mark.parametrize("change", list(FIELD_CHANGES))
def test_a_changed_field_remakes_every_file_that_shows_it(site, tmp_path, change):
    from PIL import Image

    Image.new("RGB", (40, 20), "teal").save(site / "content/members/logo.png")
    output = tmp_path / "out"
    assert build(site, output) == 0
    before = tree(output)
    old, new = FIELD_CHANGES[change]
    assert old in MEMBER
    write(site, "content/members/muster-logistik.md", MEMBER.replace(old, new))
    same_as_clean(site, output)
    changed = {path for path, data in tree(output).items() if before.get(path) != data}
    assert "mitglieder/muster-logistik/index.html" in changed


def test_a_logo_follows_the_field_that_names_it(site, tmp_path):
    from PIL import Image

    Image.new("RGB", (100, 50), "navy").save(site / "content/members/a.png")
    Image.new("RGB", (30, 60), "red").save(site / "content/members/c.png")
    with_logo = MEMBER.replace("employees: 50-249", "employees: 50-249\nlogo: a.png")
    write(site, "content/members/muster-logistik.md", with_logo)
    second_member(site)
    other = site / "content/members/zweite-firma.md"
    other.write_text(
        other.read_text().replace("employees: 50-249", "employees: 50-249\nlogo: a.png")
    )
    output = tmp_path / "out"
    assert build(site, output) == 0
    other.write_text(other.read_text().replace("logo: a.png", "logo: c.png"))
    same_as_clean(site, output)


def test_a_removed_static_file_breaks_links_in_kept_pages(site, tmp_path):
    write(site, "static/flyer.pdf", "pdf")
    member = site / "content/members/muster-logistik.md"
    member.write_text(member.read_text() + "\n[Flyer](../../static/flyer.pdf)\n")
    output = tmp_path / "out"
    assert build(site, output, "--strict") == 0
    (site / "static/flyer.pdf").unlink()
    assert build(site, output, "--strict") == build(site, tmp_path / "clean", "--strict") == 1


def test_a_file_rewritten_with_its_old_time_is_read_again(site, tmp_path):
    note = write(site, "static/note.txt", "aaaa")
    output = tmp_path / "out"
    assert build(site, output) == 0
    before = note.stat()
    note.write_text("bbbb")
    os.utime(note, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p or tar leave it
    same_as_clean(site, output)
    assert (output / "static/note.txt").read_text() == "bbbb"


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (not only 2 s after they were written)."""
    monkeypatch.setattr(load, "TRUSTED_AFTER_NS", 0)


def unread(monkeypatch) -> None:
    """Make reading the site fail the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the site was read")

    monkeypatch.setattr(pipeline, "check", refuse)


def test_a_build_of_files_unchanged_repeats_the_last_without_reading_them(
    site, tmp_path, settled, monkeypatch, capsys
):
    write(site, "content/members/muster-logistik.md", MEMBER + "\n[Fort](/nirgends/)\n")
    output = tmp_path / "out"
    assert build(site, output) == 0
    first = capsys.readouterr()
    before = tree(output)
    with monkeypatch.context() as patched:
        unread(patched)
        assert build(site, output) == 0
    again = capsys.readouterr()
    assert tree(output) == before
    assert "nirgends" in first.out  # a warning, told again:
    assert again.out.splitlines()[:-1] == first.out.splitlines()[:-1]
    assert again.err == first.err
    assert "(0 new or changed)" in again.out.splitlines()[-1]


@pytest.mark.parametrize(
    "change",
    [
        "a content file",
        "a static file added",
        "a template added",
        "the date",
        "an option",
        "the output",
        "a preview built there",
        "a linked template",
    ],
)
def test_a_build_reads_the_site_again_when_anything_it_reads_has_changed(
    site, tmp_path, settled, monkeypatch, change
):
    output = tmp_path / "out"
    if change == "a linked template":
        theme = write(tmp_path, "theme/footer.html", "<footer>Eins</footer>").parent
        (site / "templates").rmdir() if (site / "templates").is_dir() else None
        (site / "templates").symlink_to(theme, target_is_directory=True)
        write(theme, "robots.txt", "User-agent: *\n")
    assert build(site, output) == 0
    extra: list[str] = []
    today = TODAY
    if change == "a content file":
        member = site / "content/members/muster-logistik.md"
        status = member.stat()
        member.write_text(member.read_text().replace("Muster", "Mustar"))
        os.utime(member, ns=(status.st_atime_ns, status.st_mtime_ns))  # same size and time
    elif change == "a static file added":
        write(site, "static/more/note.txt", "new")
    elif change == "a template added":
        write(site, "templates/footer.html", "<footer>Eigener Fuß</footer>")
    elif change == "the date":
        today = "2031-01-01"
    elif change == "an option":
        extra = ["--base-url", "https://anders.example/"]
    elif change == "a preview built there":
        checked = pipeline.check(site, "http://127.0.0.1:8000/", Cache(site / ".cache"))
        assert checked.content is not None
        today_date = dt.date.fromisoformat(TODAY)
        pipeline.build(checked.content, site, output, today_date, False, Cache(site / ".cache"))
    elif change == "a linked template":
        write(site.resolve() / "templates", "robots.txt", "User-agent: *\nDisallow: /\n")
    else:
        (output / "index.html").write_text("changed by hand")
    read: list[bool] = []
    check = pipeline.check
    monkeypatch.setattr(pipeline, "check", lambda *a, **k: read.append(True) or check(*a, **k))
    assert build(site, output, *extra, today=today) == 0
    assert read == [True]
    with tempfile.TemporaryDirectory() as clean:
        assert build(site, Path(clean) / "out", "--no-cache", *extra, today=today) == 0
        assert tree(output) == tree(Path(clean) / "out")


def test_files_written_just_before_a_build_are_read_again(site, tmp_path, monkeypatch):
    """A file written twice within the clock's granularity keeps its size and
    times: only files older than that vouch for their bytes."""
    output = tmp_path / "out"
    assert build(site, output) == 0
    read: list[bool] = []
    check = pipeline.check
    monkeypatch.setattr(pipeline, "check", lambda *a, **k: read.append(True) or check(*a, **k))
    assert build(site, output) == 0
    assert read == [True]


SPEAKER_EVENT = """\
---
title: Treffen {n}
start: 2020-05-0{n} 10:00
format: online
hosts: [wvs]
speakers:
  - name: {name}
    organization: {organization}
    role: {role}
---
Text.
"""


def test_speakers_whose_names_and_firms_join_alike_are_told_apart(site, tmp_path):
    write(
        site,
        "templates/speakers.html",
        '{% extends "base.html" %}{% block main %}'
        "{% for s in site.speakers %}<p>{{ s.name }}: {{ s.role }}</p>{% endfor %}"
        "{% endblock %}",
    )
    first = SPEAKER_EVENT.format(n=1, name="Anna Berg", organization="Nord", role="Chefin")
    write(site, "content/events/2020-05-01-a.md", first)
    second = SPEAKER_EVENT.format(n=2, name="Anna", organization="Berg Nord", role="Leiterin")
    write(site, "content/events/2020-05-02-b.md", second)
    output = tmp_path / "out"
    assert build(site, output) == 0
    write(site, "content/events/2020-05-02-b.md", second.replace("Leiterin", "Präsidentin"))
    same_as_clean(site, output)


def test_every_input_a_file_reads_has_a_fingerprint(site, tmp_path):
    """A read without a fingerprint would make its file again on every build."""
    output = tmp_path / "out"
    assert build(site, output) == 0
    cache = Cache(site / ".cache")
    recorded = cache.dependencies(output)
    cache.close()
    assert recorded.reads and "?" not in recorded.fingerprints
    member_page = recorded.read_by("mitglieder/muster-logistik/index.html")
    assert {
        "content/members/muster-logistik.md#text",
        "template:member.html",
        "template:base.html",
        "site#settings",
    } <= member_page
    # A list shows no texts: a changed text leaves it as it is.
    term_page = recorded.read_by("branchen/logistik/index.html")
    assert not any(name.endswith("#text") for name in term_page)


def test_a_node_records_the_part_of_it_that_was_read(site):
    content, problems = validate(load_sources(site)[0])
    assert content is not None, problems
    graph = build_site(content, dt.date(2026, 1, 1))
    member, term = graph.members[0], graph.industries[0]
    with recording() as reads:
        member.data  # noqa: B018 - the read is what is tested
        term.members  # noqa: B018
        graph.today  # noqa: B018
    assert reads == {
        "content/members/muster-logistik.md#fields",
        f"{term.path}#members",
        "site#today",
    }
    fingerprints = graph.fingerprints()
    nodes = [
        *graph.members,
        *graph.events,
        *graph.industries,
        *graph.regions,
        *graph.associations,
        *(page for term in graph.industries for page in term.pages),
        *graph.series,
        *graph.speakers,
        *graph.pages,
        graph,
    ]
    for node in nodes:
        names = {f"{node.node_name()}#{part}" for part in type(node).INPUTS.values()}
        assert names <= fingerprints.keys(), type(node).__name__
    # Each node has a name of its own: two would share (and overwrite) fingerprints.
    assert len({node.node_name() for node in nodes}) == len(nodes)


def test_dependencies_are_kept_and_read_back():
    first = Dependencies().updated(
        ["p/index.html", "q.ics"],
        {"p/index.html": frozenset({"a#x"}), "q.ics": frozenset({"a#x", "b#y"})},
        {"a#x": "1", "b#y": "2"},
    )
    again = Dependencies.from_bytes(first.to_bytes())
    assert again == first
    assert again.stale(again.changed({"a#x": "1", "b#y": "3"})) == {"q.ics"}
    assert again.stale(again.changed({"b#y": "2"})) == {"p/index.html", "q.ics"}
    assert again.read_by("q.ics") == {"a#x", "b#y"}
    # A file made again reads something else; inputs nobody reads are let go.
    later = again.updated(["q.ics"], {"q.ics": frozenset({"c#z"})}, {"c#z": "9"})
    assert later.names == ["c#z"] and later.read_by("q.ics") == {"c#z"}
    for damaged in (b"garbage", marshal.dumps((["a"], ["1"], {"p": (3,)}))):
        with pytest.raises(ValueError):
            Dependencies.from_bytes(damaged)


# -- the stages import only earlier ones -------------------------------------------

STAGES = [
    {"load", "yamlsource", "yamlhints", "history"},
    {"validate", "models"},
    {"site"},
    {
        "render",
        "bodies",
        "structured",
        "previews",
        "directory",
        "exports",
        "calendars",
        "timezones",
        "feeds",
        "media",
    },
    {"links"},
    {"write", "search"},
]
BESIDE = {
    "__init__",
    "dependencies",
    "cache",
    "messages",
    "messages_de",
    "problems",
    "i18n",
    "markup",
    "gfm",
    "images",
    "colours",
}
"""Modules any stage may use: they know nothing of the stages."""
ON_TOP = {"pipeline", "cli", "serve", "watch", "scaffold", "schema", "addresses", "__main__"}


def imports_of(module: Path) -> set[str]:
    """The modules of the package that ``module`` imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.split(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def test_a_stage_never_imports_a_later_one_and_nothing_imports_in_a_circle():
    package = PROJECT / "verbund"
    modules = {file.stem: imports_of(file) for file in package.glob("*.py")}
    stage_of = {name: n for n, stage in enumerate(STAGES) for name in stage}
    assert modules.keys() == stage_of.keys() | BESIDE | ON_TOP, "a module without a place"
    for name, imported in modules.items():
        for other in imported - {"__version__"}:
            assert other not in ON_TOP or name in ON_TOP, f"{name} imports {other}"
            if name in BESIDE:
                assert other in BESIDE, f"{name} (beside the stages) imports {other}"
            elif name in stage_of and other in stage_of:
                assert stage_of[other] <= stage_of[name], f"{name} imports the later {other}"
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        assert name not in visiting, "import cycle: " + " → ".join([*visiting, name])
        if name in done or name not in modules:
            return
        visiting.append(name)
        for other in modules[name]:
            visit(other)
        visiting.pop()
        done.add(name)

    for name in modules:
        visit(name)


# -- random sequences of edits ------------------------------------------------------

TEMPLATE_CHANGES = {
    "a count on member pages": (
        "member.html",
        "{% endblock %}",
        "<p>{{ member.region.members|length }} {{ site.members|length }}</p>{% endblock %}",
    ),
    "the date in the footer": ("base.html", "</footer>", "<p>{{ site.today }}</p></footer>"),
    "another member's text on a member page": (
        "member.html",
        "{% endblock %}",
        "{% for m in site.members %}{{ body(m)|safe }}{% endfor %}{% endblock %}",
    ),
    "the events' texts on term pages": (
        "term.html",
        "{% endblock %}",
        "{% for e in site.events %}{{ body(e)|safe }}{% endfor %}{% endblock %}",
    ),
    "markup nested inside a card": (
        "macros.html",
        '<li class="card">',
        '<li class="card"><ul><li>{{ member.data.name }}</li></ul>',
    ),
    "a field by name in a loop": (
        "event.html",
        "{% endblock %}",
        "{% for s in event.speakers %}{{ s.member and "
        "s.member['data'].name }}{% endfor %}{% endblock %}",
    ),
    "a count at the top of the macros": (
        "macros.html",
        "{% macro member_list(members, root) %}",
        "{% set total = site.members|length %}"
        "{% macro member_list(members, root) %}<p>{{ total }}</p>",
    ),
    "the project's own member page": None,
}


class EditedSite(RuleBasedStateMachine):
    """A small site, edited step by step; every build equals a clean one."""

    @initialize()
    def start(self) -> None:
        # Files settle at once, so that a step that changes nothing repeats the
        # last build (see pipeline.repeat).
        self.settled = mock.patch.object(load, "TRUSTED_AFTER_NS", 0)
        self.settled.start()
        self.folder = Path(tempfile.mkdtemp(prefix="verbund-edits-"))
        self.site = make_site(self.folder / "site")
        self.output = self.folder / "out"
        self.today = TODAY
        self.members = 0
        assert build(self.site, self.output, today=self.today) == 0
        self.preview = self.serve()

    def serve(self) -> Preview:
        """A preview of the site, as ``serve`` keeps it between rebuilds."""
        return Preview(self.site, self.folder / "preview", "https://example.org/netzwerk/")

    def teardown(self) -> None:
        self.settled.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    @rule(text=st.sampled_from(["Neu.", "Mit [Link](#profil).", "## Titel\n\nText"]))
    def member_text(self, text: str) -> None:
        write(self.site, "content/members/muster-logistik.md", MEMBER + "\n" + text + "\n")

    @rule(
        name=st.sampled_from(["Aachener Logistik AG", "Zeta Logistik", "Muster Logistik"]),
        industries=st.sampled_from(["[logistik]", "[lagerhaltung, logistik]", "[maschinenbau]"]),
    )
    def member_fields(self, name: str, industries: str) -> None:
        write(
            self.site,
            "content/members/muster-logistik.md",
            MEMBER.replace("Muster Logistik GmbH & Co. KG", name).replace(
                "[logistik, lagerhaltung]", industries
            ),
        )

    @rule(
        region=st.sampled_from(["kreis-steinfurt", "kreis-borken"]),
        name=st.sampled_from(["Bäckerei Abel", "Zimmerei Zorn"]),
    )
    def add_member(self, region: str, name: str) -> None:
        self.members += 1
        second_member(self.site, f"firma-{self.members}", region, name)

    @rule()
    def remove_member(self) -> None:
        added = sorted((self.site / "content/members").glob("firma-*.md"))
        if added:
            added[0].unlink()

    @rule()
    def rename_member(self) -> None:
        added = sorted((self.site / "content/members").glob("firma-*.md"))
        if added:
            added[-1].rename(added[-1].with_name("umbenannt-" + added[-1].name))

    @rule(
        day=st.sampled_from(["2020-04-02", "2020-04-03", "2030-06-11"]),
        title=st.sampled_from(["Ihre Fragen", "Ihre Antworten"]),
        speaker=st.booleans(),
        status=st.sampled_from(["scheduled", "cancelled", "postponed"]),
    )
    def event_fields(self, day: str, title: str, speaker: bool, status: str) -> None:
        text = EVENT.replace("2020-04-02", day).replace("Ihre Fragen", title)
        text = text.replace("  price: 0\n", f"  price: 0\nstatus: {status}\n")
        if not speaker:
            text = text.replace("    member: muster-logistik\n", "")
        write(self.site, "content/events/2020-04-02-kurzarbeit.md", text)

    @rule(text=st.sampled_from(["Mehr.", "Anders."]))
    def event_text(self, text: str) -> None:
        write(self.site, "content/events/2020-04-02-kurzarbeit.md", EVENT + "\n" + text + "\n")

    @rule(name=st.sampled_from(["Logistik", "Spedition"]))
    def vocabulary(self, name: str) -> None:
        file = self.site / "content/industries.yaml"
        text = file.read_text(encoding="utf-8")
        write(
            self.site,
            "content/industries.yaml",
            text.replace("name: Logistik", f"name: {name}").replace(
                "name: Spedition", f"name: {name}"
            ),
        )

    @rule(name=st.sampled_from([None, "Region56+", "Region 56+"]))
    def partners(self, name: str | None) -> None:
        """A partner named by an event (by its short name), listing a member."""
        file = self.site / "content/partners.yaml"
        if name is None:
            file.unlink(missing_ok=True)
            return
        write(
            self.site,
            "content/partners.yaml",
            f"- id: r56\n  name: {name}\n  short_name: R56+\n"
            "  members: [muster-logistik, Muster Metallbau]\n",
        )
        event = self.site / "content/events/2020-04-02-kurzarbeit.md"
        text = event.read_text(encoding="utf-8")
        if "\npartners:" not in text:
            event.write_text(text.replace("\nspeakers:", "\npartners: [r56+]\nspeakers:"), "utf-8")

    @rule(title=st.sampled_from(["Testnetz", "Anderes Netz"]))
    def site_settings(self, title: str) -> None:
        text = (self.site / "site.yaml").read_text(encoding="utf-8")
        write(
            self.site,
            "site.yaml",
            "\n".join(
                f"title: {title}" if line.startswith("title:") else line
                for line in text.splitlines()
            )
            + "\n",
        )

    @rule(colour=st.sampled_from(["teal", "navy"]))
    def static_file(self, colour: str) -> None:
        write(self.site, "static/style.css", f"body {{ color: {colour}; }}\n")

    @rule(change=st.sampled_from(sorted(TEMPLATE_CHANGES)))
    def template(self, change: str) -> None:
        for own in (self.site / "templates").glob("*.html"):
            own.unlink()
        if TEMPLATE_CHANGES[change] is not None:
            own_template(self.site, *TEMPLATE_CHANGES[change])

    @rule(day=st.sampled_from(["2026-01-01", "2030-06-12", "2030-06-13", "2031-01-01"]))
    def date(self, day: str) -> None:
        self.today = day

    @rule()
    def fresh_clone(self) -> None:
        """What a publish in CI starts from: the cache restored, every file new,
        no output folder."""
        shutil.rmtree(self.output, ignore_errors=True)
        shutil.rmtree(pipeline.previous_output(self.output), ignore_errors=True)
        copy = self.site.with_name("clone")
        shutil.copytree(self.site, copy)
        shutil.rmtree(self.site)
        copy.rename(self.site)
        self.preview = self.serve()  # its cache was in the folder just replaced

    @invariant()
    def builds_as_clean(self) -> None:
        if hasattr(self, "site"):
            same_as_clean(self.site, self.output, self.today, self.preview)


# Without shrinking: each step builds twice, and five steps read well as they are.
EditedSite.TestCase.settings = settings(
    max_examples=7,
    stateful_step_count=5,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
TestEditedSite = EditedSite.TestCase


# -- long lists a page at a time ------------------------------------------------------


def test_a_long_list_is_paginated_and_a_changed_member_remakes_only_its_page(
    site, tmp_path, monkeypatch
):
    from verbund import site as site_module

    monkeypatch.setattr(site_module, "MEMBERS_PER_PAGE", 2)
    for n, name in enumerate(["Abel", "Berg", "Cord", "Dahl"]):
        second_member(site, f"firma-{n}", "kreis-steinfurt", f"{name} GmbH")
    output = tmp_path / "out"
    assert build(site, output) == 0
    region = output / "regionen/kreis-steinfurt"
    pages = [region / "index.html", region / "seite/2/index.html", region / "seite/3/index.html"]
    assert all(page.is_file() for page in pages) and not (region / "seite/4").exists()
    first, second = (page.read_text("utf-8") for page in pages[:2])
    assert "Abel GmbH" in first and "Berg GmbH" in first and "Cord GmbH" not in first
    assert "Cord GmbH" in second and 'rel="prev"' in second and "Seite 2 von 3" in second
    assert "(5)" in second  # the term's count on every page

    before = {page: page.stat().st_ino for page in pages}
    write(
        site,
        "content/members/firma-2.md",
        (site / "content/members/firma-2.md")
        .read_text()
        .replace("  - Gefahrgutlagerung", "  - Gefahrgutlager"),
    )
    same_as_clean(site, output)
    remade = [
        page.relative_to(region).as_posix() for page in pages if page.stat().st_ino != before[page]
    ]
    assert remade == ["seite/2/index.html"]
    # A member whose new name moves it to the first page: the pages between change.
    write(
        site,
        "content/members/firma-3.md",
        (site / "content/members/firma-3.md").read_text().replace("Dahl GmbH", "Aachen GmbH"),
    )
    same_as_clean(site, output)
    assert "Aachen GmbH" in pages[0].read_text("utf-8")
