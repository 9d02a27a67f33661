"""``enabled=`` on decorators and ``component.enable()/disable()`` -> ``server.enable/disable``
(3.ii rows 8 and 9)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import drop_args, is_false, is_true, keyword, statement
from fastmcp_kit.upgrade.helpers import module_components


class ComponentEnabled(Codemod):
    """What it does:
    Drops ``enabled=False`` from ``@mcp.tool(...)`` / ``@mcp.resource(...)`` /
    ``@mcp.prompt(...)`` and adds ``mcp.disable(names={"<name>"},
    components={"tool"})`` (``"resource"``, ``"template"`` for a URI template,
    ``"prompt"``) after the function; drops ``enabled=True``. Rewrites the statements
    ``my_tool.disable()`` / ``my_tool.enable()`` on a function decorated in the same
    module to ``mcp.disable(...)`` / ``mcp.enable(...)`` the same way.

    Why:
    3.0 removed ``enabled=`` (``TypeError``) and decorators return the plain function,
    which has no ``enable``/``disable`` (``AttributeError``); visibility is set on the
    server.

    Safety:
    Safe: the component is hidden (or shown) exactly as before (checked in 3.0.2,
    3.4.10 and 4.1.2 for tools, resources, templates and prompts). A computed
    ``enabled=`` value is reported.
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
            if not (is_true(arg.value) or is_false(arg.value)):
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
            info = self._components.get(original_node.name.value)
            if is_false(arg.value) and info is not None:
                server, name, kind = info
                line = f'{server}.disable(names={{"{name}"}}, components={{"{kind}"}})'
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
