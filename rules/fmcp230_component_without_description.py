from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import ModuleNames
from fastmcp_kit.lint.registered_functions import (
    Registration,
    registration_calls,
    registrations,
)
from fastmcp_kit.lint.rule import Invalid, Rule, Valid
from fastmcp_kit.lint.secrets import is_test_file
from fastmcp_kit.lint.violation import Severity


class ComponentWithoutDescription(Rule):
    """A tool, prompt, resource or resource template with no description for the model.

    ## What it does
    Flags a function registered as a component of a standalone FastMCP server (the
    innermost `@mcp.tool`/`@mcp.prompt`/`@mcp.resource(...)` decorator, or a call
    such as `mcp.tool(fn)` or `mcp.resource("uri")(fn)`, resolved like the other
    component rules) that has neither a docstring nor a `description=` argument in
    its registration. Registrations that pass `**options` (which may carry a
    description), modules that assign `__doc__` and test modules (`test_*.py`,
    `tests/`) are left alone. This rule is
    opt-in (off by default): it is about the quality of what the model reads, not a
    bug. Enable it with `--extend-select FMCP230` or in `[tool.fkit]`.

    ## Why is this bad?
    FastMCP takes a component's description from `description=` or else from the
    function's docstring; with neither it publishes `description: null` (verified
    with 2.14.7 and 4.2.3). The model then chooses among tools by name alone, and
    prompt and resource pickers in clients show nothing but the name.

    ## Example
    ```python
    @mcp.tool
    def lookup(sku: str) -> dict:
        return catalog[sku]
    ```

    ## Use instead
    ```python
    @mcp.tool
    def lookup(sku: str) -> dict:
        \"\"\"Return the catalog entry (price, stock) for a product SKU.\"\"\"
        return catalog[sku]
    ```

    ## Fix safety
    There is no fix: only the author knows what the component does.
    """

    code = "FMCP230"
    severity = Severity.INFO
    # Opinionated: a description is advice for the model, not a contract FastMCP checks.
    default_enabled = False
    message = (
        "{kind} `{function}` has no docstring and no `description=`: FastMCP publishes "
        "`description: null` and the model sees only the name"
    )
    references = ("https://gofastmcp.com/servers/tools#the-@tool-decorator",)

    needles = ("def ",)

    VALID = [
        Valid(
            "docstring-or-description-keyword",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def lookup(sku: str) -> str:
                \"\"\"Return the catalog entry for a product SKU.\"\"\"
                return sku

            @mcp.tool(description="Return the stock level of a SKU.")
            def stock(sku: str) -> int:
                return 0

            @mcp.resource("data://{name}", description="A named dataset.")
            def dataset(name: str) -> str:
                return name

            def summarize(text: str) -> str:
                return text

            mcp.prompt(summarize, description="Summarize a text.")
            mcp.tool(name="ping", description="Check the server is up.")(lambda: "pong")
            """,
        ),
        Valid(
            "options-passed-through-or-doc-assigned",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")
            OPTIONS = {"description": "Add two numbers."}

            def add(a: int, b: int) -> int:
                return a + b

            mcp.tool(add, **OPTIONS)

            def sub(a: int, b: int) -> int:
                return a - b

            sub.__doc__ = "Subtract b from a."
            mcp.tool(sub)
            """,
        ),
        Valid(
            "sdk-server-and-plain-functions",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool()
            def lookup(sku: str) -> str:
                return sku

            def helper(x: int) -> int:
                return x
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "each-kind",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def lookup(sku: str) -> str:
                return sku

            @mcp.prompt()
            def review(code: str) -> str:
                return code

            @mcp.resource("config://app")
            def config() -> dict:
                return {}

            @mcp.resource("users://{user_id}", name="user")
            def user(user_id: str) -> dict:
                return {}
            """,
            count=4,
        ),
        Invalid(
            "registration-calls",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            def add(a: int, b: int) -> int:
                return a + b

            def ping() -> str:
                return "pong"

            mcp.tool(add)
            mcp.tool(name="ping", title="Ping")(ping)
            """,
            count=2,
        ),
        Invalid(
            "empty-description",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool(description="")
            def lookup(sku: str) -> str:
                \"\"\"   \"\"\"
                return sku
            """,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        if is_test_file(self.context.path):
            return  # fixtures of a test suite are never shown to a model
        if "__doc__" in node.code:
            return  # a docstring may be set at run time; the source does not show it
        names = self.context.names
        for found in registrations(node, names, self.context.target):
            if _has_docstring(found.function) or _describes(found, names) is not False:
                continue
            kind = found.kind.capitalize()
            if found.kind == "resource" and _is_template(found):
                kind = "Resource template"
            self.report(
                found.function.name if found.decorated else found.site,
                self.message.format(kind=kind, function=found.function.name.value),
            )


def _has_docstring(function: cst.FunctionDef) -> bool:
    docstring = function.get_docstring()
    return bool(docstring and docstring.strip())


def _describes(found: Registration, names: ModuleNames) -> bool | None:
    """Whether the registration passes a description: False surely not, None unknown."""
    for call in registration_calls(found):
        for arg in call.args:
            if arg.star:
                return None  # **options may carry one
            if arg.keyword is not None and arg.keyword.value == "description":
                value = arg.value
                if isinstance(value, cst.Name) and value.value == "None":
                    continue
                if isinstance(value, cst.SimpleString):
                    text = value.evaluated_value
                    if isinstance(text, str) and not text.strip():
                        continue
                return None if not isinstance(value, cst.BaseString) else True
    return False


def _is_template(found: Registration) -> bool:
    for call in registration_calls(found):
        for arg in call.args:
            if arg.keyword is None and not arg.star and isinstance(arg.value, cst.SimpleString):
                text = arg.value.evaluated_value
                return isinstance(text, str) and "{" in text
    return False
