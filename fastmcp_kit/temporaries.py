"""fkit's temporary files, and the ones a killed run left behind.

A file is replaced through ``.<name>.<pid>-<8 random chars>.fkit-tmp`` beside it. A
run killed between creating that file and renaming it leaves it there; the next
write of the same file removes it, if nothing still uses it: the process named in
it is gone (or is this one, under a reused id). Names without a process id are how
fkit named them before; their writer cannot be known, so they are removed once
older than any write takes. Nothing that does not match this pattern for the file
being written is ever touched.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from pathlib import Path

SUFFIX = ".fkit-tmp"
# Long enough that no live write, whatever the disk, is still using the file.
UNOWNED_STALE_AFTER_SECONDS = 60


def temporary_name(target: Path) -> str:
    return f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}{SUFFIX}"


def create_temporary(target: Path, mode: int) -> tuple[int, str]:
    """A new, exclusively created temporary file beside ``target``: (fd, path)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        path = os.path.join(target.parent, temporary_name(target))
        try:
            return os.open(path, flags, mode), path
        except FileExistsError:
            continue  # 32 random bits met another file: draw again


def _pattern(target: Path) -> re.Pattern[str]:
    # The random part: tempfile's alphabet before, hex since.
    return re.compile(
        re.escape(f".{target.name}.") + r"(?:(?P<pid>\d+)-)?[a-z0-9_]{8}" + re.escape(SUFFIX)
    )


def remove_stale_temporaries(target: Path) -> list[str]:
    """Delete the stale temporary files of ``target``; the names removed."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    prefix = f".{target.name}."
    pattern = None
    removed = []
    for name in names:
        if not (name.startswith(prefix) and name.endswith(SUFFIX)):
            continue
        pattern = pattern or _pattern(target)
        match = pattern.fullmatch(name)
        path = os.path.join(target.parent, name)
        if match is None or not _is_stale(path, match["pid"]):
            continue
        try:
            os.unlink(path)
        except OSError:
            continue
        removed.append(name)
    return removed


def _is_stale(path: str, pid: str | None) -> bool:
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False  # fkit writes regular files only; a link or folder is someone else's
    if pid is None or int(pid) == 0 or os.name == "nt":
        # On Windows os.kill(pid, 0) would terminate the process, not probe it.
        return time.time() - info.st_mtime > UNOWNED_STALE_AFTER_SECONDS
    return int(pid) == os.getpid() or not _alive(int(pid))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except OSError:
        return True  # it exists, under another user
    return True
