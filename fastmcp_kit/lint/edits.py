"""Text edits in ruff's shape, derived from a before/after pair of sources."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from fastmcp_kit.lint.lines import split_lines
from fastmcp_kit.lint.violation import Edit, Location


def line_edits(before: str, after: str) -> tuple[Edit, ...]:
    """Line-granular edits turning ``before`` into ``after`` (end exclusive)."""
    old, new = split_lines(before, keepends=True), split_lines(after, keepends=True)
    # The lines both share at either end are left out of the (superlinear) matcher.
    top = 0
    while top < min(len(old), len(new)) and old[top] == new[top]:
        top += 1
    bottom = 0
    while bottom < min(len(old), len(new)) - top and old[-1 - bottom] == new[-1 - bottom]:
        bottom += 1
    old, new = old[top : len(old) - bottom], new[top : len(new) - bottom]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return tuple(
        Edit("".join(new[j1:j2]), Location(top + i1 + 1, 1), Location(top + i2 + 1, 1))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )


def apply_line_edits(before: str, edits: Sequence[Edit]) -> str:
    """The source that :func:`line_edits` edits describe: ``line_edits(a, b)``
    applied to ``a`` gives ``b``."""
    lines = split_lines(before, keepends=True)
    for edit in sorted(edits, key=lambda e: e.location.row, reverse=True):
        lines[edit.location.row - 1 : edit.end_location.row - 1] = [edit.content]
    return "".join(lines)
