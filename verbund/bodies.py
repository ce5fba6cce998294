"""Markdown bodies of a whole site: rendered once, on all cores, cached by content.

The HTML is kept in the build cache (:mod:`verbund.cache`) under a hash of the
body, the site's language and the engine, so an unchanged body is never
rendered again.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

from .cache import Cache, key
from .markup import markdown_to_html

PARALLEL_FROM = 200
"""Fewer bodies than this are rendered in this process: a pool would cost more."""

CHUNKS_IN_FLIGHT = 8
"""Chunks of bodies sent to the workers and not yet back: enough to keep them busy."""

SECONDS_PER_BODY = 3.0
"""Time budget for one body (a long one takes a tenth of that); beyond it, the build
stops with a message instead of hanging on content nobody foresaw."""

def body_key(text: str, language: str = "de") -> str:
    return key("body", language, text)


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


def _render_chunk(texts: list[bytes], language: str) -> list[str | None]:
    """Bodies sent to a worker, as UTF-8."""
    return [_render_in_time(text.decode("utf-8"), language) for text in texts]


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


class Bodies(Mapping[str, str]):
    """The HTML of a site's Markdown bodies by source path, read when a page needs it.

    What is rendered goes to the cache at once and is read back one body at a
    time, so the HTML of a whole site is never in memory together.
    """

    def __init__(self, texts: Mapping[str, str], keys: dict[str, str], cache: Cache,
                 kept: dict[str, str], language: str):
        self.texts, self.keys, self.cache = texts, keys, cache
        self.kept = kept
        """HTML the cache could not take (or there is no cache), by key."""
        self.language = language

    def __getitem__(self, source: str) -> str:
        key = self.keys[source]
        html = self.kept.get(key)
        if html is None:
            html = self.cache.get("body", [key]).get(key)
        if html is None:  # lost from the cache since it was rendered
            html = self.kept[key] = _render_in_time(self.texts[source], self.language) or ""
        return html

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)


def site_bodies(texts: Mapping[str, str], cache: Cache, pool: Executor | None,
                language: str = "de") -> tuple[Bodies, list[str]]:
    """The bodies of a site by source path, with those not yet cached rendered
    now (in parallel), and the sources whose body took longer than
    :data:`SECONDS_PER_BODY`."""
    keys = {source: body_key(text, language) for source, text in texts.items()}
    known = cache.has("body", sorted(set(keys.values())))
    missing = {key: texts[source] for source, key in keys.items() if key not in known}
    kept: dict[str, str] = {}
    overtime: set[str] = set()
    for fresh in _rendered(missing, pool, language):
        done = {key: html for key, html in fresh.items() if html is not None}
        overtime.update(key for key, html in fresh.items() if html is None)
        if not cache.put("body", done):
            kept.update(done)
    return (Bodies(texts, keys, cache, kept, language),
            [source for source, key in keys.items() if key in overtime])


def _rendered(missing: dict[str, str], pool: Executor | None, language: str
              ) -> Iterator[dict[str, str | None]]:
    """The HTML of ``missing`` (key → text) by key, a chunk at a time as it is done.

    The texts go to the workers as UTF-8 made for the chunk, a few chunks at a
    time: pickling a ``str`` leaves a UTF-8 copy of it inside the string for as
    long as it lives, and the texts live until the build is done (a third of a
    gigabyte at 100,000 members).
    """
    if pool is None or len(missing) < PARALLEL_FROM:
        yield {key: _render_in_time(text, language) for key, text in missing.items()}
        return
    items = sorted(missing.items())
    size = max(16, len(items) // 32)
    chunks = deque(items[i:i + size] for i in range(0, len(items), size))
    sent: deque[tuple[list[str], Future[list[str | None]]]] = deque()
    while chunks or sent:
        while chunks and len(sent) < CHUNKS_IN_FLIGHT:
            chunk = chunks.popleft()
            sent.append(([key for key, _ in chunk], pool.submit(
                _render_chunk, [text.encode("utf-8") for _, text in chunk], language)))
        keys, part = sent.popleft()
        yield dict(zip(keys, part.result(), strict=True))
