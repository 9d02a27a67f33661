from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from fastmcp_kit.lint.ast_names import (
    component_functions,
    imports_fastmcp,
    local_names_for,
    mentions_any,
)
from fastmcp_kit.lint.names import SDK_CONTEXT, ComponentDecorator, dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.uri import literal_uri, template_parameters
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.lint.walk import walk

# Attributes only a Context has; a parameter used this way is meant to be one.
CONTEXT_ATTRIBUTES = frozenset(
    {
        "info",
        "debug",
        "warning",
        "error",
        "log",
        "report_progress",
        "elicit",
        "get_state",
        "set_state",
        "delete_state",
        "read_resource",
        "sample",
        "sample_step",
        "list_roots",
        "request_context",
        "lifespan_context",
        "fastmcp",
        "session_id",
        "client_id",
        "request_id",
    }
)


@dataclass
class Options:
    context_names: list[str] = field(
        default_factory=lambda: ["ctx", "context"],
        metadata={"help": "Unannotated parameter names treated as a would-be Context."},
    )


class _AttributeUses(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if (
            isinstance(node.value, cst.Name)
            and node.value.value == self.name
            and node.attr.value in CONTEXT_ATTRIBUTES
        ):
            self.found = True


def _used_as_context(function: cst.FunctionDef, name: str) -> bool:
    uses = _AttributeUses(name)
    walk(function.body, uses)
    return uses.found


def _annotate(param: cst.Param, annotation: str) -> cst.Param:
    changes: dict[str, object] = {"annotation": cst.Annotation(cst.Name(annotation))}
    if param.default is not None:
        changes["equal"] = cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(" "), whitespace_after=cst.SimpleWhitespace(" ")
        )
    return param.with_changes(**changes)


class ContextParameterNotInjected(Rule):
    """A tool, resource or prompt parameter meant as `Context` that FastMCP will not inject.

    ## What it does
    In functions registered with a standalone FastMCP server (`@mcp.tool`,
    `@mcp.resource(...)`, `@mcp.prompt`), flags a parameter that
    (a) has no annotation, is named like a context (`ctx`, `context`) and is used like
    one (`ctx.info(...)`, `ctx.report_progress(...)`, `ctx.get_state(...)`, ...), or
    (b) is annotated with the MCP SDK's `Context` (`mcp.server.fastmcp.Context`).

    ## Why is this bad?
    FastMCP injects a parameter by its *annotation* (name is irrelevant), and only
    for its own `fastmcp.Context`. Any other parameter becomes a required argument of
    the tool's input schema, so every call fails with `ToolError: 1 validation error
    for call[<tool>] ctx Missing required argument` (verified 2.13 to 4.1, for both
    variants). Guides quote a `TypeError: missing 1 required positional argument`
    that never appears.

    ## Fix safety
    The fix annotates the parameter with fastmcp's `Context` (adding
    `from fastmcp import Context`), or moves an SDK `Context` import to
    `from fastmcp import Context`. Both are safe: the parameter leaves the tool's input
    schema, which is what its use as a Context requires. No fix is offered when the
    name `Context` is already bound to something else or the SDK import is aliased.
    """

    code = "FMCP201"
    severity = Severity.ERROR
    message = "Parameter `{name}` of `{function}` is used as a Context but {problem}; FastMCP will not inject it"
    fix_title = "Annotate `{name}` with fastmcp's `Context`"
    documented_errors = (3,)
    references = ("https://gofastmcp.com/servers/context",)
    Options = Options

    # Only functions under `@<server>.tool/.resource/.prompt` decorators are checked.
    needles = (".tool", ".resource", ".prompt")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A component function's parameter: unannotated, context-named and used like a
        # Context, or annotated with something named `Context` (the SDK's, or an alias).
        options: Options = context.options or Options()
        contexts: frozenset[str] | None = None
        for function in component_functions(tree):
            args = function.args
            for param in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                if param.annotation is not None:
                    contexts = contexts or local_names_for(tree, ("Context",))
                    if mentions_any(param.annotation, contexts):
                        return imports_fastmcp(tree)
                elif param.arg in options.context_names and any(
                    isinstance(node, ast.Attribute)
                    and isinstance(node.value, ast.Name)
                    and node.value.id == param.arg
                    and node.attr in CONTEXT_ATTRIBUTES
                    for node in ast.walk(function)
                ):
                    return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "annotated",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def greet(name: str, ctx: Context) -> str:
                await ctx.info(f"greeting {name}")
                return name

            @mcp.tool()
            async def optional(ctx: Context | None = None) -> str:
                return "ok"

            @mcp.prompt
            def quoted(ctx: "Context") -> str:
                return "p"
            """,
        ),
        Valid(
            "context-as-data",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def summarize(context: str) -> str:
                return context.upper()

            @mcp.tool
            def ask(question, context):
                return llm(question, context.strip())
            """,
        ),
        Valid(
            "not-registered",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def helper(ctx):
                await ctx.info("not a tool")
            """,
        ),
        Valid(
            "sdk-server-with-sdk-context",
            """
            from mcp.server.fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool()
            async def work(ctx: Context) -> str:
                await ctx.info("the SDK injects its own Context")
                return "ok"
            """,
        ),
        Valid(
            "template-parameter-in-uri",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("docs://{context}")
            def doc(context):
                return context.info
            """,
        ),
        Valid(
            "current-context-dependency",
            """
            from fastmcp import FastMCP, Context
            from fastmcp.dependencies import CurrentContext

            mcp = FastMCP("demo")

            @mcp.tool
            async def work(ctx: Context = CurrentContext()) -> str:
                await ctx.info("injected")
                return "ok"
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "unannotated-ctx",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def greet(name: str, ctx) -> str:
                await ctx.info(f"greeting {name}")
                return name
            """,
            fixed="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def greet(name: str, ctx: Context) -> str:
                await ctx.info(f"greeting {name}")
                return name
            """,
        ),
        Invalid(
            "unannotated-with-default-alias-server",
            """
            from fastmcp import FastMCP as Server, Context as Ctx

            app = Server("demo")

            @app.resource("data://items")
            async def items(context=None) -> list:
                await context.report_progress(1, 2)
                return []
            """,
            fixed="""
            from fastmcp import FastMCP as Server, Context as Ctx

            app = Server("demo")

            @app.resource("data://items")
            async def items(context: Ctx = None) -> list:
                await context.report_progress(1, 2)
                return []
            """,
        ),
        Invalid(
            "sdk-context",
            """
            from fastmcp import FastMCP
            from mcp.server.fastmcp import Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def work(ctx: Context) -> str:
                await ctx.info("never injected")
                return "ok"
            """,
            fixed="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def work(ctx: Context) -> str:
                await ctx.info("never injected")
                return "ok"
            """,
        ),
        Invalid(
            "context-name-taken",
            """
            from fastmcp import FastMCP
            from myapp import Context

            mcp = FastMCP("demo")

            @mcp.tool
            def work(ctx) -> str:
                ctx.set_state("k", 1)
                return "ok"
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.sdk_imports: list[cst.ImportFrom] = []
        self.sdk_uses: list[tuple[cst.Param, str]] = []

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar) or node.module is None:
            return
        module = dotted_name(node.module) or ""
        if any(f"{module}.{dotted_name(alias.name)}" in SDK_CONTEXT for alias in node.names):
            self.sdk_imports.append(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        components = list(self.context.names.component_decorators(node))
        if not components:
            return
        in_uri = self._uri_parameters(components)
        options: Options = self.context.options or Options()
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            name = param.name.value
            kind = self.context.names.context_kind(param.annotation)
            if kind == "sdk":
                self.sdk_uses.append((param, node.name.value))
            elif (
                param.annotation is None
                and name in options.context_names
                and name not in in_uri
                and _used_as_context(node, name)
            ):
                self.report(
                    param,
                    self.message.format(
                        name=name, function=node.name.value, problem="it has no annotation"
                    ),
                    fix=self._annotation_fix(param),
                )

    def leave_Module(self, original_node: cst.Module) -> None:
        fix = self._sdk_import_fix()
        for param, function in self.sdk_uses:
            problem = "it is annotated with the MCP SDK's Context"
            self.report(
                param,
                self.message.format(name=param.name.value, function=function, problem=problem),
                fix=fix,
            )

    def _uri_parameters(self, components: list[ComponentDecorator]) -> set[str]:
        found: set[str] = set()
        for component in components:
            uri = literal_uri(component) if component.kind == "resource" else None
            parameters = template_parameters(uri[1]) if uri else None
            if parameters:
                found |= parameters.path | parameters.query
        return found

    def _annotation_fix(self, param: cst.Param) -> Fix | None:
        names = self.context.names
        local = next(
            (
                n
                for n, q in names.aliases.items()
                if q in {"fastmcp.Context", "fastmcp.server.context.Context"}
            ),
            None,
        )
        title = (self.fix_title or "").format(name=param.name.value)
        if local is not None:
            return Fix(title, replacements=((param, _annotate(param, local)),))
        if "Context" in names.module_bindings:
            return None
        return Fix(
            title,
            replacements=((param, _annotate(param, "Context")),),
            add_imports=(ImportSpec("fastmcp", "Context"),),
        )

    def _sdk_import_fix(self) -> Fix | None:
        if len(self.sdk_imports) != 1:
            return None
        node = self.sdk_imports[0]
        assert not isinstance(node.names, cst.ImportStar)
        context_aliases = [a for a in node.names if dotted_name(a.name) == "Context"]
        if len(context_aliases) != 1 or context_aliases[0].asname is not None:
            return None
        title = "Import `Context` from fastmcp instead of the MCP SDK"
        if len(node.names) == 1:
            module = cst.parse_expression("fastmcp")
            assert isinstance(module, cst.Name)
            return Fix(title, replacements=((node, node.with_changes(module=module)),))
        kept = [
            a.with_changes(comma=cst.MaybeSentinel.DEFAULT)
            for a in node.names
            if a is not context_aliases[0]
        ]
        return Fix(
            title,
            replacements=((node, node.with_changes(names=kept)),),
            add_imports=(ImportSpec("fastmcp", "Context"),),
        )
