"""A JSON list of findings with ruff's field names."""

from __future__ import annotations

import json
from typing import Any, TextIO

from fastmcp_kit.lint.rule_index import rule_url
from fastmcp_kit.report import LintReport


def violation_json(v: Any) -> dict[str, Any]:
    found = {
        "code": v.code,
        "name": v.name,
        "message": v.message,
        "severity": v.severity.value,
        "filename": v.filename,
        "location": v.location.to_json(),
        "end_location": v.end_location.to_json(),
        "noqa_row": v.location.row,
        "fix": None if v.fix is None else v.fix.to_json(),
        "url": rule_url(v.code),
    }
    if getattr(v, "hint", ""):  # fkit doctor's findings: what to do, with no fix to apply
        found["hint"] = v.hint
    return found


def report(lint: LintReport, out: TextIO) -> None:
    json.dump([violation_json(v) for v in lint.violations], out, indent=2)
    out.write("\n")
