"""Site stage: validated content to the site graph.

Decides every URL and builds the indexes (by industry, region, association,
series, year). Knows nothing about HTML; the render stage walks this graph.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .dependencies import Tracked, digest, names_of, tracked
from .history import UNKNOWN_HISTORY, FileHistory
from .i18n import URL_WORDS
from .models import Association, Event, Member, Page, Partner, SiteConfig, Speaker, Term
from .validate import Content, Item


@functools.lru_cache(maxsize=1 << 16)
def sort_key(text: str) -> str:
    """Alphabetical order as a reader expects it: Ärzte beside Arzt, case ignored."""
    if text.isascii():  # most names: nothing to decompose
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def member_path(words: dict[str, str], slug: str) -> str:
    """Where the profile of the member ``slug`` is: ``mitglieder/muster-logistik/``."""
    return f"{words['members']}/{slug}/"


class _Node(Tracked):
    """Pages point at each other (members ↔ events); show only the URL when printed.

    Reading a node's attributes while a file is made records what the file
    depends on (see :mod:`verbund.dependencies`).
    """

    path: str

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.__dict__['path']}>"

    def node_name(self) -> str:
        return self.__dict__["source"]


def _fields(page: MemberPage | EventPage | FreePage) -> str:
    """The fingerprint of a content file's fields: the hash of its front matter."""
    return page.data_digest or digest(page.data.model_dump_json())


def _file_parts(page: MemberPage | EventPage | FreePage) -> dict[str, str]:
    """The fingerprints of the parts every content file's node has."""
    name = page.source
    return {
        name + "#path": page.path,
        name + "#fields": _fields(page),
        name + "#text": page.body_digest or digest(page.body),
        name + "#file": page.digest or _fields(page),
    }


@tracked
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
    body_digest: str = ""
    revised: dt.datetime | None = None
    """When its fields last changed, if the history says (see :mod:`verbund.history`)."""

    INPUTS = {
        "slug": "path",
        "path": "path",
        "source": "path",
        "data": "fields",
        "industries": "fields",
        "region": "fields",
        "associations": "fields",
        "data_digest": "fields",
        "sort_name": "fields",
        "body": "text",
        "body_digest": "text",
        "digest": "file",
        "talks": "talks",
        "revised": "revised",
    }

    def fingerprints(self) -> dict[str, str]:
        return {
            **_file_parts(self),
            self.source + "#talks": names_of(self.talks),
            self.source + "#revised": str(self.__dict__["revised"]),
        }

    @property
    def upcoming_talks(self) -> list[EventPage]:
        """Talks still to come, soonest first; those whose new date is yet to be
        announced last."""
        ahead = [e for e in self.talks if not e.past and not e.date_to_follow]
        return ahead + [e for e in self.talks if e.date_to_follow]

    @property
    def past_talks(self) -> list[EventPage]:
        """Talks that have taken place (or were cancelled), newest first."""
        return [e for e in reversed(self.talks) if e.past and not e.date_to_follow]


@dataclass(frozen=True)
class SpeakerRef:
    speaker: Speaker
    member: MemberPage | None
    partner: PartnerPage | None = None


@dataclass(frozen=True)
class PartnerRef:
    """An entry of an event's ``partners``: a partner's page, or a name as written."""

    name: str
    partner: PartnerPage | None


@tracked
@dataclass(eq=False, repr=False)
class PartnerPage(_Node):
    """An organisation the associations work with (``content/partners.yaml``):
    its events and the firms that belong to it."""

    data: Partner
    path: str
    members: list[MemberPage | str] = field(default_factory=list)
    """Its firms: a member's profile, or a firm's name as written."""
    events: list[EventPage] = field(default_factory=list)
    """Events it takes part in (as a partner or through a speaker), soonest first."""

    INPUTS = {"data": "fields", "path": "fields", "members": "members", "events": "events"}

    def node_name(self) -> str:
        return self.__dict__["path"]

    @property
    def name(self) -> str:
        return self.data.name

    def fingerprints(self) -> dict[str, str]:
        name = self.node_name()
        members = self.__dict__["members"]
        return {
            name + "#fields": digest(self.__dict__["data"].model_dump_json()),
            name + "#members": digest(
                *(m.node_name() if isinstance(m, MemberPage) else "text:" + m for m in members)
            ),
            name + "#events": names_of(self.__dict__["events"]),
        }


@tracked
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
    body_digest: str = ""
    past: bool = False
    """Whether the event ended before the build's date."""
    registration_open: bool = False
    """Whether one can still register on the build's date."""
    history: FileHistory = UNKNOWN_HISTORY
    """When the file was added and last changed, and how often its schedule
    changed (see :mod:`verbund.history`)."""
    registration_closes: dt.datetime | None = None
    """When one can no longer register: the start, or the end of the deadline's
    day if that comes first (a page opened later says so before the next build)."""
    partners: list[PartnerRef] = field(default_factory=list)

    INPUTS = {
        "slug": "path",
        "path": "path",
        "source": "path",
        "data": "fields",
        "hosts": "fields",
        "industries": "fields",
        "series": "fields",
        "starts_at": "fields",
        "first_day": "fields",
        "last_day": "fields",
        "data_digest": "fields",
        "speakers": "speakers",
        "body": "text",
        "body_digest": "text",
        "digest": "file",
        "past": "dated",
        "registration_open": "dated",
        "history": "history",
        "registration_closes": "fields",
        "partners": "partners",
    }

    @property
    def year(self) -> int:
        return self.first_day.year

    @property
    def date_to_follow(self) -> bool:
        """Postponed, its new date not announced yet: its old date is no longer
        the date it takes place on."""
        return self.data.status == "postponed"

    def fingerprints(self) -> dict[str, str]:
        name = self.source
        members = [ref.member.source if ref.member else "" for ref in self.speakers]
        members += [ref.partner.node_name() if ref.partner else "" for ref in self.speakers]
        partners = self.__dict__["partners"]
        return {
            **_file_parts(self),
            name + "#speakers": digest(_fields(self), *members),
            name + "#partners": digest(
                *(
                    ref.partner.node_name() if ref.partner else "text:" + ref.name
                    for ref in partners
                )
            ),
            name + "#dated": f"{self.past} {self.registration_open}",
            name + "#history": self.__dict__["history"].fingerprint(),
        }


@tracked
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
    pages: list[ListPage] = field(default_factory=list)
    """Its members a page at a time (at least one page, if without members)."""
    member_count: int = 0

    INPUTS = {
        "id": "fields",
        "name": "fields",
        "path": "fields",
        "description": "fields",
        "association": "fields",
        "members": "members",
        "events": "events",
        "pages": "pages",
        "member_count": "member_count",
    }

    def node_name(self) -> str:
        return self.__dict__["path"]

    def fingerprints(self) -> dict[str, str]:
        name = self.path
        association = self.association.model_dump_json() if self.association else ""
        found = {
            name + "#fields": digest(self.id, self.name, self.description or "", association),
            name + "#members": names_of(self.members),
            name + "#events": names_of(self.events),
            name + "#pages": names_of(self.pages),
            name + "#member_count": str(self.member_count),
        }
        for page in self.pages:
            found.update(page.fingerprints())
        return found


@tracked
@dataclass(eq=False, repr=False)
class ListPage(_Node):
    """One page of a term's members: a phone opens it, and a changed member
    makes again only the page its card is on."""

    term: TermPage
    number: int
    """1 for the term's own page, then 2, 3, …"""
    path: str
    members: list[MemberPage]

    INPUTS = {"term": "fields", "number": "fields", "path": "fields", "members": "members"}

    def node_name(self) -> str:
        return "list:" + self.__dict__["path"]

    def fingerprints(self) -> dict[str, str]:
        name = self.node_name()
        return {
            name + "#fields": digest(self.term.path, str(self.number)),
            name + "#members": names_of(self.members),
        }


@tracked
@dataclass(eq=False, repr=False)
class SeriesPage(_Node):
    id: str
    name: str
    path: str
    events: list[EventPage] = field(default_factory=list)
    description: str | None = None
    """From ``content/series.yaml``, like the name; without it the name is made
    from the id."""
    price: Decimal | None = None

    INPUTS = {
        "id": "fields",
        "name": "fields",
        "path": "fields",
        "events": "events",
        "description": "fields",
        "price": "fields",
    }

    def node_name(self) -> str:
        return self.__dict__["path"]

    def fingerprints(self) -> dict[str, str]:
        name = self.path
        return {
            name + "#fields": digest(self.id, self.name, repr(self.description), str(self.price)),
            name + "#events": names_of(self.events),
        }


@tracked
@dataclass(eq=False, repr=False)
class SpeakerPage(_Node):
    """Everyone who spoke, once per person and organisation, with their events."""

    name: str
    organization: str | None
    role: str | None
    member: MemberPage | None
    path: str
    events: list[EventPage] = field(default_factory=list)
    key: str = ""
    """Who this is, the same in every build (their name and firm)."""
    partner: PartnerPage | None = None
    """The partner organisation they come from, if the event says."""

    INPUTS = {
        "name": "fields",
        "organization": "fields",
        "role": "fields",
        "member": "fields",
        "path": "fields",
        "events": "fields",
        "key": "fields",
        "partner": "fields",
    }

    def node_name(self) -> str:
        return "speaker:" + self.__dict__["key"]

    def fingerprints(self) -> dict[str, str]:
        return {
            self.node_name() + "#fields": digest(
                self.name,
                self.organization or "",
                self.role or "",
                self.member.source if self.member else "",
                names_of(self.events),
                self.partner.node_name() if self.partner else "",
            )
        }


@tracked
@dataclass(eq=False, repr=False)
class FreePage(_Node):
    slug: str
    path: str
    source: str
    data: Page
    body: str
    digest: str = ""
    data_digest: str = ""
    body_digest: str = ""

    INPUTS = {
        "slug": "path",
        "path": "path",
        "source": "path",
        "data": "fields",
        "data_digest": "fields",
        "body": "text",
        "body_digest": "text",
        "digest": "file",
    }

    def fingerprints(self) -> dict[str, str]:
        return _file_parts(self)


@tracked
@dataclass(repr=False, eq=False)
class Site(Tracked):
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
    """Events that have not ended by ``today``, soonest first; without those
    whose new date is to follow (:attr:`postponed`)."""
    events_by_year: dict[int, list[EventPage]]
    """Past events by year, newest year first, newest event first; without
    those whose new date is to follow."""
    postponed: list[EventPage] = field(default_factory=list)
    """Postponed events, their new date yet to be announced, by their old date."""
    partners: list[PartnerPage] = field(default_factory=list)
    """The organisations of ``content/partners.yaml``, by name."""
    layout: str = ""
    """The fingerprint of what the graph's shape was made of (see :func:`layout_key`)."""
    known: dict[str, str] | None = None
    """The fingerprints of the graph, once asked for; kept up to date when the
    texts and histories of its nodes are replaced (see :func:`build_site`)."""

    INPUTS = {
        "config": "settings",
        "words": "settings",
        "today": "today",
        "members": "members",
        "events": "events",
        "industries": "industries",
        "regions": "regions",
        "associations": "associations",
        "series": "series",
        "pages": "pages",
        "speakers": "speakers",
        "upcoming": "upcoming",
        "events_by_year": "events_by_year",
        "postponed": "postponed",
        "partners": "partners",
    }

    def node_name(self) -> str:
        return "site"

    def fingerprints(self) -> dict[str, str]:
        """The fingerprints of the whole graph: this and every node in it."""
        if self.known is None:
            self.known = self._fingerprints()
        return dict(self.known)

    def _fingerprints(self) -> dict[str, str]:
        found = {
            "site#settings": digest(self.config.model_dump_json(), repr(self.words)),
            "site#today": self.today.isoformat(),
            "site#events_by_year": digest(
                *(f"{year} {names_of(events)}" for year, events in self.events_by_year.items())
            ),
        }
        for name in (
            "members",
            "events",
            "industries",
            "regions",
            "associations",
            "series",
            "pages",
            "speakers",
            "upcoming",
            "postponed",
            "partners",
        ):
            found["site#" + name] = names_of(getattr(self, name))
        nodes: list[Tracked] = [
            *self.members,
            *self.events,
            *self.industries,
            *self.regions,
            *self.associations,
            *self.series,
            *self.speakers,
            *self.pages,
            *self.partners,
        ]
        for node in nodes:
            found.update(node.fingerprints())
        return found

    def __repr__(self) -> str:
        return f"<Site {self.config.base_url} {len(self.members)} members>"

    @property
    def menu_pages(self) -> list[FreePage]:
        """Free pages with a ``menu`` position, in that order."""
        return sorted(
            (p for p in self.pages if p.data.menu is not None), key=lambda p: (p.data.menu, p.slug)
        )

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


def _registration_open(event: Event, last_day: dt.date, today: dt.date) -> bool:
    registration = event.registration
    if registration is None or last_day < today:
        return False
    return registration.deadline is None or registration.deadline >= today


def _registration_closes(
    event: Event, starts_at: dt.datetime, zone: dt.tzinfo
) -> dt.datetime | None:
    registration = event.registration
    if registration is None:
        return None
    if registration.deadline is None:
        return starts_at
    day_after = registration.deadline + dt.timedelta(days=1)
    return min(starts_at, dt.datetime.combine(day_after, dt.time(), zone))


MEMBERS_PER_PAGE = 200
"""Member cards on one page of an industry, region or association."""


def build_site(
    content: Content,
    today: dt.date,
    per_page: int | None = None,
    history: Mapping[str, FileHistory] | None = None,
    previous: Site | None = None,
) -> Site:
    """Lay out the site: one page object per URL, with all indexes filled; the
    members of an industry, region or association ``per_page`` to a page
    (:data:`MEMBERS_PER_PAGE`); each member and event with its ``history``.

    The shape of the graph depends on the fields of the files, not on their
    texts or histories. Given the ``previous`` graph (of the last build in this
    process), it is laid out again only if its :func:`layout_key` differs;
    otherwise ``previous`` gets the new texts and histories and is returned.
    """
    per_page = per_page or MEMBERS_PER_PAGE
    layout = layout_key(content, today, per_page)
    if previous is not None and previous.layout == layout:
        site = previous
    else:
        site = _laid_out(content, today, per_page)
        site.layout = layout
    _attach(site, content, history or {})
    return site


def layout_key(content: Content, today: dt.date, per_page: int) -> str:
    """The fingerprint of everything the shape of the graph is made of: the
    settings, the vocabularies, each file's path and fields, the date."""
    items: list[Item[Any]] = [*content.members, *content.events, *content.pages]
    return digest(
        today.isoformat(),
        str(per_page),
        content.config.model_dump_json(),
        *(
            model.model_dump_json()
            for model in [*content.industries, *content.regions, *content.partners, *content.series]
        ),
        *(f"{i.source} {i.slug} {i.data_digest or i.data.model_dump_json()}" for i in items),
    )


def _attach(site: Site, content: Content, history: Mapping[str, FileHistory]) -> None:
    """Give the nodes of ``site`` the texts of ``content`` and the ``history``
    of their files; the fingerprints of the nodes that changed follow."""
    files: list[Item[Any]] = [*content.members, *content.events, *content.pages]
    items = {item.source: item for item in files}
    changed: list[MemberPage | EventPage | FreePage] = []
    nodes: list[MemberPage | EventPage | FreePage] = [*site.members, *site.events, *site.pages]
    for node in nodes:
        values = node.__dict__
        item = items[values["source"]]
        texts: dict[str, object] = {
            "body": item.body,
            "body_digest": item.body_digest,
            "digest": item.digest,
        }
        file_history = history.get(item.source, UNKNOWN_HISTORY)
        if isinstance(node, MemberPage):
            texts["revised"] = file_history.revised
        elif isinstance(node, EventPage):
            texts["history"] = file_history
        if any(values[name] != value for name, value in texts.items()):
            values.update(texts)
            changed.append(node)
    if site.known is not None:
        for changed_node in changed:
            site.known.update(changed_node.fingerprints())


def _laid_out(content: Content, today: dt.date, per_page: int) -> Site:
    """The graph of ``content``, its nodes without texts or histories (see :func:`_attach`)."""
    config = content.config
    words = URL_WORDS[config.language]
    zone = config.zone

    industries = {
        t.id: TermPage(t.id, t.name, f"{words['industries']}/{t.id}/", t.description)
        for t in content.industries
    }
    regions = {
        t.id: TermPage(t.id, t.name, f"{words['regions']}/{t.id}/", t.description)
        for t in content.regions
    }
    associations = {
        a.id: TermPage(a.id, a.name, f"{words['associations']}/{a.id}/", association=a)
        for a in config.associations
    }
    association_data = {a.id: a for a in config.associations}

    members: dict[str, MemberPage] = {}
    sort_names = {item.source: sort_key(item.data.name) for item in content.members}
    for item in sorted(content.members, key=lambda i: (sort_names[i.source], i.slug)):
        member = item.data
        page = MemberPage(
            item.slug,
            member_path(words, item.slug),
            item.source,
            member,
            "",
            [industries[i] for i in member.industries],  # type: ignore[misc]
            regions[member.region],  # type: ignore[arg-type]
            [association_data[a] for a in member.associations],
            data_digest=item.data_digest,
            sort_name=sort_names[item.source],
        )
        members[item.slug] = page
        for industry in member.industries:
            industries[industry].members.append(page)
        regions[member.region].members.append(page)
        for association in member.associations:
            associations[association].members.append(page)

    partners = {p.id: PartnerPage(p, f"{words['partners']}/{p.id}/") for p in content.partners}
    for partner in partners.values():
        partner.members = [members.get(firm) or firm for firm in partner.data.members]
    # An event names a partner by its id or its name (in any case).
    partner_named = {
        name.casefold(): partner
        for partner in partners.values()
        for name in (partner.data.short_name, partner.data.name, partner.data.id)
        if name
    }

    series: dict[str, SeriesPage] = {
        entry.id: SeriesPage(
            entry.id,
            entry.name,
            f"{words['events']}/{words['series']}/{entry.id}/",
            description=entry.description,
            price=entry.price,
        )
        for entry in content.series
    }
    events: list[EventPage] = []
    for entry in content.events:
        data = entry.data
        starts_at, first_day, last_day = _day_range(data, zone)
        series_page = None
        if data.series:
            series_page = series.setdefault(
                data.series,
                SeriesPage(
                    data.series,
                    _series_name(data.series),
                    f"{words['events']}/{words['series']}/{data.series}/",
                ),
            )
        events.append(
            EventPage(
                entry.slug,
                f"{words['events']}/{entry.slug}/",
                entry.source,
                data,
                "",
                [association_data[h] for h in data.hosts],
                [industries[i] for i in data.industries],  # type: ignore[misc]
                [
                    SpeakerRef(
                        s,
                        members.get(s.member) if s.member else None,
                        partners.get(s.partner) if s.partner else None,
                    )
                    for s in data.speakers
                ],
                series_page,
                starts_at,
                first_day,
                last_day,
                "",
                entry.data_digest,
                "",
                last_day < today,
                _registration_open(data, last_day, today),
                UNKNOWN_HISTORY,
                _registration_closes(data, starts_at, zone),
                [PartnerRef(name, partner_named.get(name.casefold())) for name in data.partners],
            )
        )
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
        taking_part = [ref.partner for ref in event.partners if ref.partner]
        taking_part += [ref.partner for ref in event.speakers if ref.partner]
        for partner in dict.fromkeys(taking_part):
            partner.events.append(event)

    speakers: dict[tuple[str, str], SpeakerPage] = {}
    speakers_path = f"{words['events']}/{words['speakers']}/"
    for event in reversed(events):
        for ref in event.speakers:
            who = ref.speaker
            key = (
                sort_key(who.name),
                ref.member.slug if ref.member else sort_key(who.organization or ""),
            )
            speaker = speakers.setdefault(
                key,
                SpeakerPage(
                    who.name,
                    who.organization,
                    who.role,
                    ref.member,
                    speakers_path,
                    key="\x1f".join(key),
                    partner=ref.partner,
                ),
            )
            speaker.events.append(event)

    for term in [*industries.values(), *regions.values(), *associations.values()]:
        term.member_count = len(term.members)
        term.pages = [
            ListPage(
                term,
                number,
                term.path if number == 1 else f"{term.path}{words['page']}/{number}/",
                term.members[start : start + per_page],
            )
            for number, start in enumerate(range(0, len(term.members) or 1, per_page), start=1)
        ]

    postponed = [e for e in events if e.date_to_follow]
    dated = [e for e in events if not e.date_to_follow]
    upcoming = [e for e in dated if e.last_day >= today]
    by_year: dict[int, list[EventPage]] = defaultdict(list)
    for event in reversed(dated):
        if event.last_day < today:
            by_year[event.year].append(event)

    pages = [
        FreePage(i.slug, f"{i.slug}/", i.source, i.data, "", data_digest=i.data_digest)
        for i in sorted(content.pages, key=lambda i: i.slug)
    ]
    return Site(
        config=config,
        today=today,
        words=words,
        members=list(members.values()),
        events=events,
        industries=sorted(industries.values(), key=lambda t: sort_key(t.name)),
        regions=sorted(regions.values(), key=lambda t: sort_key(t.name)),
        associations=list(associations.values()),
        series=sorted((s for s in series.values() if s.events), key=lambda s: s.id),
        pages=pages,
        speakers=[speakers[k] for k in sorted(speakers)],
        partners=sorted(partners.values(), key=lambda p: sort_key(p.name)),
        upcoming=upcoming,
        events_by_year=dict(sorted(by_year.items(), reverse=True)),
        postponed=postponed,
    )
