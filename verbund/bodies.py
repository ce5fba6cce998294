"""Markdown bodies of a whole site: rendered once, on all cores, cached by content.

The HTML is kept in the build cache (:mod:`verbund.cache`) under a hash of the
body, the site's language and the engine, so an unchanged body is never
rendered again.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context

from .cache import Cache, key
from .load import text_digest
from .markup import TooComplex, markdown_to_html

PARALLEL_FROM = 200
"""Fewer bodies than this are rendered in this process: a pool would cost more."""

CHUNK = 64
"""Bodies sent to a worker at a time (about a tenth of a second of work)."""

PUT_AT_ONCE = 1000
"""Rendered bodies kept in the cache in one transaction."""

MOST_AHEAD = 4000
"""Rendered bodies that may wait to be taken in (some 30 MB): the workers go on
while this process makes a long list page."""

SECONDS_PER_BODY = 3.0
"""Time budget for one body (a long one takes a tenth of that); beyond it, the build
stops with a message instead of hanging on content nobody foresaw."""


def body_key(digest: str, language: str = "de") -> str:
    """Where the HTML of a body is kept, by the :func:`~verbund.load.text_digest` of its text."""
    return key("body", language, digest)


class _Overtime(BaseException):
    """Raised in a thread whose body took too long (a BaseException: no
    ``except Exception`` in the renderer swallows it)."""


class _Watch:
    """Stops a body that runs past its deadline, in whichever thread renders it.

    One thread per process looks at the deadlines every :data:`TICK` seconds and
    raises :class:`_Overtime` in a thread that is late. Unlike a signal this works
    in any thread and on any system; neither can stop native code, which is why
    what goes into the sanitiser is bounded (:data:`~verbund.markup.MAX_RENDERED_DEPTH`).
    """

    TICK = 0.02

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.deadlines: dict[int, float] = {}
        self.raised: set[int] = set()
        self.busy = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, seconds: float) -> None:
        ident = threading.get_ident()
        with self.lock:
            self.deadlines[ident] = time.monotonic() + seconds
            self.raised.discard(ident)
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="body-watch", daemon=True)
                self.thread.start()
            self.busy.set()

    def stop(self) -> bool:
        """End the watch on this thread; whether the time ran out. An
        :class:`_Overtime` raised but not yet seen is taken back."""
        ident = threading.get_ident()
        with self.lock:
            self.deadlines.pop(ident, None)
            late = ident in self.raised
            if late:
                self.raised.discard(ident)
                _raise_in(ident, None)
        return late

    def _run(self) -> None:
        while self.busy.wait():
            time.sleep(self.TICK)
            now = time.monotonic()
            with self.lock:
                for ident, deadline in self.deadlines.items():
                    if deadline <= now and ident not in self.raised:
                        self.raised.add(ident)
                        _raise_in(ident, _Overtime)
                if not self.deadlines:
                    self.busy.clear()


def _raise_in(ident: int, error: type[BaseException] | None) -> None:
    """Raise ``error`` in the thread ``ident`` when it next runs Python code
    (None: take back one not raised yet)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(ident), None if error is None else ctypes.py_object(error)
    )


_watch = _Watch()


def _new_watch() -> None:
    """A forked process has none of its parent's threads (and maybe a held lock)."""
    global _watch
    _watch = _Watch()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_watch)


def _render_in_time(text: str, language: str) -> str | None:
    """The body's HTML, or None when it takes longer than :data:`SECONDS_PER_BODY`
    (or is too deep to sanitise, or recurses too deeply)."""
    try:
        _watch.start(SECONDS_PER_BODY)
        try:
            html: str | None = markdown_to_html(text, language)
        except (_Overtime, TooComplex, RecursionError):
            html = None
        finally:
            late = _watch.stop()  # whatever was raised: the watch ends here
        return None if late else html
    except _Overtime:  # raised after the body was done, before the watch ended
        _watch.stop()
        return None


def _render_chunk(texts: list[bytes], language: str) -> list[str | None]:
    """Bodies sent to a worker, as UTF-8."""
    return [_render_in_time(text.decode("utf-8"), language) for text in texts]


WORKER_NICENESS = 5
"""Workers give way to this process: it makes the pages while they render bodies
ahead of it, and is what the build waits for."""


def _start_worker() -> None:
    try:
        os.nice(WORKER_NICENESS)
    except OSError:
        pass
    markdown_to_html("*warm*")


def _nothing() -> None:
    pass


def start_pool() -> Executor | None:
    """Worker processes, forked now while this process is still small."""
    workers = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    )
    if workers < 2:
        return None
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context(method), initializer=_start_worker
    )
    pool.submit(_nothing)  # the workers start now
    return pool


class Bodies(Mapping[str, str]):
    """The HTML of a site's Markdown bodies by source path, read when a page needs it.

    What is rendered goes to the cache as it comes and is read back one body at
    a time, so the HTML of a whole site is never in memory together. Bodies the
    workers are still rendering are waited for when a page asks for them
    (see :func:`rendering_bodies`).
    """

    def __init__(
        self,
        texts: Mapping[str, str],
        keys: dict[str, str],
        cache: Cache,
        language: str,
        rendering: _Rendering | None = None,
    ):
        self.texts, self.body_keys, self.cache = texts, keys, cache
        self.kept: dict[str, str] = {}
        """HTML the cache could not take (or there is no cache), by key."""
        self.fresh: dict[str, str] = {}
        """HTML rendered and not yet in the cache, by key."""
        self.overtime: set[str] = set()
        """The keys of bodies that took longer than :data:`SECONDS_PER_BODY`."""
        self.language = language
        self.rendering = rendering

    def take(self, rendered: dict[str, str | None], last: bool = True) -> None:
        """Keep freshly rendered bodies (key → HTML, None if it took too long).

        Unless it is the ``last`` of them, they go to the cache some thousand at a
        time (each write to the cache is a transaction).
        """
        self.fresh.update((key, html) for key, html in rendered.items() if html is not None)
        self.overtime.update(key for key, html in rendered.items() if html is None)
        if (last or len(self.fresh) >= PUT_AT_ONCE) and self.fresh:
            if not self.cache.put("body", self.fresh):
                self.kept.update(self.fresh)
            self.fresh = {}

    @property
    def rendered(self) -> bool:
        """Whether no body is left for the workers to render."""
        return self.rendering is None

    def slow(self) -> list[str]:
        """The sources whose body took longer than :data:`SECONDS_PER_BODY`, once
        all are rendered (this waits for them)."""
        if self.rendering is not None:
            self.rendering.take_all(self)
            self.rendering = None
        return [source for source, key in self.body_keys.items() if key in self.overtime]

    def __getitem__(self, source: str) -> str:
        key = self.body_keys[source]
        if self.rendering is not None:
            self.rendering.take_until(key, self)
        html = self.kept.get(key)
        if html is None:
            html = self.fresh.get(key)
        if html is None:
            html = self.cache.get("body", [key]).get(key)
        if html is None:  # lost from the cache since it was rendered, or it took too long
            html = self.kept[key] = (
                _render_in_time(self.texts[source], self.language)
                if key not in self.overtime
                else None
            ) or ""
        return html

    def __iter__(self) -> Iterator[str]:
        return iter(self.body_keys)

    def __len__(self) -> int:
        return len(self.body_keys)


def rendering_bodies(
    texts: Mapping[str, str],
    cache: Cache,
    pool: Executor | None,
    language: str = "de",
    digests: Mapping[str, str] | None = None,
) -> Bodies:
    """The bodies of a site by source path, those not yet cached rendered by
    ``pool`` while the caller goes on (in the order of ``texts``: the order
    pages will ask for them), or else rendered now, in this process.

    ``digests`` are the hashes of texts known already (by source path).
    :meth:`Bodies.slow` tells which took too long, once all are done.
    """
    digests = digests or {}
    keys = {
        source: body_key(digests.get(source) or text_digest(text), language)
        for source, text in texts.items()
    }
    known = cache.has("body", sorted(set(keys.values())))
    missing: dict[str, str] = {}
    for source, body in keys.items():
        if body not in known and body not in missing:
            missing[body] = texts[source]
    if pool is None or len(missing) < PARALLEL_FROM:
        bodies = Bodies(texts, keys, cache, language)
        bodies.take({key: _render_in_time(text, language) for key, text in missing.items()})
        return bodies
    return Bodies(texts, keys, cache, language, _Rendering(missing, pool, language))


def site_bodies(
    texts: Mapping[str, str],
    cache: Cache,
    pool: Executor | None,
    language: str = "de",
    digests: Mapping[str, str] | None = None,
) -> tuple[Bodies, list[str]]:
    """:func:`rendering_bodies`, all rendered, and the sources whose body took
    longer than :data:`SECONDS_PER_BODY`."""
    bodies = rendering_bodies(texts, cache, pool, language, digests)
    return bodies, bodies.slow()


class _Rendering:
    """Bodies sent to worker processes, taken in as pages ask for them.

    A thread keeps the workers busy while this process makes pages, as long as
    no more than :data:`MOST_AHEAD` rendered bodies wait to be taken in. The
    texts go as UTF-8 made for the chunk: pickling a ``str`` leaves a UTF-8 copy
    inside the string for as long as it lives, and the texts live until the
    build is done (a third of a gigabyte at 100,000 members).
    """

    def __init__(self, missing: dict[str, str], pool: Executor, language: str):
        items = list(missing.items())
        self.unsent = deque(items[i : i + CHUNK] for i in range(0, len(items), CHUNK))
        self.sent: deque[tuple[list[str], Future[list[str | None]]]] = deque()
        self.pending = set(missing)
        """Keys sent or to be sent, not yet taken in."""
        self.ahead = 0
        """Bodies sent and not yet taken in."""
        self.changed = threading.Condition()
        self.feeder = threading.Thread(target=self._feed, args=(pool, language), daemon=True)
        self.feeder.start()

    def _feed(self, pool: Executor, language: str) -> None:
        while True:
            with self.changed:
                self.changed.wait_for(lambda: self.ahead < MOST_AHEAD or not self.unsent)
                if not self.unsent:
                    return
                chunk = self.unsent.popleft()
                self.ahead += len(chunk)
            try:
                future = pool.submit(
                    _render_chunk, [text.encode("utf-8") for _, text in chunk], language
                )
            except RuntimeError as error:  # shut down: the taker sees it
                future = Future()
                future.set_exception(error)
            with self.changed:
                self.sent.append(([key for key, _ in chunk], future))
                self.changed.notify_all()

    def take_until(self, key: str, bodies: Bodies) -> None:
        """Take in the chunks that are done, and wait for the one with ``key``."""
        while self._take_next(bodies, key):
            pass

    def take_all(self, bodies: Bodies) -> None:
        while self._take_next(bodies, None):
            pass

    def _take_next(self, bodies: Bodies, wanted: str | None) -> bool:
        """Take in the next chunk if it is done, or if ``wanted`` (None: any
        pending key) is pending; False if there was nothing to take in."""
        with self.changed:
            waiting = bool(self.pending) if wanted is None else wanted in self.pending
            if waiting:
                self.changed.wait_for(lambda: bool(self.sent))
            elif not self.sent or not self.sent[0][1].done():
                return False
            keys, future = self.sent.popleft()
            last = len(self.pending) == len(keys)
        bodies.take(dict(zip(keys, future.result(), strict=True)), last)
        with self.changed:
            self.pending.difference_update(keys)
            self.ahead -= len(keys)
            self.changed.notify_all()
        return True
