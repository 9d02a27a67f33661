"""PEP 723 inline script metadata: a single-file server that says what it runs on.

``uv run server.py`` (and ``fastmcp run`` through uv) installs what the script's own
``# /// script`` block declares, whatever the folder around it pins, and ``uv lock
--script server.py`` records it in ``server.py.lock``. Such a file is a project of its
own for version purposes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# The reference regular expression from PEP 723.
_BLOCK = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
# Reading a whole large file to find a block that is nearly always at the top is waste;
# the block must start within this many bytes to count.
_HEAD_BYTES = 64 * 1024


def script_dependencies(path: Path) -> list[str] | None:
    """The ``dependencies`` of the file's ``script`` block, None without a (valid) one."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError:
        return None
    if b"# /// script" not in head:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    blocks = [m for m in _BLOCK.finditer(text) if m.group("type") == "script"]
    if len(blocks) != 1:  # PEP 723: more than one script block is an error; ignore it
        return None
    content = "".join(
        line[2:] if line.startswith("# ") else line[1:]
        for line in blocks[0].group("content").splitlines(keepends=True)
    )
    try:
        metadata: dict[str, Any] = tomllib.loads(content)
    except tomllib.TOMLDecodeError:
        return None
    dependencies = metadata.get("dependencies", [])
    if not isinstance(dependencies, list):
        return None
    return [str(item) for item in dependencies if isinstance(item, str)]


def script_lock(path: Path) -> Path | None:
    """``server.py.lock``, written by ``uv lock --script server.py``."""
    lock = path.with_name(path.name + ".lock")
    return lock if lock.is_file() else None
