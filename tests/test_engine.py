"""Engine behaviour that no single rule shows: crash isolation, robustness, fix loops."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings

from fastmcp_kit.lint import engine
from fastmcp_kit.lint.engine import LintSettings, lint_bytes
from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.rule import ProjectInfo, Rule
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.versions import NEWEST


class ExplodingRule(Rule):
    """Crashes on every function, to prove one rule cannot take a run down.

    ## What it does
    Nothing useful.

    ## Why is this bad?
    It is a test double.

    ## Fix safety
    No fix.
    """

    code = "FMCP999"
    severity = Severity.ERROR
    message = "never reported"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        raise ZeroDivisionError("boom")


@pytest.fixture
def with_exploding_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    rules = {**all_rules(), ExplodingRule.code: ExplodingRule}
    monkeypatch.setattr(engine, "all_rules", lambda: rules)
    yield


def _settings(*codes: str) -> LintSettings:
    return LintSettings(tuple(codes), NEWEST, ProjectInfo(Path(".")))


SERVER_WITH_FINDING = b"""\
from fastmcp import FastMCP, Image

mcp = FastMCP("demo")

def helper():
    return 1
"""


@pytest.mark.usefixtures("with_exploding_rule")
def test_a_crashing_rule_becomes_one_internal_error_finding() -> None:
    result = lint_bytes(SERVER_WITH_FINDING, "server.py", _settings("FMCP301", "FMCP999"))
    codes = [v.code for v in result.violations]
    # The other rule still reports; the crash is one FMCP002 naming rule and exception.
    assert sorted(codes) == ["FMCP002", "FMCP301"]
    internal = next(v for v in result.violations if v.code == "FMCP002")
    assert "FMCP999" in internal.message and "ZeroDivisionError" in internal.message


def test_syntax_error_is_a_finding_with_its_position() -> None:
    result = lint_bytes(b"x = 1\ndef broken(:\n", "bad.py", _settings("FMCP301"))
    (violation,) = result.violations
    assert violation.code == "FMCP001"
    assert violation.location.row == 2


@pytest.mark.parametrize(
    "path",
    [
        "wrappers/python-scrapy/{projectFolder}/main.template.py",
        "{{cookiecutter.project_slug}}/server.py",
        "generators/main.template.py",
        "gen/{{name}}.py",
    ],
)
def test_a_code_template_that_does_not_parse_is_not_a_finding(path: str) -> None:
    template = b"from {{spider_module_name}} import {{spider_class_name}}\n"
    assert lint_bytes(template, path, _settings("FMCP301"), path).violations == []


def test_a_code_template_that_parses_is_still_linted() -> None:
    path = "{{cookiecutter.project_slug}}/server.py"
    result = lint_bytes(SERVER_WITH_FINDING, path, _settings("FMCP301"), path)
    assert [v.code for v in result.violations] == ["FMCP301"]


def test_an_ordinary_file_with_braces_in_its_name_still_reports_syntax_errors() -> None:
    # Braces in the file's text, not in its path, make no template.
    result = lint_bytes(b"x = {{1}\n", "templates_util.py", _settings("FMCP301"))
    assert [v.code for v in result.violations] == ["FMCP001"]


def test_undecodable_file_is_a_finding() -> None:
    result = lint_bytes(b"name = '\xff\xfe'\n", "latin.py", _settings("FMCP301"))
    (violation,) = result.violations
    assert violation.code == "FMCP001" and "decode" in violation.message


def test_unsafe_fixes_are_not_applied_in_safe_mode() -> None:
    source = b"from datetime import datetime\nx = datetime.utcnow().timestamp()\n"
    safe = lint_bytes(
        source, "a.py", LintSettings(("FMCP901",), NEWEST, ProjectInfo(Path(".")), fix="safe")
    )
    assert safe.fixed_source is None and [v.code for v in safe.violations] == ["FMCP901"]
    unsafe = lint_bytes(
        source, "a.py", LintSettings(("FMCP901",), NEWEST, ProjectInfo(Path(".")), fix="unsafe")
    )
    assert unsafe.fixed_source is not None and unsafe.violations == []


def test_fixes_of_different_rules_combine_in_one_run() -> None:
    source = b"""\
from fastmcp import FastMCP, Image

mcp = FastMCP("demo")

@mcp.tool
async def t(ctx) -> str:
    await ctx.info("x")
    return "x"

mcp.run()
"""
    result = lint_bytes(
        source,
        "server.py",
        LintSettings(("FMCP102", "FMCP201", "FMCP301"), NEWEST, ProjectInfo(Path(".")), fix="safe"),
    )
    assert result.violations == []
    assert result.fixed_source is not None
    assert "from fastmcp.utilities.types import Image" in result.fixed_source
    assert "ctx: Context" in result.fixed_source
    assert 'if __name__ == "__main__":\n    mcp.run()' in result.fixed_source


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=hypothesmith.from_grammar())
def test_no_rule_crashes_on_any_valid_program(source: str) -> None:
    result = lint_bytes(source.encode("utf-8", "surrogatepass"), "fuzz.py", _settings(*all_rules()))
    assert not [v for v in result.violations if v.code == "FMCP002"], result.violations


def test_a_fix_with_several_replacements_applies_them_all() -> None:
    from fastmcp_kit.lint.engine import apply_fixes
    from fastmcp_kit.lint.rule import Fix

    module = cst.parse_module("f(a, b)\n")
    call = cst.ensure_type(
        cst.ensure_type(module.body[0], cst.SimpleStatementLine).body[0], cst.Expr
    ).value
    first, second = cst.ensure_type(call, cst.Call).args
    fix = Fix(
        "rename both",
        replacements=((first.value, cst.Name("x")), (second.value, cst.Name("y"))),
    )
    assert apply_fixes(module, [fix]).code == "f(x, y)\n"


def test_many_fixes_in_one_file_need_one_pass_each_not_one_pass_per_fix() -> None:
    # Twelve independent findings: more than MAX_FIX_PASSES if fixes went one a pass.
    lines = ["from fastmcp import FastMCP", "", 'mcp = FastMCP("demo")', ""]
    for n in range(12):
        lines += [
            "@mcp.tool",
            f"async def t{n}(ctx) -> str:",
            '    await ctx.info("x")',
            '    return "x"',
            "",
        ]
    source = "\n".join(lines).encode()
    settings = LintSettings(("FMCP201",), NEWEST, ProjectInfo(Path(".")), fix="safe")
    result = lint_bytes(source, "server.py", settings)
    assert result.violations == []
    assert result.fixed_source is not None and result.fixed_source.count("ctx: Context") == 12


def test_a_python_file_too_large_to_lint_is_one_finding_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "MAX_PYTHON_BYTES", 60)
    at_limit = b"x = 1\n" * 10
    assert lint_bytes(at_limit, "ok.py", _settings("FMCP301")).violations == []
    (violation,) = lint_bytes(at_limit + b"\n", "big.py", _settings("FMCP301")).violations
    assert violation.code == "FMCP001" and "too large" in violation.message
    # Other files are cheap to read: the limit is for the Python parser.
    assert lint_bytes(at_limit * 2, ".env", _settings("FMCP105")).violations == []
