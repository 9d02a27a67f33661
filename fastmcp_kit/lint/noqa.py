"""``# noqa`` and ``# noqa: FMCP101, FMCP202`` suppression comments."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator, Mapping

from fastmcp_kit.lint.lines import split_lines

_NOQA = re.compile(
    r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE
)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)

Suppressions = Mapping[int, frozenset[str] | None]
"""Row -> the codes suppressed there, or None for a bare ``# noqa`` (everything)."""


def _comments(source: str) -> Iterator[tuple[int, str]]:
    try:
        for token in tokenize.generate_tokens(io.StringIO(source, newline="").readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        # Only reached for files libcst parsed but tokenize did not; fall back to lines.
        for row, line in enumerate(split_lines(source), start=1):
            if "#" in line:
                yield row, line[line.index("#") :]


def parse_suppressions(source: str) -> Suppressions:
    # Most files have no noqa at all: skip tokenizing them.
    if "noqa" not in source.lower():
        return {}
    found: dict[int, frozenset[str] | None] = {}
    for row, comment in _comments(source):
        match = _NOQA.search(comment)
        if match is None:
            continue
        codes = match.group("codes")
        found[row] = None if codes is None else frozenset(c.upper() for c in _CODE.findall(codes))
    return found


def is_suppressed(suppressions: Suppressions, row: int, code: str) -> bool:
    if row not in suppressions:
        return False
    codes = suppressions[row]
    return codes is None or code in codes


def _line_breaks(source: str) -> set[int] | None:
    """The rows a comment could end: those closed by a NEWLINE or NL token (not a
    row that ends inside a string or continues with a backslash); None when the
    source does not tokenize."""
    try:
        return {
            token.start[0]
            for token in tokenize.generate_tokens(io.StringIO(source).readline)
            if token.type in (tokenize.NEWLINE, tokenize.NL)
        }
    except (tokenize.TokenError, SyntaxError):
        return None


def add_noqa(source: str, row: int, code: str) -> str | None:
    """``source`` (Python) with ``code`` suppressed on ``row``: the ``# noqa: ...``
    there extended, else ``  # noqa: CODE`` added at the end of the line. None when
    no comment can end that line, or it is suppressed already."""
    lines = io.StringIO(source).readlines()
    breaks = _line_breaks(source)
    if breaks is None or row not in breaks or not 1 <= row <= len(lines):
        return None
    line = lines[row - 1]
    content = line.rstrip("\r\n")
    ending = line[len(content) :]
    comments = [c for r, c in _comments(source) if r == row]
    match = _NOQA.search(comments[0]) if comments else None
    if match is not None and match.group("codes") is None:
        return None  # a comment without codes already suppresses everything
    if match is not None:
        codes = match.group("codes")
        if code in {c.upper() for c in _CODE.findall(codes)}:
            return None
        at = content.rfind(comments[0]) + match.end("codes")
        content = f"{content[:at]}, {code}{content[at:]}"
    else:
        content = f"{content.rstrip()}  # noqa: {code}"
    lines[row - 1] = content + ending
    fixed = "".join(lines)
    return fixed if is_suppressed(parse_suppressions(fixed), row, code) else None
