"""Load stage: reading files safely and keeping positions."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from verbund import load as load_module
from verbund.load import MAX_FILE_BYTES, load_sources, parse_markdown_file, read_text
from verbund.messages import translate
from verbund.yamlsource import Position, YamlError, read_yaml

from .conftest import write


def parse(tmp_path: Path, text: str | bytes, name: str = "x.md"):
    file = tmp_path / name
    file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return parse_markdown_file(file, f"content/members/{name}", "member")


# -- YAML values are never changed behind the editor's back -----------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ("postal_code: 01067", "01067"),
        ("phone: 0351123456", "0351123456"),
        ("answer: NO", "NO"),
        ("flag: off", "off"),
        ("time: 10:00", "10:00"),
        ("version: 1.10", "1.10"),
        ("day: 2024-02-30", "2024-02-30"),
        ("quoted: '007'", "007"),
    ],
)
def test_scalars_stay_text(source, expected):
    data, _ = read_yaml(source)
    assert list(data.values()) == [expected]


def test_null_stays_null():
    data, _ = read_yaml("a: ~\nb:\nc: 'null'")
    assert data == {"a": None, "b": None, "c": "null"}


def test_positions_are_recorded_with_offset():
    _, spans = read_yaml("name: X\nspeakers:\n  - name: Y\n", line_offset=1)
    assert spans[("name",)].value == Position(2, 7)
    assert spans[("name",)].key == Position(2, 1)
    assert spans[("speakers", 0, "name")].value == Position(4, 11)


@pytest.mark.parametrize(
    "source, message, line, column",
    [
        ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first on line 1)", 3, 1),
        ("a: &x 1\nb: *x\n", "anchors (&x) are not allowed", 1, 4),
        ("a: [*x]\n", "aliases (*x) are not allowed", 1, 5),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            "tags (!!python/object/apply:os.system) are not allowed",
            1,
            4,
        ),
        ("a: !include other.yaml\n", "tags (!include) are not allowed", 1, 4),
        ("a: !!set {x}\n", "tags (!!set) are not allowed", 1, 4),
        ("a: !!binary aGVsbG8=\n", "tags (!!binary) are not allowed", 1, 4),
        ("a: b: c\n", "the value contains ': ' and must be in quotes", 1, 4),
    ],
)
def test_refused_yaml(source, message, line, column):
    with pytest.raises(YamlError) as caught:
        read_yaml(source)
    assert caught.value.message == message
    assert caught.value.position == Position(line, column)


def test_tab_indentation_gets_a_hint():
    with pytest.raises(YamlError) as caught:
        read_yaml("services:\n\t- Lager\n")
    assert caught.value.position.line == 2
    assert caught.value.hint == "indent with spaces, not tabs"


def test_billion_laughs_is_refused_before_expansion():
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    with pytest.raises(YamlError, match="anchors"):
        read_yaml(bomb)


def test_deep_nesting_is_refused():
    with pytest.raises(YamlError, match="nested too deeply"):
        read_yaml("a: " + "[" * 50 + "]" * 50)


# -- files -------------------------------------------------------------------


def test_bom_and_crlf(tmp_path):
    text = b"\xef\xbb\xbf---\r\nname: X\r\ncity: Y\r\n---\r\nBody\r\n"
    document, problems = parse(tmp_path, text)
    assert problems == []
    assert document.data == {"name": "X", "city": "Y"}
    assert document.position(("city",)) == Position(3, 7)
    assert document.body == "Body\n"
    assert document.body_line == 5


def test_cp1252_file_is_named_with_its_line(tmp_path):
    document, problems = parse(tmp_path, "---\nname: X\ncity: Münster\n---\n".encode("cp1252"))
    assert document is None
    assert [(p.line, p.column, p.message, p.hint) for p in problems] == [
        (
            3,
            8,
            "the file is not UTF-8 text: 'ü' here was saved in the ANSI encoding of Windows",
            "save it as UTF-8: in the Windows editor Notepad with 'File → Save as → Encoding: "
            "UTF-8', in VS Code with 'Save with Encoding → UTF-8'",
        )
    ]
    assert "(" not in problems[0].hint  # printed in parentheses: none inside


def test_bytes_that_are_no_windows_text_either(tmp_path):
    _, problems = parse(tmp_path, b"---\nname: X\x81\n---\n")
    assert (problems[0].line, problems[0].message) == (2, "the file is not UTF-8 text")


def test_nfd_umlauts_become_nfc(tmp_path):
    document, _ = parse(tmp_path, "---\ncity: Mu\u0308nster\n---\n")
    assert document.data["city"] == "M\u00fcnster"


def test_front_matter_must_open_and_close(tmp_path):
    _, problems = parse(tmp_path, "name: X\n")
    assert problems[0].message == "the file must start with a line '---'"
    _, problems = parse(tmp_path, "---\nname: X\n")
    assert (problems[0].line, problems[0].message) == (1, "the front matter is not closed")


def test_yaml_error_lines_count_from_the_top_of_the_file(tmp_path):
    _, problems = parse(tmp_path, "---\nname: X\nname: Y\n---\n")
    assert (problems[0].path, problems[0].line, problems[0].column) == (
        "content/members/x.md",
        3,
        1,
    )
    assert problems[0].message == "duplicate key 'name' (first on line 2)"


def test_empty_front_matter_is_an_empty_mapping(tmp_path):
    document, problems = parse(tmp_path, "---\n---\nText\n")
    assert problems == [] and document.data == {}


def test_bidi_control_character_is_refused(tmp_path):
    _, problems = parse(tmp_path, "---\nname: Evil\u202eCorp\n---\n")
    assert [(p.line, p.column) for p in problems] == [(2, 11)]
    assert "U+202E" in problems[0].message


def test_oversized_file(tmp_path):
    _, problems = parse(tmp_path, "---\nname: X\n---\n" + "a" * MAX_FILE_BYTES)
    assert "at most 512 KiB" in problems[0].message


def test_symlink_is_refused(tmp_path):
    target = write(tmp_path, "elsewhere.md", "---\nname: X\n---\n")
    link = tmp_path / "link.md"
    os.symlink(target, link)
    text, problems = read_text(link, "content/members/link.md")
    assert text is None
    assert problems[0].message == "symbolic links are not allowed in content"


def test_load_sources_collects_everything(site):
    sources, problems = load_sources(site)
    assert problems == []
    assert [d.slug for d in sources.members] == ["muster-logistik"]
    assert [d.slug for d in sources.events] == ["2020-04-02-kurzarbeit", "2030-06-12-sommerfest"]
    assert [d.slug for d in sources.pages] == ["impressum"]
    assert sources.site.data["title"] == "Testnetz"
    assert "content/members/muster-logistik.md" in sources.content_files


def test_positions_of_a_whole_site_are_found_when_asked(site):
    write(site, "content/members/b.md", "---\nname: B\n\nservices:\n  - Lager\n---\nText\n")
    write(site, "content/members/c.md", "---\n---\nText\n")
    sources, _ = load_sources(site)
    b, c = [d for d in sources.members if d.slug in ("b", "c")]
    assert b.spans == {} and c.spans == {}  # thousands of tables would not fit in memory
    assert b.position(("services", 0)) == Position(5, 5)
    assert b.position(("name",), key=True) == Position(2, 1)
    assert b.position(("missing", "deeper")) == Position(2, 1)  # the mapping itself
    assert c.data == {} and c.position(("name",)) == Position(2, 1)


def test_positions_can_be_left_out():
    data, spans = read_yaml("a: 1\nb: [x]\n", positions=False)
    assert data == {"a": "1", "b": ["x"]} and spans == {}
    with pytest.raises(YamlError) as caught:
        read_yaml("a: 1\nb: 2\na: 3\n", positions=False)
    assert caught.value.position == Position(3, 1)
    assert caught.value.message == "duplicate key 'a' (first on line 1)"


def test_load_sources_reports_all_files(site):
    write(site, "content/members/a.md", "---\nname: A\nname: B\n---\n")
    write(site, "content/events/b.md", "no front matter\n")
    _, problems = load_sources(site)
    assert [p.path for p in problems] == ["content/members/a.md", "content/events/b.md"]


def test_missing_site_yaml(tmp_path):
    _, problems = load_sources(tmp_path)
    assert problems[0].path == "site.yaml"


def test_both_listings_of_content_tell_texts_from_other_files_alike(site):
    from verbund.load import listed_content

    write(site, "content/members/notizen.txt", "x\n")
    write(site, "content/members/alt/firma.md", "x\n")  # in a sub-folder: not a text
    write(site, "content/logos/firma.svg", "<svg/>\n")
    sources, problems = load_sources(site)
    texts, others = listed_content(site)
    assert sorted(others) == sources.other_files
    assert "content/members/notizen.txt" in others and "content/logos/firma.svg" in others
    assert "content/members/alt/firma.md" in others
    assert texts.keys() == {
        document.path for document in [*sources.members, *sources.events, *sources.pages]
    }
    assert all(os.path.isfile(path) for path in texts.values())


def test_files_parsed_by_workers_are_loaded_as_in_this_process(tmp_path, monkeypatch):
    for n in range(30):
        write(
            tmp_path,
            f"content/members/firma-{n:02}.md",
            f"---\nname: Firma {n} – Grüße\nindustries: [it]\n---\nText **{n}**.\n",
        )
    write(tmp_path, "content/members/kaputt.md", "---\nname: a\nname: b\n---\n")
    write(tmp_path, "content/events/treffen.md", "---\ntitle: Treffen\n---\nText.\n")
    write(tmp_path, "site.yaml", "title: Test\n")
    here, here_problems = load_sources(tmp_path)
    monkeypatch.setattr(load_module, "PARSED_IN_PARALLEL_FROM", 1)
    monkeypatch.setattr(load_module, "PARSE_CHUNK", 4)
    with ProcessPoolExecutor(max_workers=2) as pool:
        there, there_problems = load_sources(tmp_path, pool=pool)
    assert there_problems == here_problems
    assert [p.message for p in there_problems] == ["duplicate key 'name' (first on line 2)"]
    for kind in ("members", "events"):
        assert [
            (d.path, d.data, d.body, d.body_line, d.digest, d.front, d.front_digest, d.body_digest)
            for d in getattr(there, kind)
        ] == [
            (d.path, d.data, d.body, d.body_line, d.digest, d.front, d.front_digest, d.body_digest)
            for d in getattr(here, kind)
        ]
    assert len(there.members) == 30


def test_hashes_of_fields_and_body_are_kept_with_the_document(site, tmp_path):
    from verbund.cache import Cache
    from verbund.load import text_digest

    write(site, "content/members/b.md", "---\nname: B\n---\nText *B*.\n")
    cache = Cache(tmp_path / "cache")
    first, _ = load_sources(site, cache=cache)
    again, _ = load_sources(site, cache=cache)  # from the state of the first
    for sources in (first, again):
        (b,) = [d for d in sources.members if d.slug == "b"]
        assert b.body_digest == text_digest("Text *B*.\n")
        assert b.front_digest == text_digest("name: B") == b.data_digest


# -- YAML mistakes explained at the line to change -------------------------------

SPEAKERS = "title: X\nspeakers:\n  - name: Anna Brockmann\n"


@pytest.mark.parametrize(
    "source, line, column, message, hint",
    [
        (  # a field indented further than the one above it
            SPEAKERS + "    role: Leiterin\n      organization: Region56+\n",
            6,
            7,
            "'organization:' is indented wrongly",
            "indent line 6 by 2 spaces less, like 'role:' in line 5",
        ),
        (  # a speaker's field indented by three spaces
            SPEAKERS + "   role: Leiterin\nformat: online\n",
            5,
            4,
            "'role:' is indented wrongly",
            "indent line 5 by one space more, like 'name:' in line 4",
        ),
        (
            "name: X\n  industries: [logistik]\n",
            3,
            3,
            "'industries:' is indented wrongly",
            "indent line 3 by 2 spaces less, like 'name:' in line 2",
        ),
        (
            "address:\n  street: Musterstraße 12\n city: Rheine\n",
            4,
            2,
            "'city:' is indented wrongly",
            "indent line 4 by one space more, like 'street:' in line 3",
        ),
        (
            "services:\n  - Lager\n - Transport\n",
            4,
            2,
            "'- Transport' is indented wrongly",
            "indent line 4 by one space more, like '- Lager' in line 3",
        ),
        (
            'name: X\ntitle: "Kurzarbeit: Fragen\nformat: online\nhosts: [wvs]\n'
            "speakers:\n  - name: A\n    role: B\nseries: x\nindustries: [a]\n"
            "status: scheduled\npartners: [a]\nend: 2020-04-02\n",
            3,
            8,
            'the quote " opened here is not closed',
            'end the value on line 3 with ": title: "Kurzarbeit: Fragen"',
        ),
        (  # closed by the next quote further down: still the line that opened it
            'title: "Kurzarbeit: Fragen\nformat: online\nspeakers:\n  - name: "A"\n',
            2,
            8,
            'the quote " opened here is not closed',
            'end the value on line 2 with ": title: "Kurzarbeit: Fragen"',
        ),
        (
            "title: 'Kurz's Fragen'\n",
            2,
            8,
            "the value goes on after its closing quote '",
            'put the whole value in quotes: title: "Kurz\'s Fragen"',
        ),
        (
            "title: Kurzarbeit: Fragen\n",
            2,
            8,
            "the value contains ': ' and must be in quotes",
            'write: title: "Kurzarbeit: Fragen"',
        ),
        (
            "name: X\nregion kreis-steinfurt\nformat: online\n",
            3,
            1,
            "there is no ':' after the field name 'region'",
            "write line 3 as: region: kreis-steinfurt",
        ),
        (
            "industries: [logistik, lagerhaltung\nregion: kreis-steinfurt\n",
            2,
            13,
            "the bracket [ opened here is not closed",
            "end it with ]: industries: [logistik, lagerhaltung]",
        ),
        (
            "services: - Lager\n",
            2,
            11,
            "block sequence entries are not allowed in this context",
            "put each list entry on a line of its own below the field, starting with '- '",
        ),
    ],
)
def test_yaml_mistakes_name_the_line_and_the_fix(source, line, column, message, hint):
    with pytest.raises(YamlError) as caught:
        read_yaml(source, line_offset=1)
    found = caught.value
    assert (found.position.line, found.position.column, found.message, found.hint) == (
        line,
        column,
        message,
        hint,
    )


@pytest.mark.parametrize(
    "source",
    [
        "a: [x\n",
        "a: {x\n",
        "a: 'x\n",
        "a: @x\n",
        "a: `x`\n",
        "a: %x\n",
        '"a\n',
        "- a\nb: c\n",
        "a: b\n- c\n",
        "a:\n  - b\n  c: d\n",
        "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
        'a: "\\q"\n',
        "a: |0\n  x\n",
        "a: b\n--- x\nc: d\n",
        "a: !<x> b\n",
        "a:\n\t- b\n",
    ],
)
def test_every_yaml_error_has_a_german_text(source):
    with pytest.raises(YamlError) as caught:
        read_yaml(source)
    for text in (caught.value.message, caught.value.hint):
        assert not text or translate(text, "de") != text, text
