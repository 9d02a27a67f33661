"""Writing a run's changed files back: each one safely, and an account of all of them.

``fkit lint --fix`` and ``fkit upgrade --write`` both end here. A file that cannot be
written safely is left as it is and becomes one error line; the others are still
written, and a run that wrote only some says which (see :class:`WriteOutcome`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fastmcp_kit.atomic import WriteRefused, replace_file
from fastmcp_kit.problems import Problems, shown


@dataclass(frozen=True)
class PendingWrite:
    """New content for one file, and the bytes it held when read (None: fkit creates
    the file, so nothing may be there)."""

    path: Path
    data: bytes
    expected: bytes | None


@dataclass
class WriteOutcome:
    written: list[PendingWrite] = field(default_factory=list)
    refused: list[PendingWrite] = field(default_factory=list)

    def summary(self) -> str | None:
        """One line when some files were not written; None when all were."""
        if not self.refused:
            return None
        total = len(self.written) + len(self.refused)
        names = ", ".join(shown(write.path) for write in self.refused)
        return f"fkit: wrote {len(self.written)} of {total} changed file(s); not written: {names}"


def write_all(writes: Sequence[PendingWrite], problems: Problems) -> WriteOutcome:
    """Write every file that still holds what was read; report the others."""
    outcome = WriteOutcome()
    # A file reached under two names (a symlink or a hard link to it in the same tree)
    # is written once. Known by its inode, taken before the first write replaces one.
    identities = [_identity(write.path) for write in writes]
    done: dict[tuple[int, int], PendingWrite] = {}
    for write, identity in zip(writes, identities, strict=True):
        first = done.get(identity) if identity is not None else None
        if first is not None and (first.data, first.expected) == (write.data, write.expected):
            outcome.written.append(write)
            continue
        try:
            replace_file(write.path, write.data, write.expected)
        except WriteRefused as exc:
            problems.error(write.path, f"not written: {exc}")
            outcome.refused.append(write)
        else:
            if identity is not None:
                done[identity] = write
            outcome.written.append(write)
    return outcome


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None  # replace_file says what is wrong with it
    return info.st_dev, info.st_ino
