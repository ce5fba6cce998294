"""The content contract as pydantic models (see CONTENT-MODEL.md).

Every scalar arrives as a string from the strict YAML reader; the types here
decide what it becomes. Event times need the site's time zone, passed as
validation context ``{"timezone": ZoneInfo(...)}``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from . import colours
from .messages import msg

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}")
_URL = re.compile(r"https?://[^\s/?#<>\"'`@]+(?:[/?#][^<>\"'`\x00-\x1f]*)?", re.IGNORECASE)
_PHONE = re.compile(r"\+?[0-9][0-9 ()/\-]{3,30}")
_POSTAL_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z -]{1,9}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(:\d{2})?\s*(Z|[+-]\d{2}:?\d{2})?")


def _text(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ValueError(msg("must not be empty"))
    return value


WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))]
)
"""Names Windows cannot use for a file or folder: an editor there could not check out."""


def _slug(value: str) -> str:
    if not SLUG.fullmatch(value):
        raise ValueError(
            msg(
                "an id may only contain lowercase letters a-z, digits and "
                "single hyphens, like 'kreis-steinfurt'"
            )
        )
    if value in WINDOWS_RESERVED:
        raise ValueError(
            msg("'{value}' cannot be a folder name on Windows; choose a longer id", value=value)
        )
    return value


def web_url(value: str) -> str:
    """An http(s) address; spaces are encoded."""
    value = value.strip()
    if not _URL.fullmatch(value):
        raise ValueError(msg("expected a web address starting with https://"))
    return value.replace(" ", "%20")


_HOST_ONLY = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:[/?#]\S*)?", re.IGNORECASE
)
_BROKEN_SCHEME = re.compile(r"(?:h?t?tps?)?\s*[:;]?\s*/{0,3}\s*", re.IGNORECASE)


def url_fix(value: str) -> str | None:
    """The web address an editor most likely meant by ``value``, or None.

    ``www.example.org`` and ``https//example.org`` → ``https://…``.
    """
    value = value.strip()
    rest = _BROKEN_SCHEME.sub("", value, count=1) if value[:1].lower() == "h" else value
    rest = rest.removeprefix("//")
    if not _HOST_ONLY.fullmatch(rest):
        return None
    fixed = "https://" + rest
    return fixed if _URL.fullmatch(fixed) and fixed != value else None


def _field_url(value: str, info: ValidationInfo) -> str:
    """:func:`web_url` in a model: a near miss gets the address to write."""
    try:
        return web_url(value)
    except ValueError:
        fixed = url_fix(value)
        if fixed is None:
            raise
        raise ValueError(
            msg("expected a web address starting with https://"),
            msg("write: {example}", example=f"{info.field_name}: {fixed}"),
        ) from None


_AT = re.compile(r"\s*(?:\(at\)|\[at\]|\{at\}| at )\s*", re.IGNORECASE)


def email_fix(value: str) -> str | None:
    """The e-mail address an editor most likely meant by ``value``, or None:
    ``info@x,example`` → ``info@x.example``, ``mailto:`` and spaces dropped."""
    fixed = value.strip().removeprefix("mailto:")
    fixed = _AT.sub("@", fixed) if "@" not in fixed else fixed
    fixed = re.sub(r"[,;]", ".", fixed).replace(" ", "").replace("..", ".").strip(".<>")
    return fixed if fixed != value.strip() and _EMAIL.fullmatch(fixed) else None


def _email(value: str, info: ValidationInfo) -> str:
    value = value.strip()
    if not _EMAIL.fullmatch(value):
        fixed = email_fix(value)
        if fixed is not None:
            raise ValueError(
                msg("'{value}' is not an e-mail address", value=value[:60]),
                msg("write: {example}", example=f"{info.field_name}: {fixed}"),
            )
        raise ValueError(msg("expected an e-mail address like info@example.org"))
    return value


def _phone(value: str) -> str:
    value = value.strip()
    if not _PHONE.fullmatch(value):
        raise ValueError(msg('expected a phone number like "+49 5971 12345" (in quotes)'))
    return value


def _postal_code(value: str) -> str:
    value = value.strip()
    if not _POSTAL_CODE.fullmatch(value):
        raise ValueError(msg('expected a postal code like "48431" (in quotes)'))
    return value


def _country(value: str) -> str:
    value = value.strip()
    if not _COUNTRY.fullmatch(value):
        raise ValueError(
            msg("expected a country code of two capital letters (ISO 3166-1), like DE or NL")
        )
    return value


def _relative_file(value: str) -> str:
    value = value.strip()
    parts = value.replace("\\", "/").split("/")
    if not value or value.startswith("/") or ".." in parts or ":" in value:
        raise ValueError(msg("expected a file name inside the site folder, like 'logo.png'"))
    return value


Text = Annotated[str, Field(max_length=300), AfterValidator(_text)]
LongText = Annotated[str, Field(max_length=2000), AfterValidator(_text)]
Slug = Annotated[str, Field(max_length=80), AfterValidator(_slug)]
WebUrl = Annotated[str, Field(max_length=2000), AfterValidator(_field_url)]
Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Phone = Annotated[str, AfterValidator(_phone)]
PostalCode = Annotated[str, AfterValidator(_postal_code)]
Country = Annotated[str, AfterValidator(_country)]
FileRef = Annotated[str, Field(max_length=200), AfterValidator(_relative_file)]


def _moment(value: object, info: ValidationInfo) -> dt.date | dt.datetime:
    """A date (all day) or a time; naive times are local to the site's zone."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value
    text = str(value).strip()
    zone: ZoneInfo = (info.context or {}).get("timezone") or ZoneInfo("UTC")
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(msg("there is no date {text}", text=text)) from None
    if not _DATETIME.fullmatch(text):
        raise _not_a_moment(text, info)
    try:
        moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1).replace(" ", ""))
    except ValueError:
        raise ValueError(msg("there is no date and time {text}", text=text)) from None
    if moment.tzinfo is not None:
        return moment
    local = moment.replace(tzinfo=zone)
    round_trip = local.astimezone(dt.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != moment:
        raise ValueError(
            msg(
                "{text} does not exist in {zone}: the clocks skip that hour "
                "when daylight saving time starts; give a time outside the gap",
                text=text,
                zone=zone.key,
            )
        )
    other = moment.replace(tzinfo=zone, fold=1)
    if other.utcoffset() != local.utcoffset():
        raise ValueError(
            msg(
                "{text} happens twice in {zone} when daylight saving time "
                "ends; add the offset: {first} (first) or {second} (second)",
                text=text,
                zone=zone.key,
                first=text + _offset(local),
                second=text + _offset(other),
            )
        )
    return local


_GERMAN_DATE = re.compile(
    r"(?P<day>\d{1,2})\.\s*(?P<month>\d{1,2})\.\s*(?P<year>\d{4}|\d{2})"
    r"(?:,?\s*(?:um\s+)?(?P<time>.+))?",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?(?:\s*Uhr)?",
    re.IGNORECASE,
)


def _time_of(text: str) -> str | None:
    """``10:00``, ``10.00 Uhr`` or ``10 Uhr`` as ``10:00``; None for anything else."""
    found = _TIME.fullmatch(text.strip())
    if not found or (found["minute"] is None and "uhr" not in text.lower()):
        return None
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    return f"{hour:02d}:{minute:02d}" if hour < 24 and minute < 60 else None


def german_moment(text: str) -> str | None:
    """``15.12.2026 10:00`` (and ``15.12.26, 10 Uhr``) as ``2026-12-15 10:00``;
    ``15.12.2026`` as ``2026-12-15``; None if ``text`` is no German date."""
    found = _GERMAN_DATE.fullmatch(text.strip())
    if not found:
        return None
    year = int(found["year"]) + (2000 if len(found["year"]) == 2 else 0)
    try:
        day = dt.date(year, int(found["month"]), int(found["day"]))
    except ValueError:
        return None
    if found["time"] is None:
        return day.isoformat()
    time = _time_of(found["time"])
    return f"{day.isoformat()} {time}" if time else None


def _day_of(value: object) -> dt.date | None:
    """The day of a moment, validated or as written, or None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = german_moment(value) or value.strip()
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    return None


def _not_a_moment(text: str, info: ValidationInfo) -> ValueError:
    """Why ``text`` is no date, with the value to write where it is clear."""
    name = info.field_name or "start"
    german = german_moment(text)
    if german is not None:
        return ValueError(
            msg("dates are written year-month-day here"),
            msg("write: {example}", example=f"{name}: {german}"),
        )
    time = _time_of(text)
    if time is not None:
        start = info.data.get("start") or (info.context or {}).get("fields", {}).get("start")
        day = _day_of(start) if name != "start" else None
        if day is not None:
            return ValueError(
                msg("a time alone is not enough: the date is needed too"),
                msg("write: {example}", example=f"{name}: {day.isoformat()} {time}"),
            )
        return ValueError(
            msg("a time alone is not enough: the date is needed too"),
            msg("write the date before it, like {example}", example=f"{name}: 2020-04-02 {time}"),
        )
    return ValueError(
        msg("expected a date like 2020-04-02 or a date and time like 2020-04-02 10:00")
    )


def _offset(moment: dt.datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


Moment = Annotated[
    dt.date | dt.datetime,
    BeforeValidator(_moment),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{1,2}:\d{2}(:\d{2})?\s*(Z|[+-]\d{2}:?\d{2})?)?$",
        }
    ),
]


_EMPTY_LIST: list[Any] = Field(default_factory=list, json_schema_extra={"default": []})
"""An empty list for each model (a plain ``[]`` default is deep-copied every time)."""


class Strict(BaseModel):
    """Unknown keys are errors; values are frozen after validation."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# -- site.yaml and vocabularies ---------------------------------------------


class Association(Strict):
    id: Slug
    name: Text
    short_name: Text | None = None
    city: Text | None = None
    website: WebUrl | None = None
    logo: FileRef | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name


def _colour(value: object) -> str:
    """A colour as ``#rrggbb``; a value YAML read as a comment gets the hint to quote it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(
            msg('expected a colour like "#0b4f8a"'),
            msg("put it in quotes: without them YAML reads # as the start of a comment"),
        )
    rgb = colours.parse(value) if isinstance(value, str) else None
    if rgb is None:
        raise ValueError(msg('expected a colour as # and six hex digits, like "#0b4f8a"'))
    return colours.hex_of(rgb)


def _readable_on_white(value: str, info: ValidationInfo) -> str:
    """A colour text is set in on white, and white text on it: 4.5:1 at least."""
    rgb = colours.parse(value)
    assert rgb is not None
    ratio = colours.contrast(rgb, colours.WHITE)
    if ratio < colours.AA_TEXT:
        shade = colours.darkened(rgb, colours.WHITE, colours.AA_TEXT)
        raise ValueError(
            msg(
                "{colour} and white have a contrast of only {ratio}:1; "
                "text needs at least 4.5:1 (WCAG AA)",
                colour=value,
                ratio=f"{int(ratio * 10) / 10:.1f}",
            ),
            msg(
                "write a darker shade: {example}",
                example=f'{info.field_name}: "{shade}"',
            ),
        )
    return value


BrandColour = Annotated[
    str,
    BeforeValidator(_colour),
    AfterValidator(_readable_on_white),
    WithJsonSchema({"type": "string", "pattern": "^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$"}),
]


def _font_file(value: str) -> str:
    if not value.lower().endswith(".woff2"):
        raise ValueError(
            msg("expected a font file in WOFF2 format, like 'fonts/source-sans-3.woff2'")
        )
    return value


class Brand(Strict):
    """The look the associations share: colours and a font shipped with the site."""

    primary: BrandColour
    """The header, buttons, date tiles and links: white text on it, and it on white."""
    accent: BrandColour | None = None
    """A second colour for highlights (hovered links, marks beside headings)."""
    font: Annotated[FileRef, AfterValidator(_font_file)] | None = None
    """A WOFF2 file below ``static/`` for all text (a variable font covers every weight)."""

    @field_validator("accent", mode="before")
    @classmethod
    def _written(cls, value: object) -> object:
        # ``accent: #b3471d`` without quotes reads as no value: say so, not nothing.
        return _colour(value) if value is None else value


class Hero(Strict):
    """The picture on top of the home page."""

    image: FileRef
    """A JPEG, PNG or WebP below ``static/``; made into sizes for every screen."""
    alt: Text
    """What the picture shows, for those who cannot see it."""


class SiteConfig(Strict):
    title: Text
    base_url: WebUrl
    language: Literal["de", "en"] = "de"
    timezone: str = "Europe/Berlin"
    description: LongText | None = None
    associations: list[Association] = Field(min_length=1)
    contact_email: Email | None = None
    edit_url: WebUrl | None = None
    edit_links: bool = False
    """Whether member, event and free pages link to ``edit_url`` for editors."""
    country: Country = "DE"
    """The country of members' addresses that name none."""
    image: FileRef | None = None
    """A picture below ``static/`` for link previews of pages without one of their own."""
    brand: Brand | None = None
    """Colours and font of the site (without it, the stylesheet's)."""
    hero: Hero | None = None
    """The picture on top of the home page."""

    @field_validator("base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if "?" in value or "#" in value:
            raise ValueError(msg("the base URL must not contain '?' or '#'"))
        return value if value.endswith("/") else value + "/"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                msg(
                    "unknown time zone '{value}'; use an IANA name like Europe/Berlin",
                    value=value[:40],
                )
            ) from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Term(Strict):
    """An entry of a controlled vocabulary (industries, regions)."""

    id: Slug
    name: Text
    description: LongText | None = None


# -- members -----------------------------------------------------------------


class Address(Strict):
    street: Text | None = None
    postal_code: PostalCode | None = None
    city: Text
    country: Country | None = None
    """ISO 3166-1 alpha-2; without it, the site's ``country``."""


class Contact(Strict):
    website: WebUrl | None = None
    email: Email | None = None
    phone: Phone | None = None


EmployeeClass = Literal["1-9", "10-49", "50-249", "250+"]


class Member(Strict):
    name: Text
    industries: list[Slug] = Field(min_length=1)
    services: list[Text] = _EMPTY_LIST
    associations: list[Slug] = Field(min_length=1)
    region: Slug
    address: Address | None = None
    contact: Contact | None = None
    logo: FileRef | None = None
    member_since: int | None = Field(default=None, ge=1800, le=2100)
    employees: EmployeeClass | None = None
    distinct_from: list[Slug] = _EMPTY_LIST
    """Other members that look like this one (a name or web domain alike) but
    are other firms: the duplicate check lets the likeness pass."""


# -- series ------------------------------------------------------------------------


class Series(Strict):
    """A series of events (``content/series.yaml``): their page and defaults."""

    id: Slug
    name: Text
    description: LongText | None = None
    hosts: list[Slug] = _EMPTY_LIST
    """The associations that host its events unless an event names its own."""
    price: Decimal | None = Field(default=None, ge=0, max_digits=9, decimal_places=2)
    """What taking part costs (euros; 0: free, for members and guests alike)
    unless an event's registration says otherwise."""


# -- partners ------------------------------------------------------------------


class Partner(Strict):
    """An organisation the associations work with (``content/partners.yaml``)."""

    id: Slug
    name: Text
    short_name: Text | None = None
    city: Text | None = None
    description: LongText | None = None
    website: WebUrl | None = None
    logo: FileRef | None = None
    """A picture below ``static/``."""
    members: list[Text] = _EMPTY_LIST
    """The firms that belong to it: a member's file name links to its profile,
    any other text is shown as it is."""


# -- events ------------------------------------------------------------------


class Venue(Strict):
    name: Text
    street: Text | None = None
    postal_code: PostalCode | None = None
    city: Text | None = None


class Online(Strict):
    platform: Text | None = None
    url: WebUrl | None = None


class Speaker(Strict):
    name: Text
    role: Text | None = None
    organization: Text | None = None
    member: Slug | None = None
    partner: Slug | None = None
    """The partner organisation (``content/partners.yaml``) the speaker comes from."""


class Registration(Strict):
    url: WebUrl | None = None
    email: Email | None = None
    deadline: dt.date | None = None
    price: Decimal | None = Field(default=None, ge=0, max_digits=9, decimal_places=2)
    members_only: bool = False


class Event(Strict):
    title: Text
    start: Moment
    end: Moment | None = None
    format: Literal["online", "in_person", "hybrid"]
    hosts: list[Slug] = _EMPTY_LIST
    """At least one: here, or from the series (``content/series.yaml``)."""
    partners: list[Text] = _EMPTY_LIST
    series: Slug | None = None
    location: Venue | None = None
    online: Online | None = None
    speakers: list[Speaker] = _EMPTY_LIST
    industries: list[Slug] = _EMPTY_LIST
    registration: Registration | None = None
    recording: WebUrl | None = None
    status: Literal["scheduled", "cancelled", "postponed"] = "scheduled"
    distinct_from: list[Slug] = _EMPTY_LIST
    """Other events with the same title on the same day that are not this one."""

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)


# -- free pages ----------------------------------------------------------------


class Page(Strict):
    title: Text
    description: LongText | None = None
    menu: int | None = Field(default=None, ge=0, le=99)
    """Position in the footer menu; pages without it are not linked there."""


# -- validated models as plain values (for the build cache) ------------------------

_MODELS: dict[str, tuple[type[BaseModel], list[str]]] = {}
"""Each model by name, with its fields in order."""
_set = object.__setattr__


def plain(value: Any) -> Any:
    """A validated model as nested tuples, lists and scalars that :mod:`marshal`
    can keep; :func:`from_plain` makes the same model again without validating."""
    if isinstance(value, BaseModel):
        fields, other = {}, {}  # as they are (a stand-in for the others, keeping the order)
        for name, item in value.__dict__.items():
            simple = _is_simple(item)
            fields[name] = item if simple else None
            if not simple:
                other[name] = plain(item)
        return ("model", type(value).__name__, sorted(value.model_fields_set), fields, other)
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dt.datetime):
        if isinstance(value.tzinfo, ZoneInfo):
            return ("zoned", value.replace(tzinfo=None).isoformat(), value.fold, value.tzinfo.key)
        return ("moment", value.isoformat())
    if isinstance(value, dt.date):
        return ("date", value.isoformat())
    if isinstance(value, Decimal):
        return ("decimal", str(value))
    if value is None or isinstance(value, (str, int, float)):
        return value
    raise TypeError(f"cannot keep {type(value).__name__}")


def from_plain(value: Any) -> Any:
    """The inverse of :func:`plain`."""
    if type(value) is list:
        return [from_plain(item) for item in value]
    if type(value) is not tuple:
        return value
    kind = value[0]
    if kind == "model":
        if not _MODELS:
            _MODELS.update(
                (model.__name__, (model, list(model.model_fields))) for model in _all_models()
            )
        model, names = _MODELS[value[1]]
        made = model.__new__(model)
        # What model_construct sets, without its per-field bookkeeping: every
        # field is there, as validation left it.
        fields = dict(value[3])
        for name, item in value[4].items():
            fields[name] = from_plain(item)
        if list(fields) != names:
            raise ValueError(f"not the fields of {model.__name__}")
        _set(made, "__dict__", fields)
        _set(made, "__pydantic_fields_set__", set(value[2]))
        _set(made, "__pydantic_extra__", None)
        _set(made, "__pydantic_private__", None)
        return made
    if kind == "zoned":
        return dt.datetime.fromisoformat(value[1]).replace(tzinfo=ZoneInfo(value[3]), fold=value[2])
    if kind == "moment":
        return dt.datetime.fromisoformat(value[1])
    if kind == "date":
        return dt.date.fromisoformat(value[1])
    if kind == "decimal":
        return Decimal(value[1])
    raise ValueError(f"unknown kind {kind!r}")


def _is_simple(value: Any) -> bool:
    """Kept as it is: a scalar, or a list of text (ids, services)."""
    if isinstance(value, list):
        return all(type(item) is str for item in value)
    return value is None or type(value) in (str, int, float, bool)


def _all_models() -> list[type[BaseModel]]:
    return [
        Association,
        SiteConfig,
        Term,
        Address,
        Contact,
        Member,
        Venue,
        Online,
        Speaker,
        Registration,
        Event,
        Page,
    ]


__all__ = [
    "Association",
    "SiteConfig",
    "Term",
    "Member",
    "Event",
    "Page",
    "Address",
    "Contact",
    "Venue",
    "Online",
    "Speaker",
    "Registration",
    "SLUG",
    "WINDOWS_RESERVED",
]
