"""No input crashes fkit: code CPython refuses is one FMCP001 finding, deep code that
CPython accepts is analysed or reported as too deep, never an internal error."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastmcp_kit.lint.engine import LintSettings, lint_bytes
from fastmcp_kit.lint.python_check import bracket_depth
from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.rule import ProjectInfo
from fastmcp_kit.versions import NEWEST
from tests.helpers import run_cli, write_tree

SERVER = """\
from fastmcp import FastMCP

mcp = FastMCP("demo")


@mcp.tool
async def greet(name: str, ctx) -> str:
    await ctx.info(name)
    return name
"""


def _lint(source: str, fix: str = "none") -> list[tuple[str, str]]:
    settings = LintSettings(tuple(all_rules()), NEWEST, ProjectInfo(Path(".")), fix=fix)  # type: ignore[arg-type]
    result = lint_bytes(source.encode(), "server.py", settings)
    return [(v.code, v.message) for v in result.violations]


def test_nested_parentheses_beside_a_server_are_one_syntax_error(tmp_path: Path) -> None:
    # libcst's native parser overflowed its stack on this (exit 139, the run lost).
    deep = "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n"
    write_tree(tmp_path, {"deep.py": deep, "server.py": SERVER})
    result = run_cli(["lint", "--no-cache", "--output-format", "concise", "."], cwd=tmp_path)
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "deep.py:1:205: FMCP001 syntax error: too many nested parentheses" in lines
    assert next(line for line in lines if line.startswith("server.py")).split()[1] == "FMCP201"
    assert not [line for line in lines if "FMCP002" in line]


DEEP_VALID = {
    "long-sum": "y = " + "+".join(["1"] * 1000),
    "method-chain": "y = mcp" + ".f()" * 900,
    "attribute-chain": "y = a" + ".b" * 900,
    "nested-lists": "y = " + "[" * 190 + "]" * 190,
    "nested-parentheses": "y = " + "(" * 190 + "1" + ")" * 190,
    "nested-blocks": "".join("    " * i + "if x:\n" for i in range(90)) + "    " * 90 + "pass",
}


@pytest.mark.parametrize("body", DEEP_VALID.values(), ids=DEEP_VALID.keys())
@pytest.mark.parametrize("fix", ["none", "unsafe"])
def test_deep_valid_code_is_no_internal_error(body: str, fix: str) -> None:
    settings = LintSettings(tuple(all_rules()), NEWEST, ProjectInfo(Path(".")), fix=fix)  # type: ignore[arg-type]
    result = lint_bytes((SERVER + body + "\n").encode(), "server.py", settings)
    found = [(v.code, v.message) for v in result.violations]
    assert not [code for code, _ in found if code == "FMCP002"], found
    # Either analysed (FMCP201 found, or fixed, in the server part) or one clear finding.
    analysed = ("FMCP201" in {code for code, _ in found}) or result.fixed_source is not None
    assert analysed or found == [("FMCP001", "file too deeply nested to analyse")]


def test_code_the_compiler_gives_up_on_is_too_deep() -> None:
    found = _lint("y = " + "+".join(["1"] * 5000) + "\n")
    assert found == [
        ("FMCP001", "file too deeply nested to analyse (CPython's compiler gives up too)")
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("return 1\n", "'return' outside function"),
        ("def f(a, a):\n    pass\n", "duplicate argument 'a' in function definition"),
        ("nonlocal x\n", "nonlocal declaration not allowed at module level"),
        ("print 'hello'\n", "Missing parentheses in call to 'print'"),
        ("async def f():\n    yield from g()\n", "'yield from' inside async function"),
        ("for x in y:\n    pass\nbreak\n", "'break' outside loop"),
    ],
    ids=["return", "duplicate-argument", "nonlocal", "print-statement", "yield-from", "break"],
)
def test_code_cpython_refuses_to_compile_is_a_syntax_error(source: str, message: str) -> None:
    ((code, text),) = _lint(SERVER + source)
    assert code == "FMCP001" and text.startswith(f"syntax error: {message}")


def test_bracket_depth_counts_every_kind_of_bracket() -> None:
    assert bracket_depth("f([{}])\n(") == 3
    assert bracket_depth(")))(") == 1
