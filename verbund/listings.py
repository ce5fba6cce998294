"""Where each member stands in the site's lists, and lists changed in place.

A full build notes each member's :class:`Listing`: its place in the order of
the directory, the term pages that list it, and what the near-duplicate check
compares. After an edit to a member's fields that keeps it on the same lists,
its card on each of those pages and its rows of the exports are moved to where
it stands now (:func:`moved`), not made again with every other member's (see
:mod:`verbund.edits`).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple

from .site import Site

CARD_START, CARD_END = b'<li class="card">', b"</li>"
"""How a member's card begins and ends on a term page (see ``macros.html``)."""


class Listing(NamedTuple):
    """A member as the lists see it (kept as a plain tuple)."""

    name: str
    """Its name as it is sorted (see :func:`~verbund.site.sort_key`)."""
    slug: str
    """Second in the order, after the name."""
    terms: tuple[str, ...]
    """The paths of the term pages that list it, sorted."""
    name_key: str
    """See :func:`~verbund.validate.name_key`."""
    domain: str
    """The domain of its website (see :func:`~verbund.validate.website_domain`)."""
    employees: str
    """Its size class (the directory page counts them)."""


def listings(site: Site, likeness: Mapping[str, tuple[str, str]]) -> dict[str, tuple]:
    """The :class:`Listing` of every member of ``site`` as a plain tuple, by source
    path; ``likeness`` is :attr:`~verbund.validate.Content.likeness`."""
    terms: dict[str, list[str]] = defaultdict(list)
    for term in site.industries + site.regions + site.associations:
        for member in term.members:
            terms[member.source].append(term.path)
    return {member.source: (member.sort_name, member.slug, tuple(sorted(terms[member.source])),
                            *likeness[member.source], member.data.employees or "")
            for member in site.members}


Neighbours = tuple[str | None, str | None]
"""The members just before and just after a place in a list (None at an end)."""


def places(listings: Mapping[str, tuple], order: Sequence[tuple[str, str, str]],
           relisted: Collection[str], source: str, was: Listing, now: Listing
           ) -> dict[str | None, tuple[Neighbours, Neighbours]]:
    """Where the member ``source`` stood (``was``) and stands (``now``) in each
    list it is on, by the neighbours it has there among the others: for the whole
    directory (None) and for each term page of ``now``.

    ``order`` holds every member as a full build sorted them (name as sorted,
    slug, source path); ``listings`` are their listings now (plain tuples in the
    fields of :class:`Listing`), which differ from ``order`` only for the members
    ``relisted``: those are looked at one by one, the others found by bisection.
    """
    marks = (was.name, was.slug), (now.name, now.slug)
    return {name: (_near(listings, order, relisted, source, name, marks[0]),
                   _near(listings, order, relisted, source, name, marks[1]))
            for name in (None, *now.terms)}


def _near(listings: Mapping[str, tuple], order: Sequence[tuple[str, str, str]],
          relisted: Collection[str], source: str, name: str | None, mark: tuple[str, str]
          ) -> Neighbours:
    """The neighbours of the place ``mark`` in the list ``name`` (see :func:`places`)."""
    def on_list(other: str) -> bool:
        return other != source and other not in relisted and (
            name is None or name in listings[other][2])

    at = bisect.bisect_left(order, mark)
    before, after = at - 1, at
    while before >= 0 and not on_list(order[before][2]):
        before -= 1
    while after < len(order) and not on_list(order[after][2]):
        after += 1
    near = [order[before] if before >= 0 else None, order[after] if after < len(order) else None]
    for other in relisted:
        listing = listings[other]
        if other == source or name is not None and name not in listing[2]:
            continue
        place = (listing[0], listing[1], other)
        if place < mark:
            if near[0] is None or place > near[0]:
                near[0] = place
        elif near[1] is None or place < near[1]:
            near[1] = place
    return (near[0][2] if near[0] else None, near[1][2] if near[1] else None)


def collides(listings: Mapping[str, tuple], edited: Mapping[str, tuple[Listing, Listing]]
             ) -> bool:
    """Whether an edited member looked or looks like another (the same name key
    or website domain, see :func:`~verbund.validate.name_key`): then the
    near-duplicate warnings may change. ``edited`` holds the listing before and
    after of each edited member."""
    names = [listing.name_key for pair in edited.values() for listing in pair]
    domains = [listing.domain for pair in edited.values() for listing in pair]
    for pairs in ([pair[0] for pair in edited.values()], [pair[1] for pair in edited.values()]):
        if _repeated([p.name_key for p in pairs]) or _repeated([p.domain for p in pairs]):
            return True
    name_set, domain_set = set(names) - {""}, set(domains) - {""}
    return any(other not in edited and (listing[3] in name_set or listing[4] in domain_set)
               for other, listing in listings.items())


def _repeated(values: list[str]) -> bool:
    present = [value for value in values if value]
    return len(present) != len(set(present))


def moved(data: bytes, old: bytes, new: bytes, separator: bytes,
          was: tuple[bytes | None, bytes | None], now: tuple[bytes | None, bytes | None]
          ) -> bytes | None:
    """``data``, which holds items joined by ``separator``, with the item ``old``
    taken out and ``new`` put in where it stands now: between the items ``now``
    (before and after it; None at an end). ``was`` are the items ``old`` stood
    between. None if one of them is not found exactly once."""
    found: dict[bytes, int] = {}
    for item in (old, *was, *now):
        if item is not None and item not in found:
            at = data.find(item)
            if at < 0 or data.find(item, at + 1) >= 0:
                return None
            found[item] = at
    start, end = found[old], found[old] + len(old)
    if was == now:
        return b"".join((data[:start], new, data[end:]))
    if was[1] is not None:  # out with the separator after it
        cut = (start, end + len(separator))
    elif was[0] is not None:  # the last: out with the separator before it
        cut = (start - len(separator), end)
    else:
        return None
    if data[cut[0]:cut[1]] != (old + separator if was[1] is not None else separator + old):
        return None
    if now[1] is not None:
        at, piece = found[now[1]], new + separator
    elif now[0] is not None:
        at, piece = found[now[0]] + len(now[0]), separator + new
    else:
        return None
    if at <= cut[0]:  # joined at once: the exports are tens of megabytes
        return b"".join((data[:at], piece, data[at:cut[0]], data[cut[1]:]))
    if at >= cut[1]:
        return b"".join((data[:cut[0]], data[cut[1]:at], piece, data[at:]))
    return None


def card(page: bytes, href: str) -> bytes | None:
    """The card on ``page`` that links to ``href``; None unless exactly one link
    there does and it is inside a card."""
    anchor = f'<a href="{href}">'.encode()
    at = page.find(anchor)
    if at < 0 or page.find(anchor, at + 1) >= 0:
        return None
    start, end = page.rfind(CARD_START, 0, at), page.find(CARD_END, at)
    if start < 0 or end < 0 or page.find(CARD_END, start, at) >= 0:
        return None
    return page[start:end + len(CARD_END)]


def card_separator(page: bytes, first: bytes, second: bytes) -> bytes | None:
    """What stands between two cards next to each other on ``page`` (white space)."""
    start = page.find(first)
    between = page[start + len(first):page.find(second, start)] if start >= 0 else b"x"
    return between if not between.strip() and page.count(first + between + second) == 1 \
        else None
