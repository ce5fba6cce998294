"""The files the editors' guide shows whole (```yaml blocks with front matter)
pass the real check against the demo site: no error, no warning."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from verbund import pipeline
from verbund.problems import format_text

from .conftest import PROJECT

GUIDE = PROJECT / "docs" / "editors-guide.md"


def examples() -> list[str]:
    """The ```yaml blocks of the guide that are whole files (start with ---)."""
    blocks = re.findall(r"^```yaml\n(.*?)^```", GUIDE.read_text(encoding="utf-8"), re.M | re.S)
    return [block for block in blocks if block.startswith("---\n")]


def folder(text: str) -> str:
    fields = set(re.findall(r"^(\w+):", text.split("\n---\n", 1)[0], re.M))
    if "start" in fields:
        return "events"
    if "industries" in fields and "name" in fields:
        return "members"
    return "pages"


def title(text: str) -> str:
    return re.search(r"^(?:title|name): (.*)$", text, re.M)[1]  # type: ignore[index]


def test_the_guide_shows_whole_files_of_each_kind():
    kinds = [folder(text) for text in examples()]
    assert kinds.count("events") >= 3 and "members" in kinds and "pages" in kinds
    online = [text for text in examples() if "format: online" in text]
    assert online and any("recording:" in text and "## Nachbericht" in text for text in online)


def batches() -> list[list[str]]:
    """The examples in as few batches as can be checked together: one file of a
    title in each (the same event before and after is two examples)."""
    result: list[list[str]] = []
    for text in examples():
        for batch in result:
            if title(text) not in map(title, batch):
                batch.append(text)
                break
        else:
            result.append([text])
    return result


def put(root: Path, rel: str, text: str) -> None:
    """An example as a file, with the logo it names (the guide says to upload it too)."""
    (root / rel).write_text(text, encoding="utf-8")
    logo = re.search(r"^logo: (\S+)", text, re.M)
    if logo:
        picture = io.BytesIO()
        Image.new("RGB", (200, 200), "white").save(picture, "PNG")
        (root / rel).with_name(logo[1]).write_bytes(picture.getvalue())


@pytest.mark.parametrize("batch", range(len(batches())))
def test_every_example_of_the_guide_passes_the_check(tmp_path, batch):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(PROJECT / "site.yaml", root)
    shutil.copytree(PROJECT / "content", root / "content")
    shutil.copytree(PROJECT / "static", root / "static")
    # the member of the guide, whom the event example's speaker is linked to
    member = next(text for text in examples() if folder(text) == "members")
    put(root, "content/members/mueller-soehne.md", member)
    written = []
    for n, text in enumerate(batches()[batch]):
        kind = folder(text)
        slug = "mueller-soehne" if kind == "members" else f"2027-01-0{n + 1}-leitfaden-{n}"
        written.append(f"content/{kind}/{slug}.md")
        put(root, written[-1], text)
    checked = pipeline.check(root)
    problems = [format_text(p.told("de"), "Warnung") for p in checked.problems]
    assert problems == [], "\n".join(problems)
    assert checked.content is not None
    checked_files = {item.source for item in checked.content.events + checked.content.pages}
    assert {rel for rel in written if "/members/" not in rel} <= checked_files


def test_the_online_meeting_takes_its_hosts_and_price_from_its_series(tmp_path):
    online = next(text for text in examples() if "series: online-meetings" in text)
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(PROJECT / "site.yaml", root)
    shutil.copytree(PROJECT / "content", root / "content")
    shutil.copytree(PROJECT / "static", root / "static")
    Path(root / "content/events/2027-04-08-online.md").write_text(online, encoding="utf-8")
    checked = pipeline.check(root)
    assert checked.content is not None, checked.problems
    event = next(e for e in checked.content.events if e.slug == "2027-04-08-online").data
    assert event.hosts == ["wvs", "aiw", "wve"]
    assert event.registration is not None and event.registration.price == 0
    assert event.registration.members_only is False
