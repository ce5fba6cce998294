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
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from .cache import Cache
from .calendars import Calendars
from .dependencies import SITE_SETTINGS, Memo, digest, file_fingerprint, record
from .directory import directory_index, facets, initials
from .exports import MemberRows, members_csv, members_json, members_xlsx, row_files, tel, vcard
from .feeds import atom, feed_events, json_feed
from .i18n import Translator
from .images import (
    LOGO_HEIGHTS,
    LogoError,
    Picture,
    fit_logo,
    font_weights,
    make_picture,
    plan_picture,
)
from .markup import headings_below, plain_text
from .media import video_embed
from .messages import msg
from .models import Address, Venue
from .previews import first_sentence, summary
from .problems import ContentError, Problem
from .site import EventPage, MemberPage, SeriesPage, Site, TermPage
from .structured import event_jsonld, member_jsonld

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROJECT_TEMPLATES = PROJECT_ROOT / "templates"
PROJECT_STATIC = PROJECT_ROOT / "static"


@dataclass
class Planned:
    """One file of the site, not made yet: how to make it and where it comes from."""

    make: Callable[[], bytes]
    source: str
    """The content file it comes from, for messages."""
    key: str = ""
    """A hash of what it read when it was made and the fingerprints of that (see
    :func:`~verbund.dependencies.key_of`): the same key, the same bytes. Empty
    until it is made, unless the previous build's file can be kept."""
    reads: frozenset[str] | None = None
    """The inputs it read, once made (see :mod:`verbund.dependencies`)."""


@dataclass
class Output:
    """What the write stage puts into the output folder."""

    files: dict[str, Planned] = field(default_factory=dict)
    """Output-relative path → the file, made when the write stage needs it."""
    copies: dict[str, Path] = field(default_factory=dict)
    """Output-relative path → file to copy as it is."""
    remember: list[Callable[[], None]] = field(default_factory=list)
    """To run once the files are made: keeps what making them found for the next build."""
    memos: dict[str, tuple[int, Callable[[], list[str]]]] = field(default_factory=dict)
    """The cache tables of derived values (see :class:`~verbund.dependencies.Memo`):
    how many the site uses now, and their names."""

    def add(self, path: str, make: Callable[[], bytes], source: str) -> None:
        if path in self.files or path in self.copies:
            other = self.files[path].source if path in self.files else ""
            if _is_content(other) and not _is_content(source):
                source, other = other, source  # name the file an editor can rename
            if _is_content(other):
                raise ContentError(
                    [
                        Problem(
                            source,
                            0,
                            0,
                            "",
                            msg(
                                "would be written to {path}, which {file} already uses",
                                path=path,
                                file=other,
                            ),
                            msg("rename one of the two files"),
                        )
                    ]
                )
            raise ContentError(
                [
                    Problem(
                        source,
                        0,
                        0,
                        "",
                        msg(
                            "would be written to {path}, which the site uses for a page of its own",
                            path=path,
                        ),
                        msg("rename the file"),
                    )
                ]
            )
        self.files[path] = Planned(make, source)

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
            name = name[len(str(folder)) + 1 :]
            break
    return Problem(
        name,
        line,
        0,
        "",
        msg("the template cannot be used: {reason}", reason=reason),
        msg("correct the template"),
    )


def template_fingerprints(site_root: Path) -> dict[str, str]:
    """The fingerprint of every template by name (``template:NAME``): the site's
    own where it has one, else the project's."""
    found: dict[str, str] = {}
    for origin, folder in (("project", PROJECT_TEMPLATES), ("site", site_root / "templates")):
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                if file.is_file():
                    found[TEMPLATE + file.relative_to(folder).as_posix()] = digest(
                        origin, hashlib.sha256(file.read_bytes()).hexdigest()
                    )
    return found


def site_fingerprints(site: Site, site_root: Path, search_enabled: bool) -> dict[str, str]:
    """The fingerprint of every input a file of the site can read (see
    :mod:`verbund.dependencies`): the site graph's, the templates', the logos'."""
    found = site.fingerprints()
    found[SITE_SETTINGS] = digest(found[SITE_SETTINGS], f"search {search_enabled}")
    found.update(template_fingerprints(site_root))
    for member in site.members:
        if member.data.logo:
            rel = f"content/members/{member.data.logo}"
            found[FILE + rel] = file_fingerprint(site_root / rel)
    for rel in site_files(site):
        found[FILE + rel] = file_fingerprint(site_root / rel)
    return found


def site_files(site: Site) -> list[str]:
    """The files below ``static/`` that ``site.yaml`` names and the build reads
    itself: the home page's picture, the associations' logos, the font."""
    config = site.config
    names = [a.logo for a in config.associations if a.logo]
    if config.hero:
        names.append(config.hero.image)
    if config.brand and config.brand.font:
        names.append(config.brand.font)
    return [f"static/{name}" for name in dict.fromkeys(names)]


class SitePictures:
    """The pictures ``site.yaml`` names (the home page's, the associations'
    logos), each made into widths and formats under ``images/``, and the font.

    Which files a picture becomes is planned from its header; a template asks
    for a picture with :meth:`__call__`, which records the file as an input of
    the page (its sizes and names come from it), and every file made of it
    records it too. Each picture is decoded once per build, when a file needs it.
    """

    def __init__(self, site_root: Path, output: Output):
        self.site_root = site_root
        self.output = output
        self.planned: dict[str, Picture] = {}
        self.made = functools.cache(self._make)

    def plan(self, name: str, logo: bool, field: str) -> None:
        """Plan the files of the picture ``static/NAME`` (``field``: where
        ``site.yaml`` names it, for messages)."""
        rel = f"static/{name}"
        if rel in self.planned:
            return
        stem = "images/" + name.rsplit(".", 1)[0]
        try:
            picture = plan_picture(
                self.site_root / rel,
                stem,
                self.site_root,
                heights=LOGO_HEIGHTS if logo else None,
            )
        except LogoError as error:  # changed since the check
            problem = Problem("site.yaml", 0, 0, field, error.message, error.hint)
            raise ContentError([problem]) from None
        self.planned[rel] = picture
        for variant in picture.variants:
            if variant.format == "svg":
                continue  # the copy of static/ serves it
            self.output.add(
                variant.path, functools.partial(self._file, rel, variant.path), "site.yaml"
            )

    def __call__(self, name: str) -> Picture:
        rel = f"static/{name}"
        record(FILE + rel)
        return self.planned[rel]

    def font_weights(self, name: str) -> str:
        """The ``font-weight`` of the site's font in ``@font-face``: the range
        of a variable font, else ``normal``."""
        rel = f"static/{name}"
        record(FILE + rel)
        try:
            found = font_weights(self.site_root / rel, self.site_root)
        except (LogoError, OSError):
            found = None
        return f"{found[0]} {found[1]}" if found else "normal"

    def _file(self, rel: str, path: str) -> bytes:
        record(FILE + rel)
        return self.made(rel)[path]

    def _make(self, rel: str) -> dict[str, bytes]:
        try:
            return make_picture(self.site_root / rel, self.planned[rel], self.site_root)
        except LogoError as error:  # changed since the check
            problem = Problem("site.yaml", 0, 0, "", error.message, error.hint)
            raise ContentError([problem]) from None


TEMPLATE = "template:"
"""Inputs named after a template (``template:member.html``)."""
FILE = "file:"
"""Inputs named after a file the build reads directly (``file:content/members/x.png``)."""


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
    return RecordingEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=bytecode,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class RecordingTemplate(jinja2.Template):
    """A template whose module (what ``{% import %}`` and ``{% from %}`` take)
    is made anew for every file, so that what its top level reads is recorded
    for each file that imports it, not only for the first."""

    def _get_default_module(self, ctx: jinja2.runtime.Context | None = None) -> Any:
        if ctx is not None:
            keys = ctx.globals_keys - self.globals.keys()
            if keys:
                return self.make_module({key: ctx.parent[key] for key in keys})
        return self.make_module()


class RecordingEnvironment(jinja2.Environment):
    """Every template a file is made with (extended, included, imported) is
    recorded as an input of that file (see :mod:`verbund.dependencies`)."""

    template_class = RecordingTemplate

    def get_template(
        self,
        name: str | jinja2.Template,
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        if isinstance(name, str):
            record(TEMPLATE + name)
        return super().get_template(name, parent, globals)

    def select_template(
        self,
        names: Iterable[str | jinja2.Template],
        parent: str | None = None,
        globals: MutableMapping[str, Any] | None = None,
    ) -> jinja2.Template:
        names = list(names)
        for name in names:
            if isinstance(name, str):
                record(TEMPLATE + name)
        return super().select_template(names, parent, globals)


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
        return (
            f"{self.t.date(start.date())}, {self.t.time_range(start, None)} – "
            f"{self.t.date(end.date())}, {self.t.time_range(end, None)}"
        )

    def tile(self, event: EventPage) -> tuple[str, str, str]:
        """Day, month and year of the first day, for the date tile of a list:
        ``("3", "Dez.", "2026")``."""
        day = event.first_day
        return str(day.day), self.t.date(day, "month"), str(day.year)

    def in_list(self, event: EventPage) -> str:
        """Weekday and time beside the date tile: ``Do., 10:00–11:30 Uhr``;
        ``Fr. bis Sa., 6. März`` for several days."""
        start, end = event.data.start, event.data.end
        weekday = self.t.date(event.first_day, "weekday")
        if not isinstance(start, dt.datetime):
            if event.last_day == event.first_day:
                return f"{weekday}, {self.t('all_day')}"
            last = self.t.date(event.last_day, "weekday_day")
            return self.t("until", start=weekday, end=last)
        start = start.astimezone(self.zone)
        end = end.astimezone(self.zone) if isinstance(end, dt.datetime) else None
        if end is None or end.date() == start.date():
            return f"{weekday}, {self.t.time_range(start, end)}"
        last = self.t.date(end.date(), "weekday_day")
        return self.t(
            "until",
            start=f"{weekday}, {self.t.time_range(start, None)}",
            end=f"{last}, {self.t.time_range(end, None)}",
        )

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
        return event.registration_open


def map_url(place: Address | Venue) -> str:
    """A search for the address on openstreetmap.org: a link, never an embed."""
    parts = [
        getattr(place, "name", None) if not getattr(place, "street", None) else None,
        place.street,
        place.postal_code,
        place.city,
    ]
    query = ", ".join(p for p in parts if p)
    return "https://www.openstreetmap.org/search?query=" + quote(query)


class RecordedBodies(Mapping[str, str]):
    """The HTML of the bodies by source path; looking one up records the text
    as an input of what is being made."""

    def __init__(self, bodies: Mapping[str, str]):
        self.bodies = bodies

    def __getitem__(self, source: str) -> str:
        record(source + "#text")
        return self.bodies[source]

    def __iter__(self) -> Iterator[str]:
        return iter(self.bodies)

    def __len__(self) -> int:
        return len(self.bodies)


def render_site(
    site: Site,
    site_root: Path,
    bodies: Mapping[str, str],
    search_enabled: bool = False,
    cache: Cache | None = None,
    fingerprints: Mapping[str, str] | None = None,
) -> Output:
    """Every file of the site, keyed by output path, to be made when written.

    ``bodies`` holds the HTML of every Markdown body by source path (see
    :mod:`verbund.bodies`). ``search_enabled`` links the search page; the index
    itself is made after writing, from the finished pages (see :mod:`verbund.search`).
    A ``cache`` keeps compiled templates, and with the ``fingerprints`` of the
    site's inputs (:func:`site_fingerprints`) it lends the calendar entries and
    members' rows that earlier builds made from the same inputs.
    Template errors surface when a file is made, as :class:`jinja2.TemplateError`.
    """
    env = make_environment(
        site_root, cache.folder / "templates" if cache and cache.folder else None
    )
    t = Translator(site.config.language)
    times = EventTimes(site, t)
    output = Output()
    bodies = RecordedBodies(bodies)
    fingerprints = fingerprints if fingerprints is not None else {}

    def memo(table: str) -> Memo:
        found = (cache or Cache(None)).memo(table, fingerprints)
        output.remember.append(found.save)
        return found

    def body(item: Any) -> str:
        return bodies[item.source]

    pictures = SitePictures(site_root, output)
    config = site.config
    for index, association in enumerate(config.associations):
        if association.logo:
            pictures.plan(association.logo, True, f"associations[{index}].logo")
    if config.hero:
        pictures.plan(config.hero.image, False, "hero.image")

    calendar_file = site.words["calendar"]
    env.globals.update(
        picture_of=pictures,
        font_weights=pictures.font_weights,
        site=site,
        config=site.config,
        t=t,
        times=times,
        body=body,
        words=site.words,
        map_url=map_url,
        money=t.money,
        search_enabled=search_enabled,
        calendar_file=calendar_file,
        webcal=lambda path: "webcal://" + site.url(path).split("://", 1)[1],
    )
    env.filters["tel_uri"] = lambda phone: "tel:" + tel(phone)
    env.filters["plain_text"] = plain_text
    env.filters["first_sentence"] = first_sentence
    env.filters["summary"] = summary
    env.filters["headings_below"] = headings_below
    env.filters["initials"] = initials

    def page(
        template: str, path: str, source: str, context: Callable[[], dict[str, Any]] = dict
    ) -> None:
        def make() -> bytes:
            return (
                env.get_template(template)
                .render(root=relative_root(path), path=path, **context())
                .encode("utf-8")
            )

        output.add(output_file(path), make, source)

    def terms_of(kind: str) -> dict[str, Any]:
        return {"heading": t(kind), "terms": getattr(site, kind)}

    def archive_of(year: int) -> dict[str, Any]:
        return {"year": year, "events": site.events_by_year[year]}

    def calendar_of(listing: TermPage | SeriesPage) -> bytes:
        return calendars.file(listing.events, t("calendar_of", name=listing.name))

    page("home.html", "", "site.yaml")
    members_path = f"{site.words['members']}/"
    page(
        "members.html",
        members_path,
        "site.yaml",
        lambda: {
            "facets": facets(site, t),
            "directory_strings": {
                "one": t("results_count_one"),
                "many": t("results_count"),
                "none": t("results_count_none"),
            },
            "card_sample": _card_sample(site),
        },
    )
    rows = MemberRows(site, memo("rows"))
    output.memos["rows"] = len(site.members), rows.names
    made_of_rows = {
        MemberRows.INDEX: lambda: directory_index(site, t, rows.index_rows()),
        MemberRows.CSV: lambda: members_csv(site, rows),
        MemberRows.JSON: lambda: members_json(site, rows),
        MemberRows.SHEET: lambda: members_xlsx(site, rows),
    }
    for path, rows_kind in row_files(site.words).items():
        output.add(path, made_of_rows[rows_kind], "site.yaml")
    for member in site.members:
        _member_files(output, page, site, site_root, member)
    for kind, terms, source in (
        ("industries", site.industries, "content/industries.yaml"),
        ("regions", site.regions, "content/regions.yaml"),
        ("associations", site.associations, "site.yaml"),
    ):
        page("terms.html", f"{site.words[kind]}/", source, functools.partial(terms_of, kind))
        for term in terms:
            for listing in term.pages:
                page(
                    "term.html",
                    listing.path,
                    source,
                    functools.partial(dict, term=term, listing=listing, kind_words=kind),
                )
    page("events.html", f"{site.words['events']}/", "site.yaml")
    for year in site.events_by_year:
        page(
            "archive.html",
            f"{site.words['events']}/{site.words['archive']}/{year}/",
            "site.yaml",
            functools.partial(archive_of, year),
        )
    calendars = Calendars(site, bodies, t, memo("vevent"))
    output.memos["vevent"] = len(site.events), calendars.names
    for event in site.events:
        _event_files(output, page, site, times, calendars, event, body)

    for series in site.series:
        page("series.html", series.path, "site.yaml", functools.partial(dict, series=series))
        output.add(series.path + calendar_file, functools.partial(calendar_of, series), "site.yaml")
    events_path = f"{site.words['events']}/"
    # A calendar needs an event (RFC 5545); the pages link only those that have one.
    if site.events:
        output.add(
            events_path + calendar_file,
            lambda: calendars.file(site.events, site.config.title),
            "site.yaml",
        )
    for term in site.associations + site.industries:
        if term.events:
            output.add(term.path + calendar_file, functools.partial(calendar_of, term), "site.yaml")
    feed_title = f"{t('events')} – {site.config.title}"
    for name, feed in (("feed.xml", atom), ("feed.json", json_feed)):

        def make_feed(name: str = name, feed: Callable[..., bytes] = feed) -> bytes:
            newest = feed_events(site)
            when = {event.source: times.when(event) for event in newest}
            return feed(site, newest, feed_title, events_path + name, bodies, when)

        output.add(events_path + name, make_feed, "site.yaml")
    if site.speakers:
        page("speakers.html", f"{site.words['events']}/{site.words['speakers']}/", "site.yaml")
    if site.partners:
        page("partners.html", f"{site.words['partners']}/", "content/partners.yaml")
    for partner in site.partners:
        page(
            "partner.html",
            partner.path,
            "content/partners.yaml",
            functools.partial(dict, partner=partner),
        )
    for free in site.pages:
        page("page.html", free.path, free.source, functools.partial(dict, page=free))
    if search_enabled:
        page("search.html", f"{site.words['search']}/", "site.yaml")

    # The 404 page is served at any depth: its links are absolute paths.
    base_path = "/" + site.config.base_url.split("://", 1)[1].split("/", 1)[1]
    output.add(
        "404.html",
        lambda: (
            env.get_template("404.html").render(root=base_path, path="404.html").encode("utf-8")
        ),
        "site.yaml",
    )
    pages = sorted(p[: -len("index.html")] for p in output.files if p.endswith("index.html"))

    def sitemap() -> bytes:
        record(SITEMAP)
        return env.get_template("sitemap.xml").render(paths=pages).encode("utf-8")

    output.add("sitemap.xml", sitemap, "site.yaml")
    output.add(
        "robots.txt", lambda: env.get_template("robots.txt").render().encode("utf-8"), "site.yaml"
    )

    for folder in (PROJECT_STATIC, site_root / "static"):
        if folder.is_dir():
            # The project ships the files directly in its static/; the folders in
            # it (fonts, pictures) are the demo site's own.
            own = folder == site_root / "static"
            for file in sorted(folder.rglob("*") if own else folder.glob("*")):
                if file.is_file() and not file.is_symlink():
                    output.copies[f"static/{file.relative_to(folder).as_posix()}"] = file
    return output


SITEMAP = "site#pages-made"
"""The input of the sitemap: which pages the site has (see :func:`pages_fingerprint`)."""


def pages_fingerprint(output: Output) -> str:
    """Which pages ``output`` has: what the sitemap lists."""
    return digest(*sorted(p for p in output.files if p.endswith("index.html")))


Page = Callable[..., None]


def _card_sample(site: Site) -> MemberPage | None:
    """The member whose card the directory page carries as the pattern its
    script fills for every member: one with a logo if any has one (so that the
    pattern holds the logo's markup), else the first."""
    return next((m for m in site.members if m.data.logo), site.members[0] if site.members else None)


def _no_logo() -> None:
    return None


def _member_files(
    output: Output, page: Page, site: Site, site_root: Path, member: MemberPage
) -> None:
    """A member's profile page, its vCard and its logo."""
    logo: Callable[[], Any] = _no_logo
    if member.data.logo:
        fitted = functools.cache(lambda rel: fit_logo(site_root / rel, root=site_root))

        def logo() -> Any:
            # Which file, read while the file is made: the fields say (and record) it.
            rel = f"content/members/{member.data.logo}"
            record(FILE + rel)
            try:
                return fitted(rel)
            except LogoError as error:  # changed since the check
                problem = Problem(member.source, 0, 0, "logo", error.message, error.hint)
                raise ContentError([problem]) from None

        output.add(member.path + "logo.png", lambda: logo().data, member.source)
    page(
        "member.html",
        member.path,
        member.source,
        lambda: {"member": member, "jsonld": member_jsonld(site, member), "logo": logo()},
    )
    output.add(member.path + member.slug + ".vcf", lambda: vcard(site, member), member.source)


def _event_files(
    output: Output,
    page: Page,
    site: Site,
    times: EventTimes,
    calendars: Calendars,
    event: EventPage,
    body: Callable[[Any], str],
) -> None:
    """An event's page and, unless its new date is yet to follow, its calendar file."""
    page(
        "event.html",
        event.path,
        event.source,
        lambda: {
            "event": event,
            "past": event.past,
            "registration_open": event.registration_open,
            "jsonld": event_jsonld(site, event, body(event)),
            "video": video_embed(event.data.recording) if event.data.recording else None,
        },
    )
    if event.date_to_follow:
        return  # its old date is no date to put into a calendar
    output.add(
        event.path + event.slug + ".ics",
        lambda: calendars.file([event], event.data.title),
        event.source,
    )
