"""schema.org data (JSON-LD) for members and events, as plain dicts.

Templates emit these with ``|tojson``, which escapes ``<``, ``>`` and ``&``
so that no text can close the ``<script>`` element.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .markup import plain_text
from .site import EventPage, MemberPage, Site

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
    """``Organization`` with ``memberOf``, ``address`` and ``url``."""
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
    if data.contact and data.contact.phone:
        result["telephone"] = data.contact.phone
    if data.services:
        result["knowsAbout"] = list(data.services)
    return result


def _moment(value: dt.date | dt.datetime) -> str:
    return value.isoformat()


def event_jsonld(site: Site, event: EventPage, body_html: str) -> dict[str, Any]:
    """``Event`` with attendance mode, location, organizers, performers and offers."""
    data = event.data
    result: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": data.title,
        "startDate": _moment(data.start),
        "eventStatus": _STATUS[data.status],
        "eventAttendanceMode": _ATTENDANCE[data.format],
        "url": site.url(event.path),
        "organizer": [_organization(site, h) for h in data.hosts],
    }
    if data.end is not None:
        result["endDate"] = _moment(data.end)
    description = plain_text(body_html)
    if description:
        result["description"] = description[:500]
    locations: list[dict[str, Any]] = []
    if data.location is not None:
        place = data.location
        locations.append(
            {
                "@type": "Place",
                "name": place.name,
                "address": _address(place.street, place.postal_code, place.city),
            }
        )
    if data.format in ("online", "hybrid"):
        virtual: dict[str, Any] = {"@type": "VirtualLocation"}
        if data.online and data.online.url:
            virtual["url"] = data.online.url
        locations.append(virtual)
    if locations:
        result["location"] = locations[0] if len(locations) == 1 else locations
    if data.speakers:
        result["performer"] = [{"@type": "Person", "name": s.name} for s in data.speakers]
    registration = data.registration
    if registration is not None and registration.price is not None:
        offer: dict[str, Any] = {
            "@type": "Offer",
            "price": str(registration.price),
            "priceCurrency": "EUR",
        }
        if registration.url:
            offer["url"] = registration.url
        result["offers"] = offer
    return result
