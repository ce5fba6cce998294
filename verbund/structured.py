"""schema.org data (JSON-LD) for members and events, as plain dicts.

Templates emit these with ``|tojson``, which escapes ``<``, ``>`` and ``&``
so that no text can close the ``<script>`` element.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .markup import plain_text
from .previews import summary
from .site import EventPage, MemberPage, Site, SpeakerRef

_ATTENDANCE = {
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "in_person": "https://schema.org/OfflineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}
_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}

DESCRIPTION_LIMIT = 500
"""The most characters of an event's description, the ellipsis included."""
_SENTENCE_END = re.compile(r"[.!?:;…]$")


def _organization(site: Site, association_id: str) -> dict[str, Any]:
    association = next(a for a in site.config.associations if a.id == association_id)
    data: dict[str, Any] = {
        "@type": "Organization",
        "name": association.name,
        "url": site.url(f"{site.words['associations']}/{association.id}/"),
    }
    if association.website:
        data["sameAs"] = association.website
    return data


def _address(
    street: str | None, postal_code: str | None, city: str | None, country: str | None = None
) -> dict[str, Any]:
    address = {
        "@type": "PostalAddress",
        "streetAddress": street,
        "postalCode": postal_code,
        "addressLocality": city,
        "addressCountry": country,
    }
    return {k: v for k, v in address.items() if v}


def member_jsonld(site: Site, member: MemberPage) -> dict[str, Any]:
    """``Organization`` with ``memberOf``, ``address``, ``url`` and ``logo``."""
    data = member.data
    result: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": data.name,
        "url": data.contact.website
        if data.contact and data.contact.website
        else site.url(member.path),
        "memberOf": [_organization(site, a.id) for a in member.associations],
    }
    if data.address:
        a = data.address
        result["address"] = _address(
            a.street, a.postal_code, a.city, a.country or site.config.country
        )
    if data.logo:
        result["logo"] = site.url(member.path + "logo.png")
    if data.contact and data.contact.phone:
        result["telephone"] = data.contact.phone
    if data.services:
        result["knowsAbout"] = list(data.services)
    return result


def _moment(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def _description(body_html: str) -> str:
    """The body as sentences: a heading or list item without a full stop gets one."""
    lines = [line for line in plain_text(body_html, paragraphs=True).split("\n") if line]
    text = " ".join(line if _SENTENCE_END.search(line) else line + "." for line in lines)
    return summary(text, DESCRIPTION_LIMIT)


def _performer(ref: SpeakerRef) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": ref.speaker.name}
    if ref.speaker.role:
        person["jobTitle"] = ref.speaker.role
    works_for = ref.speaker.organization or (ref.member.data.name if ref.member else None)
    if works_for:
        person["worksFor"] = {"@type": "Organization", "name": works_for}
    return person


def event_jsonld(site: Site, event: EventPage, body_html: str) -> dict[str, Any]:
    """``Event`` with attendance mode, location, organizers, performers and offers.

    Follows Google's Event rich result: a ``VirtualLocation`` always has a ``url``
    (the join link, else the registration link, else the event page)."""
    data = event.data
    page_url = site.url(event.path)
    result: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": data.title,
        "startDate": _moment(data.start),
        "eventStatus": _STATUS[data.status],
        "eventAttendanceMode": _ATTENDANCE[data.format],
        "url": page_url,
        "organizer": [_organization(site, h) for h in data.hosts],
    }
    if data.end is not None:
        result["endDate"] = _moment(data.end)
    description = _description(body_html)
    if description:
        result["description"] = description
    logo = event.hosts[0].logo if event.hosts else None
    if logo:
        result["image"] = site.url(f"static/{logo}")
    registration = data.registration
    locations: list[dict[str, Any]] = []
    if data.location is not None:
        place = data.location
        locations.append(
            {
                "@type": "Place",
                "name": place.name,
                "address": _address(
                    place.street, place.postal_code, place.city, site.config.country
                ),
            }
        )
    if data.format in ("online", "hybrid"):
        join = data.online.url if data.online else None
        if not join and registration is not None:
            join = registration.url
        locations.append({"@type": "VirtualLocation", "url": join or page_url})
    if locations:
        result["location"] = locations[0] if len(locations) == 1 else locations
    if event.speakers:
        result["performer"] = [_performer(ref) for ref in event.speakers]
    if registration is not None:
        offer: dict[str, Any] = {"@type": "Offer", "url": registration.url or page_url}
        if registration.price is not None:
            offer["price"] = str(registration.price)
            offer["priceCurrency"] = "EUR"
        if event.registration_open:
            offer["availability"] = "https://schema.org/InStock"
        # Registration opens when the event is announced: when its file was added
        # (or at the start, for an event entered after it took place).
        offer["validFrom"] = min(event.history.created, event.starts_at).isoformat()
        result["offers"] = offer
    return result
