"""A finding's fix preview rebuilds only the replaced nodes' ancestors; it must give
exactly the code the full transform (what ``--fix`` applies) gives."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from bench.corpus import generate
from fastmcp_kit.lint import engine, fixes
from fastmcp_kit.lint.edits import line_edits
from fastmcp_kit.lint.rebuild import replace_nodes
from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.rule import Fix
from tests.helpers import lint_text, run_cli

FIXABLE = [
    pytest.param(rule, example, id=f"{code}-{example.slug}")
    for code, rule in all_rules().items()
    for example in rule.INVALID
    if example.fixed is not None
    and example.filename.endswith(".py")
    and not example.files
    and not rule.is_project_rule()
]


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, object]]:
    """(preview edits, edits of the full transform) for every fix the engine previews."""
    seen: list[tuple[object, object]] = []
    original = engine.preview_edits

    def both(
        module: cst.Module,
        lines: list[str],
        positions: object,
        fix: Fix,
        first_party: frozenset[str] = frozenset(),
    ) -> object:
        preview = original(module, lines, positions, fix, first_party)  # type: ignore[arg-type]
        applied = engine.apply_fixes(module, [fix], first_party).code
        seen.append((preview, line_edits("".join(lines), applied)))
        return preview

    monkeypatch.setattr(engine, "preview_edits", both)
    return seen


@pytest.mark.parametrize(("rule", "example"), FIXABLE)
def test_preview_equals_the_applied_fix_on_rule_examples(
    rule: type, example: object, previews: list[tuple[object, object]]
) -> None:
    lint_text(rule, example.source, filename=example.filename, version=example.fastmcp_version)  # type: ignore[attr-defined]
    assert previews
    for preview, applied in previews:
        assert preview == applied


def test_preview_equals_the_applied_fix_on_a_generated_corpus(
    tmp_path: Path, previews: list[tuple[object, object]]
) -> None:
    # Each project is linted for the release it pins: 30 projects give enough fixes.
    generate(tmp_path, seed=5, projects=30)
    result = run_cli(["lint", "--select", "ALL", "--no-cache", "--jobs", "1", "."], cwd=tmp_path)
    assert result.exit_code == 1
    assert len(previews) >= 3
    for preview, applied in previews:
        assert preview == applied


def test_replacing_nested_nodes_is_left_to_the_transform() -> None:
    module = cst.parse_module("x = f(g(1))\n")
    statement = module.body[0]
    assert isinstance(statement, cst.SimpleStatementLine)
    assign = statement.body[0]
    assert isinstance(assign, cst.Assign) and isinstance(assign.value, cst.Call)
    inner = assign.value.args[0].value
    replacements = {id(assign.value): cst.Name("a"), id(inner): cst.Name("b")}
    assert replace_nodes(module, replacements) is None
    only_inner = replace_nodes(module, {id(inner): cst.Name("b")})
    assert only_inner is not None and only_inner.code == "x = f(b)\n"
    assert module.code == "x = f(g(1))\n"  # the original is untouched


HEADS = {
    "docstring-and-imports": '"""Doc."""\nimport os\nfrom fastmcp import FastMCP\n\nmcp = FastMCP("x")\n',
    "future-import": "from __future__ import annotations\n\nimport os\n\n\ndef f():\n    import sys\n",
    "no-imports": "x = 1\ny = 2\n",
    "only-imports": "import os\nfrom fastmcp import Context\n",
    "empty": "",
    "comment-before-code": "import os\n# a comment\nx = 1\n",
    "semicolon-imports": "import os; import sys\nfrom fastmcp import FastMCP\nx = 1\n",
    "strict-flag": "__strict__ = True\nimport os\nx = 1\n",
    "imports-after-code": "x = 1\nimport os\nfrom fastmcp import FastMCP\n",
    "existing-from-import": "from fastmcp import FastMCP\nfrom os import path\n\nmcp = FastMCP()\n",
}
IMPORTS = [
    [("fastmcp", "Context", None)],
    [("fastmcp", "FastMCP", None), ("os", None, None)],
    [("fastmcp.utilities.types", "Image", "Img")],
]


@pytest.mark.parametrize("imports", IMPORTS, ids=lambda specs: specs[0][1] or specs[0][0])
@pytest.mark.parametrize("name", sorted(HEADS))
def test_imports_added_to_the_head_equal_libcsts_whole_module_visit(
    name: str, imports: list[tuple[str, str | None, str | None]]
) -> None:
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    def visitor() -> AddImportsVisitor:
        context = CodemodContext()
        for module_name, obj, alias in imports:
            AddImportsVisitor.add_needed_import(context, module_name, obj, alias)
        return AddImportsVisitor(context)

    module = cst.parse_module(HEADS[name])
    expected = module.visit(visitor())
    assert fixes.with_imports(module, visitor()).code == expected.code
