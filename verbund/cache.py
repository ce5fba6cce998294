"""The build cache in ``.cache/``: what earlier builds made, kept by content.

A SQLite file holds parsed and validated content files, the HTML of Markdown bodies, the
calendar entries of events and the links of rendered pages, each under a hash
of everything that shapes it, this engine included (:func:`engine`). A state
file per stage holds what that stage made of the site's files the last time (the
load stage: each file's size, times and parsed document, so that an unchanged
file is not even read), read in one piece instead of thousands of lookups.
A manifest per output folder records the key each of its files was made from,
so that the next build keeps a file whose key has not changed instead of making
it again; its stamps are kept in parts (``stamps/``, shared by manifests, named
by their content), so that an edit reads and writes a few of them. A cache that
cannot be read is set aside and
rebuilt, never trusted; a manifest is believed only for files that still are
exactly what the build wrote (same inode, size and modification time). Rows that
the site no longer uses (old versions of edited files, a changed engine) are
forgotten once a table holds more than twice what the site needs
(:meth:`Cache.prune`), so the cache does not grow with every edit.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import marshal
import os
import sqlite3
import sys
import tempfile
import time
import zlib
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from . import __version__
from .dependencies import Dependencies, Memo

TABLES = ("load", "valid", "body", "links", "vevent", "rows", "history", "page")
_PACKAGE = Path(__file__).resolve().parent
STATE_PARTS = 16
"""A stage's state is kept in this many files, so that a changed content file
costs writing a sixteenth of it."""
STAMPS_PER_PART = 1024
"""About how many files' stamps a part of a manifest holds (see :class:`Stamps`)."""
_HEAD = b"verbund manifest 3\n"
PARTS_KEPT_S = 600
"""How long a part no manifest refers to is kept."""
_LIBRARIES = (
    "markdown",
    "nh3",
    "jinja2",
    "icalendar",
    "babel",
    "pillow",
    "pydantic",
    "pyyaml",
    "xlsxwriter",
)
SPARE_ROWS = 1000
"""Rows a table may hold beyond twice those in use before the others are forgotten."""


@functools.cache
def engine() -> str:
    """A hash of this engine's code and of the libraries that shape its output.

    Part of every key, so that a changed engine (even between releases, while
    developing) never serves what an older one made.
    """
    digest = hashlib.sha256(f"verbund {__version__}\npython {sys.version}\n".encode())
    for name in _LIBRARIES:
        digest.update(f"{name} {version(name)}\n".encode())
    digest.update(f"zones {_zone_rules()}\n".encode())
    for file in sorted(_PACKAGE.glob("*.py")):
        digest.update(file.name.encode() + b"\n" + file.read_bytes())
    return digest.hexdigest()


def _zone_rules() -> str:
    """Which time zone rules this machine has (event times and calendars follow them)."""
    for folder in zoneinfo.TZPATH:
        try:
            with open(Path(folder) / "tzdata.zi", encoding="utf-8") as rules:
                return rules.readline().strip()
        except OSError:
            continue
    try:
        return "tzdata " + version("tzdata")
    except PackageNotFoundError:
        return "unknown"


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
            self.inode,
            self.size,
            self.mtime_ns,
        )


class ManifestUnreadable(Exception):
    """A part of a manifest read when asked for has gone or cannot be read."""


class _Parts:
    """The files a manifest's stamps are kept in, each read when first asked for.

    A file's stamp is in part ``crc32(path) % len(names)``; each part holds the
    stamps of made files and of copies (see :attr:`Manifest.others`).
    """

    def __init__(
        self,
        folder: Path,
        names: list[str],
        loaded: dict[int, tuple[dict[str, Stamp], dict[str, Stamp]]] | None = None,
    ):
        self.folder, self.names, self.loaded = folder, names, loaded or {}

    def number(self, path: str) -> int:
        return zlib.crc32(path.encode()) % len(self.names)

    def part(self, number: int) -> tuple[dict[str, Stamp], dict[str, Stamp]]:
        found = self.loaded.get(number)
        if found is None:
            try:
                made, copies = marshal.loads((self.folder / self.names[number]).read_bytes())
                found = (
                    {path: Stamp(*entry) for path, entry in made.items()},
                    {path: Stamp(*entry) for path, entry in copies.items()},
                )
            except (OSError, ValueError, TypeError, EOFError, AttributeError) as error:
                raise ManifestUnreadable(self.names[number]) from error
            self.loaded[number] = found
        return found


class Stamps(Mapping[str, Stamp]):
    """The stamps of a manifest's files (or copies), read part by part as they
    are looked up: an edit looks up a few of hundreds of thousands.

    Raises :class:`ManifestUnreadable` when a part cannot be read.
    """

    def __init__(self, parts: _Parts, side: int, changes: Mapping[str, Stamp] | None = None):
        self.parts, self.side, self.changes = parts, side, dict(changes or {})

    def __getitem__(self, path: str) -> Stamp:
        if path in self.changes:
            return self.changes[path]
        return self.parts.part(self.parts.number(path))[self.side][path]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and (
            path in self.changes or path in self.parts.part(self.parts.number(path))[self.side]
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())

    def whole(self) -> dict[str, Stamp]:
        """Every stamp (every part read)."""
        found: dict[str, Stamp] = {}
        for number in range(len(self.parts.names)):
            found.update(self.parts.part(number)[self.side])
        found.update(self.changes)
        return found

    def updated(self, changes: Mapping[str, Stamp]) -> Stamps:
        """These stamps with ``changes`` (new or other stamps of some files)."""
        return Stamps(self.parts, self.side, {**self.changes, **changes})


@dataclass
class Manifest:
    """The files of an output folder as one build wrote them."""

    stamps: Mapping[str, Stamp]
    warned: set[str]
    """Pages whose links had problems (reported again while the page is kept)."""
    others: Mapping[str, Stamp] = field(default_factory=dict)
    """The files not made from a key of their own (copies, the search index)."""
    warnings: list[tuple] = field(default_factory=list)
    """The problems the build reported, as tuples of their fields."""
    count: int = 0
    """The files the build reported (made, kept and copied)."""
    unlike_previous: set[str] | None = None
    """The files (made or copied) in which the previous output kept beside this
    one (see :func:`verbund.write.previous_output`) differs from it: other, missing
    or extra there. None if none is kept."""
    folders: Mapping[str, tuple[int, int]] | None = None
    """The inode and modification time of each folder of the output (``""`` for
    itself) once it held just these files; None if unknown (see
    :func:`verbund.write.folder_stamps`)."""


class Cache:
    """Everything kept between builds of one site; ``Cache(None)`` keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.db: sqlite3.Connection | None = None
        self.known: dict[Path, tuple[tuple[int, int, int], Any]] = {}
        """Manifests and indexes read or written by this object, by file, with the
        file's status then: a process that builds again and again (``serve``)
        reads them once."""
        self.models: dict[str, Any] = {}
        """Validated models recalled by this object, by their key (a hash of the
        file's text and what it was checked with): ``serve`` recalls each once."""
        if folder is None:
            return
        path = folder / "cache.sqlite"
        for attempt in (1, 2):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(path)
                # Space freed by forgetting rows can be given back (takes effect
                # only in a new file).
                self.db.execute("PRAGMA auto_vacuum=INCREMENTAL")
                # No flush to disk on every commit (a flush also waits for the
                # thousands of files a build has just created); a crash loses
                # the last rows at most, never the database.
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                for table in TABLES:
                    self.db.execute(
                        f"CREATE TABLE IF NOT EXISTS {table} "
                        "(key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                    )
                    self.db.execute(f"SELECT key FROM {table} LIMIT 1").fetchone()
                return
            except (sqlite3.DatabaseError, OSError):
                if self.db is not None:
                    self.db.close()
                self.db = None
                if attempt == 1:  # corrupt or foreign: start afresh
                    for file in (
                        path,
                        path.with_name(path.name + "-wal"),
                        path.with_name(path.name + "-shm"),
                    ):
                        file.unlink(missing_ok=True)

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
                chunk = keys[start : start + 500]
                found += self.db.execute(
                    f"SELECT {columns} FROM {table} WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
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
                self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", items.items())
        except sqlite3.DatabaseError:
            return False  # the next build makes these again
        return True

    def prune(self, table: str, in_use: int, keys: Callable[[], Iterable[str]]) -> int:
        """Forget the rows of ``table`` but ``keys`` once it holds more than twice
        the ``in_use`` rows the site needs (and :data:`SPARE_ROWS`); returns how
        many were forgotten.

        ``keys`` are asked for only then. Between prunings the rows of the
        versions edited since are kept, so going back to one of them is quick.
        """
        if self.db is None:
            return 0
        try:
            # Rows are numbered as they come, so the highest number bounds how many
            # there are: counting them (a pass over the table) is seldom needed.
            (highest,) = self.db.execute(f"SELECT max(rowid) FROM {table}").fetchone()
            if (highest or 0) <= 2 * in_use + SPARE_ROWS:
                return 0
            (rows,) = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()
            if rows <= 2 * in_use + SPARE_ROWS:
                return 0
            with self.db:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                self.db.execute("DELETE FROM temp.used")
                self.db.executemany(
                    "INSERT OR IGNORE INTO temp.used VALUES (?)", ((item,) for item in keys())
                )
                forgotten = self.db.execute(
                    f"DELETE FROM {table} WHERE key NOT IN (SELECT key FROM temp.used)"
                ).rowcount
                self.db.execute("DELETE FROM temp.used")
            # As a script: a statement steps once, and this one frees a page per step.
            self.db.executescript("PRAGMA incremental_vacuum;")
        except sqlite3.DatabaseError:
            return 0  # tried again by the next build
        return forgotten

    def memo(self, table: str, fingerprints: Mapping[str, str]) -> Memo:
        """Values derived from the site, kept in ``table`` with the inputs they
        read (see :class:`~verbund.dependencies.Memo`)."""
        if self.db is None:
            return Memo(fingerprints)
        return Memo(
            fingerprints, lambda names: self.get(table, names), lambda items: self.put(table, items)
        )

    def state(self, name: str) -> dict[str, Any]:
        """What :meth:`save_state` kept under ``name`` with this engine (parts
        that cannot be read are left out)."""
        found: dict[str, Any] = {}
        for part in range(STATE_PARTS) if self.folder is not None else ():
            file = self._state_file(name, part)
            value = self._known(file)  # a preview reads each part once
            if not isinstance(value, dict):
                try:
                    made_by, value = marshal.loads(file.read_bytes())
                except (OSError, ValueError, TypeError, EOFError):
                    continue
                if made_by != engine() or not isinstance(value, dict):
                    continue
                self._remember(file, value)
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
            file = self._state_file(name, part)
            if _replace(file, marshal.dumps((engine(), parts[part]))):
                self._remember(file, parts[part])

    def _state_file(self, name: str, part: int) -> Path:
        assert self.folder is not None
        return self.folder / "state" / f"{name}.{part}"

    def _manifest_file(self, target: Path, suffix: str = ".manifest") -> Path | None:
        if self.folder is None:
            return None
        name = hashlib.sha256(str(target.absolute()).encode()).hexdigest()[:24]
        return self.folder / "outputs" / f"{name}{suffix}"

    def manifest(self, target: Path, whole: bool = True) -> Manifest:
        """What the last build wrote into ``target``; empty if unknown or unreadable.

        With ``whole=False`` its stamps are :class:`Stamps` read part by part as
        they are looked up (shared with later calls: do not change them).
        """
        file = self._manifest_file(target)
        if file is None:
            return Manifest({}, set())
        try:
            manifest = self._known(file)
            if not isinstance(manifest, Manifest):
                with open(file, "rb") as handle:
                    names = _part_names(handle)
                    warned, warnings, count, unlike, folders = marshal.loads(handle.read())
                parts = _Parts(self._parts_folder(), names)
                manifest = Manifest(
                    Stamps(parts, 0),
                    set(warned),
                    Stamps(parts, 1),
                    [tuple(problem) for problem in warnings],
                    count,
                    None if unlike is None else set(unlike),
                    None if folders is None else {name: tuple(f) for name, f in folders.items()},
                )
                self._remember(file, manifest)
            if whole:
                assert isinstance(manifest.stamps, Stamps) and isinstance(manifest.others, Stamps)
                return dataclasses.replace(
                    manifest, stamps=manifest.stamps.whole(), others=manifest.others.whole()
                )
            return manifest
        except (OSError, ValueError, TypeError, EOFError, AttributeError, ManifestUnreadable):
            return Manifest({}, set())

    def save_manifest(self, target: Path, manifest: Manifest) -> None:
        """Keep ``manifest`` as that of ``target``. Its stamps are kept in parts;
        where they are :class:`Stamps` of this cache with some changes, only the
        parts holding a changed file are written again."""
        file = self._manifest_file(target)
        if file is None:
            return
        made, copies = manifest.stamps, manifest.others
        base = (
            made.parts
            if (
                isinstance(made, Stamps)
                and isinstance(copies, Stamps)
                and made.parts is copies.parts
            )
            else None
        )
        try:
            if base is not None:
                assert isinstance(made, Stamps) and isinstance(copies, Stamps)
                count, names = len(base.names), list(base.names)
                changed = {base.number(path) for path in [*made.changes, *copies.changes]}
                loaded = {
                    number: part for number, part in base.loaded.items() if number not in changed
                }
                for number in changed:
                    old = base.part(number)
                    loaded[number] = (dict(old[0]), dict(old[1]))
                for side, stamps in enumerate((made.changes, copies.changes)):
                    for path, stamp in stamps.items():
                        loaded[base.number(path)][side][path] = stamp
            else:
                count = _part_count(len(made) + len(copies))
                names, changed = [""] * count, set(range(count))
                loaded = {number: ({}, {}) for number in changed}
                for side, side_stamps in enumerate((made, copies)):
                    for path, stamp in side_stamps.items():
                        loaded[zlib.crc32(path.encode()) % count][side][path] = stamp
        except ManifestUnreadable:
            file.unlink(missing_ok=True)
            return
        folder = self._parts_folder()
        written = False
        for number in sorted(changed):
            data = marshal.dumps(
                tuple(
                    {path: tuple(stamp) for path, stamp in stamps.items()}
                    for stamps in loaded[number]
                )
            )
            names[number] = hashlib.sha256(data).hexdigest()[:32]
            try:
                os.utime(folder / names[number])  # the same part as before: kept
            except OSError:
                if not _replace(folder / names[number], data):
                    file.unlink(missing_ok=True)
                    return
                written = True
        unlike = manifest.unlike_previous
        listed = marshal.dumps(names)
        _replace(
            file,
            _HEAD
            + len(listed).to_bytes(8, "little")
            + listed
            + marshal.dumps(
                (
                    sorted(manifest.warned),
                    manifest.warnings,
                    manifest.count,
                    None if unlike is None else sorted(unlike),
                    None if manifest.folders is None else dict(manifest.folders),
                )
            ),
        )
        parts = _Parts(folder, names, loaded)
        self._remember(
            file, dataclasses.replace(manifest, stamps=Stamps(parts, 0), others=Stamps(parts, 1))
        )
        if written:
            self._forget_parts()

    def _parts_folder(self) -> Path:
        assert self.folder is not None
        return self.folder / "stamps"

    def _forget_parts(self) -> None:
        """Delete the parts no manifest refers to, but those written in the last
        minutes (another build may be about to refer to them)."""
        assert self.folder is not None
        referred: set[str] = set()
        for head in (self.folder / "outputs").glob("*.manifest"):
            try:
                with open(head, "rb") as handle:
                    referred.update(_part_names(handle))
            except (OSError, ValueError, TypeError, EOFError):
                continue
        before = time.time() - PARTS_KEPT_S
        try:
            for entry in os.scandir(self._parts_folder()):
                if entry.name not in referred and entry.stat().st_mtime < before:
                    os.unlink(entry.path)
        except OSError:
            pass  # left for the next build

    def _known(self, file: Path) -> Any:
        """What was read from or written to ``file`` before, if it is still that file."""
        entry = self.known.get(file)
        if entry is not None:
            try:
                status = os.stat(file)
            except OSError:
                return None
            if _identity(status) == entry[0]:
                return entry[1]
        return None

    def _remember(self, file: Path, value: Any) -> None:
        try:
            status = os.stat(file)
        except OSError:
            self.known.pop(file, None)
            return
        self.known[file] = (_identity(status), value)

    def dependencies(self, target: Path) -> Dependencies:
        """What each file the last build wrote into ``target`` read (see
        :mod:`verbund.dependencies`); empty if unknown, unreadable or made by
        another engine."""
        file = self._manifest_file(target, ".dependencies")
        if file is None:
            return Dependencies()
        try:
            found = self._known(file)
            if not isinstance(found, Dependencies):
                made_by, where, data = marshal.loads(file.read_bytes())
                if made_by != engine() or where != str(target.absolute()):
                    return Dependencies()
                found = Dependencies.from_bytes(data)
                self._remember(file, found)
            return found
        except (OSError, ValueError, TypeError, EOFError):
            return Dependencies()

    def save_dependencies(self, target: Path, dependencies: Dependencies) -> None:
        """Keep ``dependencies`` as those of the files in ``target``."""
        file = self._manifest_file(target, ".dependencies")
        if file is not None and _replace(
            file, marshal.dumps((engine(), str(target.absolute()), dependencies.to_bytes()))
        ):
            self._remember(file, dependencies)

    def last_build(self, target: Path) -> Any:
        """What :meth:`save_last_build` kept for ``target``; None if nothing, if
        it cannot be read or if another engine kept it."""
        file = self._manifest_file(target, ".build")
        if file is None:
            return None
        try:
            made_by, where, value = marshal.loads(file.read_bytes())
        except (OSError, ValueError, TypeError, EOFError):
            return None
        return value if made_by == engine() and where == str(target.absolute()) else None

    def save_last_build(self, target: Path, value: Any) -> None:
        """Keep ``value`` (anything :mod:`marshal` can keep) as what the last
        build into ``target`` was made from."""
        file = self._manifest_file(target, ".build")
        if file is not None:
            _replace(file, marshal.dumps((engine(), str(target.absolute()), value)))

    def close(self) -> None:
        if self.db is not None:
            self.db.close()


def _state_part(item: str) -> int:
    return zlib.crc32(item.encode()) % STATE_PARTS


def _part_names(handle: BinaryIO) -> list[str]:
    """The parts a manifest's stamps are kept in, read from the start of its file."""
    start = handle.read(len(_HEAD) + 8)
    if len(start) != len(_HEAD) + 8 or not start.startswith(_HEAD):
        raise ValueError("not a manifest")
    names = marshal.loads(handle.read(int.from_bytes(start[len(_HEAD) :], "little")))
    if not isinstance(names, list) or not names or not all(isinstance(name, str) for name in names):
        raise ValueError("not a manifest")
    return names


def _identity(status: os.stat_result) -> tuple[int, int, int]:
    """What tells a file from the one it replaced (or one changed in place)."""
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def _part_count(files: int) -> int:
    """In how many parts the stamps of ``files`` files are kept."""
    count = 1
    while count * STAMPS_PER_PART < files:
        count *= 2
    return count


def _replace(file: Path, data: bytes) -> bool:
    """Write ``file`` all at once; if that fails, there is none (never half of
    one) and False is returned."""
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
        return False
    return True
