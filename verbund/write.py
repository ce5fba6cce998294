"""Write stage: put rendered files in place, all at once or not at all.

Everything is written into a staging folder beside the target; only when it
is complete does it take the target's place. Files that have not changed since
the previous build are hard-linked from it, not written again. On Linux the two folders are
exchanged atomically (``renameat2(RENAME_EXCHANGE)``); elsewhere two renames
leave a moment without the folder, never a half-written one.

Builds of one folder take turns: each holds a lock on a file beside it
(:func:`output_lock`) while it writes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Stamp
from .messages import message_language, msg, translate

try:
    import fcntl
except ImportError:  # Windows: builds of one folder are not kept apart
    fcntl = None  # type: ignore[assignment]

if TYPE_CHECKING:
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
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def remove_later(folder: Path) -> None:
    """Delete a folder without waiting for it (thousands of files take seconds)."""
    rm = shutil.which("rm")
    if rm is not None and os.name == "posix":
        subprocess.Popen(
            [rm, "-rf", "--", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    else:
        threading.Thread(target=shutil.rmtree, args=(folder, True)).start()


def remove_leftovers(target: Path) -> None:
    """Staging folders of builds that were killed before they finished."""
    if target.parent.is_dir():
        for stale in target.parent.glob(f".{target.name}.*-tmp*"):
            remove_later(stale)


LOCK_WAIT = 900.0
"""How long a build waits for another build of the same folder, in seconds."""

_held: dict[tuple[str, int], int] = {}
"""The output locks this process holds, by lock file and thread: how often taken."""


def lock_file(target: Path) -> Path:
    """The file whose lock keeps builds of ``target`` apart."""
    target = target.absolute()
    return target.parent.resolve() / f".{target.name}.lock"


@contextmanager
def output_lock(target: Path, language: str | None = None) -> Iterator[None]:
    """Hold the lock of ``target`` (see :func:`lock_file`) until the block ends.

    Another build of the same folder, in any process or thread, is waited for:
    once on stderr (in ``language``), for at most :data:`LOCK_WAIT` seconds, then
    :class:`TimeoutError`. A thread that holds the lock may take it again. The
    lock file is removed when the lock is let go.
    """
    path = lock_file(target)
    key = (str(path), threading.get_ident())
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    handle = _lock(path, target, message_language(language))
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        if handle is not None:
            _unlock(path, handle)


def _lock(path: Path, target: Path, language: str) -> int | None:
    """A handle of ``path`` locked by this process; None where there are no locks."""
    if fcntl is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + LOCK_WAIT
    told = False
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    pass
                except OSError as error:
                    if error.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                        os.close(handle)
                        os.unlink(path)
                        return None  # a file system without locks
                    raise
                if not told:
                    told = True
                    text = msg("Waiting for another build of {folder} to finish …", folder=target)
                    print(translate(text, language), file=sys.stderr, flush=True)
                if time.monotonic() > deadline:
                    text = msg(
                        "another build of this folder was not done after {seconds:g} s",
                        seconds=LOCK_WAIT,
                    )
                    raise TimeoutError(errno.ETIMEDOUT, translate(text, language), str(path))
                time.sleep(0.05)
            # The build before may have removed the file while this one waited for it.
            try:
                now = os.stat(path)
            except FileNotFoundError:
                now = None
            here = os.fstat(handle)
            if now is not None and (now.st_dev, now.st_ino) == (here.st_dev, here.st_ino):
                return handle
        except BaseException:
            os.close(handle)
            raise
        os.close(handle)


def _unlock(path: Path, handle: int) -> None:
    """Remove the lock file, then let the lock go (a waiting build looks again)."""
    try:
        os.unlink(path)
    except OSError:
        pass
    os.close(handle)


@dataclass
class Written:
    """What :func:`write_output` put in place."""

    count: int
    stamps: dict[str, Stamp] = field(default_factory=dict)
    """Every made or kept file (not the copies), for the next build's manifest."""
    made: int = 0
    """How many files were made; the others were kept from the previous output."""
    copies: dict[str, Stamp] = field(default_factory=dict)
    """The files copied as they are (their stamps have no key)."""
    shadow: dict[str, Stamp] | None = None
    """What is in :func:`previous_output` for the next build, if a previous output
    is kept there."""
    mirrored: bool = False
    """Whether that is a copy of this output (else it is the output before)."""


def _keep(old: str, new: str, stamp: Stamp) -> bool:
    """Hard-link a file of the previous output that is still what was written."""
    try:
        os.link(old, new, follow_symlinks=False)
    except OSError:
        return False
    if stamp.matches(os.lstat(new)):
        return True
    os.unlink(new)  # changed since it was written: make it again
    return False


def _write(file: str, data: bytes) -> os.stat_result:
    try:
        handle = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            return os.fstat(handle)
        finally:
            os.close(handle)
    except OSError as error:
        raise OSError(error.errno, error.strerror, file) from None


def previous_output(target: Path) -> Path:
    """Where the output before the current one is kept, to be updated by the next build."""
    target = target.absolute()
    return target.parent / f".{target.name}.previous"


def _tree(folder: Path) -> tuple[set[str], set[str]]:
    """The files and the folders below ``folder``, as relative POSIX paths."""
    files: set[str] = set()
    folders: set[str] = set()
    todo = [(str(folder), "")]
    while todo:
        path, rel = todo.pop()
        for entry in os.scandir(path):
            name = f"{rel}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                folders.add(name)
                todo.append((entry.path, name + "/"))
            else:
                files.add(name)
    return files, folders


FolderStamps = Mapping[str, tuple[int, int]]
"""The inode and modification time of each folder of an output, by relative
path (``""`` for the output itself)."""

Listing = tuple[Collection[str], FolderStamps]
"""The files of an output folder and the :data:`FolderStamps` it had then."""


def folder_stamps(folder: Path, files: Collection[str]) -> FolderStamps | None:
    """The :data:`FolderStamps` of ``folder`` if it holds just ``files`` (relative
    POSIX paths), else None.

    A file or folder added, removed or renamed changes the modification time
    of the folder it is in: while every folder is as it was, so are their files
    (see :func:`_listed`).
    """
    stamps: dict[str, tuple[int, int]] = {}
    count = 0
    todo = [(str(folder), "")]
    try:
        while todo:
            path, rel = todo.pop()
            status = os.lstat(path)  # before listing: a change while listing shows later
            stamps[rel.rstrip("/")] = (status.st_ino, status.st_mtime_ns)
            with os.scandir(path) as entries:
                for entry in entries:
                    name = rel + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        todo.append((entry.path, name + "/"))
                    elif name in files:
                        count += 1
                    else:
                        return None
    except OSError:
        return None
    return stamps if count == len(files) else None


def _listed(
    folder: Path, files: Collection[str], stamps: FolderStamps
) -> tuple[set[str], set[str]] | None:
    """The files and folders below ``folder`` without walking it: ``files``, if
    every folder has the stamp it had when it held just those (see
    :func:`folder_stamps`); else None."""
    root = f"{folder}/"
    try:
        for rel, stamp in stamps.items():
            status = os.lstat(root + rel)
            if (status.st_ino, status.st_mtime_ns) != stamp:
                return None
    except OSError:
        return None
    return set(files), {rel for rel in stamps if rel}


def _staging(
    target: Path, shadow: Mapping[str, Stamp] | None, listing: Listing | None = None
) -> tuple[Path, Mapping[str, Stamp], set[str], set[str]]:
    """A folder to build in: the kept previous output if it can be trusted, else a new one.

    Returns the folder, the manifest of what is in it, its files and its folders
    (from ``listing`` if its folders are as it says, else by walking it).
    """
    kept = previous_output(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-tmp", dir=target.parent))
    if shadow and kept.is_dir():
        staging.rmdir()
        os.rename(kept, staging)
        listed = _listed(staging, *listing) if listing is not None else None
        files, folders = listed or _tree(staging)
        return staging, shadow, files, folders
    if kept.exists():  # out of the way first: a new one may take its name soon
        doomed = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-tmp", dir=target.parent))
        os.rename(kept, doomed / "site")
        remove_later(doomed)
    return staging, {}, set(), set()


def write_output(
    output: Output,
    target: Path,
    previous: Mapping[str, Stamp] | None = None,
    finish: Callable[[Path], None] | None = None,
    made: Callable[[str, bytes], None] | None = None,
    shadow: Mapping[str, Stamp] | None = None,
    language: str | None = None,
    listing: Listing | None = None,
) -> Written:
    """Write ``output`` to ``target``, replacing what was there.

    A file whose key is the one in ``previous`` (the manifest of ``target``) is
    hard-linked from ``target`` instead of being made again, as long as it is
    unchanged since then. ``made`` sees every file that was made. ``finish`` runs
    on the complete staging folder before it is swapped in (links are checked
    and the search index made there); if it raises, nothing is swapped.

    Without ``shadow`` the previous output is deleted in the background. With it
    (the manifest of :func:`previous_output`, possibly empty) the previous output
    is kept there, and the next build updates it in place of a new folder: no
    folder to create for every page, no tree to delete. A first build leaves a
    hard-linked copy of its output there for the same purpose.

    ``listing`` has the files of the previous output and the stamps its folders
    had then (see :func:`folder_stamps`): while they are the same, it is not
    walked to see what it holds.

    Another build of ``target`` is waited for (see :func:`output_lock`; told
    in ``language``).
    """
    target = target.absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(target, language):
        return _write_output(output, target, previous, finish, made, shadow, listing)


def _write_output(
    output: Output,
    target: Path,
    previous: Mapping[str, Stamp] | None,
    finish: Callable[[Path], None] | None,
    made: Callable[[str, bytes], None] | None,
    shadow: Mapping[str, Stamp] | None,
    listing: Listing | None,
) -> Written:
    remove_leftovers(target)
    previous = previous if previous and target.is_dir() else {}
    staging, inside, files, folders = _staging(target, shadow, listing)
    written = Written(len(output.files) + len(output.copies))
    try:
        os.chmod(staging, 0o755)
        emptied: set[str] = set()
        into, source_folder = f"{staging}/", f"{target}/"
        for rel in files - output.files.keys():
            os.unlink(into + rel)
            emptied.update(_parents(rel.rpartition("/")[0]) if "/" in rel else [])
        for rel, planned in sorted(output.files.items()):
            file = into + rel
            parent = rel.rpartition("/")[0]
            if parent and parent not in folders:
                os.makedirs(into + parent, exist_ok=True)
                folders.update(_parents(parent))
            stamp = inside.get(rel)
            if rel in files:
                if stamp is not None and stamp.key == planned.key and stamp.matches(os.lstat(file)):
                    written.stamps[rel] = stamp
                    continue
                os.unlink(file)  # never written over: it may be linked from the output
            stamp = previous.get(rel)
            if (
                stamp is not None
                and stamp.key == planned.key
                and _keep(source_folder + rel, file, stamp)
            ):
                written.stamps[rel] = stamp
                continue
            data = planned.make()
            status = _write(file, data)
            written.stamps[rel] = Stamp(
                planned.key, status.st_ino, status.st_size, status.st_mtime_ns
            )
            written.made += 1
            if made is not None:
                made(rel, data)
        for rel, source in sorted(output.copies.items()):
            copy = staging / rel
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
            written.copies[rel] = stamp_of(copy)
        for rel in sorted(emptied, reverse=True):
            if not any(os.scandir(staging / rel)):
                os.rmdir(staging / rel)
        if finish is not None:
            finish(staging)
        keep = shadow is not None and len(unlike_files(written.stamps, previous)) <= MOST_UNLIKE
        kept = _swap(staging, target, keep)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if kept:
        written.shadow = dict(previous)
    elif shadow is not None and _mirror(target):
        written.shadow = dict(written.stamps)
        written.mirrored = True
    return written


MOST_UNLIKE = 2000
"""The old output is kept as the previous one only if it differs from the new one
in at most this many files: the next edit brings it up to date first, a hard link
per file, and must stay quick (at 100,000 members a changed template makes
100,000 pages anew). Otherwise a hard-linked copy of the new output takes its
place at once."""


def unlike_files(one: Mapping[str, Stamp], other: Mapping[str, Stamp]) -> set[str]:
    """The files of two output folders that are not the same file in both."""
    return {path for path, stamp in one.items() if other.get(path) != stamp} | (
        other.keys() - one.keys()
    )


def _swap(staging: Path, target: Path, keep: bool) -> bool:
    """Put ``staging`` in the place of ``target``; True if the old output was kept
    as the previous one (see :func:`previous_output`), else it is deleted."""
    if not target.exists():
        os.rename(staging, target)
        return False
    if _exchange(staging, target):
        return _set_aside(staging, target, keep)  # now the previous output
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-tmp", dir=target.parent))
    os.rename(target, old / "site")
    os.rename(staging, target)
    kept = _set_aside(old / "site", target, keep)
    remove_later(old)
    return kept


def stamp_of(file: Path) -> Stamp:
    """A file not made from a key of its own (a copy), as the file system sees it now."""
    status = os.lstat(file)
    return Stamp("", status.st_ino, status.st_size, status.st_mtime_ns)


def intact(target: Path, stamps: Mapping[str, Stamp]) -> bool:
    """Whether every file of ``stamps`` is in ``target`` exactly as it was written."""
    folder = f"{target.absolute()}/"
    try:
        return all(stamp.matches(os.lstat(folder + rel)) for rel, stamp in stamps.items())
    except OSError:
        return False


def _parents(folder: str) -> list[str]:
    """``a/b/c`` → ``a/b/c``, ``a/b``, ``a``."""
    parts = folder.split("/")
    return ["/".join(parts[:n]) for n in range(len(parts), 0, -1)]


def _set_aside(old: Path, target: Path, keep: bool) -> bool:
    """Keep ``old`` as the previous output, or delete it; True if it was kept."""
    if keep:
        try:
            os.rename(old, previous_output(target))
            return True
        except OSError:
            pass
    remove_later(old)
    return False


def _mirror(target: Path) -> bool:
    """Keep a hard-linked copy of ``target`` as the previous output; True if done.

    The next build updates it in place instead of linking every file into a new
    folder. Left out where ``cp -al`` (GNU) is not at hand: builds are then slower,
    not different.
    """
    cp = shutil.which("cp")
    if cp is None or not sys.platform.startswith("linux"):
        return False
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.previous-tmp", dir=target.parent))
    try:
        subprocess.run(
            [cp, "-al", "--", f"{target}/.", str(temp)],
            check=True,
            stdin=subprocess.DEVNULL,
            capture_output=True,
        )
        os.rename(temp, previous_output(target))
        return True
    except (OSError, subprocess.CalledProcessError):
        remove_later(temp)
        return False
