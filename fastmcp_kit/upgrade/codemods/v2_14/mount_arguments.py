"""``mount("prefix", sub)`` order and the removed separators (3.i rows 15 and 16, E20)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Codemod, Example
from fastmcp_kit.upgrade.cstutil import drop_args, positional, string_value
from fastmcp_kit.upgrade.helpers import server_method

_SEPARATORS = ("tool_separator", "resource_separator", "prompt_separator")


class MountArguments(Codemod):
    """What it does:
    On ``mount(...)`` of a standalone server, swaps the pre-2.9 argument order
    ``mount("prefix", sub)`` to ``mount(sub, "prefix")``, and removes
    ``tool_separator=``, ``resource_separator=`` and ``prompt_separator=`` from
    ``mount(...)`` and ``import_server(...)``.

    Why:
    2.14.0 removed the order swap (``AttributeError: 'str' object has no attribute
    '_lifespan'``) and the separator keywords (``TypeError``).

    Safety:
    The swap is what 2.13 did itself when the first argument was a string. The
    separators were deprecated in 2.4 and *ignored* by 2.13.3 (it only warned; names
    are always ``prefix_name``), so they are removed when upgrading from 2.13, and on
    older projects when the value is the default ``"_"`` (``resource_separator`` was
    already ignored). Other separators on projects older than 2.13 are reported: the
    names clients see may change.
    """

    ID = "mount-arguments"
    TITLE = "mount() argument order and separators"
    KIND = "partial"
    ROWS = ("i.15", "i.16")
    LINK = GUIDE_2_14
    TRIGGERS = ("mount", "import_server")
    EXAMPLES = (
        Example(
            "order",
            before="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")
            main.mount("weather", weather)
            """,
            after="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")
            main.mount(weather, "weather")
            """,
        ),
        Example(
            "separators",
            before="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")
            main.mount(sub, prefix="sub", tool_separator="_", resource_separator="+")
            """,
            after="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")
            main.mount(sub, prefix="sub")
            """,
        ),
        Example(
            "custom-separator-on-old-project",
            from_version="2.8.0",
            before="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")
            main.mount(sub, prefix="sub", tool_separator=".")
            """,
            findings=("`tool_separator=` was removed in 2.14",),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        method = server_method(self, original_node, frozenset({"mount", "import_server"}))
        if method is None:
            return updated_node
        call = updated_node
        args = positional(call)
        if method == "mount" and len(args) >= 2 and string_value(args[0].value) is not None:
            first, second = args[0], args[1]
            swapped = [
                second.with_changes(comma=first.comma)
                if a is first
                else first.with_changes(comma=second.comma)
                if a is second
                else a
                for a in call.args
            ]
            call = call.with_changes(args=swapped)
            self.rewrote()
        drop = []
        for arg in call.args:
            if arg.keyword is None or arg.keyword.value not in _SEPARATORS:
                continue
            name = arg.keyword.value
            default = string_value(arg.value) == "_" or name == "resource_separator"
            if default or self.facts.from_version.release[:2] >= (2, 13):
                drop.append(arg)
            else:
                self.report(
                    original_node,
                    f"`{name}=` was removed in 2.14: names are always `prefix_name`, so the "
                    "names clients see may change: delete it and update the clients and "
                    "tests that call the old names",
                    Severity.ERROR,
                )
        if drop:
            self.rewrote(len(drop))
            call = drop_args(call, drop)
        return call
