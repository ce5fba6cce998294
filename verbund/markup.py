"""Markdown bodies to safe HTML: Python-Markdown, then an nh3 allow-list."""

from __future__ import annotations

import html as htmllib
import re
import threading
import xml.etree.ElementTree as etree
from itertools import islice
from typing import Any
from urllib.parse import quote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .gfm import GitHubExtension
from .messages import msg

ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_FOOTNOTE_ID = re.compile(r"fn(?:ref\d*)?:[\w-]{1,40}")
_LOADED = {"src", "poster", "background", "data", "lowsrc", "dynsrc"}
"""Attributes whose URL the browser fetches while it shows the page."""
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_AROUND_URL = "".join(map(chr, range(33)))
_INSIDE_URL = str.maketrans("", "", "\t\n\r")


def is_local(url: str) -> bool:
    """Whether ``url`` stays on the page's own host, read as a browser reads it:
    blanks and control characters around it and tabs and line breaks in it
    dropped, ``\\`` taken as ``/`` (so ``/\\host`` is another host)."""
    url = url.strip(_AROUND_URL).translate(_INSIDE_URL).replace("\\", "/")
    return not url.startswith("//") and not _SCHEME.match(url)


_BLANK = re.compile(r"\s")
_PATH_LIKE = re.compile(r"[./#]")


def link_target(url: str) -> str | None:
    """The ``href`` a link keeps, or None for one that cannot work: prose with
    blanks where a path or an address should be. Blanks that may be meant
    (in a fragment, an e-mail subject, a phone number, a file name) are encoded."""
    url = url.strip(_AROUND_URL)
    if not _BLANK.search(url):
        return url
    scheme = _SCHEME.match(url)
    if scheme and scheme[0].lower() in ("http:", "https:"):
        address, hash_mark, fragment = url.partition("#")
        if _BLANK.search(address):
            return None
        return address + hash_mark + _BLANK.sub(_encode_blank, fragment)
    if not scheme and not _PATH_LIKE.search(url):
        return None
    return _BLANK.sub(_encode_blank, url)


def _encode_blank(match: re.Match[str]) -> str:
    return quote(match[0], safe="")


class _Dropped(threading.local):
    """The ``href`` of links dropped while a body is sanitised in this thread."""

    def __init__(self) -> None:
        self.urls: list[str] = []


_dropped = _Dropped()


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Ids survive only as footnote anchors, so a body cannot clash with the page's own;
    nothing makes the browser fetch from another host; links that cannot work lose
    their ``href`` (and then their tag)."""
    if attribute == "id" and not _FOOTNOTE_ID.fullmatch(value):
        return None
    if attribute == "href" and element == "a":
        target = link_target(value)
        if target is None:
            _dropped.urls.append(value)
        return target
    if attribute in _LOADED and not is_local(value):
        return None
    if attribute == "srcset" and not all(
        is_local(candidate.split()[0]) for candidate in value.split(",") if candidate.strip()
    ):
        return None
    if attribute == "style":  # url(...) in CSS
        return None
    return value


class _BodyRules(Treeprocessor):
    """External images become links."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "img" and not is_local(element.get("src", "")):
                src = element.attrib.pop("src")
                alt = element.attrib.pop("alt", "") or src
                element.attrib.clear()
                element.tag = "a"
                element.set("href", src)
                element.text = alt


class _BodyExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (API name)
        md.treeprocessors.register(_BodyRules(md), "verbund-body", 0)


TOP_LEVEL = 2
"""The level of a body's first heading: the templates put a body right below the
page's ``h1``."""
_HEADING = re.compile(r"<(/?)h([1-6])>")
_HREFLESS_LINK = re.compile(r'<a((?:\s[a-z-]+="[^"]*")*)>(.*?)</a>', re.S)


def _outline(html: str) -> str:
    """Renumber the headings of sanitised HTML below the page's own: the first at
    :data:`TOP_LEVEL`, each at most one level below the heading it follows, none
    beyond h6. The sanitiser never nests headings."""
    opened: list[tuple[int, int]] = []  # (level written, level given) of the headings above
    given = TOP_LEVEL

    def renumber(match: re.Match[str]) -> str:
        nonlocal given
        if match[1]:
            return f"</h{given}>"
        level = int(match[2])
        while opened and opened[-1][0] >= level:
            opened.pop()
        given = min(6, opened[-1][1] + 1) if opened else TOP_LEVEL
        opened.append((level, given))
        return f"<h{given}>"

    return _HEADING.sub(renumber, html)


def headings_below(html: str, level: int) -> str:
    """A rendered body whose headings start one below a page heading of
    ``level`` (a body placed in a section under an ``h2`` starts at ``h3``);
    none beyond h6."""
    shift = level + 1 - TOP_LEVEL
    if shift <= 0:
        return html
    return _HEADING.sub(lambda match: f"<{match[1]}h{min(6, int(match[2]) + shift)}>", html)


def _unlink(match: re.Match[str]) -> str:
    """An ``<a>`` left without ``href`` by the sanitiser: only its text."""
    return match[0] if ' href="' in match[1] else match[2]


MAX_BRACKETS = 1000
"""Python-Markdown is quadratic in unclosed ``[`` (1,000 take 0.3 s, 20,000 a minute)."""
MAX_INDENT = 100
MAX_QUOTE_DEPTH = 30
"""Quotes and list markers at the start of one line (each is a level)."""
MAX_TAGS = 2000
"""HTML tags in one body: Python-Markdown slows down with their square."""
MAX_TAG_DEPTH = 100
"""HTML elements written inside one another in a body."""
MAX_RENDERED_DEPTH = 500
"""Elements inside one another in a body's HTML before it is sanitised: the
sanitiser's time grows with the elements times their depth (at 500 a body of the
largest size takes half a second, 100,000 ``<div>`` take 40 s)."""
# A tab indents by at most four columns: fewer leading blanks cannot be too deep.
_DEEP_INDENT = re.compile(rf"\n[ \t]{{{MAX_INDENT // 4 + 1}}}")
# Searched in "\n" + text: a pattern that starts with a fixed character is found fast.
_DEEP_MARKERS = re.compile(
    rf"\n[ \t]*(?:>[ \t]*|(?:[-*+]|\d{{1,9}}[.)])[ \t]+){{{MAX_QUOTE_DEPTH + 1}}}[^\n]*"
)
_RULE = re.compile(r"[-*_ \t]*")
_DEFINITIONS = re.compile(r"\n {0,3}: ")
_DEFINITION = re.compile(r" {0,3}: ")
_TAG_START = re.compile(r"</?[A-Za-z]")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SIBLINGS = {"p": "p", "li": "li", "dt": "d", "dd": "d", "tr": "tr", "td": "c", "th": "c"}
"""Elements that end an open one of their kind where they start (``<li>a<li>b``)."""


def _too_deep(html: str, limit: int) -> int | None:
    """Where an element of ``html`` first lies deeper than ``limit``, or None.

    Linear: an end tag closes what is open above its element, an end tag of
    nothing open is ignored, as an HTML parser does.
    """
    if html.count("<") <= limit:
        return None  # fewer tags than levels
    stack: list[str] = []
    open_count: dict[str, int] = {}
    for match in _TAG.finditer(html):
        name = match[2].lower()
        if match[1]:
            if open_count.get(name):
                while (top := stack.pop()) != name:
                    open_count[top] -= 1
                open_count[name] -= 1
        elif name not in _VOID:
            kind = _SIBLINGS.get(name)
            if kind is not None and stack and _SIBLINGS.get(stack[-1]) == kind:
                open_count[stack.pop()] -= 1
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            if len(stack) > limit:
                return match.start()
    return None


def _tag_problem(text: str) -> tuple[int, str, str] | None:
    """Too many HTML tags, or HTML nested too deeply."""
    if "<" not in text:
        return None
    starts = _TAG_START.findall(text)
    if len(starts) > MAX_TAGS:
        beyond = next(islice(_TAG_START.finditer(text), MAX_TAGS, None))
        return (
            text.count("\n", 0, beyond.start()),
            msg(
                "the text has {count:,} HTML tags; at most {limit:,} are allowed",
                count=len(starts),
                limit=MAX_TAGS,
            ),
            msg("format it with Markdown instead of HTML, or shorten it"),
        )
    at = _too_deep(text, MAX_TAG_DEPTH)
    if at is not None:
        return (
            text.count("\n", 0, at),
            msg("HTML elements are nested more than {limit} levels deep", limit=MAX_TAG_DEPTH),
            msg("close each HTML tag you open, <div> with </div>, or use fewer levels"),
        )
    return None


def _nesting_problem(text: str) -> tuple[int, str, str] | None:
    """Lists and quotes nested too deeply by indenting or on one line."""
    framed = "\n" + text
    deep = next((m for m in _DEEP_MARKERS.finditer(framed) if not _RULE.fullmatch(m[0], 1)), None)
    lines = [framed.count("\n", 0, deep.start())] if deep else []
    if _DEEP_INDENT.search(framed):
        for number, line_text in enumerate(text.split("\n")):
            stripped = line_text.lstrip(" \t")
            if len(line_text.expandtabs(4)) - len(stripped.expandtabs(4)) > MAX_INDENT:
                lines.append(number)
                break
    if not lines:
        return None
    return (
        min(lines),
        msg("lists or quotes are nested too deeply"),
        msg("use fewer levels of lists and quotes"),
    )


def _definitions_problem(text: str) -> tuple[int, str, str] | None:
    """Terms of a definition list without blank lines between them: each one
    after the first is put inside the previous (and recursion has a limit)."""
    if len(_DEFINITIONS.findall("\n" + text)) <= MAX_QUOTE_DEPTH:
        return None
    terms = 0
    after_definition = False
    for number, line in enumerate(text.split("\n")):
        if not line.strip():
            terms, after_definition = 0, False
        elif _DEFINITION.match(line):
            if not after_definition:
                terms += 1
                if terms > MAX_QUOTE_DEPTH:
                    return (
                        number,
                        msg(
                            "more than {limit} terms of a definition list follow one "
                            "another without a blank line",
                            limit=MAX_QUOTE_DEPTH,
                        ),
                        msg("put a blank line before each term"),
                    )
            after_definition = True
        else:
            after_definition = False
    return None


def body_problem(text: str) -> tuple[int, str, str] | None:
    """``(line in the body, message, hint)`` for text that would stall or crash the
    Markdown renderer or the sanitiser (deep nesting recurses), or None. Linear in
    the length of the text."""
    brackets = text.count("[")
    if brackets > MAX_BRACKETS:
        line = text[: text.index("[")].count("\n")
        return (
            line,
            msg(
                "the text has {count:,} '[' characters; at most {limit:,} are allowed",
                count=brackets,
                limit=MAX_BRACKETS,
            ),
            msg("remove the repeated brackets"),
        )
    return _tag_problem(text) or _nesting_problem(text) or _definitions_problem(text)


class TooComplex(ValueError):
    """A body whose HTML is nested too deeply to be sanitised in good time."""


_BACKLINK_TITLES = {
    "de": "Zurück zur Fußnote %d im Text",
    "en": "Jump back to footnote %d in the text",
}


class _Converters(threading.local):
    """A converter per language and thread: a converter is not safe to share."""

    def __init__(self) -> None:
        self.by_language: dict[str, markdown.Markdown] = {}


_converters = _Converters()


_EXTENSIONS = [
    "extra",
    "sane_lists",
    "pymdownx.saneheaders",  # '#' starts a heading only with a blank after it
    "pymdownx.magiclink",  # bare web and e-mail addresses become links
    "pymdownx.tilde",  # ~~struck out~~
    "pymdownx.betterem",  # emphasis nested as CommonMark nests it
]
"""Python-Markdown reading a body as GitHub does (with :class:`GitHubExtension`,
which comes last: it takes the place of some of their parts)."""
_EXTENSION_CONFIGS: dict[str, dict[str, Any]] = {
    "pymdownx.magiclink": {"repo_url_shortener": False, "social_url_shortener": False},
    "pymdownx.tilde": {"subscript": False},  # GitHub has no subscript
}

MAX_GROWTH = 20
"""A body's clean HTML may be at most this many times as long as its text (plus
100,000 characters): markup the HTML parser reopens in every paragraph could
otherwise make a 14 KB body a 4 MB page."""


def markdown_to_html(text: str, language: str = "de") -> str:
    """Render one body. Converters are reset between bodies: no state leaks."""
    converter = _converters.by_language.get(language)
    if converter is None:
        converter = _converters.by_language[language] = markdown.Markdown(
            extensions=[*_EXTENSIONS, GitHubExtension(), _BodyExtension()],
            output_format="html",
            extension_configs={
                **_EXTENSION_CONFIGS,
                "extra": {
                    "footnotes": {
                        "BACKLINK_TITLE": _BACKLINK_TITLES.get(language, _BACKLINK_TITLES["en"])
                    }
                },
            },
        )
    try:
        converter.reset()
        html = converter.convert(text)
    except BaseException:  # stopped half-way (too deep, too long): its state is spoilt
        del _converters.by_language[language]
        raise
    if _too_deep(html, MAX_RENDERED_DEPTH) is not None:
        raise TooComplex(f"elements nested more than {MAX_RENDERED_DEPTH} deep")
    return sanitise(html, MAX_GROWTH * len(text) + 100_000)


def sanitise(html: str, longest: int | None = None) -> str:
    """Rendered HTML as a page shows it: the allow-list, links that cannot work
    reduced to their text, headings renumbered (see :func:`_outline`).
    :class:`TooComplex` if the clean HTML is longer than ``longest``."""
    del _dropped.urls[:]
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"h1"},  # renumbered below
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_keep_attribute,
    )
    if longest is not None and len(clean) > longest:
        raise TooComplex("the HTML grew far beyond its text")
    if "<a" in clean:
        clean = _HREFLESS_LINK.sub(_unlink, clean)
    return _outline(clean) if "<h" in clean else clean


_LINK_WITH_BLANK = re.compile(r"\]\([^)]*?\s|href|<[A-Za-z][A-Za-z0-9+.-]*:[^>\n]*?\s", re.I)


def dropped_links(text: str) -> list[str]:
    """The ``href`` of the links :func:`markdown_to_html` leaves out of ``text``,
    as the sanitiser saw them (rendered only when the text may hold one)."""
    if not _LINK_WITH_BLANK.search(text):
        return []
    markdown_to_html(text)
    return list(_dropped.urls)


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|blockquote|pre|table|ul|ol)>|<br\s*/?>", re.I)
_ITEM_END = re.compile(r"</(?:li|tr|dt|dd)>", re.I)


def plain_text(html: str, paragraphs: bool = False) -> str:
    """Text only, for descriptions and feeds; ``paragraphs`` keeps blank lines between blocks."""
    if not paragraphs:
        return " ".join(htmllib.unescape(nh3.clean(html, tags=set())).split())
    marked = _ITEM_END.sub("\n", _BLOCK_END.sub("\n\n", html.replace("\n", " ")))
    text = htmllib.unescape(nh3.clean(marked, tags=set()))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
