from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.rule import Invalid, Rule, Valid
from fastmcp_kit.lint.tool_hints import declared_hints
from fastmcp_kit.lint.violation import Severity


class ReadOnlyAndDestructiveHints(Rule):
    """A tool declared both `readOnlyHint=True` and `destructiveHint=True`.

    ## What it does
    Flags a tool whose `annotations=` (a dict or `ToolAnnotations(...)`; the snake-case
    `read_only_hint`/`destructive_hint` on FastMCP 4, the only releases that read them)
    sets both hints to `True`.

    ## Why is this bad?
    The MCP specification defines `destructiveHint` only for tools that are not
    read-only (it is meaningful "if readOnlyHint == false"): a read-only tool modifies
    nothing, so it cannot destroy anything. Clients that trust `readOnlyHint` skip the
    confirmation the destructive hint asks for. One of the two is wrong: declare what
    the tool really does.

    ## Fix safety
    No automatic fix: which hint is wrong depends on the tool.
    """

    code = "FMCP613"
    severity = Severity.WARNING
    message = (
        "tool `{tool}` declares both `readOnlyHint=True` and `destructiveHint=True`: a "
        "read-only tool cannot be destructive, and clients that trust `readOnlyHint` "
        "run it without asking; keep the hint that is true."
    )
    references = (
        "https://modelcontextprotocol.io/specification/2025-06-18/schema#toolannotations",
    )

    needles = ("destructiveHint", "destructive_hint")

    VALID = [
        Valid(
            "one-or-the-other",
            """
            from fastmcp import FastMCP
            from mcp.types import ToolAnnotations

            mcp = FastMCP("files")

            @mcp.tool(annotations={"readOnlyHint": True, "destructiveHint": False})
            def list_files() -> list[str]:
                return []

            @mcp.tool(annotations=ToolAnnotations(readOnlyHint=False, destructiveHint=True))
            def delete_file(path: str) -> None:
                pass
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "both-true",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("files")

            @mcp.tool(annotations={"readOnlyHint": True, "destructiveHint": True})
            def purge_cache() -> None:
                pass
            """,
            says="a read-only tool cannot be destructive",
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        for decorator in self.context.names.component_decorators(node):
            hints = declared_hints(decorator, self.context.target)
            if "readOnlyHint" in hints and "destructiveHint" in hints:
                self.report(hints["destructiveHint"], self.message.format(tool=node.name.value))
