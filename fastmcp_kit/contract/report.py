"""``fkit contract check`` output: text, json, sarif, github."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO

from fastmcp_kit.contract.model import Change, Level
from fastmcp_kit.contract.places import SourcePlaces

FORMATS = ("text", "json", "sarif", "github")
_WORD = {Level.BREAKING: "breaking", Level.COMPATIBLE: "compatible", Level.INFO: "info"}


def failing(changes: Sequence[Change]) -> list[Change]:
    """The breaking changes nothing allowed: any of them makes the check fail."""
    return [c for c in changes if c.level is Level.BREAKING and not c.allowed_by]


def summary(changes: Sequence[Change]) -> str:
    counts = Counter(c.level for c in changes)
    allowed = sum(1 for c in changes if c.allowed_by)
    parts = [f"{counts[level]} {_WORD[level]}" for level in Level]
    text = ", ".join(parts) + (f" ({allowed} breaking allowed)" if allowed else "")
    return text


def report(
    changes: Sequence[Change],
    base: str,
    head: str,
    fmt: str,
    out: TextIO,
    source: SourcePlaces | None = None,
) -> None:
    """Write ``changes`` in ``fmt``; ``source`` gives sarif and github a file and line."""
    if fmt == "sarif":
        _sarif(changes, base, head, out, source)
    elif fmt == "github":
        _github(changes, out, source)
    else:
        {"text": _text, "json": _json}[fmt](changes, base, head, out)


def _text(changes: Sequence[Change], base: str, head: str, out: TextIO) -> None:
    out.write(f"Contract of {head} against {base}:\n")
    width = max((len(c.rule) for c in changes), default=0)
    for change in changes:
        level = "allowed" if change.allowed_by else _WORD[change.level]
        out.write(f"  {level:<10} {change.rule:<{width}}  {change.message}\n")
        for note in change.notes:
            out.write(f"  {'':<10} {'':<{width}}  note: {note}\n")
        if change.allowed_by:
            out.write(f"  {'':<10} {'':<{width}}  allowed by {change.allowed_by}\n")
    if not changes:
        out.write("  no changes\n")
    out.write(f"{summary(changes)}.\n")
    breaking = failing(changes)
    if breaking:
        selector = breaking[0].selector
        out.write(
            "Clients written against the base may fail. To allow a change on purpose, name it "
            f'in pyproject.toml ([tool.fkit.contract] allow-breaking = ["{selector}"]) or in a '
            f"commit message after the base (fkit: allow-breaking {selector}).\n"
        )


def _json(changes: Sequence[Change], base: str, head: str, out: TextIO) -> None:
    document = {
        "base": base,
        "head": head,
        "breaking": len(failing(changes)),
        "changes": [c.to_json() for c in changes],
    }
    json.dump(document, out, indent=2)
    out.write("\n")


_SARIF_LEVEL = {Level.BREAKING: "error", Level.COMPATIBLE: "note", Level.INFO: "note"}


def _sarif(
    changes: Sequence[Change], base: str, head: str, out: TextIO, source: SourcePlaces | None
) -> None:
    from fastmcp_kit import __version__
    from fastmcp_kit.contract.rules import rule_by_id
    from fastmcp_kit.lint.rule_index import HOMEPAGE
    from fastmcp_kit.report.sarif import SCHEMA

    rules = rule_by_id()
    used = sorted({c.rule for c in changes})
    descriptors: list[dict[str, Any]] = [
        {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": rules[rule_id].summary()},
            "fullDescription": {"text": rules[rule_id].doc() or rules[rule_id].summary()},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rules[rule_id].level]},
            "helpUri": f"{HOMEPAGE}/blob/main/docs/contract-rules.md#{rule_id}",
        }
        for rule_id in used
    ]
    index = {rule_id: i for i, rule_id in enumerate(used)}
    results = [
        {
            "ruleId": c.rule,
            "ruleIndex": index[c.rule],
            "level": "note" if c.allowed_by else _SARIF_LEVEL[c.level],
            "message": {"text": " ".join([c.message, *(f"({n})" for n in c.notes)])},
            "locations": [_sarif_location(c, source)],
            "properties": {"level": c.level.value, "allowed_by": c.allowed_by},
        }
        for c in changes
    ]
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fkit contract",
                        "version": __version__,
                        "informationUri": HOMEPAGE,
                        "rules": descriptors,
                    }
                },
                "results": results,
                "properties": {"base": base, "head": head},
            }
        ],
    }
    json.dump(document, out, indent=2)
    out.write("\n")


def _sarif_location(change: Change, source: SourcePlaces | None) -> dict[str, Any]:
    """The component in the contract and, for code scanning (which needs a file), the
    server file at the function that defines it."""
    location: dict[str, Any] = {
        "logicalLocations": [
            {
                "name": change.component or "server",
                "fullyQualifiedName": f"{change.kind}:{change.component}:{change.path}",
                "kind": change.kind,
            }
        ]
    }
    if source is not None:
        location["physicalLocation"] = {
            "artifactLocation": {"uri": source.file, "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": source.line(change)},
        }
    return location


def _github(changes: Sequence[Change], out: TextIO, source: SourcePlaces | None) -> None:
    from fastmcp_kit.report.github import _escape_data, _escape_property

    for c in changes:
        if c.level is Level.INFO:
            continue
        command = "error" if c.level is Level.BREAKING and not c.allowed_by else "notice"
        properties = f"title={_escape_property(f'fkit contract ({c.rule})')}"
        if source is not None:
            properties += f",file={_escape_property(source.file)},line={source.line(c)}"
        text = " ".join([c.message, *(f"({n})" for n in c.notes)])
        if c.allowed_by:
            text += f" [allowed by {c.allowed_by}]"
        out.write(f"::{command} {properties}::{_escape_data(text)}\n")
