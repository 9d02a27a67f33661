"""Comparing two contracts: every rule over every matched component and schema place."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from fastmcp_kit.contract.model import Change, Contract, Level
from fastmcp_kit.contract.rules import all_rules
from fastmcp_kit.contract.schema import literal, validating
from fastmcp_kit.contract.sites import component_pairs, schema_sites

_ORDER = {Level.BREAKING: 0, Level.COMPATIBLE: 1, Level.INFO: 2}


def compare(base: Contract, head: Contract) -> list[Change]:
    """Every change from ``base`` to ``head``, breaking ones first."""
    rules = [rule() for rule in all_rules()]
    changes: list[Change] = []
    for rule in rules:
        changes.extend(rule.contract(base, head))
    for pair in component_pairs(base, head):
        for rule in rules:
            changes.extend(rule.component(pair))
        for site in schema_sites(pair):
            for rule in rules:
                changes.extend(rule.schema(site))
    changes = _note_renames(changes, base, head)
    return sorted(
        changes, key=lambda c: (_ORDER[c.level], c.kind, c.component, c.path, c.rule, c.message)
    )


def _note_renames(changes: list[Change], base: Contract, head: Contract) -> list[Change]:
    """A removed tool or parameter next to an added one with the same schema: a rename, probably."""
    notes: dict[int, str] = {}
    removed_tools = [i for i, c in enumerate(changes) if c.rule == "tool-removed"]
    added_tools = [c for c in changes if c.rule == "tool-added"]
    before = {t["name"]: t for t in base.get("tools", [])}
    after = {t["name"]: t for t in head.get("tools", [])}
    for i in removed_tools:
        old = before[changes[i].component]
        same = [
            c.component
            for c in added_tools
            if _same(old.get("inputSchema"), after[c.component].get("inputSchema"))
        ]
        if len(same) == 1:
            notes[i] = f"looks renamed to `{same[0]}` (same input schema)"
    for i, change in enumerate(changes):
        if change.rule != "parameter-removed":
            continue
        renamed = _renamed_parameter(change, changes, before, after)
        if renamed:
            notes[i] = f"looks renamed to `{renamed}` (same schema)"
    return [
        dataclasses.replace(c, notes=(*c.notes, notes[i])) if i in notes else c
        for i, c in enumerate(changes)
    ]


def _renamed_parameter(
    removed: Change,
    changes: Iterable[Change],
    before: dict[str, dict[str, Any]],
    after: dict[str, dict[str, Any]],
) -> str | None:
    """The one parameter added beside ``removed`` (same tool, same object) with its schema."""
    name = removed.message.split("`")[-2].rsplit(".", 1)[-1]
    candidates = []
    for change in changes:
        if (
            change.rule in ("required-parameter-added", "optional-parameter-added")
            and change.component == removed.component
            and change.path == removed.path
        ):
            added = change.message.split("`")[-2].rsplit(".", 1)[-1]
            old = _property(before[removed.component], removed.path, name)
            new = _property(after[removed.component], change.path, added)
            if old is not None and _same(old, new):
                candidates.append(added)
    return candidates[0] if len(candidates) == 1 else None


def _property(tool: dict[str, Any], path: str, name: str) -> object:
    """The schema of property ``name`` of the object at ``path`` (top-level only)."""
    if path != "inputSchema":
        return None
    properties = (tool.get("inputSchema") or {}).get("properties") or {}
    return properties.get(name)


def _same(a: object, b: object) -> bool:
    return a is not None and literal(validating(a)) == literal(validating(b))
