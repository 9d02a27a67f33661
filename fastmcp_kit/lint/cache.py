"""A result cache: a file whose bytes, fkit version, settings and target version
are unchanged since the last run gets its findings back without being parsed.

One JSON file per settings key under ``<root>/.fkit_cache/``. JSON, not pickle:
a cache folder can arrive with a cloned repository and must never run code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from fastmcp_kit import __version__
from fastmcp_kit.atomic import write_text_atomic
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


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def settings_key(fingerprint: str) -> str:
    return hashlib.sha256(f"{__version__}\0{fingerprint}".encode()).hexdigest()[:24]


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
        self.dirty = False
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: start afresh

    def get(self, path: str, digest: str) -> tuple[list[Violation], dict[str, list[Fact]]] | None:
        """The findings and project facts stored for this file's content, if any."""
        entry = self.entries.get(path)
        if entry is None or entry.get("hash") != digest:
            return None
        try:
            violations = [_from_json(item) for item in entry["violations"]]
            facts = {
                code: [_fact_from_json(item) for item in items]
                for code, items in entry.get("facts", {}).items()
            }
        except (KeyError, TypeError, ValueError):
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

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            marker = self.path.parent / ".gitignore"
            if not marker.exists():
                marker.write_text("# Created by fkit\n*\n", encoding="utf-8")
            write_text_atomic(self.path, json.dumps(self.entries), encoding="utf-8")
        except OSError:
            pass  # a read-only checkout still lints; it just is not cached
