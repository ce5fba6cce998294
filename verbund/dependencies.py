"""What each output file reads of the site, recorded while it is made.

The nodes of the site graph (:mod:`verbund.site`) are :class:`Tracked`: reading
one of their attributes while a file is being made records an *input*, named
by the node and the part of it that was read (``content/members/x.md#fields``,
``branchen/logistik/#members``, ``site#today``). Templates (``template:NAME``),
files read directly (``file:PATH``) and rendered bodies (``…#text``) are
recorded the same way. Every input has a *fingerprint*, a short text that
changes when its value does (:meth:`Tracked.fingerprints`).

A build keeps what each file read and the fingerprints of the time
(:class:`Dependencies`); the next build compares them with the fingerprints of
the new site graph and makes again exactly the files that read an input whose
fingerprint has changed. Nobody writes keys by hand: whatever a template or the
code reads is what a file depends on.

Values derived from the site and kept between builds (a member's rows of the
exports, an event's calendar entry) are recorded alike (:class:`Memo`): one is
made again when an input it read has changed, and a file that uses it depends
on what it read.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

_recording: list[set[str]] = []
"""The inputs read by what is being made now, innermost last."""

SITE_SETTINGS = "site#settings"
"""``site.yaml`` and the build's own settings: every file reads them."""


def record(name: str) -> None:
    """Note that what is being made read the input ``name``."""
    if _recording:
        _recording[-1].add(name)


def record_all(names: Iterable[str]) -> None:
    """Note that what is being made read all of ``names``."""
    if _recording:
        _recording[-1].update(names)


@contextmanager
def recording(nested: bool = True) -> Iterator[set[str]]:
    """Record the inputs read inside the block into the set it yields.

    Blocks nest: what an inner block read, the outer one read too (unless
    ``nested`` is false: then the caller records what it should).
    """
    reads: set[str] = set()
    _recording.append(reads)
    try:
        yield reads
    finally:
        _recording.pop()
        if _recording and nested:
            _recording[-1].update(reads)


def digest(*parts: str) -> str:
    """A short hash of ``parts``, for fingerprints."""
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=12).hexdigest()


class Tracked:
    """A node of the site graph whose attributes are inputs when read.

    :attr:`INPUTS` maps each data attribute to the part of the node it belongs
    to; once the class is made a dataclass, :func:`tracked` puts an
    :class:`Input` in place of each, and reading it records the input
    ``"{node}#{part}"``, where ``node`` is :meth:`node_name`. Methods and
    properties record what they read themselves. :meth:`fingerprints` gives a
    fingerprint for every part.
    """

    INPUTS: ClassVar[dict[str, str]] = {}

    def node_name(self) -> str:
        """What names this node in its inputs, the same in every build (read
        from ``__dict__``: reading it records nothing)."""
        raise NotImplementedError

    def fingerprints(self) -> dict[str, str]:
        """A fingerprint of each part of this node, by input name."""
        raise NotImplementedError


class Input:
    """An attribute of a :class:`Tracked` node: reading it while something is
    being made records the input it belongs to. The value is kept in the
    node's ``__dict__``."""

    __slots__ = ("attribute", "part")

    def __init__(self, attribute: str, part: str):
        self.attribute, self.part = attribute, part

    def __get__(self, node: Tracked | None, owner: type | None = None) -> Any:
        if node is None:
            return self
        values = node.__dict__
        if _recording:
            names = values.get("_inputs")
            if names is None:
                names = values["_inputs"] = {}
            name = names.get(self.part)
            if name is None:
                name = names[self.part] = f"{node.node_name()}#{self.part}"
            _recording[-1].add(name)
        return values[self.attribute]

    def __set__(self, node: Tracked, value: Any) -> None:
        node.__dict__[self.attribute] = value


T = TypeVar("T", bound=type[Tracked])


def tracked(cls: T) -> T:
    """Make the :attr:`~Tracked.INPUTS` of a dataclass record their reads (put
    above ``@dataclass``, which must see the plain attributes first)."""
    for attribute, part in cls.INPUTS.items():
        setattr(cls, attribute, Input(attribute, part))
    return cls


_HASHED: dict[str, tuple[tuple[int, int, int, int], str]] = {}
"""The fingerprints of files hashed in this process, with their status then."""


def file_fingerprint(file: Path) -> str:
    """The fingerprint of a file the build reads or copies as it is: a hash of
    its bytes, so that a fresh clone (every file time new) changes nothing.

    A file whose status (size, times, inode) is as when it was last hashed in
    this process is not read again; the change time is part of that, since
    whatever writes a file sets it to now, even when it puts the modification
    time back (``cp -p``, ``rsync -t``, archives).
    """
    try:
        status = file.stat()
        numbers = (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)
        known = _HASHED.get(str(file))
        if known is not None and known[0] == numbers:
            return known[1]
        with open(file, "rb") as handle:
            found = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return "missing"
    _HASHED[str(file)] = (numbers, found)
    return found


def names_of(nodes: Iterable[Tracked]) -> str:
    """The fingerprint of a list of nodes: which ones, in which order."""
    return digest(*(node.node_name() for node in nodes))


@dataclass
class Dependencies:
    """What each file of an output folder read when it was made, and the
    fingerprints its inputs had then (the same for every file: an input whose
    fingerprint changed had every file that read it made again).

    Inputs are numbered (:attr:`names`), so that a file's reads are a tuple of
    numbers: quick to keep, to read back and to compare.
    """

    names: list[str] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    """The fingerprint of each input, by number."""
    reads: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Output path → the numbers of the inputs it read."""

    def changed(self, now: Mapping[str, str]) -> set[int]:
        """The recorded inputs whose fingerprint is not the one in ``now``
        (gone ones included), by number."""
        return {
            number
            for number, (name, fingerprint) in enumerate(
                zip(self.names, self.fingerprints, strict=True)
            )
            if now.get(name) != fingerprint
        }

    def stale(self, changed: set[int]) -> set[str]:
        """The files that read one of the ``changed`` inputs."""
        if not changed:
            return set()
        return {path for path, reads in self.reads.items() if not changed.isdisjoint(reads)}

    def read_by(self, path: str) -> frozenset[str]:
        """The names of the inputs ``path`` read."""
        return frozenset(self.names[number] for number in self.reads[path])

    def updated(
        self, files: Iterable[str], made: Mapping[str, frozenset[str]], now: Mapping[str, str]
    ) -> Dependencies:
        """These dependencies after a build of ``files``: those ``made`` read what
        they read now, the others what they read before; every fingerprint is
        the one ``now`` (a kept file's inputs have not changed). Inputs no file
        reads any more are let go once they are a quarter of all."""
        names = list(self.names)
        number = {name: n for n, name in enumerate(names)}
        reads: dict[str, tuple[int, ...]] = {}
        for path in files:
            found = made.get(path)
            if found is None:
                reads[path] = self.reads[path]
                continue
            for name in found:
                if name not in number:
                    number[name] = len(names)
                    names.append(name)
            reads[path] = tuple(sorted(number[name] for name in found))
        used: set[int] = set()
        for read in reads.values():
            used.update(read)
        if len(used) < 0.75 * len(names):
            renumbered = {old: new for new, old in enumerate(sorted(used))}
            names = [names[old] for old in sorted(used)]
            reads = {path: tuple(renumbered[old] for old in read) for path, read in reads.items()}
        return Dependencies(names, [now.get(name, "?") for name in names], reads)

    def to_bytes(self) -> bytes:
        """The dependencies as :mod:`marshal` bytes."""
        return marshal.dumps((self.names, self.fingerprints, self.reads))

    @classmethod
    def from_bytes(cls, data: bytes) -> Dependencies:
        """What :meth:`to_bytes` wrote; raises :class:`ValueError` if it is not that."""
        try:
            names, fingerprints, reads = marshal.loads(data)
        except (EOFError, TypeError) as error:
            raise ValueError("not a dependency record") from error
        if not (
            isinstance(names, list)
            and isinstance(fingerprints, list)
            and len(names) == len(fingerprints)
            and isinstance(reads, dict)
            and all(isinstance(numbers, tuple) for numbers in reads.values())
        ):
            raise ValueError("not a dependency record")
        if reads and max(max(numbers, default=0) for numbers in reads.values()) >= len(names):
            raise ValueError("not a dependency record")
        return cls(names, fingerprints, reads)


def key_of(reads: Iterable[str], fingerprints: Mapping[str, str]) -> str:
    """A hash of what a file read and the fingerprints of that: the same key,
    the same bytes (the engine is the same: see :mod:`verbund.cache`)."""
    return digest(*(f"{name}={fingerprints.get(name, '?')}" for name in sorted(reads)))


class Memo:
    """Values derived from the site, kept between builds with the inputs they read.

    ``kept`` looks up what earlier builds kept (name → marshal bytes), ``keep``
    keeps new values. A kept value whose inputs all have the fingerprints they
    had is used again; either way, what it read is recorded for the file being
    made. Within a build each value is made or looked up once.
    """

    def __init__(
        self,
        fingerprints: Mapping[str, str],
        kept: Callable[[list[str]], Mapping[str, Any]] | None = None,
        keep: Callable[[dict[str, bytes]], object] | None = None,
    ):
        self.fingerprints = fingerprints
        self.kept = kept
        self.keep = keep
        self.derived: dict[str, str] = {}
        """Fingerprints of values made outside the entries (see :meth:`derive`)."""
        self.known: dict[str, tuple[list[str], Any]] = {}
        """Values of this build: name → the inputs read and the value."""
        self.fresh: dict[str, bytes] = {}
        self.made = 0
        """How many values were made, not used again."""

    def derive(self, name: str, value: object) -> None:
        """Let entries read ``value``, made once for all of them, as the input
        ``name`` (fingerprinted by its ``repr``): then an entry depends on that
        value, not on everything that made it. Whoever made it records what
        that read for the file."""
        self.derived[name] = digest(repr(value))

    def fingerprint(self, name: str) -> str | None:
        return self.derived.get(name) or self.fingerprints.get(name)

    def values(self, names: list[str], make: Callable[[int], Any]) -> list[Any]:
        """The values called ``names``; ``make(n)`` makes the ``n``-th when needed."""
        wanted = [name for name in names if name not in self.known]
        if wanted and self.kept is not None:
            for name, data in self.kept(wanted).items():
                found = self._recalled(data)
                if found is not None:
                    self.known[name] = found
        values: list[Any] = []
        for n, name in enumerate(names):
            found = self.known.get(name)
            if found is None:
                with recording(nested=False) as reads:
                    value = make(n)
                self.made += 1
                found = self.known[name] = (sorted(reads), value)
                if self.keep is not None:
                    self.fresh[name] = marshal.dumps(
                        ([(read, self.fingerprint(read) or "?") for read in found[0]], value)
                    )
            record_all(read for read in found[0] if read not in self.derived)
            values.append(found[1])
        return values

    def _recalled(self, data: object) -> tuple[list[str], Any] | None:
        """A kept value whose inputs have not changed, with their names; or None."""
        if not isinstance(data, bytes):
            return None
        try:
            reads, value = marshal.loads(data)
            if not all(self.fingerprint(name) == fingerprint for name, fingerprint in reads):
                return None
        except (ValueError, EOFError, TypeError):
            return None
        return [name for name, _ in reads], value

    def forget(self) -> None:
        """Let go of this build's values (kept in the cache, where there is one)."""
        self.save()
        self.known = {}

    def save(self) -> None:
        """Keep the values made since the last call."""
        if self.keep is not None and self.fresh:
            self.keep(self.fresh)
        self.fresh = {}
