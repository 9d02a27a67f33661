"""Writing files so that nothing of the user's is lost.

A user's file (:func:`replace_file`) is written only if its bytes on disk are still
the ones fkit read: an edit saved in the editor during a ``--fix`` run wins, and the
file is reported instead. It is replaced whole through a temporary file beside it
and a rename, so a crash leaves the old file or the new one, never half of either;
the rename keeps the permission bits and, where the process may set it, the owner.

Where a rename would lose something that belongs to the file rather than to its
content, the file is written in place instead (see :func:`_write_in_place`): a file
with several hard links (a rename would give only this name the fix and leave the
others with the old code) and a file whose owner the process cannot give the new
copy. A symlink is followed to the file it names: the link stays a link.

A file nobody may write (no write bit in its mode) is never rewritten, not even by
root, who ignores permission bits: the mode is how the user said "leave this alone".
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from fastmcp_kit.regular_files import kind_of, read_regular_file
from fastmcp_kit.temporaries import create_temporary, remove_stale_temporaries

CHANGED = "changed on disk since fkit read it; left as it is (run fkit again)"


class WriteRefused(Exception):
    """The file was left exactly as it was; the message says why, for the user."""


class _OwnerNotKept(Exception):
    """The process may not give the new copy the file's owner."""


def replace_file(path: Path, data: bytes, expected: bytes | None) -> None:
    """Give the file at ``path`` the content ``data`` if it still holds ``expected``
    (None: a file fkit creates, written only if nothing has taken its name since).

    Raises :class:`WriteRefused` when the file was left alone for a reason the user
    should hear (changed on disk, read-only, its folder read-only).
    """
    try:
        if expected is None:
            _create(path, data)
        else:
            _replace_existing(path, data, expected)
    except OSError as exc:
        raise WriteRefused(_reason(exc)) from None


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Replace one of fkit's own files (the cache) whole, keeping its permission bits.

    No checks: fkit owns the file. A symlink at ``path`` is replaced, not followed,
    so a link planted in a cloned cache folder cannot redirect the write.
    """
    try:
        info: os.stat_result | None = os.lstat(path)
    except FileNotFoundError:
        info = None
    kept = info if info is not None and stat.S_ISREG(info.st_mode) else None
    _swap_in(path, data, kept, keep_owner=False)


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """:func:`write_bytes_atomic` of text; newlines are written exactly as in ``text``."""
    write_bytes_atomic(path, text.encode(encoding))


def _replace_existing(path: Path, data: bytes, expected: bytes) -> None:
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        raise WriteRefused("deleted since fkit read it") from None
    if not stat.S_ISREG(info.st_mode):
        raise WriteRefused(f"now {kind_of(info.st_mode)}, not a regular file; left as it is")
    if info.st_mode & 0o222 == 0 or not os.access(target, os.W_OK):
        raise WriteRefused("read-only file; left as it is")
    if info.st_nlink > 1:
        _write_in_place(target, data, expected)
        return
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise WriteRefused(_READ_ONLY_FOLDER)
    try:
        _swap_in(target, data, info, expected)
    except _OwnerNotKept:
        _write_in_place(target, data, expected)


def _swap_in(
    target: Path,
    data: bytes,
    info: os.stat_result | None,
    expected: bytes | None = None,
    *,
    keep_owner: bool = True,
) -> None:
    """Temporary file, fsync, owner and mode, the check, then the atomic rename."""
    remove_stale_temporaries(target)
    # Private until it has the file's mode; a new file gets what the umask gives.
    fd, temporary = create_temporary(target, 0o600 if info is not None else 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if info is not None:
            if keep_owner:
                _keep_owner(temporary, info)
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
        # Checked last, just before the rename: the narrowest window an edit can slip in.
        if expected is not None and read_regular_file(target) != expected:
            raise WriteRefused(CHANGED)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _keep_owner(temporary: str, info: os.stat_result) -> None:
    """Give the new copy the file's owner and group; chown clears setuid bits, so this
    comes before the chmod."""
    mine = os.stat(temporary)
    uid = info.st_uid if info.st_uid != mine.st_uid else -1
    gid = info.st_gid if info.st_gid != mine.st_gid else -1
    if uid == -1 and gid == -1:
        return
    try:
        os.chown(temporary, uid, gid)
    except PermissionError:
        raise _OwnerNotKept from None


def _write_in_place(target: Path, data: bytes, expected: bytes) -> None:
    """Rewrite the file through the inode it is: every hard link sees the fix, and the
    owner, mode, ACLs and extended attributes stay as they are.

    Not atomic: a crash during the write can leave a file with the new content's
    start and the old content's end. fkit takes that risk only where the atomic
    rename would damage the file for certain (split its hard links, change its
    owner), and keeps it small: the comparison and the write go through one open
    descriptor, the new content is written with one call and then cut to length.
    """
    flags = os.O_RDWR | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(target, flags)
    with os.fdopen(fd, "r+b") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise WriteRefused(f"now {kind_of(mode)}, not a regular file; left as it is")
        if handle.read() != expected:
            raise WriteRefused(CHANGED)
        handle.seek(0)
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(fd)


def _create(path: Path, data: bytes) -> None:
    """A new file: ``O_EXCL`` so a file that appeared meanwhile is never overwritten,
    and the mode the user's umask gives new files. A crash can leave it half written,
    but it holds nothing of the user's."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:
        raise WriteRefused("created on disk since fkit looked; left as it is") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; some systems cannot open a folder: no matter."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_READ_ONLY_FOLDER = (
    "its folder is read-only (fkit writes a temporary file beside it); left as it is"
)


def _reason(exc: OSError) -> str:
    if exc.errno == errno.EROFS:
        return "read-only file system; left as it is"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied; left as it is"
    if exc.errno == errno.ENOSPC:
        return "no space left on the device; left as it is"
    return f"{exc.strerror or exc}; left as it is"
