from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.side_effects import effect, http_clients
from fastmcp_kit.lint.tool_hints import declared_hints
from fastmcp_kit.lint.violation import Severity


class ReadOnlyToolWrites(Rule):
    """A tool declared `readOnlyHint=True` whose body writes files, runs SQL writes or
    sends PUT/PATCH/DELETE requests.

    ## What it does
    For a tool decorated with `annotations={"readOnlyHint": True}` or
    `annotations=ToolAnnotations(readOnlyHint=True)` (and the snake-case
    `read_only_hint` on FastMCP 4, the only releases that read it), looks in its body,
    and in the functions of the same module it calls directly, for a call that changes
    something: `open(..., "w"/"a"/"x"/"+")`, `Path.write_text/write_bytes/unlink/rmdir/
    touch`, `os.remove/rename/makedirs/...`, `shutil.rmtree/move/copy*`, `execute` of a
    SQL literal starting with INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, REPLACE,
    TRUNCATE or MERGE, or a PUT/PATCH/DELETE request through `httpx`/`requests` or a
    client bound in the module. `POST` is not counted (search and GraphQL APIs read
    through it), nor are writes made by code in other modules.

    ## Why is this bad?
    Clients use `readOnlyHint` to decide what to run without asking: a tool declared
    read-only is called without a confirmation prompt, and a model is told it is safe
    to retry. A tool that writes behind that declaration changes the user's files or
    data without their consent. Declare what it does (`readOnlyHint=False`, and
    `destructiveHint=True` when it deletes or overwrites).

    ## Fix safety
    No automatic fix: either the declaration or the body is wrong.
    """

    code = "FMCP612"
    severity = Severity.WARNING
    message = (
        "tool `{tool}` declares `readOnlyHint=True` but {effect}: clients run read-only "
        "tools without asking; declare `readOnlyHint=False` (and `destructiveHint` when it "
        "deletes or overwrites)."
    )
    references = ("https://modelcontextprotocol.io/specification/2025-06-18/server/tools",)

    needles = ("readOnlyHint", "read_only_hint")

    VALID = [
        Valid(
            "reads-only",
            """
            import httpx

            from fastmcp import FastMCP

            mcp = FastMCP("notes")

            @mcp.tool(annotations={"readOnlyHint": True})
            async def search(query: str) -> dict:
                with open("notes.txt") as handle:
                    text = handle.read()
                async with httpx.AsyncClient() as client:
                    found = await client.post("https://search.example/q", json={"q": query})
                return {"local": text.count(query), "remote": found.json()}

            @mcp.tool(annotations={"readOnlyHint": False})
            def save(text: str) -> None:
                with open("notes.txt", "a") as handle:
                    handle.write(text)
            """,
        ),
        Valid(
            "snake-case-before-4",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("notes")

            @mcp.tool(annotations={"read_only_hint": True})
            def save(text: str) -> None:
                with open("notes.txt", "w") as handle:
                    handle.write(text)
            """,
            fastmcp_version="3.2.4",
        ),
    ]
    INVALID = [
        Invalid(
            "writes-a-file",
            """
            from pathlib import Path

            from fastmcp import FastMCP
            from mcp.types import ToolAnnotations

            mcp = FastMCP("notes")

            @mcp.tool(annotations=ToolAnnotations(readOnlyHint=True))
            def save(name: str, text: str) -> str:
                Path(name).write_text(text)
                return name
            """,
            says="its body changes a file (`.write_text()`)",
        ),
        Invalid(
            "sql-write-in-helper",
            """
            from fastmcp import FastMCP

            from app.db import conn

            mcp = FastMCP("db")

            def _forget(user: str) -> None:
                conn.execute("DELETE FROM sessions WHERE user = ?", (user,))

            @mcp.tool(annotations={"readOnlyHint": True, "title": "Who is logged in"})
            def sessions(user: str) -> list:
                _forget(user)
                return conn.execute("SELECT * FROM sessions").fetchall()
            """,
            says="runs a SQL write",
        ),
        Invalid(
            "snake-case-on-4-and-delete-request",
            """
            import httpx

            from fastmcp import FastMCP

            mcp = FastMCP("tickets")
            client = httpx.Client(base_url="https://tickets.example")

            @mcp.tool(annotations={"read_only_hint": True})
            def close(ticket: int) -> int:
                return client.delete(f"/tickets/{ticket}").status_code
            """,
            fastmcp_version="4.2.3",
            says="sends a `DELETE` request",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.helpers: dict[str, cst.FunctionDef] = {}
        self.clients: set[str] = set()

    def visit_Module(self, node: cst.Module) -> None:
        self.helpers = {s.name.value: s for s in node.body if isinstance(s, cst.FunctionDef)}
        self.clients = http_clients(node, self.context.names)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = self.context.names
        for decorator in names.component_decorators(node):
            hint = declared_hints(decorator, self.context.target).get("readOnlyHint")
            if hint is None:
                continue
            found = self._first_effect(node)
            if found is not None:
                self.report(hint, self.message.format(tool=node.name.value, effect=found))

    def _first_effect(self, function: cst.FunctionDef) -> str | None:
        names = self.context.names
        for call in direct_nodes(function, cst.Call):
            found = effect(call, names, self.clients)
            if found is not None:
                return f"its body {found}"
            helper = self.helpers.get(dotted_name(call.func) or "")
            if helper is None or helper is function:
                continue
            for inner in direct_nodes(helper, cst.Call):
                found = effect(inner, names, self.clients)
                if found is not None:
                    return f"`{helper.name.value}`, which it calls, {found}"
        return None
