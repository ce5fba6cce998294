"""Python-Markdown reading lists and line breaks as GitHub does (CommonMark, GFM).

Editors see GitHub's preview of a body; the site renders it with Python-Markdown,
which follows the original Markdown where CommonMark differs. This extension
brings over what pymdown-extensions does not:

- a list may start right below a line of text (no blank line needed);
- a list item's content starts where its text starts, so a nested list or a
  further paragraph is indented by two spaces below ``-`` and three below ``1.``
  (Python-Markdown wants four);
- ``1)`` starts an ordered list as ``1.`` does;
- a backslash at the end of a line is a line break;
- a web address is made a link only after a blank, ``(``, ``*``, ``_`` or ``~``
  (pymdown-extensions' magiclink links it after ``[`` and quotes too);
- a blank line ends a quote: two quotes with a blank line between them stay two.

The first three are done by rewriting the lines of the text before the block
parser sees them (fenced code and HTML blocks are stashed away by then): blank
lines put in where GitHub ends a paragraph, a list or a table without one,
items indented by four spaces a level, and a marker escaped where a line only
looks like an item. Measured against cmark-gfm (GitHub's own renderer) by
``benchmarks/gfm_compare.py`` and ``tests/test_gfm.py``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

import markdown
from markdown.blockprocessors import BlockQuoteProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from pymdownx.magiclink import MagiclinkPattern

from .messages import msg

# A list item: indentation, marker, the blanks after it and whether text follows.
_ITEM = re.compile(r"( {0,})([-+*]|\d{1,9}[.)])( +|$)(\S?)")
_RULE = r" {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$"
_THEMATIC_BREAK = re.compile(_RULE)
_INTERRUPTS = re.compile(rf" {{0,3}}(?:#{{1,6}}(?:[ \t]|$)|>)|{_RULE}")
"""A line that ends a paragraph without a blank line: a heading, a quote, a rule."""
_LOOKS_LIKE_ITEM = re.compile(r"( *(?:\d+)?)([-+*]|(?<=\d)\.)(?= )")
"""Text that Python-Markdown would take for a list item: its marker is escaped."""
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
_CODE_INDENT = 4
_PYTHON_MARKDOWN_INDENT = 4


def _item(line: str) -> tuple[int, str, int, bool] | None:
    """``(indentation, marker, column where its content starts, has text)`` of a
    list item's first line, or None."""
    match = _ITEM.match(line)
    if match is None or _THEMATIC_BREAK.match(line):
        return None
    indent, marker, blanks, text = len(match[1]), match[2], len(match[3]), bool(match[4])
    if not text or blanks > _CODE_INDENT:  # empty, or indented code right after the marker
        blanks = 1
    return indent, marker, indent + len(marker) + blanks, text


def _interrupts_paragraph(marker: str, has_text: bool) -> bool:
    """Whether an item can start a list right below a line of text: an ordered
    one only if it starts at 1, and none that is empty."""
    return has_text and (not marker[0].isdigit() or marker[:-1] == "1")


def github_lists(lines: list[str]) -> list[str]:
    """``lines`` (tabs already expanded) with lists written the way Python-Markdown
    reads them as GitHub does: a blank line before a list that follows text,
    nested items and their further paragraphs indented by four spaces a level,
    ``1)`` as ``1.``."""
    out: list[str] = []
    contents: list[int] = []  # where the content of each open item starts
    ordered: list[bool] = []  # whether each open item is of an ordered list
    previous = "blank"  # blank, text (may go on lazily), heading, code (indented, at the top)
    further = False  # whether the text above is a further paragraph of an item
    for line in lines:
        if not line.strip():
            out.append(line)
            if previous != "code":
                previous = "blank"
            continue
        indent = len(line) - len(line.lstrip(" "))
        depth = 0  # the open items this line's indentation puts it in
        while depth < len(contents) and contents[depth] <= indent:
            depth += 1
        base = contents[depth - 1] if depth else 0
        if previous == "code" and not contents and indent >= _CODE_INDENT:
            out.append(line)
            continue
        item = _item(line) if indent - base < _CODE_INDENT else None
        if item is None:
            starts_block = bool(_INTERRUPTS.match(line))
            if previous == "text" and not starts_block:
                if contents and _LOOKS_LIKE_ITEM.match(line):  # not an item here
                    line = _LOOKS_LIKE_ITEM.sub(r"\1\\\2", line, count=1)
                out.append(line)  # goes on with the text above
                continue
            if previous == "text" and (
                depth < len(contents)
                or (out[-1].lstrip().startswith(">") and line.lstrip()[0] != ">")
                or (not contents and _HEADING.match(line))
            ):
                out.append("")  # ends the items or the quote or table it is not in
            del contents[depth:]
            further = bool(depth)
            if depth:
                out.append(" " * (_PYTHON_MARKDOWN_INDENT * depth) + line[base:])
                previous = "text"
                continue
            out.append(line)
            if previous != "text" and indent >= _CODE_INDENT:
                previous = "code"
            elif _THEMATIC_BREAK.match(line):
                out.append("")  # not the text of a heading underlined by the next line
                previous = "blank"
            elif _HEADING.match(line):
                previous = "heading"
            else:
                previous = "text"
            continue
        _, marker, content, has_text = item
        is_ordered = marker[0].isdigit()
        new_list = depth == len(contents) or ordered[depth] != is_ordered
        # Below text in the same item (or at the top), only some items start a list.
        inside = depth == len(contents)
        if inside and previous == "text" and not _interrupts_paragraph(marker, has_text):
            if contents:  # Python-Markdown would take it for an item
                line = _LOOKS_LIKE_ITEM.sub(r"\1\\\2", line, count=1)
            out.append(line)  # goes on with the text above
            continue
        if not contents and previous in ("text", "heading"):
            out.append("")
        elif new_list and depth < len(contents):
            out.append("")  # a list of the other kind: a list of its own
        elif further and previous == "text":
            out.append("")  # not part of the paragraph above
        further = False
        del contents[depth:], ordered[depth:]
        contents.append(content)
        ordered.append(is_ordered)
        rest = line[indent + len(marker) :]
        if marker.endswith(")"):
            marker = marker[:-1] + "."
        out.append(" " * (_PYTHON_MARKDOWN_INDENT * depth) + marker + rest)
        previous = "text"
    return out


class _Lists(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return github_lists(lines)


class _HardBreak(InlineProcessor):
    """A backslash at the end of a line: a line break."""

    def handleMatch(  # type: ignore[override]  # noqa: N802 (API name)
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element, int, int]:
        return etree.Element("br"), m.start(0), m.end(0)


class _Quote(BlockQuoteProcessor):
    """A quote; one after a blank line is a quote of its own, not part of the one before."""

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        m = self.RE.search(block)
        if m:
            self.parser.parseBlocks(parent, [block[: m.start()]])
            block = "\n".join(self.clean(line) for line in block[m.start() :].split("\n"))
        quote = etree.SubElement(parent, "blockquote")
        self.parser.state.set("blockquote")
        self.parser.parseChunk(quote, block)
        self.parser.state.reset()


_WEB_ADDRESS = r"""(?xi)
(?<![^\s*_~(\x03])(?:
    https?://|
    (?P<www>w{3}\.)
)
"""
"""Where GitHub makes a link of a bare web address (cmark-gfm's autolink extension)."""


class GitHubExtension(Extension):
    """Lists and backslash line breaks read as GitHub reads them."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (API name)
        # After fenced code (25) and HTML blocks (20) are stashed away.
        md.preprocessors.register(_Lists(md), "github-lists", 15)
        # Before backslash escapes (180), after code spans (190).
        md.inlinePatterns.register(_HardBreak(r"\\\n", md), "github-hard-break", 185)
        md.parser.blockprocessors.register(_Quote(md.parser), "quote", 20)
        if "magic-link" in md.inlinePatterns:  # in place of magiclink's own
            theirs: Any = md.inlinePatterns["magic-link"]
            pattern = MagiclinkPattern(_WEB_ADDRESS, md)
            pattern.config = theirs.config
            md.inlinePatterns.register(pattern, "magic-link", 85)


# What check says about a body the website still shows differently from GitHub
# (or that shows as text where a heading was meant), found by line patterns alone:
# check never renders Markdown.
# Searched in "\n" + text: a pattern that starts with a fixed character is found fast.
_HEADING_WITHOUT_BLANK = re.compile(r"\n {0,3}(#{2,6})([^#\s][^\n]{0,40})")
_DEFINITION = re.compile(r"\n {0,3}:[ ]{1,3}")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_SHOWN = 30
"""Characters of a line quoted in a message."""


def _in_fences(text: str) -> list[bool]:
    """For each line of ``text``, whether it is inside a fenced code block."""
    inside: list[bool] = []
    fence = ""
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence:
            inside.append(True)
            if match and match[1][0] == fence[0] and len(match[1]) >= len(fence):
                if not line[match.end() :].strip():
                    fence = ""
        elif match and not (match[1][0] == "`" and "`" in line[match.end() :]):
            fence = match[1]
            inside.append(True)
        else:
            inside.append(False)
    return inside


def github_notes(text: str) -> list[tuple[int, int, str, str]]:
    """``(line in the body, column, message, hint)`` for each line of ``text`` the
    website shows otherwise than GitHub, or as text where a heading was surely
    meant (``##Heading``). Line patterns only: fast enough for every file."""
    framed = "\n" + text  # offsets in it are those of the text, plus one
    found: list[tuple[int, int, str]] = []  # (offset in framed, column, kind)
    if "##" in text:
        for match in _HEADING_WITHOUT_BLANK.finditer(framed):
            found.append((match.start() + 1, match.start(1) - match.start(), "heading"))
    if "\n" in text and ":" in text:
        for match in _DEFINITION.finditer(framed):
            above = framed.rfind("\n", 0, match.start())
            if above >= 0 and framed[above + 1 : match.start()].strip():
                found.append((match.start() + 1, 1, "definition"))
    if not found:
        return []
    fenced = _in_fences(text)
    notes: list[tuple[int, int, str, str]] = []
    for offset, column, kind in sorted(found):
        line = framed.count("\n", 0, offset) - 1
        if fenced[line]:
            continue
        if kind == "heading":
            heading = _HEADING_WITHOUT_BLANK.match(framed, offset - 1)
            if heading is None:  # cannot be: it was found there
                continue
            hashes, words = heading[1], heading[2]
            shown = (hashes + words)[:_SHOWN]
            notes.append(
                (
                    line,
                    column,
                    msg("'{text}' is shown as text, not as a heading", text=shown),
                    msg(
                        "write '{heading}' with a blank after the '#', as GitHub's preview "
                        "shows the line as text too",
                        heading=f"{hashes} {words[: _SHOWN - len(hashes)]}",
                    ),
                )
            )
        else:
            notes.append(
                (
                    line,
                    column,
                    msg(
                        "a line that starts with ': ' below a line of text makes a definition "
                        "list on the website; GitHub shows it as text"
                    ),
                    msg(
                        "put a blank line before it to keep it text, or write the term and "
                        "its explanation on one line"
                    ),
                )
            )
    return notes
