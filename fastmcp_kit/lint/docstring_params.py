"""The parameter names a docstring documents, in the three styles FastMCP (from 3.2,
through griffe) turns into parameter descriptions: Google (``Args:`` and its
synonyms), NumPy (``Parameters`` over a dashed line) and Sphinx (``:param x:``).

The parse is deliberately narrow: ``None`` means "no parameter section recognised",
so a rule comparing documented and undocumented parameters stays silent on prose.
"""

from __future__ import annotations

import re

_GOOGLE_HEADINGS = frozenset(
    {"args", "arguments", "parameters", "params", "keyword args", "keyword arguments"}
)
_GOOGLE_ENTRY = re.compile(r"^\*{0,2}(\w+)\s*(\([^)]*\))?\s*:")
_NUMPY_ENTRY = re.compile(r"^\*{0,2}(\w+)(\s*,\s*\*{0,2}\w+)*\s*(:.*)?$")
_SPHINX_PARAM = re.compile(r"^\s*:param(?:\s+[^:]*?)?\s+\*{0,2}(\w+)\s*:", re.MULTILINE)


def documented_parameters(docstring: str) -> set[str] | None:
    """The names a docstring's parameter sections document; None without such a section."""
    lines = docstring.expandtabs().splitlines()
    found: set[str] = set()
    recognised = False
    for names in (_google(lines), _numpy(lines)):
        if names is not None:
            recognised = True
            found |= names
    sphinx = set(_SPHINX_PARAM.findall(docstring))
    if sphinx:
        recognised = True
        found |= sphinx
    return found if recognised else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _google(lines: list[str]) -> set[str] | None:
    names: set[str] | None = None
    for index, line in enumerate(lines):
        heading = line.strip()
        if not heading.endswith(":") or heading[:-1].lower() not in _GOOGLE_HEADINGS:
            continue
        names = names if names is not None else set()
        base = _indent(line)
        entry_indent: int | None = None
        for entry in lines[index + 1 :]:
            if not entry.strip():
                continue
            depth = _indent(entry)
            if depth <= base:
                break
            if entry_indent is None:
                entry_indent = depth
            if depth == entry_indent:
                match = _GOOGLE_ENTRY.match(entry.strip())
                if match:
                    names.add(match.group(1))
    return names


def _numpy(lines: list[str]) -> set[str] | None:
    names: set[str] | None = None
    for index, line in enumerate(lines[:-1]):
        underline = lines[index + 1].strip()
        if line.strip().lower() not in ("parameters", "other parameters"):
            continue
        if not underline or set(underline) != {"-"}:
            continue
        names = names if names is not None else set()
        base = _indent(line)
        for position in range(index + 2, len(lines)):
            entry = lines[position]
            if not entry.strip() or _indent(entry) != base:
                continue  # blank, or a description line indented under its entry
            text = entry.strip()
            following = lines[position + 1].strip() if position + 1 < len(lines) else ""
            if following and set(following) == {"-"}:
                break  # the next section's heading
            match = _NUMPY_ENTRY.match(text)
            if match:
                names.update(n.strip(" *,") for n in text.split(":")[0].split(","))
    return names
