"""Server-side sampling and roots are gone in 4.x (3.iii rows 14, 30 and 31)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Example
from fastmcp_kit.upgrade.cstutil import keyword
from fastmcp_kit.upgrade.helpers import FunctionAware

_METHODS = frozenset({"sample", "sample_step", "list_roots"})


class SamplingRemoved(FunctionAware):
    """What it does:
    Reports ``await ctx.sample(...)``, ``ctx.sample_step(...)`` and ``ctx.list_roots()``
    on a FastMCP ``Context``, ``FastMCP(sampling_handler=..., sampling_handler_behavior=...)``
    and imports from ``fastmcp.server.sampling`` (``SamplingTool``, ...).

    Why:
    4.0 removed server-initiated sampling and roots (``AttributeError``; ``TypeError:
    FastMCP() no longer accepts `sampling_handler```): the 2026-07-28 protocol has no
    back-channel for them.

    Safety:
    Report only: call an LLM from the server yourself (or use the input-required guard
    pattern). Client-side ``sampling_handler=``/``roots=`` on ``Client`` are unchanged.
    """

    ID = "sampling-removed"
    TITLE = "server-side sampling and roots are removed"
    KIND = "report"
    ROWS = ("iii.14", "iii.30", "iii.31")
    LINK = GUIDE_4
    TRIGGERS = ("sample", "list_roots", "sampling")
    EXAMPLES = (
        Example(
            "sample",
            before="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("x", sampling_handler=None)

            @mcp.tool
            async def summarize(text: str, ctx: Context) -> str:
                result = await ctx.sample(f"Summarize: {text}")
                return result.text
            """,
            findings=("`sampling_handler=`", "`ctx.sample()` was removed in 4.0"),
        ),
    )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.module is not None and dotted_name(node.module) == "fastmcp.server.sampling":
            self.report(node, "`fastmcp.server.sampling` was removed in 4.0", Severity.ERROR)
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if self.names.is_server_class(func):
            for name in ("sampling_handler", "sampling_handler_behavior"):
                if keyword(node, name) is not None:
                    self.report(
                        node,
                        f"`{name}=` was removed from FastMCP() in 4.0 (no server-side "
                        "sampling): call an LLM from the server instead",
                        Severity.ERROR,
                    )
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value in _METHODS
            and self.is_context(func.value)
        ):
            self.report(
                node,
                f"`ctx.{func.attr.value}()` was removed in 4.0: call an LLM from the server "
                "(sampling) or ask the client another way (roots)",
                Severity.ERROR,
            )
        return True
