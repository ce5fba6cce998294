"""Local preview: build, serve, rebuild on every change and reload the browser.

The site is built into a preview folder (``.cache/preview`` by default, so a
real ``output/`` is never replaced by a build for ``localhost``) and served by
livereload, which reloads open pages after each rebuild. When the content has
errors the last good build stays in place, and every page shows the problems
in a box on top of it until they are fixed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import mimetypes
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo

from . import pipeline
from .cache import Cache
from .messages import message_language, msg, translate
from .problems import ContentError, Problem, format_text
from .schema import refresh_schemas
from .search import SearchIndexError
from .write import output_lock

if TYPE_CHECKING:
    from .site import Site

WATCHED = ("content", "templates", "static", "site.yaml")
PROJECT = Path(__file__).resolve().parent.parent
IDLE_AFTER_S = 1.0
"""Seconds after a rebuild before the preview counts as idle (see :meth:`Preview.idle`)."""

StartResponse = Callable[[str, list[tuple[str, str]]], object]


class Preview:
    """The state of a preview: where it builds and what is wrong right now."""

    def __init__(
        self,
        site_root: Path,
        output_dir: Path,
        base_url: str,
        today: dt.date | None = None,
        search: bool = False,
    ):
        self.site_root = site_root
        self.output_dir = output_dir
        self.base_url = base_url
        self.today = today
        self.search = search
        self.problems: list[str] = []
        self.language = "de"
        self.cache = Cache(site_root / ".cache")
        self.pending: Callable[[], None] | None = None
        """What the last build left to keep for the next one (see :meth:`idle`)."""
        self.site: Site | None = None
        """The site graph of the last build (see :func:`~verbund.site.build_site`)."""

    def rebuild(self) -> bool:
        """Build again; on failure keep the last good site and remember the problems."""
        started = time.perf_counter()
        checked = pipeline.check(self.site_root, self.base_url, self.cache)
        self.language = message_language(checked.language)
        problems: list[Problem] = checked.errors
        if checked.content is not None:
            # The schemas for editors follow ids added or removed (a site
            # without schemas/ keeps none).
            for rel in refresh_schemas(self.site_root, checked.content):
                print(translate(msg("wrote {file}", file=rel), self.language))
            today = self.day(checked.content.config.zone)
            try:
                # From the previous build's manifest to this one's: another
                # build of the same folder waits (see verbund.write.output_lock).
                with output_lock(self.output_dir, self.language):
                    self._keep()
                    built = pipeline.build(
                        checked.content,
                        self.site_root,
                        self.output_dir,
                        today,
                        search=self.search,
                        cache=self.cache,
                        keep_later=True,
                        previous_site=self.site,
                    )
                self.pending, self.site = built.keep, built.site
            except ContentError as error:
                problems = error.problems
            except (OSError, SearchIndexError) as error:
                problems = [Problem(str(self.output_dir), message=str(error))]
        warning = translate(msg("warning"), self.language)
        self.problems = [format_text(p.told(self.language), warning) for p in problems]
        self._told(started)
        self._when_idle()
        return not self.problems

    def idle(self) -> None:
        """Keep what the last build found for the next one and free what it
        read (see :func:`~verbund.pipeline.release`). On a large site that takes
        about as long as the rest of a rebuild, so the browser is not kept
        waiting for it: it runs once the preview is idle, or at the start of
        the next rebuild if that comes first."""
        if self.pending is not None:
            try:
                with output_lock(self.output_dir, self.language):
                    self._keep()
            except OSError as error:  # the next build makes again what it cannot trust
                print(f"verbund: {error}", file=sys.stderr, flush=True)
        pipeline.release()

    def _keep(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending()

    def _when_idle(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not serving yet: the first build
            self.idle()
            return
        loop.call_later(IDLE_AFTER_S, self.idle)

    def day(self, zone: ZoneInfo) -> dt.date:
        """The date that decides which events are upcoming."""
        return self.today or dt.datetime.now(zone).date()

    def _told(self, started: float) -> None:
        if self.problems:
            print("\n".join(self.problems), file=sys.stderr, flush=True)
        else:
            seconds = time.perf_counter() - started
            print(
                translate(msg("Rebuilt in {seconds:.2f} s.", seconds=seconds), self.language),
                flush=True,
            )

    def overlay(self) -> bytes:
        """The box with the problems, on top of every page; its title folds it
        away to show the last good build below (no script needed)."""
        title = translate(msg("The content has errors; this is the last good build"), self.language)
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.problems)
        return (
            '<details id="verbund-problems" open role="alert" style="position:fixed;top:1rem;'
            "left:1rem;right:1rem;max-height:calc(100vh - 2rem);overflow:auto;"
            "z-index:2147483647;background:#fff;color:#1a1a1a;border:.25rem solid #b00020;"
            'border-radius:.5rem;padding:.75rem 1.5rem;font:1rem/1.5 system-ui">'
            '<summary style="cursor:pointer;font-weight:bold;font-size:1.25rem;color:#b00020">'
            f"{html.escape(title)} ({len(self.problems)})</summary>"
            f'<ol style="font-family:monospace">{items}</ol></details>'
        ).encode()

    def app(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        """WSGI: files of the preview folder, with the problem box while there are any."""
        path = request_path(environ.get("PATH_INFO", "/"))
        root = self.output_dir.resolve()
        file = local(root, path)
        if file is not None and file.is_dir():
            if not path.endswith("/"):
                location = folder_url(file.relative_to(root))
                start_response("301 Moved Permanently", [("Location", location)])
                return [b""]
            file = file / "index.html"
        status = "200 OK"
        if file is None or not file.is_file():
            status, file = "404 Not Found", root / "404.html"
        data = file.read_bytes() if file.is_file() else b"Not found"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html" and self.problems:
            data = data.replace(b"</body>", self.overlay() + b"</body>", 1)
        if kind.startswith("text/") or kind in ("application/json", "application/javascript"):
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store")])
        return [data]


def request_path(path_info: str) -> str:
    """The path a request asks for: WSGI gives its UTF-8 bytes as Latin-1
    characters, already percent-decoded."""
    try:
        return path_info.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return path_info


def local(root: Path, path: str) -> Path | None:
    """The file or folder inside ``root`` that ``path`` names; None if there is none."""
    try:
        file = (root / path.lstrip("/")).resolve()
        if (file == root or root in file.parents) and file.exists():
            return file
    except (OSError, ValueError):  # a name too long, a NUL byte
        pass
    return None


def folder_url(folder: Path) -> str:
    """The URL of a folder of the preview, given relative to it: always a path
    on this server (``/a/b/``), never ``//host``."""
    rel = folder.as_posix()
    return "/" if rel == "." else f"/{quote(rel)}/"


def serve(
    site_root: Path,
    host: str,
    port: int,
    output_dir: Path | None = None,
    today: dt.date | None = None,
    search: bool = False,
) -> None:
    """Build, then serve on ``host:port`` until interrupted, rebuilding on changes."""
    from livereload import Server  # imported here: only the preview needs tornado
    from livereload.handlers import LiveReloadHandler

    from .watch import SystemWatcher

    mimetypes.add_type("text/javascript", ".js")
    preview = Preview(
        site_root,
        output_dir or site_root / ".cache" / "preview",
        f"http://{host}:{port}/",
        today,
        search,
    )
    preview.rebuild()
    watcher = SystemWatcher()
    server = Server(preview.app, watcher=watcher)
    # A batch of changes is rebuilt before the browser is told, so every one is
    # told at once: livereload would otherwise drop a reload within 1-3 s of the last.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    rebuild = preview.rebuild
    for name in WATCHED:
        if (site_root / name).exists():
            server.watch(str(site_root / name), rebuild)
    for name in ("templates", "static"):
        if (PROJECT / name).is_dir() and PROJECT / name != site_root / name:
            server.watch(str(PROJECT / name), rebuild)
    print(
        translate(
            msg("Preview on http://{host}:{port}/ (Ctrl+C stops it)", host=host, port=port),
            preview.language,
        ),
        flush=True,
    )
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        watcher.stop()
        preview.idle()
        preview.cache.close()
