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


class IdenticalToolDescriptions(Rule):
    """Two different tools of one server, in one module, with the same description.

    ## What it does
    Flags a tool whose description (its `description=` string, or else its whole
    docstring) is identical, after trimming whitespace, to that of another tool
    registered on the same standalone server in the same module. Registrations of
    the same function under two names, descriptions that are not string literals,
    and test modules are left alone. This rule is opt-in (off by default). Enable it
    with `--extend-select FMCP233`.

    ## Why is this bad?
    The model picks a tool by its description. Two tools that describe themselves
    identically (usually a copied docstring that was never edited) cannot be told
    apart: the model chooses between them at random or by name alone.

    ## Example
    ```python
    @mcp.tool
    def list_users() -> list[str]:
        \"\"\"List the records.\"\"\"

    @mcp.tool
    def list_groups() -> list[str]:
        \"\"\"List the records.\"\"\"
    ```

    ## Use instead
    Describe what each tool returns: `List the user accounts.`, `List the groups.`

    ## Fix safety
    There is no fix: only the author knows what distinguishes the tools.
    """

    code = "FMCP233"
    severity = Severity.INFO
    default_enabled = False
    message = (
        "tool `{function}` has the same description as tool `{other}` on `{server}`: "
        "the model cannot tell them apart"
    )
    references = ("https://gofastmcp.com/servers/tools#the-@tool-decorator",)

    needles = ("def ",)

    VALID = [
        Valid(
            "distinct-or-same-function-or-other-kind",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")
            other = FastMCP("y")

            @mcp.tool
            def list_users() -> list[str]:
                \"\"\"List the user accounts.\"\"\"
                return []

            @mcp.tool(description="List the groups.")
            def list_groups() -> list[str]:
                \"\"\"List the user accounts.\"\"\"
                return []

            @other.tool
            def list_users_elsewhere() -> list[str]:
                \"\"\"List the user accounts.\"\"\"
                return []

            @mcp.prompt
            def users_prompt() -> str:
                \"\"\"List the user accounts.\"\"\"
                return ""

            def search(query: str) -> str:
                \"\"\"Search the index.\"\"\"
                return query

            mcp.tool(search, name="search")
            mcp.tool(search, name="find")
            """,
        ),
        Valid(
            "sdk-server",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool()
            def a() -> str:
                \"\"\"Do it.\"\"\"
                return ""

            @mcp.tool()
            def b() -> str:
                \"\"\"Do it.\"\"\"
                return ""
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "copied-docstring-and-description",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def list_users() -> list[str]:
                \"\"\"List the records.\"\"\"
                return []

            @mcp.tool
            def list_groups() -> list[str]:
                \"\"\"
                List the records.
                \"\"\"
                return []

            @mcp.tool(description="List the records.")
            def list_roles() -> list[str]:
                return []
            """,
            count=2,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        if is_test_file(self.context.path):
            return
        names = self.context.names
        first: dict[tuple[str, str], cst.FunctionDef] = {}
        for found in registrations(node, names, self.context.target):
            if found.kind != "tool":
                continue
            server = registering_server(found, names)
            description = _description(found)
            if server is None or not description:
                continue
            earlier = first.setdefault((server, description), found.function)
            if earlier is found.function:
                continue
            self.report(
                found.function.name if found.decorated else found.site,
                self.message.format(
                    function=found.function.name.value,
                    other=earlier.name.value,
                    server=server,
                ),
            )


def _description(found: Registration) -> str | None:
    """The description FastMCP publishes, trimmed; None when the source does not show it."""
    for call in registration_calls(found):
        for arg in call.args:
            if arg.star:
                return None
            if arg.keyword is not None and arg.keyword.value == "description":
                if not isinstance(arg.value, cst.SimpleString):
                    return None
                text = arg.value.evaluated_value
                return text.strip() if isinstance(text, str) else None
    docstring = found.function.get_docstring()
    return docstring.strip() if docstring else None
