"""``enabled=`` on decorators and ``component.enable()/disable()`` -> ``server.enable/disable``
(3.ii rows 8 and 9)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import code, drop_args, is_false, is_true, keyword, statement
from fastmcp_kit.upgrade.helpers import module_components


class ComponentEnabled(Codemod):
    """What it does:
    Drops ``enabled=False`` from ``@mcp.tool(...)`` / ``@mcp.resource(...)`` /
    ``@mcp.prompt(...)`` and adds ``mcp.disable(names={"<name>"},
    components={"tool"})`` (``"resource"``, ``"template"`` for a URI template,
    ``"prompt"``) after the function; drops ``enabled=True``. Rewrites the statements
    ``my_tool.disable()`` / ``my_tool.enable()`` on a function decorated in the same
    module to ``mcp.disable(...)`` / ``mcp.enable(...)`` the same way. A computed
    ``enabled=DEBUG`` becomes ``if not DEBUG: mcp.disable(...)`` after the function.

    Why:
    3.0 removed ``enabled=`` (``TypeError``) and decorators return the plain function,
    which has no ``enable``/``disable`` (``AttributeError``); visibility is set on the
    server.

    Safety:
    Safe: the component is hidden (or shown) exactly as before (checked in 3.0.2,
    3.4.10 and 4.1.2 for tools, resources, templates and prompts; `disable(names=,
    components=)` re-checked in 3.0.2, 3.4.11 and 4.2.3). A computed value is evaluated
    once, right after the definition instead of in the decorator (the same moment for
    any expression that does not use the function itself: those are reported).
    """

    ID = "component-enabled"
    TITLE = "enabled= and component.enable()/disable() become server.enable()/disable()"
    KIND = "rewrite"
    ROWS = ("ii.8", "ii.9")
    LINK = GUIDE_3
    TRIGGERS = ("enabled", "enable()", "disable()")
    EXAMPLES = (
        Example(
            "decorator",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool(enabled=False, name="nuke")
            def delete_everything() -> str:
                return "gone"

            @mcp.resource("data://{key}/value", enabled=False)
            def value(key: str) -> str:
                return key
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool(name="nuke")
            def delete_everything() -> str:
                return "gone"
            mcp.disable(names={"nuke"}, components={"tool"})

            @mcp.resource("data://{key}/value")
            def value(key: str) -> str:
                return key
            mcp.disable(names={"value"}, components={"template"})
            """,
        ),
        Example(
            "computed",
            before="""
            import os

            from fastmcp import FastMCP

            DEBUG = os.environ.get("APP_DEBUG") == "1"
            mcp = FastMCP("x")

            @mcp.tool(enabled=DEBUG)
            def dump() -> str:
                return "state"

            @mcp.prompt(enabled=DEBUG and not os.environ.get("CI"))
            def trace() -> str:
                return "trace"
            """,
            after="""
            import os

            from fastmcp import FastMCP

            DEBUG = os.environ.get("APP_DEBUG") == "1"
            mcp = FastMCP("x")

            @mcp.tool()
            def dump() -> str:
                return "state"
            if not DEBUG:
                mcp.disable(names={"dump"}, components={"tool"})

            @mcp.prompt()
            def trace() -> str:
                return "trace"
            if not (DEBUG and not os.environ.get("CI")):
                mcp.disable(names={"trace"}, components={"prompt"})
            """,
        ),
        Example(
            "method",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.prompt
            def summarize(text: str) -> str:
                return text

            summarize.disable()
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.prompt
            def summarize(text: str) -> str:
                return text

            mcp.disable(names={"summarize"}, components={"prompt"})
            """,
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._components = module_components(self.names, node)
        return True

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        decorators = list(updated_node.decorators)
        for position, original in enumerate(original_node.decorators):
            component = self.names.component_decorator(original)
            arg = (
                None
                if component is None or component.call is None
                else component.argument("enabled")
            )
            if arg is None:
                continue
            info = self._components.get(original_node.name.value)
            computed = not (is_true(arg.value) or is_false(arg.value))
            if computed and (info is None or _mentions(arg.value, original_node.name.value)):
                self.report(
                    original_node,
                    "`enabled=` was removed in 3.0: call `server.disable(names={...}, "
                    "components={...})` when the component must be hidden",
                    Severity.ERROR,
                )
                continue
            current = decorators[position].decorator
            assert isinstance(current, cst.Call)
            enabled = keyword(current, "enabled")
            if enabled is not None:
                decorators[position] = decorators[position].with_changes(
                    decorator=drop_args(current, [enabled])
                )
            self.rewrote()
            if info is None or is_true(arg.value):
                continue
            server, name, kind = info
            line = f'{server}.disable(names={{"{name}"}}, components={{"{kind}"}})'
            if computed:
                # Evaluated once, right after the definition instead of in the decorator.
                condition = _negated(arg.value)
                self.insert_after(
                    original_node, [cst.parse_statement(f"if {condition}:\n    {line}\n")]
                )
            else:
                self.insert_after(original_node, [statement(line)])
        return updated_node.with_changes(decorators=decorators)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.Expr):
            return updated_node
        call = original_node.body[0].value
        if not (
            isinstance(call, cst.Call)
            and not call.args
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value in ("enable", "disable")
            and isinstance(call.func.value, cst.Name)
        ):
            return updated_node
        info = self._components.get(call.func.value.value)
        if info is None:
            return updated_node
        server, name, kind = info
        self.rewrote()
        method = call.func.attr.value
        new = statement(f'{server}.{method}(names={{"{name}"}}, components={{"{kind}"}})')
        return updated_node.with_changes(body=new.body)


def _negated(value: cst.BaseExpression) -> str:
    """``not X`` for a condition, parenthesized unless it is a plain name or call."""
    text = code(value)
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Not):
        return code(value.expression)
    if isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        return f"not {text}"
    return f"not ({text})"


def _mentions(value: cst.BaseExpression, name: str) -> bool:
    """Does the expression use ``name`` (the function being defined)?"""
    found = False

    class Find(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            nonlocal found
            found = found or node.value == name

    value.visit(Find())
    return found
