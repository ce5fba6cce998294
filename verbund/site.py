"""Site stage: validated content to the site graph.

Decides every URL and builds the indexes (by industry, region, association,
series, year). Knows nothing about HTML; the render stage walks this graph.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from .i18n import URL_WORDS
from .models import Association, Event, Member, Page, SiteConfig, Speaker, Term
from .validate import Content


def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it: Ärzte beside Arzt, case ignored."""
    if text.isascii():  # most names: nothing to decompose
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def member_path(words: dict[str, str], slug: str) -> str:
    """Where the profile of the member ``slug`` is: ``mitglieder/muster-logistik/``."""
    return f"{words['members']}/{slug}/"


class _Node:
    """Pages point at each other (members ↔ events); show only the URL when printed."""

    path: str

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.path}>"


@dataclass(eq=False, repr=False)
class MemberPage(_Node):
    slug: str
    path: str
    source: str
    data: Member
    body: str
    industries: list[Term]
    region: Term
    associations: list[Association]
    talks: list[EventPage] = field(default_factory=list)
    """Events where someone from this firm spoke."""
    digest: str = ""
    data_digest: str = ""
    sort_name: str = ""
    """The name as the directory sorts it (see :func:`sort_key`)."""


@dataclass(frozen=True)
class SpeakerRef:
    speaker: Speaker
    member: MemberPage | None


@dataclass(eq=False, repr=False)
class EventPage(_Node):
    slug: str
    path: str
    source: str
    data: Event
    body: str
    hosts: list[Association]
    industries: list[Term]
    speakers: list[SpeakerRef]
    series: SeriesPage | None
    starts_at: dt.datetime
    """The start in UTC (all-day events: midnight local time), for ordering."""
    first_day: dt.date
    last_day: dt.date
    digest: str = ""
    data_digest: str = ""

    @property
    def year(self) -> int:
        return self.first_day.year


@dataclass(eq=False, repr=False)
class TermPage(_Node):
    """A page listing what belongs to one industry, region or association."""

    id: str
    name: str
    path: str
    description: str | None = None
    members: list[MemberPage] = field(default_factory=list)
    events: list[EventPage] = field(default_factory=list)
    association: Association | None = None


@dataclass(eq=False, repr=False)
class SeriesPage(_Node):
    id: str
    name: str
    path: str
    events: list[EventPage] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class SpeakerPage(_Node):
    """Everyone who spoke, once per person and organisation, with their events."""

    name: str
    organization: str | None
    role: str | None
    member: MemberPage | None
    path: str
    events: list[EventPage] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class FreePage(_Node):
    slug: str
    path: str
    source: str
    data: Page
    body: str
    digest: str = ""


@dataclass(repr=False)
class Site:
    """The whole site as a graph of pages, each with its URL path."""

    config: SiteConfig
    today: dt.date
    words: dict[str, str]
    members: list[MemberPage]
    events: list[EventPage]
    industries: list[TermPage]
    regions: list[TermPage]
    associations: list[TermPage]
    series: list[SeriesPage]
    pages: list[FreePage]
    speakers: list[SpeakerPage]
    """Everyone who spoke, by name; each person's events newest first."""
    upcoming: list[EventPage]
    """Events that have not ended by ``today``, soonest first."""
    events_by_year: dict[int, list[EventPage]]
    """Past events by year, newest year first, newest event first."""

    def __repr__(self) -> str:
        return f"<Site {self.config.base_url} {len(self.members)} members>"

    @property
    def menu_pages(self) -> list[FreePage]:
        """Free pages with a ``menu`` position, in that order."""
        return sorted((p for p in self.pages if p.data.menu is not None),
                      key=lambda p: (p.data.menu, p.slug))

    def url(self, path: str) -> str:
        """The absolute URL of a site path."""
        return self.config.base_url + path


def _series_name(series_id: str) -> str:
    return " ".join(word.capitalize() for word in series_id.split("-"))


def _day_range(event: Event, zone: dt.tzinfo) -> tuple[dt.datetime, dt.date, dt.date]:
    start, end = event.start, event.end
    if isinstance(start, dt.datetime):
        first = start.astimezone(zone).date()
        last = end.astimezone(zone).date() if isinstance(end, dt.datetime) else first
        return start.astimezone(dt.UTC), first, last
    last = end if isinstance(end, dt.date) else start
    midnight = dt.datetime.combine(start, dt.time(), zone).astimezone(dt.UTC)
    return midnight, start, last


def build_site(content: Content, today: dt.date) -> Site:
    """Lay out the site: one page object per URL, with all indexes filled."""
    config = content.config
    words = URL_WORDS[config.language]
    zone = config.zone

    industries = {t.id: TermPage(t.id, t.name, f"{words['industries']}/{t.id}/",
                                 t.description) for t in content.industries}
    regions = {t.id: TermPage(t.id, t.name, f"{words['regions']}/{t.id}/", t.description)
               for t in content.regions}
    associations = {a.id: TermPage(a.id, a.name, f"{words['associations']}/{a.id}/",
                                   association=a) for a in config.associations}
    association_data = {a.id: a for a in config.associations}

    members: dict[str, MemberPage] = {}
    sort_names = {item.source: sort_key(item.data.name) for item in content.members}
    for item in sorted(content.members, key=lambda i: (sort_names[i.source], i.slug)):
        member = item.data
        page = MemberPage(
            item.slug, member_path(words, item.slug), item.source, member, item.body,
            [industries[i] for i in member.industries],  # type: ignore[misc]
            regions[member.region],  # type: ignore[arg-type]
            [association_data[a] for a in member.associations], digest=item.digest,
            data_digest=item.data_digest, sort_name=sort_names[item.source])
        members[item.slug] = page
        for industry in member.industries:
            industries[industry].members.append(page)
        regions[member.region].members.append(page)
        for association in member.associations:
            associations[association].members.append(page)

    series: dict[str, SeriesPage] = {}
    events: list[EventPage] = []
    for item in content.events:
        event = item.data
        starts_at, first_day, last_day = _day_range(event, zone)
        series_page = None
        if event.series:
            series_page = series.setdefault(event.series, SeriesPage(
                event.series, _series_name(event.series),
                f"{words['events']}/{words['series']}/{event.series}/"))
        events.append(EventPage(
            item.slug, f"{words['events']}/{item.slug}/", item.source, event, item.body,
            [association_data[h] for h in event.hosts],
            [industries[i] for i in event.industries],  # type: ignore[misc]
            [SpeakerRef(s, members.get(s.member) if s.member else None)
             for s in event.speakers],
            series_page, starts_at, first_day, last_day, item.digest, item.data_digest))
    events.sort(key=lambda e: (e.starts_at, e.slug))

    for event in events:
        for host in event.data.hosts:
            associations[host].events.append(event)
        for industry in event.data.industries:
            industries[industry].events.append(event)
        if event.series:
            event.series.events.append(event)
        for ref in event.speakers:
            if ref.member and event not in ref.member.talks:
                ref.member.talks.append(event)

    speakers: dict[tuple[str, str], SpeakerPage] = {}
    speakers_path = f"{words['events']}/{words['speakers']}/"
    for event in reversed(events):
        for ref in event.speakers:
            who = ref.speaker
            key = (sort_key(who.name), ref.member.slug if ref.member else
                   sort_key(who.organization or ""))
            entry = speakers.setdefault(key, SpeakerPage(
                who.name, who.organization, who.role, ref.member, speakers_path))
            entry.events.append(event)

    upcoming = [e for e in events if e.last_day >= today]
    by_year: dict[int, list[EventPage]] = defaultdict(list)
    for event in reversed(events):
        if event.last_day < today:
            by_year[event.year].append(event)

    pages = [FreePage(i.slug, f"{i.slug}/", i.source, i.data, i.body, i.digest)
             for i in sorted(content.pages, key=lambda i: i.slug)]
    return Site(
        config=config, today=today, words=words,
        members=list(members.values()), events=events,
        industries=sorted(industries.values(), key=lambda t: sort_key(t.name)),
        regions=sorted(regions.values(), key=lambda t: sort_key(t.name)),
        associations=list(associations.values()),
        series=sorted(series.values(), key=lambda s: s.id),
        pages=pages, speakers=[speakers[k] for k in sorted(speakers)], upcoming=upcoming,
        events_by_year=dict(sorted(by_year.items(), reverse=True)))
