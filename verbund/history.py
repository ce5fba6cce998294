"""When each content file was added and last changed, from the site's git history.

Calendars and feeds tell subscribers what changed: ``CREATED``, ``LAST-MODIFIED``,
``DTSTAMP`` and ``SEQUENCE`` in iCalendar, ``published`` and ``updated`` in Atom,
``date_published`` and ``date_modified`` in JSON Feed, ``REV`` in vCards (the
last change of a member's fields, not of its text). They come from the commits
that touched each file (as the main line saw them: a merge counts when it was
merged), so every build of one commit writes the same bytes whatever the clock
of the machine says. A file that differs from the last commit counts as changed
at its modification time; a site outside git has the files' modification times
and no revisions.

An event's sequence counts the commits that changed its schedule: its start,
end, format, place, online access or status (:data:`SCHEDULE`). Each version is
read once; what matters of a version is kept in the cache by its git object id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import os
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .cache import Cache, key
from .load import split_front_matter
from .messages import msg
from .problems import Problem
from .yamlsource import YamlError, read_yaml

SCHEDULE = ("start", "end", "format", "location", "online", "status")
"""The fields of an event whose change a calendar app must be told of."""

GIT_SECONDS = 300
"""How long one git command may take before the history is left out (with a
note: the stamps then come from the files' times)."""


@dataclass(frozen=True)
class FileHistory:
    """What the history says about one content file."""

    created: dt.datetime
    """The commit that added it (UTC), or its modification time."""
    changed: dt.datetime
    """The last commit that changed it (UTC), or its modification time."""
    sequence: int = 0
    """How many later versions changed an event's schedule (see :data:`SCHEDULE`)."""
    revised: dt.datetime | None = None
    """The last commit that changed its fields (the front matter), or the
    modification time if they differ from the last commit; None outside git."""

    def fingerprint(self) -> str:
        return f"{self.created} {self.changed} {self.sequence} {self.revised}"


UNKNOWN_HISTORY = FileHistory(
    dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
)
"""The history of a file that has none."""


@dataclass
class History:
    """The history of a site's content files, by site-relative path."""

    files: dict[str, FileHistory]
    notes: list[Problem] = field(default_factory=list)
    """Why the history is incomplete, if it is (a shallow clone, git failing)."""


def head(site_root: Path) -> str:
    """The commit the site's folder is at (``none`` outside git): a build whose
    files are unchanged still tells subscribers something new after a commit."""
    found = _git(site_root, "rev-parse", "HEAD", "--is-shallow-repository")
    return " ".join(found.split()) if isinstance(found, str) else "none"


def read_history(
    site_root: Path,
    paths: Iterable[str],
    cache: Cache | None = None,
    modified: Mapping[str, int] | None = None,
) -> History:
    """The history of each of ``paths`` (relative to ``site_root``); ``modified``
    has the modification times (ns) of those already looked at."""
    paths = sorted(paths)
    modified = modified or {}

    def fallback(rel: str) -> FileHistory:
        return _file_times(site_root / rel, modified.get(rel))

    def everything_from_file_times() -> dict[str, FileHistory]:
        return {rel: fallback(rel) for rel in paths}

    if not paths:
        return History(everything_from_file_times())
    found = _git(site_root, "rev-parse", "--show-toplevel", "--is-shallow-repository", "HEAD")
    if not isinstance(found, str):
        return History(everything_from_file_times(), _notes(found))
    top_line, shallow, _ = (found.splitlines() + ["", "", ""])[:3]
    top = Path(top_line)
    prefix = _prefix(site_root, top)
    if prefix is None:
        return History(everything_from_file_times())
    folders = sorted({f"{prefix}{rel.rpartition('/')[0]}" for rel in paths})
    options: tuple[str, ...] = ("-c", "core.quotePath=false", "--literal-pathspecs")
    log = _log(top, found, options, folders)
    if not isinstance(log, str):
        return History(everything_from_file_times(), _notes(log))
    dirty = _git(top, *options, "diff", "--name-only", "-z", "HEAD", "--", *folders)
    if not isinstance(dirty, str):
        return History(everything_from_file_times(), _notes(dirty))
    committed = _committed(top, log, found, prefix, paths, cache)
    if isinstance(committed, _Failed):
        return History(everything_from_file_times(), _notes(committed))
    versions, read, histories = committed
    changed_now = {name.removeprefix(prefix) for name in dirty.split("\0") if name}
    files: dict[str, FileHistory] = {}
    for rel in paths:
        kept = versions.get(rel)
        if not kept:
            files[rel] = fallback(rel)
        elif rel in changed_now:  # not committed yet: as the file is now
            event = _is_event(rel)
            steps = [(float(when), read[blob, event]) for when, blob in kept]
            steps.append(
                (fallback(rel).changed.timestamp(), _parts_of_file(site_root / rel, event))
            )
            files[rel] = _history_of(steps, event)
        else:
            files[rel] = histories[rel]
    notes = []
    if shallow.strip() == "true":
        notes.append(
            Problem(
                ".git",
                message=msg(
                    "the git history is shallow: calendars and feeds cannot tell when "
                    "an event changed"
                ),
                hint=msg("fetch the whole history: actions/checkout with fetch-depth: 0"),
                severity="note",
            )
        )
    return History(files, notes)


_LOGS: dict[tuple[str, ...], str] = {}
"""The last log read in this process, by repository, commit and folders: the
preview reads the history on every rebuild, and between commits it is the same
(except in a shallow clone, which is never kept)."""


def _log(
    top: Path, commit: str, options: tuple[str, ...], folders: list[str]
) -> str | _Failed | None:
    """The main line's changes to ``folders`` (see :func:`_versions`) as of
    ``commit`` (what ``git rev-parse`` said of the repository)."""
    wanted = (str(top), commit, *folders)
    if wanted in _LOGS:
        return _LOGS[wanted]
    log = _git(
        top,
        *options,
        "log",
        "--first-parent",
        "-m",
        "--no-renames",
        "--raw",
        "--no-abbrev",
        "--format=@%ct",
        "--",
        *folders,
    )
    if isinstance(log, str) and "true" not in commit.split():  # a shallow clone may deepen
        _LOGS.clear()
        _LOGS[wanted] = log
    return log


Committed = tuple[
    dict[str, list[tuple[int, str]]], dict["Version", tuple[str, str]], dict[str, FileHistory]
]
"""Each file's versions, the parts of each version and each file's history as committed."""

_COMMITTED: dict[tuple[str, ...], Committed] = {}
"""The last history as committed, by repository, commit and files (never of a
shallow clone): between commits the preview needs only that of the files
changed since (see :data:`_LOGS`)."""


def _committed(
    top: Path, log: str, commit: str, prefix: str, paths: list[str], cache: Cache | None
) -> Committed | _Failed:
    """The history of ``paths`` as ``log`` has it, up to ``commit``."""
    wanted = (str(top), commit, prefix, *paths)
    if wanted in _COMMITTED:
        return _COMMITTED[wanted]
    versions = _versions(log, {prefix + rel: rel for rel in paths})
    read = _parts(
        top,
        {(blob, _is_event(rel)) for rel, kept in versions.items() for _, blob in kept},
        cache,
    )
    if isinstance(read, _Failed):
        return read
    histories = {
        rel: _history_of(
            [(float(when), read[blob, _is_event(rel)]) for when, blob in kept], _is_event(rel)
        )
        for rel, kept in versions.items()
        if kept
    }
    committed = (versions, read, histories)
    if "true" not in commit.split():  # a shallow clone may deepen
        _COMMITTED.clear()
        _COMMITTED[wanted] = committed
    return committed


def _history_of(steps: list[tuple[float, tuple[str, str]]], event: bool) -> FileHistory:
    """A file's history from its versions, oldest first: when each was made
    and the fingerprints of its fields and schedule (see :func:`parts`)."""
    revised = steps[0][0]
    sequence = 0
    for (_, before), (when, now) in zip(steps, steps[1:], strict=False):
        if now[0] != before[0]:
            revised = when
        if event and now[1] != before[1]:
            sequence += 1
    return FileHistory(
        _utc(steps[0][0]),
        _utc(max(when for when, _ in steps)),
        sequence,
        _utc(revised),
    )


@dataclass
class _Failed:
    reason: str


def _notes(failed: _Failed | None) -> list[Problem]:
    if failed is None:
        return []
    return [
        Problem(
            ".git",
            message=msg("git cannot read the history: {reason}", reason=failed.reason),
            hint=msg("calendars and feeds take the files' modification times instead"),
            severity="note",
        )
    ]


def _git(folder: Path, *args: str) -> str | _Failed | None:
    """git's output in ``folder``; None outside a repository (or one without a
    commit) or without git, :class:`_Failed` when git is there but fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            timeout=GIT_SECONDS,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        return None
    except (OSError, subprocess.TimeoutExpired) as error:
        return _Failed(str(error))
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        if "not a git repository" in message or "unknown revision" in message:
            return None
        return _Failed(message.splitlines()[0] if message else f"git {args[0]} failed")
    return done.stdout.decode("utf-8", "surrogateescape")


def _prefix(site_root: Path, top: Path) -> str | None:
    """Where the site's folder is inside the repository (``""`` or ``sites/x/``)."""
    try:
        rel = site_root.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel + "/"


def _versions(log: str, wanted: Mapping[str, str]) -> dict[str, list[tuple[int, str]]]:
    """Each wanted file's versions on the main line, oldest first: the commit
    time and the object id. A deletion ends what is known of a file (an older
    file of the same name is another one)."""
    newest_first: dict[str, list[tuple[int, str]]] = {}
    ended: set[str] = set()
    when = 0
    for line in log.splitlines():
        if line.startswith("@"):
            when = int(line[1:])
        elif line.startswith(":"):
            meta, _, name = line.partition("\t")
            rel = wanted.get(name)
            if rel is None or rel in ended:
                continue
            parts = meta.split()
            if len(parts) < 5:
                continue
            if parts[4].startswith("D"):
                ended.add(rel)
                continue
            found = newest_first.setdefault(rel, [])
            if not found or found[-1] != (when, parts[3]):
                found.append((when, parts[3]))
            if parts[4].startswith("A"):
                ended.add(rel)
    return {rel: found[::-1] for rel, found in newest_first.items()}


UNREADABLE = ("unreadable", "unreadable")

Version = tuple[str, bool]
"""A file's version: its git object id, and whether it is an event's."""


def _parts(
    top: Path, versions: set[Version], cache: Cache | None
) -> dict[Version, tuple[str, str]] | _Failed:
    """The fingerprints of the fields and schedule of each version (see :func:`parts`),
    read once and kept in the cache by object id."""
    keys = {version: key("history parts", *map(str, version)) for version in versions}
    kept = cache.get("history", list(keys.values())) if cache is not None else {}
    found: dict[Version, tuple[str, str]] = {}
    for version, name in keys.items():
        value = kept.get(name)
        if isinstance(value, str) and value.count(" ") == 1:
            fields, schedule = value.split(" ")
            found[version] = (fields, schedule)
    wanted = sorted(versions - found.keys())
    if wanted:
        read = _read_parts(top, wanted)
        if isinstance(read, _Failed):
            return read  # nothing is kept: the next build tries again
        found.update(read)
        if cache is not None:
            cache.put("history", {keys[version]: " ".join(read[version]) for version in wanted})
    if cache is not None:
        cache.prune("history", len(keys), lambda: list(keys.values()))
    return found


def _read_parts(top: Path, versions: list[Version]) -> dict[Version, tuple[str, str]] | _Failed:
    try:
        done = subprocess.run(
            ["git", "-C", str(top), "cat-file", "--batch"],
            input="".join(f"{blob}\n" for blob, _ in versions).encode(),
            capture_output=True,
            timeout=GIT_SECONDS,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return _Failed(str(error))
    out, position = done.stdout, 0
    found: dict[Version, tuple[str, str]] = {}
    for version in versions:
        end = out.find(b"\n", position)
        header = out[position:end].split() if end >= 0 else []
        if len(header) != 3 or header[1] != b"blob":
            return _Failed(f"git cat-file could not read {version[0]}")
        position = end + 1
        size = int(header[2])
        found[version] = parts(out[position : position + size], version[1])
        position += size + 1
    return found


def parts(data: bytes, event: bool = True) -> tuple[str, str]:
    """Fingerprints of a content file's fields (its front matter) and, for an
    event, of its schedule (see :data:`SCHEDULE`), as written in ``data``."""
    front = split_front_matter(data.decode("utf-8", "replace"))
    if front is None:
        return UNREADABLE
    fields = hashlib.blake2b(front[0].encode(), digest_size=12).hexdigest()
    if not event:
        return fields, "-"
    try:
        values = read_yaml(front[0], positions=False)[0]
    except YamlError:
        values = None
    if not isinstance(values, dict):
        return fields, "unreadable"
    chosen = [repr(values.get(name)) for name in SCHEDULE]
    return fields, hashlib.blake2b(marshal.dumps(chosen), digest_size=12).hexdigest()


def _parts_of_file(file: Path, event: bool) -> tuple[str, str]:
    try:
        return parts(file.read_bytes(), event)
    except OSError:
        return UNREADABLE


def _file_times(file: Path, modified_ns: int | None) -> FileHistory:
    """A file outside the history: its modification time for both."""
    if modified_ns is None:
        try:
            modified_ns = file.stat().st_mtime_ns
        except OSError:
            modified_ns = 0
    when = _utc(modified_ns // 1_000_000_000)
    return FileHistory(when, when)


def _utc(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC)


def _is_event(rel: str) -> bool:
    return rel.startswith("content/events/")
