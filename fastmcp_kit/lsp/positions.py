"""Between fkit's locations and LSP positions.

fkit counts 1-based rows and 1-based columns in characters (code points) of the text
the engine decoded. LSP counts 0-based lines, ended by ``\\n``, ``\\r\\n`` or ``\\r``
only (``str.splitlines`` also splits at form feeds and U+2028, which Python source
may hold), and columns in the code units the client negotiated: UTF-16 unless it
asked for UTF-8 or UTF-32.
"""

from __future__ import annotations

import bisect
import re

from lsprotocol import types

_LINE_END = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """Offsets, rows and LSP positions of one document's text.

    ``skip`` characters at the start (a byte-order mark) are in the document but not
    in the text the engine linted: its offsets and locations are shifted past them.
    """

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16, skip: int = 0):
        self.text = text
        self.encoding = encoding
        self.skip = skip
        self.starts = [0, *(match.end() for match in _LINE_END.finditer(text))]

    def _line_end(self, line: int) -> int:
        """The offset where ``line``'s content ends (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            return end - (2 if self.text[end - 2 : end] == "\r\n" else 1)
        return len(self.text)

    def _units(self, chars: str) -> int:
        if self.encoding == types.PositionEncodingKind.Utf8:
            return len(chars.encode("utf-8", "surrogatepass"))
        if self.encoding == types.PositionEncodingKind.Utf32:
            return len(chars)
        return len(chars.encode("utf-16-le", "surrogatepass")) // 2

    def position_at(self, offset: int) -> types.Position:
        """The LSP position of a document offset (clamped into the document)."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        end = self._line_end(line)
        return types.Position(line, self._units(self.text[self.starts[line] : min(offset, end)]))

    def offset_at(self, position: types.Position) -> int:
        """The document offset of an LSP position; past a line's end means its end."""
        if position.line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[position.line], self._line_end(position.line)
        units = 0
        for offset in range(start, end):
            if units >= position.character:
                return offset
            units += self._units(self.text[offset])
        return end

    def engine_offset(self, row: int, column: int) -> int:
        """The document offset of an engine location, clamped to its line."""
        if row < 1:
            return self.skip
        if row > len(self.starts):
            return len(self.text)
        start = self.starts[row - 1] + (self.skip if row == 1 else 0)
        return min(start + max(column - 1, 0), self._line_end(row - 1))

    def range_of(self, start: tuple[int, int], end: tuple[int, int]) -> types.Range:
        """The LSP range of an engine span (row, column) to (row, column), end exclusive."""
        first = self.engine_offset(*start)
        last = max(first, self.engine_offset(*end))
        return types.Range(self.position_at(first), self.position_at(last))

    def edit(self, before: str, after: str) -> types.TextEdit | None:
        """One edit turning the engine's text ``before`` (this document, less ``skip``)
        into ``after``: the span between their common prefix and suffix."""
        span = changed_span(before, after)
        if span is None:
            return None
        start, end, replacement = span
        return types.TextEdit(
            types.Range(self.position_at(self.skip + start), self.position_at(self.skip + end)),
            replacement,
        )


def changed_span(before: str, after: str) -> tuple[int, int, str] | None:
    """``(start, end, text)``: replacing ``before[start:end]`` with ``text`` gives
    ``after``; None when they are equal. The span never splits a ``\\r\\n``, which
    has no LSP position in its middle."""
    if before == after:
        return None
    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    if 0 < prefix < len(before) and before[prefix - 1 : prefix + 1] == "\r\n":
        prefix -= 1
    end = len(before) - suffix
    if 0 < end < len(before) and before[end - 1 : end + 1] == "\r\n":
        suffix -= 1
    return prefix, len(before) - suffix, after[prefix : len(after) - suffix]
