from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.apisurface import surface_for, version_label
from fastmcp_kit.lint.ast_index import nodes_of
from fastmcp_kit.lint.ast_names import may_register_functions
from fastmcp_kit.lint.registered_functions import registrations
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

KINDS = frozenset({"tool", "prompt"})


class StarParametersInComponent(Rule):
    """A tool or prompt whose signature takes `*args` or `**kwargs`, which FastMCP refuses to register.

    ## What it does
    Flags a function registered as a tool or prompt of a standalone FastMCP server
    whose own signature has `*args` or `**kwargs`: decorated (`@mcp.tool`,
    `@mcp.prompt`, the innermost decorator, so FastMCP sees this signature) or passed
    to the server (`mcp.tool(handler, name=...)`, `mcp.add_tool(handler)` on 3.0+),
    followed through names bound once and through handler factories of the module
    (`handler = create_handler(model)` where `create_handler` returns a nested
    `def handler(**kwargs)`). Functions that are not registered, wrappers under
    another decorator, functions whose `__signature__` or `__wrapped__` the module
    sets (FastMCP reads that signature), and values the module does not show are
    left alone.

    ## Why is this bad?
    FastMCP builds the input schema from the parameters and cannot describe
    arbitrary ones: registration raises `ValueError: Functions with **kwargs are not
    supported as tools` (`*args`, and `as prompts`, alike) when the module is
    imported, so the server never starts. Verified in every release from 2.13.3 to
    4.2.3 (2.13.3, 2.14.7, 3.0.2, 3.2.4, 3.4.11, 4.0.11, 4.1.7, 4.2.3). A generated
    handler has to declare its arguments: explicit parameters, or one pydantic model
    parameter.

    ## Fix safety
    There is no fix: the parameters the tool takes are the author's to declare.
    """

    code = "FMCP218"
    reported_mistakes = ("034",)
    severity = Severity.ERROR
    message = (
        "`{function}` takes `{star}`: {version} refuses it as a {kind} "
        "(`ValueError: Functions with {shape} are not supported as {kind}s` at import); "
        "declare the arguments as parameters"
    )
    fastmcp_versions = ">=2.13"
    references = ("https://gofastmcp.com/servers/tools#arguments",)

    needles = ("*",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A def with `*args` or `**kwargs`, and something that registers functions.
        functions = nodes_of(tree, ast.FunctionDef, ast.AsyncFunctionDef)
        return any(
            isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
            and (f.args.vararg is not None or f.args.kwarg is not None)
            for f in functions
        ) and may_register_functions(tree, KINDS)

    VALID = [
        Valid(
            "star-parameters-on-helpers-and-wrappers",
            """
            import functools
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def log_calls(fn):
                @functools.wraps(fn)
                def wrapper(*args, **kwargs):
                    return fn(*args, **kwargs)
                return wrapper

            def helper(*args: str, **options: str) -> str:
                return " ".join(args)

            @mcp.tool
            def search(query: str, limit: int = 10) -> str:
                return helper(query, sep=",")

            @mcp.tool
            @log_calls
            def logged(query: str) -> str:
                return query
            """,
        ),
        Valid(
            "explicit-parameters-from-a-factory",
            """
            from fastmcp import FastMCP
            from pydantic import BaseModel

            mcp = FastMCP("registry")

            class GetUserParams(BaseModel):
                user_id: int

            def create_handler(model: type[BaseModel]):
                def handler(params: GetUserParams, headers: dict | None = None):
                    return {"params": params.model_dump(), "headers": headers or {}}
                return handler

            def register(name: str, model: type[BaseModel]) -> None:
                handler = create_handler(model)
                mcp.tool(handler, name=name)
            """,
        ),
        Valid(
            "signature-rewritten",
            """
            import functools
            import inspect
            from fastmcp import FastMCP

            mcp = FastMCP("registry")

            def create_handler(signature: inspect.Signature):
                def handler(**kwargs):
                    return kwargs
                handler.__signature__ = signature
                return handler

            def wrap(fn):
                def call(*args, **kwargs):
                    return fn(*args, **kwargs)
                functools.update_wrapper(call, fn)
                return call

            def search(query: str) -> str:
                return query

            mcp.tool(create_handler(inspect.Signature()), name="generated")
            mcp.tool(wrap(search))
            """,
        ),
        Valid(
            "resource-template-and-unknown-values",
            """
            from fastmcp import FastMCP
            from handlers import make_handler

            mcp = FastMCP("demo")

            @mcp.resource("data://{name}")
            def data(name: str, **kwargs) -> str:
                return name

            def register(name: str) -> None:
                mcp.tool(make_handler(name), name=name)

            class Api:
                def call(self, **kwargs) -> dict:
                    return kwargs
            """,
        ),
        Valid(
            "sdk-server",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            def anything(**kwargs) -> str:
                return "the SDK's FastMCP"
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "generated-kwargs-handler",
            """
            from fastmcp import FastMCP
            from pydantic import BaseModel

            mcp = FastMCP("registry")

            def create_handler(model: type[BaseModel]):
                def handler(**kwargs):
                    return model(**kwargs).model_dump()
                return handler

            def register(name: str, model: type[BaseModel]) -> None:
                handler = create_handler(model)
                mcp.tool(handler, name=name)
            """,
            fastmcp_version="3.2",
            says="Functions with **kwargs are not supported as tools",
        ),
        Invalid(
            "decorated-tool-and-prompt",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def run(command: str, *args: str) -> str:
                return command

            @mcp.prompt(name="ask")
            def ask(**context: str) -> str:
                return "?"
            """,
            count=2,
            fastmcp_version="2.13",
        ),
        Invalid(
            "add-tool-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def proxy(**kwargs) -> dict:
                return kwargs

            mcp.add_tool(proxy)
            """,
            fastmcp_version="4.2",
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        version = version_label(self.context.target, surface_for(self.context.target))
        for found in registrations(node, self.context.names, self.context.target):
            if found.kind not in KINDS:
                continue
            params = found.function.params
            star = params.star_kwarg if params.star_kwarg is not None else params.star_arg
            if not isinstance(star, cst.Param):
                continue
            double = star is params.star_kwarg
            shown = ("**" if double else "*") + star.name.value
            self.report(
                star if found.decorated else found.site,
                self.message.format(
                    function=found.function.name.value,
                    star=shown,
                    version=version,
                    kind=found.kind,
                    shape="**kwargs" if double else "*args",
                ),
            )
