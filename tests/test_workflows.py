"""The GitHub workflows are valid and do what the editors' path needs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from verbund.cli import main

from .conftest import MEMBER, PROJECT, write

WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))


def check_jsonschema() -> str:
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert found, "install the test extras: pip install -e '.[test]'"
    return found


def validate(files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [check_jsonschema(), "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True,
        text=True,
    )


def test_workflows_match_githubs_schema():
    assert len(WORKFLOWS) == 3
    result = validate(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_can_fail(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "name: x\non: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n        runz: echo\n"
    )
    assert validate([broken]).returncode != 0


def load(name: str) -> dict:
    # PyYAML reads the key "on" as True (YAML 1.1).
    return yaml.safe_load((PROJECT / ".github" / "workflows" / name).read_text())


def uses(workflow: dict) -> list[str]:
    return [
        step.get("uses", "").split("@")[0]
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
    ]


def test_pull_requests_get_annotations_a_build_and_the_tests():
    workflow = load("check.yml")
    assert "pull_request" in workflow[True]
    runs = " ".join(
        step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]
    )
    assert "build.py check --format github --strict" in runs  # a warning is not green
    assert "build.py build" in runs and "python -m pytest" in runs


def test_publishing_uses_the_official_pages_actions_without_races():
    workflow = load("publish.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert {
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    } <= set(uses(workflow))
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert "--base-url" in str(workflow["jobs"]["build"]["steps"])


def test_publishing_runs_every_night_and_only_the_deploy_job_may_write_pages():
    workflow = load("publish.yml")
    (cron,) = [entry["cron"] for entry in workflow[True]["schedule"]]
    minute, hour, *every = cron.split()
    assert every == ["*", "*", "*"]
    # Just after midnight in Germany in winter (UTC+1) and summer (UTC+2).
    assert all(0 <= (int(hour) + offset) % 24 < 2 for offset in (1, 2)), cron
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_unreachable_addresses_open_an_issue_that_closes_when_they_work_again():
    workflow = load("links.yml")
    assert "schedule" in workflow[True]
    steps = workflow["jobs"]["links"]["steps"]
    lychee = next(s for s in steps if s.get("uses", "").startswith("lycheeverse/lychee-action"))
    assert lychee["with"]["fail"] is False and lychee["with"]["format"] == "json"
    assert "build.py links > addresses.txt" in str(steps)
    script = steps[-1]["run"]
    assert f"build.py links --report {lychee['with']['output']}" in script
    assert "gh issue create" in script and "gh issue close" in script


def test_every_action_is_pinned_to_a_commit_that_dependabot_keeps_current():
    pinned = re.compile(r"^[\w.-]+/[\w.-]+@[0-9a-f]{40}$")
    for file in WORKFLOWS:
        text = file.read_text(encoding="utf-8")
        for action in filter(None, uses(load(file.name))):
            line = next(line for line in text.splitlines() if f"uses: {action}@" in line)
            reference = line.split("uses: ", 1)[1].split(" #", 1)[0]
            assert pinned.match(reference), (file.name, line)
            assert re.search(r"# v\d+\.\d+", line), (file.name, line)  # the version, for people
    dependabot = yaml.safe_load((PROJECT / ".github/dependabot.yml").read_text("utf-8"))
    assert "github-actions" in {update["package-ecosystem"] for update in dependabot["updates"]}


def test_the_check_restores_the_cache_first_keyed_by_the_content():
    steps = load("check.yml")["jobs"]["content"]["steps"]
    names = [step.get("name") or step.get("uses", "").split("@")[0] for step in steps]
    assert names.index("actions/cache") < names.index("Check the content")
    for workflow in ("check.yml", "publish.yml"):
        cache = next(
            step
            for job in load(workflow)["jobs"].values()
            for step in job["steps"]
            if step.get("uses", "").startswith("actions/cache@")
        )
        assert "hashFiles(" in cache["with"]["key"] and "run_id" not in cache["with"]["key"]
        assert "content/**" in cache["with"]["key"]


def test_the_vscode_check_task_puts_problems_on_their_lines(site, capsys):
    matchers = json.loads((PROJECT / ".vscode/tasks.json").read_text())["tasks"][0][
        "problemMatcher"
    ]
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("region: kreis-steinfurt", "region: steinfurt"),
    )
    write(
        site,
        "content/members/zweite.md",
        MEMBER.replace("name: Muster Logistik", "name: Zweite").replace(
            "https://muster-logistik.example", "http://zweite.example"
        ),
    )
    assert main(["check", "--site", str(site)]) == 1
    seen = []
    for line in capsys.readouterr().out.splitlines():
        hits = [(m, re.match(m["pattern"]["regexp"], line)) for m in matchers]
        hits = [(m, found) for m, found in hits if found]
        assert len(hits) == 1, line  # exactly one matcher takes each line
        matcher, found = hits[0]
        p = matcher["pattern"]
        seen.append(
            (
                matcher["severity"],
                found[p["file"]],
                found[p["line"]],
                found[p["column"]],
                found[p["code"]],
                found[p["message"]],
            )
        )
    assert seen[0] == (
        "error",
        "content/members/muster-logistik.md",
        "8",
        "9",
        "region",
        "unknown region 'steinfurt' (did you mean 'kreis-steinfurt'?)",
    )
    assert seen[1][:5] == ("warning", "content/members/zweite.md", "14", "12", "contact.website")


def test_publish_checks_out_the_whole_history():
    """Calendars and feeds tell subscribers when each event changed, from git."""
    workflow = yaml.safe_load((PROJECT / ".github/workflows/publish.yml").read_text("utf-8"))
    checkouts = [
        step
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]
    assert checkouts and all(step.get("with", {}).get("fetch-depth") == 0 for step in checkouts)


def test_the_shell_scripts_pass_shellcheck():
    shellcheck = shutil.which("shellcheck", path=str(Path(sys.executable).parent))
    assert shellcheck, "install the test extras: pip install -e '.[test]'"
    scripts = {".ci/run": (PROJECT / ".ci/run").read_text(encoding="utf-8")}
    for file in WORKFLOWS:
        for job, spec in load(file.name)["jobs"].items():
            for number, step in enumerate(spec.get("steps", [])):
                if "run" in step:
                    # GitHub fills in ${{ … }} before the shell sees the script.
                    text = re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", step["run"])
                    scripts[f"{file.name} {job} step {number + 1}"] = text
    for name, text in scripts.items():
        result = subprocess.run(
            [shellcheck, "--shell=bash", "-"], input=text, capture_output=True, text=True
        )
        assert result.returncode == 0, f"{name}:\n{result.stdout}"
