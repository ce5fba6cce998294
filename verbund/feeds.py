"""News feeds of events: Atom (RFC 4287) and JSON Feed 1.1, newest event first.

An entry is published when its file was added and updated when it last
changed (see :mod:`verbund.history`): a feed reader shows a moved or cancelled
event again.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from .history import UNKNOWN_HISTORY
from .i18n import Translator
from .markup import plain_text
from .site import EventPage, Site

FEED_LIMIT = 100
"""Entries per feed: the upcoming events and the most recent past ones."""


def feed_events(site: Site) -> list[EventPage]:
    """All upcoming events and the latest past ones, newest first."""
    newest_first = sorted(site.events, key=lambda e: (e.starts_at, e.slug), reverse=True)
    return newest_first[: max(FEED_LIMIT, len(site.upcoming))]


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def last_change(events: list[EventPage]) -> dt.datetime:
    """When the newest change to one of ``events`` was made."""
    return max((e.history.changed for e in events), default=UNKNOWN_HISTORY.changed)


def entry_title(event: EventPage, t: Translator) -> str:
    """The title, marked when the event is cancelled or postponed."""
    if event.data.status == "scheduled":
        return event.data.title
    return f"{t('status_' + event.data.status)}: {event.data.title}"


def atom(
    site: Site,
    events: list[EventPage],
    title: str,
    self_path: str,
    bodies: Mapping[str, str],
    when: dict[str, str],
) -> bytes:
    """``when`` maps each event's source to its date in words, shown before the text."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str):
        element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
        element.text = text
        return element

    feed = ET.Element(f"{{{ns}}}feed", {"xml:lang": site.config.language})
    sub(feed, "title", title)
    sub(feed, "id", site.url(self_path))
    sub(feed, "link", rel="self", href=site.url(self_path))
    sub(feed, "link", rel="alternate", type="text/html", href=site.url(""))
    sub(feed, "updated", _stamp(last_change(events)))
    sub(sub(feed, "author"), "name", site.config.title)
    for event in events:
        url = site.url(event.path)
        entry = sub(feed, "entry")
        sub(entry, "title", entry_title(event, Translator(site.config.language)))
        sub(entry, "id", url)
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "published", _stamp(event.history.created))
        sub(entry, "updated", _stamp(event.history.changed))
        summary = f"{when[event.source]}. {plain_text(bodies[event.source])}".strip()
        sub(entry, "summary", summary[:600])
        sub(entry, "content", bodies[event.source], type="html")
        for industry in event.industries:
            sub(entry, "category", term=industry.id, label=industry.name)
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def json_feed(
    site: Site,
    events: list[EventPage],
    title: str,
    self_path: str,
    bodies: Mapping[str, str],
    when: dict[str, str],
) -> bytes:
    items = []
    for event in events:
        url = site.url(event.path)
        item = {
            "id": url,
            "url": url,
            "title": entry_title(event, Translator(site.config.language)),
            "summary": f"{when[event.source]}. {plain_text(bodies[event.source])}"[:600],
            "content_html": bodies[event.source],
            "date_published": _stamp(event.history.created),
            "date_modified": _stamp(event.history.changed),
            "tags": [i.name for i in event.industries],
            "_event": {
                "start": event.data.start.isoformat(),
                "end": event.data.end.isoformat() if event.data.end else None,
                "format": event.data.format,
                "status": event.data.status,
            },
        }
        items.append(item)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": site.url(""),
        "feed_url": site.url(self_path),
        "language": site.config.language,
        "items": items,
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")
