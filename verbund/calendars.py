"""iCalendar files: one per event and subscribable feeds, built with ``icalendar``.

Times carry the site's ``TZID`` with a ``VTIMEZONE``, but those that happen twice
when the clocks go back are in UTC; all-day events end on the day after their
last day (``DTEND`` is exclusive); ``UID`` comes from the slug and the site's
host; ``DTSTAMP``, ``LAST-MODIFIED`` and ``SEQUENCE`` follow the event file's git
history (see :mod:`verbund.history`), so every build of the same commit writes
the same bytes and a calendar app sees which entries changed.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import __version__
from .cache import key
from .dependencies import Memo, record
from .i18n import Translator
from .markup import plain_text
from .site import EventPage, Site
from .timezones import vtimezone

if TYPE_CHECKING:
    import icalendar

ZONE_SINCE = 2000
"""The first year every calendar's time zone definition covers."""

_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def _entry_name(event: EventPage) -> str:
    """Where an event's entry is kept (with the engine: see :func:`~verbund.cache.key`)."""
    return _entry_key(event.source)


@functools.cache
def _entry_key(source: str) -> str:
    return key("vevent", source)


def event_uid(site: Site, event: EventPage) -> str:
    """Stable across builds and sites: ``2020-04-02-kurzarbeit@example.org``."""
    return f"{event.slug}@{urlsplit(site.config.base_url).hostname}"


def _location(event: EventPage, t: Translator) -> str | None:
    data = event.data
    parts: list[str] = []
    if data.location is not None:
        place = data.location
        city = " ".join(p for p in (place.postal_code, place.city) if p)
        parts += [p for p in (place.name, place.street, city) if p]
    if data.format != "in_person":
        platform = data.online.platform if data.online and data.online.platform else None
        parts.append(t("online_platform", platform=platform) if platform else t("online"))
    return ", ".join(parts) or None


def _written(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """``moment`` in ``zone``, or in UTC if that local time happens twice there
    (a ``TZID`` time does not say which of the two, and readers guess)."""
    local = moment.astimezone(zone)  # a time that exists, with its fold
    if local.replace(fold=1 - local.fold).utcoffset() == local.utcoffset():
        return local
    return moment.astimezone(dt.UTC)


def _vevent(site: Site, event: EventPage, body_html: str, t: Translator) -> icalendar.Event:
    data = event.data
    zone = site.config.zone
    import icalendar  # here: pages of members need none of it

    vevent = icalendar.Event()
    vevent.add("uid", event_uid(site, event))
    history = event.history
    vevent.add("dtstamp", history.changed)
    vevent.add("created", history.created)
    vevent.add("last-modified", history.changed)
    vevent.add("sequence", history.sequence)
    title = data.title
    if data.status != "scheduled":
        title = f"{t('status_' + data.status)}: {title}"
    vevent.add("summary", title)
    if isinstance(data.start, dt.datetime):
        vevent.add("dtstart", _written(data.start, zone))
        if isinstance(data.end, dt.datetime):
            vevent.add("dtend", _written(data.end, zone))
    else:
        vevent.add("dtstart", data.start)
        vevent.add("dtend", event.last_day + dt.timedelta(days=1))
    vevent.add("status", _STATUS[data.status])
    url = site.url(event.path)
    vevent.add("url", url)
    location = _location(event, t)
    if location:
        vevent.add("location", location)
    description = plain_text(body_html, paragraphs=True)
    vevent.add("description", f"{description}\n\n{url}" if description else url)
    if event.industries:
        vevent.add("categories", [i.name for i in event.industries])
    return vevent


_FOLD_AT = 75
"""A content line this long (in octets) is folded."""


def fold(line: str) -> bytes:
    """One content line folded as RFC 5545 asks: at most 75 octets per line.

    The same bytes as ``icalendar`` writes (never inside a UTF-8 sequence, never
    right after the ``\\`` or ``^`` of an escape), in one pass over the bytes
    instead of one step per character: an event's description is its whole text.
    """
    data = line.encode("utf-8")
    if len(data) < _FOLD_AT:
        return data
    parts: list[bytes] = []
    start = 0
    while len(data) - start >= _FOLD_AT:
        cut = start + _FOLD_AT - 1
        while data[cut] & 0xC0 == 0x80:  # inside a multi-byte character
            cut -= 1
        before = cut - 1
        while data[before] & 0xC0 == 0x80:
            before -= 1
        if data[before] in b"\\^" and before > start:
            cut = before
        parts.append(data[start:cut])
        start = cut
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def component_bytes(component: icalendar.cal.Component) -> bytes:
    """``component.to_ical()``, with :func:`fold` for the long lines."""
    return b"".join(fold(line) + b"\r\n" for line in component.content_lines() if line)


class Calendars:
    """The calendar files of a site; each event's ``VEVENT`` is written once.

    With a ``memo``, entries made by earlier builds from the same inputs are
    used again (see :class:`~verbund.dependencies.Memo`).
    """

    def __init__(
        self, site: Site, bodies: Mapping[str, str], t: Translator, memo: Memo | None = None
    ):
        self.site = site
        self.bodies = bodies
        self.t = t
        self.memo = memo or Memo({})
        self.zones: dict[tuple[int, int], bytes] = {}

    def names(self) -> list[str]:
        """The names of the site's entries (see :class:`~verbund.dependencies.Memo`)."""
        return [_entry_name(event) for event in self.site.events]

    def vevent(self, event: EventPage) -> bytes:
        """The event as a ``VEVENT``, ``BEGIN`` to ``END``."""
        return self.vevents([event])[0]

    def vevents(self, events: list[EventPage]) -> list[bytes]:
        """The entries of ``events``, in order."""

        def make(n: int) -> bytes:
            event = events[n]
            record(event.source + "#text")
            return component_bytes(_vevent(self.site, event, self.bodies[event.source], self.t))

        return self.memo.values([_entry_name(event) for event in events], make)

    def file(self, events: list[EventPage], name: str) -> bytes:
        """A calendar called ``name`` with ``events``."""
        site = self.site
        import icalendar

        cal = icalendar.Calendar()
        cal.add("prodid", f"-//verbund//verbund {__version__}//{site.config.language.upper()}")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        # As TEXT, escaped (icalendar writes an X- property as it is, so a '\\n' in
        # a title would read as a line break); VALUE=TEXT tells ical.js so too.
        cal.add("x-wr-calname", icalendar.vText(name), parameters={"VALUE": "TEXT"})
        cal.add("x-wr-timezone", site.config.timezone)
        end = b"END:VCALENDAR\r\n"
        parts = [component_bytes(cal)[: -len(end)]]
        timed = [e for e in events if isinstance(e.data.start, dt.datetime)]
        if timed:
            # One definition for every file of the site (readers cache zones by TZID),
            # starting before the first event so that it falls after an onset.
            first = min([ZONE_SINCE] + [e.first_day.year - 1 for e in timed])
            parts.append(self.zone(first, max(e.last_day.year for e in timed)))
        return b"".join([*parts, *self.vevents(events), end])

    def zone(self, first_year: int, last_year: int) -> bytes:
        """The site's ``VTIMEZONE`` from ``first_year`` to ``last_year``."""
        key = (first_year, last_year)
        if key not in self.zones:
            self.zones[key] = component_bytes(vtimezone(self.site.config.zone, *key))
        return self.zones[key]
