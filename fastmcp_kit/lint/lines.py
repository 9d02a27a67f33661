"""Lines as Python's tokenizer counts them.

``str.splitlines`` also breaks at ``\\f``, ``\\v``, ``\\x1c``-``\\x1e``, ``\\x85``,
U+2028 and U+2029; Python ends a line only at ``\\r\\n``, ``\\r`` or ``\\n``. Any row
that libcst, ``ast`` or ``tokenize`` reports must be looked up with these lines, or a
file with a form feed or a Unicode line separator in a string or comment gets its
fixes and displayed lines shifted.
"""

from __future__ import annotations

import re

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_END = re.compile(r"(?:\r\n|\r|\n)\Z")


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """``text.splitlines(keepends)``, breaking only where Python breaks lines."""
    lines = _LINE.findall(text)
    if keepends:
        return lines
    return [_END.sub("", line) for line in lines]
