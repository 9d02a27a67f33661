"""A fix that writes a name leaves the module importable: the name is bound where the
fix writes it (an import is added at module level), or the fix is withheld."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from fastmcp_kit.lint.engine import LintSettings, lint_bytes
from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.rule import ProjectInfo
from fastmcp_kit.versions import NEWEST


def _fix(source: str, *codes: str) -> tuple[str | None, list[str]]:
    settings = LintSettings(codes, NEWEST, ProjectInfo(Path(".")), fix="unsafe")
    result = lint_bytes(textwrap.dedent(source).encode(), "server.py", settings)
    return result.fixed_source, [v.code for v in result.violations]


def _undefined(source: str) -> set[str]:
    from pyflakes.api import check
    from pyflakes.reporter import Reporter

    class Collect(Reporter):  # type: ignore[misc]
        def __init__(self) -> None:
            self.messages: list[str] = []

        def flake(self, message: object) -> None:
            text = str(message)
            if "undefined name" in text:
                self.messages.append(text.split("undefined name ")[1])

        def syntaxError(self, *args: object) -> None:
            self.messages.append("<syntax error>")

    reporter = Collect()
    check(source, "server.py", reporter)
    return set(reporter.messages)


CASES = {
    "FMCP201-context-imported-in-another-function": (
        "FMCP201",
        """
        from fastmcp import FastMCP

        mcp = FastMCP("demo")


        def helper():
            from fastmcp import Context
            return Context


        @mcp.tool
        async def greet(name: str, ctx) -> str:
            await ctx.info(name)
            return name
        """,
        "from fastmcp import Context, FastMCP",
    ),
    "FMCP503-logging-imported-in-a-later-try": (
        "FMCP503",
        """
        from fastmcp import FastMCP
        from fastmcp.server.middleware.logging import LoggingMiddleware

        mcp = FastMCP("mw")
        mcp.add_middleware(LoggingMiddleware(level="INFO"))

        try:
            import logging
        except ImportError:
            pass
        """,
        "import logging",
    ),
    "FMCP310-create-proxy-imported-in-another-function": (
        "FMCP310",
        """
        from fastmcp import FastMCP


        def helper():
            from fastmcp.server import create_proxy
            return create_proxy


        proxy = FastMCP.as_proxy("http://localhost:8000/mcp", name="remote")
        """,
        "from fastmcp.server import create_proxy",
    ),
    "FMCP310-aliased-import-in-another-function": (
        "FMCP310",
        """
        from fastmcp import FastMCP


        def helper():
            from fastmcp.server import create_proxy as make
            return make


        proxy = FastMCP.as_proxy("http://localhost:8000/mcp", name="remote")
        """,
        "from fastmcp.server import create_proxy as make",
    ),
    "FMCP205-asyncio-imported-in-another-function": (
        "FMCP205",
        """
        import time
        from fastmcp import FastMCP

        mcp = FastMCP("demo")


        def helper():
            import asyncio
            return asyncio


        @mcp.tool
        async def wait() -> str:
            time.sleep(1)
            return "done"
        """,
        "import asyncio",
    ),
    "FMCP901-timezone-imported-in-another-function": (
        "FMCP901",
        """
        from datetime import datetime


        def helper():
            from datetime import timezone
            return timezone


        since = datetime.utcnow().timestamp()
        """,
        "from datetime import datetime, timezone",
    ),
}


@pytest.mark.parametrize(("code", "source", "import_line"), CASES.values(), ids=CASES.keys())
def test_fix_adds_a_module_level_import_when_the_name_is_bound_elsewhere_only(
    code: str, source: str, import_line: str
) -> None:
    fixed, _ = _fix(source, code)
    assert fixed is not None
    head = fixed.split("\n\n")[0].splitlines()
    assert import_line in head, fixed
    assert _undefined(fixed) <= _undefined(textwrap.dedent(source))
    compile(fixed, "server.py", "exec")


def test_name_bound_in_the_enclosing_function_needs_no_import() -> None:
    source = """
    from fastmcp import FastMCP
    from fastmcp.server.middleware.logging import LoggingMiddleware


    def build():
        import logging
        mcp = FastMCP("mw")
        mcp.add_middleware(LoggingMiddleware(level="INFO"))
        return mcp
    """
    fixed, _ = _fix(source, "FMCP503")
    assert fixed is not None and "log_level=logging.INFO" in fixed
    assert fixed.count("import logging") == 1
    assert _undefined(fixed) == set()


def test_fix_is_withheld_when_the_name_is_a_local_bound_only_later() -> None:
    source = """
    from fastmcp import FastMCP
    from fastmcp.server.middleware.logging import LoggingMiddleware


    def build():
        mcp = FastMCP("mw")
        mcp.add_middleware(LoggingMiddleware(level="INFO"))
        import logging
        return mcp, logging
    """
    fixed, codes = _fix(source, "FMCP503")
    assert fixed is None and codes == ["FMCP503"]


def test_fix_is_withheld_when_module_level_binds_the_name_to_something_else() -> None:
    source = """
    from fastmcp import FastMCP


    def helper():
        from fastmcp.server import create_proxy
        return create_proxy


    proxy = FastMCP.as_proxy("http://localhost:8000/mcp")
    create_proxy = None
    """
    fixed, codes = _fix(source, "FMCP310")
    assert fixed is None and codes == ["FMCP310"]


def test_annotation_is_evaluated_where_the_def_runs() -> None:
    # `Context` imported inside the tool's own body does not bind its annotation.
    source = """
    from fastmcp import FastMCP

    mcp = FastMCP("demo")


    @mcp.tool
    async def greet(name: str, ctx) -> str:
        from fastmcp import Context
        await ctx.info(name)
        return name
    """
    fixed, _ = _fix(source, "FMCP201")
    assert fixed is None or _undefined(fixed) == set()


FIXING_RULES = sorted(
    code
    for code, rule in all_rules().items()
    if any(example.fixed is not None for example in rule.INVALID)
)


@pytest.mark.parametrize("code", FIXING_RULES)
@pytest.mark.parametrize(
    "wrap", ["def", "if", "try", "class"], ids=["in-def", "in-if", "in-try", "in-class"]
)
def test_fixes_of_wrapped_examples_add_no_undefined_name(code: str, wrap: str) -> None:
    """Every rule's fixable INVALID example, its body moved into a block."""
    rule = all_rules()[code]
    for example in rule.INVALID:
        if example.fixed is None or not example.filename.endswith(".py"):
            continue
        wrapped = _wrap(example.source, wrap)
        fixed, _ = _fix(wrapped, code)
        if fixed is None:
            continue
        assert _undefined(fixed) <= _undefined(wrapped), (example.slug, fixed)
        compile(fixed, "server.py", "exec")


def _wrap(source: str, how: str) -> str:
    """Imports stay at the top (some move into the block: the hard case); the rest
    goes into a block."""
    lines = source.splitlines()
    imports = [line for line in lines if line.startswith(("import ", "from "))]
    rest = [line for line in lines if line not in imports]
    moved, kept = imports[len(imports) // 2 :], imports[: len(imports) // 2]
    header = {"def": "def build():", "if": "if True:", "try": "try:", "class": "class Holder:"}[how]
    body = [*moved, *rest] or ["pass"]
    block = [header, *("    " + line if line else "" for line in body)]
    if how == "try":
        block += ["except ImportError:", "    pass"]
    return "\n".join([*kept, "", *block]) + "\n"
