"""SARIF 2.1.0, the format GitHub code scanning and most IDEs read."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TextIO

from fastmcp_kit import __version__
from fastmcp_kit.lint.registry import ENGINE_CODES
from fastmcp_kit.lint.rule_index import HOMEPAGE, rule_index, rule_url
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.report import LintReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_descriptors() -> list[dict[str, Any]]:
    descriptors: list[dict[str, Any]] = [
        {
            "id": code,
            "name": name,
            "shortDescription": {"text": summary},
            "helpUri": rule_url(code),
            "defaultConfiguration": {"level": "error"},
        }
        for code, (name, summary) in ENGINE_CODES.items()
    ]
    # From the rule index: a cached run reports without importing a rule.
    for rule in rule_index().values():
        descriptors.append(
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.doc},
                "helpUri": rule_url(rule.code),
                "defaultConfiguration": {"level": _LEVEL[Severity(rule.severity)]},
                "properties": {
                    "fastmcp_versions": rule.fastmcp_versions or "all",
                    "documented_errors": list(rule.documented_errors),
                    "fix": rule.fix,
                },
            }
        )
    return descriptors


def report(lint: LintReport, out: TextIO) -> None:
    descriptors = _rule_descriptors()
    # Findings that are not lint rules (`fkit upgrade` codemods) get a minimal descriptor.
    for v in lint.violations:
        if all(descriptor["id"] != v.code for descriptor in descriptors):
            descriptors.append({"id": v.code, "name": v.name, "shortDescription": {"text": v.name}})
    index = {descriptor["id"]: position for position, descriptor in enumerate(descriptors)}
    results = [
        {
            "ruleId": v.code,
            "ruleIndex": index[v.code],
            "level": _LEVEL[v.severity],
            "message": {"text": v.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": v.filename, "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": v.location.row,
                            "startColumn": v.location.column,
                            "endLine": v.end_location.row,
                            "endColumn": v.end_location.column,
                        },
                    }
                }
            ],
        }
        for v in lint.violations
    ]
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "fkit",
                        "version": __version__,
                        "informationUri": HOMEPAGE,
                        "rules": descriptors,
                    }
                },
                "results": results,
                # What the run assumed, per project: the versions and their sources.
                "properties": {
                    "projects": [dataclasses.asdict(project) for project in lint.projects],
                    "notes": list(lint.notes),
                },
            }
        ],
    }
    json.dump(document, out, indent=2)
    out.write("\n")
