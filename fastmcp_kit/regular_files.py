"""Telling a user's regular files from what only looks like one.

A FIFO named ``x.py`` blocks whoever opens it for reading until a writer comes, which
may be never; a dangling symlink or a symlink loop cannot be opened at all. So every
name fkit reads is classified with ``stat`` first, and opened without blocking.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path names something fkit must not read as a file; ``str()`` says what."""


def kind_of(mode: int) -> str:
    """What a ``st_mode`` describes, in words for a message."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def oddity(path: str) -> str | None:
    """Why a name met in a folder is no regular file (a dangling symlink, a symlink
    loop, a FIFO, a socket, a device), or None when it is one. ``stat`` follows
    symlinks, so a link to a regular file is one. Other failures raise OSError.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.ENOENT and os.path.islink(path)):
            return stat_failure(path, exc)
        raise
    if stat.S_ISREG(mode):
        return None
    return f"{kind_of(mode)}, not a regular file"


def stat_failure(path: str, exc: OSError) -> str:
    """A failed ``stat`` of ``path`` in words: the symlink cases get their own."""
    if exc.errno == errno.ELOOP:
        return "a symlink loop"
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return f"a dangling symlink (to {os.readlink(path)})"
    return exc.strerror or str(exc)


def read_regular_file(path: Path | str) -> bytes:
    """The bytes of a regular file; :class:`NotRegularFile` for anything else.

    Opened with ``O_NONBLOCK`` so that a FIFO swapped in after discovery still cannot
    block the run, and checked with ``fstat`` on the open descriptor, which is the
    file actually read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, f"{kind_of(mode)}, not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(fd)
