"""Member logos: scaled into a fixed box, so pages can reserve their space.

A logo comes from content (untrusted): it is opened only as a regular file reached
through no symbolic link, and whatever Pillow raises on it becomes a :class:`LogoError`.
"""

from __future__ import annotations

import io
import os
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
