from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.registered_functions import (
    Registration,
    registering_server,
    registration_calls,
    registrations,
)
from fastmcp_kit.lint.rule import Invalid, Rule, Valid
from fastmcp_kit.lint.secrets import is_test_file
from fastmcp_kit.lint.violation import Severity


class DuplicateComponentName(Rule):
    """Two components of the same kind registered under one name (or URI) on one server.

    ## What it does
    Flags the second of two registrations, at the top level of one module, of a
    tool or prompt with the same name (the `name=` argument, or else the function's
    name), or of a resource or resource template with the same URI, on the same
    standalone server. Registrations inside functions, `if` or `try` blocks (often
    alternatives), names or URIs that are not string literals, modules that set
    `on_duplicate`, and test modules are left alone. A tool and a prompt may share a
    name. This rule is opt-in (off by default). Enable it with
    `--extend-select FMCP232`.

    ## Why is this bad?
    With the default duplicate behaviour FastMCP logs a warning (`Tool already
    exists: name` in 2.14.7; a `tool:name` warning in 3.2.4 and 4.2.3) and keeps only
    the last registration: the first function is silently unreachable, whatever its
    docstring promised the model.

    ## Example
    ```python
    @mcp.tool
    def search(query: str) -> list[str]: ...

    @mcp.tool(name="search")
    def search_v2(query: str, limit: int = 10) -> list[str]: ...
    ```

    ## Use instead
    Give each tool its own name, or delete the one that is no longer meant to be used.

    ## Fix safety
    There is no fix: which registration should win is the author's choice.
    """

    code = "FMCP232"
    severity = Severity.WARNING
    default_enabled = False
    message = (
        "{kind} `{key}` is already registered on `{server}` in this module: FastMCP warns "
        "and keeps only this last one, the first is unreachable"
    )
    references = ("https://gofastmcp.com/servers/server#duplicate-components",)

    needles = ("def ",)

    VALID = [
        Valid(
            "names-differing-by-kind-or-server",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")
            other = FastMCP("y")

            @mcp.tool
            def summarize(text: str) -> str:
                return text

            @mcp.prompt(name="summarize")
            def summarize_prompt(text: str) -> str:
                return text

            @other.tool(name="summarize")
            def summarize_elsewhere(text: str) -> str:
                return text

            @mcp.resource("data://items")
            def items() -> list[str]:
                return []

            @mcp.resource("data://items/{item_id}")
            def item(item_id: str) -> str:
                return item_id
            """,
        ),
        Valid(
            "alternatives-and-configured-duplicates",
            """
            import os

            from fastmcp import FastMCP

            mcp = FastMCP("x")

            if os.environ.get("FAST"):
                @mcp.tool
                def search(query: str) -> str:
                    return query
            else:
                @mcp.tool(name="search")
                def slow_search(query: str) -> str:
                    return query

            def register(name: str) -> None:
                def handler(query: str) -> str:
                    return query
                mcp.tool(handler, name=name)
            """,
        ),
        Valid(
            "sdk-server",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool()
            def search(query: str) -> str:
                return query

            @mcp.tool(name="search")
            def search_v2(query: str) -> str:
                return query
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "same-tool-name-and-resource-uri",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def search(query: str) -> str:
                return query

            @mcp.tool(name="search")
            def search_v2(query: str, limit: int = 10) -> str:
                return query

            @mcp.resource("config://app")
            def config() -> dict:
                return {}

            def config_v2() -> dict:
                return {"v": 2}

            mcp.resource("config://app")(config_v2)
            """,
            count=2,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        if is_test_file(self.context.path) or "on_duplicate" in node.code:
            return
        names = self.context.names
        top_level = _top_level_sites(node)
        seen: set[tuple[str, str, str]] = set()
        for found in registrations(node, names, self.context.target):
            site = found.site
            if id(found.function if found.decorated else site) not in top_level:
                continue
            server = registering_server(found, names)
            key = _key(found)
            if server is None or key is None:
                continue
            identity = (server, found.kind, key)
            if identity not in seen:
                seen.add(identity)
                continue
            kind = "Resource" if found.kind == "resource" else found.kind.capitalize()
            self.report(
                found.function.name if found.decorated else site,
                self.message.format(kind=kind, key=key, server=server),
            )


def _top_level_sites(module: cst.Module) -> set[int]:
    """The defs and expression calls written directly in the module's body."""
    sites: set[int] = set()
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            sites.add(id(statement))
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Expr):
                    sites.add(id(small.value))
    return sites


def _key(found: Registration) -> str | None:
    """The name (tools, prompts) or URI (resources) FastMCP registers it under;
    None when the source does not show it."""
    wanted = "uri" if found.kind == "resource" else "name"
    for call in registration_calls(found):
        for arg in call.args:
            if arg.star:
                return None
            positional_text = (
                arg.keyword is None
                and isinstance(arg.value, cst.SimpleString)
                and not (found.decorated is False and call is found.site)
            )
            if (arg.keyword is not None and arg.keyword.value == wanted) or positional_text:
                text = (
                    arg.value.evaluated_value if isinstance(arg.value, cst.SimpleString) else None
                )
                return text if isinstance(text, str) else None
    return None if found.kind == "resource" else found.function.name.value
