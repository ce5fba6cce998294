"""Markdown bodies of a whole site: rendered once, on all cores, cached by content.

The HTML is kept in the build cache (:mod:`verbund.cache`) under a hash of the
body, the site's language and the engine, so an unchanged body is never
rendered again.
"""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

from .cache import Cache, key
from .markup import markdown_to_html

PARALLEL_FROM = 200
"""Fewer bodies than this are rendered in this process: a pool would cost more."""

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


def render_bodies(texts: list[str], cache: Cache, pool: Executor | None,
                  language: str = "de") -> list[str | None]:
    """The HTML of every text, in order: from the cache, else rendered (in parallel).

    None for a text that took longer than :data:`SECONDS_PER_BODY`.
    """
    keys = [body_key(text, language) for text in texts]
    known = cache.get("body", sorted(set(keys)))
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
        cache.put("body", fresh)
        known.update(fresh)
    return [known.get(key) for key in keys]
