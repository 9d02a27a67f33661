"""Every rule's VALID and INVALID examples, run as tests (ids are the example slugs)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from fastmcp_kit.lint.engine import is_python
from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.rule import BaseRule, Invalid, Valid
from tests.helpers import lint_project, lint_text, write_tree

VALID = [
    pytest.param(rule, example, id=f"{code}-{example.slug}")
    for code, rule in all_rules().items()
    for example in rule.VALID
]
INVALID = [
    pytest.param(rule, example, id=f"{code}-{example.slug}")
    for code, rule in all_rules().items()
    for example in rule.INVALID
]


def _lint(
    rule: type[BaseRule],
    example: Valid,
    tmp_path: Path,
    fix: str = "none",
    source: str | None = None,
):
    if rule.is_project_rule():
        files = {**example.files, example.filename: example.source}
        return lint_project(
            rule, write_tree(tmp_path, files), example.filename, example.fastmcp_version
        )
    root = write_tree(tmp_path, dict(example.files)) if example.files else None
    return lint_text(
        rule,
        example.source if source is None else source,
        filename=example.filename,
        version=example.fastmcp_version,
        fix=fix,  # type: ignore[arg-type]
        root=root,
        mcp_version=example.mcp_version,
    )


def _codes(result) -> list[str]:
    return [v.code for v in result.violations]


@pytest.mark.parametrize(("rule", "example"), VALID)
def test_valid_example_is_not_flagged(rule: type[BaseRule], example: Valid, tmp_path: Path) -> None:
    result = _lint(rule, example, tmp_path)
    assert _codes(result) == [], [v.message for v in result.violations]


@pytest.mark.parametrize(("rule", "example"), INVALID)
def test_invalid_example_is_flagged(rule: type[BaseRule], example: Invalid, tmp_path: Path) -> None:
    result = _lint(rule, example, tmp_path)
    assert _codes(result) == [rule.code] * example.count, [v.message for v in result.violations]
    offers_fix = any(v.fix is not None for v in result.violations)
    assert offers_fix == (example.fixed is not None)
    if example.says is not None:
        assert all(example.says in v.message for v in result.violations), [
            v.message for v in result.violations
        ]


@pytest.mark.parametrize(("rule", "example"), [p for p in INVALID if p.values[1].fixed is not None])
def test_fix_produces_expected_code_that_is_clean_and_stable(
    rule: type[BaseRule], example: Invalid, tmp_path: Path
) -> None:
    result = _lint(rule, example, tmp_path, fix="unsafe")
    assert result.fixed_source == example.fixed_source
    if is_python(example.filename):
        cst.parse_module(result.fixed_source)  # the fix parses
    assert _codes(result) == []  # and no longer triggers
    again = _lint(rule, example, tmp_path, fix="unsafe", source=result.fixed_source)
    assert again.fixed_source is None  # a second pass changes nothing
