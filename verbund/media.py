"""Recordings on YouTube or Vimeo, embedded only after the visitor agrees."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")


@dataclass(frozen=True)
class Video:
    provider: str
    embed_url: str
    """Loaded into an iframe after the click; a privacy-friendly host where there is one."""


def video_embed(url: str) -> Video | None:
    """The embed for a YouTube or Vimeo address, or None for anything else."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    path = [p for p in parts.path.split("/") if p]
    video_id = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[:1] == ["watch"]:
            video_id = parse_qs(parts.query).get("v", [None])[0]
        elif path[:1] in (["embed"], ["live"], ["shorts"]) and len(path) > 1:
            video_id = path[1]
        if video_id and _ID.fullmatch(video_id):
            return Video("YouTube", f"https://www.youtube-nocookie.com/embed/{video_id}")
    elif host == "youtu.be" and path and _ID.fullmatch(path[0]):
        return Video("YouTube", f"https://www.youtube-nocookie.com/embed/{path[0]}")
    elif host in ("vimeo.com", "player.vimeo.com"):
        numbers = [p for p in path if p.isdigit()]
        if numbers:
            return Video("Vimeo", f"https://player.vimeo.com/video/{numbers[0]}?dnt=1")
    return None
