"""Markdown bodies to safe HTML: Python-Markdown, then an nh3 allow-list."""

from __future__ import annotations

import html as htmllib
import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

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


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    """Ids survive only as footnote anchors, so a body cannot clash with the page's own."""
    if attribute == "id" and not _FOOTNOTE_ID.fullmatch(value):
        return None
    return value


class _BodyRules(Treeprocessor):
    """Headings start at h2 (the page owns the h1); external images become links."""

    def run(self, root: etree.Element) -> None:
        levels = [
            int(el.tag[1]) for el in root.iter() if el.tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        ]
        shift = max(0, 2 - min(levels)) if levels else 0
        for element in root.iter():
            if shift and element.tag in ("h1", "h2", "h3", "h4", "h5"):
                element.tag = f"h{int(element.tag[1]) + shift}"
            elif element.tag == "img" and _is_remote(element.get("src", "")):
                src = element.attrib.pop("src")
                alt = element.attrib.pop("alt", "") or src
                element.attrib.clear()
                element.tag = "a"
                element.set("href", src)
                element.text = alt


def _is_remote(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//")) or ":" in url.split("/", 1)[0]


class _BodyExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (API name)
        md.treeprocessors.register(_BodyRules(md), "verbund-body", 0)


MAX_BRACKETS = 1000
"""Python-Markdown is quadratic in unclosed ``[`` (1,000 take 0.3 s, 20,000 a minute)."""
MAX_INDENT = 100
MAX_QUOTE_DEPTH = 30
# A tab indents by at most four columns: fewer leading blanks cannot be too deep.
_DEEP_INDENT = re.compile(rf"\n[ \t]{{{MAX_INDENT // 4 + 1}}}")


def body_problem(text: str) -> tuple[int, str, str] | None:
    """``(line in the body, message, hint)`` for text that would stall or crash the
    Markdown renderer (deep nesting recurses), or None."""
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
    if text.count(">") <= MAX_QUOTE_DEPTH and not _DEEP_INDENT.search("\n" + text):
        return None  # the common case, without looking at each line
    too_deep = ">" * (MAX_QUOTE_DEPTH + 1)
    for number, line_text in enumerate(text.split("\n")):
        stripped = line_text.lstrip(" \t")
        indent = len(line_text.expandtabs(4)) - len(stripped.expandtabs(4))
        if indent > MAX_INDENT or stripped.replace(" ", "").startswith(too_deep):
            return (
                number,
                msg("lists or quotes are nested too deeply"),
                msg("use fewer levels of lists and quotes"),
            )
    return None


_BACKLINK_TITLES = {
    "de": "Zurück zur Fußnote %d im Text",
    "en": "Jump back to footnote %d in the text",
}
_converters: dict[str, markdown.Markdown] = {}


def markdown_to_html(text: str, language: str = "de") -> str:
    """Render one body. Converters are reset between bodies: no state leaks."""
    converter = _converters.get(language)
    if converter is None:
        converter = _converters[language] = markdown.Markdown(
            extensions=["extra", "sane_lists", _BodyExtension()],
            output_format="html",
            extension_configs={
                "extra": {
                    "footnotes": {
                        "BACKLINK_TITLE": _BACKLINK_TITLES.get(language, _BACKLINK_TITLES["en"])
                    }
                }
            },
        )
    converter.reset()
    html = converter.convert(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_keep_attribute,
    )


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
