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
