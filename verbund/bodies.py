"""Markdown bodies of a whole site: rendered once, on all cores, cached by content.

The cache is a SQLite file in ``.cache/`` keyed by a hash of the body and of
everything that shapes its HTML (this engine's version and its Markdown and nh3
versions). A cache that cannot be read is set aside and rebuilt, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from importlib.metadata import version
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from . import __version__
from .markup import markdown_to_html

PARALLEL_FROM = 200
"""Fewer bodies than this are rendered in this process: a pool would cost more."""

SECONDS_PER_BODY = 3.0
"""Time budget for one body (a long one takes a tenth of that); beyond it, the build
stops with a message instead of hanging on content nobody foresaw."""

_SALT = f"verbund {__version__} markdown {version('markdown')} nh3 {version('nh3')}\n"


def body_key(text: str, language: str = "de") -> str:
    return hashlib.sha256(f"{_SALT}{language}\n{text}".encode()).hexdigest()


class BodyCache:
    """HTML of bodies by :func:`body_key`, kept between builds."""

    def __init__(self, folder: Path | None):
        self.db: sqlite3.Connection | None = None
        if folder is None:
            return
        path = folder / "bodies.sqlite"
        for attempt in (1, 2):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path)
                self.db.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, "
                                "html TEXT NOT NULL)")
                self.db.execute("SELECT count(*) FROM body").fetchone()
                return
            except (sqlite3.DatabaseError, OSError):
                if self.db is not None:
                    self.db.close()
                self.db = None
                if attempt == 1:
                    path.unlink(missing_ok=True)  # corrupt or foreign: start afresh

    def get(self, keys: list[str]) -> dict[str, str]:
        if self.db is None or not keys:
            return {}
        found: dict[str, str] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = self.db.execute(
                    f"SELECT key, html FROM body WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk)
                found.update(rows)
        except sqlite3.DatabaseError:
            return {}
        return found

    def put(self, items: dict[str, str]) -> None:
        if self.db is None or not items:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO body VALUES (?, ?)", items.items())
        except sqlite3.DatabaseError:
            pass  # the next build renders these again

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


class _Overtime(Exception):
    pass


def _stop(signum: int, frame: object) -> None:
    raise _Overtime


def _render_in_time(text: str, language: str) -> str | None:
    """The body's HTML, or None when it takes longer than :data:`SECONDS_PER_BODY`."""
    if threading.current_thread() is not threading.main_thread():
        return markdown_to_html(text, language)  # signals reach the main thread only
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_BODY)
    try:
        return markdown_to_html(text, language)
    except _Overtime:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _render_chunk(texts: list[str], language: str) -> list[str | None]:
    return [_render_in_time(text, language) for text in texts]


def _warm_up() -> None:
    markdown_to_html("*warm*")


def start_pool() -> Executor | None:
    """Worker processes, forked now while this process is still small."""
    workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
    if workers < 2:
        return None
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context(method))
    for _ in range(workers):
        pool.submit(_warm_up)
    return pool


def render_bodies(texts: list[str], cache: BodyCache, pool: Executor | None,
                  language: str = "de") -> list[str | None]:
    """The HTML of every text, in order: from the cache, else rendered (in parallel).

    None for a text that took longer than :data:`SECONDS_PER_BODY`.
    """
    keys = [body_key(text, language) for text in texts]
    known = cache.get(sorted(set(keys)))
    missing = sorted({key: text for key, text in zip(keys, texts, strict=True)
                      if key not in known}.items())
    if missing:
        sources = [text for _, text in missing]
        if pool is not None and len(sources) >= PARALLEL_FROM:
            size = max(16, len(sources) // 32)
            chunks = [sources[i:i + size] for i in range(0, len(sources), size)]
            parts = pool.map(_render_chunk, chunks, [language] * len(chunks))
            rendered = [html for part in parts for html in part]
        else:
            rendered = _render_chunk(sources, language)
        fresh = {key: html for (key, _), html in zip(missing, rendered, strict=True)
                 if html is not None}
        cache.put(fresh)
        known.update(fresh)
    return [known.get(key) for key in keys]
