"""Load stage: files on disk to raw documents with source positions.

Nothing here knows the schema; it reads text safely (encoding, line endings,
front matter, strict YAML) and records where every value came from.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache import Cache, key
from .messages import msg
from .problems import Problem
from .yamlsource import Location, Position, Span, YamlError, read_yaml

MAX_FILE_BYTES = 512 * 1024
"""Larger content files are refused: no member profile or event needs more."""

CONTENT_KINDS = {"members": "member", "events": "event", "pages": "page"}

# Characters that make text render differently from how it reads (bidi
# overrides) or that have no place in text (C0/C1 controls except tab and LF).
_FORBIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f"
                        "\x00-\x08\x0b-\x1f\x7f-\x9f]")


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
    """The front matter of a document loaded from the cache, whose ``spans`` are
    found again only when a problem needs a position."""

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
    members: list[Document] = field(default_factory=list)
    events: list[Document] = field(default_factory=list)
    pages: list[Document] = field(default_factory=list)
    content_files: set[str] = field(default_factory=set)
    """Every file below ``content/`` (site-relative POSIX paths), for references."""
    static_files: set[str] = field(default_factory=set)
    """Every file below the site's ``static/`` (site-relative POSIX paths)."""


def _problem(path: str, position: Position | None, message: str, hint: str = "") -> Problem:
    line, column = (position.line, position.column) if position else (0, 0)
    return Problem(path, line, column, "", message, hint)


def read_bytes(file: Path, rel: str) -> tuple[bytes | None, list[Problem]]:
    if file.is_symlink():
        return None, [_problem(rel, None, msg("symbolic links are not allowed in content"),
                               msg("replace the link with the file itself"))]
    try:
        return file.read_bytes(), []
    except OSError as error:
        return None, [_problem(rel, None, msg("cannot read the file: {reason}",
                                                reason=error.strerror))]


def read_text(file: Path, rel: str, raw: bytes | None = None
              ) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file: BOM dropped, CRLF folded to LF, NFC normalised."""
    if raw is None:
        raw, problems = read_bytes(file, rel)
        if raw is None:
            return None, problems
    if len(raw) > MAX_FILE_BYTES:
        return None, [_problem(rel, None, msg("the file is {size} KiB; at most {limit} KiB are "
                                                "allowed", size=len(raw) // 1024,
                                                limit=MAX_FILE_BYTES // 1024),
                               msg("shorten the text or move material to a linked document"))]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [Problem(rel, line, column, "", msg("the file is not UTF-8 text"),
                              msg("save it with the encoding UTF-8 (for example in VS Code: "
                                  "'Save with Encoding' → UTF-8)"))]
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    problems = []
    for match in _FORBIDDEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - text.rfind("\n", 0, match.start())
        problems.append(Problem(
            rel, line, column, "", msg("invisible control character U+{code:04X} in the text",
                                      code=ord(match[0])),
            msg("delete it; it can make text display differently from what it says")))
        if len(problems) >= 5:
            break
    return (None if problems else text), problems


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
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None


def parse_markdown_file(file: Path, rel: str, kind: str, raw: bytes | None = None
                        ) -> tuple[Document | None, list[Problem]]:
    """A ``.md`` file: YAML front matter between ``---`` lines, then Markdown."""
    text, problems = read_text(file, rel, raw)
    if text is None:
        return None, problems
    if not text.startswith("---") or text.split("\n", 1)[0].rstrip() != "---":
        return None, [_problem(rel, Position(1, 1), msg("the file must start with a line '---'"),
                               msg("put the fields between two '---' lines at the top"))]
    parts = split_front_matter(text)
    if parts is None:
        return None, [_problem(rel, Position(1, 1), msg("the front matter is not closed"),
                               msg("add a line '---' after the last field"))]
    front, body, body_line = parts
    try:
        data, spans = read_yaml(front, line_offset=1)
    except YamlError as error:
        return None, [_problem(rel, error.position, error.message, error.hint)]
    if data is None:
        data, spans = {}, {(): Span(Position(2, 1))}
    return Document(kind, rel, file.stem, data, spans, body, body_line, text_digest(text),
                    front), []


def _content_files(folder: Path, root: Path) -> list[tuple[Path, str]]:
    """Files and links below ``folder`` (not folders), sorted by site-relative path."""
    found: list[tuple[Path, str]] = []
    todo = [(str(folder), folder.relative_to(root).as_posix())]
    while todo:
        path, rel = todo.pop()
        try:
            entries = list(os.scandir(path))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                todo.append((entry.path, f"{rel}/{entry.name}"))
            elif entry.is_file() or entry.is_symlink():
                found.append((Path(entry.path), f"{rel}/{entry.name}"))
    return sorted(found, key=lambda item: item[1])


def load_sources(root: Path, cache: Cache | None = None) -> tuple[Sources, list[Problem]]:
    """Read a site folder: ``site.yaml`` and everything below ``content/``.

    With a ``cache``, a Markdown file read before (the same bytes under the same
    name) is not parsed again.
    """
    sources = Sources(root=root)
    problems: list[Problem] = []
    site_file = root / "site.yaml"
    if not site_file.is_file():
        return sources, [Problem("site.yaml", 0, 0, "", msg("no site.yaml in {folder}",
                                                            folder=root),
                                 msg("run the command in the site's folder or pass --site "
                                     "DIR"))]
    sources.site, found = parse_yaml_file(site_file, "site.yaml", "site")
    problems += found
    for name in ("industries", "regions"):
        rel = f"content/{name}.yaml"
        file = root / rel
        if file.is_file():
            document, found = parse_yaml_file(file, rel, name)
            setattr(sources, name, document)
            problems += found
    sources.content_files = {rel for _, rel in _content_files(root / "content", root)}
    sources.static_files = {rel for _, rel in _content_files(root / "static", root)}
    for folder, kind in CONTENT_KINDS.items():
        files: list[tuple[Path, str, bytes, str]] = []
        for file, rel in _content_files(root / "content" / folder, root):
            if file.suffix != ".md":
                continue
            if file.parent != root / "content" / folder:
                problems.append(_problem(rel, None, msg("files in content/{folder}/ must not "
                                                         "be in sub-folders", folder=folder),
                                         msg("move it to content/{folder}/", folder=folder)))
                continue
            raw, found = read_bytes(file, rel)
            problems += found
            if raw is not None:
                files.append((file, rel, raw, key("load", rel, hashlib.sha256(raw).hexdigest())))
        known = cache.get("load", [file_key for *_, file_key in files]) if cache else {}
        documents = getattr(sources, folder)
        fresh: dict[str, str] = {}
        for file, rel, raw, file_key in files:
            document = _cached_document(known.get(file_key), kind, rel, file.stem)
            if document is None:
                document, found = parse_markdown_file(file, rel, kind, raw)
                problems += found
                if document is not None:
                    fresh[file_key] = json.dumps([document.digest, document.data, document.body,
                                                  document.body_line, document.front])
            if document is not None:
                documents.append(document)
        if cache is not None:
            cache.put("load", fresh)
    return sources, problems


def _cached_document(text: str | None, kind: str, rel: str, slug: str) -> Document | None:
    if text is None:
        return None
    try:
        digest, data, body, body_line, front = json.loads(text)
    except (ValueError, TypeError):
        return None
    return Document(kind, rel, slug, data, {}, body, body_line, digest, front)
