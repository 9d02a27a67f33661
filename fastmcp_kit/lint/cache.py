"""A result cache: a file whose bytes, fkit version, settings and target version
are unchanged since the last run gets its findings back without being parsed.

One JSON file per settings key under ``<root>/.fkit_cache/``. JSON, not pickle:
a cache folder can arrive with a cloned repository and must never run code. The
file also keeps the last project pass (findings of the rules that judge the whole
project), keyed by every file's path and content. Each entry is stored as JSON text
with a checksum and parsed only when its file is looked up.

Nothing here imports libcst or a rule: a fully cached run must not pay for them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastmcp_kit import __version__
from fastmcp_kit.lint.violation import (
    Applicability,
    Edit,
    Fact,
    FixSummary,
    Location,
    Severity,
    Violation,
)
from fastmcp_kit.regular_files import read_regular_file

CACHE_DIR = ".fkit_cache"
# Bumped when the file's layout changes, so an older layout is never misread, and
# when a file's entry gains facts (5: what Python files tell project text rules).
CACHE_FORMAT = 5


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def settings_key(fingerprint: str) -> str:
    key = f"{__version__}\0{CACHE_FORMAT}\0{fingerprint}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


class _Damaged(ValueError):
    """A stored value of the wrong type: the entry is a miss."""


# What reading a damaged entry can raise; each makes that entry a miss, nothing more.
_UNREADABLE = (KeyError, TypeError, ValueError, AttributeError, RecursionError)


def _str(data: dict[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise _Damaged(key)
    return value


def _location(data: Any) -> Location:
    row, column = data["row"], data["column"]
    # bool is an int to isinstance, and a row of True sorts; it is still damage.
    if not all(type(value) is int for value in (row, column)):
        raise _Damaged("location")
    return Location(row, column)


def _to_json(violation: Violation) -> dict[str, Any]:
    data = asdict(violation)
    data["severity"] = violation.severity.value
    if violation.fix is not None:
        data["fix"]["applicability"] = violation.fix.applicability.value
    return data


def _from_json(data: dict[str, Any]) -> Violation:
    fix = data.get("fix")
    return Violation(
        code=_str(data, "code"),
        name=_str(data, "name"),
        message=_str(data, "message"),
        filename=_str(data, "filename"),
        location=_location(data["location"]),
        end_location=_location(data["end_location"]),
        severity=Severity(data["severity"]),
        fix=None
        if fix is None
        else FixSummary(
            Applicability(fix["applicability"]),
            _str(fix, "message"),
            tuple(
                Edit(_str(e, "content"), _location(e["location"]), _location(e["end_location"]))
                for e in _list(fix["edits"])
            ),
        ),
        source_line=_str(data, "source_line") if "source_line" in data else "",
    )


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Damaged("list")
    return value


def _fact_from_json(data: dict[str, Any]) -> Fact:
    location, end = data.get("location"), data.get("end_location")
    return Fact(
        data["data"],
        None if location is None else _location(location),
        None if end is None else _location(end),
    )


def _sealed(payload: Any) -> dict[str, str]:
    """A payload as JSON text with its checksum: damage anywhere in the text (a
    flipped bit, a hand edit) is seen on reading, in the parts no type check could
    judge too (a rule's facts)."""
    body = json.dumps(payload)
    return {"body": body, "check": _checksum(body)}


def _checksum(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _opened(entry: Any) -> Any:
    """The payload of a sealed entry; :class:`_Damaged` when its checksum fails."""
    body = entry["body"]
    if not isinstance(body, str) or entry.get("check") != _checksum(body):
        raise _Damaged("checksum")
    return json.loads(body)


class ResultCache:
    """One settings key's stored results. Every entry is checked when read: a damaged,
    truncated or wrong-typed one is a miss (the file is linted, and the entry written
    again), never an error, in this run or a later one."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.path = root / CACHE_DIR / f"{settings_key(fingerprint)}.json"
        self.entries: dict[str, Any] = {}
        self.project: dict[str, Any] = {}
        self.dirty = False
        try:
            loaded = json.loads(read_regular_file(self.path))
        except (OSError, *_UNREADABLE):
            return  # no cache yet, or a damaged one: start afresh
        if isinstance(loaded, dict):
            files, project = loaded.get("files"), loaded.get("project")
            self.entries = files if isinstance(files, dict) else {}
            self.project = project if isinstance(project, dict) else {}

    def get(self, path: str, digest: str) -> tuple[list[Violation], dict[str, list[Fact]]] | None:
        """The findings and project facts stored for this file's content, if any."""
        entry = self.entries.get(path)
        if not isinstance(entry, dict) or entry.get("hash") != digest:
            return None
        try:
            payload = _opened(entry)
            violations = [_from_json(item) for item in _list(payload["violations"])]
            facts = {
                _check_code(code): [_fact_from_json(item) for item in _list(items)]
                for code, items in payload["facts"].items()
            }
        except _UNREADABLE:
            return None
        return violations, facts

    def put(
        self, path: str, digest: str, violations: list[Violation], facts: dict[str, list[Fact]]
    ) -> None:
        payload = {
            "violations": [_to_json(v) for v in violations],
            "facts": {code: [asdict(f) for f in items] for code, items in facts.items()},
        }
        self.entries[path] = {"hash": digest, **_sealed(payload)}
        self.dirty = True

    def get_project(self, key: str) -> list[Violation] | None:
        """The project pass's findings for this key (see ``project_pass``), if stored."""
        if self.project.get("key") != key:
            return None
        try:
            return [_from_json(item) for item in _list(_opened(self.project))]
        except _UNREADABLE:
            return None

    def put_project(self, key: str, violations: list[Violation]) -> None:
        self.project = {"key": key, **_sealed([_to_json(v) for v in violations])}
        self.dirty = True

    def save(self) -> None:
        """Write the cache, if anything changed and fkit may write there; a folder
        fkit may not write (a read-only checkout) is linted all the same, uncached."""
        if not self.dirty:
            return
        from fastmcp_kit.atomic import write_bytes_atomic  # only writes pay for it

        folder = self.path.parent
        document = {"files": self.entries, "project": self.project}
        try:
            if not _may_write_in(folder if folder.is_dir() else folder.parent):
                return
            folder.mkdir(exist_ok=True)
            marker = folder / ".gitignore"
            if not marker.is_file():
                write_bytes_atomic(marker, b"# Created by fkit\n*\n")
            write_bytes_atomic(self.path, json.dumps(document).encode("utf-8"))
        except OSError:
            pass  # a full disk, a folder gone meanwhile: this run is just not cached


def _check_code(code: Any) -> str:
    if not isinstance(code, str):
        raise _Damaged("code")
    return code


def _may_write_in(folder: Path) -> bool:
    """Whether fkit may add files to ``folder``. A folder without any write bit is
    read-only by the user's choice, for root too, who ignores the bits."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return False
    return bool(mode & 0o222) and os.access(folder, os.W_OK | os.X_OK)


def cache_folder(root: Path, cwd: Path) -> Path:
    """Where a project's ``.fkit_cache`` goes: its root when a project file or a
    repository marks it; else (a folder linted with nothing above it) the working
    folder, and never a Python package's own folder, whose files the cache would
    then sit among (and be shipped with)."""
    from fastmcp_kit.workspace import has_project_file, is_repository_root

    if has_project_file(root) or is_repository_root(root):
        return root
    folder = cwd.resolve()
    while (folder / "__init__.py").is_file() and folder.parent != folder:
        folder = folder.parent
    return folder
