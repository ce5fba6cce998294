"""Write stage: put rendered files in place, all at once or not at all.

Everything is written into a staging folder beside the target; only when it
is complete does it take the target's place. On Linux the two folders are
exchanged atomically (``renameat2(RENAME_EXCHANGE)``); elsewhere two renames
leave a moment without the folder, never a half-written one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .render import Output

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                       _RENAME_EXCHANGE)
    return result == 0


def remove_leftovers(target: Path) -> None:
    """Staging folders of builds that were killed before they finished."""
    if target.parent.is_dir():
        for stale in target.parent.glob(f".{target.name}.*-tmp*"):
            shutil.rmtree(stale, ignore_errors=True)


def write_output(output: Output, target: Path,
                 finish: Callable[[Path], None] | None = None) -> int:
    """Write ``output`` to ``target``, replacing what was there. Returns the file count.

    ``finish`` runs on the complete staging folder before it is swapped in (the
    search index is made there); if it raises, nothing is swapped.
    """
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-tmp", dir=target.parent))
    try:
        os.chmod(staging, 0o755)
        made: set[Path] = set()
        for rel, data in sorted(output.files.items()):
            file = staging / rel
            if file.parent not in made:
                file.parent.mkdir(parents=True, exist_ok=True)
                made.add(file.parent)
            file.write_bytes(data)
        for rel, source in sorted(output.copies.items()):
            file = staging / rel
            file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, file)
        if finish is not None:
            finish(staging)
        if not target.exists():
            os.rename(staging, target)
        elif _exchange(staging, target):
            shutil.rmtree(staging)  # now holds the previous output
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-tmp", dir=target.parent))
            os.rename(target, old / "site")
            os.rename(staging, target)
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(output.files) + len(output.copies)
