"""Load stage: files on disk to raw documents with source positions.

Nothing here knows the schema; it reads text safely (encoding, line endings,
front matter, strict YAML) and records where every value came from.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import stat
import time
import unicodedata
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .cache import Cache, key
from .messages import msg
from .problems import Problem
from .yamlsource import Location, Position, Span, YamlError, read_yaml

MAX_FILE_BYTES = 512 * 1024
"""Larger content files are refused: no member profile or event needs more."""

CONTENT_KINDS = {"members": "member", "events": "event", "pages": "page"}

# Characters that make text render differently from how it reads (bidi
# overrides) or that have no place in text (C0/C1 controls except tab and LF).
_FORBIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class Document:
    """One source file, parsed but not yet validated."""

    kind: str
    path: str
    slug: str
    data: Any
    spans: dict[Location, Span] = field(default_factory=dict)
    body: str = ""
    body_line: int = 0
    digest: str = ""
    """A hash of the file's text (see :mod:`verbund.cache`)."""
    front: str | None = None
    """The front matter of a Markdown document. Documents of a whole site are
    loaded without ``spans``; they are found again from this text when a problem
    needs a position."""
    front_digest: str = ""
    """A hash of :attr:`front`, made when the file is parsed (see :attr:`data_digest`)."""
    body_digest: str = ""
    """A hash of :attr:`body` alone: what its HTML is cached by (see :mod:`verbund.bodies`)."""

    @property
    def data_digest(self) -> str:
        """A hash of the front matter alone: what lists that show no body depend on."""
        if self.front_digest:
            return self.front_digest
        return text_digest(self.front) if self.front is not None else self.digest

    def scalar_position(self, location: Location, value: str) -> Position | None:
        """Where ``value`` is written on the line of its key, found by reading
        the front matter's lines (a thousand times quicker than parsing it);
        None when that is not sure (then ask :meth:`position`)."""
        if self.front is None or not location or any(isinstance(p, int) for p in location):
            return None
        lines = self.front.split("\n")
        number = -1
        for part in location:
            number = next(
                (
                    n
                    for n in range(number + 1, len(lines))
                    if lines[n].lstrip(" ").startswith(f"{part}:")
                ),
                -1,
            )
            if number < 0:
                return None
        text = lines[number]
        column = text.find(value, text.index(":") + 1)
        if column < 0 or text[text.index(":") + 1 : column].strip(" \"'"):
            return None
        return Position(number + 2, column + 1)

    def position(self, location: Location, key: bool = False) -> Position | None:
        """The position of ``location``, or of its nearest recorded parent."""
        if not self.spans and self.front is not None:
            self.spans = read_yaml(self.front, line_offset=1)[1] or {(): Span(Position(2, 1))}
        while True:
            span = self.spans.get(location)
            if span is not None:
                return (span.key or span.value) if key else span.value
            if not location:
                return None
            location = location[:-1]


@dataclass
class Sources:
    """Everything the load stage read from a site folder."""

    root: Path
    site: Document | None = None
    industries: Document | None = None
    regions: Document | None = None
    partners: Document | None = None
    """``content/partners.yaml``, if the site has one."""
    series: Document | None = None
    """``content/series.yaml``, if the site has one."""
    members: list[Document] = field(default_factory=list)
    events: list[Document] = field(default_factory=list)
    pages: list[Document] = field(default_factory=list)
    content_files: set[str] = field(default_factory=set)
    """Every file below ``content/`` (site-relative POSIX paths), for references."""
    other_files: list[str] = field(default_factory=list)
    """Those that are not member, event or page files, sorted."""
    static_files: set[str] = field(default_factory=set)
    """Every file below the site's ``static/`` (site-relative POSIX paths)."""
    seen: dict[str, FileSeen] = field(default_factory=dict)
    """How each Markdown file looked when its text was read (see :class:`FileSeen`)."""
    folders: dict[str, FileSeen] = field(default_factory=dict)
    """How each folder below ``content/`` (and itself) looked when it was listed."""


def _problem(path: str, position: Position | None, message: str, hint: str = "") -> Problem:
    line, column = (position.line, position.column) if position else (0, 0)
    return Problem(path, line, column, "", message, hint)


def read_bytes(file: Path, rel: str) -> tuple[bytes | None, list[Problem]]:
    if file.is_symlink():
        return None, [
            _problem(
                rel,
                None,
                msg("symbolic links are not allowed in content"),
                msg("replace the link with the file itself"),
            )
        ]
    try:
        return file.read_bytes(), []
    except OSError as error:
        return None, [
            _problem(rel, None, msg("cannot read the file: {reason}", reason=error.strerror))
        ]


def read_text(file: Path, rel: str, raw: bytes | None = None) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file: BOM dropped, CRLF folded to LF, NFC normalised."""
    if raw is None:
        raw, problems = read_bytes(file, rel)
        if raw is None:
            return None, problems
    if len(raw) > MAX_FILE_BYTES:
        return None, [
            _problem(
                rel,
                None,
                msg(
                    "the file is {size} KiB; at most {limit} KiB are allowed",
                    size=len(raw) // 1024,
                    limit=MAX_FILE_BYTES // 1024,
                ),
                msg("shorten the text or move material to a linked document"),
            )
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [_not_utf8(raw, rel, error)]
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    problems = []
    for match in _FORBIDDEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - text.rfind("\n", 0, match.start())
        problems.append(
            Problem(
                rel,
                line,
                column,
                "",
                msg("invisible control character U+{code:04X} in the text", code=ord(match[0])),
                msg("delete it; it can make text display differently from what it says"),
            )
        )
        if len(problems) >= 5:
            break
    return (None if problems else text), problems


def _not_utf8(raw: bytes, rel: str, error: UnicodeDecodeError) -> Problem:
    """Where a file stops being UTF-8, and how to save it as UTF-8 again."""
    line = raw.count(b"\n", 0, error.start) + 1
    column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
    hint = msg(
        "save it as UTF-8: in the Windows editor Notepad with 'File → Save as → "
        "Encoding: UTF-8', in VS Code with 'Save with Encoding → UTF-8'"
    )
    try:
        character = raw[error.start : error.end].decode("cp1252")
    except UnicodeDecodeError:
        return Problem(rel, line, column, "", msg("the file is not UTF-8 text"), hint)
    return Problem(
        rel,
        line,
        column,
        "",
        msg(
            "the file is not UTF-8 text: '{character}' here was saved "
            "in the ANSI encoding of Windows",
            character=character,
        ),
        hint,
    )


def parse_yaml_file(file: Path, rel: str, kind: str) -> tuple[Document | None, list[Problem]]:
    """A plain YAML file (``site.yaml``, vocabularies)."""
    text, problems = read_text(file, rel)
    if text is None:
        return None, problems
    try:
        data, spans = read_yaml(text)
    except YamlError as error:
        return None, [_problem(rel, error.position, error.message, error.hint)]
    return Document(kind, rel, file.stem, data, spans, digest=text_digest(text)), []


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """``(yaml, body, body_line)`` of a front-matter file, or None if unclosed."""
    lines = text.split("\n")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return None


def parse_markdown_file(
    file: Path, rel: str, kind: str, raw: bytes | None = None, positions: bool = True
) -> tuple[Document | None, list[Problem]]:
    """A ``.md`` file: YAML front matter between ``---`` lines, then Markdown.

    Without ``positions`` the document finds them again when a problem needs
    one (see :meth:`Document.position`).
    """
    text, problems = read_text(file, rel, raw)
    if text is None:
        return None, problems
    if not text.startswith("---") or text.split("\n", 1)[0].rstrip() != "---":
        return None, [
            _problem(
                rel,
                Position(1, 1),
                msg("the file must start with a line '---'"),
                msg("put the fields between two '---' lines at the top"),
            )
        ]
    parts = split_front_matter(text)
    if parts is None:
        return None, [
            _problem(
                rel,
                Position(1, 1),
                msg("the front matter is not closed"),
                msg("add a line '---' after the last field"),
            )
        ]
    front, body, body_line = parts
    try:
        data, spans = read_yaml(front, line_offset=1, positions=positions)
    except YamlError as error:
        return None, [_problem(rel, error.position, error.message, error.hint)]
    if data is None:
        data, spans = {}, {(): Span(Position(2, 1))} if positions else {}
    return Document(
        kind,
        rel,
        file.stem,
        data,
        spans,
        body,
        body_line,
        text_digest(text),
        front,
        text_digest(front),
        text_digest(body),
    ), []


def _files_below(
    folder: str, rel: str, folders: dict[str, FileSeen] | None = None
) -> Iterator[tuple[os.DirEntry, str]]:
    """Files and links below ``folder`` (not folders), each with the site-relative
    POSIX path of the folder it is in (``rel`` is that of ``folder``). ``folders``
    takes how each folder looked just before it was listed."""
    todo = [(folder, rel)]
    while todo:
        path, rel = todo.pop()
        try:
            if folders is not None:
                folders[rel] = FileSeen(file_status(os.lstat(path)), time.time_ns())
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                todo.append((entry.path, f"{rel}/{entry.name}"))
            elif entry.is_file() or entry.is_symlink():
                yield entry, rel


def content_files(
    folder: Path, root: Path, folders: dict[str, FileSeen] | None = None
) -> list[tuple[str, str]]:
    """Files and links below ``folder`` (not folders) as ``(path, site-relative
    POSIX path)``, sorted by the latter; ``folders`` takes how each folder looked."""
    found = [
        (entry.path, f"{rel}/{entry.name}")
        for entry, rel in _files_below(str(folder), folder.relative_to(root).as_posix(), folders)
    ]
    return sorted(found, key=lambda item: item[1])


_KIND_FOLDERS = {f"content/{folder}" for folder in CONTENT_KINDS}


def listed_content(
    root: Path, folders: dict[str, FileSeen] | None = None
) -> tuple[dict[str, str], list[str]]:
    """The member, event and page files of a site (site-relative POSIX path →
    path) and the other files below ``content/`` (site-relative), unsorted: a
    quicker :func:`content_files` for a site of many. ``folders`` takes how each
    folder looked."""
    texts: dict[str, str] = {}
    others: list[str] = []
    for entry, rel in _files_below(str(root / "content"), "content", folders):
        if rel in _KIND_FOLDERS and entry.name.endswith(".md"):
            texts[f"{rel}/{entry.name}"] = entry.path
        else:
            others.append(f"{rel}/{entry.name}")
    return texts, others


TRUSTED_AFTER_NS = 2_000_000_000
"""A file's status vouches for its bytes only if it was written this long before
it was recorded: a file changed twice within the clock's granularity keeps its
size and time (the "racy git" problem)."""


class FileSeen(NamedTuple):
    """A file's status when its text was read, and when that was."""

    status: tuple[int, int, int, int]
    """Inode, size, modification and change time in nanoseconds."""
    recorded_ns: int

    def vouches_for(self, status: tuple[int, int, int, int]) -> bool:
        """Whether a file with ``status`` still has the text read then."""
        return status == self.status and status[2] + TRUSTED_AFTER_NS < self.recorded_ns


class FilesSeen(NamedTuple):
    """Everything below some folders as it looked at one moment (see :func:`files_seen`)."""

    fingerprint: str
    """Changes when any file or folder there is added, removed, renamed or written."""
    trusted: bool
    """Whether the fingerprint vouches for the bytes: nothing there was written
    within :data:`TRUSTED_AFTER_NS` of looking, and nothing is a symbolic link
    (whose target may change while the link does not)."""


def files_seen(paths: list[Path]) -> FilesSeen:
    """The names and statuses of ``paths`` and of everything below them, in one
    fingerprint: a build that reads only these files reads the same bytes while it
    is the same (a file's size and times change whenever it is written)."""
    fingerprint = hashlib.blake2b(digest_size=16)
    newest = 0
    linked = False
    todo = [str(path) for path in reversed(paths)]
    while todo:
        path = todo.pop()
        try:
            status = os.lstat(path)
        except OSError:
            fingerprint.update(f"{path}\0missing\n".encode())
            continue
        newest = max(newest, status.st_mtime_ns, status.st_ctime_ns)
        if stat.S_ISLNK(status.st_mode):
            linked = True  # what it points to may change without it
        fingerprint.update(
            f"{path}\0{status.st_mode}\0{status.st_ino}\0{status.st_size}\0"
            f"{status.st_mtime_ns}\0{status.st_ctime_ns}\n".encode()
        )
        if stat.S_ISDIR(status.st_mode):
            try:
                names = sorted(os.listdir(path), reverse=True)
            except OSError:
                fingerprint.update(b"unreadable\n")
                continue
            todo += [f"{path}/{name}" for name in names]
    trusted = not linked and newest + TRUSTED_AFTER_NS < time.time_ns()
    return FilesSeen(fingerprint.hexdigest(), trusted)


def file_status(status: os.stat_result) -> tuple[int, int, int, int]:
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


class _Seen(NamedTuple):
    """A content file as an earlier build found it."""

    status: tuple[int, int, int, int]
    """Inode, size, modification and change time in nanoseconds."""
    sha: str
    recorded_ns: int
    document: tuple
    """What the file was parsed into (see :func:`_document_value`)."""

    def vouches_for(self, status: tuple[int, int, int, int]) -> bool:
        return FileSeen(self.status, self.recorded_ns).vouches_for(status)


def load_sources(
    root: Path, cache: Cache | None = None, pool: Executor | None = None
) -> tuple[Sources, list[Problem]]:
    """Read a site folder: ``site.yaml`` and everything below ``content/``.

    With a ``cache``, a Markdown file read before (the same bytes under the same
    name) is not parsed again, and one whose size and times are as they were is
    not even read. ``pool`` parses the others when there are many.
    """
    sources = Sources(root=root)
    problems: list[Problem] = []
    site_file = root / "site.yaml"
    if not site_file.is_file():
        return sources, [
            Problem(
                "site.yaml",
                0,
                0,
                "",
                msg("no site.yaml in {folder}", folder=root),
                msg("run the command in the site's folder or pass --site DIR"),
            )
        ]
    sources.site, found = parse_yaml_file(site_file, "site.yaml", "site")
    problems += found
    for name in ("industries", "regions", "partners", "series"):
        rel = f"content/{name}.yaml"
        file = root / rel
        if file.is_file():
            document, found = parse_yaml_file(file, rel, name)
            setattr(sources, name, document)
            problems += found
    content = content_files(root / "content", root, sources.folders)
    sources.content_files = {rel for _, rel in content}
    sources.static_files = {rel for _, rel in content_files(root / "static", root)}
    markdown: list[tuple[str, str, str]] = []
    for path, rel in content:
        folder, _, name = rel.removeprefix("content/").partition("/")
        if folder not in CONTENT_KINDS or not name.endswith(".md"):
            sources.other_files.append(rel)
            continue
        if "/" in name:
            sources.other_files.append(rel)
            problems.append(
                _problem(
                    rel,
                    None,
                    msg("files in content/{folder}/ must not be in sub-folders", folder=folder),
                    msg("move it to content/{folder}/", folder=folder),
                )
            )
            continue
        markdown.append((path, rel, folder))
    markdown.sort(key=lambda file: list(CONTENT_KINDS).index(file[2]))  # members first
    lists = {"member": sources.members, "event": sources.events, "page": sources.pages}
    for document, found in _markdown_documents(markdown, cache, sources.seen, pool):
        problems += found
        if document is not None:
            lists[document.kind].append(document)
    return sources, problems


def _markdown_documents(
    files: list[tuple[str, str, str]],
    cache: Cache | None,
    seen: dict[str, FileSeen],
    pool: Executor | None = None,
) -> Iterator[tuple[Document | None, list[Problem]]]:
    """Each Markdown file parsed, or taken from the cache when its bytes are known.

    The state of the previous build vouches for a file whose size and times are as
    they were; other files are read, and parsed (by ``pool`` if there are many)
    unless the same bytes under the same name were parsed before. ``seen`` gets
    how each file looked when it was read.
    """
    before = _state(cache)
    state: dict[str, _Seen] = {}
    now = time.time_ns()
    read: dict[str, bytes] = {}
    shas: dict[str, str] = {}
    statuses: dict[str, tuple[int, int, int, int]] = {}
    for path, rel, _ in files:
        try:
            status = os.lstat(path)
        except OSError as error:
            yield (
                None,
                [_problem(rel, None, msg("cannot read the file: {reason}", reason=error.strerror))],
            )
            continue
        if stat.S_ISLNK(status.st_mode):
            yield (
                None,
                [
                    _problem(
                        rel,
                        None,
                        msg("symbolic links are not allowed in content"),
                        msg("replace the link with the file itself"),
                    )
                ],
            )
            continue
        numbers = file_status(status)
        known = before.get(rel)
        if known is not None and known.vouches_for(numbers):
            state[rel] = known
            continue
        raw, found = read_bytes(Path(path), rel)
        if raw is None:
            yield None, found
            continue
        read[rel] = raw
        shas[rel] = hashlib.sha256(raw).hexdigest()
        statuses[rel] = numbers
    keys = {rel: key("load", rel, sha) for rel, sha in shas.items()}
    parsed = cache.get("load", list(keys.values())) if cache else {}
    parsing = _parsing(
        pool,
        [
            (path, rel, CONTENT_KINDS[folder], read[rel])
            for path, rel, folder in files
            if rel in keys and keys[rel] not in parsed
        ],
    )
    fresh: dict[str, bytes] = {}
    for path, rel, folder in files:
        kind, slug = CONTENT_KINDS[folder], rel.rsplit("/", 1)[1][:-3]
        if rel in state:
            seen[rel] = FileSeen(state[rel].status, state[rel].recorded_ns)
            yield _document(state[rel].document, kind, rel, slug), []
            continue
        if rel not in keys:
            continue
        value = parsed.get(keys[rel])
        document = _document(value, kind, rel, slug) if value is not None else None
        if document is None:
            if parsing is not None and rel in parsing:
                value, found = parsing.take(rel)
                document = _document(value, kind, rel, slug) if value is not None else None
            else:
                document, found = parse_markdown_file(
                    Path(path), rel, kind, read[rel], positions=False
                )
                value = marshal.dumps(_document_value(document)) if document else None
            if document is None or value is None:
                read.pop(rel)
                yield None, found
                continue
            fresh[keys[rel]] = value
            if len(fresh) >= 500 and cache is not None:  # not all of them in memory twice
                cache.put("load", fresh)
                fresh = {}
        read.pop(rel)
        state[rel] = _Seen(statuses[rel], shas[rel], now, _document_value(document))
        seen[rel] = FileSeen(statuses[rel], now)
        yield document, []
    if cache is not None:
        cache.put("load", fresh)
        cache.save_state(
            "load",
            {rel: tuple(seen) for rel, seen in state.items()},
            {rel for rel, seen in state.items() if seen is not before.get(rel)}
            | (before.keys() - state.keys()),
        )
        cache.prune(
            "load", len(state), lambda: [key("load", rel, seen.sha) for rel, seen in state.items()]
        )


PARSED_IN_PARALLEL_FROM = 2000
"""Fewer files than this are parsed in this process: sending them costs more."""
PARSE_CHUNK = 250


class _Parsing:
    """Files being parsed by worker processes, taken in the order they were sent:
    each as :func:`_document_value` in :mod:`marshal`, or None and its problems."""

    def __init__(self, pool: Executor, files: list[tuple[str, str, str, bytes]]):
        self.index = {rel: n for n, (_, rel, _, _) in enumerate(files)}
        chunks = [files[i : i + PARSE_CHUNK] for i in range(0, len(files), PARSE_CHUNK)]
        self.results = iter(pool.map(_parse_chunk, chunks))
        self.taken: list[tuple[bytes | None, list[Problem]] | None] = []

    def __contains__(self, rel: str) -> bool:
        return rel in self.index

    def take(self, rel: str) -> tuple[bytes | None, list[Problem]]:
        """The result for ``rel``; each is handed out once (and then let go)."""
        wanted = self.index[rel]
        while len(self.taken) <= wanted:
            self.taken += next(self.results)
        result, self.taken[wanted] = self.taken[wanted], None
        if result is None:
            raise KeyError(rel)
        return result


def _parsing(pool: Executor | None, files: list[tuple[str, str, str, bytes]]) -> _Parsing | None:
    if pool is None or len(files) < PARSED_IN_PARALLEL_FROM:
        return None
    return _Parsing(pool, files)


def _parse_chunk(
    files: list[tuple[str, str, str, bytes]],
) -> list[tuple[bytes | None, list[Problem]]]:
    """Markdown files parsed in a worker (path, site-relative path, kind, bytes)."""
    parsed = []
    for path, rel, kind, raw in files:
        document, problems = parse_markdown_file(Path(path), rel, kind, raw, positions=False)
        parsed.append((marshal.dumps(_document_value(document)) if document else None, problems))
    return parsed


def _state(cache: Cache | None) -> dict[str, _Seen]:
    """The files as the previous build found them (see :class:`_Seen`)."""
    found = {}
    for rel, entry in (cache.state("load") if cache else {}).items():
        try:
            seen = _Seen(*entry)
        except TypeError:
            continue  # read the file
        if isinstance(seen.document, tuple) and len(seen.document) == 7:
            found[rel] = seen
    return found


def _document_value(document: Document) -> tuple:
    return (
        document.digest,
        document.data,
        document.body,
        document.body_line,
        document.front,
        document.front_digest,
        document.body_digest,
    )


def _document(value: bytes | tuple, kind: str, rel: str, slug: str) -> Document | None:
    """A document as the cache kept it (see :func:`_document_value`)."""
    try:
        digest, data, body, body_line, front, front_digest, body_digest = (
            marshal.loads(value) if isinstance(value, bytes) else value
        )
    except (ValueError, TypeError, EOFError):
        return None
    return Document(
        kind, rel, slug, data, {}, body, body_line, digest, front, front_digest, body_digest
    )
