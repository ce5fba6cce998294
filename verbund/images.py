"""Member logos: scaled into a fixed box, so pages can reserve their space."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .messages import msg

LOGO_BOX = 192
"""Pixels of the square a logo is fitted into (shown at half that size, sharp on HiDPI)."""

MAX_SOURCE_PIXELS = 40_000_000
READABLE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


@dataclass(frozen=True)
class Logo:
    data: bytes
    width: int
    height: int
    """Display size in CSS pixels (half the stored pixels)."""


def logo_problem(file: Path) -> str | None:
    """Why ``file`` cannot be a logo, or None; reads only the image header."""
    # Pillow is imported where a logo is looked at: most checks look at none.
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            if image.format not in READABLE_FORMATS:
                return msg(
                    "a logo must be PNG, JPEG, WebP or GIF, not {format}", format=image.format
                )
            if image.width * image.height > MAX_SOURCE_PIXELS:
                return msg(
                    "the image is {width}×{height} pixels; make it smaller than 6000×6000",
                    width=image.width,
                    height=image.height,
                )
    except (UnidentifiedImageError, OSError):
        return msg("the file is not an image that can be read (use PNG, JPEG, WebP or GIF)")
    return None


def fit_logo(file: Path, box: int = LOGO_BOX) -> Logo:
    """The logo as PNG, scaled down (never up) to fit ``box``, metadata dropped."""
    from PIL import Image

    with Image.open(file) as image:
        image.load()
        converted = image.convert("RGBA")
    converted.thumbnail((box, box), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    converted.save(buffer, format="PNG", optimize=True)
    return Logo(buffer.getvalue(), max(1, converted.width // 2), max(1, converted.height // 2))
