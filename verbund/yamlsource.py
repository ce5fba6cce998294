"""A strict YAML reader that keeps every value's source position.

Built on libyaml's event stream rather than a YAML constructor, so that nothing
is converted behind the editor's back: plain scalars stay strings (``01067``
stays ``"01067"``, ``NO`` stays ``"NO"``) and the pydantic models decide their
types. Anchors, aliases, tags and duplicate keys are refused with a position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .messages import msg
from .yamlhints import explain, libyaml_message

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Location = tuple[str | int, ...]
"""Where a value sits inside a document: ``("speakers", 0, "name")``."""

NULLS = {"", "~", "null", "Null", "NULL"}
MAX_DEPTH = 20


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based line and column in the source file."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Span:
    """Where a value and, for mapping entries, its key start."""

    value: Position
    key: Position | None = None


class YamlError(Exception):
    """Input that is not YAML we accept, at a position."""

    def __init__(self, message: str, position: Position, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.position = position
        self.hint = hint


def _position(mark: Any, line_offset: int) -> Position:
    return Position(mark.line + 1 + line_offset, mark.column + 1)


def _too_deep(position: Position) -> YamlError:
    return YamlError(
        msg("the data is nested too deeply"),
        position,
        msg("put at most {depth} lists and fields inside one another", depth=MAX_DEPTH),
    )


# Anchors (&a), aliases (*a) and tags (!t) can only start where a node starts:
# at the start of a line or after a space or flow punctuation. Text without such
# a token is composed by libyaml in one call; anything else takes the slower
# event-by-event path, which reports the exact position.
_SPECIAL = re.compile(r"""(?:^|[\s\[\]{},:?"'-])[&*!]""")


def read_yaml(
    text: str, line_offset: int = 0, positions: bool = True
) -> tuple[Any, dict[Location, Span]]:
    """Parse one YAML document into plain Python values and a position table.

    ``line_offset`` is added to every line, for YAML that starts further down a
    file (front matter). Returns ``(value, spans)`` where ``spans`` maps each
    location to its :class:`Span`; the root is at ``()``. Without ``positions``
    the table is left empty (errors still carry theirs): faster, and much
    smaller for thousands of files.
    """
    if _SPECIAL.search(text) is None:
        try:
            node = yaml.compose(text, Loader=_Loader)
        except (yaml.YAMLError, RecursionError):
            pass  # the event path reports it with a position and a hint
        else:
            spans: dict[Location, Span] = {}
            if node is None:
                return None, spans
            return _from_node(node, (), None, spans if positions else None, line_offset, 0), spans
    value, spans = _read_events(text, line_offset)
    return value, spans if positions else {}


def _from_node(
    node: Any,
    location: Location,
    key: Position | None,
    spans: dict[Location, Span] | None,
    line_offset: int,
    depth: int,
) -> Any:
    if spans is not None:
        spans[location] = Span(_position(node.start_mark, line_offset), key)
    if isinstance(node, yaml.ScalarNode):
        if node.style in (None, "") and node.value in NULLS:
            return None
        return node.value
    if depth >= MAX_DEPTH:
        raise _too_deep(_position(node.start_mark, line_offset))
    if isinstance(node, yaml.SequenceNode):
        return [
            _from_node(item, location + (index,), None, spans, line_offset, depth + 1)
            for index, item in enumerate(node.value)
        ]
    mapping: dict[str, Any] = {}
    key_nodes: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlError(
                msg("a key must be a plain word"), _position(key_node.start_mark, line_offset)
            )
        name = key_node.value
        if name in mapping:
            raise YamlError(
                msg(
                    "duplicate key '{key}' (first on line {line})",
                    key=name,
                    line=_position(key_nodes[name].start_mark, line_offset).line,
                ),
                _position(key_node.start_mark, line_offset),
                msg("remove one of the two lines"),
            )
        key_nodes[name] = key_node
        key_position = _position(key_node.start_mark, line_offset) if spans is not None else None
        mapping[name] = _from_node(
            value_node, location + (name,), key_position, spans, line_offset, depth + 1
        )
    return mapping


def _read_events(text: str, line_offset: int) -> tuple[Any, dict[Location, Span]]:
    """The event-by-event reader: refuses anchors, aliases and tags precisely."""
    spans: dict[Location, Span] = {}
    # Each frame: [container, location, pending key, key position, key lines]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0

    def place(value: Any, position: Position) -> Location | None:
        nonlocal root
        if not stack:
            root = value
            spans[()] = Span(position)
            return ()
        frame = stack[-1]
        container, location = frame[0], frame[1]
        if isinstance(container, list):
            here = location + (len(container),)
            container.append(value)
            spans[here] = Span(position)
            return here
        if frame[2] is None:  # this value is a key
            if not isinstance(value, str):
                raise YamlError(msg("a key must be a plain word"), position)
            if value in container:
                first = frame[4][value]
                raise YamlError(
                    msg("duplicate key '{key}' (first on line {line})", key=value, line=first.line),
                    position,
                    msg("remove one of the two lines"),
                )
            frame[2], frame[3] = value, position
            return None
        key, key_position = frame[2], frame[3]
        frame[2] = None
        here = location + (key,)
        container[key] = value
        frame[4][key] = key_position
        spans[here] = Span(position, key_position)
        return here

    try:
        for event in yaml.parse(text, Loader=_Loader):
            position = _position(event.start_mark, line_offset)
            if isinstance(event, yaml.AliasEvent):
                raise YamlError(
                    msg("aliases (*{name}) are not allowed", name=event.anchor),
                    position,
                    msg("write the value out in full"),
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise YamlError(
                    msg("anchors (&{name}) are not allowed", name=anchor),
                    position,
                    msg("write the value out in full"),
                )
            tag = getattr(event, "tag", None)
            if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
                raise YamlError(
                    msg(
                        "tags ({tag}) are not allowed", tag=tag.replace("tag:yaml.org,2002:", "!!")
                    ),
                    position,
                    msg("remove the tag; put the value in quotes if it should be text"),
                )
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlError(msg("only one YAML document is allowed here"), position)
            elif isinstance(event, yaml.ScalarEvent):
                value: Any = event.value
                if event.style in (None, "") and event.implicit[0] and value in NULLS:
                    value = None
                place(value, position)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise _too_deep(position)
                container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                    raise YamlError(msg("a key must be a plain word"), position)
                location = place(container, position)
                stack.append([container, location, None, None, {}])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
    except yaml.MarkedYAMLError as error:
        raise _refused(text, error, line_offset) from None
    except yaml.YAMLError:  # e.g. a reader error without a mark
        raise YamlError(msg("this is not valid YAML"), Position(1 + line_offset, 1)) from None
    return root, spans


def _refused(text: str, error: yaml.MarkedYAMLError, line_offset: int) -> YamlError:
    """libyaml's ``error`` as a message at the line to change, with the fix."""
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or ""
    position = _position(mark, line_offset) if mark else Position(1 + line_offset, 1)
    if "maximum nesting depth" in problem:  # libyaml's own limit, met before ours
        return _too_deep(position)
    lines = text.split("\n")
    source_line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in source_line:
        return YamlError(libyaml_message(problem), position, msg("indent with spaces, not tabs"))
    explained = explain(text, error, line_offset)
    if explained is None:
        return YamlError(libyaml_message(problem), position)
    where = Position(explained.line + 1 + line_offset, explained.column + 1)
    return YamlError(explained.message, where, explained.hint)
