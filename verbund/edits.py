"""A build after edits to existing content files, without laying out the whole site.

An editor previewing a profile mostly changes its text, or a field of one
member. A full build checks every content file and plans every output file:
seconds for 10,000 members. When only the Markdown texts of existing member,
event or page files have changed, and the fields of members at most (the other
files of the site and the date being as they were), this path reads just those
files and the few they are shown with (the events a member spoke at, an
event's speakers, the free pages of the menu), lays out that small site, and
remakes only the files that show them: the page itself, its vCard or calendar
entry, the pages of the events a member speaks at, and the calendars and feeds
that hold an event (where its entry is replaced). A member whose fields changed
keeps its place on the term pages and in the exports only if it stays on the
same lists: its card and rows are moved to where its name puts them now (see
:mod:`verbund.listings`). The output is swapped in at once as in a full build.
When nothing has changed, the output is kept as a whole, as the full build
would keep it, without reading every file again.

The last full build leaves what this needs in an :class:`EditIndex`. Whatever
this path cannot vouch for (a changed field, a new or deleted file, a page
whose key from the small site differs from the one the full build gave it, a
page whose anchors change, a file not as it was written, a member moved to
other term pages or whose warnings change...) makes it return None: the full
build does the work, with the same result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import shutil
import stat
import time
from collections import ChainMap
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .bodies import site_bodies
from .cache import Cache, Manifest, ManifestUnreadable, Stamp, Stamps, key
from .listings import (
    Listing,
    Neighbours,
    card,
    card_separator,
    collides,
    listings,
    moved,
    places,
)
from .load import (
    CONTENT_KINDS,
    Document,
    FileSeen,
    Sources,
    content_files,
    file_status,
    listed_content,
    parse_markdown_file,
    parse_yaml_file,
)
from .markup import body_problem
from .problems import Problem
from .site import member_path
from .validate import Content, Item, validate

if TYPE_CHECKING:
    from .links import PageLinks
    from .pipeline import Built
    from .render import Output, PageKeys
    from .site import EventPage, Site

MOST_NOTED = 500
"""Changed entries of the index kept beside it before all of it is kept again."""
MOST_FILES_READ = 50
"""Content files that may look changed before this path leaves the work to a
full build (after a checkout every file looks changed)."""


@dataclass
class EditIndex:
    """What a full build leaves for builds that only edit texts."""

    surroundings: str
    """Its :func:`~verbund.render.surrounding_inputs`."""
    texts: int
    """The :func:`~verbund.render.texts_key` of its content files."""
    files: dict[str, tuple[str, str]]
    """Every member, event and page file in the order loaded: the hash of its
    text and that of its fields."""
    seen: dict[str, tuple]
    """How each of them looked when read, if that vouches for its text (the
    status of a :class:`~verbund.load.FileSeen`; absent or empty if it does not)."""
    neighbours: dict[str, list[str]]
    """The other content files whose fields a file's pages show."""
    gathered: dict[str, tuple[str, list[str]]]
    """Files holding the texts of many events (see :attr:`~verbund.render.Output.gathered`)."""
    follows_everything: bool
    """Whether the site has templates of its own that may show anything (see
    :attr:`~verbund.render.Output.follows_everything`): then this path is closed."""
    closures: dict[str, tuple[str, str]]
    """What each template is made of (see :attr:`~verbund.render.Output.closures`)."""
    problems: list[tuple]
    """The problems the check found (kept, see :meth:`~verbund.problems.Problem.kept`)."""
    others: list[str]
    """The other files below ``content/`` (logos, vocabularies...), sorted."""
    counts: str
    """How many members and events the lists hold (see :func:`~verbund.render.counts_key`):
    the same after these edits, and not known from a small site."""
    listings: dict[str, tuple]
    """Where each member file stands in the lists (a :class:`~verbund.listings.Listing`)."""
    folders: dict[str, tuple]
    """How each folder below ``content/`` (and itself) looked when it was listed, if
    that vouches for what it holds (as in :attr:`seen`): then it is not listed again."""
    order: list[tuple[str, str, str]]
    """The members in the directory's order when the index was kept: the name as
    sorted, the slug and the source path of each (see :func:`~verbund.listings.places`)."""
    relisted: set[str] = dataclasses.field(default_factory=set)
    """The members whose listing changed since :attr:`order` was made."""
    noted: dict[str, tuple] = dataclasses.field(default_factory=dict)
    """Files read by builds that edited them: their hashes and status then, as
    in :attr:`files` and :attr:`seen`, and their new listing if their fields
    changed (kept beside the index with :attr:`texts`, see
    :meth:`~verbund.cache.Cache.note_edit_index`)."""

    @classmethod
    def of(cls, content: Content, site: Site, output: Output, surroundings: str, texts: int,
           problems: list[Problem]) -> EditIndex:
        neighbours: dict[str, list[str]] = {}
        for member in site.members:
            shown = [event.source for event in member.talks]
            shown += [ref.member.source for event in member.talks for ref in event.speakers
                      if ref.member is not None and ref.member is not member]
            if shown:
                neighbours[member.source] = sorted(set(shown))
        for event in site.events:
            shown = [ref.member.source for ref in event.speakers if ref.member is not None]
            if shown:
                neighbours[event.source] = sorted(set(shown))
        return cls(surroundings, texts, *_files_of(content), neighbours, output.gathered,
                   output.follows_everything, output.closures,
                   [problem.kept() for problem in problems], content.other_files,
                   output.counts, listings(site, content.likeness),
                   {rel: _vouching(seen) for rel, seen in content.folders.items()},
                   [(member.sort_name, member.slug, member.source) for member in site.members])

    def value(self) -> tuple:
        order = self.order if not self.relisted else sorted(
            (listing[0], listing[1], rel) for rel, listing in self.listings.items())
        return (self.surroundings, self.texts, self.files, self.seen, self.neighbours,
                self.gathered, self.follows_everything, self.closures, self.problems,
                self.others, self.counts, self.listings, self.folders, order)

    @classmethod
    def recalled(cls, kept: tuple[object, object] | None) -> EditIndex | None:
        """The index :meth:`~verbund.cache.Cache.edit_index` gives, with what was
        noted since (see :meth:`notes`)."""
        if kept is None:
            return None
        value, notes = kept
        try:
            index = cls(*value)  # type: ignore[misc]
            noted, texts, folders = notes if notes is not None else (
                {}, index.texts, index.folders)
        except (TypeError, ValueError):
            return None
        if not all(isinstance(part, kind) for part, kind in zip(
                (*index.value(), noted, texts, folders),
                (str, int, dict, dict, dict, dict, bool, dict, list, list, str, dict, dict,
                 list, dict, int, dict),
                strict=True)) or not noted.keys() <= index.files.keys():
            return None
        # Copied: changed before they are kept again.
        index.files, index.seen, index.noted = dict(index.files), dict(index.seen), {}
        index.listings = dict(index.listings)
        index.note(noted, texts)
        index.folders = folders
        return index

    def note(self, read: dict[str, tuple], texts: int) -> None:
        """Take in files read since (see :attr:`noted`) and the new :attr:`texts`."""
        for rel, (digest, data_digest, status, listing) in read.items():
            self.files[rel] = digest, data_digest
            self.seen[rel] = status
            if listing:
                self.listings[rel] = listing
                self.relisted.add(rel)
        self.noted.update(read)
        self.texts = texts

    def notes(self) -> tuple[dict[str, tuple], int, dict[str, tuple]]:
        """What is kept beside the index (see :attr:`noted`), with the :attr:`folders`."""
        return self.noted, self.texts, self.folders


def _vouching(seen: FileSeen) -> tuple:
    """The status that vouches for a file's text, if any (see :attr:`EditIndex.seen`)."""
    return seen.status if seen.vouches_for(seen.status) else ()


def _files_of(content: Content) -> tuple[dict[str, tuple[str, str]], dict[str, tuple]]:
    """:attr:`EditIndex.files` and :attr:`EditIndex.seen` of ``content``."""
    items = _items(content)
    return ({item.source: (item.digest, item.data_digest) for item in items},
            {item.source: _vouching(content.seen[item.source]) for item in items
             if item.source in content.seen})


def kept_closures(cache: Cache, output_dir: Path, surroundings: str
                  ) -> dict[str, tuple[str, str]] | None:
    """The :attr:`EditIndex.closures` of the last build into ``output_dir`` if it
    had these ``surroundings`` (see :func:`~verbund.render.surrounding_inputs`).
    The rest of the index is let go at once, not held through the build: a full
    build makes a new one, and the index grows with the site."""
    kept = cache.edit_index(output_dir, remember=False) if cache.folder else None
    index = EditIndex.recalled(kept)
    return index.closures if index is not None and index.surroundings == surroundings else None


def refresh(cache: Cache, output_dir: Path, content: Content) -> None:
    """Note how the files look now, after a build that found nothing changed
    (a file may only have been touched, or this index be older than the output)."""
    index = EditIndex.recalled(cache.edit_index(output_dir))
    if index is None:
        return
    files, seen = _files_of(content)
    if files.keys() == index.files.keys() and (files, seen) != (index.files, index.seen):
        index.files, index.seen = files, seen
        cache.save_edit_index(output_dir, index.value())


@dataclass
class Edited:
    """What a build that only edited texts did."""

    built: Built
    problems: list[Problem]
    """The problems the last check found (none of them in the edited texts)."""
    language: str


def _changed_texts(site_root: Path, index: EditIndex, told: Collection[str] | None
                   ) -> tuple[dict[str, tuple[Document, FileSeen]], list[str], set[str]] | None:
    """The content files read because they look changed (as read, and how they
    look now); the other files below ``content/``; those read whose text is as it was.
    None if a file was added or removed, or an event or page has other fields now.

    ``told`` are the only paths that may have changed (see :func:`rebuild`).
    """
    seen = index.seen
    if told is None:
        if _as_listed(site_root, index.folders):
            root = os.fspath(site_root)
            texts, others = {rel: f"{root}/{rel}" for rel in index.files}, index.others
        else:
            folders: dict[str, FileSeen] = {}
            texts, others = listed_content(site_root, folders)
            if texts.keys() != index.files.keys():
                return None
            index.folders = {rel: _vouching(status) for rel, status in folders.items()}
        try:
            looked_at = sorted((rel, path) for rel, path in texts.items()
                               if seen.get(rel) != file_status(os.lstat(path)))
        except OSError:
            return None
    else:
        found = _told_texts(site_root, index, told)
        if found is None:
            return None
        looked_at, others = sorted(found.items()), index.others
    if len(looked_at) > MOST_FILES_READ:
        return None
    changed: dict[str, tuple[Document, FileSeen]] = {}
    touched: set[str] = set()
    now = time.time_ns()
    for rel, path in looked_at:
        try:
            status = os.lstat(path)
        except OSError:
            return None
        numbers = file_status(status)
        if seen.get(rel) == numbers:
            continue
        if stat.S_ISLNK(status.st_mode):
            return None
        kind = CONTENT_KINDS[rel.split("/")[1]]
        document, problems = parse_markdown_file(Path(path), rel, kind, positions=False)
        if document is None or problems:
            return None
        digest, data_digest = index.files[rel]
        if document.digest == digest:
            touched.add(rel)
        elif (document.data_digest != data_digest and kind != "member"
              or body_problem(document.body)):
            return None
        changed[rel] = document, FileSeen(numbers, now)
    return changed, others, touched


def _as_listed(site_root: Path, folders: dict[str, tuple]) -> bool:
    """Whether every folder below ``content/`` looks as :attr:`EditIndex.folders`
    vouches for, so that it holds the files it held then."""
    try:
        return bool(folders) and all(
            status and file_status(os.lstat(site_root / rel)) == status
            for rel, status in folders.items())
    except OSError:
        return False


def _told_texts(site_root: Path, index: EditIndex, told: Collection[str]
                ) -> dict[str, str] | None:
    """The member, event and page files among ``told`` (site-relative path →
    path); None if another file is there now (a new one, a template...).
    A path neither known nor there was a passing file (an editor's temporary
    file) and is left out."""
    roots = {f"{os.path.abspath(site_root)}{os.sep}", f"{os.path.realpath(site_root)}{os.sep}"}
    texts: dict[str, str] = {}
    for path in told:
        root = next((root for root in roots if path.startswith(root)), None)
        if root is None:
            return None
        rel = path[len(root):].replace(os.sep, "/")
        if rel in index.files:
            texts[rel] = path
        elif os.path.lexists(path):
            return None
    return texts


def _small_site(site_root: Path, index: EditIndex, changed: dict[str, Document],
                others: list[str], base_url: str | None
                ) -> tuple[Content, list[Problem]] | None:
    """The content of the changed files and of those they are shown with, checked,
    and the problems the check found; None if it found an error."""
    sources = Sources(root=site_root, content_files={*index.files, *others},
                      other_files=sorted(others))
    sources.static_files = {rel for _, rel in content_files(site_root / "static", site_root)}
    sources.site, problems = parse_yaml_file(site_root / "site.yaml", "site.yaml", "site")
    for name in ("industries", "regions"):
        rel = f"content/{name}.yaml"
        if (site_root / rel).is_file():
            document, found = parse_yaml_file(site_root / rel, rel, name)
            setattr(sources, name, document)
            problems += found
    if problems:
        return None
    wanted = {*changed, *(shown for rel in changed for shown in index.neighbours.get(rel, ())),
              *(rel for rel in index.files if rel.startswith("content/pages/"))}
    lists = {"member": sources.members, "event": sources.events, "page": sources.pages}
    for rel in index.files:
        if rel not in wanted:
            continue
        document = changed.get(rel)
        if document is None:
            kind = CONTENT_KINDS[rel.split("/")[1]]
            document, found = parse_markdown_file(site_root / rel, rel, kind, positions=False)
            if document is None or found or document.digest != index.files[rel][0]:
                return None
        lists[document.kind].append(document)
    content, problems = validate(sources)  # no cache: its state is that of the whole site
    if content is None:
        return None
    if base_url is not None:
        content.config = content.config.model_copy(
            update={"base_url": base_url if base_url.endswith("/") else base_url + "/"})
    return content, problems


def rebuild(site_root: Path, output_dir: Path, cache: Cache,
            today: Callable[[ZoneInfo], dt.date], base_url: str | None = None,
            search: bool = True, strict: bool = False,
            told: Collection[str] | None = None) -> Edited | None:
    """Build after edits to texts only, as :func:`~verbund.pipeline.build` would
    after a full check; None where this path cannot vouch for the result (see the
    module's description), with nothing written.

    ``today`` gives the date in the site's time zone. ``told`` are the paths the
    system reported changed since the last build into ``output_dir`` (all other
    files are as that build found them); None if not known: every file is looked
    at. The cycle collector is
    paused meanwhile: what this makes has no cycles, and each pass would walk
    the manifest's hundreds of thousands of entries.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _rebuild(site_root, output_dir, cache, today, base_url, search, strict, told)
    except ManifestUnreadable:
        return None
    finally:
        if was_enabled:
            gc.enable()


def _rebuild(site_root: Path, output_dir: Path, cache: Cache,
             today: Callable[[ZoneInfo], dt.date], base_url: str | None,
             search: bool, strict: bool, told: Collection[str] | None) -> Edited | None:
    from .links import broken_links
    from .pipeline import Built, SiteLinks, links_key
    from .render import PageKeys, render_site, site_inputs, surrounding_inputs, texts_key_with
    from .search import index_site, pagefind_executable
    from .site import build_site
    from .write import patch_output, previous_output, unlike_files

    index = EditIndex.recalled(cache.edit_index(output_dir)) if cache.folder else None
    if index is None or index.follows_everything or strict and index.problems:
        return None
    found = _changed_texts(site_root, index, told)
    if found is None:
        return None
    read, others, touched = found
    changed = {rel: document for rel, (document, _) in read.items() if rel not in touched}
    small = _small_site(site_root, index, changed, others, base_url)
    if small is None:
        return None
    content, problems = small
    day = today(content.config.zone)
    executable = pagefind_executable() if search else None
    surroundings = surrounding_inputs(content, site_root, day, executable)
    manifest = cache.manifest(output_dir, whole=False)
    made, copies = manifest.stamps, manifest.others
    if (not isinstance(made, Stamps) or not isinstance(copies, Stamps)
            or surroundings != index.surroundings or manifest.unlike_previous is None
            or manifest.inputs != site_inputs(surroundings, index.texts)):
        return None
    if not changed:
        return _unchanged(index, read, manifest, made.whole() | copies.whole(), output_dir,
                          cache, executable is not None, strict, content.config.language)

    # Members whose fields changed: their warnings must be those the check found.
    edited = sorted(rel for rel, document in changed.items()
                    if document.data_digest != index.files[rel][1])
    if (sorted((problem for problem in index.problems if problem[0] in edited), key=repr)
            != sorted((p.kept() for p in problems if p.path in edited), key=repr)):
        return None
    # The small site twice: with the files the last build had (its keys must be
    # the ones that build gave these files) and with the new ones.
    site = build_site(content, day)
    before = build_site(_with_digests(content, {rel: index.files[rel] for rel in changed}), day)
    items = [*site.members, *site.events, *site.pages]
    bodies, slow = site_bodies({item.source: item.body for item in items}, cache, None,
                               content.config.language, content.body_digests())
    if slow:
        return None
    search_enabled = executable is not None
    output = render_site(site, site_root, bodies, search_enabled, cache, index.closures,
                         index.counts)
    then = render_site(before, site_root, bodies, search_enabled, None, index.closures,
                       index.counts)
    shown = {*changed, *(other for rel in edited for other in index.neighbours.get(rel, ()))}
    files = _pages_made_again(output, then, shown, manifest)
    if files is None:
        return None
    keys = PageKeys(site, search_enabled)
    then_of = _Identities(index.files, {})
    now_of = _Identities(index.files, {rel: document.digest for rel, document in changed.items()})
    texts_now = texts_key_with(index.texts, [then_of[rel] for rel in changed],
                               [now_of[rel] for rel in changed])
    lists = _lists_moved(index, content, site, site_root, output, edited, keys, manifest,
                         output_dir, cache, site_inputs(surroundings, texts_now))
    if lists is None:
        return None
    gathered = _gathered_made_again(index, site, bodies, keys, then_of, now_of, manifest,
                                    output_dir, cache)
    if gathered is None:
        return None
    files.update(gathered)
    fresh = _links_of_pages(files, manifest, cache)
    if fresh is None:
        return None
    moved_lists, links_of_lists = lists
    files.update(moved_lists)
    page_keys = _Keys(manifest.stamps, {path: key for path, (_, key) in files.items()})
    sources_of = {path: output.files[path].source for path in fresh}
    texts = {item.source: (item.body, item.body_line) for item in _items(content)
             if item.source in changed}
    warnings = broken_links(SiteLinks(page_keys, fresh, cache, output_dir),
                            ChainMap(manifest.stamps, manifest.others),
                            urlsplit(content.config.base_url).path or "/", sources_of,
                            sorted(fresh), ["pagefind/"] if executable else [], texts)
    if any(p.severity == "error" or strict for p in warnings):
        return None
    try:
        kept = [Problem.recalled(value) for value in manifest.warnings]
    except ValueError:
        return None
    warnings = sorted([p for p in kept if p.path not in changed] + warnings)
    if strict and warnings:
        return None

    def finish(folder: Path) -> None:
        if executable is not None:  # made afresh, as the full build does
            shutil.rmtree(folder / "pagefind", ignore_errors=True)
            index_site(folder, executable)

    patched = patch_output(files, output_dir, ChainMap(manifest.stamps, manifest.others),
                           manifest.unlike_previous, finish)
    if patched is None:
        return None
    stamps, kept_old = patched
    cache.put("links", {links_key(path, files[path][1]): links.to_json()
                        for path, links in fresh.items()} | {
        links_key(path, files[path][1]): links for path, links in links_of_lists.items()})
    for remember in output.remember:
        remember()
    others: Mapping[str, Stamp] = copies
    unlike_others: set[str] = set()
    if executable is not None:
        others = {rel: stamp for rel, stamp in copies.whole().items()
                  if not rel.startswith("pagefind/")} | _stamps_below(output_dir, "pagefind")
        unlike_others = unlike_files(copies.whole(), others)
    warned = (manifest.warned - fresh.keys()) | {
        path for path in fresh if any(p.path == sources_of[path] for p in warnings)}
    if kept_old:
        cache.move_manifest(output_dir, previous_output(output_dir))
    else:
        cache.save_manifest(previous_output(output_dir), Manifest({}, set()))
    cache.save_manifest(output_dir, Manifest(
        made.updated(stamps), warned, site_inputs(surroundings, texts_now), others,
        [problem.kept() for problem in warnings], manifest.count,
        set(stamps) | unlike_others if kept_old else None))
    _note_read(index, read, texts_now, output_dir, cache,
               {rel: index.listings[rel] for rel in edited})
    return Edited(Built(manifest.count, search_enabled, warnings, len(files)),
                  _recalled(index.problems), content.config.language)


def _unchanged(index: EditIndex, read: Mapping[str, tuple[Document, FileSeen]],
               manifest: Manifest, written: Mapping[str, Stamp], output_dir: Path,
               cache: Cache, search: bool, strict: bool, language: str) -> Edited | None:
    """No text changed either: the output is kept as a whole if every file the
    last build wrote is still as written (as :func:`~verbund.pipeline.build` does)."""
    from .pipeline import Built
    from .write import intact

    if not intact(output_dir, written):
        return None
    try:
        warnings = [Problem.recalled(value) for value in manifest.warnings]
    except ValueError:
        return None
    if strict and warnings:
        return None
    if read:
        _note_read(index, read, index.texts, output_dir, cache)
    return Edited(Built(manifest.count, search, warnings, 0), _recalled(index.problems),
                  language)


def _note_read(index: EditIndex, read: Mapping[str, tuple[Document, FileSeen]], texts: int,
               output_dir: Path, cache: Cache, listings: Mapping[str, tuple] | None = None
               ) -> None:
    """Keep how the files read look now, their hashes, the ``listings`` of those
    whose fields changed and the new :attr:`EditIndex.texts`."""
    listings = listings or {}
    index.note({rel: (document.digest, document.data_digest, _vouching(seen),
                      listings.get(rel, ())) for rel, (document, seen) in read.items()}, texts)
    if len(index.noted) > MOST_NOTED:
        cache.save_edit_index(output_dir, index.value())
    else:
        cache.note_edit_index(output_dir, index.notes())


def _recalled(problems: list[tuple]) -> list[Problem]:
    try:
        return [Problem.recalled(value) for value in problems]
    except ValueError:
        return []


def _pages_made_again(output: Output, then: Output, sources: Collection[str],
                      manifest: Manifest) -> dict[str, tuple[bytes, str]] | None:
    """The files of the content files ``sources`` alone (pages, vCards, calendar
    entries) whose keys changed, made now: by output path, bytes and key. None if
    the small site would not have given them the keys the last build did."""
    import jinja2

    files: dict[str, tuple[bytes, str]] = {}
    for path, planned in output.files.items():
        if planned.source not in sources:
            continue
        old, stamp = then.files.get(path), manifest.stamps.get(path)
        if old is None or stamp is None or old.key != stamp.key:
            return None
        if planned.key != old.key:
            try:
                files[path] = (planned.make(), planned.key)
            except jinja2.TemplateError:
                return None  # the full build tells where
    return files


def _lists_moved(index: EditIndex, content: Content, site: Site, site_root: Path,
                 output: Output, edited: list[str], keys: PageKeys, manifest: Manifest,
                 output_dir: Path, cache: Cache, state: str
                 ) -> tuple[dict[str, tuple[bytes, str]], dict[str, str]] | None:
    """The term pages and exports that list the members ``edited`` (whose fields
    changed), with each one's card and rows moved to where it stands now; and the
    links of those pages, as they were (the cards link to the same pages).

    Their keys hold the ``state`` of the site they show (its inputs, see
    :func:`~verbund.render.site_inputs`) and that they were edited: a full build,
    which gives no such keys, makes them again.

    None if such a member is on other lists now or has another size class, looks
    or looked like another member (near-duplicate warnings would change), the
    site has cards of its own (``term.html`` or ``macros.html``), or a list is not
    as the last build wrote it. ``index`` takes the new listings.
    """
    from .pipeline import links_key

    if not edited:
        return {}, {}
    if any((site_root / "templates" / name).exists() for name in ("term.html", "macros.html")):
        return None
    now = listings(site, content.likeness)
    changes: dict[str, tuple[Listing, Listing]] = {}
    for rel in edited:
        if rel not in index.listings:
            return None
        was, new = Listing(*index.listings[rel]), Listing(*now[rel])
        if new.terms != was.terms or new.employees != was.employees:
            return None
        changes[rel] = was, new
    if collides(index.listings, changes):
        return None
    lists = _Lists(index, site, output, keys, manifest, output_dir, cache)
    for rel in edited:
        if not lists.move(rel, *changes[rel]):
            return None
    files: dict[str, tuple[bytes, str]] = {}
    links: dict[str, str] = {}
    for path, data in lists.texts.items():
        files[path] = data, key("edited", path, state)
        if path.endswith(".html"):
            old_key = links_key(path, manifest.stamps[path].key)
            kept = cache.get("links", [old_key]).get(old_key)
            if kept is None:
                return None
            links[path] = kept
    return files, links


class _Lists:
    """The term pages and exports of the last build, members moved in them one by one."""

    def __init__(self, index: EditIndex, site: Site, output: Output, keys: PageKeys,
                 manifest: Manifest, output_dir: Path, cache: Cache):
        from .exports import MemberRows, row_files

        self.index, self.site, self.output, self.keys = index, site, output, keys
        self.manifest, self.output_dir, self.cache = manifest, output_dir, cache
        self.members = {member.source: member for member in site.members}
        self.texts: dict[str, bytes] = {}
        """The files changed so far, by output path."""
        self.rows: dict[str, tuple[bytes, bytes, bytes]] = {}
        """The rows of the members moved so far, encoded."""
        self.exports = row_files(site.words)
        """Each export and which of a member's rows it holds."""
        self.separators = [separator.encode() for separator in MemberRows.SEPARATORS]
        assert output.rows is not None
        self.made_rows = output.rows

    def move(self, rel: str, was: Listing, now: Listing) -> bool:
        """Move the member in ``rel`` from where ``was`` put it to where ``now`` does
        in every list it is on; False if a list does not have it as expected."""
        index = self.index
        spots = places(index.listings, index.order, index.relisted, rel, was, now)
        around = [other for pair in spots[None] for other in pair if other]
        known = self._rows([rel, *around])  # the member's with the fields it had
        if known is None:
            return False
        old_rows = known[rel]
        new_rows = _encoded(self.made_rows.row(self.members[rel]))
        for path, kind in self.exports.items():
            near = [tuple(known[other][kind] if other else None for other in pair)
                    for pair in spots[None]]
            if not self._replace(path, old_rows[kind], new_rows[kind], self.separators[kind],
                                 near[0], near[1]):
                return False
        for term in now.terms:
            if not self._move_card(rel, term, spots[term]):
                return False
        self.rows[rel] = new_rows
        index.listings[rel] = tuple(now)
        index.relisted.add(rel)
        return True

    def _move_card(self, rel: str, term: str, spots: tuple[Neighbours, Neighbours]) -> bool:
        import jinja2

        from .links import page_links
        from .render import relative_root

        path = term + "index.html"
        page, alone = self._text(path), self.output.files.get(path)
        if page is None or alone is None:
            return False
        try:
            made = alone.make()  # the page of the small site: the member's card as it is now
        except jinja2.TemplateError:
            return False  # the full build tells where
        root = relative_root(term)
        cards = {other: card(page, root + member_path(self.site.words,
                                                      self.index.listings[other][1]))
                 for pair in spots for other in pair if other}
        href = root + self.members[rel].path
        old, new = card(page, href), card(made, href)
        if old is None or new is None or None in cards.values() or (
                page_links(old.decode()) != page_links(new.decode())):
            return False
        was, now = ([cards[other] if other else None for other in pair] for pair in spots)
        separator = (card_separator(page, old, was[1]) if was[1] else
                     card_separator(page, was[0], old) if was[0] else b"")
        return separator is not None and self._replace(path, old, new, separator,
                                                       tuple(was), tuple(now))

    def _replace(self, path: str, old: bytes, new: bytes, separator: bytes,
                 was: tuple[bytes | None, bytes | None], now: tuple[bytes | None, bytes | None]
                 ) -> bool:
        text = self._text(path)
        text = moved(text, old, new, separator, was, now) if text is not None else None
        if text is None:
            return False
        self.texts[path] = text
        return True

    def _text(self, path: str) -> bytes | None:
        """A list as changed so far; None if it is not as the last build wrote it."""
        if path not in self.texts:
            stamp = self.manifest.stamps.get(path)
            data = _read_as_written(self.output_dir / path, stamp) if stamp else None
            if data is None:
                return None
            self.texts[path] = data
        return self.texts[path]

    def _rows(self, sources: list[str]) -> dict[str, tuple[bytes, bytes, bytes]] | None:
        """The rows of members as the exports hold them now, encoded (None if one is
        not kept)."""
        from .exports import kept_rows

        wanted = {self.keys.row(rel, self.index.files[rel][1]): rel for rel in sources
                  if rel not in self.rows}
        found = {wanted[row_key]: _encoded(row)
                 for row_key, row in kept_rows(self.cache, list(wanted)).items()}
        return found | self.rows if len(found) == len(wanted) else None


def _encoded(row: tuple[str, str, str]) -> tuple[bytes, bytes, bytes]:
    return row[0].encode(), row[1].encode(), row[2].encode()


def _gathered_made_again(index: EditIndex, site: Site, bodies: Mapping[str, str],
                         keys: PageKeys, then_of: _Identities, now_of: _Identities,
                         manifest: Manifest, output_dir: Path, cache: Cache
                         ) -> dict[str, tuple[bytes, str]] | None:
    """The calendars and feeds that hold a changed event, with its entry made
    again. None if one is not as the last build wrote it."""
    from .feeds import atom, json_feed

    files: dict[str, tuple[bytes, str]] = {}
    events = {event.source: event for event in site.events}
    for path, (name, sources) in index.gathered.items():
        edited = [rel for rel in sources if rel in now_of.digests]
        if not edited:
            continue
        stamp = manifest.stamps.get(path)
        if stamp is None or keys.calendar_of(name, [then_of[rel] for rel in sources]
                                             ) != stamp.key:
            return None
        data = _read_as_written(output_dir / path, stamp)
        for rel in edited:
            if data is None:
                return None
            if path.endswith(".ics"):
                entry_key = keys.of("vevent", then_of[rel])
                old = cache.get("vevent", [entry_key]).get(entry_key)
                data = _replaced(data, old, _vevent(site, events[rel], bodies, cache, keys))
            else:
                feed = atom if path.endswith(".xml") else json_feed
                data = _feed_entry_replaced(data, site, events[rel], feed, bodies, path)
        if data is None:
            return None
        files[path] = (data, keys.calendar_of(name, [now_of[rel] for rel in sources]))
    return files


def _links_of_pages(files: Mapping[str, tuple[bytes, str]], manifest: Manifest, cache: Cache
                    ) -> dict[str, PageLinks] | None:
    """The links of the HTML pages made again. None if a page's anchors changed:
    links on any page may lead there, which is for a full build to check."""
    from .links import PageLinks, page_links
    from .pipeline import links_key

    fresh = {path: page_links(data.decode("utf-8")) for path, (data, _) in files.items()
             if path.endswith(".html")}
    wanted = {path: links_key(path, manifest.stamps[path].key) for path in fresh}
    before = cache.get("links", list(wanted.values()))
    for path, links in fresh.items():
        try:
            if PageLinks.from_json(before[wanted[path]]).ids != links.ids:
                return None
        except (KeyError, ValueError, TypeError):
            return None
    return fresh


class _Identities(Mapping[str, str]):
    """The :func:`~verbund.render.identity` of each content file of the index,
    made when asked for, with the hashes of some texts changed (``digests``)."""

    def __init__(self, files: dict[str, tuple[str, str]], digests: dict[str, str]):
        self.files, self.digests = files, digests

    def __getitem__(self, rel: str) -> str:
        return f"{rel} {self.digests[rel] if rel in self.digests else self.files[rel][0]}"

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)


class _Keys(Mapping[str, str]):
    """The keys of the files of an output by path, a few of them new."""

    def __init__(self, stamps: Mapping[str, Stamp], new: dict[str, str]):
        self.stamps, self.new = stamps, new

    def __getitem__(self, path: str) -> str:
        return self.new[path] if path in self.new else self.stamps[path].key

    def __iter__(self) -> Iterator[str]:
        return iter(self.stamps)

    def __len__(self) -> int:
        return len(self.stamps)


def _items(content: Content) -> list[Item]:
    return [*content.members, *content.events, *content.pages]


def _with_digests(content: Content, digests: dict[str, tuple[str, str]]) -> Content:
    """``content`` with other hashes for some files: of their text and of their fields."""
    def items(found: list) -> list:
        return [dataclasses.replace(item, digest=digests[item.source][0],
                                    data_digest=digests[item.source][1])
                if item.source in digests else item for item in found]
    return dataclasses.replace(content, members=items(content.members),
                               events=items(content.events), pages=items(content.pages))


def _read_as_written(file: Path, stamp: Stamp) -> bytes | None:
    """The bytes of an output file, if it is still as the build wrote it."""
    try:
        with open(file, "rb") as handle:
            if not stamp.matches(os.fstat(handle.fileno())):
                return None
            return handle.read()
    except OSError:
        return None


def _replaced(data: bytes, old: bytes | None, new: bytes) -> bytes | None:
    """``data`` with the one ``old`` part replaced by ``new``."""
    if not old or data.count(old) != 1:
        return None
    return data.replace(old, new)


def _vevent(site: Site, event: EventPage, bodies: Mapping[str, str], cache: Cache,
            keys: PageKeys) -> bytes:
    """The calendar entry of ``event`` as it is now (kept for the next build)."""
    from .calendars import Calendars
    from .i18n import Translator
    from .render import identity

    calendars = Calendars(site, bodies, Translator(site.config.language), cache,
                          {event.source: keys.of("vevent", identity(event))})
    entry = calendars.vevent(event)
    calendars.save()
    return entry


_ENTRY = {".xml": (b"<entry>", b"</entry>", b"<id>", b"</id>"),
          ".json": (b"\n  {", b"\n  }", b'"id": ', b"\n")}
"""Where an entry begins and ends in each kind of feed, and where its id does."""


def _feed_entry_replaced(data: bytes, site: Site, event: EventPage,
                         feed: Callable[..., bytes], bodies: Mapping[str, str],
                         path: str) -> bytes | None:
    """A feed with the entry of ``event`` made again (the same feed if it has none)."""
    from .i18n import Translator
    from .render import EventTimes

    begin, end, id_begin, id_end = _ENTRY[os.path.splitext(path)[1]]
    when = {event.source: EventTimes(site, Translator(site.config.language)).when(event)}
    alone = feed(site, [event], "", path, bodies, when)
    start = alone.find(begin)
    new = _entry_at(alone, start + len(begin), begin, end) if start >= 0 else None
    if new is None or id_begin not in new:
        return None
    at = new.index(id_begin)
    event_id = new[at:new.index(id_end, at + len(id_begin)) + len(id_end)]
    found = data.count(event_id)
    if found != 1:
        return data if found == 0 else None
    old = _entry_at(data, data.index(event_id), begin, end)
    return data.replace(old, new) if old is not None else None


def _entry_at(data: bytes, where: int, begin: bytes, end: bytes) -> bytes | None:
    """The entry around the position ``where``, from its beginning to its end."""
    start, stop = data.rfind(begin, 0, where), data.find(end, where)
    if start < 0 or stop < 0:
        return None
    return data[start:stop + len(end)]


def _stamps_below(output_dir: Path, folder: str) -> dict[str, Stamp]:
    from .write import stamp_of

    return {file.relative_to(output_dir).as_posix(): stamp_of(file)
            for file in (output_dir / folder).rglob("*") if file.is_file()}


