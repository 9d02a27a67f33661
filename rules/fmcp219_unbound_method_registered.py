from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from fastmcp_kit.apisurface import surface_for, version_label
from fastmcp_kit.lint.ast_index import nodes
from fastmcp_kit.lint.ast_names import may_register_functions
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.registered_functions import Registration, registrations
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

V3 = Version("3")
# The names FastMCP 3.0+ recognises as "a method registered without its instance".
INSTANCE_PARAMETERS = frozenset({"self", "cls"})


def _effect(kind: str, target: Version, first: str) -> str:
    if target >= V3:
        return (
            f"registration fails at import (`TypeError: The function ... has '{first}' "
            "as its first parameter`)"
        )
    if kind == "resource":
        return f"`{first}` is a required argument, so registration fails at import (`ValueError`)"
    if kind == "prompt":
        return (
            f"`{first}` becomes a required argument of the prompt, so every render fails "
            f"(`Missing required arguments: {{'{first}'}}`)"
        )
    return (
        f"`{first}` becomes a required argument of the tool, so every call fails with "
        f"`Missing required argument`"
    )


class UnboundMethodRegistered(Rule):
    """A method registered as a tool, resource or prompt without its instance: `@mcp.tool` in a class body, or `mcp.tool(App.method)`.

    ## What it does
    Flags a plain method (first parameter `self` or `cls`, no `@staticmethod` or
    `@classmethod`) registered with a standalone FastMCP server while no instance
    exists: decorated with `@mcp.tool`, `@mcp.resource(...)` or `@mcp.prompt` inside
    the class body, or taken from the class and passed to the server
    (`mcp.tool(App.run)`, `mcp.tool(getattr(App, "run"))`, also through names bound
    once and a loop over a literal registry of `(class, "method")` pairs). Bound
    methods (`mcp.tool(app.run)`, `self.run`), static methods, class methods taken
    from the class, and the 3.0+ standalone `fastmcp.tools.tool` decorator are left
    alone.

    ## Why is this bad?
    The decorator runs while the class body executes, before any instance exists,
    so FastMCP receives the plain function. From 3.0 registration raises
    `TypeError: The function 'add' has 'self' as its first parameter` when the
    module is imported (verified 3.0.2, 3.2.4, 3.4.11, 4.0.11, 4.1.7, 4.2.3, for
    tools, prompts and resources, `cls` alike). Before 3.0 a tool or prompt
    registers, but `self` is a required argument of its schema, so every call fails
    with `ToolError: 1 validation error for call[add] self Missing required
    argument` (a prompt's render, `Missing required arguments: {'self'}`); a
    resource fails at import (`ValueError`) (verified 2.13.3, 2.14.7).
    Register the bound method once an instance exists: `mcp.tool(calc.add)`; on
    3.0+, or mark the method with `from fastmcp.tools import tool` and
    `mcp.add_tool(calc.add)`.

    ## Fix safety
    There is no fix: where the instance is created is the author's choice.
    """

    code = "FMCP219"
    reported_mistakes = ("036", "037")
    severity = Severity.ERROR
    message = (
        "`{function}` is a method of `{cls}` registered without an instance: {effect} "
        "in {version}; register the bound method of an instance (`{usage}`)"
    )
    fastmcp_versions = ">=2.13"
    references = ("https://gofastmcp.com/servers/tools#using-with-methods",)

    needles = ("self", "cls")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A method of a class whose first parameter is self/cls, and something that
        # registers functions.
        return any(
            isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            and item.args.args[:1]
            and item.args.args[0].arg in INSTANCE_PARAMETERS
            for node in nodes(tree, ast.ClassDef)
            for item in node.body
        ) and may_register_functions(tree)

    VALID = [
        Valid(
            "bound-method-after-construction",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("db-utils")

            class Calculator:
                def add(self, x: int, y: int) -> int:
                    return x + y

            calc = Calculator()
            mcp.tool(calc.add)
            mcp.tool(getattr(Calculator(), "add"), name="plus")

            class Server:
                def __init__(self) -> None:
                    self.mcp = FastMCP("s")
                    self.mcp.tool(self.add)

                def add(self, x: int) -> int:
                    return x
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "static-and-class-methods",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            class Tools:
                @mcp.tool
                @staticmethod
                def add(x: int, y: int) -> int:
                    return x + y

                @classmethod
                def build(cls, x: int) -> int:
                    return x

                @staticmethod
                def ping() -> str:
                    return "pong"

            mcp.tool(Tools.build)
            mcp.tool(Tools.ping)
            """,
        ),
        Valid(
            "standalone-tool-decorator-on-3x",
            """
            from fastmcp import FastMCP
            from fastmcp.tools import tool

            mcp = FastMCP("demo")

            class Calculator:
                @tool
                def add(self, x: int, y: int) -> int:
                    return x + y

            calc = Calculator()
            mcp.add_tool(calc.add)
            """,
            fastmcp_version="3.0",
        ),
        Valid(
            "registry-of-instances",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("atlan-app")

            class EnrichmentStudio:
                def run_workflow(self, workflow: str) -> str:
                    return f"ran {workflow}"

            REGISTRY = {"run_workflow": (EnrichmentStudio, "run_workflow")}

            def register_tools_from_registry() -> None:
                for name, (app_cls, attr) in REGISTRY.items():
                    task = getattr(app_cls(), attr)
                    mcp.tool(task, name=name)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "decorator-in-class-body",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("db-utils")

            class Calculator:
                @mcp.tool
                def add(self, x: int, y: int) -> int:
                    return x + y
            """,
            fastmcp_version="2.14",
            says="Missing required argument",
        ),
        Invalid(
            "class-attribute-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            class App:
                def run(self, job: str) -> str:
                    return job

                def describe(cls) -> str:
                    return "app"

            mcp.tool(App.run)
            mcp.resource("app://description")(App.describe)
            """,
            count=2,
            fastmcp_version="3.4",
            says="has '",
        ),
        Invalid(
            "getattr-in-registry-loop",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("atlan-app")

            class EnrichmentStudio:
                def run_workflow(self, workflow: str) -> str:
                    return f"ran {workflow}"

            REGISTRY = {"run_workflow": (EnrichmentStudio, "run_workflow")}

            def register_tools_from_registry() -> None:
                for name, (app_cls, attr) in REGISTRY.items():
                    task = getattr(app_cls, attr)
                    mcp.tool(task, name=name)
            """,
            fastmcp_version="2.14",
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        version = version_label(self.context.target, surface_for(self.context.target))
        for found in registrations(node, self.context.names, self.context.target):
            first = _first_parameter(found.function)
            if found.owner is None or first not in INSTANCE_PARAMETERS:
                continue
            self.report(
                found.site,
                self.message.format(
                    function=found.function.name.value,
                    cls=found.owner.name.value,
                    effect=_effect(found.kind, self.context.target, first),
                    version=version,
                    usage=_usage(found),
                ),
            )


def _first_parameter(function: cst.FunctionDef) -> str | None:
    params = [*function.params.posonly_params, *function.params.params]
    return params[0].name.value if params else None


def _usage(found: Registration) -> str:
    """``mcp.tool(obj.add)``, ``mcp.resource("<uri>")(obj.describe)``."""
    bound = f"obj.{found.function.name.value}"
    if found.kind == "resource":
        return f'{_server(found)}.resource("<uri>")({bound})'
    return f"{_server(found)}.{found.kind}({bound})"


def _server(found: Registration) -> str:
    site = found.site
    expression = site.decorator if isinstance(site, cst.Decorator) else site
    while isinstance(expression, cst.Call):
        expression = expression.func
    if isinstance(expression, cst.Attribute):
        return dotted_name(expression.value) or "mcp"
    return "mcp"
