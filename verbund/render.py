"""Render stage: the site graph to file contents (HTML, XML, text).

Markdown bodies arrive rendered and sanitised (see :mod:`verbund.bodies`); Jinja
templates (autoescaped) turn each page object into a document, and the other
modules of this stage add calendars, feeds, exports and logos. Nothing is written
to disk: the result is a mapping of output paths to bytes, plus files to copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2

from .calendars import calendar
from .directory import directory_index, facets
from .exports import members_csv, members_json, tel, vcard
from .feeds import atom, feed_events, json_feed
from .i18n import Translator
from .images import fit_logo
from .media import video_embed
from .messages import msg
from .models import Address, Venue
from .problems import ContentError, Problem
from .site import EventPage, Site
from .structured import event_jsonld, member_jsonld

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROJECT_TEMPLATES = PROJECT_ROOT / "templates"
PROJECT_STATIC = PROJECT_ROOT / "static"


@dataclass
class Output:
    """What the write stage puts into the output folder."""

    files: dict[str, bytes] = field(default_factory=dict)
    """Output-relative path → content."""
    copies: dict[str, Path] = field(default_factory=dict)
    """Output-relative path → file to copy as it is."""
    sources: dict[str, str] = field(default_factory=dict)
    """Output-relative path → the content file it came from, for messages."""

    def add(self, path: str, data: bytes, source: str) -> None:
        if path in self.files or path in self.copies:
            other = self.sources.get(path, "")
            if _is_content(other) and not _is_content(source):
                source, other = other, source  # name the file an editor can rename
            if _is_content(other):
                raise ContentError([Problem(source, 0, 0, "", msg(
                    "would be written to {path}, which {file} already uses", path=path,
                    file=other), msg("rename one of the two files"))])
            raise ContentError([Problem(source, 0, 0, "", msg(
                "would be written to {path}, which the site uses for a page of its own",
                path=path), msg("rename the file"))])
        self.files[path] = data
        self.sources[path] = source


def _is_content(source: str) -> bool:
    return source.startswith(("content/members/", "content/events/", "content/pages/"))


def template_problem(error: jinja2.TemplateError, site_root: Path) -> Problem:
    """A template that cannot be read or run, as a problem at its file and line."""
    name = getattr(error, "filename", None) or getattr(error, "name", None) or "templates/"
    for folder in (site_root, PROJECT_TEMPLATES.parent):
        if name.startswith(str(folder) + "/"):
            name = name[len(str(folder)) + 1:]
            break
    return Problem(name, getattr(error, "lineno", None) or 0, 0, "",
                   msg("the template cannot be used: {reason}", reason=error.message or
                       type(error).__name__), msg("correct the template"))


def make_environment(site_root: Path) -> jinja2.Environment:
    """Templates from the site's own ``templates/`` first, then the project's."""
    loaders = [jinja2.FileSystemLoader(str(PROJECT_TEMPLATES))]
    if (site_root / "templates").is_dir():
        loaders.insert(0, jinja2.FileSystemLoader(str(site_root / "templates")))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


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


def render_site(site: Site, site_root: Path, bodies: dict[str, str],
                search_enabled: bool = False) -> Output:
    """Every page of the site, as bytes, keyed by output path.

    ``bodies`` holds the HTML of every Markdown body by source path (see
    :mod:`verbund.bodies`). ``search_enabled`` links the search page; the index
    itself is made after writing, from the finished pages (see :mod:`verbund.search`).
    """
    env = make_environment(site_root)
    t = Translator(site.config.language)
    times = EventTimes(site, t)
    output = Output()

    def body(item: Any) -> str:
        return bodies[item.source]

    calendar_file = site.words["calendar"]
    env.globals.update(site=site, config=site.config, t=t, times=times, body=body,
                       words=site.words, map_url=map_url, money=t.money,
                       search_enabled=search_enabled, calendar_file=calendar_file,
                       webcal=lambda path: "webcal://" + site.url(path).split("://", 1)[1])
    env.filters["tel_uri"] = lambda phone: "tel:" + tel(phone)

    def page(template: str, path: str, source: str, **context: Any) -> None:
        html = env.get_template(template).render(
            root=relative_root(path), path=path, **context)
        output.add(output_file(path), html.encode("utf-8"), source)

    page("home.html", "", "site.yaml")
    members_path = f"{site.words['members']}/"
    page("members.html", members_path, "site.yaml", facets=facets(site, t),
         directory_strings={"one": t("results_count_one"), "many": t("results_count"),
                            "none": t("results_count_none")})
    output.add(members_path + "index.json", directory_index(site, t), "site.yaml")
    output.add("members.csv", members_csv(site), "site.yaml")
    output.add("members.json", members_json(site), "site.yaml")
    for member in site.members:
        logo = None
        if member.data.logo:
            logo = fit_logo(site_root / "content" / "members" / member.data.logo)
            output.add(member.path + "logo.png", logo.data, member.source)
        page("member.html", member.path, member.source, member=member, logo=logo,
             jsonld=member_jsonld(site, member))
        output.add(member.path + member.slug + ".vcf", vcard(site, member), member.source)
    for kind, terms, source in (("industries", site.industries, "content/industries.yaml"),
                                ("regions", site.regions, "content/regions.yaml"),
                                ("associations", site.associations, "site.yaml")):
        page("terms.html", f"{site.words[kind]}/", source, heading=t(kind), terms=terms)
        for term in terms:
            page("term.html", term.path, source, term=term, kind_words=kind)
    page("events.html", f"{site.words['events']}/", "site.yaml")
    for year, events in site.events_by_year.items():
        page("archive.html", f"{site.words['events']}/{site.words['archive']}/{year}/",
             "site.yaml", year=year, events=events)
    event_bodies = bodies
    for event in site.events:
        page("event.html", event.path, event.source, event=event,
             jsonld=event_jsonld(site, event, body(event)),
             video=video_embed(event.data.recording) if event.data.recording else None)
        output.add(event.path + event.slug + ".ics",
                   calendar(site, [event], event.data.title, event_bodies, t), event.source)
    for series in site.series:
        page("series.html", series.path, "site.yaml", series=series)
        output.add(series.path + calendar_file, calendar(
            site, series.events, t("calendar_of", name=series.name), event_bodies, t),
            "site.yaml")
    events_path = f"{site.words['events']}/"
    output.add(events_path + calendar_file,
               calendar(site, site.events, site.config.title, event_bodies, t), "site.yaml")
    for term in site.associations + site.industries:
        output.add(term.path + calendar_file, calendar(
            site, term.events, t("calendar_of", name=term.name), event_bodies, t),
            "site.yaml")
    newest = feed_events(site)
    when = {event.source: times.when(event) for event in newest}
    feed_title = f"{t('events')} – {site.config.title}"
    output.add(events_path + "feed.xml", atom(site, newest, feed_title, events_path +
                                              "feed.xml", event_bodies, when), "site.yaml")
    output.add(events_path + "feed.json", json_feed(site, newest, feed_title, events_path +
                                                    "feed.json", event_bodies, when),
               "site.yaml")
    if site.speakers:
        page("speakers.html", f"{site.words['events']}/{site.words['speakers']}/",
             "site.yaml")
    for free in site.pages:
        page("page.html", free.path, free.source, page=free)
    if search_enabled:
        page("search.html", f"{site.words['search']}/", "site.yaml")

    # The 404 page is served at any depth: its links are absolute paths.
    base_path = "/" + site.config.base_url.split("://", 1)[1].split("/", 1)[1]
    html = env.get_template("404.html").render(root=base_path, path="404.html")
    output.add("404.html", html.encode("utf-8"), "site.yaml")
    output.add("sitemap.xml", env.get_template("sitemap.xml").render(
        paths=sorted(p[: -len("index.html")] for p in output.files
                     if p.endswith("index.html"))).encode("utf-8"), "site.yaml")
    output.add("robots.txt", env.get_template("robots.txt").render().encode("utf-8"),
               "site.yaml")

    for folder in (PROJECT_STATIC, site_root / "static"):
        if folder.is_dir():
            for file in sorted(folder.rglob("*")):
                if file.is_file() and not file.is_symlink():
                    output.copies[f"static/{file.relative_to(folder).as_posix()}"] = file
    return output


