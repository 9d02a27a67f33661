"""A result cache: a file whose bytes, fkit version, settings and target version
are unchanged since the last run gets its findings back without being parsed.

One JSON file per settings key under ``<root>/.fkit_cache/``. JSON, not pickle:
a cache folder can arrive with a cloned repository and must never run code. The
file also keeps the last project pass (findings of the rules that judge the whole
project), keyed by every file's path and content.

Nothing here imports libcst or a rule: a fully cached run must not pay for them.
"""

from __future__ import annotations

import hashlib
import json
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

CACHE_DIR = ".fkit_cache"
# Bumped when the file's layout changes, so an older layout is never misread.
CACHE_FORMAT = 3


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def settings_key(fingerprint: str) -> str:
    key = f"{__version__}\0{CACHE_FORMAT}\0{fingerprint}"
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def _location(data: dict[str, int]) -> Location:
    return Location(data["row"], data["column"])


def _to_json(violation: Violation) -> dict[str, Any]:
    data = asdict(violation)
    data["severity"] = violation.severity.value
    if violation.fix is not None:
        data["fix"]["applicability"] = violation.fix.applicability.value
    return data


def _from_json(data: dict[str, Any]) -> Violation:
    fix = data.get("fix")
    return Violation(
        code=data["code"],
        name=data["name"],
        message=data["message"],
        filename=data["filename"],
        location=_location(data["location"]),
        end_location=_location(data["end_location"]),
        severity=Severity(data["severity"]),
        fix=None
        if fix is None
        else FixSummary(
            Applicability(fix["applicability"]),
            fix["message"],
            tuple(
                Edit(e["content"], _location(e["location"]), _location(e["end_location"]))
                for e in fix["edits"]
            ),
        ),
        source_line=data.get("source_line", ""),
    )


def _fact_from_json(data: dict[str, Any]) -> Fact:
    location, end = data.get("location"), data.get("end_location")
    return Fact(
        data["data"],
        None if location is None else _location(location),
        None if end is None else _location(end),
    )


class ResultCache:
    def __init__(self, root: Path, fingerprint: str) -> None:
        self.path = root / CACHE_DIR / f"{settings_key(fingerprint)}.json"
        self.entries: dict[str, dict[str, Any]] = {}
        self.project: dict[str, Any] = {}
        self.dirty = False
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
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
            violations = [_from_json(item) for item in entry["violations"]]
            facts = {
                code: [_fact_from_json(item) for item in items]
                for code, items in entry.get("facts", {}).items()
            }
        except (KeyError, TypeError, ValueError, AttributeError):
            return None
        return violations, facts

    def put(
        self, path: str, digest: str, violations: list[Violation], facts: dict[str, list[Fact]]
    ) -> None:
        self.entries[path] = {
            "hash": digest,
            "violations": [_to_json(v) for v in violations],
            "facts": {code: [asdict(f) for f in items] for code, items in facts.items()},
        }
        self.dirty = True

    def get_project(self, key: str) -> list[Violation] | None:
        """The project pass's findings for this key (see ``project_pass``), if stored."""
        if self.project.get("key") != key:
            return None
        try:
            return [_from_json(item) for item in self.project["violations"]]
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def put_project(self, key: str, violations: list[Violation]) -> None:
        self.project = {"key": key, "violations": [_to_json(v) for v in violations]}
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        from fastmcp_kit.atomic import write_text_atomic  # tempfile: only writes pay it

        document = {"files": self.entries, "project": self.project}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            marker = self.path.parent / ".gitignore"
            if not marker.exists():
                marker.write_text("# Created by fkit\n*\n", encoding="utf-8")
            write_text_atomic(self.path, json.dumps(document), encoding="utf-8")
        except OSError:
            pass  # a read-only checkout still lints; it just is not cached
