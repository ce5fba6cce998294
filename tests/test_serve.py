"""``serve``: a preview over HTTP that rebuilds on changes and shows problems on top."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import pytest

from verbund import serve
from verbund.cli import main
from verbund.serve import Preview
from verbund.write import output_lock

from .conftest import MEMBER, PROJECT, tree, write

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")
    except OSError:
        return 0, ""


def eventually(check: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def preview(site):
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "serve",
            "--site",
            str(site),
            "--port",
            str(port),
            "--today",
            "2026-01-01",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        assert eventually(lambda: fetch(base)[0] == 200), "the preview did not start"
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_rebuilds_on_change_and_shows_problems_until_fixed(site, preview):
    page = preview + "mitglieder/muster-logistik/"
    status, html = fetch(page)
    assert status == 200 and "Muster Logistik GmbH" in html
    assert "livereload.js" in html  # the browser reloads after each rebuild

    member = site / "content/members/muster-logistik.md"
    write(
        site,
        "content/members/muster-logistik.md",
        MEMBER.replace("Muster Logistik GmbH", "Neue Logistik GmbH"),
    )
    assert eventually(lambda: "Neue Logistik GmbH" in fetch(page)[1])

    member.write_text(
        MEMBER.replace("Muster Logistik GmbH", "Neue Logistik GmbH").replace(
            "region: kreis-steinfurt", "region: steinfurt"
        )
    )
    assert eventually(lambda: 'id="verbund-problems"' in fetch(page)[1])
    html = fetch(page)[1]
    assert (
        "content/members/muster-logistik.md:8:9: region: unknown region "
        "&#x27;steinfurt&#x27; (did you mean &#x27;kreis-steinfurt&#x27;?)"
    ) in html
    assert "Neue Logistik GmbH" in html  # the last good site stays underneath
    assert 'id="verbund-problems"' in fetch(preview)[1]  # on every page

    write(site, "content/members/muster-logistik.md", MEMBER)
    assert eventually(lambda: 'id="verbund-problems"' not in fetch(page)[1])
    assert "Muster Logistik GmbH" in fetch(page)[1]
    assert not (site / "output").exists()  # the preview never replaces output/


def test_serve_answers_like_a_web_server(site, preview):
    assert fetch(preview + "gibt-es-nicht/")[0] == 404
    assert "<h1" in fetch(preview + "gibt-es-nicht/")[1]  # the site's own 404 page
    assert fetch(preview + "../../etc/passwd")[0] == 404
    status, css = fetch(preview + "static/style.css")
    assert status == 200 and "livereload" not in css
    # Sent as they are: a folder is redirected to itself on this server, never elsewhere.
    for path in ("/%2Fevil.example%2F..%2Fmitglieder", "//evil.example/../mitglieder"):
        connection = http.client.HTTPConnection(urlsplit(preview).netloc, timeout=5)
        connection.request("GET", path)
        response = connection.getresponse()
        assert (response.status, response.getheader("Location")) == (301, "/mitglieder/")
        connection.close()


def answer(preview: Preview, path_info: str) -> tuple[int, dict[str, str], bytes]:
    """What the preview's WSGI application answers for ``path_info`` (as a server
    gives it: percent-decoded, UTF-8 bytes as Latin-1 characters)."""
    said: list[tuple[str, list[tuple[str, str]]]] = []
    body = b"".join(preview.app({"PATH_INFO": path_info}, lambda *args: said.append(args)))
    (status, headers), *_ = said
    return int(status.split()[0]), dict(headers), body


def served_folder(tmp_path: Path) -> Preview:
    out = tmp_path / "preview"
    for rel, text in {
        "index.html": "home",
        "404.html": "<body>missing</body>",
        "mitglieder/index.html": "members",
        "mitglieder/müller/index.html": "müller",
    }.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    (tmp_path / "secret").mkdir()
    return Preview(tmp_path, out, "http://127.0.0.1:8000/")


def as_served(path: str) -> str:
    return path.encode("utf-8").decode("latin-1")


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/mitglieder", "/mitglieder/"),
        ("/mitglieder/müller", "/mitglieder/m%C3%BCller/"),
        ("", "/"),
        ("/./mitglieder", "/mitglieder/"),
        ("//evil.example/..", "/"),
        ("//evil.example/../mitglieder", "/mitglieder/"),
        ("///evil.example/..//mitglieder", "/mitglieder/"),
        ("/\\evil.example/../mitglieder", "/mitglieder/"),
        ("/\\evil.example/..", "/"),
        ("/%2Fevil.example%2F..%2Fmitglieder", None),
        ("/\\evil.example/", None),
        ("/\\evil.example", None),
        ("//evil.example", None),
        ("/../secret", None),
        ("/mitglieder/../../secret", None),
        ("/mitglieder/\0", None),
        ("/" + "a" * 5000, None),
    ],
)
def test_the_preview_redirects_only_to_itself(tmp_path, path, location):
    """A folder without its slash is redirected to its own path on this server;
    anything else that is not a file of the preview is not found."""
    status, headers, body = answer(served_folder(tmp_path), as_served(path))
    if location is None:
        assert (status, body) == (404, b"<body>missing</body>")
        assert "Location" not in headers
    else:
        assert (status, headers["Location"]) == (301, location)
        assert re.match(r"/[^/\\]|/$", headers["Location"])
        followed = urlsplit(urljoin("http://127.0.0.1:8000/a/b", headers["Location"]))
        assert followed.netloc == "127.0.0.1:8000"


def test_the_preview_serves_files_and_folders(tmp_path):
    preview = served_folder(tmp_path)
    assert answer(preview, "/")[::2] == (200, b"home")
    assert answer(preview, "/mitglieder/")[::2] == (200, b"members")
    assert answer(preview, as_served("/mitglieder/müller/"))[::2] == (200, "müller".encode())
    assert answer(preview, "/gibt-es-nicht/")[::2] == (404, b"<body>missing</body>")


def test_preview_keeps_the_last_good_build(site, tmp_path):
    preview = Preview(site, tmp_path / "preview", "http://127.0.0.1:8000/")
    assert preview.rebuild() and preview.problems == []
    good = (tmp_path / "preview/mitglieder/muster-logistik/index.html").read_bytes()
    write(site, "content/members/muster-logistik.md", MEMBER.replace("name:", "name: A\nname:"))
    assert not preview.rebuild()
    assert preview.problems == [
        "content/members/muster-logistik.md:3:1: duplicate key 'name' (first on line 2) "
        "(remove one of the two lines)"
    ]
    assert (tmp_path / "preview/mitglieder/muster-logistik/index.html").read_bytes() == good


def test_a_rebuild_waits_for_another_build_of_its_folder(site, tmp_path, capsys):
    preview = Preview(site, tmp_path / "preview", "http://127.0.0.1:8000/")
    taken, done = threading.Event(), threading.Event()

    def other_build() -> None:
        with output_lock(tmp_path / "preview"):
            taken.set()
            done.wait(5)

    other = threading.Thread(target=other_build)
    other.start()
    assert taken.wait(5)
    threading.Timer(0.5, done.set).start()
    assert preview.rebuild()
    other.join()
    err = capsys.readouterr().err
    assert err.count(f"Waiting for another build of {tmp_path / 'preview'} to finish") == 1
    assert (tmp_path / "preview/mitglieder/muster-logistik/index.html").is_file()


def test_a_broken_template_is_a_problem_at_its_line(site, tmp_path):
    preview = Preview(site, tmp_path / "preview", "http://127.0.0.1:8000/")
    assert preview.rebuild()
    write(
        site,
        "templates/page.html",
        "{% extends 'base.html' %}\n{% block main %}\n{{ page.title }\n{% endblock %}\n",
    )
    assert not preview.rebuild()
    assert len(preview.problems) == 1
    assert preview.problems[0].startswith(
        "templates/page.html:3:1: the template cannot be used: unexpected '}'"
    )


def test_an_edited_text_or_name_remakes_just_what_shows_it(site, tmp_path, capsys):
    preview = Preview(site, tmp_path / "preview", "http://127.0.0.1:8000/")
    assert preview.rebuild() and preview.rebuild()  # the second keeps the first beside it
    folder = tmp_path / "preview"
    before = {file: file.stat().st_ino for file in folder.rglob("*") if file.is_file()}
    file = site / "content/members/muster-logistik.md"
    file.write_text(
        file.read_text(encoding="utf-8") + "\nJetzt mit Lager in Ochtrup.\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert preview.rebuild() and preview.problems == []
    assert "Rebuilt in" in capsys.readouterr().out
    page = folder / "mitglieder/muster-logistik/index.html"
    assert "Lager in Ochtrup" in page.read_text("utf-8")
    remade = {file for file, inode in before.items() if file.stat().st_ino != inode}
    # The profile shows the text; the static files are copied on every build.
    assert {
        file.relative_to(folder).as_posix()
        for file in remade
        if not file.relative_to(folder).as_posix().startswith("static/")
    } == {"mitglieder/muster-logistik/index.html"}
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "Muster Logistik GmbH & Co. KG", "Ochtruper Lagerhaus GmbH"
        ),
        encoding="utf-8",
    )
    assert preview.rebuild() and preview.problems == []
    for listed in (
        "branchen/logistik/index.html",
        "members.csv",
        "mitglieder/index.json",
        "members.json",
    ):
        assert "Ochtruper Lagerhaus" in (folder / listed).read_text("utf-8-sig")


def test_the_watcher_runs_each_task_once_per_batch_of_changes(tmp_path):
    from verbund.watch import SystemWatcher

    ran: list[str] = []
    batches: list[set[str]] = []
    watcher = SystemWatcher(told=batches.append)
    content, templates = tmp_path / "content", tmp_path / "templates"
    rebuild = lambda: ran.append("rebuild")  # noqa: E731
    watcher.watch(str(content), rebuild, delay=0.1)
    watcher.watch(str(templates), rebuild, delay=0.1)
    watcher.watch(str(tmp_path / "site.yaml"), lambda: ran.append("settings"))
    watcher._changes.append(("__livereload__", 0))  # as livereload starts it
    watcher.pending = {
        f"{content}/members/a.md",
        f"{templates}/member.html",
        f"{tmp_path}/content-notes.txt",
    }
    assert watcher.examine() == (f"{templates}/member.html", 0.1)
    assert ran == ["rebuild"]
    assert watcher.examine() == ("__livereload__", 0)  # nothing changed since
    assert watcher.examine() == (None, None)
    watcher.pending = {f"{tmp_path}/site.yaml"}
    assert watcher.examine() == (f"{tmp_path}/site.yaml", None)
    assert ran == ["rebuild", "settings"]
    assert batches == [
        {f"{content}/members/a.md", f"{templates}/member.html", f"{tmp_path}/content-notes.txt"},
        {f"{tmp_path}/site.yaml"},
    ]


def test_the_watcher_is_told_of_a_saved_file(tmp_path):
    import asyncio
    import threading

    from tornado import ioloop

    from verbund.watch import SystemWatcher

    (tmp_path / "content").mkdir()
    (tmp_path / "site.yaml").write_text("title: x\n")
    seen: list[tuple] = []
    told: list[set[str]] = []
    started: list[bool] = []
    watcher = SystemWatcher(told=told.append, started=lambda: started.append(True))
    watcher.watch(str(tmp_path / "content"), lambda: None)
    watcher.watch(str(tmp_path / "site.yaml"), lambda: None)

    def serve() -> None:  # a loop of its own, as the preview has (not the test's)
        asyncio.set_event_loop(asyncio.new_event_loop())
        loop = ioloop.IOLoop.current()
        watcher.start(lambda: seen.append(watcher.examine()) or (len(seen) == 2 and loop.stop()))
        loop.call_later(0.5, lambda: (tmp_path / "content/a.md").write_text("neu\n"))
        loop.call_later(2, lambda: (tmp_path / "site.yaml").write_text("title: y\n"))
        loop.call_later(30, loop.stop)
        loop.start()
        loop.close()

    thread = threading.Thread(target=serve)
    try:
        thread.start()
        thread.join(40)
    finally:
        watcher.stop()
    assert [path for path, _ in seen] == [
        str(tmp_path / "content/a.md"),
        str(tmp_path / "site.yaml"),
    ]
    assert told == [{str(tmp_path / "content/a.md")}, {str(tmp_path / "site.yaml")}]
    assert started == [True]


def in_a_loop(work: Coroutine[Any, Any, T]) -> T:
    """``work`` run to its end in an event loop of its own (a thread: the browser
    tests may have one running in this one)."""
    result: list[T] = []
    thread = threading.Thread(target=lambda: result.append(asyncio.run(work)))
    thread.start()
    thread.join()
    assert result, "the work in the loop failed"
    return result[0]


def test_what_a_rebuild_keeps_for_the_next_waits_until_the_preview_is_idle(site, tmp_path):
    folder = tmp_path / "preview"
    preview = Preview(site, folder, "http://127.0.0.1:8000/", dt.date(2026, 1, 1))
    file = site / "content/members/muster-logistik.md"

    async def edits() -> set[str]:
        assert preview.rebuild() and preview.rebuild()  # the second keeps the first beside it
        before = {path: path.stat().st_ino for path in folder.rglob("*") if path.is_file()}
        file.write_text(file.read_text("utf-8") + "\nMit Lager.\n", encoding="utf-8")
        assert preview.rebuild() and preview.problems == []
        assert preview.pending is not None  # left for when the preview is idle
        await asyncio.sleep(serve.IDLE_AFTER_S + 0.5)
        assert preview.pending is None  # kept once idle
        return {
            path.relative_to(folder).as_posix()
            for path, inode in before.items()
            if path.stat().st_ino != inode and "static/" not in path.as_posix()
        }

    # The next rebuild read what the one before it kept: only the profile is new.
    assert in_a_loop(edits()) == {"mitglieder/muster-logistik/index.html"}
    clean = tmp_path / "clean"
    assert (
        main(
            [
                "build",
                "--site",
                str(site),
                "--output",
                str(clean),
                "--no-cache",
                "--no-search",
                "--today",
                "2026-01-01",
                "--base-url",
                "http://127.0.0.1:8000/",
            ]
        )
        == 0
    )
    assert tree(folder) == tree(clean)


def test_every_save_reaches_the_browser_even_quick_ones(site, preview):
    """Two saves a moment apart: the browser is told to reload after each."""
    from tornado.websocket import websocket_connect

    member = site / "content/members/muster-logistik.md"

    async def reloads() -> list[str]:
        socket = await websocket_connect(preview.replace("http", "ws") + "livereload")
        socket.write_message(json.dumps({"command": "hello", "protocols": []}))
        assert json.loads(await socket.read_message())["command"] == "hello"
        socket.write_message(json.dumps({"command": "info", "url": preview}))
        told = []
        for text in ("Erste Änderung.", "Zweite Änderung."):
            member.write_text(MEMBER + f"\n{text}\n", encoding="utf-8")
            message = await asyncio.wait_for(socket.read_message(), 20)
            told.append(json.loads(message)["command"])
            assert text in fetch(preview + "mitglieder/muster-logistik/")[1]
        socket.close()
        return told

    assert in_a_loop(reloads()) == ["reload", "reload"]


def test_the_problem_box_folds_away_to_show_the_last_good_build(site, tmp_path, page):
    preview = Preview(site, tmp_path / "preview", "http://127.0.0.1:8000/")
    assert preview.rebuild()
    write(site, "content/members/muster-logistik.md", MEMBER.replace("name:", "name: A\nname:"))
    assert not preview.rebuild()
    _, _, body = answer(preview, "/mitglieder/muster-logistik/")
    page.set_content(body.decode("utf-8"))
    box = page.locator("#verbund-problems")
    assert box.is_visible() and "duplicate key 'name'" in box.inner_text()
    area = box.bounding_box()
    low = (area["x"] + area["width"] / 2, area["y"] + area["height"] - 8)
    inside = "([x, y]) => document.elementFromPoint(x, y).closest('#verbund-problems') !== null"
    assert page.evaluate(inside, low)  # open: on top of the page
    page.locator("#verbund-problems summary").click()
    assert not page.locator("#verbund-problems ol").is_visible()
    assert box.bounding_box()["height"] < area["height"]
    assert not page.evaluate(inside, low)  # folded: the page below shows there
