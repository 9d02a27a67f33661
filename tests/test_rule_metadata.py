"""Every rule is complete and consistent; generated docs are fresh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fastmcp_kit.lint.docs import generated_files, missing_headings, rule_page
from fastmcp_kit.lint.registry import CODE_PATTERN, all_rules
from fastmcp_kit.lint.rule import Rule
from fastmcp_kit.versions import newest_matching

REPO = Path(__file__).resolve().parent.parent
RULES = [pytest.param(rule, id=code) for code, rule in all_rules().items()]


def test_rules_are_discovered() -> None:
    assert len(all_rules()) >= 7


@pytest.mark.parametrize("rule", RULES)
def test_rule_metadata_is_complete(rule: type[Rule]) -> None:
    assert CODE_PATTERN.fullmatch(rule.code)
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", rule.name())
    # ruff's naming convention: the name describes the flagged pattern.
    assert not rule.name().startswith(("no-", "use-", "avoid-"))
    assert rule.summary() and not rule.summary().endswith(" ")
    assert missing_headings(rule) == []
    assert rule.VALID and rule.INVALID, "every rule needs both kinds of examples"
    assert all(1 <= n <= 30 for n in rule.documented_errors)
    assert newest_matching(rule.version_spec()) is not None, "applies to no known release"
    slugs = [example.slug for example in (*rule.VALID, *rule.INVALID)]
    assert len(slugs) == len(set(slugs)), "example slugs become test ids"
    if rule.fix_title is not None:
        assert rule.fix_availability() != "never", "a fix title without a fixed example"


@pytest.mark.parametrize("rule", RULES)
def test_rule_module_is_named_after_its_code(rule: type[Rule]) -> None:
    module = rule.__module__.rsplit(".", 1)[1]
    assert module.startswith(rule.code.lower() + "_")


@pytest.mark.parametrize("rule", RULES)
def test_rule_page_has_ruff_headings_in_order(rule: type[Rule]) -> None:
    page = rule_page(rule)
    headings = re.findall(r"^## (.+)$", page, flags=re.MULTILINE)
    expected = ["What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"]
    assert [h for h in headings if h in expected] == expected
    assert rule.INVALID[0].source.strip() in page


def test_generated_docs_are_fresh() -> None:
    stale = [
        str(path.relative_to(REPO))
        for path, content in generated_files(REPO).items()
        if not path.exists() or path.read_text(encoding="utf-8") != content
    ]
    assert stale == [], "run `python scripts/generate_docs.py`"


def test_first_seven_documented_errors_are_covered() -> None:
    covered = {n for rule in all_rules().values() for n in rule.documented_errors}
    assert {1, 3, 4, 5, 14, 15, 28} <= covered


def test_documented_errors_table_lists_all_thirty_and_explains_the_gaps() -> None:
    from fastmcp_kit.lint.documented_errors import DOCUMENTED_ERRORS

    assert [e.number for e in DOCUMENTED_ERRORS] == list(range(1, 31))
    covered = {n for rule in all_rules().values() for n in rule.documented_errors}
    for error in DOCUMENTED_ERRORS:
        # Every error is either covered by a rule or says why source cannot show it.
        assert error.number in covered or error.not_lintable, f"E{error.number}"
