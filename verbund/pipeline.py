"""The stages in order: load → validate → site → render → write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .load import load_sources
from .problems import ContentError, Problem
from .render import Output, render_site
from .site import Site, build_site
from .validate import Content, validate
from .write import write_output

__all__ = ["check", "render", "build", "write_output", "Checked"]


@dataclass
class Checked:
    content: Content | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def check(site_root: Path, base_url: str | None = None) -> Checked:
    """Load and validate a site folder; nothing is written."""
    sources, problems = load_sources(site_root)
    content, found = validate(sources)
    problems = sorted(problems + found, key=lambda p: (p.path, p.line, p.column, p.field))
    if content is not None and base_url is not None:
        content.config = content.config.model_copy(
            update={"base_url": base_url if base_url.endswith("/") else base_url + "/"})
    if any(p.severity == "error" for p in problems):
        content = None
    return Checked(content, problems)


def render(content: Content, site_root: Path, today: dt.date) -> tuple[Site, Output]:
    site = build_site(content, today)
    return site, render_site(site, site_root)


def build(site_root: Path, output_dir: Path, today: dt.date,
          base_url: str | None = None) -> tuple[Checked, int]:
    """The whole pipeline. Raises :class:`ContentError` if anything is wrong;
    in that case ``output_dir`` is left exactly as it was."""
    checked = check(site_root, base_url)
    if checked.content is None:
        raise ContentError(checked.problems)
    _, output = render(checked.content, site_root, today)
    return checked, write_output(output, output_dir)
