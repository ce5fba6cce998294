"""Colours of a site's brand: hex values, their contrast (WCAG 2.x), and the
nearest darker shade that reaches a contrast."""

from __future__ import annotations

import re

HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")

WHITE = (255, 255, 255)

AA_TEXT = 4.5
"""The least contrast WCAG 2.1 level AA asks of normal-sized text (1.4.3)."""


def parse(value: str) -> tuple[int, int, int] | None:
    """``#0b4f8a``, ``0b4f8a`` or ``#fff`` as red, green and blue, or None."""
    match = HEX.fullmatch(value.strip())
    if match is None:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    red, green, blue = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue


def hex_of(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance as WCAG 2.x defines it."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    """The contrast ratio of two colours, from 1 to 21."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def darkened(rgb: tuple[int, int, int], against: tuple[int, int, int], ratio: float) -> str:
    """The lightest shade of ``rgb`` (mixed with black) whose contrast with
    ``against`` is at least ``ratio``, as hex."""
    for step in range(101):
        factor = 1 - step / 100
        shade = (round(rgb[0] * factor), round(rgb[1] * factor), round(rgb[2] * factor))
        if contrast(shade, against) >= ratio:
            return hex_of(shade)
    return "#000000"
