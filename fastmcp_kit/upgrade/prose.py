"""Which lines of a prose document (Markdown, reStructuredText, plain text) are
instructions a reader will run, and which are a record of the past.

A command rewrite (``fastmcp dev`` -> ``fastmcp dev inspector``) belongs in the first:
code blocks, command lines, inline code holding a whole command. A changelog, a dated
session note or a dated section says what was run then; rewriting it changes history.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

PROSE_SUFFIXES = frozenset({".md", ".mdx", ".rst", ".txt"})

# Files and folders that record history by name: CHANGELOG.md, HISTORY.rst, NEWS,
# RELEASE_NOTES.md, changes/1234.feature.md, changelog.d/...
_HISTORY_FILE = re.compile(
    r"^(?:change[s_-]?log|changes|history|news|release[s_-]?notes?)(?:\b|_|$)", re.I
)
_HISTORY_DIRS = frozenset(
    {"changelog", "changelog.d", "changes", "history", "release-notes", "release_notes"}
)
_DATE = r"(?:19|20)\d\d-[01]\d-[0-3]\d"
# "Date: 2025-11-30", "## Date: 2025-11-30", "| **Date** | 2025-12-09 |"
_DATE_FIELD = re.compile(rf"^[\s#>*|_-]*date\W[^\n]*{_DATE}", re.I)
_HEADING = re.compile(r"^(#{1,6})\s")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEAD_LINES = 15
# What may precede a command at the start of a line: list markers, quote marks,
# a shell prompt, a runner (uv run [--opts], uvx, pipx run, python -m).
_COMMAND_LINE = re.compile(
    r"^[\s>*+-]*(?:\d+[.)]\s+)?(?:\$\s+)?"
    r"(?:(?:uv\s+run|uvx|pipx\s+run|poetry\s+run|pdm\s+run|hatch\s+run)(?:\s+-\S+(?:\s+[^\s-]\S*)?)*\s+)?"
    r"fastmcp\s"
)
_INLINE_CODE = re.compile(r"(`+)(.+?)\1")
# `fastmcp dev` followed by a spec, a path or an option: a command, not its name.
_WITH_ARGUMENT = re.compile(r"\bfastmcp\s+dev\s+[\w./:-]")


def is_prose(path: Path) -> bool:
    return path.suffix.lower() in PROSE_SUFFIXES


def is_history(path: Path) -> bool:
    """A changelog, release notes or news file, or a file in such a folder."""
    if _HISTORY_FILE.match(path.name):
        return True
    return any(part.lower() in _HISTORY_DIRS for part in path.parts[:-1])


def is_dated(text: str) -> bool:
    """A dated note: a ``Date:`` field near the top (a dated heading dates only its
    section)."""
    return any(_DATE_FIELD.match(line) for line in text.splitlines()[:_HEAD_LINES])


def rewrite_instructions(text: str, path: Path, rewrite: Callable[[str], str]) -> str:
    """Apply ``rewrite`` to the instruction parts of a prose document: command lines,
    lines of fenced code blocks and inline code spans where the command has an
    argument; nothing in a history file, a dated note, or a section under a heading
    that carries a date."""
    if is_history(path) or is_dated(text):
        return text
    out: list[str] = []
    fenced = False
    dated_level = 0  # inside a dated section: the level of its heading
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
            out.append(line)
            continue
        heading = None if fenced else _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            if dated_level and level <= dated_level:
                dated_level = 0
            if not dated_level and re.search(_DATE, line):
                dated_level = level
        if dated_level:
            out.append(line)
        elif _COMMAND_LINE.match(line) or (fenced and _WITH_ARGUMENT.search(line)):
            out.append(rewrite(line))
        else:
            out.append(_INLINE_CODE.sub(lambda m: _span(m, rewrite), line))
    return "".join(out)


def _span(match: re.Match[str], rewrite: Callable[[str], str]) -> str:
    body = match.group(2)
    # a whole command, not the command's name in a sentence
    if _WITH_ARGUMENT.search(body):
        body = rewrite(body)
    return f"{match.group(1)}{body}{match.group(1)}"
