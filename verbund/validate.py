"""Validate stage: raw documents to typed content, plus one list of problems.

Each document is checked against its pydantic model; then every cross
reference (industries, regions, associations, hosts, speakers, files) is
checked. Positions come from the load stage, so every problem names a line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import marshal
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .cache import Cache, key
from .gfm import github_notes
from .images import LogoError, font_problem, logo_problem, svg_size
from .load import Document, FileSeen, Sources
from .markup import body_problem
from .messages import msg
from .models import (
    SLUG,
    WINDOWS_RESERVED,
    Event,
    Member,
    Page,
    Partner,
    Series,
    SiteConfig,
    Term,
    from_plain,
    german_moment,
    plain,
)
from .problems import Problem
from .yamlhints import run_together
from .yamlsource import Location

M = TypeVar("M", bound=BaseModel)

RESERVED_PAGE_SLUGS = {
    "mitglieder",
    "branchen",
    "regionen",
    "verbaende",
    "veranstaltungen",
    "suche",
    "partner",
    "members",
    "industries",
    "regions",
    "associations",
    "events",
    "search",
    "partners",
    "static",
    "feeds",
    "404",
    "index",
    "sitemap",
    "robots",
}

EXAMPLES = {
    "name": "name: Muster Logistik GmbH",
    "title": 'title: "Kurzarbeitergeld: Ihre Fragen an die Agentur für Arbeit"',
    "industries": "industries: [logistik]",
    "associations": "associations: [wvs]",
    "region": "region: kreis-steinfurt",
    "start": "start: 2020-04-02 10:00",
    "format": "format: online",
    "hosts": "hosts: [wvs]",
    "base_url": "base_url: https://example.org/netzwerk/",
    "id": "id: wvs",
    "city": "city: Rheine",
}


@dataclass(frozen=True)
class Item(Generic[M]):
    """A validated content file: its slug, source path, model and body."""

    slug: str
    source: str
    data: M
    body: str = ""
    body_line: int = 0
    """The line of the file where the body starts (1-based)."""
    digest: str = ""
    """A hash of the file's text: what pages made from it are cached by."""
    data_digest: str = ""
    """A hash of its fields alone (see :attr:`~verbund.load.Document.data_digest`)."""
    body_digest: str = ""
    """A hash of its body alone (see :attr:`~verbund.load.Document.body_digest`)."""


@dataclass
class Content:
    """Everything that passed validation, ready for the site stage."""

    config: SiteConfig
    industries: list[Term] = field(default_factory=list)
    regions: list[Term] = field(default_factory=list)
    partners: list[Partner] = field(default_factory=list)
    """The organisations of ``content/partners.yaml`` (none without it)."""
    series: list[Series] = field(default_factory=list)
    """The series of ``content/series.yaml`` (none without it: then any id makes one)."""
    members: list[Item[Member]] = field(default_factory=list)
    events: list[Item[Event]] = field(default_factory=list)
    pages: list[Item[Page]] = field(default_factory=list)
    content_files: set[str] = field(default_factory=set)
    other_files: list[str] = field(default_factory=list)
    """The files below ``content/`` but member, event and page files, sorted."""
    seen: dict[str, FileSeen] = field(default_factory=dict, compare=False)
    """How each content file looked when its text was read."""
    folders: dict[str, FileSeen] = field(default_factory=dict, compare=False)
    """How each folder below ``content/`` looked when it was listed."""
    likeness: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False)
    """What the near-duplicate check compares of each member: the :func:`name_key`
    of its name and the :func:`website_domain` of its website."""

    def body_digests(self) -> dict[str, str]:
        """The :attr:`Item.body_digest` of each member, event and page known, by source."""
        items: list[Item[Any]] = [*self.members, *self.events, *self.pages]
        return {item.source: item.body_digest for item in items if item.body_digest}


def field_path(location: Location) -> str:
    """``("speakers", 0, "name")`` → ``speakers[0].name``."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def suggestion(value: str, candidates: Collection[str]) -> str:
    """``did you mean 'x'?`` for the closest candidate, or an empty string.

    Case does not count: ``WVE`` finds ``wve``.
    """
    folded = value.casefold()
    by_folded = {c.casefold(): c for c in sorted(candidates, reverse=True)}
    if folded in by_folded:
        return msg("did you mean '{value}'?", value=by_folded[folded])
    close = difflib.get_close_matches(folded, sorted(by_folded), n=1, cutoff=0.6)
    if not close and len(value) >= 3:
        close = [c for c in sorted(by_folded) if folded in c]
        if len(close) != 1:
            return ""
    return msg("did you mean '{value}'?", value=by_folded[close[0]]) if close else ""


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "…"


def _fields_of(model: type[BaseModel], location: Location) -> list[str]:
    """The field names allowed at ``location`` inside ``model``."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if info is None:
            return []
        annotation = info.annotation
        for arg in (*getattr(annotation, "__args__", ()), annotation):
            is_list = getattr(arg, "__origin__", None) is list
            inner = getattr(arg, "__args__", (arg,))[0] if is_list else arg
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                current = inner
                break
        else:
            return []
    return list(current.model_fields)


_TYPE_MESSAGES = {
    "string_type": msg("expected text"),
    "list_type": msg("expected a list, like [a, b]"),
    "model_type": msg("expected fields indented below this key"),
    "dict_type": msg("expected fields indented below this key"),
    "int_parsing": msg("expected a whole number"),
    "bool_parsing": msg("expected true or false"),
    "decimal_parsing": msg("expected a number"),
    "date_from_datetime_parsing": msg("expected a date like 2020-04-01"),
    "date_parsing": msg("expected a date like 2020-04-01"),
}


_VOCABULARY_FIELDS = {
    ("industries",): "industry",
    ("associations",): "association",
    ("hosts",): "association",
    ("region",): "region",
    ("speakers", "member"): "member",
}
"""Which vocabulary the ids of a field come from (list indexes left out)."""


def _unknown_id(
    location: Location, found: Any, vocabularies: Mapping[str, Collection[str] | None]
) -> tuple[str, str] | None:
    """An id that is not one (``WVE``) in a field with a vocabulary, as an unknown
    id of that vocabulary with the closest known one: ``(message, hint)``."""
    what = _VOCABULARY_FIELDS.get(tuple(p for p in location if not isinstance(p, int)))
    if model_vocabularies := vocabularies.get(what or ""):
        if isinstance(found, str):
            return msg(_UNKNOWN[what or ""], value=_shown(found)), suggestion(
                found, model_vocabularies
            ) or _listed_in(what or "")
    return None


def _listed_in(what: str) -> str:
    return msg(
        "known {what} ids are listed in {file}",
        what=_WORDS[what],
        file=_VOCABULARY_FILES.get(what, "site.yaml"),
    )


def _dated(name: str, found: Any) -> str:
    """The value to write for a German date in a date field, or an empty string."""
    german = german_moment(found) if isinstance(found, str) else None
    if german is None:
        return ""
    return msg("write: {example}", example=f"{name}: {german[:10]}")


_BOUND_MESSAGES = {
    "greater_than_equal": ("expected a number from {limit}", "ge"),
    "less_than_equal": ("expected a number up to {limit}", "le"),
    "greater_than": ("expected a number above {limit}", "gt"),
    "less_than": ("expected a number below {limit}", "lt"),
    "decimal_max_places": (
        "expected an amount with at most {limit} decimal places",
        "decimal_places",
    ),
    "decimal_whole_digits": (
        "expected an amount with at most {limit} digits before the decimal point",
        "whole_digits",
    ),
    "decimal_max_digits": ("expected an amount with at most {limit} digits", "max_digits"),
}
"""Pydantic's errors of a number out of its range: the template and the bound it names."""


def _convert(
    error: ErrorDetails,
    document: Document,
    model: type[BaseModel],
    vocabularies: Mapping[str, Collection[str] | None],
) -> Problem:
    location: Location = tuple(error["loc"])
    kind = error["type"]
    name = str(location[-1]) if location else ""
    hint: str = ""
    message: str
    if kind == "missing":
        position = document.position(location[:-1])
        message = msg("the required field '{name}' is missing", name=name)
        if name in EXAMPLES:
            hint = msg("add a line like: {example}", example=EXAMPLES[name])
    elif kind == "extra_forbidden":
        position = document.position(location, key=True)
        allowed = _fields_of(model, location[:-1])
        message = msg("unknown field '{name}'", name=_shown(name))
        hint = suggestion(name, allowed) or (
            msg("allowed here: {fields}", fields=", ".join(allowed)) if allowed else ""
        )
    else:
        position = document.position(location)
        found = error.get("input")
        if kind == "literal_error":
            expected = error.get("ctx", {}).get("expected", "")
            message = msg(
                "'{value}' is not allowed here; use one of: {allowed}",
                value=_shown(found),
                allowed=expected.replace(" or ", ", "),
            )
        elif kind == "value_error":
            reason = error.get("ctx", {}).get("error")
            args: tuple[Any, ...] = reason.args if reason is not None else ()
            message = (
                args[0]
                if args and isinstance(args[0], str)
                else str(error["msg"]).removeprefix("Value error, ")
            )
            hint = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
            unknown = _unknown_id(location, found, vocabularies)
            if unknown is not None:
                message, hint = unknown
        elif kind == "too_short" and isinstance(found, list):
            message = msg("needs at least one entry")
            if name in EXAMPLES:
                hint = msg("for example: {example}", example=EXAMPLES[name])
        elif kind == "string_too_long":
            message = msg("too long: at most {limit} characters", limit=error["ctx"]["max_length"])
        elif kind in _BOUND_MESSAGES:
            template, bound = _BOUND_MESSAGES[kind]
            message = msg(template, limit=str(error.get("ctx", {}).get(bound, "")))
            if found is not None:
                message = msg("{expected}, found '{value}'", expected=message, value=_shown(found))
        elif kind in _TYPE_MESSAGES:
            message = _TYPE_MESSAGES[kind]
            if found is not None:
                message = msg("{expected}, found '{value}'", expected=message, value=_shown(found))
            if kind.startswith("date"):
                hint = _dated(name, found)
        else:
            message = str(error["msg"])
    line, column = (position.line, position.column) if position else (0, 0)
    return Problem(document.path, line, column, field_path(location), message, hint)


def check_model(
    document: Document,
    model: type[M],
    context: dict | None = None,
    vocabularies: Mapping[str, Collection[str] | None] | None = None,
) -> tuple[M | None, list[Problem]]:
    """Validate one document against ``model``; problems carry positions.

    ``vocabularies`` (ids by kind: ``"industry"``, …) make an id that is not
    written as one (``WVE``) an unknown id with the closest known one.
    """
    if not isinstance(document.data, dict):
        found = msg("a list") if isinstance(document.data, list) else msg("a single value")
        return None, [
            Problem(
                document.path,
                1,
                1,
                "",
                msg("expected fields (key: value), found {found}", found=found),
                msg("write one 'field: value' per line"),
            )
        ]
    try:
        return model.model_validate(
            document.data, context={**(context or {}), "fields": document.data}
        ), []
    except ValidationError as error:
        return None, [
            _convert(e, document, model, vocabularies or {})
            for e in error.errors(include_url=False)
        ]


V = TypeVar("V", Term, Partner, Series)


def _vocabulary(
    document: Document | None, rel: str, model: type[V]
) -> tuple[list[V], list[Problem]]:
    if document is None:
        return [], [
            Problem(
                rel,
                0,
                0,
                "",
                msg("{file} is missing", file=rel),
                msg(
                    "create it with a list of entries like: {example}",
                    example="- {id: logistik, name: Logistik}",
                ),
            )
        ]
    if not isinstance(document.data, list):
        return [], [
            Problem(
                rel,
                1,
                1,
                "",
                msg("expected a list of entries with id and name"),
                msg("start each entry with '- id: …'"),
            )
        ]
    terms: list[V] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(document.data):
        item = Document(
            document.kind,
            document.path,
            "",
            entry,
            {k[1:]: v for k, v in document.spans.items() if k[:1] == (index,)},
        )
        term, found = check_model(item, model)
        problems += [_nested(p, f"[{index}]") for p in found]
        if term is None:
            continue
        position = document.position((index, "id"))
        line, column = (position.line, position.column) if position else (0, 0)
        if term.id in seen:
            problems.append(
                Problem(
                    rel,
                    line,
                    column,
                    f"[{index}].id",
                    msg(
                        "the id '{id}' is used twice (first on line {line})",
                        id=term.id,
                        line=seen[term.id],
                    ),
                    msg("give each entry its own id"),
                )
            )
            continue
        seen[term.id] = line
        terms.append(term)
    return terms, problems


def _nested(problem: Problem, prefix: str) -> Problem:
    joined = prefix + (
        ("." if not problem.field.startswith("[") else "") + problem.field if problem.field else ""
    )
    return Problem(
        problem.path,
        problem.line,
        problem.column,
        joined,
        problem.message,
        problem.hint,
        problem.severity,
    )


class _Checker:
    """Cross-reference checks for one document, positioned by field."""

    def __init__(self, document: Document, problems: list[Problem]):
        self.document = document
        self.problems = problems

    def add(
        self,
        location: Location,
        message: str,
        hint: str = "",
        severity: str = "error",
        value: str | None = None,
    ) -> None:
        """A problem at ``location``; ``value``, the text written there, finds it quicker."""
        position = value and self.document.scalar_position(location, value)
        position = position or self.document.position(location)
        line, column = (position.line, position.column) if position else (0, 0)
        self.problems.append(
            Problem(self.document.path, line, column, field_path(location), message, hint, severity)
        )

    def refs(
        self,
        location: Location,
        values: list[str] | str | None,
        known: Collection[str] | None,
        what: str,
    ) -> None:
        """Check ids against ``known``; ``None`` means the vocabulary itself is broken."""
        if values is None or known is None:
            return
        single = isinstance(values, str)
        for index, value in enumerate([values] if isinstance(values, str) else values):
            where = location if single else location + (index,)
            if value not in known:
                self.add(
                    where,
                    msg(_UNKNOWN[what], value=value),
                    suggestion(value, known) or _listed_in(what),
                )
        if not single and len(set(values)) != len(values):
            self.add(location, msg(_TWICE[what]), msg("remove the repeat"))

    def plain_http(self, location: Location, url: str | None) -> None:
        """A warning for an ``http://`` address, with the ``https://`` one to write."""
        if url is None or url[:7].lower() != "http://":
            return
        self.add(
            location,
            msg("the address starts with http://, which browsers mark as not secure"),
            msg("write: {example}", example=f"{location[-1]}: https://{url[7:]}"),
            "warning",
            url,
        )

    def run_together(self, location: Location, values: list[str]) -> None:
        """A warning for a list entry that holds two: a line '- …' below it was
        indented too far and became part of its text."""
        front = self.document.front
        for index, value in enumerate(values):
            if " - " not in value or front is None:
                continue
            position = self.document.position(location + (index,))
            if position is None or position.line < 2:
                continue
            found = run_together(front.split("\n"), position.line - 2, position.column - 1, 1)
            if found is None:
                continue
            line, column, hint = found
            self.problems.append(
                Problem(
                    self.document.path,
                    line + 2,
                    column + 1,
                    field_path(location + (index,)),
                    msg("'{value}' looks like two list entries run together", value=_shown(value)),
                    hint,
                    "warning",
                )
            )


class _FileIds(Collection[str]):
    """The ids of the Markdown files below a folder (their names), looked up
    without listing them all (a site may have 100,000)."""

    def __init__(self, files: set[str], folder: str):
        self.files, self.folder = files, folder

    @functools.cached_property
    def ids(self) -> set[str]:
        return {
            rel.rsplit("/", 1)[1][:-3]
            for rel in self.files
            if rel.startswith(self.folder) and rel.endswith(".md")
        }

    def __contains__(self, value: object) -> bool:
        return (
            isinstance(value, str) and "/" not in value and f"{self.folder}{value}.md" in self.files
        ) or value in self.ids

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


_UNKNOWN = {
    "industry": "unknown industry '{value}'",
    "region": "unknown region '{value}'",
    "association": "unknown association '{value}'",
    "member": "unknown member '{value}'",
    "event": "unknown event '{value}'",
    "partner": "unknown partner '{value}'",
    "series": "unknown series '{value}'",
}
_TWICE = {
    "industry": "the same industry is listed twice",
    "region": "the same region is listed twice",
    "association": "the same association is listed twice",
    "member": "the same member is listed twice",
    "event": "the same event is listed twice",
    "partner": "the same partner is listed twice",
    "series": "the same series is listed twice",
}
_WORDS = {
    "industry": msg("industry"),
    "region": msg("region"),
    "association": msg("association"),
    "member": msg("member"),
    "event": msg("event"),
    "partner": msg("partner"),
    "series": msg("series"),
}
_VOCABULARY_FILES = {
    "industry": "content/industries.yaml",
    "region": "content/regions.yaml",
    "association": msg("site.yaml, under 'associations'"),
    "member": msg("the file names in content/members/"),
    "event": msg("the file names in content/events/"),
    "partner": "content/partners.yaml",
    "series": "content/series.yaml",
}


def _check_slug(document: Document, problems: list[Problem]) -> bool:
    if document.slug in WINDOWS_RESERVED:
        problems.append(
            Problem(
                document.path,
                0,
                0,
                "",
                msg("the file name '{name}' cannot be used on Windows", name=f"{document.slug}.md"),
                msg("choose a longer name"),
            )
        )
        return False
    if SLUG.fullmatch(document.slug) and len(document.slug) <= 80:
        return True
    problems.append(
        Problem(
            document.path,
            0,
            0,
            "",
            msg("the file name '{name}' is not a valid slug", name=f"{document.slug}.md"),
            msg(
                "use only lowercase letters a-z, digits and single hyphens, like "
                "'muster-logistik.md'; write ä as ae and ß as ss"
            ),
        )
    )
    return False


def _valid(
    documents: list[Document],
    model: type[M],
    context: dict,
    problems: list[Problem],
    cache: Cache,
    state: _State,
    vocabularies: Mapping[str, Collection[str] | None],
) -> Iterator[tuple[Document, M, _Checker]]:
    """The documents with a valid slug that pass ``model``; the rest add problems.

    A document that passed before (the same text, model and time zone) is taken
    from the previous build's ``state`` or the ``cache`` as it was, not checked again.
    """
    keys = {
        document.path: key("valid", model.__name__, document.digest, str(context["timezone"]))
        for document in documents
    }
    known = cache.get(
        "valid",
        [keys[d.path] for d in documents if state.before.get(d.path, ("",))[0] != keys[d.path]],
    )
    fresh: dict[str, bytes] = {}
    for document in documents:
        slug_ok = _check_slug(document, problems)
        valid_key = keys[document.path]
        entry = state.before.get(document.path)
        if entry is None or entry[0] != valid_key:
            stored: bytes | None = known.get(valid_key)
            entry = None if stored is None else (valid_key, stored)
        data = cache.models.get(valid_key) if entry is not None else None
        if data is None:
            data = _recalled(entry[1] if entry is not None else None, model)
        if data is not None:
            state.models[valid_key] = data
        else:
            data, found = check_model(document, model, context, vocabularies)
            problems += found
            body = body_problem(document.body)
            notes = github_notes(document.body)  # warnings: such a file is checked every time
            problems += [
                Problem(
                    document.path, document.body_line + line, column, "", message, hint, "warning"
                )
                for line, column, message, hint in notes
            ]
            if body is not None:
                line, message, hint = body
                problems.append(
                    Problem(document.path, document.body_line + line, 1, "", message, hint)
                )
                data = None
            elif data is not None and not found and not notes:
                entry = (valid_key, marshal.dumps(plain(data)))
                fresh[valid_key] = entry[1]
        if data is not None and entry is not None:  # a model found has its entry
            state.after[document.path] = entry
        document.data = None  # the model holds what is needed; positions come from the text
        if data is not None and slug_ok:
            yield document, data, _Checker(document, problems)
    cache.put("valid", fresh)


def _recalled(value: bytes | None, model: type[M]) -> M | None:
    """A model kept by an earlier build, or None if there is none (or it is unreadable)."""
    if value is None:
        return None
    try:
        data = from_plain(marshal.loads(value))
    except (ValueError, TypeError, EOFError, KeyError, IndexError, AttributeError):
        return None
    return data if type(data) is model else None


@dataclass
class _State:
    """The documents that passed their model in the previous build and in this
    one, by path: ``(key, model)``, the model as :func:`~verbund.models.plain`
    values in :mod:`marshal` bytes (the rows of the cache's table, not a copy)."""

    before: dict[str, tuple[str, bytes]]
    after: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    models: dict[str, Any] = field(default_factory=dict)
    """The models recalled, by key (see :attr:`~verbund.cache.Cache.models`)."""

    @classmethod
    def of(cls, cache: Cache) -> _State:
        return cls(
            {
                path: entry
                for path, entry in cache.state("valid").items()
                if isinstance(entry, tuple) and len(entry) == 2
            }
        )

    def save(self, cache: Cache) -> None:
        """Keep :attr:`after` for the next build; the cache forgets models of
        files that are no longer so (see :meth:`~verbund.cache.Cache.prune`)."""
        cache.save_state(
            "valid",
            self.after,
            {path for path, entry in self.after.items() if entry is not self.before.get(path)}
            | (self.before.keys() - self.after.keys()),
        )
        cache.prune("valid", len(self.after), lambda: [entry[0] for entry in self.after.values()])


def _check_member(
    member: Member, check: _Checker, ids: Mapping[str, Collection[str] | None], sources: Sources
) -> None:
    check.refs(("industries",), member.industries, ids["industry"], "industry")
    check.refs(("associations",), member.associations, ids["association"], "association")
    check.refs(("region",), member.region, ids["region"], "region")
    check.refs(("distinct_from",), member.distinct_from, ids["member"], "member")
    check.run_together(("services",), member.services)
    if member.contact is not None:
        check.plain_http(("contact", "website"), member.contact.website)
    if member.logo is not None:
        logo = f"content/members/{member.logo}"
        if logo not in sources.content_files:
            check.add(
                ("logo",),
                msg("there is no file {file}", file=logo),
                msg("put the logo beside the member's file, or remove the line"),
            )
        elif problem := logo_problem(sources.root / logo, sources.root):
            check.add(("logo",), problem.message, problem.hint)


def _check_event(event: Event, check: _Checker, ids: Mapping[str, Collection[str] | None]) -> None:
    check.refs(("hosts",), event.hosts, ids["association"], "association")
    check.refs(("industries",), event.industries, ids["industry"], "industry")
    check.refs(("distinct_from",), event.distinct_from, ids["event"], "event")
    check.run_together(("partners",), event.partners)
    check.plain_http(("recording",), event.recording)
    if event.online is not None:
        check.plain_http(("online", "url"), event.online.url)
    if event.registration is not None:
        check.plain_http(("registration", "url"), event.registration.url)
    for index, speaker in enumerate(event.speakers):
        if speaker.member is not None:
            check.refs(("speakers", index, "member"), speaker.member, ids["member"], "member")
    if event.format in ("in_person", "hybrid") and event.location is None:
        check.add(
            ("format",),
            msg(
                "an event with format '{format}' has no 'location'; "
                "the page says the venue is still to be announced",
                format=event.format,
            ),
            msg("add location: with name, street, postal_code and city"),
            "warning",
        )
    if event.end is not None:
        if isinstance(event.start, dt.datetime) != isinstance(event.end, dt.datetime):
            check.add(
                ("end",),
                msg("'start' and 'end' must both be dates (all-day) or both dates with a time"),
                msg("for example start: 2020-04-02 10:00 and end: 2020-04-02 11:30"),
            )
        elif event.end < event.start:  # type: ignore[operator]
            check.add(("end",), msg("'end' is before 'start'"), msg("check the date and time"))
    registration = event.registration
    if registration is not None:
        if registration.url is None and registration.email is None:
            check.add(("registration",), msg("registration needs a 'url' or an 'email'"))
        start_day = event.start.date() if isinstance(event.start, dt.datetime) else event.start
        if registration.deadline is not None and registration.deadline > start_day:
            check.add(
                ("registration", "deadline"),
                msg("the registration deadline is after the event's start"),
                msg("check the date"),
            )


def _check_event_partners(
    event: Event, check: _Checker, ids: Mapping[str, Collection[str] | None]
) -> None:
    """A speaker's ``partner`` is an id; an entry of ``partners`` is an id or a
    name, and one that looks like a mistyped id is worth a word."""
    for index, speaker in enumerate(event.speakers):
        if speaker.partner is not None:
            check.refs(("speakers", index, "partner"), speaker.partner, ids["partner"], "partner")
    known = ids["partner"] or set()
    for index, entry in enumerate(event.partners):
        named = ids.get("partner name") or set()
        if entry.casefold() not in named and _ID.fullmatch(entry):
            close = suggestion(entry, known)
            if close:
                check.add(
                    ("partners", index),
                    msg("'{value}' is not a partner id; it is shown as text", value=entry),
                    close,
                    "warning",
                )


EXAMPLES_WRITTEN = {
    "de": {
        "service": "Leistung 1",
        "member": "Kurzprofil: Was macht das Unternehmen, für wen, seit wann?",
        "event": "Worum geht es, für wen ist die Veranstaltung?",
    },
    "en": {
        "service": "Service 1",
        "member": "Short profile: what does the firm do, for whom, since when?",
        "event": "What is it about, and who is it for?",
    },
}
"""What ``verbund new`` writes for the editor to replace: left in place, it is a warning."""


_EXAMPLE_SERVICES = {words["service"] for words in EXAMPLES_WRITTEN.values()}


def _check_examples(document: Document, services: list[str], check: _Checker) -> None:
    """Warnings for the examples of ``verbund new`` left in a file."""
    for index, service in enumerate(services):
        if service in _EXAMPLE_SERVICES:
            check.add(
                ("services", index),
                msg("'{value}' is the example that 'new' wrote", value=service),
                msg("write what the firm offers, one service per entry"),
                "warning",
            )
    texts = [words[document.kind] for words in EXAMPLES_WRITTEN.values() if document.kind in words]
    if not any(text in document.body for text in texts):
        return  # most files: no need to split the text into lines
    lines = document.body.split("\n")
    for text in texts:
        if text in lines:
            check.problems.append(
                Problem(
                    document.path,
                    document.body_line + lines.index(text),
                    1,
                    "",
                    msg("the text is still the example that 'new' wrote"),
                    msg("describe the firm: what it does, for whom, since when")
                    if document.kind == "member"
                    else msg("describe the event: what it is about and who it is for"),
                    "warning",
                )
            )


_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _with_series(
    event: Event, data_digest: str, series: list[Series], check: _Checker
) -> tuple[Event, str]:
    """The event with what its series gives when the event says nothing: the
    hosts, the price of its registration; and its fields' fingerprint with them."""
    defaults = next((entry for entry in series if entry.id == event.series), None)
    update: dict[str, Any] = {}
    if not event.hosts and defaults is not None and defaults.hosts:
        update["hosts"] = defaults.hosts
    registration = event.registration
    if registration is not None and registration.price is None and defaults is not None:
        if defaults.price is not None:
            update["registration"] = registration.model_copy(update={"price": defaults.price})
    if not event.hosts and "hosts" not in update:
        check.add(
            (),
            msg("the required field '{name}' is missing", name="hosts"),
            msg("add a line like: {example}", example=EXAMPLES["hosts"]),
        )
    if not update:
        return event, data_digest
    changed = event.model_copy(update=update)
    return changed, key("series defaults", data_digest, repr(sorted(update.items())))


def _check_series(
    document: Document, series: list[Series], associations: set[str], problems: list[Problem]
) -> None:
    """The hosts a series gives its events are associations of ``site.yaml``."""
    check = _Checker(document, problems)
    for index, entry in enumerate(document.data or []):
        hosts = entry.get("hosts") if isinstance(entry, dict) else None
        if isinstance(hosts, list) and all(isinstance(host, str) for host in hosts):
            check.refs((index, "hosts"), hosts, associations, "association")
    del series  # checked by their model above


def _check_partners(
    document: Document, partners: list[Partner], sources: Sources, problems: list[Problem]
) -> None:
    """A partner's logo is below ``static/``; a member's id among its firms
    links to the profile, and one that is nearly an id is worth a word. Events
    name a partner by its id, name or short name: no two partners share one."""
    check = _Checker(document, problems)
    members = _FileIds(sources.content_files, "content/members/")
    named: dict[str, str] = {}  # a name in any case → the id of the partner it is first
    for index, partner in enumerate(document.data or []):
        if not isinstance(partner, dict):
            continue
        for field_name in ("id", "name", "short_name"):
            value = partner.get(field_name)
            if not isinstance(value, str) or not value.strip():
                continue
            # As the model keeps it and events look it up: spaces collapsed, any case.
            other = named.setdefault(" ".join(value.split()).casefold(), str(partner.get("id")))
            if other != str(partner.get("id")):
                check.add(
                    (index, field_name),
                    msg(
                        "'{value}' also names the partner '{other}': an event could not tell "
                        "them apart",
                        value=value,
                        other=other,
                    ),
                    msg("give one of them another name or short_name"),
                )
        logo = partner.get("logo")
        if isinstance(logo, str) and f"static/{logo}" not in sources.static_files:
            check.add(
                (index, "logo"),
                msg("there is no file {file}", file=f"static/{logo}"),
                msg("put the logo below static/"),
            )
        firms = partner.get("members")
        for number, firm in enumerate(firms if isinstance(firms, list) else []):
            if isinstance(firm, str) and _ID.fullmatch(firm) and firm not in members:
                close = suggestion(firm, members)
                if close:
                    check.add(
                        (index, "members", number),
                        msg(
                            "'{value}' is not a member's file name; it is shown as text", value=firm
                        ),
                        close,
                        "warning",
                    )
    del partners  # checked by their model above


_LEGAL_FORMS = re.compile(
    r"\b(gmbh|ag|kg|ohg|eg|ek|e\.k|ug|mbh|mbb|co|partner|partg|gbr|se|kgaa|"
    r"haftungsbeschränkt|und|and)\b"
)
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """``Müller & Söhne GmbH & Co. KG`` and ``Mueller + Soehne`` give the same key."""
    text = name.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return _NOT_ALPHANUMERIC.sub("", _LEGAL_FORMS.sub(" ", text.replace("ß", "ss")))


_HOST = re.compile(r"[^:/?#]+://(?:[^/?#@]*@)?([^/?#:]*)")


def website_domain(url: str) -> str:
    """``https://www.Example.org:8080/x`` → ``example.org`` (as ``urlsplit`` finds it)."""
    found = _HOST.match(url)
    return found[1].lower().removeprefix("www.") if found else ""


def _intended(item: Item[Any], other: Item[Any]) -> bool:
    """Whether either file says the two are different (``distinct_from``)."""
    return other.slug in item.data.distinct_from or item.slug in other.data.distinct_from


def _alike(
    check: _Checker, location: Location, message: str, item: Item[Any], other: Item[Any]
) -> None:
    """An error for ``item`` that looks like ``other``, unless that is intended."""
    if _intended(item, other):
        return
    check.add(
        location,
        message,
        msg(
            "if both are the same, keep only {file}; if they are not, add a line: {example}",
            file=other.source,
            example=f"distinct_from: [{other.slug}]",
        ),
    )


def _near_duplicates(content: Content, sources: Sources, problems: list[Problem]) -> None:
    """Errors for a member or event that looks like one already there, unless a
    file of the two says they are different (``distinct_from``)."""
    documents = {d.path: d for d in sources.members + sources.events}
    seen_names: dict[str, Item[Member]] = {}
    seen_domains: dict[str, Item[Member]] = {}
    for item in sorted(content.members, key=lambda i: i.source):
        check = _Checker(documents[item.source], problems)
        key = name_key(item.data.name)
        website = item.data.contact.website if item.data.contact else None
        domain = website_domain(website) if website else ""
        content.likeness[item.source] = key, domain
        named = seen_names.get(key) if key else None
        if named is not None:
            message = msg(
                "the name is almost the same as '{name}' in {file}",
                name=named.data.name,
                file=named.source,
            )
            _alike(check, ("name",), message, item, named)
        seen_names.setdefault(key, item)
        if domain:
            other = seen_domains.get(domain)
            if other is not None:
                message = msg(
                    "{file} has a website on the same domain, {domain}",
                    file=other.source,
                    domain=domain,
                )
                _alike(check, ("contact", "website"), message, item, other)
            seen_domains.setdefault(domain, item)
    seen_events: dict[tuple[str, dt.date], Item[Event]] = {}
    for event in sorted(content.events, key=lambda i: i.source):
        day = (
            event.data.start.date()
            if isinstance(event.data.start, dt.datetime)
            else event.data.start
        )
        title_day = (name_key(event.data.title), day)
        first = seen_events.get(title_day)
        if first is not None:
            message = msg("{file} has the same title on the same day", file=first.source)
            _alike(_Checker(documents[event.source], problems), ("title",), message, event, first)
        seen_events.setdefault(title_day, event)


def base_url_notes(document: Document | None, base_url: str) -> list[Problem]:
    """A note when ``base_url`` has a path: ``robots.txt`` is written below it,
    where crawlers do not read it. ``document`` is ``site.yaml`` if the address
    is its own (``None`` when ``--base-url`` gave it)."""
    parts = urlsplit(base_url)
    if parts.path in ("", "/"):
        return []
    position = document.position(("base_url",)) if document is not None else None
    line, column = (position.line, position.column) if position else (0, 0)
    return [
        Problem(
            document.path if document is not None else "--base-url",
            line,
            column,
            "base_url" if document is not None else "",
            msg(
                "robots.txt is written to {url}; crawlers read only {root}",
                url=base_url + "robots.txt",
                root=f"{parts.scheme}://{parts.netloc}/robots.txt",
            ),
            msg("copy its Sitemap line to the robots.txt there"),
            "note",
        )
    ]


EDIT_EXAMPLE = "https://github.com/OWNER/REPO/edit/main/"


def _check_static_file(
    check: _Checker, sources: Sources, where: tuple[str | int, ...], rel: str, kind: str
) -> None:
    """A file ``site.yaml`` names below ``static/``: there, and a picture (a
    ``logo`` or ``picture``) or a font that can be read."""
    file = f"static/{rel}"
    if file not in sources.static_files:
        hints = {
            "logo": msg("put the logo below static/"),
            "picture": msg("put the picture below static/"),
            "font": msg("put the font file below static/"),
        }
        check.add(where, msg("there is no file {file}", file=file), hints[kind])
        return
    path = sources.root / file
    problem: LogoError | None
    if kind == "font":
        problem = font_problem(path, sources.root)
    elif path.suffix.lower() == ".svg":
        try:
            svg_size(path, sources.root)
            problem = None
        except LogoError as error:
            problem = error
    else:
        problem = logo_problem(path, sources.root)
    if problem is not None:
        check.add(where, problem.message, problem.hint)


def validate(sources: Sources, cache: Cache | None = None) -> tuple[Content | None, list[Problem]]:
    """Check everything; return the content only if there is no error.

    With a ``cache``, content files that passed their model before are not
    checked against it again; cross references are always checked. The parsed
    data of content documents is let go as they are checked (a site of 100,000
    files would hold it twice); their positions are found from their text.
    """
    cache = cache or Cache(None)
    problems: list[Problem] = []
    if sources.site is None:
        return None, problems
    config, problems = check_model(sources.site, SiteConfig)
    if config is None:
        return None, problems
    site_check = _Checker(sources.site, problems)
    association_ids: set[str] = set()
    for index, association in enumerate(config.associations):
        if association.id in association_ids:
            site_check.add(
                ("associations", index, "id"),
                msg("the association id '{id}' is used twice", id=association.id),
                msg("give each its own id"),
            )
        association_ids.add(association.id)
        site_check.plain_http(("associations", index, "website"), association.website)
        if association.logo:
            _check_static_file(
                site_check, sources, ("associations", index, "logo"), association.logo, "logo"
            )
    if config.edit_links and not config.edit_url:
        site_check.add(
            ("edit_links",),
            msg("'edit_links' links to 'edit_url', which is not set: pages show no edit link"),
            msg("add edit_url: the address of the editor, like {example}", example=EDIT_EXAMPLE),
            "warning",
        )

    if config.image and f"static/{config.image}" not in sources.static_files:
        site_check.add(
            ("image",),
            msg("there is no file {file}", file=f"static/{config.image}"),
            msg("put the picture below static/"),
        )
    if config.hero:
        _check_static_file(site_check, sources, ("hero", "image"), config.hero.image, "picture")
    if config.brand and config.brand.font:
        _check_static_file(site_check, sources, ("brand", "font"), config.brand.font, "font")
    industries, found = _vocabulary(sources.industries, "content/industries.yaml", Term)
    problems += found
    regions, found = _vocabulary(sources.regions, "content/regions.yaml", Term)
    problems += found
    series: list[Series] = []
    if sources.series is not None:
        series, found = _vocabulary(sources.series, "content/series.yaml", Series)
        problems += found
        _check_series(sources.series, series, association_ids, problems)
    partners: list[Partner] = []
    if sources.partners is not None:
        partners, found = _vocabulary(sources.partners, "content/partners.yaml", Partner)
        problems += found
        _check_partners(sources.partners, partners, sources, problems)
    content = Content(
        config,
        industries,
        regions,
        partners,
        series,
        content_files=sources.content_files,
        other_files=sources.other_files,
        seen=sources.seen,
        folders=sources.folders,
    )
    ids: dict[str, Collection[str] | None] = {
        "association": association_ids,
        "industry": {t.id for t in industries} if sources.industries else None,
        "region": {t.id for t in regions} if sources.regions else None,
        # Every member file counts, even one that failed to load: its own problem
        # is reported once, not again at every reference to it.
        "member": _FileIds(sources.content_files, "content/members/"),
        "event": _FileIds(sources.content_files, "content/events/"),
        "partner": {p.id for p in partners},
        "series": {entry.id for entry in series} if sources.series else None,
        "partner name": {
            name.casefold() for p in partners for name in (p.name, p.short_name, p.id) if name
        },
    }
    context = {"timezone": config.zone}
    state = _State.of(cache)

    for document, member, check in _valid(
        sources.members, Member, context, problems, cache, state, ids
    ):
        _check_member(member, check, ids, sources)
        _check_examples(document, member.services, check)
        content.members.append(
            Item(
                document.slug,
                document.path,
                member,
                document.body,
                document.body_line,
                document.digest,
                document.data_digest,
                document.body_digest,
            )
        )
    for document, event, check in _valid(
        sources.events, Event, context, problems, cache, state, ids
    ):
        event, data_digest = _with_series(event, document.data_digest, series, check)
        check.refs(("series",), event.series, ids["series"], "series")
        _check_examples(document, [], check)
        _check_event(event, check, ids)
        _check_event_partners(event, check, ids)
        content.events.append(
            Item(
                document.slug,
                document.path,
                event,
                document.body,
                document.body_line,
                document.digest,
                data_digest,
                document.body_digest,
            )
        )
    for document, page, _ in _valid(sources.pages, Page, context, problems, cache, state, ids):
        if document.slug in RESERVED_PAGE_SLUGS:
            problems.append(
                Problem(
                    document.path,
                    0,
                    0,
                    "",
                    msg("the page name '{name}' is used by the site itself", name=document.slug),
                    msg("rename the file"),
                )
            )
            continue
        content.pages.append(
            Item(
                document.slug,
                document.path,
                page,
                document.body,
                document.body_line,
                document.digest,
                document.data_digest,
                document.body_digest,
            )
        )

    state.save(cache)
    cache.models = state.models
    _near_duplicates(content, sources, problems)
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.field))
    if any(p.severity == "error" for p in problems):
        return None, problems
    return content, problems
