"""What a site's own template may show, read from its syntax tree.

The key of a page holds exactly the inputs the project's templates show on it
(see :class:`~verbund.render.PageKeys`). A site's own template could show more:
every member's text, or today's date. Most own templates are a changed
``base.html`` or a partial with the association's header and footer, and show
nothing of the kind; such a template is treated like the project's, so that
editing one member's text remakes one page, not the whole site.

A template keeps to its page's inputs when it reaches the graph of members and
events only through the fields of what its page gives it:

- ``site`` only for the settings, the vocabularies and the menu
  (:data:`SITE_ATTRIBUTES`);
- no attribute that leads to other members or events, to texts or to the date
  (:data:`GRAPH_ATTRIBUTES`), neither written out nor passed to a filter such as
  ``map(attribute=...)``; no attribute looked up by a name computed while it runs;
- how many members or events a list has (``term.members|length``) only with
  ``length``: the key of its pages then holds every such count (:data:`COUNTS`);
- ``body(...)`` only as ``body(member)`` in ``member.html`` (``event`` in
  ``event.html``, ``page`` in ``page.html``), where that name is the page's own;
  there ``member.talks`` too, and the speakers' ``member`` in ``event.html`` (the
  page's key holds their fields); the date only as ``past`` and
  ``registration_open``, which an event's page is given;
- the lists a list page shows (``term.members`` in ``term.html``, ``series.events``
  in ``series.html``, ``site.upcoming`` and the other events in ``events.html``,
  the first four upcoming events in ``home.html``): its key holds the fields of
  what they list.

Anything else, and any template whose source cannot be parsed, may show anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import nodes

SITE_ATTRIBUTES = frozenset({"config", "words", "url", "menu_pages", "industries", "regions",
                             "associations"})
"""What of ``site`` every page's key holds (the terms' names and paths, not their lists)."""

GRAPH_ATTRIBUTES = frozenset({
    "body",  # a Markdown text
    "talks", "member", "members", "events", "upcoming", "events_by_year", "pages",  # others
    "today", "registration_open",  # the date
})
"""Attributes that lead away from the fields of the object they belong to."""

PAGE_ITEMS = {"member.html": "member", "event.html": "event", "page.html": "page",
              "term.html": "term", "series.html": "series"}
"""The name under which each page template gets what it shows."""

TEXTS = frozenset({"member", "event", "page"})
"""Items whose text their page shows with ``body()``."""

ITEM_ATTRIBUTES = {"member": frozenset({"talks"}), "term": frozenset({"members", "events"}),
                   "series": frozenset({"events"})}
"""Links of a page's own item whose fields its key holds (a member's page lists
the events the firm spoke at, an industry's page its members and events)."""

PAGE_ATTRIBUTES = {"event.html": frozenset({"member"}), "events.html": frozenset({"events"})}
"""Links its page's key holds wherever a page template follows them: on an event's
page, the only way to a member is through its speakers; the events' overview
holds the fields of every event."""

PAGE_SITE_ATTRIBUTES = {"events.html": frozenset({"upcoming", "events_by_year", "series",
                                                  "speakers", "events"})}
"""What of ``site`` a page template may use besides :data:`SITE_ATTRIBUTES`."""

FIRST_UPCOMING = {"home.html": 4}
"""How many of the upcoming events a page template may show (as
``site.upcoming[:4]``, and ``{% if site.upcoming %}``): its key holds those."""

_ATTRIBUTE_FILTERS = frozenset({"attr", "map", "selectattr", "rejectattr", "sort", "groupby",
                                "sum", "unique", "min", "max", "dictsort"})


COUNTS = "counts"
"""What a template shows beyond its page's inputs when it shows how many members
or events the terms and series list (see :func:`~verbund.render.counts_key`)."""

_COUNTED = frozenset({"members", "events"})


@dataclass
class _Page:
    """What a template may use on the pages it is used for."""

    item: str | None
    """The name of the page's own item, if the template is the page's own and
    never gives that name another meaning."""
    links: frozenset[str]
    site: frozenset[str]
    upcoming: int = 0
    """How many upcoming events it may show (see :data:`FIRST_UPCOMING`)."""
    counted: set[str] = field(default_factory=set)
    """The lists whose length it shows."""


def shown_beyond(template: nodes.Template, name: str, root: str) -> str | None:
    """What the template called ``name``, used for pages made with the template
    ``root`` (itself, or one that extends, includes or imports it), shows
    beyond those pages' inputs: ``""`` (nothing), :data:`COUNTS`, or None if it
    may show anything (see the module's description)."""
    page = _Page(None, frozenset(), SITE_ATTRIBUTES)
    if name == root:
        page.item = PAGE_ITEMS.get(root)
        if page.item is not None and _stored(template, page.item):
            page.item = None  # the name may stand for something else somewhere
        if page.item is not None or root not in PAGE_ITEMS:
            page.links = PAGE_ATTRIBUTES.get(root, frozenset())
            page.site = SITE_ATTRIBUTES | PAGE_SITE_ATTRIBUTES.get(root, frozenset())
            page.upcoming = FIRST_UPCOMING.get(root, 0)
    if not _keeps(template, page):
        return None
    return COUNTS if page.counted else ""


def _keeps(node: nodes.Node, page: _Page) -> bool:
    """Whether ``node`` and everything below it keeps to the inputs of ``page``."""
    if (isinstance(node, nodes.Filter) and node.name in ("length", "count")
            and isinstance(node.node, nodes.Getattr) and node.node.attr in _COUNTED
            and not node.args and not node.kwargs and node.dyn_args is None
            and node.dyn_kwargs is None):
        page.counted.add(node.node.attr)
        return _is_name(node.node.node, "site") or _keeps(node.node.node, page)
    if page.upcoming and isinstance(node, nodes.If) and _is_upcoming(node.test):
        return all(_keeps(child, page) for child in [*node.body, *node.elif_, *node.else_])
    if page.upcoming and isinstance(node, nodes.Getitem) and _is_upcoming(node.node):
        if not isinstance(node.arg, nodes.Slice) or node.arg.step is not None:
            return False
        stop = _constant(node.arg.stop)
        return ((node.arg.start is None or _constant(node.arg.start) == 0)
                and stop is not None and 0 <= stop <= page.upcoming)
    if isinstance(node, nodes.Getattr | nodes.Getitem) and _is_name(node.node, "site"):
        attribute = node.attr if isinstance(node, nodes.Getattr) else _text(node.arg)
        return attribute in page.site
    if isinstance(node, nodes.Call) and _is_name(node.node, "body"):
        return (page.item in TEXTS and len(node.args) == 1 and not node.kwargs
                and node.dyn_args is None and node.dyn_kwargs is None
                and _is_name(node.args[0], page.item))
    if isinstance(node, nodes.Name) and node.name in ("site", "body"):
        return node.ctx != "load"
    if isinstance(node, nodes.Getattr) and not _is_settings(node.node):
        own_link = node.attr in page.links or page.item is not None and _is_name(
            node.node, page.item) and node.attr in ITEM_ATTRIBUTES.get(page.item, ())
        if not own_link and not _allowed_attribute(node.attr):
            return False
    if isinstance(node, nodes.Getitem) and not _is_settings(node.node):
        attribute = _text(node.arg)
        if attribute is None and not isinstance(node.arg, nodes.Const | nodes.Slice):
            return False  # a name computed while it runs
        if attribute is not None and not _allowed_attribute(attribute):
            return False
    if isinstance(node, nodes.Filter | nodes.Test) and node.name in _ATTRIBUTE_FILTERS:
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            return False
        for value in [*node.args, *(keyword.value for keyword in node.kwargs)]:
            attribute = _text(value)
            if attribute is not None and not _allowed_attribute(attribute):
                return False
    return all(_keeps(child, page) for child in node.iter_child_nodes())


def _is_upcoming(node: nodes.Node | None) -> bool:
    return isinstance(node, nodes.Getattr) and node.attr == "upcoming" and _is_name(
        node.node, "site")


def _constant(node: nodes.Node | None) -> int | None:
    """The whole number a node stands for, if it is one written in the template."""
    if isinstance(node, nodes.Const) and type(node.value) is int:
        return node.value
    return None


def _text(node: nodes.Node) -> str | None:
    """The string a node stands for, if it is one written in the template."""
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


def _allowed_attribute(path: str) -> bool:
    """An attribute name (``data.name`` for nested ones given as text)."""
    return not any(part in GRAPH_ATTRIBUTES or part.startswith("_")
                   for part in path.split("."))


def _is_name(node: nodes.Node, name: str) -> bool:
    return isinstance(node, nodes.Name) and node.name == name and node.ctx == "load"


def _is_settings(node: nodes.Node) -> bool:
    """``words`` and ``config`` hold settings only (``words.members`` is a URL word)."""
    while isinstance(node, nodes.Getattr | nodes.Getitem):
        node = node.node
    return isinstance(node, nodes.Name) and node.name in ("words", "config")


def _stored(template: nodes.Template, name: str) -> bool:
    """Whether ``name`` is assigned, looped over, imported or a parameter anywhere."""
    if any(target.name == name for target in template.find_all(nodes.Name)
           if target.ctx in ("store", "param")):
        return True
    return any(name in (alias if isinstance(alias, str) else alias[-1]
                        for alias in imported.names)
               for imported in template.find_all(nodes.FromImport)) or any(
        imported.target == name for imported in template.find_all(nodes.Import))
