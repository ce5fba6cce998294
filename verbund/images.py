"""Images and fonts: member logos scaled into a fixed box, so pages can reserve
their space; the site's own pictures made into widths and formats for ``<picture>``;
the site's font checked.

A logo comes from content (untrusted): it is opened only as a regular file reached
through no symbolic link, and whatever Pillow raises on it becomes a :class:`LogoError`.
"""

from __future__ import annotations

import io
import os
import re
import stat
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .messages import msg

LOGO_BOX = 192
"""Pixels of the square a logo is fitted into (shown at half that size, sharp on HiDPI)."""

MAX_SOURCE_PIXELS = 40_000_000
READABLE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


@dataclass(frozen=True)
class Logo:
    data: bytes
    width: int
    height: int
    """Display size in CSS pixels (half the stored pixels)."""


class LogoError(Exception):
    """Why a file cannot be a logo, and what to do instead (messages for editors)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def _unreadable() -> LogoError:
    return LogoError(msg("the file is not an image that can be read (use PNG, JPEG, WebP or GIF)"))


def open_logo(file: Path, root: Path | None = None) -> IO[bytes]:
    """``file`` opened for reading, if it is a regular file and no part of its
    path below ``root`` (by default its own folder) is a symbolic link.

    Nothing else is opened, and nothing waits: a FIFO or a device would stall
    the build. Raises :class:`LogoError`.
    """
    base = file.parent if root is None else root
    path = base
    for part in file.relative_to(base).parts:
        if part == "..":
            raise LogoError(msg("expected a file name inside the site folder, like 'logo.png'"))
        path = path / part
        try:
            status = os.lstat(path)
        except OSError as error:
            raise LogoError(
                msg("cannot read the file: {reason}", reason=error.strerror or str(error))
            ) from None
        if stat.S_ISLNK(status.st_mode):
            raise LogoError(
                msg("symbolic links are not allowed in content"),
                msg("replace the link with the file itself"),
            )
    try:
        fd = os.open(file, _OPEN_FLAGS)
    except OSError as error:  # replaced by a link since (O_NOFOLLOW), or unreadable
        raise LogoError(
            msg("cannot read the file: {reason}", reason=error.strerror or str(error))
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LogoError(
            msg("the logo must be an image file, not a folder, pipe or device"),
            msg("put the logo beside the member's file, or remove the line"),
        )
    return os.fdopen(fd, "rb")


def _too_large(size: tuple[int, int] | None) -> LogoError:
    if size is None:
        return LogoError(msg("the image is too large to be read; make it smaller than 6000×6000"))
    return LogoError(
        msg(
            "the image is {width}×{height} pixels; make it smaller than 6000×6000",
            width=size[0],
            height=size[1],
        )
    )


def _declared_size(fp: IO[bytes]) -> tuple[int, int] | None:
    """The size an image file declares, read past Pillow's guard against
    decompression bombs (which refuses one without saying how large it is)."""
    from PIL import Image

    try:
        fp.seek(0)
        prefix = fp.read(16)
        for name in READABLE_FORMATS:
            factory, accept = Image.OPEN.get(name, (None, None))
            if factory is not None and (accept is None or accept(prefix) is True):
                fp.seek(0)
                width, height = factory(fp, "").size
                return width, height
    except Exception:
        pass
    return None


def _refusal(error: Exception, fp: IO[bytes]) -> LogoError:
    """What an exception raised while reading an image means for an editor."""
    from PIL import Image

    if isinstance(error, LogoError):
        return error
    if isinstance(error, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return _too_large(_declared_size(fp))
    return _unreadable()


@contextmanager
def _quiet() -> Iterator[None]:
    """Without Pillow's warning about large images: :func:`_check` refuses them
    with a message of its own."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        yield


def _check(image: Any) -> None:
    if image.format not in READABLE_FORMATS:
        raise LogoError(
            msg("a logo must be PNG, JPEG, WebP or GIF, not {format}", format=image.format)
        )
    if image.width * image.height > MAX_SOURCE_PIXELS:
        raise _too_large(image.size)


def logo_problem(file: Path, root: Path | None = None) -> LogoError | None:
    """Why ``file`` cannot be a logo, or None; reads only the image header.
    ``root`` as for :func:`open_logo`."""
    # Pillow is imported where a logo is looked at: most checks look at none.
    from PIL import Image

    try:
        with open_logo(file, root) as fp:
            try:
                with _quiet(), Image.open(fp) as image:
                    _check(image)
            except Exception as error:  # Pillow raises many kinds on a hostile file
                return _refusal(error, fp)
    except LogoError as error:
        return error
    return None


def fit_logo(file: Path, box: int = LOGO_BOX, root: Path | None = None) -> Logo:
    """The logo as PNG, scaled down (never up) to fit ``box``, metadata dropped.
    Raises :class:`LogoError` for a file that is not one (``root`` as for
    :func:`open_logo`)."""
    from PIL import Image

    with open_logo(file, root) as fp:
        try:
            with _quiet(), Image.open(fp, formats=READABLE_FORMATS) as image:
                _check(image)
                image.load()
                converted = image.convert("RGBA")
            converted.thumbnail((box, box), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            converted.save(buffer, format="PNG", optimize=True)
        except Exception as error:
            raise _refusal(error, fp) from None
    return Logo(buffer.getvalue(), max(1, converted.width // 2), max(1, converted.height // 2))


# -- pictures of the site: the home page's image and the associations' logos ------

PICTURE_WIDTHS = (480, 800, 1200, 1600)
"""Widths (pixels) a large picture is made in: a phone's screen at 1× to 3×, a wide one at 2×."""

LOGO_HEIGHTS = (48, 96, 144)
"""Heights (pixels) a logo is made in: shown 24 to 72 CSS pixels high, sharp on HiDPI."""

_QUALITY = {"avif": {"quality": 60, "speed": 8}, "webp": {"quality": 82, "method": 5}}
"""Encoder settings: WebP's slowest method (6) takes a hundred times as long on a logo
for files 2 % smaller; AVIF at speed 8 takes a fifth of the time of speed 7."""
_MIME = {
    "svg": "image/svg+xml",
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "png": "image/png",
}


@dataclass(frozen=True)
class Variant:
    """One file of a picture: a size in one format."""

    path: str
    """Where it is written, relative to the output folder."""
    width: int
    height: int
    format: str
    """``avif``, ``webp``, ``jpeg`` or ``png``."""


@dataclass(frozen=True)
class Picture:
    """A picture made into several widths and formats, for ``<picture>``:
    the best format the browser takes, the width its screen needs."""

    width: int
    """Pixels of the largest variant: with :attr:`height`, the picture's shape."""
    height: int
    variants: tuple[Variant, ...]

    @property
    def sources(self) -> list[tuple[str, list[Variant]]]:
        """(MIME type, its variants by width) for each format, the fallback's last."""
        formats = dict.fromkeys(v.format for v in self.variants)
        return [(_MIME[f], [v for v in self.variants if v.format == f]) for f in formats]

    @property
    def fallback(self) -> Variant:
        """The file ``<img src>`` names: the largest of the source's own format."""
        return self.variants[-1]


_SVG_SIZE = re.compile(
    r"""<svg\b[^>]*?\bviewBox\s*=\s*["']\s*[-\d.eE]+[\s,]+[-\d.eE]+[\s,]+([\d.eE]+)[\s,]+([\d.eE]+)"""
)
_SVG_LENGTH = re.compile(r"""<svg\b[^>]*?\b(width|height)\s*=\s*["']\s*([\d.]+)(?:px)?\s*["']""")


def svg_size(file: Path, root: Path) -> tuple[int, int]:
    """The shape of an SVG picture, from its ``viewBox`` (or ``width`` and
    ``height`` in pixels), for the attributes that reserve its space. Raises
    :class:`LogoError` for a file that names neither."""
    with open_logo(file, root) as fp:
        head = fp.read(64 * 1024).decode("utf-8", "replace")
    found = _SVG_SIZE.search(head)
    size: tuple[float, float] | None = None
    if found:
        size = (float(found.group(1)), float(found.group(2)))
    else:
        lengths = {m.group(1): float(m.group(2)) for m in _SVG_LENGTH.finditer(head)}
        if "width" in lengths and "height" in lengths:
            size = (lengths["width"], lengths["height"])
    if size is None or size[0] <= 0 or size[1] <= 0:
        raise LogoError(
            msg("the SVG file names no size"),
            msg('give its <svg> element a viewBox, like viewBox="0 0 240 80"'),
        )
    scale = 1000 / max(size)  # keep the shape in whole numbers
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def picture_formats(fallback: str) -> tuple[str, ...]:
    """AVIF where this Pillow can write it, WebP, and ``fallback`` for every
    browser (the source's own format: JPEG, or PNG for transparency)."""
    from PIL import features

    found = ["avif"] if features.check("avif") else []
    return (*found, "webp", fallback)


def plan_picture(
    file: Path,
    output_stem: str,
    root: Path,
    widths: tuple[int, ...] = PICTURE_WIDTHS,
    heights: tuple[int, ...] | None = None,
) -> Picture:
    """Which files ``file`` is made into (``output_stem-WIDTH.FORMAT``), read
    from its header only: ``widths`` (or the widths of ``heights``), never wider
    than the source. Raises :class:`LogoError` for a file that is not a picture."""
    from PIL import Image

    if file.suffix.lower() == ".svg":  # drawn to any size: the file itself, as it is
        width, height = svg_size(file, root)
        rel = file.relative_to(root).as_posix()
        return Picture(width, height, (Variant(rel, width, height, "svg"),))
    with open_logo(file, root) as fp:
        try:
            with _quiet(), Image.open(fp, formats=READABLE_FORMATS) as image:
                _check(image)
                size = image.size
                fallback = "jpeg" if image.format == "JPEG" else "png"
        except Exception as error:
            raise _refusal(error, fp) from None
    source_width, source_height = size
    if heights is not None:
        widths = tuple(round(h * source_width / source_height) for h in heights)
    chosen = sorted({min(w, source_width) for w in widths if w > 0} or {source_width})
    variants = [
        Variant(
            f"{output_stem}-{w}.{'jpg' if fmt == 'jpeg' else fmt}",
            w,
            max(1, round(w * source_height / source_width)),
            fmt,
        )
        for fmt in picture_formats(fallback)
        for w in chosen
    ]
    largest = variants[-1]
    return Picture(largest.width, largest.height, tuple(variants))


def make_picture(file: Path, picture: Picture, root: Path) -> dict[str, bytes]:
    """The bytes of every variant of ``picture`` by path: ``file`` read once,
    scaled with Lanczos, metadata dropped. Raises :class:`LogoError`."""
    from PIL import Image

    made: dict[str, bytes] = {}
    with open_logo(file, root) as fp:
        try:
            with _quiet(), Image.open(fp, formats=READABLE_FORMATS) as image:
                _check(image)
                image.load()
                opaque = image.mode in ("RGB", "L", "CMYK", "YCbCr") and "transparency" not in (
                    image.info
                )
                source = image.convert("RGB" if opaque else "RGBA")
            scaled: dict[tuple[int, int], Any] = {}
            for variant in picture.variants:
                size = (variant.width, variant.height)
                if size not in scaled:
                    scaled[size] = (
                        source
                        if size == source.size
                        else source.resize(size, Image.Resampling.LANCZOS)
                    )
                frame = scaled[size]
                if variant.format == "jpeg" and frame.mode != "RGB":
                    frame = frame.convert("RGB")
                buffer = io.BytesIO()
                options: dict[str, Any] = dict(_QUALITY.get(variant.format, {}))
                if variant.format == "jpeg":
                    options = {"quality": 84, "optimize": True, "progressive": True}
                elif variant.format == "png":
                    options = {"optimize": True}
                frame.save(buffer, format=variant.format.upper(), **options)
                made[variant.path] = buffer.getvalue()
        except Exception as error:
            raise _refusal(error, fp) from None
    return made


def font_problem(file: Path, root: Path) -> LogoError | None:
    """Why ``file`` cannot be the site's font, or None: it must be a WOFF2
    file that FreeType reads."""
    from PIL import ImageFont

    try:
        with open_logo(file, root) as fp:
            data = fp.read()
    except LogoError as error:
        return error
    if not data.startswith(b"wOF2"):
        return LogoError(msg("the file is not a font in WOFF2 format"))
    try:
        ImageFont.truetype(io.BytesIO(data), 12)
    except Exception:
        return LogoError(msg("the file is not a font in WOFF2 format"))
    return None


def font_weights(file: Path, root: Path) -> tuple[int, int] | None:
    """The weights a variable font covers (``(200, 900)``), or None for a font of one weight."""
    from PIL import ImageFont

    with open_logo(file, root) as fp:
        font = ImageFont.truetype(io.BytesIO(fp.read()), 12)
    try:
        axes = font.get_variation_axes()
    except Exception:  # not a variable font (OSError), or FreeType without variations
        return None
    for axis in axes:
        low, high = axis.get("minimum"), axis.get("maximum")
        if axis.get("name") in (b"Weight", "Weight") and low is not None and high is not None:
            return int(low), int(high)
    return None
