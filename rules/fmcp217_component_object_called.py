from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.apisurface import surface_for, version_label
from fastmcp_kit.lint.ast_names import imports_fastmcp, last_identifier
from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.rule import Invalid, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

KINDS = ("tool", "prompt", "resource")


def _module_bindings(module: cst.Module) -> dict[str, int]:
    """How many module-level statements bind each name (compound statements: every
    name bound anywhere inside them)."""
    counts: dict[str, int] = {}

    def add(name: str) -> None:
        counts[name] = counts.get(name, 0) + 1

    class Bindings(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            add(node.name.value)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            add(node.name.value)
            return False

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            if isinstance(node.target, cst.Name):
                add(node.target.value)

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            bound = node.asname.name if node.asname else node.name
            if isinstance(bound, cst.Name):
                add(bound.value)

    for statement in module.body:
        statement.visit(Bindings())
    return counts


class ComponentObjectCalled(ContextRule):
    """A function decorated with `@mcp.tool` / `@mcp.prompt` / `@mcp.resource` called directly on FastMCP 2.x, where the decorator returns a component object.

    ## What it does
    Flags calls of a module-level function whose only decorator is a standalone
    FastMCP server's `@<server>.tool`, `@<server>.prompt` or `@<server>.resource`
    (with or without arguments), on releases where that decorator returns a
    component object that cannot be called (`FunctionTool`, `FunctionPrompt`,
    `FunctionResource`, `FunctionResourceTemplate` in 2.13 and 2.14: read from the
    API data recorded by decorating a function in the real release). The usual
    shape is one tool calling another (`await sibling_tool(...)`) or a quick test
    calling the tool. A name bound anywhere else at module level, or shadowed in
    the calling function, is left alone.

    ## Why is this bad?
    `TypeError: 'FunctionTool' object is not callable` when the call runs; inside a
    tool the client gets `ToolError: Error calling tool '...': 'FunctionTool' object
    is not callable` (verified 2.13.3 and 2.14.7). From 3.0 the decorators return
    the function itself and the same call works.

    ## Fix safety
    No automatic fix. On 2.x the original function is `.fn` (`await
    sibling_tool.fn(...)`), but that breaks on 3.0, where the decorated name is the
    plain function; a plain helper that both tools call works on every release.
    """

    code = "FMCP217"
    severity = Severity.ERROR
    message = (
        "`{name}()` calls the `{cls}` that `{decorator}` returns in {version}, "
        "not the function (`TypeError: '{cls}' object is not callable`); call "
        "`{name}.fn(...)` on 2.x, or move the body into a plain function both use"
    )
    fastmcp_versions = ">=2.13,<3"
    reported_mistakes = ("031", "032")
    references = ("https://gofastmcp.com/servers/tools",)

    needles = (".tool", ".prompt", ".resource")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        decorated = {
            node.name
            for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and len(node.decorator_list) == 1
            and last_identifier(
                node.decorator_list[0].func
                if isinstance(node.decorator_list[0], ast.Call)
                else node.decorator_list[0]
            )
            in KINDS
        }
        return (
            bool(decorated)
            and imports_fastmcp(tree)
            and any(
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in decorated
                for node in ast.walk(tree)
            )
        )

    VALID = [
        Valid(
            "shared-helper-and-fn",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("kicad")

            async def netlist(path: str) -> dict:
                return {"source": path}

            @mcp.tool
            async def schematic_netlist(path: str) -> dict:
                return await netlist(path)

            @mcp.tool
            async def project_netlist(path: str) -> dict:
                first = await schematic_netlist.fn(path)
                return first | await netlist(path)
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "plain-function-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("kicad")

            @mcp.tool
            async def schematic_netlist(path: str) -> dict:
                return {"source": path}

            @mcp.tool
            async def project_netlist(path: str) -> dict:
                return await schematic_netlist(path)
            """,
            fastmcp_version="3.0",
        ),
        Valid(
            "other-decorators-and-shadowing",
            """
            import functools
            from fastmcp import FastMCP
            from mcp.server.fastmcp import FastMCP as SDKServer

            mcp = FastMCP("demo")
            sdk = SDKServer("sdk")

            @mcp.tool
            @functools.wraps(print)
            def wrapped() -> None: ...

            @sdk.tool()
            def sdk_tool() -> str:
                return "sdk tools stay functions"

            @mcp.tool
            def add(a: int, b: int) -> int:
                return a + b

            def run(add) -> int:
                return wrapped() or sdk_tool() or add(1, 2)
            """,
            fastmcp_version="2.14",
        ),
    ]
    INVALID = [
        Invalid(
            "tool-calls-sibling-tool",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("kicad")

            @mcp.tool
            async def schematic_netlist(path: str) -> dict:
                return {"source": path}

            @mcp.tool()
            async def project_netlist(path: str) -> dict:
                return await schematic_netlist(path.replace(".kicad_pro", ".kicad_sch"))

            if __name__ == "__main__":
                import asyncio

                print(asyncio.run(project_netlist("board.kicad_pro")))
            """,
            fastmcp_version="2.14",
            count=2,
            says="'FunctionTool' object is not callable",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        # Module-level name -> (the decorator as written, the class it returns).
        self.decorated: dict[str, tuple[str, str]] = {}

    def visit_Module(self, node: cst.Module) -> None:
        counts = _module_bindings(node)
        surface = surface_for(self.context.target)
        for statement in node.body:
            if not isinstance(statement, cst.FunctionDef) or len(statement.decorators) != 1:
                continue
            name = statement.name.value
            if counts.get(name) != 1:
                continue
            decorator = self.context.names.component_decorator(statement.decorators[0])
            if decorator is None or decorator.kind not in KINDS:
                continue
            kind: str = decorator.kind
            if kind == "resource" and decorator.call is not None:
                uri = decorator.argument("uri", 0)
                text = (
                    uri.value.evaluated_value
                    if uri and isinstance(uri.value, cst.SimpleString)
                    else None
                )
                if isinstance(text, str) and "{" in text:
                    kind = "resource_template"
            returned = surface.decorator_returns(kind)
            if not returned or returned == "function":
                continue
            info = surface.class_info(returned)
            if info is None or "callable" in info.protocols:
                continue
            self.decorated[name] = (
                f"@{decorator.server}.{decorator.kind}",
                returned.rpartition(".")[2],
            )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Name) or func.value not in self.decorated:
            return
        if any(func.value in scope.types for scope in self.scopes.stack[1:]):
            return  # a parameter or local variable of that name
        decorator, cls = self.decorated[func.value]
        surface = surface_for(self.context.target)
        self.report(
            node,
            self.message.format(
                name=func.value,
                cls=cls,
                decorator=decorator,
                version=version_label(self.context.target, surface),
            ),
        )
