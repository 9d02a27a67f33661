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


class ResourceTemplateWithoutScheme(Rule):
    """A resource template URI without a scheme: registered, but clients cannot read it.

    ## What it does
    Flags literal resource *template* URIs such as `@mcp.resource("users/{user_id}")`
    that do not start with `scheme:`.

    ## Why is this bad?
    Unlike static URIs, FastMCP registers such templates without complaint, so the
    server starts and lists the template. But the URIs it produces are not URLs: the
    FastMCP client refuses to read them (`ValueError: Provided resource URI is
    invalid: 'users/5'`, every version 2.13 to 4.1), and in 2.x and 3.x even a
    server-side read fails with a `url_parsing` validation error. A scheme
    (`users://{user_id}`) makes the template usable.

    ## Fix safety
    There is no automatic fix: the scheme is part of the public URI clients use.
    """

    code = "FMCP203"
    severity = Severity.ERROR
    message = "Resource template {uri!r} has no scheme; clients cannot read the URIs it produces"
    documented_errors = (4,)
    references = ("https://gofastmcp.com/servers/resources#resource-templates",)

    # Only literal URIs of `@<server>.resource(...)` decorator calls are checked.
    needles = (".resource(",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A literal resource template URI without a scheme in a `@<x>.resource(...)` decorator,
        # in a module importing fastmcp (servers resolve only through such an import).
        for uri in literal_resource_uris(tree):
            if is_template(uri) and not has_scheme(uri):
                return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "template-with-scheme",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("users://{user_id}/profile")
            def profile(user_id: str) -> str:
                return user_id
            """,
        ),
        Valid(
            "static-uri-is-another-rule",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("config")
            def config() -> str:
                return "c"
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "relative-template",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("users/{user_id}")
            def profile(user_id: str) -> str:
                return user_id
            """,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for component in self.context.names.component_decorators(node):
            if component.kind != "resource":
                continue
            found = literal_uri(component)
            if found is not None and is_template(found[1]) and not has_scheme(found[1]):
                self.report(found[0], self.message.format(uri=found[1]))
