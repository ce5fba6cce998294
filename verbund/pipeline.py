"""The stages in order: load → validate → site → render → write."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from .bodies import SECONDS_PER_BODY, BodyCache, render_bodies
from .links import broken_links
from .load import load_sources
from .messages import LANGUAGES, msg
from .problems import ContentError, Problem
from .render import render_site, template_problem
from .search import index_site, pagefind_executable
from .site import build_site
from .validate import Content, validate
from .write import write_output


@dataclass
class Checked:
    content: Content | None
    problems: list[Problem]
    language: str = "de"
    """The language of the site (from ``site.yaml`` even when it has errors)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@dataclass
class Built:
    files: int
    search: bool
    """Whether the site got a search index."""
    warnings: list[Problem]
    """Problems found while rendering that did not stop the build (links in bodies)."""


def check(site_root: Path, base_url: str | None = None) -> Checked:
    """Load and validate a site folder; nothing is written."""
    sources, problems = load_sources(site_root)
    content, found = validate(sources)
    problems = sorted(problems + found, key=lambda p: (p.path, p.line, p.column, p.field))
    if content is not None and base_url is not None:
        content.config = content.config.model_copy(
            update={"base_url": base_url if base_url.endswith("/") else base_url + "/"})
    raw = sources.site.data if sources.site is not None else None
    language = (content.config.language if content is not None else
                raw.get("language") if isinstance(raw, dict) else None)
    if any(p.severity == "error" for p in problems):
        content = None
    return Checked(content, problems, language if language in LANGUAGES else "de")


def build(content: Content, site_root: Path, output_dir: Path, today: dt.date,
          search: bool = True, cache: BodyCache | None = None,
          pool: Executor | None = None, strict: bool = False) -> Built:
    """Render validated content and swap it into ``output_dir``.

    Raises :class:`~verbund.problems.ContentError` for content that cannot be
    laid out (two files for one URL, a body that takes too long, a template link
    to nowhere), :class:`OSError` for a disk that cannot be written and
    :class:`~verbund.search.SearchIndexError`; in each case ``output_dir`` is left
    exactly as it was. ``strict`` makes a broken link in
    a body (otherwise a warning) stop the build too.
    """
    executable = pagefind_executable() if search else None
    site = build_site(content, today)
    items = [*site.members, *site.events, *site.pages]
    html = render_bodies([item.body for item in items], cache or BodyCache(None), pool,
                         content.config.language)
    starts = {i.source: i.body_line for i in [*content.members, *content.events,
                                              *content.pages]}
    overtime = [Problem(item.source, starts[item.source], 1, "",
                        msg("the text took longer than {seconds:g} s to render and was "
                            "stopped", seconds=SECONDS_PER_BODY),
                        msg("shorten it or simplify its formatting"))
                for item, text in zip(items, html, strict=True) if text is None]
    if overtime:
        raise ContentError(overtime)
    bodies = {item.source: text for item, text in zip(items, html, strict=True)
              if text is not None}
    try:
        output = render_site(site, site_root, bodies, search_enabled=executable is not None)
    except jinja2.TemplateError as error:
        raise ContentError([template_problem(error, site_root)]) from None
    broken = broken_links(output, urlsplit(content.config.base_url).path or "/",
                          provided=["pagefind/"] if executable else [],
                          bodies={item.source: (item.body, starts[item.source])
                                  for item in items})
    if any(p.severity == "error" or strict for p in broken):
        raise ContentError(broken)

    def make_index(folder: Path) -> None:
        assert executable is not None
        index_site(folder, executable)

    count = write_output(output, output_dir, make_index if executable else None)
    return Built(count, executable is not None, broken)
