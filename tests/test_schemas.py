"""The JSON Schemas for editors: one site's ids as completions, in its language,
current in the repository, and accepted by an independent validator."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest
from check_jsonschema import main as check_jsonschema
from click.testing import CliRunner

from verbund import pipeline
from verbund.cli import main
from verbund.schema import FIELDS, FILES, LISTS, MODELS, schema_files
from verbund.serve import Preview
from verbund.validate import Content

from .conftest import INDUSTRIES_YAML, PROJECT, write


@pytest.fixture(scope="module")
def demo() -> Content:
    checked = pipeline.check(PROJECT)
    assert checked.content is not None, checked.problems
    return checked.content


def english(content: Content) -> Content:
    return dataclasses.replace(content, config=content.config.model_copy(update={"language": "en"}))


def test_the_committed_schemas_of_the_demo_are_current(demo):
    """CI fails when an id is added and schemas/ is not written again."""
    for rel, text in schema_files(demo).items():
        committed = (PROJECT / rel).read_text(encoding="utf-8")
        assert committed == text, f"{rel} is stale: run python build.py schema"


def test_vscode_maps_every_schema_to_its_files():
    settings = json.loads((PROJECT / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == {
        f"./schemas/{kind}.schema.json": [pattern] for kind, (_, _, pattern) in FILES.items()
    }


def test_the_ids_of_the_site_are_completions_with_their_names(demo):
    files = {rel: json.loads(text) for rel, text in schema_files(demo).items()}
    member = files["schemas/member.schema.json"]["properties"]
    industries = member["industries"]["items"]
    assert industries["enum"] == sorted(t.id for t in demo.industries)
    names = dict(zip(industries["enum"], industries["enumDescriptions"], strict=True))
    assert names["logistik"] == next(t.name for t in demo.industries if t.id == "logistik")
    assert member["region"]["enum"] == sorted(t.id for t in demo.regions)
    assert member["associations"]["items"]["enum"] == ["aiw", "wve", "wvs"]
    assert "muster-logistik" in member["distinct_from"]["items"]["enum"]
    event = files["schemas/event.schema.json"]
    series = event["properties"]["series"]["anyOf"][0]
    assert series["enum"] == sorted(s.id for s in demo.series)
    assert "2026-12-03-energiekosten" in event["properties"]["distinct_from"]["items"]["enum"]
    speaker = event["$defs"]["Speaker"]["properties"]
    assert "brinkmann-maschinenbau" in speaker["member"]["anyOf"][0]["enum"]
    assert speaker["partner"]["anyOf"][0]["enum"] == ["euregio", "region56plus"]
    # partners of an event and firms of a partner: the ids offered, any text allowed
    listed, free = event["properties"]["partners"]["items"]["anyOf"]
    assert listed["enum"] == ["euregio", "region56plus"] and free["type"] == "string"
    firms = files["schemas/partners.schema.json"]["$defs"]["Partner"]["properties"]["members"]
    assert "brinkmann-maschinenbau" in firms["items"]["anyOf"][0]["enum"]
    hosts = files["schemas/series.schema.json"]["$defs"]["Series"]["properties"]["hosts"]
    assert hosts["items"]["enumDescriptions"][hosts["items"]["enum"].index("wvs")] == (
        "Wirtschaftsvereinigung Steinfurt"
    )


def test_the_schemas_keep_the_rules_of_the_models(demo):
    files = {rel: json.loads(text) for rel, text in schema_files(demo).items()}
    member = files["schemas/member.schema.json"]
    assert member["additionalProperties"] is False
    assert "region" in member["required"]
    event = files["schemas/event.schema.json"]
    pattern = re.compile(event["properties"]["start"]["pattern"])
    assert pattern.match("2020-04-02 10:00") and pattern.match("2020-04-02")
    assert not pattern.match("2. April 2020")
    industries = files["schemas/industries.schema.json"]
    assert industries["type"] == "array"
    assert industries["$defs"]["Term"]["required"] == ["id", "name"]


def texts(node: Any) -> set[str]:
    """Every title and description in a schema (not the names of fields)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "description") and isinstance(value, str):
                found.add(value)
            else:
                found |= texts(value)
    elif isinstance(node, list):
        for value in node:
            found |= texts(value)
    return found


def table(language: int) -> set[str]:
    """The titles and descriptions of the tables in ``verbund.schema``, 0 German, 1 English."""
    pairs = [v[language] for v in MODELS.values()] + [v[language] for v in LISTS.values()]
    pairs += [v[language] for v in FIELDS.values()]
    return {text for pair in pairs for text in pair}


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_title_is_in_the_language_of_the_site(demo, language):
    content = demo if language == "de" else english(demo)
    own, other = (table(0), table(1)) if language == "de" else (table(1), table(0))
    for rel, text in schema_files(content).items():
        found = texts(json.loads(text))
        # pydantic's own titles ("Postal Code", docstrings) are all replaced
        assert found <= own, f"{rel}: {sorted(found - own)}"
        assert not found & (other - own), f"{rel}: {sorted(found & (other - own))}"
    member = json.loads(schema_files(content)["schemas/member.schema.json"])
    street = member["$defs"]["Address"]["properties"]["street"]["title"]
    assert street == ("Straße" if language == "de" else "Street")


def front_matter(file: Path) -> str:
    lines = file.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "---"
    return "\n".join(lines[1 : lines.index("---", 1)]) + "\n"


def validated(schema: str, instances: list[Path]) -> tuple[int, str]:
    """check-jsonschema's exit code and report for ``instances``."""
    result = CliRunner().invoke(
        check_jsonschema, ["--schemafile", schema, *map(str, instances)], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_the_demo_content_passes_check_jsonschema(tmp_path):
    """An independent validator (check-jsonschema) accepts every demo file
    against the committed schemas, the front matter parsed as an editor's YAML
    extension reads it."""
    for kind, (_, _, pattern) in FILES.items():
        sources = sorted(PROJECT.glob(pattern))
        assert sources, pattern
        instances = []
        for source in sources:
            instance = tmp_path / kind / (source.stem + ".yaml")
            instance.parent.mkdir(exist_ok=True)
            text = source.read_text(encoding="utf-8")
            instance.write_text(
                front_matter(source) if source.suffix == ".md" else text, encoding="utf-8"
            )
            instances.append(instance)
        code, report = validated(str(PROJECT / f"schemas/{kind}.schema.json"), instances)
        assert code == 0, report


def test_check_jsonschema_refuses_an_unknown_id(tmp_path):
    member = PROJECT / "content/members/muster-logistik.md"
    typo = tmp_path / "typo.yaml"
    typo.write_text(
        front_matter(member).replace("industries: [logistik", "industries: [logisitk"),
        encoding="utf-8",
    )
    assert "logisitk" in typo.read_text(encoding="utf-8")
    code, report = validated(str(PROJECT / "schemas/member.schema.json"), [typo])
    assert code == 1 and "'logisitk' is not one of" in report
    free = tmp_path / "free.yaml"
    free.write_text(
        "title: X\nstart: 2026-03-05\nformat: online\nhosts: [wvs]\n"
        "partners: [euregio, Agentur für Arbeit Rheine]\nspeakers:\n  - name: A\n"
        "    member: muster-logistk\n",
        encoding="utf-8",
    )
    code, report = validated(str(PROJECT / "schemas/event.schema.json"), [free])
    assert code == 1 and "speakers[0].member" in report and "partners" not in report


# -- keeping them current ----------------------------------------------------------


def test_check_notes_stale_schemas_and_serve_and_new_refresh_them(site, capsys, tmp_path):
    assert main(["schema", "--site", str(site)]) == 0
    assert "wrote schemas/member.schema.json" in capsys.readouterr().out
    assert main(["check", "--site", str(site), "--strict"]) == 0
    assert "schema" not in capsys.readouterr().err
    # an editor adds an industry through a pull request
    write(site, "content/industries.yaml", INDUSTRIES_YAML + "- id: textil\n  name: Textil\n")
    assert main(["check", "--site", str(site), "--strict"]) == 0
    captured = capsys.readouterr()
    assert (
        "schemas/: note: the JSON Schemas for editors are out of date: member.schema.json, "
        "event.schema.json (run 'python build.py schema' and commit schemas/)"
    ) in captured.err.splitlines()
    assert captured.out.splitlines()[-1] == "No problems found."
    # not on the pull request: its editor could do nothing about it
    assert main(["check", "--site", str(site), "--strict", "--format", "github"]) == 0
    assert "schema" not in capsys.readouterr().out
    # the preview writes them again
    Preview(site, tmp_path / "preview", "http://127.0.0.1:8000/").rebuild()
    assert "wrote schemas/member.schema.json" in capsys.readouterr().out
    member = json.loads((site / "schemas/member.schema.json").read_text(encoding="utf-8"))
    assert "textil" in member["properties"]["industries"]["items"]["enum"]
    assert main(["check", "--site", str(site)]) == 0
    assert "schema" not in capsys.readouterr().err
    # and so does new, which names a new member for distinct_from
    assert main(["new", "member", "Textil Hinz", "--site", str(site)]) == 0
    assert main(["new", "member", "Textil Kunz", "--site", str(site)]) == 0
    assert "wrote schemas/member.schema.json" in capsys.readouterr().out.splitlines()
    member = json.loads((site / "schemas/member.schema.json").read_text(encoding="utf-8"))
    assert "textil-hinz" in member["properties"]["distinct_from"]["items"]["enum"]


def test_a_site_without_schemas_gets_no_note_and_no_folder(site, capsys, tmp_path):
    assert main(["check", "--site", str(site)]) == 0
    assert main(["new", "member", "Textil Hinz", "--site", str(site)]) == 0
    assert "schema" not in capsys.readouterr().err
    assert not (site / "schemas").exists()


def test_schema_refuses_a_site_with_errors(site, capsys):
    write(site, "content/industries.yaml", "- id: Logistik\n  name: Logistik\n")
    assert main(["schema", "--site", str(site)]) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert not (site / "schemas").exists()
