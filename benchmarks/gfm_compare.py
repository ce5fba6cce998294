"""How often the site reads a Markdown body differently from GitHub.

    python benchmarks/gfm_compare.py [SITE] [--examples N] [--show NAME]

Renders every member and event body of a site (default: the real-data corpus
unpacked from ``../shared/realdata``) with the site's own pipeline and with
cmark-gfm (GitHub's renderer, the ``cmarkgfm`` package, with the extensions and
options GitHub uses for a file: tables, strikethrough, autolinks, task lists,
footnotes), and compares their *structure*: the tree of block elements and of
inline emphasis, code and links. Text, whitespace, attributes, and what the
site does on purpose to every body (its allow-list, dropped links and images,
heading levels below the page's title, ids) are normalised away by passing
GitHub's HTML through the same sanitiser. Prints the share of bodies that
differ, per kind, and a few examples.

cmark-gfm is a reference for tests and measurements only; the site never
needs it.
"""

from __future__ import annotations

import argparse
import re
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from verbund.load import split_front_matter  # noqa: E402
from verbund.markup import is_local, markdown_to_html, sanitise  # noqa: E402

REALDATA = PROJECT.parent / "shared" / "realdata" / "realdata-site.tar.gz"

_KEPT = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "code",
    "table",
    "tr",
    "th",
    "td",
    "hr",
    "br",
    "dl",
    "dt",
    "dd",
    "em",
    "strong",
    "a",
    "del",
    "img",
}
_SAME = {"b": "strong", "i": "em", "s": "del", "strike": "del"}
_VOID = {"br", "hr", "img", "input"}

Node = tuple[str, tuple["Node", ...]]


class _Tree(HTMLParser):
    """The elements of :data:`_KEPT` as nested ``(tag, children)``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[Node]]] = [("", [])]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = _SAME.get(tag, tag)
        if tag == "img" and not is_local(dict(attrs).get("src") or ""):
            tag = "a"  # the site shows a remote image as a link to it
        if tag not in _KEPT:
            return
        if tag in _VOID:
            self.stack[-1][1].append((tag, ()))
        else:
            self.stack.append((tag, []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        tag = _SAME.get(tag, tag)
        if tag not in _KEPT or tag in _VOID:
            return
        if not any(open_tag == tag for open_tag, _ in self.stack[1:]):
            return
        while True:
            open_tag, children = self.stack.pop()
            self.stack[-1][1].append((open_tag, tuple(children)))
            if open_tag == tag:
                break

    def tree(self) -> tuple[Node, ...]:
        self.close()
        while len(self.stack) > 1:
            self.handle_endtag(self.stack[-1][0])
        return tuple(self.stack[0][1])


def structure(html: str) -> tuple[Node, ...]:
    """The structure of clean HTML that both renderers are compared by."""
    parser = _Tree()
    parser.feed(html)
    return parser.tree()


def show(tree: tuple[Node, ...], depth: int = 0) -> str:
    """A structure one element a line, indented by depth."""
    lines = []
    for tag, children in tree:
        lines.append("  " * depth + tag)
        if children:
            lines.append(show(children, depth + 1))
    return "\n".join(lines)


def github_html(text: str) -> str:
    """A body as GitHub shows a Markdown file, then sanitised as the site sanitises."""
    import cmarkgfm
    from cmarkgfm.cmark import Options

    html = cmarkgfm.github_flavored_markdown_to_html(
        text, options=Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
    )
    return sanitise(html)


_FOOTNOTES_RULE = re.compile(r"<hr>\s*(?=<ol>\s*<li id=\"fn:)")


def site_html(text: str) -> str:
    """A body as the site shows it, but for the rule above the footnotes (GitHub
    draws one with its style sheet)."""
    return _FOOTNOTES_RULE.sub("", markdown_to_html(text))


def differs(text: str) -> bool:
    """Whether the site shows ``text`` with another structure than GitHub."""
    return structure(site_html(text)) != structure(github_html(text))


def site_bodies(site: Path, kind: str) -> Iterator[tuple[str, str, int]]:
    """``(file name, body, line of the file where the body starts)`` of one kind."""
    for path in sorted((site / "content" / kind).glob("*.md")):
        parts = split_front_matter(path.read_text(encoding="utf-8"))
        if parts is not None and parts[1].strip():
            yield path.name, parts[1], parts[2]


def share(site: Path, kind: str, every: int = 1) -> tuple[int, int, list[str]]:
    """``(bodies that differ, bodies, their file names)`` of one kind; with
    ``every``, of every ``every``-th body in file-name order."""
    different = []
    count = 0
    for number, (name, body, _) in enumerate(site_bodies(site, kind)):
        if number % every:
            continue
        count += 1
        if differs(body):
            different.append(name)
    return len(different), count, different


def unpacked_realdata(into: Path) -> Path:
    """The real-data site, unpacked below ``into``."""
    with tarfile.open(REALDATA) as archive:
        archive.extractall(into, filter="data")
    return into


def _first_difference(ours: tuple[Node, ...], theirs: tuple[Node, ...], path: str = "") -> str:
    for index in range(max(len(ours), len(theirs))):
        if index >= len(ours) or index >= len(theirs):
            extra = (ours if index < len(ours) else theirs)[index][0]
            side = "site" if index < len(ours) else "GitHub"
            return f"{path}/{index}: only {side} has <{extra}>"
        (tag_a, kids_a), (tag_b, kids_b) = ours[index], theirs[index]
        if tag_a != tag_b:
            return f"{path}/{index}: site <{tag_a}>, GitHub <{tag_b}>"
        if kids_a != kids_b:
            return _first_difference(kids_a, kids_b, f"{path}/{tag_a}")
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, help="a site folder (default: real data)")
    parser.add_argument("--examples", type=int, default=5, help="examples to print per kind")
    parser.add_argument("--show", help="print both structures of one file name")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        site = arguments.site or unpacked_realdata(Path(scratch))
        if arguments.show:
            for kind in ("members", "events"):
                path = site / "content" / kind / arguments.show
                if path.exists():
                    parts = split_front_matter(path.read_text(encoding="utf-8"))
                    body = parts[1] if parts else ""
                    print("--- site\n" + show(structure(site_html(body))))
                    print("--- GitHub\n" + show(structure(github_html(body))))
            return 0
        for kind in ("members", "events"):
            different, count, names = share(site, kind)
            print(f"{kind}: {different} of {count} bodies differ ({100 * different / count:.2f} %)")
            for name in names[: arguments.examples]:
                body = dict((n, b) for n, b, _ in site_bodies(site, kind) if n == name)[name]
                ours, theirs = structure(site_html(body)), structure(github_html(body))
                print(f"  {name}: {_first_difference(ours, theirs)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
