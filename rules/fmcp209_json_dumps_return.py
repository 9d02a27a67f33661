from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_names import (
    component_functions,
    imports_fastmcp,
    last_identifier,
    local_names_for,
)
from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity


class JsonDumpsReturn(Rule):
    """A tool that returns `json.dumps(...)` instead of the object.

    ## What it does
    Flags `return json.dumps(...)` directly in a tool registered with a standalone
    FastMCP server (`@mcp.tool`). Opt-in: enable it with `extend-select = ["FMCP209"]`.

    ## Why is this bad?
    FastMCP serializes return values itself, with pydantic: a returned `dict` reaches
    the client as text *and* as structured content (`result.data`), and `datetime`,
    `date`, `UUID`, `Decimal`, `bytes` and `set` values are converted automatically
    (`{"ts": datetime(...)}` arrives as `{"ts": "2026-01-02T03:04:05"}`). A
    pre-serialized string loses the structured content (`result.data` is `None`, or
    the string itself under `-> str`), and `json.dumps` raises
    `TypeError: Object of type datetime is not JSON serializable` where FastMCP would
    not. Annotated `-> dict`, the tool even fails: `ToolError: ... structured_content
    must be a dict or None. Got str` (all verified 2.14.7, 3.4.10, 4.1.2). Guides
    that recommend "convert datetimes before `json.dumps`" are working around a
    problem FastMCP does not have.

    ## Fix safety
    There is no fix: returning the object changes the text clients receive
    (compact JSON) and usually the return annotation.
    """

    code = "FMCP209"
    severity = Severity.INFO
    message = "Tool `{function}` returns `json.dumps(...)`; return the object instead and FastMCP serializes it (dates included) and sends structured content"
    documented_errors = (12,)
    default_enabled = False
    references = ("https://gofastmcp.com/servers/tools#structured-output",)

    # `json.dumps` resolves only through `json.dumps` or `from json import dumps`.
    needles = ("dumps",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A tool returning a call of something named `dumps` (or an import alias of
        # `json.dumps`), in a module importing fastmcp.
        dumps: frozenset[str] | None = None
        for function in component_functions(tree, ("tool",)):
            dumps = dumps or local_names_for(tree, ("dumps",))
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Return)
                    and isinstance(node.value, ast.Call)
                    and last_identifier(node.value.func) in dumps
                ):
                    return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "return-object",
            """
            import datetime
            import json
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def status() -> dict:
                return {"ok": True, "at": datetime.datetime.now()}

            @mcp.resource("data://config")
            def config() -> str:
                return json.dumps({"version": 1})

            @mcp.tool
            def export() -> str:
                def render(rows: list) -> str:
                    return json.dumps(rows)
                return render([1, 2])
            """,
        ),
        Valid(
            "other-dumps",
            """
            import yaml
            from fastmcp import FastMCP
            from mcp.server.fastmcp import FastMCP as SDKServer
            import json

            mcp = FastMCP("demo")
            sdk = SDKServer("sdk")

            @mcp.tool
            def as_yaml() -> str:
                return yaml.dump({"a": 1})

            @sdk.tool()
            def sdk_tool() -> str:
                return json.dumps({"a": 1})
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "json-dumps",
            """
            import json
            from json import dumps
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def status() -> str:
                data = {"ok": True}
                if data:
                    return json.dumps(data, indent=2)
                return dumps({})
            """,
            count=2,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        components = self.context.names.component_decorators(node)
        if not any(component.kind == "tool" for component in components):
            return
        names = self.context.names
        for statement in direct_nodes(node, cst.Return):
            value = statement.value
            if isinstance(value, cst.Call) and names.qualified_name(value.func) == "json.dumps":
                self.report(statement, self.message.format(function=node.name.value))
