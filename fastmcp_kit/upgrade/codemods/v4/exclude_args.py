"""``@mcp.tool(exclude_args=[...])`` -> ``Depends(...)`` defaults (3.iii row 25)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example
from fastmcp_kit.upgrade.cstutil import code, drop_args, keyword, literal


class ExcludeArgs(Codemod):
    """What it does:
    For ``@mcp.tool(exclude_args=["x", ...])`` where every excluded parameter has a
    literal default, removes ``exclude_args`` and gives each parameter the default
    ``Depends(lambda: <default>)`` (``Depends`` from ``fastmcp.dependencies``). Other
    cases are reported.

    Why:
    ``exclude_args`` was deprecated in 2.14 and removed in 4.0 (``TypeError``).

    Safety:
    Safe: the parameter stays out of the tool's input schema and the function receives
    the same default (checked in 2.14.7, 3.0.2, 3.4.10 and 4.1.2: schema ``['a']``, call
    result unchanged). Clients could never pass an excluded argument anyway.
    """

    ID = "exclude-args"
    TITLE = "exclude_args= becomes Depends() defaults"
    KIND = "partial"
    ROWS = ("iii.25",)
    LINK = GUIDE_4
    TRIGGERS = ("exclude_args",)
    EXAMPLES = (
        Example(
            "literal-defaults",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool(exclude_args=["user_id"], tags={"a"})
            def greet(name: str, user_id: str = "anonymous") -> str:
                return f"{name} from {user_id}"
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.dependencies import Depends

            mcp = FastMCP("x")

            @mcp.tool(tags={"a"})
            def greet(name: str, user_id: str = Depends(lambda: "anonymous")) -> str:
                return f"{name} from {user_id}"
            """,
        ),
        Example(
            "no-default",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool(exclude_args=["secret"])
            def call(secret: str = None) -> str:
                return "x"
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.dependencies import Depends

            mcp = FastMCP("x")

            @mcp.tool
            def call(secret: str = Depends(lambda: None)) -> str:
                return "x"
            """,
        ),
    )

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        decorators = list(updated_node.decorators)
        params = updated_node.params
        for position, original in enumerate(original_node.decorators):
            component = self.names.component_decorator(original)
            if component is None or component.kind != "tool" or component.call is None:
                continue
            arg = keyword(component.call, "exclude_args")
            if arg is None:
                continue
            ok, names = literal(arg.value)
            defaults = _defaults(params)
            if (
                not ok
                or not isinstance(names, (list, tuple))
                or not all(isinstance(n, str) and n in defaults for n in names)
            ):
                self.report(
                    original_node,
                    "`exclude_args=` was removed in 4.0: give each excluded parameter a "
                    "`Depends(...)` default (only parameters with literal defaults are "
                    "rewritten automatically)",
                    Severity.ERROR,
                )
                continue
            params = _with_depends(params, set(names))
            current = decorators[position].decorator
            assert isinstance(current, cst.Call)
            call = drop_args(
                current,
                [a for a in current.args if a.keyword and a.keyword.value == "exclude_args"],
            )
            new_decorator: cst.BaseExpression = call if call.args else call.func
            decorators[position] = decorators[position].with_changes(decorator=new_decorator)
            self.add_import("fastmcp.dependencies", "Depends")
            self.rewrote(len(names))
        return updated_node.with_changes(decorators=decorators, params=params)


def _defaults(params: cst.Parameters) -> dict[str, cst.BaseExpression]:
    found = {}
    for param in (*params.params, *params.kwonly_params):
        if param.default is not None and literal(param.default)[0]:
            found[param.name.value] = param.default
    return found


def _with_depends(params: cst.Parameters, names: set[str]) -> cst.Parameters:
    def convert(param: cst.Param) -> cst.Param:
        if param.name.value not in names or param.default is None:
            return param
        default = cst.parse_expression(f"Depends(lambda: {code(param.default)})")
        return param.with_changes(default=default)

    return params.with_changes(
        params=[convert(p) for p in params.params],
        kwonly_params=[convert(p) for p in params.kwonly_params],
    )
