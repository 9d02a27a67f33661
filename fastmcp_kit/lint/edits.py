"""Text edits in ruff's shape, derived from a before/after pair of sources."""

from __future__ import annotations

import difflib

from fastmcp_kit.lint.lines import split_lines
from fastmcp_kit.lint.violation import Edit, Location


def line_edits(before: str, after: str) -> tuple[Edit, ...]:
    """Line-granular edits turning ``before`` into ``after`` (end exclusive)."""
    old, new = split_lines(before, keepends=True), split_lines(after, keepends=True)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return tuple(
        Edit("".join(new[j1:j2]), Location(i1 + 1, 1), Location(i2 + 1, 1))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )
