from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.ast_names import imports_fastmcp, may_be_server
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

V3 = Version("3")
# method -> (the object it takes, the decorator that takes a function)
METHODS = {
    "add_tool": ("Tool", "tool"),
    "add_prompt": ("Prompt", "prompt"),
    "add_resource": ("Resource", "resource"),
}


def _undecorated_defs(body: Sequence[cst.CSTNode]) -> set[str]:
    """Names bound in ``body`` only by one undecorated ``def`` (anything else binding
    the name, or a second ``def``, makes it unknown)."""
    defs: dict[str, int] = {}
    other: set[str] = set()
    for statement in body:
        if isinstance(statement, cst.FunctionDef):
            name = statement.name.value
            defs[name] = defs.get(name, 0) + (1 if not statement.decorators else 2)
        elif isinstance(statement, cst.ClassDef):
            other.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets: list[cst.BaseExpression] = []
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    targets = [small.target]
                elif isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(
                    small.names, cst.ImportStar
                ):
                    for alias in small.names:
                        bound = alias.asname.name if alias.asname else alias.name
                        if isinstance(bound, cst.Name):
                            other.add(bound.value)
                        elif isinstance(bound, cst.Attribute):
                            other.add((dotted_name(bound) or "").partition(".")[0])
                other.update(t.value for t in targets if isinstance(t, cst.Name))
        else:
            # Bindings inside if/try/for/with blocks: unknown.
            for node in _names_bound_in(statement):
                other.add(node)
    return {name for name, count in defs.items() if count == 1 and name not in other}


def _names_bound_in(statement: cst.CSTNode) -> set[str]:
    found: set[str] = set()

    class Collector(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            found.add(node.name.value)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            found.add(node.name.value)
            return False

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            if isinstance(node.target, cst.Name):
                found.add(node.target.value)

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            bound = node.asname.name if node.asname else node.name
            if isinstance(bound, cst.Name):
                found.add(bound.value)

    statement.visit(Collector())
    return found


class FunctionPassedToAddComponent(Rule):
    """A plain function passed to `add_tool()` (before 3.0), `add_prompt()` or `add_resource()`, which take component objects.

    ## What it does
    Flags `server.add_tool(fn)`, `server.add_prompt(fn)` and
    `server.add_resource(fn)` on a standalone FastMCP server (bound by construction
    or annotation) when `fn` is certainly a plain function: a `def` of the same
    module, class (`self.method`) or function without decorators and bound nowhere
    else, or a `lambda`. `add_tool()` accepts functions since 3.0, so it is only
    checked before 3.0; `add_prompt()` and `add_resource()` take only component
    objects (or, 3.0+, functions decorated with `@prompt` / `@resource`) in every
    release.

    ## Why is this bad?
    Registration fails when the server module is imported, so the server never
    starts: `AttributeError: 'function' object has no attribute 'key'` for all three
    on 2.13.3 and 2.14.7 (what users see after upgrading from code written for 2.6),
    and on 3.0.2 to 4.2.3 `TypeError: Expected Prompt or @prompt-decorated function,
    got function` (`Expected Resource, ResourceTemplate, or @resource-decorated
    function` for resources). Verified in fm-2.13.3, 2.14.7, 3.0.2, 3.2.4, 3.4.11,
    4.0.11, 4.1.2 and 4.2.3. The decorators take a function directly:
    `server.tool(fn)`, `server.prompt(fn)`, `server.resource("<uri>")(fn)`
    (verified in 2.13.3, 2.14.7, 3.0.2 and 4.2.3).

    ## Fix safety
    `add_tool(fn)` -> `tool(fn)` and `add_prompt(fn)` -> `prompt(fn)` register the
    function under its own name, as intended: safe (offered for a call with the
    function as its only argument). `add_resource(fn)` needs a URI and a lambda needs
    a name: no fix.
    """

    code = "FMCP216"
    severity = Severity.ERROR
    message = (
        "`{call}()` takes a `{kind}` object, not a function, in {version} "
        "(registration fails at import); use `{server}.{decorator}({usage})`"
    )
    fix_title = "Register the function with the decorator"
    fastmcp_versions = ">=2.13"
    reported_mistakes = ("023",)
    references = ("https://gofastmcp.com/servers/tools",)

    needles = (".add_tool", ".add_prompt", ".add_resource")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        methods = _checked(context.target)
        receivers = [
            node.func.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in methods
            and len(node.args) == 1
            and isinstance(node.args[0], (ast.Name, ast.Attribute, ast.Lambda))
        ]
        return bool(receivers) and imports_fastmcp(tree) and may_be_server(tree, receivers)

    VALID = [
        Valid(
            "component-objects-and-decorators",
            """
            from fastmcp import FastMCP
            from fastmcp.prompts import Prompt
            from fastmcp.tools import Tool

            mcp = FastMCP("demo")

            def read_query(query: str) -> str:
                return query

            def greet() -> str:
                return "hi"

            @mcp.tool
            def decorated(x: int) -> int:
                return x

            mcp.add_tool(Tool.from_function(read_query))
            mcp.add_prompt(Prompt.from_function(greet))
            mcp.tool(read_query)
            mcp.add_tool(decorated)
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "function-to-add-tool-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def read_query(query: str) -> str:
                return query

            mcp.add_tool(read_query)
            """,
            fastmcp_version="3.0",
        ),
        Valid(
            "unknown-values",
            """
            from fastmcp import FastMCP
            from tools import read_query

            mcp = FastMCP("demo")

            def make():
                return None

            try:
                from extra import helper
            except ImportError:
                def helper() -> str:
                    return "x"

            make = make()
            mcp.add_tool(read_query)
            mcp.add_tool(make)
            mcp.add_tool(helper)

            def register(server, fn) -> None:
                server.add_tool(fn)
            """,
            fastmcp_version="2.14",
        ),
    ]
    INVALID = [
        Invalid(
            "bound-method-on-2x",
            """
            from fastmcp import FastMCP

            class MariaDBServer:
                def __init__(self, name: str) -> None:
                    self.mcp = FastMCP(name)

                async def list_databases(self) -> list[str]:
                    return ["app"]

                def register_tools(self) -> None:
                    self.mcp.add_tool(self.list_databases)
            """,
            fastmcp_version="2.13",
            fixed="""
            from fastmcp import FastMCP

            class MariaDBServer:
                def __init__(self, name: str) -> None:
                    self.mcp = FastMCP(name)

                async def list_databases(self) -> list[str]:
                    return ["app"]

                def register_tools(self) -> None:
                    self.mcp.tool(self.list_databases)
            """,
        ),
        Invalid(
            "prompt-function",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def greet() -> str:
                return "hi"

            mcp.add_prompt(greet)
            """,
            fixed="""
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def greet() -> str:
                return "hi"

            mcp.prompt(greet)
            """,
        ),
        Invalid(
            "resource-function",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def config() -> dict:
                return {}

            mcp.add_resource(config)
            mcp.add_resource(lambda: "x")
            """,
            count=2,
            says='use `mcp.resource("<uri>")(',
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.methods = _checked(context.target)
        self.module_defs: set[str] = set()
        # Per enclosing class: its undecorated methods.
        self.classes: list[set[str]] = []
        # Per enclosing function: (undecorated local defs, `self` name if a method,
        # every name it binds: parameters, assignments, imports, defs).
        self.functions: list[tuple[set[str], str | None, set[str]]] = []
        self.class_depth: list[int] = []

    def visit_Module(self, node: cst.Module) -> None:
        self.module_defs = _undecorated_defs(node.body)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        methods = _undecorated_defs(node.body.body)
        # `self.name = ...` anywhere in the class rebinds the method on instances.
        methods -= _self_assigned(node)
        self.classes.append(methods)
        self.class_depth.append(len(self.functions))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.classes.pop()
        self.class_depth.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        local = _undecorated_defs(body)
        method = bool(self.class_depth) and self.class_depth[-1] == len(self.functions)
        params = [*node.params.posonly_params, *node.params.params]
        first = params[0].name.value if method and params and not node.decorators else None
        bound = {p.name.value for p in (*params, *node.params.kwonly_params)} | _names_bound_in(
            node.body
        )
        for star in (node.params.star_arg, node.params.star_kwarg):
            if isinstance(star, cst.Param):
                bound.add(star.name.value)
        self.functions.append((local, first, bound))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value in self.methods):
            return
        if len(node.args) != 1 or node.args[0].keyword is not None or node.args[0].star:
            return
        value = node.args[0].value
        if not self._plain_function(value):
            return
        if not self.context.names.is_bound_server(func.value):
            return
        method = func.attr.value
        kind, decorator = METHODS[method]
        server = dotted_name(func.value) or "FastMCP(...)"
        shown = cst.Module([]).code_for_node(value)
        usage = f'"<uri>")({shown}' if method == "add_resource" else shown
        fix = None
        if method != "add_resource" and not isinstance(value, cst.Lambda):
            fix = Fix(
                self.fix_title or "",
                replacements=((func, func.with_changes(attr=cst.Name(decorator))),),
            )
        self.report(
            node,
            self.message.format(
                call=f"{server}.{method}",
                kind=kind,
                version=f"FastMCP {self.context.target}",
                server=server,
                decorator=decorator,
                usage=usage,
            ),
            fix=fix,
        )

    def _plain_function(self, value: cst.BaseExpression) -> bool:
        if isinstance(value, cst.Lambda):
            return True
        if isinstance(value, cst.Name):
            for local, _, bound in reversed(self.functions):
                if value.value in bound:
                    return value.value in local
            return value.value in self.module_defs
        if (
            isinstance(value, cst.Attribute)
            and isinstance(value.value, cst.Name)
            and self.functions
            and self.classes
        ):
            self_name = next((s for _, s, _ in reversed(self.functions) if s is not None), None)
            return value.value.value == self_name and value.attr.value in self.classes[-1]
        return False


def _self_assigned(node: cst.ClassDef) -> set[str]:
    found: set[str] = set()

    class Collector(cst.CSTVisitor):
        def visit_AssignTarget(self, target: cst.AssignTarget) -> None:
            if isinstance(target.target, cst.Attribute):
                found.add(target.target.attr.value)

    node.visit(Collector())
    return found


def _checked(target: Version) -> frozenset[str]:
    if target >= V3:
        return frozenset({"add_prompt", "add_resource"})
    return frozenset(METHODS)
