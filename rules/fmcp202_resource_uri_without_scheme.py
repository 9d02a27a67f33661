from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_names import (
    imports_fastmcp,
    literal_resource_uris,
)
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.uri import has_scheme, is_template, literal_uri
from fastmcp_kit.lint.violation import Severity


class ResourceUriWithoutScheme(Rule):
    """A static resource URI without a scheme, which FastMCP rejects at import time.

    ## What it does
    Flags `@mcp.resource("config")`, `@mcp.resource("config.json")` or
    `@mcp.resource("/etc/app.toml")`: a literal, non-template resource URI that does not
    start with `scheme:`.

    ## Why is this bad?
    FastMCP validates resource URIs as URLs when the decorator runs, so the module
    fails to import with `pydantic_core.ValidationError: ... Input should be a valid URL,
    relative URL without a base [type=url_parsing ...]` (a `ValueError`), in every
    version from 2.13 to 4.1. Any scheme is accepted (`resource://`, `data://`,
    `urn:`, `msg:`), so the fix is to pick one.

    ## Fix safety
    There is no automatic fix: the scheme becomes part of the resource's public URI
    that clients read, so choosing it is the author's decision (`resource://config`
    is the usual choice).
    """

    code = "FMCP202"
    severity = Severity.ERROR
    message = "Resource URI {uri!r} has no scheme; FastMCP rejects it when the module is imported (use e.g. 'resource://{suggestion}')"
    documented_errors = (4,)
    references = ("https://gofastmcp.com/servers/resources",)

    # Only literal URIs of `@<server>.resource(...)` decorator calls are checked.
    needles = (".resource(",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A literal static resource URI without a scheme in a `@<x>.resource(...)` decorator,
        # in a module importing fastmcp (servers resolve only through such an import).
        for uri in literal_resource_uris(tree):
            if not is_template(uri) and not has_scheme(uri):
                return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "resource-scheme",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("resource://config")
            def config() -> dict:
                return {"debug": False}
            """,
        ),
        Valid(
            "non-hierarchical-schemes",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("urn:x:y")
            def urn() -> str:
                return "u"

            @mcp.resource("msg:/x")
            def message() -> str:
                return "m"
            """,
        ),
        Valid(
            "dynamic-uri",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            NAME = "config"

            @mcp.resource(f"{NAME}")
            def config() -> str:
                return "c"

            @mcp.resource(NAME + ".json")
            def config_json() -> str:
                return "c"
            """,
        ),
        Valid(
            "template-is-another-rule",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("users/{user_id}")
            def user(user_id: str) -> str:
                return user_id
            """,
        ),
        Valid(
            "not-a-fastmcp-object",
            """
            from mylib import Registry

            app = Registry()

            @app.resource("config")
            def config() -> str:
                return "c"
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "bare-name",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("config")
            def config() -> dict:
                return {"debug": False}
            """,
        ),
        Invalid(
            "file-name-and-path",
            """
            import fastmcp

            server = fastmcp.FastMCP("demo")

            @server.resource(uri="config.json")
            def config() -> str:
                return "{}"

            @server.resource("/etc/app.toml", name="app")
            def app_config() -> str:
                return ""
            """,
            count=2,
        ),
        Invalid(
            "helper-module-parameter",
            """
            from fastmcp import FastMCP


            def register(mcp: FastMCP) -> None:
                @mcp.resource("settings")
                def settings() -> str:
                    return "s"
            """,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for component in self.context.names.component_decorators(node):
            if component.kind != "resource":
                continue
            found = literal_uri(component)
            if found is None:
                continue
            string, uri = found
            if is_template(uri) or has_scheme(uri):
                continue
            suggestion = uri.strip("/").replace("/", "_") or "name"
            self.report(string, self.message.format(uri=uri, suggestion=suggestion))
