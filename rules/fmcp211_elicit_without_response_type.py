from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import imports_fastmcp, may_be_context
from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.rule import Fix, Invalid, RuleContext, Valid
from fastmcp_kit.lint.violation import Applicability, Severity


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


class ElicitWithoutResponseType(ContextRule):
    """`ctx.elicit(...)` without a `response_type` (or with `None`) on FastMCP 4.

    ## What it does
    On FastMCP 4.x, flags `elicit(...)` called on a FastMCP `Context` (a parameter
    annotated with `fastmcp.Context`, a `get_context()` result, or
    `context.fastmcp_context` in middleware) without a `response_type`, or with
    `response_type=None`.

    ## Why is this bad?
    FastMCP 4.0 made `response_type` required. Without it the call fails with
    `TypeError: Context.elicit() missing 1 required positional argument:
    'response_type'`, and `response_type=None` fails with `ctx.elicit() requires a
    response_type. The empty-schema form-mode request produced by response_type=None
    was ambiguous under the MCP spec...`; the client sees a `ToolError` (verified
    4.0.0 and 4.1.2; 3.x accepted both and returned an empty `{}`).

    Note that even a correct `ctx.elicit(...)` works on 4.x only on handshake-era
    (legacy) connections: the default `Client(mode="auto")` gets `ToolError:
    elicitation via server-initiated requests is unavailable on 2026-07-28
    connections.` (verified 4.1.2).

    ## Fix safety
    When the result is assigned to a name and its `.data` is never read (the
    elicitation is an accept/decline confirmation), the fix adds
    `response_type=bool`, as the 4.x upgrade guide recommends. It is unsafe: the
    client now shows a yes/no field and `.data` becomes a `bool`. Other calls are
    reported only: the type to ask for is a design decision.
    """

    code = "FMCP211"
    severity = Severity.ERROR
    message = "{call} fails on FastMCP 4 ({error}); pass the type you expect back, e.g. `response_type=bool` for a confirmation"
    fix_title = "Ask for a confirmation with `response_type=bool`"
    documented_errors = ()
    fastmcp_versions = ">=4"
    references = (
        "https://gofastmcp.com/servers/elicitation",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",
    )

    # Only `<context>.elicit(...)` calls are checked.
    needles = ("elicit",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A Context-shaped `<x>.elicit(...)` call without `response_type` (or with None)
        # and without `*`/`**` arguments, in a module importing fastmcp (a fastmcp
        # Context resolves only through such an import).
        for node in every_node(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "elicit"
                and may_be_context(node.func.value)
            ):
                continue
            keywords = {keyword.arg: keyword.value for keyword in node.keywords}
            if None in keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
                continue
            response = keywords.get("response_type")
            if response is None and len(node.args) >= 2:
                response = node.args[1]
            if response is None or (isinstance(response, ast.Constant) and response.value is None):
                return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "with-response-type",
            """
            from dataclasses import dataclass
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @dataclass
            class Info:
                name: str

            @mcp.tool
            async def ask(ctx: Context) -> str:
                ok = await ctx.elicit("Proceed?", response_type=bool)
                info = await ctx.elicit("Who are you?", Info)
                choice = await ctx.elicit("Pick one", ["a", "b"])
                return str((ok, info, choice))
            """,
        ),
        Valid(
            "not-a-fastmcp-context",
            """
            from fastmcp import FastMCP
            from mcp.server.mcpserver import Context

            mcp = FastMCP("demo")

            async def helper(session, ctx: Context) -> None:
                await session.elicit("Proceed?")
                await ctx.elicit("sdk context")
            """,
        ),
        Valid(
            "optional-on-3x",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def ask(ctx: Context) -> str:
                result = await ctx.elicit("Proceed?")
                return result.action
            """,
            fastmcp_version="3.4",
        ),
    ]
    INVALID = [
        Invalid(
            "confirmation",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def delete(path: str, ctx: Context) -> str:
                result = await ctx.elicit(f"Delete {path}?")
                if result.action != "accept":
                    return "cancelled"
                return "deleted"
            """,
            fixed="""
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def delete(path: str, ctx: Context) -> str:
                result = await ctx.elicit(f"Delete {path}?", response_type=bool)
                if result.action != "accept":
                    return "cancelled"
                return "deleted"
            """,
        ),
        Invalid(
            "explicit-none-and-data-used",
            """
            from fastmcp import Context
            from fastmcp.server.dependencies import get_context

            async def ask(ctx: Context | None = None) -> str:
                answer = await ctx.elicit("Name?", response_type=None)
                return answer.data

            async def ask_again() -> None:
                await get_context().elicit(message="Sure?")
            """,
            count=2,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "elicit":
            return
        if not self.scopes.is_context(func.value):
            return
        if any(arg.star for arg in node.args):
            return
        positional = [arg for arg in node.args if arg.keyword is None]
        keywords = {arg.keyword.value: arg for arg in node.args if arg.keyword is not None}
        response = keywords.get("response_type")
        if response is None and len(positional) >= 2:
            response = positional[1]
        if response is None:
            call = "`ctx.elicit()` without `response_type`"
            error = "`TypeError: Context.elicit() missing 1 required positional argument: 'response_type'`"
            self.report(node, self.message.format(call=call, error=error), fix=self._fix(node))
        elif _is_none(response.value):
            call = "`ctx.elicit(..., response_type=None)`"
            error = "`ctx.elicit() requires a response_type`"
            self.report(node, self.message.format(call=call, error=error))

    def _fix(self, call: cst.Call) -> Fix | None:
        """Add ``response_type=bool`` when the result only serves as a confirmation."""
        function = self.scopes.function
        if function is None or "bool" in self.context.names.module_bindings:
            return None
        target = self._assigned_name(function, call)
        if target is None:
            return None
        for attribute in direct_nodes(function, cst.Attribute):
            if (
                isinstance(attribute.value, cst.Name)
                and attribute.value.value == target
                and attribute.attr.value == "data"
            ):
                return None
        if not call.args:
            return None
        no_space = cst.SimpleWhitespace("")
        argument = cst.Arg(
            keyword=cst.Name("response_type"),
            value=cst.Name("bool"),
            equal=cst.AssignEqual(whitespace_before=no_space, whitespace_after=no_space),
        )
        args = [*call.args[:-1], call.args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
        replacement = call.with_changes(args=[*args, argument])
        return Fix(
            self.fix_title or "",
            Applicability.UNSAFE,
            replacements=((call, replacement),),
        )

    @staticmethod
    def _assigned_name(function: cst.FunctionDef, call: cst.Call) -> str | None:
        """``name`` when the call appears as ``name = await <call>`` in the function."""
        for assign in direct_nodes(function, cst.Assign):
            value = assign.value
            if (
                isinstance(value, cst.Await)
                and value.expression is call
                and len(assign.targets) == 1
                and isinstance(assign.targets[0].target, cst.Name)
            ):
                return assign.targets[0].target.value
        return None
