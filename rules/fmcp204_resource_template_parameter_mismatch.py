from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_names import (
    imports_fastmcp,
    literal_resource_uris,
)
from fastmcp_kit.lint.names import ModuleNames
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.uri import literal_uri, template_parameters
from fastmcp_kit.lint.violation import Severity

# Parameters FastMCP fills itself, so they never come from the URI.
INJECTED_ANNOTATIONS = frozenset(
    {
        "fastmcp.server.sessions.UserSession",
        "fastmcp.server.sessions.SessionId",
    }
)
INJECTED_DEFAULTS = frozenset(
    {
        "fastmcp.dependencies.Depends",
        "fastmcp.dependencies.CurrentContext",
        "fastmcp.dependencies.CurrentFastMCP",
        "fastmcp.dependencies.Progress",
        "fastmcp.server.dependencies.Depends",
    }
)


def _injected(param: cst.Param, names: ModuleNames) -> bool:
    if names.context_kind(param.annotation) == "fastmcp":
        return True
    if (
        param.annotation is not None
        and names.qualified_name(param.annotation.annotation) in INJECTED_ANNOTATIONS
    ):
        return True
    default = param.default
    return isinstance(default, cst.Call) and names.qualified_name(default.func) in INJECTED_DEFAULTS


def _has_parameters(uri: str) -> bool:
    parameters = template_parameters(uri)
    return parameters is not None and bool(parameters.path or parameters.query)


class ResourceTemplateParameterMismatch(Rule):
    """Resource template parameters that do not match the function's parameters.

    ## What it does
    Compares the parameters of a literal resource template URI (`{id}`, `{path*}`,
    `{?format}`) with the decorated function's parameters. It flags a path parameter
    the function does not accept (unless it takes `**kwargs`), a query parameter that
    is not an optional (defaulted) function parameter, and a required function
    parameter that the URI path does not provide. Parameters FastMCP injects
    (`Context`, `Depends(...)`, `CurrentContext()`, 4.x `UserSession`/`SessionId`) are
    left out of the comparison.

    ## Why is this bad?
    FastMCP checks this when the decorator runs, so the server module fails to import:
    `ValueError: Required function arguments {'id'} must be a subset of the URI path
    parameters {'user_id'}`, `ValueError: URI parameters {'user_id'} must be a
    subset of the function arguments: set()` or `ValueError: Query parameters
    {'fmt'} must be optional function parameters with default values` (every
    version from 2.13 to 4.1).
    Guides often blame a `TypeError` at call time instead.

    ## Fix safety
    No automatic fix: renaming either side changes the public URI or the function's
    signature, which other code may call.
    """

    code = "FMCP204"
    severity = Severity.ERROR
    message = "Resource template {uri!r} does not match the parameters of `{function}`: {problem}"
    documented_errors = (5,)
    references = ("https://gofastmcp.com/servers/resources#resource-templates",)

    # Only literal URIs of `@<server>.resource(...)` decorator calls are checked.
    needles = (".resource(",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A literal resource template URI with parameters in a `@<x>.resource(...)` decorator,
        # in a module importing fastmcp (servers resolve only through such an import).
        for uri in literal_resource_uris(tree):
            if _has_parameters(uri):
                return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "matching",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.resource("users://{user_id}/profile")
            async def profile(user_id: str, ctx: Context) -> dict:
                await ctx.info("reading")
                return {"id": user_id}
            """,
        ),
        Valid(
            "defaults-wildcards-and-query",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("files://{path*}{?fmt,limit}")
            def read(path: str, fmt: str = "text", limit: int = 10, verbose: bool = False) -> str:
                return path
            """,
        ),
        Valid(
            "kwargs",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("weather://{city}/{day}")
            def weather(**kwargs: str) -> str:
                return str(kwargs)
            """,
        ),
        Valid(
            "static-resource",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("resource://config")
            def config() -> str:
                return "c"
            """,
        ),
        Valid(
            "context-named-param-in-uri",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("notes://{context}")
            def note(context: str) -> str:
                return context
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "renamed-parameter",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("users://{user_id}/profile")
            def profile(id: str) -> dict:
                return {"id": id}
            """,
        ),
        Invalid(
            "missing-function-parameter",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("repos://{owner}/{repo}")
            def repo(owner: str) -> str:
                return owner
            """,
        ),
        Invalid(
            "query-parameter-not-covered-by-kwargs",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("search://{term}{?page}")
            def search(term: str, **kwargs: str) -> str:
                return term
            """,
        ),
        Invalid(
            "required-parameter-only-in-query",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("search://{term}{?page}")
            def search(term: str, page: int) -> str:
                return term
            """,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = self.context.names
        for component in names.component_decorators(node):
            if component.kind != "resource":
                continue
            found = literal_uri(component)
            parameters = template_parameters(found[1]) if found else None
            if found is None or parameters is None or not (parameters.path or parameters.query):
                continue
            problem = self._problem(node, parameters.path, parameters.query)
            if problem:
                uri = found[1]
                self.report(
                    found[0],
                    self.message.format(uri=uri, function=node.name.value, problem=problem),
                )

    def _problem(
        self, node: cst.FunctionDef, path: frozenset[str], query: frozenset[str]
    ) -> str | None:
        params = node.params
        if params.posonly_params or (
            params.params and params.params[0].name.value in {"self", "cls"}
        ):
            return None  # methods and positional-only signatures: not worth guessing
        names = self.context.names
        accepted = {
            p.name.value: p
            for p in (*params.params, *params.kwonly_params)
            if not _injected(p, names)
        }
        takes_kwargs = isinstance(params.star_kwarg, cst.Param)
        problems = []
        unknown = sorted(name for name in path if name not in accepted)
        if unknown and not takes_kwargs:
            problems.append(f"URI parameter(s) {', '.join(unknown)} missing from the function")
        # Query parameters must be optional parameters; **kwargs does not cover them.
        not_optional = sorted(
            name for name in query if name not in accepted or accepted[name].default is None
        )
        if not_optional:
            problems.append(
                f"query parameter(s) {', '.join(not_optional)} need a function parameter with a default"
            )
        required = sorted(
            name
            for name, p in accepted.items()
            if p.default is None and name not in path and name not in query
        )
        if required:
            problems.append(f"required parameter(s) {', '.join(required)} not in the URI path")
        return "; ".join(problems) or None
