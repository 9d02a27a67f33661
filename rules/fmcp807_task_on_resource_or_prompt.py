from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import may_be_server
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

TASK_FREE_KINDS = ("resource", "prompt")


def _without(args: Sequence[cst.Arg], arg: cst.Arg) -> list[cst.Arg]:
    """``args`` minus ``arg``, keeping the call's comma style."""
    kept = [a for a in args if a is not arg]
    if kept and args[-1] is arg:
        kept[-1] = kept[-1].with_changes(comma=arg.comma)
    return kept


class TaskOnResourceOrPrompt(Rule):
    """`task=` on a resource or prompt, which FastMCP 4.0 no longer accepts.

    ## What it does
    Flags `task=` passed to `<server>.resource(...)` or `<server>.prompt(...)` of a
    standalone FastMCP server (as a decorator or a direct call) when the project
    targets FastMCP 4.0 or later.

    ## Why is this bad?
    FastMCP 2.14 to 3.x could run resources and prompts as background tasks. 4.0 moved
    tasks to an extension that supports tools only, and the keyword was removed:
    `TypeError: FastMCP.resource() got an unexpected keyword argument 'task'` (and
    `FastMCP.prompt()`) when the module is imported, even for `task=False` (verified
    4.0.0 and 4.1.2).

    ## Fix safety
    `task=False` / `task=None` is removed: it meant "no task support", which is all a
    4.x resource or prompt can do, so the fix is safe. An enabled task (`task=True`,
    `TaskConfig(...)`) is only reported: removing it changes what clients can do, and
    there is no replacement; move long-running work into a task-enabled tool.
    """

    code = "FMCP807"
    severity = Severity.ERROR
    message = "`{call}(..., task=...)` was removed in FastMCP 4.0 (`TypeError` at registration): only tools can be background tasks; {advice}"
    fix_title = "Remove `task=False`"
    documented_errors = (30,)
    fastmcp_versions = ">=4"
    references = (
        "https://gofastmcp.com/servers/tasks",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",
    )

    # Only a `task=` keyword is reported (any spacing before `=` on its line).
    needles = ("task=", "task =", "task  ", "task\t")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # `<server>.resource(..., task=...)` / `<server>.prompt(..., task=...)` calls.
        return may_be_server(
            tree,
            (
                node.func.value
                for node in every_node(tree)
                if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in TASK_FREE_KINDS
                and any(keyword.arg == "task" for keyword in node.keywords)
            ),
        )

    VALID = [
        Valid(
            "task-on-tool",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool(task=True)
            async def crunch(n: int) -> int:
                return n * 2

            @mcp.resource("data://report")
            async def report() -> str:
                return "..."
            """,
        ),
        Valid(
            "fastmcp-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("data://report", task=True)
            async def report() -> str:
                return "..."
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "unrelated-and-sdk",
            """
            from fastmcp import FastMCP
            from mcp.server.mcpserver import MCPServer

            mcp = FastMCP("demo")
            sdk = MCPServer("sdk")
            sdk.resource("data://x", task=True)(load)
            scheduler.prompt("daily", task=True)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "task-true-on-resource",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("data://report", task=True)
            async def report() -> str:
                return "..."
            """,
        ),
        Invalid(
            "task-false-on-prompt",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.prompt(name="summary", task=False)
            def summary(text: str) -> str:
                return text
            """,
            fixed="""
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.prompt(name="summary")
            def summary(text: str) -> str:
                return text
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in TASK_FREE_KINDS:
            return
        arg = next((a for a in node.args if a.keyword and a.keyword.value == "task"), None)
        if arg is None or not self.context.names.is_server(func.value):
            return
        fix = None
        if isinstance(arg.value, cst.Name) and arg.value.value in ("False", "None"):
            advice = "drop it"
            replacement = node.with_changes(args=_without(node.args, arg))
            fix = Fix(self.fix_title or "", replacements=((node, replacement),))
        else:
            advice = "drop it, and move long-running work into a `@server.tool(task=True)`"
        call = dotted_name(func) or func.attr.value
        self.report(arg, self.message.format(call=call, advice=advice), fix=fix)
