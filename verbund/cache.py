"""The build cache in ``.cache/``: what earlier builds made, kept by content.

A SQLite file holds parsed and validated content files, the HTML of Markdown bodies, the
calendar entries of events and the links of rendered pages, each under a hash
of everything that shapes it, this engine included (:func:`engine`). A state
file per stage holds what that stage made of the site's files the last time (the
load stage: each file's size, times and parsed document, so that an unchanged
file is not even read), read in one piece instead of thousands of lookups.
A manifest per output folder records the key each of its files was made from,
so that the next build keeps a file whose key has not changed instead of making
it again. A cache that cannot be read is set aside and
rebuilt, never trusted; a manifest is believed only for files that still are
exactly what the build wrote (same inode, size and modification time).
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sqlite3
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__

TABLES = ("load", "valid", "body", "links", "vevent")
_PACKAGE = Path(__file__).resolve().parent
STATE_PARTS = 16
"""A stage's state is kept in this many files, so that a changed content file
costs writing a sixteenth of it."""
_LIBRARIES = ("markdown", "nh3", "jinja2", "icalendar", "babel", "pillow")


@functools.cache
def engine() -> str:
    """A hash of this engine's code and of the libraries that shape its output.

    Part of every key, so that a changed engine (even between releases, while
    developing) never serves what an older one made.
    """
    digest = hashlib.sha256(f"verbund {__version__}\npython {sys.version}\n".encode())
    for name in _LIBRARIES:
        digest.update(f"{name} {version(name)}\n".encode())
    for file in sorted(_PACKAGE.glob("*.py")):
        digest.update(file.name.encode() + b"\n" + file.read_bytes())
    return digest.hexdigest()


def key(*parts: str) -> str:
    """A key for something made from ``parts`` (and this engine)."""
    return hashlib.sha256("\x1f".join((engine(), *parts)).encode()).hexdigest()


class Stamp(NamedTuple):
    """A written file as the file system saw it right after writing."""

    key: str
    inode: int
    size: int
    mtime_ns: int

    def matches(self, status: os.stat_result) -> bool:
        return (status.st_ino, status.st_size, status.st_mtime_ns) == (
            self.inode, self.size, self.mtime_ns)


@dataclass
class Manifest:
    """The files of an output folder as one build wrote them."""

    stamps: dict[str, Stamp]
    warned: set[str]
    """Pages whose links had problems (reported again while the page is kept)."""
    inputs: str = ""
    """The key of everything the build was made from (see :func:`verbund.render.site_inputs`)."""
    others: dict[str, Stamp] = field(default_factory=dict)
    """The files not made from a key of their own (copies, the search index)."""
    warnings: list[tuple] = field(default_factory=list)
    """The problems the build reported, as tuples of their fields."""
    count: int = 0
    """The files the build reported (made, kept and copied)."""
    unlike_previous: set[str] | None = None
    """The files (made or copied) in which the previous output kept beside this
    one (see :func:`verbund.write.previous_output`) differs from it: other, missing
    or extra there. None if none is kept."""


class Cache:
    """Everything kept between builds of one site; ``Cache(None)`` keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.db: sqlite3.Connection | None = None
        self.known: dict[Path, tuple[tuple[int, int, int], Any]] = {}
        """Manifests and indexes read or written by this object, by file, with the
        file's status then: a process that builds again and again (``serve``)
        reads them once."""
        if folder is None:
            return
        path = folder / "cache.sqlite"
        for attempt in (1, 2):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path)
                for table in TABLES:
                    self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} "
                                    "(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                    self.db.execute(f"SELECT count(*) FROM {table}").fetchone()
                return
            except (sqlite3.DatabaseError, OSError):
                if self.db is not None:
                    self.db.close()
                self.db = None
                if attempt == 1:
                    path.unlink(missing_ok=True)  # corrupt or foreign: start afresh

    def get(self, table: str, keys: list[str]) -> dict[str, Any]:
        """The values (text or bytes, as put) found under ``keys``."""
        return dict(self._rows(table, "key, value", keys))

    def has(self, table: str, keys: list[str]) -> set[str]:
        """Which of ``keys`` have a value (without reading the values)."""
        return {row[0] for row in self._rows(table, "key", keys)}

    def _rows(self, table: str, columns: str, keys: list[str]) -> list[tuple[Any, ...]]:
        if self.db is None or not keys:
            return []
        found: list[tuple[Any, ...]] = []
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                found += self.db.execute(f"SELECT {columns} FROM {table} WHERE key IN "
                                         f"({','.join('?' * len(chunk))})", chunk)
        except sqlite3.DatabaseError:
            return []
        return found

    def put(self, table: str, items: dict[str, str] | dict[str, bytes]) -> bool:
        """Keep ``items``; False if they could not be kept."""
        if self.db is None:
            return False
        if not items:
            return True
        try:
            with self.db:
                self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                                    items.items())
        except sqlite3.DatabaseError:
            return False  # the next build makes these again
        return True

    def state(self, name: str) -> dict[str, Any]:
        """What :meth:`save_state` kept under ``name`` with this engine (parts
        that cannot be read are left out)."""
        found: dict[str, Any] = {}
        for part in range(STATE_PARTS) if self.folder is not None else ():
            try:
                made_by, value = marshal.loads(self._state_file(name, part).read_bytes())
            except (OSError, ValueError, TypeError, EOFError):
                continue
            if made_by == engine() and isinstance(value, dict):
                found.update(value)
        return found

    def save_state(self, name: str, value: dict[str, Any], changed: set[str]) -> None:
        """Keep ``value`` for the next build: the parts that hold a ``changed`` key."""
        if self.folder is None or not changed:
            return
        parts: list[dict[str, Any]] = [{} for _ in range(STATE_PARTS)]
        for item, entry in value.items():
            parts[_state_part(item)][item] = entry
        for part in sorted({_state_part(item) for item in changed}):
            _replace(self._state_file(name, part), marshal.dumps((engine(), parts[part])))

    def _state_file(self, name: str, part: int) -> Path:
        assert self.folder is not None
        return self.folder / "state" / f"{name}.{part}"

    def _manifest_file(self, target: Path, suffix: str = ".manifest") -> Path | None:
        if self.folder is None:
            return None
        name = hashlib.sha256(str(target.absolute()).encode()).hexdigest()[:24]
        return self.folder / "outputs" / f"{name}{suffix}"

    def manifest(self, target: Path) -> Manifest:
        """What the last build wrote into ``target``; empty if unknown (shared
        with later calls: do not change it)."""
        file = self._manifest_file(target)
        try:
            if file is None:
                return Manifest({}, set())
            known = self._known(file)
            if isinstance(known, Manifest):
                return known
            warned, files, inputs, others, warnings, count, unlike = marshal.loads(
                file.read_bytes())
            manifest = Manifest({path: Stamp(*entry) for path, entry in files.items()},
                                set(warned), inputs,
                                {path: Stamp(*entry) for path, entry in others.items()},
                                [tuple(problem) for problem in warnings], count,
                                None if unlike is None else set(unlike))
            self._remember(file, manifest)
            return manifest
        except (OSError, ValueError, TypeError, EOFError, AttributeError):
            return Manifest({}, set())

    def save_manifest(self, target: Path, manifest: Manifest) -> None:
        file = self._manifest_file(target)
        if file is None:
            return
        unlike = manifest.unlike_previous
        data = (sorted(manifest.warned),
                {path: tuple(stamp) for path, stamp in manifest.stamps.items()},
                manifest.inputs, {path: tuple(stamp) for path, stamp in manifest.others.items()},
                manifest.warnings, manifest.count, None if unlike is None else sorted(unlike))
        _replace(file, marshal.dumps(data))
        self._remember(file, manifest)

    def move_manifest(self, source: Path, target: Path) -> None:
        """The manifest of ``source`` is now that of ``target`` (its files moved there)."""
        old, new = self._manifest_file(source), self._manifest_file(target)
        if old is None or new is None:
            return
        try:
            os.replace(old, new)
        except OSError:
            new.unlink(missing_ok=True)
        moved = self.known.pop(old, None)
        if moved is not None:
            self.known[new] = moved

    def _known(self, file: Path) -> Any:
        """What was read from or written to ``file`` before, if it is still that file."""
        entry = self.known.get(file)
        if entry is not None:
            try:
                status = os.stat(file)
            except OSError:
                return None
            if (status.st_ino, status.st_size, status.st_mtime_ns) == entry[0]:
                return entry[1]
        return None

    def _remember(self, file: Path, value: Any) -> None:
        try:
            status = os.stat(file)
        except OSError:
            self.known.pop(file, None)
            return
        self.known[file] = ((status.st_ino, status.st_size, status.st_mtime_ns), value)

    def edit_index(self, target: Path) -> Any:
        """What :meth:`save_edit_index` kept for ``target`` with this engine, or None."""
        file = self._manifest_file(target, ".edits")
        try:
            if file is not None:
                known = self._known(file)
                if known is not None:
                    return known
                made_by, where, value = marshal.loads(file.read_bytes())
                if made_by == engine() and where == str(target.absolute()):
                    self._remember(file, value)
                    return value
        except (OSError, ValueError, TypeError, EOFError):
            pass
        return None

    def save_edit_index(self, target: Path, value: Any) -> None:
        """Keep what a build that only edits texts needs (see :mod:`verbund.edits`)."""
        file = self._manifest_file(target, ".edits")
        if file is not None:
            _replace(file, marshal.dumps((engine(), str(target.absolute()), value)))
            self._remember(file, value)

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def _state_part(item: str) -> int:
    return zlib.crc32(item.encode()) % STATE_PARTS


def _replace(file: Path, data: bytes) -> None:
    """Write ``file`` all at once; if that fails, there is none (never half of one)."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=file.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temp, file)
        except OSError:
            os.unlink(temp)
            raise
    except OSError:
        file.unlink(missing_ok=True)
