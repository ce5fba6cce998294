"""Changes to a site's files as the system reports them, for the preview.

livereload finds changes by walking every watched file every 0.8 s; at 10,000
members each walk takes longer than rebuilding after an edit, and a change waits
up to 0.8 s to be seen. :class:`SystemWatcher` is told by the system instead
(inotify, FSEvents, ReadDirectoryChangesW, through watchfiles) and wakes the
preview as soon as the changes of a save are complete.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles
from livereload.watcher import Watcher
from tornado import ioloop

SETTLE_MS = 30
"""Quiet time after a change before the changes are handed on (an editor's save
may be several writes)."""


class SystemWatcher(Watcher):
    """A livereload watcher that is told about changes instead of polling.

    Watched folders are watched with everything below them; a watched file is
    watched through its folder (editors often save by replacing the file).
    Each batch of changes runs the task of every watched path it touches, each
    task once, after handing the batch's paths to ``told``; ``started`` is
    called once the system watches.
    """

    def __init__(
        self,
        told: Callable[[set[str]], None] | None = None,
        started: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.pending: set[str] = set()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.told, self.started = told, started

    def start(self, callback: Callable[[], None]) -> bool:
        if self.started is not None:
            self.started()
        loop = ioloop.IOLoop.current()
        watched = [Path(path) for path in self._tasks]
        folders = [path for path in watched if path.is_dir()]
        files = {str(path) for path in watched if not path.is_dir()}

        def watch(
            paths: list[Path],
            recursive: bool,
            wanted: Callable[[watchfiles.Change, str], bool] | None,
        ) -> None:
            for changes in watchfiles.watch(
                *paths,
                watch_filter=wanted,
                step=SETTLE_MS,
                stop_event=self.stopped,
                recursive=recursive,
                raise_interrupt=False,
            ):
                with self.lock:
                    self.pending.update(path for _, path in changes)
                loop.add_callback(callback)

        if folders:
            threading.Thread(
                target=watch, args=(folders, True, watchfiles.DefaultFilter()), daemon=True
            ).start()
        if files:
            parents = sorted({Path(file).parent for file in files})
            threading.Thread(
                target=watch, args=(parents, False, lambda _, path: path in files), daemon=True
            ).start()
        return True

    def examine(self) -> tuple[str | None, float | None]:
        """Run the tasks of the paths changed since the last call; the changed
        path and the reload delay, as livereload expects them."""
        with self.lock:
            changed, self.pending = self.pending, set()
        if not changed and self._changes:  # livereload's own (it starts with one)
            return self._changes.pop()
        self.filepath = None
        if changed and self.told is not None:
            self.told(changed)
        delays: set[float] = set()
        done: set[int] = set()
        for path, task in self._tasks.items():
            inside = path.rstrip(os.sep) + os.sep
            hit = next((c for c in sorted(changed) if c == path or c.startswith(inside)), None)
            if hit is None:
                continue
            self.filepath = hit
            if isinstance(task["delay"], float):
                delays.add(task["delay"])
            func = task["func"]
            if func is not None and id(func) not in done:
                done.add(id(func))
                func()
        return self.filepath, max(delays) if delays else None

    def stop(self) -> None:
        self.stopped.set()
