"""Render stage: the site graph to file contents (HTML, XML, text).

Markdown bodies arrive rendered and sanitised (see :mod:`verbund.bodies`); Jinja
templates (autoescaped) turn each page object into a document, and the other
modules of this stage add calendars, feeds, exports and logos. Nothing is written
to disk: the result is a mapping of output paths to bytes, plus files to copy.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2 import meta

from .cache import Cache, key
from .calendars import Calendars
from .directory import directory_index, facets
from .exports import MemberRows, members_csv, members_json, row_files, tel, vcard
from .feeds import atom, feed_events, json_feed
from .i18n import Translator
from .images import fit_logo
from .media import video_embed
from .messages import msg
from .models import Address, Venue
from .own_templates import COUNTS, shown_beyond
from .problems import ContentError, Problem
from .site import EventPage, FreePage, MemberPage, Site
from .structured import event_jsonld, member_jsonld
from .validate import Content

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROJECT_TEMPLATES = PROJECT_ROOT / "templates"
PROJECT_STATIC = PROJECT_ROOT / "static"


@dataclass
class Planned:
    """One file of the site, not made yet: how to make it and what it is made from."""

    make: Callable[[], bytes]
    source: str
    """The content file it comes from, for messages."""
    key: str
    """A hash of everything that shapes it: the same key, the same bytes."""


@dataclass
class Output:
    """What the write stage puts into the output folder."""

    files: dict[str, Planned] = field(default_factory=dict)
    """Output-relative path → the file, made when the write stage needs it."""
    copies: dict[str, Path] = field(default_factory=dict)
    """Output-relative path → file to copy as it is."""
    remember: list[Callable[[], None]] = field(default_factory=list)
    """To run once the files are made: keeps what making them found for the next build."""
    closures: dict[str, tuple[str, str]] = field(default_factory=dict)
    """What each template used is made of (see :class:`TemplateKeys`)."""
    counts: str = ""
    """The :func:`counts_key` the files were planned with."""
    follows_everything: bool = False
    """Whether a file is made with a template of the site's own that may show
    anything (see :class:`TemplateKeys`): its key holds every content file."""
    gathered: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """Files that hold the texts of many events (calendars, feeds): output path →
    what their key is made of, the name (see :meth:`PageKeys.calendar`) and the
    events' source paths in order."""
    entries: dict[str, str] = field(default_factory=dict)
    """The cache key of each event's calendar entry, by source path."""
    rows: MemberRows | None = None
    """The members' rows of the exports and the directory index."""

    def add(self, path: str, make: Callable[[], bytes], source: str, key: str) -> None:
        if path in self.files or path in self.copies:
            other = self.files[path].source if path in self.files else ""
            if _is_content(other) and not _is_content(source):
                source, other = other, source  # name the file an editor can rename
            if _is_content(other):
                raise ContentError([Problem(source, 0, 0, "", msg(
                    "would be written to {path}, which {file} already uses", path=path,
                    file=other), msg("rename one of the two files"))])
            raise ContentError([Problem(source, 0, 0, "", msg(
                "would be written to {path}, which the site uses for a page of its own",
                path=path), msg("rename the file"))])
        self.files[path] = Planned(make, source, key)

    def data(self, path: str) -> bytes:
        """The bytes of one file, made now."""
        return self.files[path].make()


def _is_content(source: str) -> bool:
    return source.startswith(("content/members/", "content/events/", "content/pages/"))


def template_problem(error: jinja2.TemplateError, site_root: Path) -> Problem:
    """A template that cannot be read or run, as a problem at its file and line."""
    folders = (str(site_root / "templates") + "/", str(PROJECT_TEMPLATES) + "/")
    name = getattr(error, "filename", None) or getattr(error, "name", None) or "templates/"
    line = getattr(error, "lineno", None) or 0
    reason = error.message or type(error).__name__
    if isinstance(error, jinja2.TemplateNotFound):
        # Where the missing one is named: the innermost template frame.
        frame = error.__traceback__
        while frame is not None:
            if frame.tb_frame.f_code.co_filename.startswith(folders):
                name, line = frame.tb_frame.f_code.co_filename, frame.tb_lineno
            frame = frame.tb_next
        reason = msg("there is no template '{name}'", name=error.name)
    for folder in (site_root, PROJECT_TEMPLATES.parent):
        if name.startswith(str(folder) + "/"):
            name = name[len(str(folder)) + 1:]
            break
    return Problem(name, line, 0, "", msg("the template cannot be used: {reason}",
                                          reason=reason), msg("correct the template"))


def surrounding_inputs(content: Content, site_root: Path, today: dt.date,
                       search: Path | None) -> str:
    """A key of everything a build's files are made from but the texts of the
    content files (see :func:`site_inputs`), and of the engine.

    The settings and vocabularies, the other files below ``content/``,
    ``static/`` and ``templates/`` (the site's and the project's) by their size
    and time, then the date and the search indexer.
    """
    parts = [content.config.model_dump_json(), today.isoformat(),
             *(term.model_dump_json() for term in content.industries + content.regions)]
    parts += [f"{rel} {_stamp(site_root / rel)}" for rel in content.other_files]
    for folder in (PROJECT_STATIC, site_root / "static", PROJECT_TEMPLATES,
                   site_root / "templates"):
        parts.append(str(folder))
        parts += [f"{file.relative_to(folder)} {_stamp(file)}"
                  for file in sorted(folder.rglob("*")) if file.is_file()]
    if search is not None:
        parts.append(f"{search} {_stamp(search)}")
    return key("surroundings", *parts)


def site_inputs(surroundings: str, texts: int) -> str:
    """A key of everything a build's files are made from: two builds with the
    same key make the same files.

    ``surroundings`` is :func:`surrounding_inputs`, ``texts`` the
    :func:`texts_key` of the content files.
    """
    return key("inputs", surroundings, f"{texts:064x}")


TEXTS_MODULUS = 2 ** 256


def texts_key(identities: Iterable[str]) -> int:
    """A hash of the content files by their text (their :func:`identity`) that an
    edit updates file by file (:func:`texts_key_with`): the sum of their hashes.
    (The order the files are loaded in follows from their names.)"""
    return sum(map(_identity_hash, identities)) % TEXTS_MODULUS


def texts_key_with(texts: int, before: Iterable[str], after: Iterable[str]) -> int:
    """``texts`` with the files known by the identities ``before`` known by ``after``."""
    return (texts - sum(map(_identity_hash, before))
            + sum(map(_identity_hash, after))) % TEXTS_MODULUS


def _identity_hash(identity: str) -> int:
    return int.from_bytes(hashlib.sha256(identity.encode()).digest(), "big")


def make_environment(site_root: Path, compiled: Path | None = None) -> jinja2.Environment:
    """Templates from the site's own ``templates/`` first, then the project's.

    With ``compiled``, templates compiled by earlier builds are kept in that
    folder (Jinja checks them against the template's text).
    """
    loaders = [jinja2.FileSystemLoader(str(PROJECT_TEMPLATES))]
    if (site_root / "templates").is_dir():
        loaders.insert(0, jinja2.FileSystemLoader(str(site_root / "templates")))
    bytecode = None
    if compiled is not None:
        try:
            compiled.mkdir(parents=True, exist_ok=True)
            bytecode = _CompiledTemplates(str(compiled))
        except OSError:
            pass
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=bytecode,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates compiled by earlier builds; one that cannot be read or kept is
    compiled again (Jinja itself lets a damaged file's error through)."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - whatever unpickling a damaged file raises
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def relative_root(path: str) -> str:
    """The prefix from a page at ``path`` back to the site root: ``../../``."""
    depth = path.count("/")
    return "../" * depth if depth else "./"


def output_file(path: str) -> str:
    """``mitglieder/x/`` → ``mitglieder/x/index.html``; file paths stay."""
    return path + "index.html" if path == "" or path.endswith("/") else path


class EventTimes:
    """Human-readable dates and times of events, in the site's zone and language."""

    def __init__(self, site: Site, t: Translator):
        self.zone = site.config.zone
        self.t = t
        self.today = site.today

    def when(self, event: EventPage) -> str:
        """``Donnerstag, 2. April 2020, 10:00–11:30 Uhr``."""
        start, end = event.data.start, event.data.end
        if not isinstance(start, dt.datetime):
            if end is None or end == start:
                return self.t.date(start)
            return f"{self.t.date(start)} – {self.t.date(end)}"
        start = start.astimezone(self.zone)
        end = end.astimezone(self.zone) if isinstance(end, dt.datetime) else None
        if end is None or end.date() == start.date():
            return f"{self.t.date(start.date())}, {self.t.time_range(start, end)}"
        return (f"{self.t.date(start.date())}, {self.t.time_range(start, None)} – "
                f"{self.t.date(end.date())}, {self.t.time_range(end, None)}")

    def short(self, event: EventPage) -> str:
        """``02.04.2020`` for lists."""
        text = self.t.date(event.first_day, "numeric")
        if event.last_day != event.first_day:
            text += f"–{self.t.date(event.last_day, 'numeric')}"
        return text

    def iso(self, event: EventPage) -> str:
        """The ``datetime`` attribute of a ``<time>`` element."""
        start = event.data.start
        return start.isoformat() if isinstance(start, dt.datetime) else start.isoformat()

    def registration_open(self, event: EventPage) -> bool:
        registration = event.data.registration
        if registration is None or event.last_day < self.today:
            return False
        return registration.deadline is None or registration.deadline >= self.today


def map_url(place: Address | Venue) -> str:
    """A search for the address on openstreetmap.org: a link, never an embed."""
    parts = [getattr(place, "name", None) if not getattr(place, "street", None) else None,
             place.street, place.postal_code, place.city]
    query = ", ".join(p for p in parts if p)
    return "https://www.openstreetmap.org/search?query=" + quote(query)


EVERYTHING = "everything"
"""What a page made with a template that may show anything shows (see :class:`TemplateKeys`)."""


class TemplateKeys:
    """What each template is made of: its text and the texts of the templates it
    extends, includes or imports, found by reading them (as Jinja's own
    :func:`jinja2.meta.find_referenced_templates` does).

    A page's key holds the digest of its template's closure, so a changed
    template makes again only the pages that use it. The project's templates
    show exactly what :class:`PageKeys` describes, and so do the site's own
    templates that keep to it (see :mod:`verbund.own_templates`); a closure
    with any other template of the site's own (or one that names a template only
    known when it runs) may show anything, so its pages also follow every
    content file.
    """

    def __init__(self, env: jinja2.Environment, site_root: Path,
                 known: dict[str, tuple[str, str]] | None = None):
        self.env = env
        self.loader: jinja2.BaseLoader = env.loader  # type: ignore[assignment]
        self.own_folder = str((site_root / "templates").absolute()) + os.sep
        self.closures: dict[str, tuple[str, str]] = dict(known or {})
        """By template name; ``known`` are those of a build from the same templates."""

    def closure(self, name: str) -> tuple[str, str]:
        """The digest of ``name`` and all it uses, and what its pages show beyond
        their inputs: ``""``, :data:`~verbund.own_templates.COUNTS`, or
        :data:`EVERYTHING` (a template of the site's own that may show anything)."""
        if name not in self.closures:
            digest = hashlib.sha256()
            anything = False
            counts = False
            seen: set[str] = set()
            todo = [name]
            while todo:
                current = todo.pop()
                if current in seen:
                    continue
                seen.add(current)
                try:
                    text, filename, _ = self.loader.get_source(self.env, current)
                    tree = self.env.parse(text)
                    used = meta.find_referenced_templates(tree)
                except jinja2.TemplateError:  # reported when the page is made
                    digest.update(f"{current}\nbroken\n".encode())
                    anything = True
                    continue
                if os.path.abspath(filename).startswith(self.own_folder):
                    used = list(used)
                    beyond = shown_beyond(tree, current, name)
                    anything = anything or None in used or beyond is None
                    counts = counts or beyond == COUNTS
                digest.update(f"{current}\n{len(text)}\n{text}".encode())
                for other in used:  # None: a name chosen while running, so any of them
                    todo += [other] if other is not None else self.loader.list_templates()
            self.closures[name] = digest.hexdigest(), (
                EVERYTHING if anything else COUNTS if counts else "")
        return self.closures[name]


class PageKeys:
    """The key of each file: a hash of exactly the inputs it shows.

    Every key holds the site's settings and vocabularies; a page about one
    member or event adds the files it draws on, a list adds the fields of what
    it lists (lists show no texts), and only what depends on the date adds
    ``today``. These are what the project's templates show; a page made with a
    template of the site's own that may show more adds :attr:`everything` (see
    :class:`TemplateKeys`).
    """

    def __init__(self, site: Site, search_enabled: bool, counts: str | None = None):
        terms = [(term.path, term.name, term.description or "")
                 for term in site.industries + site.regions + site.associations]
        menu = [(free.path, free.data.model_dump_json()) for free in site.menu_pages]
        shared = (site.config.model_dump_json(), json.dumps(site.words, sort_keys=True),
                  repr(terms), repr(menu), str(search_enabled))
        self.site = site
        self.base = key("site", *shared)
        self.members = self.listing("members", "", site.members)
        """Lists of members (they show nothing of events and nothing dated)."""
        self.events = self.listing("events", site.today.isoformat(), site.events)
        """Lists of events (upcoming, past)."""
        self.feeds_name = "feeds " + site.today.isoformat()
        """What the key of a feed is made of, besides its events (see :meth:`calendar`)."""
        self.counts = counts if counts is not None else counts_key(site)
        """What a page shows that counts members and events (see :func:`counts_key`);
        given by a build that lays out part of the site."""

    @functools.cached_property
    def everything(self) -> str:
        """What changes with any content file (and the date)."""
        site = self.site
        return key("all", self.base, site.today.isoformat(),
                   *map(identity, site.members + site.events + site.pages))

    def of(self, *parts: str) -> str:
        return key(self.base, *parts)

    @functools.cached_property
    def rows(self) -> str:
        """What the key of each member's rows of the exports holds besides its fields."""
        return self.of("rows")

    def row(self, source: str, data_digest: str) -> str:
        """The key of the rows of the member in ``source`` with fields of ``data_digest``
        (joined, not hashed again: one per member adds up)."""
        return f"{self.rows} {source} {data_digest}"

    def listing(self, kind: str, path: str, pages: list[Any]) -> str:
        """A page or file that lists ``pages`` (members or events), showing no texts."""
        return key(self.base, kind, path, *map(listed, pages))

    def calendar(self, name: str, events: list[EventPage]) -> str:
        """A calendar or feed called ``name`` of ``events`` (it holds their texts)."""
        return self.calendar_of(name, list(map(identity, events)))

    def calendar_of(self, name: str, identities: list[str]) -> str:
        """:meth:`calendar` of events known by their :func:`identity`."""
        return key(self.base, "ics", name, *identities)


def counts_key(site: Site) -> str:
    """How many members and events the site, each term and each series list."""
    lists = site.industries + site.regions + site.associations + site.series
    return key("counts", str(len(site.members)), str(len(site.events)),
               repr([(page.path, len(getattr(page, "members", ())), len(page.events))
                     for page in lists]))


def identity(page: MemberPage | EventPage | FreePage) -> str:
    """A content file as pages built from it see it: its name and its text."""
    return f"{page.source} {page.digest}"


def listed(page: MemberPage | EventPage) -> str:
    """A content file as lists see it: its name and its fields."""
    return f"{page.source} {page.data_digest}"


def _stamp(file: Path) -> str:
    """Size and modification time of a file the build reads directly (a logo)."""
    try:
        status = file.stat()
    except OSError:
        return "missing"
    return f"{status.st_size} {status.st_mtime_ns}"


def render_site(site: Site, site_root: Path, bodies: Mapping[str, str],
                search_enabled: bool = False, cache: Cache | None = None,
                closures: dict[str, tuple[str, str]] | None = None,
                counts: str | None = None) -> Output:
    """Every file of the site, keyed by output path, to be made when written.

    ``bodies`` holds the HTML of every Markdown body by source path (see
    :mod:`verbund.bodies`). ``search_enabled`` links the search page; the index
    itself is made after writing, from the finished pages (see :mod:`verbund.search`).
    A ``cache`` lends calendar entries and compiled templates made by earlier
    builds; ``closures`` are :attr:`Output.closures` of a build from the same templates,
    ``counts`` the :attr:`Output.counts` of a build of the whole site (when this
    one lays out part of it).
    Template errors surface when a file is made, as :class:`jinja2.TemplateError`.
    """
    env = make_environment(site_root, cache.folder / "templates" if cache and cache.folder
                           else None)
    t = Translator(site.config.language)
    times = EventTimes(site, t)
    keys = PageKeys(site, search_enabled, counts)
    templates = TemplateKeys(env, site_root, closures)
    output = Output(closures=templates.closures, counts=keys.counts)

    def templated(template: str, page_key: str) -> str:
        """The key of a file made with ``template`` (joined, not hashed again: one
        per page adds up)."""
        digest, beyond = templates.closure(template)
        if not beyond:
            return f"{page_key} {digest}"
        if beyond == COUNTS:
            return f"{page_key} {digest} {keys.counts}"
        output.follows_everything = True
        return f"{page_key} {digest} {keys.everything}"

    def body(item: Any) -> str:
        return bodies[item.source]

    calendar_file = site.words["calendar"]
    env.globals.update(site=site, config=site.config, t=t, times=times, body=body,
                       words=site.words, map_url=map_url, money=t.money,
                       search_enabled=search_enabled, calendar_file=calendar_file,
                       webcal=lambda path: "webcal://" + site.url(path).split("://", 1)[1])
    env.filters["tel_uri"] = lambda phone: "tel:" + tel(phone)

    def page(template: str, path: str, source: str, page_key: str,
             context: Callable[[], dict[str, Any]] = dict) -> None:
        def make() -> bytes:
            return env.get_template(template).render(
                root=relative_root(path), path=path, **context()).encode("utf-8")
        output.add(output_file(path), make, source, templated(template, page_key))

    page("home.html", "", "site.yaml", keys.of(
        "home", str(len(site.members)), *map(listed, site.upcoming[:4]),
        repr([len(term.members) for term in site.industries + site.associations])))
    members_path = f"{site.words['members']}/"
    page("members.html", members_path, "site.yaml", keys.members, lambda: {
        "facets": facets(site, t),
        "directory_strings": {"one": t("results_count_one"), "many": t("results_count"),
                              "none": t("results_count_none")}})
    rows = output.rows = MemberRows(site, cache, lambda m: keys.row(m.source, m.data_digest))
    made_of_rows = {MemberRows.INDEX: lambda: directory_index(site, t, rows.index_rows()),
                    MemberRows.CSV: lambda: members_csv(site, rows),
                    MemberRows.JSON: lambda: members_json(site, rows)}
    for path, kind in row_files(site.words).items():
        output.add(path, made_of_rows[kind], "site.yaml", keys.members)
    for member in site.members:
        _member_files(output, page, keys, site, site_root, member)
    for kind, terms, source in (("industries", site.industries, "content/industries.yaml"),
                                ("regions", site.regions, "content/regions.yaml"),
                                ("associations", site.associations, "site.yaml")):
        page("terms.html", f"{site.words[kind]}/", source,
             keys.of("terms", kind, repr([(term.path, len(term.members)) for term in terms])),
             lambda t_kind=kind, t_terms=terms: {"heading": t(t_kind), "terms": t_terms})
        for term in terms:
            page("term.html", term.path, source,
                 keys.listing("term", term.path, term.members + term.events),
                 lambda term=term, kind=kind: {"term": term, "kind_words": kind})
    page("events.html", f"{site.words['events']}/", "site.yaml", keys.events)
    for year, events in site.events_by_year.items():
        page("archive.html", f"{site.words['events']}/{site.words['archive']}/{year}/",
             "site.yaml", keys.listing("archive", f"{year} {site.today}", events),
             lambda year=year, events=events: {
                 "year": year, "events": events})
    output.entries = {event.source: keys.of("vevent", identity(event))
                      for event in site.events}
    calendars = Calendars(site, bodies, t, cache, output.entries)
    output.remember.append(calendars.save)
    for event in site.events:
        _event_files(output, page, keys, site, times, calendars, event, body)
    def gathering(path: str, make: Callable[[], bytes], name: str,
                  events: list[EventPage]) -> None:
        """A file holding the texts of ``events`` (see :attr:`Output.gathered`)."""
        output.add(path, make, "site.yaml", keys.calendar(name, events))
        output.gathered[path] = (name, [event.source for event in events])

    for series in site.series:
        page("series.html", series.path, "site.yaml",
             keys.listing("series", series.path, series.events),
             lambda series=series: {"series": series})
        gathering(series.path + calendar_file, lambda series=series: calendars.file(
            series.events, t("calendar_of", name=series.name)), series.path, series.events)
    events_path = f"{site.words['events']}/"
    gathering(events_path + calendar_file,
              lambda: calendars.file(site.events, site.config.title), events_path,
              site.events)
    for term in site.associations + site.industries:
        gathering(term.path + calendar_file, lambda term=term: calendars.file(
            term.events, t("calendar_of", name=term.name)), term.path, term.events)
    feed_title = f"{t('events')} – {site.config.title}"
    for name, feed in (("feed.xml", atom), ("feed.json", json_feed)):
        def make_feed(name: str = name, feed: Callable[..., bytes] = feed) -> bytes:
            newest = feed_events(site)
            when = {event.source: times.when(event) for event in newest}
            return feed(site, newest, feed_title, events_path + name, bodies, when)
        gathering(events_path + name, make_feed, keys.feeds_name, site.events)
    if site.speakers:
        page("speakers.html", f"{site.words['events']}/{site.words['speakers']}/",
             "site.yaml", keys.events)
    for free in site.pages:
        page("page.html", free.path, free.source, keys.of("page", identity(free)),
             lambda free=free: {"page": free})
    if search_enabled:
        page("search.html", f"{site.words['search']}/", "site.yaml", keys.of("search"))

    # The 404 page is served at any depth: its links are absolute paths.
    base_path = "/" + site.config.base_url.split("://", 1)[1].split("/", 1)[1]
    output.add("404.html", lambda: env.get_template("404.html").render(
        root=base_path, path="404.html").encode("utf-8"), "site.yaml",
        templated("404.html", keys.of("404")))
    pages = sorted(p[: -len("index.html")] for p in output.files if p.endswith("index.html"))
    output.add("sitemap.xml", lambda: env.get_template("sitemap.xml").render(
        paths=pages).encode("utf-8"), "site.yaml",
        templated("sitemap.xml", keys.of("sitemap", *pages)))
    output.add("robots.txt", lambda: env.get_template("robots.txt").render().encode("utf-8"),
               "site.yaml", templated("robots.txt", keys.of("robots")))

    for folder in (PROJECT_STATIC, site_root / "static"):
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                if file.is_file() and not file.is_symlink():
                    output.copies[f"static/{file.relative_to(folder).as_posix()}"] = file
    return output


Page = Callable[..., None]


def _no_logo() -> None:
    return None


def _member_files(output: Output, page: Page, keys: PageKeys, site: Site, site_root: Path,
                  member: MemberPage) -> None:
    """A member's profile page, its vCard and its logo."""
    logo_file = site_root / "content" / "members" / member.data.logo if member.data.logo \
        else None
    logo_stamp = _stamp(logo_file) if logo_file else ""
    talks = [listed(event) for event in member.talks]
    logo: Callable[[], Any] = _no_logo
    if logo_file is not None:
        logo = functools.cache(lambda: fit_logo(logo_file))
        output.add(member.path + "logo.png", lambda: logo().data, member.source,
                   keys.of("logo", member.source, logo_stamp))
    page("member.html", member.path, member.source,
         keys.of("member", identity(member), logo_stamp, *talks), lambda: {
             "member": member, "jsonld": member_jsonld(site, member), "logo": logo()})
    output.add(member.path + member.slug + ".vcf", lambda: vcard(site, member), member.source,
               keys.of("vcard", identity(member)))


def _event_files(output: Output, page: Page, keys: PageKeys, site: Site, times: EventTimes,
                 calendars: Calendars, event: EventPage, body: Callable[[Any], str]) -> None:
    """An event's page and its calendar file."""
    speakers = [listed(ref.member) for ref in event.speakers if ref.member]
    past = event.last_day < site.today
    registration_open = times.registration_open(event)
    page("event.html", event.path, event.source,
         keys.of("event", identity(event), *speakers, str(past), str(registration_open)),
         lambda: {
             "event": event, "past": past, "registration_open": registration_open,
             "jsonld": event_jsonld(site, event, body(event)),
             "video": video_embed(event.data.recording) if event.data.recording else None})
    output.add(event.path + event.slug + ".ics",
               lambda: calendars.file([event], event.data.title), event.source,
               keys.of("event-ics", identity(event)))
