"""Settings the server reads that the environment lacks, judged against
``.env.example``. Only asked when the server failed: an unset optional variable
is not a problem, an unset one its error names is the likely cause."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

EXAMPLE = ".env.example"
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


def example_variables(project: Path) -> dict[str, int]:
    """Variable -> line number, for each ``NAME=`` line of ``.env.example``."""
    try:
        text = (project / EXAMPLE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    found: dict[str, int] = {}
    for row, line in enumerate(text.splitlines(), start=1):
        match = _ASSIGNMENT.match(line)
        if match:
            found.setdefault(match.group(1), row)
    return found


def missing_named(project: Path, error_text: str) -> Iterator[tuple[str, int]]:
    """Variables of ``.env.example`` that are unset (or empty) and that the error names."""
    for name, row in example_variables(project).items():
        if not os.environ.get(name) and re.search(rf"\b{re.escape(name)}\b", error_text):
            yield name, row
