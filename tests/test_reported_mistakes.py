"""Every rule's ``reported_mistakes`` claim holds: linted with that rule alone on the
case's release, ``mistake.py`` gets a finding on its ``# MISTAKE`` line and
``near_miss.py`` gets none. ``docs/reported-mistakes.md`` is generated from the claims
(its freshness: ``test_rule_metadata.test_generated_docs_are_fresh``)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.reported_mistakes import ReportedMistake, reported_mistakes
from fastmcp_kit.lint.rule import BaseRule
from tests.helpers import lint_project

REPO = Path(__file__).resolve().parent.parent
CASES = {case.number: case for case in reported_mistakes(REPO)}
CLAIMS = [
    pytest.param(rule, number, id=f"{code}-{number}")
    for code, rule in all_rules().items()
    for number in rule.reported_mistakes
]


def _project(root: Path, case: ReportedMistake, filename: str) -> Path:
    root.mkdir()
    root.joinpath("pyproject.toml").write_text(
        "[project]\n"
        f'name = "recall-case-{case.number}"\n'
        'version = "0"\n'
        f'requires-python = "~={case.python_version}.0"\n'
        f'dependencies = ["fastmcp=={case.fastmcp_version}"]\n',
        encoding="utf-8",
    )
    shutil.copy(case.directory / filename, root / filename)
    return root


def test_there_are_cases_and_claims() -> None:
    assert len(CASES) >= 40
    assert len(CLAIMS) >= 30


@pytest.mark.parametrize(("rule", "number"), CLAIMS)
def test_claimed_case_is_caught_on_its_line_without_a_near_miss_alarm(
    rule: type[BaseRule], number: str, tmp_path: Path
) -> None:
    assert number in CASES, f"{rule.code} claims case {number}, which does not exist"
    case = CASES[number]
    assert case.source_visible, f"case {number} is marked not visible in source"
    root = _project(tmp_path / "mistake", case, "mistake.py")
    found = lint_project(rule, root, "mistake.py", case.fastmcp_version).violations
    line = case.mistake_line
    assert any(v.location.row <= line <= v.end_location.row for v in found), [
        (v.location.row, v.message) for v in found
    ]
    near = _project(tmp_path / "near", case, "near_miss.py")
    alarms = lint_project(rule, near, "near_miss.py", case.fastmcp_version).violations
    assert alarms == []


def test_every_case_recall_md_counts_as_caught_is_claimed() -> None:
    """RECALL.md (bench/recall/run.py, every rule) and the claims agree: a case caught
    there names a rule that claims it, so the catalogue cannot leave one out."""
    report = (REPO / "bench" / "recall" / "RECALL.md").read_text(encoding="utf-8")
    claimed: dict[str, set[str]] = {}
    for code, rule in all_rules().items():
        for number in rule.reported_mistakes:
            claimed.setdefault(number, set()).add(code)
    rows = re.findall(r"^\| (\d{3}) \|.*\| caught \| ([A-Z0-9, ]+) \|", report, re.MULTILINE)
    assert rows, "RECALL.md has no caught cases"
    unclaimed = [
        (number, codes)
        for number, codes in rows
        if not {code.strip() for code in codes.split(",")} & claimed.get(number, set())
    ]
    assert unclaimed == [], "add the case to the rule's `reported_mistakes`"
