"""``FastMCP(dependencies=[...])`` -> fastmcp.json ``environment.dependencies`` (3.i row 4)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Codemod, Example
from fastmcp_kit.upgrade.cstutil import drop_args, keyword, literal
from fastmcp_kit.upgrade.runner import SCRATCH_FASTMCP_JSON


class ServerDependencies(Codemod):
    """What it does:
    Removes ``dependencies=[...]`` from ``FastMCP(...)`` and adds the packages to
    ``environment.dependencies`` in the project's ``fastmcp.json`` (merged into an
    existing file; a new one gets ``source`` = this file and the server's variable).

    Why:
    The keyword was deprecated in 2.11.4 and removed in 2.14.0 (``TypeError``);
    ``fastmcp.json`` is its documented replacement.

    Safety:
    Partial: only a literal list of strings is moved; anything else is reported. The
    list only ever told ``fastmcp install``/``dev`` which packages to add, which is
    what ``environment.dependencies`` does. A new ``fastmcp.json`` makes ``fastmcp
    run`` (without arguments) find this server and run it through ``uv`` with those
    packages.
    """

    ID = "server-dependencies"
    TITLE = "FastMCP(dependencies=) moves to fastmcp.json"
    KIND = "partial"
    ROWS = ("i.4",)
    LINK = GUIDE_2_14
    TRIGGERS = ("dependencies",)
    EXAMPLES = (
        Example(
            "literal-list",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("analytics", dependencies=["pandas", "numpy>=2"])
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("analytics")
            """,
        ),
        Example(
            "computed",
            before="""
            from fastmcp import FastMCP

            DEPS = ["pandas"]
            mcp = FastMCP("analytics", dependencies=DEPS)
            """,
            findings=("`dependencies=` was removed in 2.14",),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.names.is_server_class(original_node.func):
            return updated_node
        arg = keyword(updated_node, "dependencies")
        if arg is None:
            return updated_node
        ok, value = literal(arg.value)
        if (
            not ok
            or not isinstance(value, (list, tuple))
            or not all(isinstance(item, str) for item in value)
        ):
            self.report(
                original_node,
                "`dependencies=` was removed in 2.14: list the packages in fastmcp.json "
                '`"environment": {"dependencies": [...]}` (only a literal list is moved '
                "automatically)",
                Severity.ERROR,
            )
            return updated_node
        records: list[tuple[str, str | None, list[str]]] = self.context.scratch.setdefault(
            SCRATCH_FASTMCP_JSON, []
        )
        records.append(
            (self.context.filename or "server.py", self._variable(original_node), list(value))
        )
        self.rewrote()
        return drop_args(updated_node, [arg])

    def _variable(self, call: cst.Call) -> str | None:
        try:
            parent = self.get_metadata(ParentNodeProvider, call)
        except KeyError:
            return None
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            target = parent.targets[0].target
            return target.value if isinstance(target, cst.Name) else None
        if isinstance(parent, cst.AnnAssign) and isinstance(parent.target, cst.Name):
            return parent.target.value
        return None
