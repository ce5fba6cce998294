"""Site-wide search: a Pagefind index made from the finished pages.

Pagefind ships as a binary inside the ``pagefind[bin]`` package. Where there is
no binary for the platform, the site is built without search and says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path


class SearchIndexError(Exception):
    """Pagefind ran but did not finish."""


def pagefind_executable() -> Path | None:
    """The Pagefind binary from ``pagefind[bin]``, else one on PATH, else None."""
    try:
        from pagefind_bin import get_executable

        return Path(get_executable())
    except (ImportError, FileNotFoundError, OSError):
        found = shutil.which("pagefind")
        return Path(found) if found else None


def index_site(folder: Path, executable: Path) -> None:
    """Write the search index into ``folder/pagefind/``."""
    result = subprocess.run(
        [str(executable), "--site", str(folder), "--output-subdir", "pagefind", "--silent"],
        # Nothing but these options: no pagefind.yml of where the build runs, no
        # PAGEFIND_ variables (what the index is made of stays what the build knows).
        cwd=folder,
        env={name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")},
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise SearchIndexError(detail[-1] if detail else f"exit status {result.returncode}")
