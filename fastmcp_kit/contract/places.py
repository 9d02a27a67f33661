"""Where a change shows in the head's source, for reporters that need a file and a
line (SARIF for GitHub code scanning, GitHub annotations): the server file, at the
function that defines the component when that file defines it, else its first line."""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path

from fastmcp_kit.contract.model import Change


@dataclass(frozen=True)
class SourcePlaces:
    # The server file, relative to the working folder, with "/" separators.
    file: str
    # Function name -> line of its `def` (FastMCP names a component after its function).
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, change: Change) -> int:
        return self.lines.get(change.component, 1)


def places(server_file: Path) -> SourcePlaces:
    """The places of ``server_file``; an unreadable file still gives line 1."""
    try:
        shown = Path(os.path.relpath(server_file)).as_posix()
    except ValueError:  # another drive (Windows)
        shown = server_file.as_posix()
    try:
        tree = ast.parse(server_file.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return SourcePlaces(shown)
    lines = {
        node.name: node.lineno
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    return SourcePlaces(shown, lines)
