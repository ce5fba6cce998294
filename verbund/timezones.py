"""VTIMEZONE components with yearly rules, derived from the IANA database.

``icalendar`` can describe a zone with one long multi-valued ``RDATE`` list, which
some readers (dateutil, hence vobject) only read in part. The classic form, one
``RRULE`` per kind of change (``BYMONTH=3;BYDAY=-1SU``), is what calendar
programs expect; it is used wherever the zone's changes follow a yearly rule over
the years the events span, and one sub-component per change elsewhere.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import icalendar

_UTC = dt.UTC
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@dataclass(frozen=True)
class Change:
    local: dt.datetime
    """When the change happens, in local time before it (naive)."""
    before: dt.timedelta
    after: dt.timedelta
    name: str
    daylight: bool


def _offset(zone: ZoneInfo, instant: dt.datetime) -> dt.timedelta:
    return instant.astimezone(zone).utcoffset()  # type: ignore[return-value]


def changes(zone: ZoneInfo, first_year: int, last_year: int) -> list[Change]:
    """Every change of UTC offset from ``first_year`` to ``last_year``, in order."""
    found = []
    day = dt.datetime(first_year, 1, 1, tzinfo=_UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=_UTC)
    while day < end:
        following = day + dt.timedelta(days=1)
        if _offset(zone, day) != _offset(zone, following):
            moment = day
            while _offset(zone, moment) == _offset(zone, day):
                moment += dt.timedelta(minutes=15)
            before, after = _offset(zone, day), _offset(zone, moment)
            local = moment.astimezone(zone)
            found.append(
                Change(
                    (moment + before).replace(tzinfo=None),
                    before,
                    after,
                    local.tzname() or "",
                    bool(local.dst()),
                )
            )
        day = following
    return found


def _byday(moment: dt.datetime) -> str:
    weekday = _WEEKDAYS[moment.weekday()]
    last_day = calendar.monthrange(moment.year, moment.month)[1]
    if moment.day + 7 > last_day:
        return f"-1{weekday}"
    return f"{(moment.day - 1) // 7 + 1}{weekday}"


def _component(change: Change, rule: dict | None) -> icalendar.cal.Component:
    import icalendar  # here: see verbund.calendars

    part = icalendar.TimezoneDaylight() if change.daylight else icalendar.TimezoneStandard()
    part.add("tzname", change.name)
    part.add("tzoffsetfrom", change.before)
    part.add("tzoffsetto", change.after)
    part.add("dtstart", change.local)
    if rule:
        part.add("rrule", rule)
    return part


@functools.lru_cache(maxsize=64)
def vtimezone(zone: ZoneInfo, first_year: int, last_year: int) -> icalendar.Timezone:
    """The zone as it applies from ``first_year`` to ``last_year`` (shared: do not change)."""
    import icalendar

    timezone = icalendar.Timezone()
    timezone.add("tzid", zone.key)
    found = changes(zone, first_year, last_year)
    if not found:
        instant = dt.datetime(first_year, 1, 1, tzinfo=_UTC)
        moment, offset = instant.astimezone(zone), _offset(zone, instant)
        timezone.add_component(
            _component(
                Change(dt.datetime(1970, 1, 1), offset, offset, moment.tzname() or zone.key, False),
                None,
            )
        )
        return timezone
    groups: dict[tuple, list[Change]] = {}
    for change in found:
        groups.setdefault((change.before, change.after, change.name, change.daylight), []).append(
            change
        )
    for group in groups.values():
        shapes = {(c.local.month, _byday(c.local), c.local.time()) for c in group}
        years = [c.local.year for c in group]
        yearly = len(shapes) == 1 and years == list(range(years[0], years[0] + len(years)))
        if yearly and len(group) > 1:
            month, byday, _ = shapes.pop()
            timezone.add_component(
                _component(group[0], {"freq": "yearly", "bymonth": month, "byday": byday})
            )
        else:
            for change in group:
                timezone.add_component(_component(change, None))
    return timezone
