"""Contract rules: every example of every rule, the catalogue's shape, and the
comparison of real contracts FastMCP 2.14.7, 3.4.11 and 4.2.3 wrote
(tests/fixtures/contract/)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fastmcp_kit.contract.compare import compare
from fastmcp_kit.contract.model import Level
from fastmcp_kit.contract.rules import all_rules
from fastmcp_kit.contract.rules.base import ContractRule, Example

FIXTURES = Path(__file__).parent / "fixtures" / "contract"
EXAMPLES = [
    pytest.param(
        rule, example, id=f"{rule.id}-{'fires' if example.fires else 'quiet'}-{example.slug}"
    )
    for rule in all_rules()
    for example in rule.examples
]


@pytest.mark.parametrize(("rule", "example"), EXAMPLES)
def test_rule_example(rule: type[ContractRule], example: Example) -> None:
    changes = compare(example.base, example.head)
    mine = [c for c in changes if c.rule == rule.id]
    if example.fires:
        assert mine, [(c.rule, c.message) for c in changes]
        assert all(c.level is rule.level for c in mine)
    else:
        assert not mine, [c.message for c in mine]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_rule_is_documented_and_tested(rule: type[ContractRule]) -> None:
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id)
    assert rule.summary() and rule.summary()[0].isupper()
    assert any(example.fires for example in rule.examples), "needs an example that fires"


def test_rule_ids_are_unique() -> None:
    ids = [rule.id for rule in all_rules()]
    assert len(ids) == len(set(ids))


def test_every_breaking_rule_has_a_quiet_example() -> None:
    missing = [
        rule.id
        for rule in all_rules()
        if rule.level is Level.BREAKING
        and not any(not e.fires for e in rule.examples)
        and rule.id not in {"resource-uri-changed", "output-type-changed", "capability-removed"}
    ]
    assert not missing


def _load(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((FIXTURES / f"sample-{name}.json").read_text())


def _found(base: str, head: str) -> set[tuple[str, str, str]]:
    return {(c.rule, c.component, c.path) for c in compare(_load(base), _load(head))}


def test_same_contract_has_no_changes() -> None:
    for name in ("2.14.7", "3.4.11", "4.2.3"):
        assert compare(_load(name), _load(name)) == []


def test_fastmcp_upgrades_break_nothing_in_tools() -> None:
    # The same server under the next release: schemas differ in form only.
    for base, head in (("2.14.7", "3.4.11"), ("3.4.11", "4.2.3")):
        changes = compare(_load(base), _load(head))
        tool_breaks = [c for c in changes if c.level is Level.BREAKING and c.kind != "server"]
        assert tool_breaks == [], [c.message for c in tool_breaks]
    # 3.x announces `tasks`-less capabilities and closes every tool's arguments.
    upgrade = _found("2.14.7", "3.4.11")
    assert ("arguments-closed", "scalars", "inputSchema") in upgrade
    assert ("capability-removed", "", "capabilities.tasks") in upgrade


def test_real_changes_are_classified() -> None:
    changes = compare(_load("4.2.3"), _load("4.2.3-changed"))
    found = {(c.rule, c.component, c.path) for c in changes}
    expected = {
        ("parameter-removed", "scalars", "inputSchema"),
        ("required-parameter-added", "scalars", "inputSchema"),
        ("parameter-type-narrowed", "scalars", "inputSchema.label"),
        ("enum-value-removed", "choices", "inputSchema.mode"),
        ("enum-value-added", "choices", "inputSchema.color"),
        ("parameter-made-required", "choices", "inputSchema"),
        ("required-parameter-added", "nested", "inputSchema.person.address"),
        ("required-parameter-added", "nested", "inputSchema.people[].address"),
        ("output-property-added", "nested", "outputSchema.address"),
        ("constraint-tightened", "constrained", "inputSchema.n"),
        ("read-only-hint-removed", "constrained", "annotations.readOnlyHint"),
        ("destructive-hint-added", "constrained", "annotations.destructiveHint"),
        # The recursive model ($defs/$ref) gained an optional field.
        ("optional-parameter-added", "recursive", "inputSchema.tree"),
        ("tool-removed", "nothing", ""),
        ("tool-added", "nothing_at_all", ""),
        ("uri-template-changed", "users://{user_id}/profile", ""),
        ("mime-type-changed", "config://app", ""),
        ("prompt-argument-required-added", "summarize", ""),
    }
    assert expected <= found, sorted(expected - found)
    # Nothing beyond what the change made: no unclassified fallbacks, no moved template
    # reported as removed and added.
    rules = {c.rule for c in changes}
    assert not rules & {"parameter-schema-changed", "output-schema-changed"}
    assert not rules & {"resource-template-removed", "resource-template-added"}
    notes = {c.component: c.notes for c in changes if c.notes}
    assert notes["nothing"] == ("looks renamed to `nothing_at_all` (same input schema)",)
    assert notes["scalars"] == ("looks renamed to `x` (same schema)",)


def test_rules_page_is_current() -> None:
    from fastmcp_kit.contract.docs import rules_page

    page = Path(__file__).parent.parent / "docs" / "contract-rules.md"
    assert page.read_text(encoding="utf-8") == rules_page(), "run scripts/generate_docs.py"
    for rule in all_rules():
        assert f"### {rule.id}\n" in rules_page()


def test_one_line_per_change_for_hints_and_titles() -> None:
    from fastmcp_kit.contract.rules.base import tool, tools

    # What prometheus-mcp-server 1.4.0 did: read-only hint and a title in annotations.
    base = tools(tool("q"))
    head = tools(tool("q", title="Query", annotations={"readOnlyHint": True, "title": "Query"}))
    changes = [(c.rule, c.message) for c in compare(base, head)]
    assert changes == [
        ("hints-safer", "tool `q`: now `readOnlyHint: true`"),
        ("title-changed", 'tool `q`: title "Query" added'),
    ]
