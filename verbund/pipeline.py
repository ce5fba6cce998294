"""The stages in order: load → validate → site → render → write."""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import functools
import gc
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import zstandard

from .cache import Cache, Manifest, key
from .dependencies import SITE_SETTINGS, digest, file_fingerprint, key_of, record, recording
from .history import head, read_history
from .links import PageLinks, broken_links, page_links
from .load import FilesSeen, files_seen, load_sources
from .messages import LANGUAGES, msg
from .problems import ContentError, Problem
from .search import index_site, pagefind_executable
from .write import (
    folder_stamps,
    intact,
    previous_output,
    stamp_of,
    unlike_files,
    write_output,
)

# The stages' modules are imported where they are used: a build whose files have
# not changed (see repeat) needs neither the models nor Markdown.
if TYPE_CHECKING:
    from .render import Output, Planned
    from .site import Site
    from .validate import Content, Item


@dataclass
class Checked:
    content: Content | None
    problems: list[Problem]
    language: str = "de"
    """The language of the site (from ``site.yaml`` even when it has errors)."""
    notes: list[Problem] = field(default_factory=list)
    """What is worth knowing but wrong with nothing (see :func:`base_url_notes`)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Built:
    files: int
    search: bool
    """Whether the site got a search index."""
    warnings: list[Problem]
    """Problems found while rendering that did not stop the build (links in bodies)."""
    made: int = 0
    """Files made by this build; the others were kept from the previous one."""
    notes: list[Problem] = field(default_factory=list)
    """What is worth knowing about the build (a history it could not read whole)."""
    keep: Callable[[], None] | None = None
    """What is left to keep for the next build, if it was asked to wait (see
    :func:`build`)."""
    site: Site | None = None
    """The site graph the files were made from, for the next build in this
    process (see :func:`~verbund.site.build_site`)."""


def check(
    site_root: Path,
    base_url: str | None = None,
    cache: Cache | None = None,
    pool: Executor | None = None,
) -> Checked:
    """Load and validate a site folder; nothing but the ``cache`` is written.
    ``pool`` parses the files when there are many."""
    from .validate import base_url_notes, validate

    with _collector_paused():
        sources, problems = load_sources(site_root, cache, pool)
        content, found = validate(sources, cache)
    problems = sorted(problems + found, key=lambda p: (p.path, p.line, p.column, p.field))
    if content is not None and base_url is not None:
        content.config = content.config.model_copy(
            update={"base_url": base_url if base_url.endswith("/") else base_url + "/"}
        )
    raw = sources.site.data if sources.site is not None else None
    language = (
        content.config.language
        if content is not None
        else raw.get("language")
        if isinstance(raw, dict)
        else None
    )
    if any(p.severity == "error" for p in problems):
        content = None
    notes = (
        base_url_notes(sources.site if base_url is None else None, content.config.base_url)
        if content is not None
        else []
    )
    return Checked(content, problems, language if language in LANGUAGES else "de", notes)


PROJECT = Path(__file__).resolve().parent.parent


def files_read(site_root: Path) -> FilesSeen:
    """Every file and folder a build of ``site_root`` may read, as it looks now:
    ``site.yaml``, ``content/``, ``static/`` and ``templates/``, the project's
    templates and static files too."""
    return files_seen(
        [
            site_root / "site.yaml",
            site_root / "content",
            site_root / "static",
            site_root / "templates",
            PROJECT / "templates",
            PROJECT / "static",
        ]
    )


def build_settings(base_url: str | None, search: bool, strict: bool, site_root: Path) -> str:
    """What else shapes a build's output and report: its options, the search
    program it would run and the commit the site is at (see :mod:`verbund.history`)."""
    executable = pagefind_executable() if search else None
    program = file_fingerprint(executable) if executable else "none"
    return digest(base_url or "", f"{executable} {program}", str(strict), head(site_root))


@dataclass(frozen=True)
class LastBuild:
    """What the last build into an output folder was made from and reported,
    to know the next one unchanged without reading the site (see :func:`repeat`)."""

    files: str
    """The fingerprint of every file it could read (:func:`files_read`)."""
    settings: str
    """See :func:`build_settings`."""
    zone: str
    today: str
    """The date it was built for, in the site's time ``zone``."""
    search: bool
    language: str
    problems: list[tuple]
    """What checking the content found (warnings: there were no errors)."""


def repeat(
    output_dir: Path,
    files: FilesSeen,
    settings: str,
    today: Callable[[ZoneInfo], dt.date],
    cache: Cache,
) -> tuple[Checked, Built] | None:
    """The last build into ``output_dir`` as it stands, if the next would be the
    same: made from the same ``files`` (trusted) with the same ``settings`` for
    the same day, its output still exactly as written. What checking found then
    (without the content) and the build's report are given again; None otherwise.

    The output is a function of those: when none has changed, neither has it.
    """
    value = cache.last_build(output_dir)
    try:
        last = LastBuild(*value)
        problems = [Problem.recalled(problem) for problem in last.problems]
        day = today(ZoneInfo(last.zone)).isoformat()
    except (TypeError, ValueError, KeyError):
        return None
    if (
        not files.trusted
        or (last.files, last.settings, last.today) != (files.fingerprint, settings, day)
        or not cache.folder
    ):
        return None
    previous = cache.manifest(output_dir)
    if not previous.stamps or not intact(output_dir, {**previous.stamps, **previous.others}):
        return None
    built = _unchanged(previous, last.search, strict=False)
    if built is None:
        return None
    notes = [p for p in problems if p.severity == "note"]
    problems = [p for p in problems if p.severity != "note"]
    return Checked(None, problems, last.language, notes), built


def remember(
    output_dir: Path,
    files: FilesSeen,
    settings: str,
    checked: Checked,
    today: dt.date,
    built: Built,
    cache: Cache,
) -> None:
    """Keep what the build just made into ``output_dir`` was made from (see
    :func:`repeat`), if the files were settled when it started: one written then
    may have been written again since without a trace."""
    assert checked.content is not None
    if not files.trusted:
        return
    last = LastBuild(
        files.fingerprint,
        settings,
        checked.content.config.zone.key,
        today.isoformat(),
        built.search,
        checked.language,
        [problem.kept() for problem in checked.problems + checked.notes + built.notes],
    )
    cache.save_last_build(output_dir, dataclasses.astuple(last))


def forget(output_dir: Path, cache: Cache) -> None:
    """Before a build into ``output_dir``: what the last one was made from no longer holds."""
    cache.save_last_build(output_dir, None)


def release() -> None:
    """Let the collector free what earlier builds in this process read (see
    :func:`_collector_paused`): ``serve`` does it once a rebuild is done, so that
    the next one need not."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cycle collection while the content is read; what was read is frozen after.

    Reading makes hundreds of thousands of objects that live until the build is
    done and form no cycles; the collector would walk all of them again and again
    (reading the cache took several times as long, planning the files a third
    longer).
    """
    release()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def build(
    content: Content,
    site_root: Path,
    output_dir: Path,
    today: dt.date,
    search: bool = True,
    cache: Cache | None = None,
    pool: Executor | None = None,
    strict: bool = False,
    keep_later: bool = False,
    previous_site: Site | None = None,
) -> Built:
    """Render validated content and swap it into ``output_dir``.

    Raises :class:`~verbund.problems.ContentError` for content that cannot be
    laid out (two files for one URL, a body that takes too long, a template link
    to nowhere), :class:`OSError` for a disk that cannot be written and
    :class:`~verbund.search.SearchIndexError`; in each case ``output_dir`` is left
    exactly as it was. ``strict`` makes a broken link in a body (otherwise a
    warning) stop the build too. With a ``cache``, a file of the last build into
    ``output_dir`` is kept when nothing it read has changed since (see
    :mod:`verbund.dependencies`); if that holds for every file and the output is
    as it was written, it is kept as a whole and its warnings are reported again.
    ``pool`` renders the Markdown bodies while pages are made and is shut down
    once they are; a body that takes too long stops the build before the output
    is swapped. With ``keep_later`` what the build found for the next one (the
    dependencies, manifests and cached values) is kept by :attr:`Built.keep`,
    which must be called before the next build of ``output_dir`` starts.
    ``previous_site`` is the :attr:`Built.site` of the last build in this
    process: its graph is used again if only texts and histories changed.
    """
    # Imported here: ``check`` (on every pull request) needs none of these;
    # without them its imports take a third less time.
    import jinja2

    from .bodies import SECONDS_PER_BODY, rendering_bodies
    from .render import (
        SITEMAP,
        pages_fingerprint,
        render_site,
        site_fingerprints,
        template_problem,
    )
    from .site import build_site

    cache = cache or Cache(None)
    forget(output_dir, cache)  # whoever builds here (serve too): the last record no longer holds
    executable = pagefind_executable() if search else None
    history = read_history(
        site_root,
        [item.source for item in content.members] + [item.source for item in content.events],
        cache,
        {rel: seen.status[2] for rel, seen in content.seen.items()},
    )
    site = build_site(content, today, history=history.files, previous=previous_site)
    fingerprints = site_fingerprints(site, site_root, executable is not None)
    # In the order pages ask for them: calendars hold the texts of many events.
    items: list[Any] = [*site.events, *site.pages, *sorted(site.members, key=lambda m: m.path)]
    bodies = rendering_bodies(
        {item.source: item.body for item in items},
        cache,
        pool,
        content.config.language,
        content.body_digests(),
    )
    if pool is not None and bodies.rendered:
        pool.shutdown()  # nothing for the workers: give their memory back
    files: list[Item[Any]] = [*content.members, *content.events, *content.pages]
    starts = {item.source: item.body_line for item in files}
    output = render_site(
        site,
        site_root,
        bodies,
        search_enabled=executable is not None,
        cache=cache,
        fingerprints=fingerprints,
    )
    # The graph and the plan live as long as the build: the collector need not
    # walk them again and again (see _collector_paused).
    gc.freeze()
    fingerprints[SITEMAP] = pages_fingerprint(output)
    fingerprints.update((COPY + rel, file_fingerprint(file)) for rel, file in output.copies.items())
    previous = cache.manifest(output_dir)
    recorded = cache.dependencies(output_dir)
    stale = recorded.stale(recorded.changed(fingerprints))
    stored = StoredFiles(cache)
    for path, planned in output.files.items():
        stamp = previous.stamps.get(path)
        if stamp is not None and path in recorded.reads and path not in stale:
            planned.key = stamp.key  # nothing it read has changed: kept (or made as before)
            planned.make = stored.or_make(path, planned)
        else:
            planned.make = stored.kept(
                path, planned, _recorded(planned, planned.make, fingerprints)
            )
    copies = {rel: frozenset([COPY + rel]) for rel in output.copies}
    if (
        not stale
        and recorded.reads.keys() == output.files.keys() | copies.keys()
        and intact(output_dir, {**previous.stamps, **previous.others})
    ):
        unchanged = _unchanged(previous, executable is not None, strict)
        if unchanged is not None:
            unchanged.site = site
            return unchanged
    kept = previous_output(output_dir)
    fresh: dict[str, PageLinks] = {}
    warned: set[str] = set()
    warnings: list[Problem] = []

    def made(path: str, data: bytes) -> None:
        if path.endswith(".html") and path not in stored.taken:
            fresh[path] = page_links(data.decode("utf-8"))

    def finish(folder: Path) -> None:
        slow = bodies.slow()
        if pool is not None:
            pool.shutdown()  # the rest is done in this process: give the workers' memory back
        if slow:
            raise ContentError(
                [
                    Problem(
                        source,
                        starts[source],
                        1,
                        "",
                        msg(
                            "the text took longer than {seconds:g} s to render and was stopped",
                            seconds=SECONDS_PER_BODY,
                        ),
                        msg("shorten it or simplify its formatting"),
                    )
                    for source in slow
                ]
            )
        links = SiteLinks(
            {path: planned.key for path, planned in output.files.items()}, fresh, cache, folder
        )
        files = output.files.keys() | output.copies.keys()
        texts = {item.source: (item.body, starts[item.source]) for item in items}
        for page in _pages_to_check(output, fresh, previous, links, cache):
            found = broken_links(
                links,
                files,
                urlsplit(content.config.base_url).path or "/",
                {page: output.files[page].source},
                [page],
                ["pagefind/"] if executable else [],
                texts,
            )
            if found:
                warned.add(page)
                warnings.extend(found)
        if any(p.severity == "error" or strict for p in warnings):
            raise ContentError(warnings)
        if executable is not None:
            index_site(folder, executable)

    shadow = cache.manifest(kept) if cache.folder else None
    try:
        written = write_output(
            output,
            output_dir,
            previous.stamps,
            finish,
            made,
            shadow.stamps if shadow is not None else None,
            listing=(
                (shadow.stamps.keys() | shadow.others.keys(), shadow.folders)
                if shadow is not None and shadow.folders is not None
                else None
            ),
        )
    except jinja2.TemplateError as error:
        raise ContentError([template_problem(error, site_root)]) from None
    others = dict(written.copies)
    if executable is not None:
        others.update(
            (file.relative_to(output_dir).as_posix(), stamp_of(file))
            for file in (output_dir / "pagefind").rglob("*")
            if file.is_file()
        )

    def keep() -> None:
        """Keep what this build found for the next one."""
        stored.flush()
        cache.put(
            "links",
            {
                links_key(path, output.files[path].key): links.to_json()
                for path, links in fresh.items()
            },
        )
        fresh.clear()  # in the cache now: let go before the manifests
        for remember in output.remember:
            remember()
        made_reads = {
            path: planned.reads
            for path, planned in output.files.items()
            if planned.reads is not None
        }
        made_reads.update(copies)
        cache.save_dependencies(
            output_dir,
            recorded.updated([*output.files, *copies], made_reads, fingerprints),
        )
        unlike: set[str] | None = None
        if written.shadow is not None:
            shadow_others = others if written.mirrored else previous.others
            # The old output's folders as the last build found them; a new copy's as they are.
            folders = (
                folder_stamps(kept, written.shadow.keys() | shadow_others.keys())
                if written.mirrored
                else previous.folders
            )
            cache.save_manifest(
                kept, Manifest(written.shadow, set(), others=shadow_others, folders=folders)
            )
            unlike = unlike_files({**written.shadow, **shadow_others}, written.stamps | others)
        cache.save_manifest(
            output_dir,
            Manifest(
                written.stamps,
                warned,
                others,
                [problem.kept() for problem in warnings],
                written.count,
                unlike,
                folder_stamps(output_dir, written.stamps.keys() | others.keys()),
            ),
        )
        _forget_unused(cache, bodies.body_keys, output, previous)

    count = written.made - len(stored.taken)  # the others are as the cache kept them
    built = Built(written.count, executable is not None, warnings, count, history.notes, site=site)
    if keep_later:
        built.keep = keep
    else:
        keep()
    return built


COPY = "copy:"
"""Inputs named after a static file copied into the output (``copy:static/style.css``)."""


def _recorded(
    planned: Planned, make: Callable[[], bytes], fingerprints: Mapping[str, str]
) -> Callable[[], bytes]:
    """``make`` recording what it reads into ``planned`` (see :mod:`verbund.dependencies`)."""

    def recorded() -> bytes:
        with recording() as reads:
            record(SITE_SETTINGS)
            data = make()
        planned.reads = frozenset(reads)
        planned.key = key_of(reads, fingerprints)
        return data

    return recorded


def _forget_unused(
    cache: Cache, bodies: Mapping[str, str], output: Output, previous: Manifest
) -> None:
    """Let the cache forget the bodies, links, calendar entries and member rows
    the site no longer has (see :meth:`~verbund.cache.Cache.prune`). ``bodies``
    are the keys of the bodies by source; the links of the ``previous`` pages are
    kept, to see which pages changed their anchors the next time."""
    pages = [
        (path, planned.key) for path, planned in output.files.items() if path.endswith(".html")
    ]
    cache.prune("body", len(bodies), bodies.values)
    cache.prune(
        "page",
        len(output.files),
        lambda: [StoredFiles.name(path, planned.key) for path, planned in output.files.items()],
    )
    cache.prune(
        "links",
        len(pages),
        lambda: (
            [links_key(*page) for page in pages]
            + [
                links_key(path, stamp.key)
                for path, stamp in previous.stamps.items()
                if path.endswith(".html")
            ]
        ),
    )
    for table, (in_use, names) in output.memos.items():
        cache.prune(table, in_use, names)


class StoredFiles:
    """The bytes of the files a build made, kept in the cache by their key.

    A file whose inputs have not changed is taken from there when the previous
    output does not have it any more: a publish from a fresh clone, with the
    cache restored and an empty output folder, makes only the files whose
    inputs changed. The same key (and path), the same bytes: that is what
    keeping a file of the previous output already rests on.
    """

    FLUSH_BYTES = 32 << 20
    """Made files are kept in the cache in batches of about this many (compressed) bytes."""

    FETCHED_AT_ONCE = 256
    """Asked for one file, the cache is asked for the next ones (in the order the
    write stage goes through them) with it."""

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.pending: dict[str, bytes] = {}
        self.size = 0
        self.taken: set[str] = set()
        """The paths whose bytes came from the cache."""
        self.wanted: dict[str, str] = {}
        """Path → key, of the files that may be asked for (named when they are)."""
        self.order: list[str] = []
        self.fetched: dict[str, bytes] = {}
        # zstd at level 1: a third of zlib's time for smaller files (HTML shrinks fivefold).
        self.compressor = zstandard.ZstdCompressor(level=1)
        self.decompressor = zstandard.ZstdDecompressor()

    @staticmethod
    def name(path: str, page_key: str) -> str:
        """Where the bytes are kept: by the file's key, its path and this engine
        (the key says what the file read, not what code made it of that)."""
        return key("page", page_key, path)

    def or_make(self, path: str, planned: Planned) -> Callable[[], bytes]:
        """``planned.make``, but the bytes kept under its key if there are any."""
        make = self.kept(path, planned, planned.make)
        self.wanted[path] = planned.key

        def stored_or_made() -> bytes:
            try:
                data = self.decompressor.decompress(self._fetch(path))
            except (zstandard.ZstdError, TypeError, KeyError):
                return make()
            self.taken.add(path)
            return data

        return stored_or_made

    def _fetch(self, path: str) -> bytes:
        """The kept bytes of ``path`` (KeyError if there are none), fetched with
        the files that follow it."""
        if path not in self.fetched:
            if not self.order:
                self.order = sorted(self.wanted)
            start = bisect.bisect_left(self.order, path)
            paths = self.order[start : start + self.FETCHED_AT_ONCE]
            names = {p: self.name(p, self.wanted[p]) for p in paths}
            found = self.cache.get("page", list(names.values()))
            self.fetched = {p: found[names[p]] for p in paths if names[p] in found}
        return self.fetched.pop(path)

    def kept(self, path: str, planned: Planned, make: Callable[[], bytes]) -> Callable[[], bytes]:
        """``make``, its bytes kept in the cache under the key it was made with."""
        if self.cache.db is None:
            return make

        def made_and_kept() -> bytes:
            data = make()
            packed = self.compressor.compress(data)
            self.pending[self.name(path, planned.key)] = packed
            self.size += len(packed)
            if self.size > self.FLUSH_BYTES:
                self.flush()
            return data

        return made_and_kept

    def flush(self) -> None:
        self.cache.put("page", self.pending)
        self.pending, self.size = {}, 0


def _unchanged(previous: Manifest, search: bool, strict: bool) -> Built | None:
    """The previous build again, its files kept as they are and its warnings
    reported again; None if its warnings cannot be read."""
    try:
        warnings = [Problem.recalled(value) for value in previous.warnings]
    except ValueError:
        return None
    if any(p.severity == "error" or strict for p in warnings):
        raise ContentError(warnings)
    return Built(previous.count, search, warnings, 0)


def links_key(path: str, page_key: str) -> str:
    """Where a page's links are cached (pages listing everything share a key;
    the engine that made the page is part of it too)."""
    return key("links", page_key, path)


class SiteLinks(Mapping[str, PageLinks]):
    """The links of every HTML page: just made, from the cache, or read again.

    ``keys`` are the keys of the site's files by output path.
    """

    def __init__(
        self, keys: Mapping[str, str], fresh: dict[str, PageLinks], cache: Cache, folder: Path
    ):
        self.page_keys, self.fresh, self.cache, self.folder = keys, fresh, cache, folder

    @functools.cached_property
    def pages(self) -> list[str]:
        return [path for path in self.page_keys if path.endswith(".html")]

    def fetch(self, paths: list[str]) -> None:
        """Look up many kept pages at once."""
        wanted = {
            links_key(path, self.page_keys[path]): path for path in paths if path not in self.fresh
        }
        for page_key, text in self.cache.get("links", list(wanted)).items():
            try:
                self.fresh[wanted[page_key]] = PageLinks.from_json(text)
            except (ValueError, TypeError):
                pass  # read from the page below

    def __getitem__(self, path: str) -> PageLinks:
        if path not in self.fresh:
            if path not in self.page_keys or not path.endswith(".html"):
                raise KeyError(path)
            self.fetch([path])
            if path not in self.fresh:
                data = (self.folder / path).read_bytes()
                self.fresh[path] = page_links(data.decode("utf-8"))
        return self.fresh[path]

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and path.endswith(".html") and path in self.page_keys

    def __iter__(self) -> Iterator[str]:
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)


def _pages_to_check(
    output: Output, fresh: dict[str, PageLinks], previous: Manifest, links: SiteLinks, cache: Cache
) -> list[str]:
    """The pages whose links may have changed since the previous build.

    Those made now, and those kept that had problems. A kept page can only get a
    new broken link when a file disappears or a page loses an id; then all are.
    """
    everything = links.pages
    kept = [path for path in everything if path not in fresh]
    if not kept:
        return sorted(everything)
    copied = {path for path in previous.others if not path.startswith("pagefind/")}
    gone = (previous.stamps.keys() | copied) - output.files.keys() - output.copies.keys()
    before = {
        links_key(path, previous.stamps[path].key): path
        for path in fresh
        if path in previous.stamps
    }
    old = cache.get("links", list(before))
    ids_changed = len(old) < len(before) or any(
        PageLinks.from_json(text).ids != fresh[before[page_key]].ids
        for page_key, text in old.items()
    )
    if gone or ids_changed:
        links.fetch(kept)
        return sorted(everything)
    return sorted([*fresh, *(path for path in kept if path in previous.warned)])
