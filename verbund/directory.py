"""The member directory's search index: compact JSON the filter script loads.

One row per member, in directory order, with facet values as small integers
into the facet lists, which the index carries once (the script searches their
names too). The script fills the card the directory page carries as a
``<template>`` (the one card of ``macros.html``) from each row; no member's
card is shipped as HTML, so the page stays small at 10,000 members.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any, get_args

from .i18n import Translator
from .models import EmployeeClass
from .site import MemberPage, Site, TermPage

SIZE_CLASSES: tuple[EmployeeClass, ...] = get_args(EmployeeClass)


_LEGAL_FORMS = frozenset(
    "gmbh mbh ag kg ohg kgaa gbr ug eg ek e.k. e.k se co co. & + und and e.v. ev ltd inc".split()
)
_WORD = re.compile(r"[^\W_]", re.UNICODE)


def initials(name: str) -> str:
    """What a card shows for a member without a logo: the first letters of the
    first two words of its name that are not a legal form (``Muster Logistik
    GmbH`` → ``ML``). ``static/directory.js`` has the same function."""
    letters = []
    for word in name.split():
        if word.casefold() in _LEGAL_FORMS:
            continue
        first = _WORD.search(word)
        if first:
            letters.append(first.group().upper())
        if len(letters) == 2:
            break
    return "".join(letters) or name[:1].upper()


def facets(site: Site, t: Translator) -> list[dict[str, Any]]:
    """The filter groups: key, URL parameter, label, and ``(id, name, count)`` values."""

    def terms(pages: list[TermPage]) -> list[tuple[str, str, int]]:
        return [(p.id, p.name, p.member_count) for p in pages]

    counts = Counter(m.data.employees for m in site.members)
    sizes = [(s, t(f"size_{s}"), counts[s]) for s in SIZE_CLASSES]
    return [
        {
            "key": "industry",
            "param": site.words["param_industry"],
            "label": t("industries"),
            "values": terms(site.industries),
        },
        {
            "key": "region",
            "param": site.words["param_region"],
            "label": t("regions"),
            "values": terms(site.regions),
        },
        {
            "key": "association",
            "param": site.words["param_association"],
            "label": t("associations"),
            "values": terms(site.associations),
        },
        {"key": "size", "param": site.words["param_size"], "label": t("size"), "values": sizes},
    ]


def positions(site: Site) -> dict[str, dict[str, int]]:
    """Where each facet value stands in its group (rows name values by position)."""
    return {
        "industry": {p.id: n for n, p in enumerate(site.industries)},
        "region": {p.id: n for n, p in enumerate(site.regions)},
        "association": {p.id: n for n, p in enumerate(site.associations)},
        "size": {s: n for n, s in enumerate(SIZE_CLASSES)},
    }


def index_row(member: MemberPage, position: dict[str, dict[str, int]]) -> str:
    """A member's row of the index, as JSON: slug, name, town, postal code, the
    positions of its industries, region, associations and size class, its
    services joined by ``|``, and a last ``1`` if it has a logo."""
    data = member.data
    address = data.address
    return json.dumps(
        [
            member.slug,
            data.name,
            address.city if address else "",
            address.postal_code or "" if address else "",
            [position["industry"][i.id] for i in member.industries],
            [position["region"][member.region.id]],
            [position["association"][a.id] for a in member.associations],
            [position["size"][data.employees]] if data.employees else [],
            "|".join(data.services),
            *([1] if data.logo else []),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def directory_index(site: Site, t: Translator, rows: str | None = None) -> bytes:
    """The JSON the directory page loads: facets (without counts) and member rows
    (see :func:`index_row`; given if made already, with commas between)."""
    if rows is None:
        position = positions(site)
        rows = ",".join(index_row(m, position) for m in site.members)
    groups = [
        {"key": g["key"], "param": g["param"], "values": [[v[0], v[1]] for v in g["values"]]}
        for g in facets(site, t)
    ]
    head = json.dumps(groups, ensure_ascii=False, separators=(",", ":"))
    return f'{{"facets":{head},"members":[{rows}]}}'.encode()
